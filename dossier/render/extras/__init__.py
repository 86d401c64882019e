"""Scheme-specific figures for the templates, under the context name ``x``.

A module here named after the scheme id (``-`` → ``_``, e.g. ``zhejiang_green_low_carbon_park``)
with a function ``build(loaded, builder) -> Any`` supplies ``x`` for that scheme's forms —
figures only one programme's forms show (e.g. the columns of Zhejiang's 动态管理表).
Keep them figures, not text: a form's wording belongs in its template, a requirement's in
the scheme data. Schemes without a module get an empty ``x``.
"""

from __future__ import annotations

import importlib
from typing import Any


def build_extras(loaded: Any, builder: Any) -> Any:
    name = loaded.scheme.id.replace("-", "_")
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        return {}
    return module.build(loaded, builder)
