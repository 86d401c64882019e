"""dossier — application dossiers for Chinese green-manufacturing programmes.

The library API: load a scheme (:func:`dossier.schemes.load_scheme`), load and
validate a dossier (:func:`dossier.loader.load_dossier`), scaffold a new one
(:func:`dossier.scaffold.init_dossier`). The ``dossier`` command is a thin layer over
these.
"""

import logging

__version__ = "0.1.0"

# pypdf logs a warning for every oddity of a damaged or unusual PDF; the engine reports
# the files it cannot use itself (in Chinese), so only pypdf's errors go to the log.
logging.getLogger("pypdf").setLevel(logging.ERROR)
