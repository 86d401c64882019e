"""The figures a rule's ``metric`` names (``renewable_share`` …), computed from the dossier.

Each metric is a function of the scoring :class:`~dossier.scoring.context.Context`
returning a :class:`Figure`: the value (a number, or a grade such as ``"A"``), its unit,
the formula with figures filled in, and — when it cannot be computed — what is missing.
Rules read the figure of the last year of the window (上年度) unless the metric says
otherwise. The names are declared in :data:`dossier.vocabulary.METRICS`, so a typo in
a scheme file fails when the file loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import vocabulary
from ..calc import energy
from ..calc.result import Result, fmt, pct
from .context import Context


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | str | None
    unit: str = ""
    formula: str = ""
    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None

    def number(self, unit: str | None = None) -> float:
        """The value in the rule's unit: a % figure read by a ``ratio`` rule is divided by 100."""
        if not isinstance(self.value, (int, float)):
            raise TypeError(f"{self.label} is not a number: {self.value!r}")
        if self.unit == "%" and unit == "ratio":
            return self.value / 100
        if self.unit == "ratio" and unit == "%":
            return self.value * 100
        return float(self.value)

    def shown(self) -> str:
        if self.value is None:
            return "—"
        if isinstance(self.value, str):
            return self.value
        if self.unit == "%":
            return pct(self.value)
        if self.unit == "ratio":
            return pct(self.value * 100)
        return f"{fmt(self.value)}{' ' + self.unit if self.unit and self.unit != '年' else self.unit}"


def _from_result(result: Result, label: str | None = None) -> Figure:
    return Figure(label=label or result.name, value=result.value, unit=result.unit,
                  formula=result.formula, missing=result.missing)


def _year_figure(name: str, label: str) -> Callable[[Context], Figure]:
    def compute(ctx: Context) -> Figure:
        figure = _from_result(ctx.figures[ctx.year].get(name), f"{ctx.year}年{label}")
        return figure
    compute.__doc__ = f"{label}, last year of the window (dossier.figures: {name})."
    return compute


def plot_ratio_vs_requirement(ctx: Context) -> Figure:
    """容积率 ÷ the 《工业项目建设用地控制指标》 requirement of the industry: the requirement
    is not a dossier field, so the figure is never computed (the claim decides)."""
    plot = ctx.figures[ctx.year].plot_ratio
    shown = f"（本单位容积率 {fmt(plot.value)}）" if plot.ok else ""
    return Figure(
        label=f"{ctx.year}年容积率与《工业项目建设用地控制指标》要求值之比", value=None, unit="倍",
        missing=(f"所属行业的容积率要求值（《工业项目建设用地控制指标》，档案中无此字段）{shown}",),
    )


def near_zero_commitment_years(ctx: Context) -> Figure:
    """承诺年限 n = carbon.target_year − reporting_year (Suzhou 近零碳 I03 notes)."""
    d = ctx.dossier
    label = "承诺实现近零碳排放的年限"
    if d.carbon.target_year is None:
        return Figure(label=label, value=None, unit="年", missing=("承诺实现近零碳排放的年份（carbon.target_year）",))
    n = d.carbon.target_year - d.reporting_year
    return Figure(label=label, value=float(n), unit="年",
                  formula=f"{d.carbon.target_year} − {d.reporting_year}（申报年度）= {n} 年")


def energy_zero_carbon_ratio(ctx: Context) -> Figure:
    """能源层面零碳比例 (Suzhou 近零碳 I39 notes): (可再生能源消费量 + 当年绿证电量折标煤)
    ÷ 综合能耗, 当量值, at most 100 %."""
    year = ctx.year
    data = ctx.dossier.year(year)
    label = f"{year}年能源层面零碳比例"
    renewable = energy.renewable_consumption_tce(data)
    total = energy.consumption_tce(data)
    if not (renewable.ok and total.ok) or not total.value:
        gaps = (*renewable.missing, *total.missing) or ("综合能耗为 0",)
        return Figure(label=label, value=None, unit="%", missing=gaps)
    certificates = [o for o in ctx.dossier.offsets if o.type == "绿证" and o.year == year and o.quantity_mwh]
    mwh = sum(float(o.quantity_mwh) for o in certificates)  # type: ignore[arg-type]
    gec = energy.carrier_tce("electricity_grid", mwh) if mwh else None
    gec_tce = gec.value if gec is not None and gec.ok else 0.0
    value = min((renewable.value + gec_tce) / total.value * 100, 100.0)  # type: ignore[operator]
    gec_text = f" + 绿证 {fmt(mwh)} MWh 折 {fmt(gec_tce)} tce" if mwh else ""
    return Figure(
        label=label, value=value, unit="%",
        formula=(f"(可再生能源 {fmt(renewable.value)} tce{gec_text}) ÷ 综合能耗 {fmt(total.value)} tce × 100%"
                 f" = {pct(value)}（当量值）"),
    )


def resource_intensive_grade(ctx: Context) -> Figure:
    """苏州市工业企业资源集约利用评价等级 of the latest year that has one."""
    for year in sorted(ctx.dossier.window, reverse=True):
        grade = ctx.dossier.year(year).resource_intensive_grade
        if grade:
            return Figure(label=f"{year}年资源集约利用评价等级", value=grade.strip().upper().replace("级", ""),
                          formula=f"{year}年评价等级 {grade}")
    return Figure(label="资源集约利用评价等级", value=None,
                  missing=("资源集约利用评价等级（years.<年份>.resource_intensive_grade）",))


METRICS: dict[str, Callable[[Context], Figure]] = {
    "renewable_share": _year_figure("renewable_share", "可再生能源消费占比（当量值）"),
    "solid_waste_utilization_rate": _year_figure("solid_waste_utilization_rate", "工业固体废物综合利用率"),
    "building_density": _year_figure("building_density", "建筑密度"),
    "green_material_rate": _year_figure("green_material_rate", "绿色物料使用率"),
    "plot_ratio_vs_requirement": plot_ratio_vs_requirement,
    "near_zero_commitment_years": near_zero_commitment_years,
    "energy_zero_carbon_ratio": energy_zero_carbon_ratio,
    "resource_intensive_grade": resource_intensive_grade,
}
vocabulary.require_implemented("metrics", METRICS)


def metric(ctx: Context, name: str) -> Figure:
    return METRICS[name](ctx)
