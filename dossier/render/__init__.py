"""Rendering: every annex form of a scheme, filled from a dossier.

>>> from dossier.loader import load_dossier
>>> from dossier.render import render_forms
>>> forms = render_forms(load_dossier("某某科技"), pdf=True)  # doctest: +SKIP

The names below load on first use: ``dossier.render.office`` and ``dossier.render.pdf``
import without the template engine (a build starts LibreOffice before anything else).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"CONTEXT_DOC": ".context", "ContextBuilder": ".context", "RenderedForm": ".forms",
          "render_forms": ".forms", "render_summary": ".forms", "select_forms": ".forms", "to_pdf": ".forms"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
