"""自主减排比例 and 碳抵消 coverage (Jiangsu 零碳/近零碳工厂; GB/T 33760 for reductions).

* own-reduction ratio (%) = 减排量 ÷ 基准线情景排放量 × 100%, from ``dossier.carbon``;
  when ``own_reduction_tco2e`` is empty, the sum of the completed projects'
  ``reduction_tco2e``;
* offset coverage (%) of 类别1+类别2 for a year = Σ offsets of that year ÷ (类别1 + 类别2)
  × 100%; an offset given in MWh only (绿证, 1 张 = 1 MWh) counts MWh × the grid
  factor of its year.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ..model import Dossier, Offset
from . import ghg
from .result import Result, Source, coef, fmt, missing, missing_from, ratio

Prefer = Literal["reported", "computed"]


def _reference_date(dossier: Dossier) -> dt.date:
    return dossier.submission_date or dossier.fill_date or dt.date(dossier.reporting_year, 12, 31)


def own_reduction(dossier: Dossier) -> Result:
    """已实施自主减排措施形成的减排量 (tCO2e)."""
    name = "自主减排量"
    given = dossier.carbon.own_reduction_tco2e
    if given is not None:
        return Result(
            name=name, value=float(given), unit="tCO2e", formula=f"{name} = {fmt(given)} tCO2e（减排量评估报告）",
            sources=(Source(f"{fmt(given)} tCO2e", f"档案 carbon.own_reduction_tco2e（{dossier.carbon.assessment_body or '减排量评估报告'}）", "reported"),),
        )
    cutoff = _reference_date(dossier)
    counted, skipped = [], []
    for p in dossier.projects:
        if p.reduction_tco2e is None:
            skipped.append(f"{p.name}（未填减排量）")
        elif p.end is not None and p.end > cutoff:
            skipped.append(f"{p.name}（{p.end} 完成，晚于 {cutoff}）")
        else:
            counted.append(p)
    notes = [f"未计入：{'；'.join(skipped)}"] if skipped else []
    if not counted:
        return missing(name, "tCO2e", "carbon.own_reduction_tco2e 或已完成项目的 projects[].reduction_tco2e", notes=notes)
    value = sum(float(p.reduction_tco2e) for p in counted)  # type: ignore[arg-type]
    terms = " + ".join(fmt(p.reduction_tco2e) for p in counted)
    notes.insert(0, f"按已完成减排项目合计（{len(counted)} 项，截至 {cutoff}）")
    return Result(
        name=name, value=value, unit="tCO2e", formula=f"{name} = {terms} = {fmt(value)} tCO2e",
        sources=(Source(f"{fmt(value)} tCO2e", "档案 projects[].reduction_tco2e", "reported"),), notes=tuple(notes),
    )


def own_reduction_ratio(dossier: Dossier) -> Result:
    """自主减排比例 (%) = 自主减排量 ÷ 基准线情景排放量 × 100%."""
    name = "自主减排比例"
    reduction = own_reduction(dossier)
    base = dossier.carbon.baseline_scenario_tco2e
    if base is None:
        baseline = missing("基准线情景排放量", "tCO2e", "基准线情景排放量（carbon.baseline_scenario_tco2e，GB/T 33760）")
    else:
        baseline = Result(name="基准线情景排放量", value=float(base), unit="tCO2e", formula=f"{fmt(base)} tCO2e",
                          sources=(Source(f"{fmt(base)} tCO2e", "档案 carbon.baseline_scenario_tco2e", "reported"),))
    return ratio(name, reduction, baseline, "%", scale=100, positive="基准线情景排放量须为正数")


def offset_amount(offset: Offset, *, grid_scope: str = "national", grid_factor_tco2_per_mwh: float | None = None) -> Result:
    """One offset in tCO2e: as given, else MWh × the grid factor of its year."""
    label = f"{offset.type}（{offset.certificate or offset.year}）"
    if offset.quantity_tco2e is not None:
        notes: list[str] = []
        if offset.quantity_mwh:
            factor = ghg.grid_factor(offset.year, grid_scope, grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh)
            if factor.ok:
                expected = offset.quantity_mwh * factor.value  # type: ignore[operator]
                if expected and abs(offset.quantity_tco2e - expected) / expected > 0.01:
                    notes.append(
                        f"填报的 {fmt(offset.quantity_tco2e)} tCO2e 与 {fmt(offset.quantity_mwh)} MWh × "
                        f"{coef(factor.value)} = {fmt(expected)} tCO2e 相差超过 1%"
                    )
        return Result(name=label, value=float(offset.quantity_tco2e), unit="tCO2e",
                      formula=f"{label} {fmt(offset.quantity_tco2e)} tCO2e",
                      sources=(Source(f"{fmt(offset.quantity_tco2e)} tCO2e", "档案 offsets[].quantity_tco2e", "reported"),),
                      notes=tuple(notes))
    if offset.quantity_mwh is None:
        return missing(label, "tCO2e", f"{label}的抵消量（quantity_tco2e，或绿证/绿电的 quantity_mwh）")
    factor = ghg.grid_factor(offset.year, grid_scope, grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh)
    if not factor.ok:
        return missing_from(label, "tCO2e", factor)
    value = offset.quantity_mwh * factor.value  # type: ignore[operator]
    return Result(
        name=label, value=value, unit="tCO2e",
        formula=f"{label} {fmt(offset.quantity_mwh)} MWh × {coef(factor.value)} tCO2/MWh = {fmt(value)} tCO2e",
        parts=(factor,), notes=factor.notes,
    )


def offsets_total(dossier: Dossier, year: int, **grid) -> Result:
    """Σ offsets (tCO2e) of the emission year ``year``."""
    name = f"{year}年碳抵消量"
    rows = [o for o in dossier.offsets if o.year == year]
    if not rows:
        other = sorted({o.year for o in dossier.offsets})
        hint = f"（已有年度：{'、'.join(map(str, other))}）" if other else ""
        return missing(name, "tCO2e", f"{year}年的碳抵消（offsets[].year = {year}）{hint}")
    parts = [offset_amount(o, **grid) for o in rows]
    if any(not p.ok for p in parts):
        return missing_from(name, "tCO2e", *parts)
    value = sum(p.value for p in parts)  # type: ignore[misc]
    return Result(name=name, value=value, unit="tCO2e",
                  formula=f"{name} = {' + '.join(fmt(p.value) for p in parts)} = {fmt(value)} tCO2e", parts=tuple(parts))


def offset_coverage(
    dossier: Dossier,
    year: int | None = None,
    *,
    prefer: Prefer = "reported",
    grid_scope: str = "national",
    grid_factor_tco2_per_mwh: float | None = None,
    **ghg_options,
) -> Result:
    """碳抵消比例 (%) of 类别1+类别2 in ``year`` (default: the last year of the window)."""
    year = year or dossier.last_year
    name = f"{year}年类别1+类别2 碳抵消比例"
    offsets = offsets_total(dossier, year, grid_scope=grid_scope, grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh)
    emitted = ghg.scope12_tco2e(
        dossier.year(year), year, prefer=prefer, grid_scope=grid_scope,
        grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh, **ghg_options,
    )
    return ratio(name, offsets, emitted, "%", scale=100, positive="类别1+类别2 排放须为正数")
