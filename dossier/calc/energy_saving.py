"""Suzhou energy-saving score: 近零碳 附件1-4 (× 2.5, at most 2.5) and green 附件1-3 (× 4,
at most 4), read from the scheme's ``lookup_tables.energy_saving``.

附件1-4 注1–3 (注 of 附件1-3 the same with 4):
  项目节能量得分 = 项目实际年节能量 ÷ 项目年节能量目标 × 2.5;
  综合节能率得分 = 综合年节能率 ÷ 综合节能率目标 × 2.5;
  两者取高，最高不超过 2.5 分.
The band is chosen by last year's 综合能耗 (当量, 万tce); ``min`` is inclusive and the
row with ``min: null`` is the band below the lowest one. A target printed "—"
(``null``) means that score is not available in the band: only the other one counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ..model import Dossier
from . import energy
from .result import Result, Source, coef, fmt, missing, pct

Prefer = Literal["reported", "computed"]


def _table(table: Any) -> dict[str, Any]:
    data = table.model_dump() if hasattr(table, "model_dump") else dict(table)
    for key in ("rows", "multiplier", "cap"):
        if data.get(key) is None:
            raise ValueError(f"节能量评分表缺少 {key}（lookup_tables.energy_saving.{key}）")
    return data


def band(table: Any, consumption_10k_tce: float) -> dict[str, Any]:
    """The row of the table for last year's consumption (万tce, 当量)."""
    rows = _table(table)["rows"]
    bounded = sorted((r for r in rows if r.get("min") is not None), key=lambda r: r["min"], reverse=True)
    for row in bounded:
        if consumption_10k_tce >= row["min"]:
            return row
    for row in rows:
        if row.get("min") is None:
            return row
    raise ValueError("节能量评分表没有最低一档（min: null）")


def score(
    table: Any,
    *,
    last_year_consumption_10k_tce: float | None,
    annual_saving_10k_tce: float | None = None,
    saving_rate_pct: float | None = None,
) -> Result:
    """The energy-saving score (分).

    ``last_year_consumption_10k_tce``: 上年度综合能耗, 当量, 万tce; ``annual_saving_10k_tce``:
    项目实际年节能量, 等价, 万tce; ``saving_rate_pct``: 综合年节能率, %.
    """
    t = _table(table)
    annex = t.get("annex") or "节能量评分表"
    m, cap = float(t["multiplier"]), float(t["cap"])
    name = f"项目节能量、综合节能率得分（{annex}）"
    if last_year_consumption_10k_tce is None:
        return missing(name, "分", "上年度综合能耗（当量值，万tce）")
    if last_year_consumption_10k_tce < 0:
        return missing(name, "分", "上年度综合能耗不能为负数")
    row = band(t, last_year_consumption_10k_tce)
    saving_target, rate_target = row.get("saving_target"), row.get("rate_target")
    source = Source(
        f"档次 {row['label']}：项目年节能量目标 {'—' if saving_target is None else coef(saving_target)} 万tce，"
        f"综合节能率目标 {'—' if rate_target is None else coef(rate_target)}%；× {coef(m)}，最高 {coef(cap)} 分",
        f"{annex}《{t.get('title') or '项目节能量、综合节能率评分表'}》（方案数据 lookup_tables.energy_saving）",
        "verified",
    )
    head = f"上年度综合能耗 {fmt(last_year_consumption_10k_tce)} 万tce（当量）→ 档次 {row['label']}"
    parts: list[Result] = []
    lines: list[str] = []
    why_not: list[str] = []

    def sub(label: str, actual: float | None, target: float | None, unit: str, field: str) -> None:
        if target is None:
            why_not.append(f"本档{label}目标为“—”，不计{label}得分")
            lines.append(f"{label}得分：本档目标为“—”，不计")
            return
        if actual is None:
            why_not.append(f"缺少{label}（{field}）")
            lines.append(f"{label}得分：未提供{label}")
            return
        value = actual / target * m
        shown = f"{fmt(actual)} ÷ {coef(target)}" if unit == "万tce" else f"{pct(actual)} ÷ {coef(target)}%"
        parts.append(Result(name=f"{label}得分", value=value, unit="分", formula=f"{shown} × {coef(m)} = {fmt(value)} 分"))
        lines.append(f"{label}得分 = {shown} × {coef(m)} = {fmt(value)}")

    sub("项目节能量", annual_saving_10k_tce, saving_target, "万tce", "项目实际年节能量，等价值，万tce")
    sub("综合节能率", saving_rate_pct, rate_target, "%", "综合年节能率，%")
    extra = {"band": row["label"], "saving_target": saving_target, "rate_target": rate_target,
             "multiplier": m, "cap": cap}
    if not parts:
        return Result(name=name, value=None, unit="分", formula=f"{head}；" + "；".join(lines),
                      sources=(source,), missing=tuple(why_not), extra=extra)
    best = max(p.value for p in parts)  # type: ignore[type-var]
    notes = [w for w in why_not if "“—”" in w]
    if best < 0:
        notes.append("节能量（率）为负，按 0 分计")
    points = min(max(best, 0.0), cap)
    tail = f"取高 {fmt(best)}" if len(parts) > 1 else f"得分 {fmt(best)}"
    if best > cap:
        tail += f"，超过上限 {coef(cap)}（{annex} 注3）"
    return Result(
        name=name, value=points, unit="分",
        formula=f"{head}；" + "；".join(lines) + f"；{tail} → {fmt(points)} 分",
        sources=(source,), notes=tuple(notes), parts=tuple(parts), extra=extra,
    )


# --- from a dossier ----------------------------------------------------------------------


def _in_year(start: dt.date | None, end: dt.date | None, year: int) -> bool:
    first, last = start or end, end or start
    return first is not None and last is not None and first <= dt.date(year, 12, 31) and last >= dt.date(year, 1, 1)


def annual_saving(dossier: Dossier, year: int | None = None) -> Result:
    """项目实际年节能量 (tce, 等价): Σ ``energy_saving_tce`` of the 节能提效 projects carried
    out in ``year`` (default: last year). Projects of category 零碳/负碳 are not 节能提效."""
    year = year or dossier.last_year
    name = f"{year}年节能提效项目年节能量（等价值）"
    counted, skipped = [], []
    for p in dossier.projects:
        if not _in_year(p.start, p.end, year):
            continue
        if p.category in ("零碳", "负碳"):
            skipped.append(f"{p.name}（{p.category}项目）")
        elif p.energy_saving_tce is None:
            skipped.append(f"{p.name}（未填节能量）")
        else:
            counted.append(p)
    notes = (f"未计入：{'；'.join(skipped)}",) if skipped else ()
    if not counted:
        return missing(name, "tce", f"{year}年实施的节能提效项目的年节能量（projects[].energy_saving_tce）", notes=notes)
    value = sum(float(p.energy_saving_tce) for p in counted)  # type: ignore[arg-type]
    return Result(
        name=name, value=value, unit="tce",
        formula=f"{name} = {' + '.join(fmt(p.energy_saving_tce) for p in counted)} = {fmt(value)} tce",
        sources=(Source(f"{fmt(value)} tce", "档案 projects[].energy_saving_tce（节能量审核报告）", "reported"),),
        notes=notes, extra={"projects": [p.name for p in counted]},
    )


def score_dossier(
    dossier: Dossier,
    table: Any,
    *,
    saving_rate_pct: float | None = None,
    prefer: Prefer = "reported",
    **energy_options,
) -> Result:
    """The score of a dossier: last year's 综合能耗 (当量) picks the band, the projects of
    last year give the saving. The seed gives no formula for 综合年节能率: it is the rate the
    applicant states (``years.<last>.energy_saving_rate_pct``), or ``saving_rate_pct``."""
    year = dossier.last_year
    if saving_rate_pct is None:
        saving_rate_pct = dossier.year(year).energy_saving_rate_pct
    consumption = energy.consumption_tce(dossier.year(year), basis="当量", prefer=prefer, **energy_options)
    saving = annual_saving(dossier, year)
    result = score(
        table,
        last_year_consumption_10k_tce=consumption.value / 10000 if consumption.ok else None,  # type: ignore[operator]
        annual_saving_10k_tce=saving.value / 10000 if saving.ok else None,  # type: ignore[operator]
        saving_rate_pct=saving_rate_pct,
    )
    gaps = (*consumption.missing, *(g for g in result.missing if g not in consumption.missing))
    inputs = [f"{year}年综合能耗 {fmt(consumption.value)} tce（当量）"] if consumption.ok else []
    if saving.ok:
        inputs.append(f"项目年节能量 {fmt(saving.value)} tce（等价）")
    formula = result.formula + (f"（{'；'.join(inputs)}；1 万tce = 10000 tce）" if inputs else "")
    return Result(
        name=result.name, value=result.value, unit=result.unit, formula=formula,
        sources=result.sources, missing=gaps if result.value is None else (), notes=(*result.notes, *saving.notes),
        parts=(*result.parts, consumption, saving), extra=result.extra,
    )
