"""Rendering: every annex form of a scheme, filled from a dossier.

>>> from dossier.loader import load_dossier
>>> from dossier.render import render_forms
>>> forms = render_forms(load_dossier("某某科技"), pdf=True)  # doctest: +SKIP
"""

from .context import CONTEXT_DOC, ContextBuilder
from .forms import RenderedForm, render_forms, render_summary, select_forms, to_pdf

__all__ = ["CONTEXT_DOC", "ContextBuilder", "RenderedForm", "render_forms", "render_summary", "select_forms", "to_pdf"]
