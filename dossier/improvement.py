"""持续改进情况 (动态管理表): the figures a scheme's ``improvement`` rows compare with the
values at listing (``listing.values``) — for the forms (Zhejiang's 动态管理表) and for
``dossier diff``, one computation for both.

A row names its figure as ``years.<field>`` (the year data as entered,
``years.pollutants_emitted.cod``) or ``fig.<name>`` (a computed figure of
:data:`dossier.figures.YEAR_FIGURES`), times ``scale`` (m² → km²). Rows that are no single
figure come from the programme's module (``improvement.programme_rows``,
:mod:`dossier.programmes`).
"""

from __future__ import annotations

from typing import Any

from .calc.result import Result
from .figures import YEAR_FIGURES, Figures
from .introspect import dig, is_model_path
from .model import YearData
from .programmes import required_hook


def row_value_problem(value: str) -> str | None:
    """Why ``value`` names no figure (None when it does): checked when a scheme loads."""
    kind, _, rest = value.partition(".")
    if kind == "fig":
        return None if rest in YEAR_FIGURES else f"没有计算指标 {rest!r}（可用：{'、'.join(YEAR_FIGURES)}）"
    if kind == "years":
        return None if rest and is_model_path(rest, YearData) else f"年度数据中没有字段 {rest!r}"
    return f"应为 years.<年度数据字段> 或 fig.<计算指标>，实际为 {value!r}"


def _scaled(value: Any, scale: float) -> Any:
    if scale == 1:
        return value
    number = value.value if isinstance(value, Result) else value
    return round(float(number) * scale, 10) if isinstance(number, (int, float)) else None


def improvement_values(loaded: Any, year: int, figures: Figures | None = None) -> dict[str, Any]:
    """``{listing key: value}`` of one year, in the order of the scheme's rows; a computed
    figure stays a :class:`Result` (its formula for the forms), an entered one a number."""
    spec = loaded.scheme.improvement
    if spec is None:
        return {}
    figures = figures or Figures(loaded.dossier)
    data = loaded.dossier.year(year)
    out: dict[str, Any] = {}
    for row in spec.rows:
        kind, _, rest = row.value.partition(".")
        value = figures[year].get(rest) if kind == "fig" else dig(data, rest.split("."))
        out[row.key] = _scaled(value, row.scale)
    if spec.programme_rows:
        more = required_hook(loaded.scheme.id, "improvement_values", "improvement.programme_rows 为 true")
        out.update(more(loaded, year))
    return out
