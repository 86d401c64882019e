"""dossier — application dossiers for Chinese green-manufacturing programmes.

The library API: load a scheme (:func:`dossier.schemes.load_scheme`), load and
validate a dossier (:func:`dossier.loader.load_dossier`), scaffold a new one
(:func:`dossier.scaffold.init_dossier`). The ``dossier`` command is a thin layer over
these.
"""

__version__ = "0.1.0"
