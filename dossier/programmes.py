"""Per-programme code: the one place a programme's own computations live.

A programme is its scheme data (``checklists/<id>.yaml``) and its form templates;
whatever else it needs it names in the data from the engine's registries
(:mod:`dossier.vocabulary`). Figures that only one programme's forms show — and that
are no reusable rule, metric or calculator — are computed in one module per programme,
``dossier/render/extras/<scheme id, "-" → "_">.py``, found here by scheme id; nothing
else in the engine names a programme. A module may define:

* ``build(loaded, builder)`` → the templates' ``x`` (:mod:`dossier.render.extras`);
* ``improvement_values(loaded, year)`` → ``{key: value}`` of the 持续改进情况 rows of the
  scheme's ``improvement`` list that do not name a figure (``dossier diff``).

A programme without a module has none of these: its templates use the dossier (``d``),
the scheme (``s``) and the computed figures, and its ``improvement`` rows name figures.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Callable

from .errors import SchemeDataError

PACKAGE = "dossier.render.extras"


def module_name(scheme_id: str) -> str:
    return f"{PACKAGE}.{scheme_id.replace('-', '_')}"


def programme_module(scheme_id: str) -> ModuleType | None:
    """The programme's own module, or None when it has none."""
    name = module_name(scheme_id)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def hook(scheme_id: str, name: str) -> Callable[..., Any] | None:
    """The function ``name`` of the programme's module, or None."""
    module = programme_module(scheme_id)
    return getattr(module, name, None) if module is not None else None


def required_hook(scheme_id: str, name: str, why: str) -> Callable[..., Any]:
    found = hook(scheme_id, name)
    if found is None:
        raise SchemeDataError(
            f"方案 {scheme_id}：{why}，需要方案模块 {module_name(scheme_id)} 中的函数 {name}"
            "（见 docs/adding-a-programme.md）"
        )
    return found
