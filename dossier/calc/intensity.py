"""Shares, intensities and their change over the years.

* renewable share of total energy (%), on the 当量 basis unless asked otherwise;
* energy and carbon per unit product, per 万元 output value, per 万元 value added;
* year-on-year change (%), and the three-year average decline rate
  1 − (last ÷ first)^(1/(n−1)) (geometric, n = number of years).
"""

from __future__ import annotations

from typing import Callable, Literal, Mapping

from ..model import YearData
from . import energy, ghg
from .result import Result, Source, fmt, missing, missing_from, pct, ratio

Prefer = Literal["reported", "computed"]


def renewable_share(data: YearData, *, basis: energy.Basis = "当量", prefer: Prefer = "reported", **options) -> Result:
    """可再生能源消费占比 (%) = 可再生能源消费量 ÷ 综合能耗 × 100% (both in tce, same basis)."""
    name = f"可再生能源消费占比（{basis}值）"
    renewable = energy.renewable_consumption_tce(data, basis=basis, prefer=prefer, **options)
    total = energy.consumption_tce(data, basis=basis, prefer=prefer, **options)
    if not (renewable.ok and total.ok):
        return missing_from(name, "%", renewable, total)
    if total.value == 0:
        return missing(name, "%", "综合能耗为 0", parts=(renewable, total))
    value = renewable.value / total.value * 100  # type: ignore[operator]
    notes = []
    if _is_reported(renewable) != _is_reported(total):
        notes.append("分子、分母一为报表数、一为计算值")
    return Result(
        name=name, value=value, unit="%",
        formula=f"{fmt(renewable.value)} tce ÷ {fmt(total.value)} tce × 100% = {pct(value)}",
        notes=tuple(notes), parts=(renewable, total),
    )


def _is_reported(result: Result) -> bool:
    return any(s.status == "reported" for s in result.sources)


# --- denominators ------------------------------------------------------------------------


def product_output(data: YearData, product: str | None = None) -> Result:
    """Q, 合格产品产量 in the product's unit: the named product, or the sum of all
    products when they share one unit (the note says so)."""
    name = f"产品产量（{product}）" if product else "产品产量"
    rows = data.production
    if product:
        rows = [p for p in rows if p.name == product]
        if not rows:
            known = "、".join(p.name for p in data.production) or "无"
            return missing(name, "", f"产品 {product!r} 的产量（已有：{known}）")
    if not rows:
        return missing(name, "", "主要产品产量（years.<年份>.production）")
    units = {p.unit for p in rows}
    if len(units) > 1:
        listing = "、".join(f"{p.name}（{p.unit}）" for p in rows)
        return missing(name, "", f"产品计量单位不同（{listing}），需指定产品（product=）或分摊后计算")
    unit = units.pop()
    value = sum(float(p.amount) for p in rows)
    if len(rows) == 1:
        formula = f"{rows[0].name} {fmt(value)} {unit}"
        notes: tuple[str, ...] = ()
    else:
        formula = " + ".join(f"{fmt(p.amount)}" for p in rows) + f" = {fmt(value)} {unit}"
        notes = (f"按各产品产量合计（{'、'.join(p.name for p in rows)}，同一计量单位）",)
    return Result(name=name, value=value, unit=unit, formula=formula, notes=notes,
                  sources=(Source(f"{fmt(value)} {unit}", "档案 production（统计报表 B204-1）", "reported"),))


def _money(data: YearData, field: str, label: str) -> Result:
    value = getattr(data, field)
    if value is None:
        return missing(label, "万元", f"{label}（years.<年份>.{field}，万元）")
    return Result(name=label, value=float(value), unit="万元", formula=f"{label} {fmt(value)} 万元",
                  sources=(Source(f"{fmt(value)} 万元", f"档案 {field}", "reported"),))


# --- energy intensities ------------------------------------------------------------------


def energy_per_output_value(data: YearData, *, basis: energy.Basis = "当量", prefer: Prefer = "reported", **options) -> Result:
    """单位产值综合能耗 (tce/万元)."""
    total = energy.consumption_tce(data, basis=basis, prefer=prefer, **options)
    return ratio(f"单位产值综合能耗（{basis}值）", total, _money(data, "output_value", "工业总产值"), "tce/万元")


def energy_per_value_added(data: YearData, *, basis: energy.Basis = "当量", prefer: Prefer = "reported", **options) -> Result:
    """单位工业增加值综合能耗 (tce/万元)."""
    total = energy.consumption_tce(data, basis=basis, prefer=prefer, **options)
    return ratio(f"单位工业增加值综合能耗（{basis}值）", total, _money(data, "value_added", "工业增加值"), "tce/万元")


def energy_per_product(
    data: YearData, product: str | None = None, *, basis: energy.Basis = "当量", prefer: Prefer = "reported", **options
) -> Result:
    """单位产品综合能耗 e = E ÷ Q (tce per product unit), GB/T 36132 附录A."""
    q = product_output(data, product)
    total = energy.consumption_tce(data, basis=basis, prefer=prefer, **options)
    return ratio(f"单位产品综合能耗（{basis}值）", total, q, f"tce/{q.unit}" if q.ok else "tce/单位产品")


# --- carbon intensities ------------------------------------------------------------------


def carbon_per_output_value(data: YearData, year: int, *, prefer: Prefer = "reported", **options) -> Result:
    """单位产值碳排放量 (tCO2e/万元), 类别1+类别2."""
    c = ghg.scope12_tco2e(data, year, prefer=prefer, **options)
    return ratio("单位产值碳排放量", c, _money(data, "output_value", "工业总产值"), "tCO2e/万元")


def carbon_per_value_added(data: YearData, year: int, *, prefer: Prefer = "reported", **options) -> Result:
    """单位工业增加值碳排放量 (tCO2e/万元), 类别1+类别2."""
    c = ghg.scope12_tco2e(data, year, prefer=prefer, **options)
    return ratio("单位工业增加值碳排放量", c, _money(data, "value_added", "工业增加值"), "tCO2e/万元")


def carbon_per_product(data: YearData, year: int, product: str | None = None, *, prefer: Prefer = "reported", **options) -> Result:
    """单位产品碳排放量 c = C ÷ Q (tCO2e per product unit), 类别1+类别2, GB/T 36132 附录A."""
    q = product_output(data, product)
    c = ghg.scope12_tco2e(data, year, prefer=prefer, **options)
    return ratio("单位产品碳排放量", c, q, f"tCO2e/{q.unit}" if q.ok else "tCO2e/单位产品")


# --- change over the years ----------------------------------------------------------------


def _as_result(value: Result | float | None, label: str) -> Result:
    if isinstance(value, Result):
        return value
    if value is None:
        return missing(label, "", label)
    return Result(name=label, value=float(value), unit="")


def year_on_year(current: Result | float | None, previous: Result | float | None, *, name: str = "同比变化") -> Result:
    """(current − previous) ÷ previous × 100% — negative when the figure fell."""
    cur = _as_result(current, "本年数")
    prev = _as_result(previous, "上年数")
    if not (cur.ok and prev.ok):
        return missing_from(name, "%", cur, prev)
    if prev.value == 0:
        return missing(name, "%", "上年数为 0，无法计算变化率", parts=(cur, prev))
    value = (cur.value - prev.value) / prev.value * 100  # type: ignore[operator]
    return Result(
        name=name, value=value, unit="%",
        formula=f"({fmt(cur.value)} − {fmt(prev.value)}) ÷ {fmt(prev.value)} × 100% = {pct(value)}",
        parts=(cur, prev),
    )


def average_decline_rate(series: Mapping[int, Result | float | None], *, name: str = "年均下降率") -> Result:
    """Geometric average yearly decline (%): 1 − (last ÷ first)^(1/(n−1)), n = years spanned.

    A rise gives a negative rate. The first and last year must have figures; a gap in
    between does not change the result (the note says so).
    """
    if len(series) < 2:
        return missing(name, "%", "至少两个年度的数值")
    years = sorted(series)
    first_year, last_year = years[0], years[-1]
    first = _as_result(series[first_year], f"{first_year}年数值")
    last = _as_result(series[last_year], f"{last_year}年数值")
    if not (first.ok and last.ok):
        return missing_from(name, "%", first, last)
    if first.value <= 0 or last.value < 0:  # type: ignore[operator]
        return missing(name, "%", "首年数值须为正数、末年不为负数", parts=(first, last))
    n = last_year - first_year + 1
    value = (1 - (last.value / first.value) ** (1 / (n - 1))) * 100  # type: ignore[operator]
    gaps = [y for y in years[1:-1] if not _as_result(series[y], str(y)).ok]
    notes = (f"{'、'.join(map(str, gaps))}年缺数，不影响首末年计算",) if gaps else ()
    return Result(
        name=name, value=value, unit="%",
        formula=(
            f"[1 − ({fmt(last.value)} ÷ {fmt(first.value)})^(1/{n - 1})] × 100% = {pct(value)}"
            f"（{first_year}—{last_year}年，n = {n}）"
        ),
        notes=notes, parts=(first, last),
    )


def over_years(years: list[int], get: Callable[[int], Result]) -> dict[int, Result]:
    """``{year: get(year)}`` — e.g. ``over_years(d.window, lambda y: energy_per_output_value(d.year(y)))``."""
    return {y: get(y) for y in years}
