"""Scheme-specific figures for the templates, under the context name ``x``.

A module here named after the scheme id (``-`` → ``_``, e.g. ``zhejiang_green_low_carbon_park``)
is that programme's own code (:mod:`dossier.programmes`); its function
``build(loaded, builder) -> Any`` supplies ``x`` for that scheme's forms — figures only
one programme's forms show (e.g. the columns of Zhejiang's 动态管理表).
Keep them figures, not text: a form's wording belongs in its template, a requirement's in
the scheme data. Schemes without a module (or without ``build``) get an empty ``x``.
"""

from __future__ import annotations

from typing import Any

from ...programmes import hook


def build_extras(loaded: Any, builder: Any) -> Any:
    build = hook(loaded.scheme.id, "build")
    return build(loaded, builder) if build is not None else {}
