"""The web workspace (``dossier serve``): the whole job in a browser, over the same
library and the same files as the CLI. See :mod:`.routes` for the route table."""


def create_app(*args, **kwargs):
    from .app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
