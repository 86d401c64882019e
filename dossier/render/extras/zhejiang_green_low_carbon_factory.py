"""Figures of the Zhejiang green low-carbon factory forms (the template name ``x``).

附件4 动态管理表, 三、1 绩效指标提升情况, compares each 指标涉及的参数 at listing time
(列入名单时指标情况) with the last window year's (“2022年指标情况” in the 2023 round).
The listing-time column is ``d.listing.values``: fixed once the factory is listed and kept
unchanged by every later year's dossier. Its keys are :data:`LISTING_KEYS` — the form's
参数 cells as printed, without their units and fill-in instructions — plus
``单位产品或产值<污染物>产生量`` for the pollutants a factory adds (表中“有其他污染物自行添加”).
:func:`year_values` computes the same keys from one year's data, in the same units, so
the year a factory is listed its figures can be frozen into ``listing.values`` as they are.

Units (those of the form; the 原料/洁净化 rows are per unit of the basis, see :func:`basis`):

=====================================  ==========================================
用地面积                                亩 (用地面积 m² ÷ 666.67)
产值 / 工业增加值                       万元
单位用地面积产值                        万元/亩
能源消耗总量                            tce (综合能耗, 当量值)
碳排放总量                              tCO2e (类别1+类别2; the form prints “tce”)
单位工业增加值能耗                      tce/万元
单位工业增加值碳排放量                  tCO2e/万元 (the form prints “tce/万元”)
产品产量                                the basis unit (产品产量, or 产值 in 万元)
单位产品或产值主要原材料1/2/3消耗量     material unit per basis unit (raw_materials 1–3 in order)
单位产品或产值废水产生量                t per basis unit
单位产品或产值氨氮/COD/SO2/NOX产生量    kg per basis unit
=====================================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ...figures import Figures
from ...model import Dossier, Project, YearData

MU_M2 = 10000 / 15  # 1 亩 = 666.67 m²

# 附件4 三、1 指标涉及的参数, in the form's order (用地集约化 → 能源低碳化 → 原料节约化 → 生产洁净化).
LISTING_KEYS: tuple[str, ...] = (
    "用地面积", "产值", "单位用地面积产值",
    "工业增加值", "能源消耗总量", "碳排放总量", "单位工业增加值能耗", "单位工业增加值碳排放量",
    "产品产量", "单位产品或产值主要原材料1消耗量", "单位产品或产值主要原材料2消耗量", "单位产品或产值主要原材料3消耗量",
    "单位产品或产值废水产生量", "单位产品或产值氨氮产生量", "单位产品或产值COD产生量",
    "单位产品或产值SO2产生量", "单位产品或产值NOX产生量",
)
OTHER_POLLUTANT = "单位产品或产值{}产生量"  # the key of a pollutant the factory adds
_POLLUTANT_KEYS = {"ammonia": "单位产品或产值氨氮产生量", "cod": "单位产品或产值COD产生量",
                   "so2": "单位产品或产值SO2产生量", "nox": "单位产品或产值NOX产生量"}
MAX_PROJECTS = 5  # 附件4 三、2：“最多填写 5项”


@dataclass
class Basis:
    """What the per-unit rows are per: the product output, or the output value (万元)."""

    name: str  # 塑料收纳箱 / 产值
    unit: str  # 万只 / 万元
    amount: float

    @property
    def label(self) -> str:
        """As the form's example writes it: 储水桶/万只."""
        return f"{self.name}/{self.unit}"


@dataclass
class Material:
    name: str
    unit: str  # t/万只

    @property
    def label(self) -> str:
        """As the form's example writes it: PP（吨/万只）."""
        return f"{self.name}（{self.unit}）"


@dataclass
class OtherPollutant:
    name: str
    key: str
    listing: Any
    current: float | None


@dataclass
class FactoryFigures:
    listing: dict[str, Any]  # every LISTING_KEYS key (None when not given) + other pollutants
    current: dict[str, Any]  # the same keys for the last window year
    units: dict[str, str]  # the unit of each per-unit key for the last year's basis: "t/万只"
    basis: Basis | None
    materials: list[Material | None]  # raw materials 1–3 of the last year (None where absent)
    other_pollutants: list[OtherPollutant]
    projects: list[Project]
    basic_met: bool | None
    bonus_weight: float | None
    output_value_yi: dict[int, float | None]  # 工业总产值 in 亿元 per window year
    mu_recent: list[tuple[int, str | None]]  # 亩均绩效（近两年）: two (year, grade)
    carbon_latest: tuple[int, str | None]  # 碳效评价等级: (year, grade) of the latest graded year
    honour_names: list[str] = field(default_factory=list)  # 主要荣誉 ticked by name
    cert_kinds: list[str] = field(default_factory=list)  # 体系认证 ticked by kind (quality, …)
    references: list[str] = field(default_factory=list)  # evidence files cited by the answers
    listed_evidence: list[int] = field(default_factory=list)  # nos of 附件6-1 §五's own list (not derived)


def basis(data: YearData) -> Basis | None:
    """The unit the per-unit rows use: the product output when every product shares one
    unit (summed), else the output value in 万元 (the form allows either: “填写产品名称及
    单位或者产值”)."""
    product_units = {p.unit for p in data.production}
    if data.production and len(product_units) == 1:
        name = "、".join(p.name for p in data.production)
        return Basis(name, product_units.pop(), sum(float(p.amount) for p in data.production))
    if data.output_value:
        return Basis("产值", "万元", float(data.output_value))
    return None


def _per(amount: float | None, base: Basis | None, scale: float = 1.0) -> float | None:
    if amount is None or base is None or not base.amount:
        return None
    return float(amount) * scale / base.amount


def _div(a: Any, b: Any) -> float | None:
    a = getattr(a, "value", a)
    b = getattr(b, "value", b)
    return None if a is None or not b else float(a) / float(b)


def year_values(dossier: Dossier, year: int, figures: Figures | None = None) -> dict[str, Any]:
    """The 附件4 三、1 parameters of one year, keyed as ``listing.values`` (units above)."""
    data = dossier.year(year)
    fig = (figures or Figures(dossier))[year]
    base = basis(data)
    mu = data.land_area_m2 / MU_M2 if data.land_area_m2 else None
    energy, carbon = fig.energy_tce.value, fig.scope12.value
    values: dict[str, Any] = {
        "用地面积": mu,
        "产值": data.output_value,
        "单位用地面积产值": _div(data.output_value, mu),
        "工业增加值": data.value_added,
        "能源消耗总量": energy,
        "碳排放总量": carbon,
        "单位工业增加值能耗": _div(energy, data.value_added),
        "单位工业增加值碳排放量": _div(carbon, data.value_added),
        "产品产量": base.amount if base else None,
    }
    for i in range(3):
        material = data.raw_materials[i] if i < len(data.raw_materials) else None
        values[f"单位产品或产值主要原材料{i + 1}消耗量"] = _per(material.amount if material else None, base)
    values["单位产品或产值废水产生量"] = _per(data.wastewater_t, base)
    for attr, key in _POLLUTANT_KEYS.items():
        values[key] = _per(getattr(data.pollutants, attr), base, 1000)  # t → kg
    for name, amount in data.pollutants.other.items():
        values[OTHER_POLLUTANT.format(name)] = _per(amount, base, 1000)
    return values


def _materials(data: YearData, base: Basis | None) -> list[Material | None]:
    out: list[Material | None] = []
    for i in range(3):
        if i < len(data.raw_materials):
            m = data.raw_materials[i]
            out.append(Material(m.name, f"{m.unit}/{base.unit}" if base else m.unit))
        else:
            out.append(None)
    return out


def _other_pollutants(dossier: Dossier, current: dict[str, Any]) -> list[OtherPollutant]:
    """The pollutants beyond 氨氮/COD/SO2/NOX: this year's, then those only listed at listing time."""
    names = list(dossier.year(dossier.last_year).pollutants.other)
    prefix, suffix = OTHER_POLLUTANT.split("{}")
    for key in dossier.listing.values:
        if key.startswith(prefix) and key.endswith(suffix) and key not in LISTING_KEYS:
            name = key[len(prefix):len(key) - len(suffix)]
            if name and name not in names:
                names.append(name)
    return [OtherPollutant(n, OTHER_POLLUTANT.format(n), dossier.listing.values.get(OTHER_POLLUTANT.format(n)),
                           current.get(OTHER_POLLUTANT.format(n))) for n in names]


def projects_since_listing(dossier: Dossier) -> list[Project]:
    """附件4 三、2: the projects completed since listing, at most five — the ones with the
    largest effect (reduction, else energy saving) when there are more — in date order."""
    since = dossier.listing.year
    done = [p for p in dossier.projects if since is None or p.end is None or p.end.year >= since]
    if len(done) > MAX_PROJECTS:
        ranked = sorted(done, key=lambda p: (p.reduction_tco2e or 0, p.energy_saving_tce or 0), reverse=True)
        keep = {id(p) for p in ranked[:MAX_PROJECTS]}
        done = [p for p in done if id(p) in keep]
    return sorted(done, key=lambda p: (p.start or p.end or _far(), p.name))


def _far() -> Any:
    import datetime as dt

    return dt.date.max


def basic_met(loaded: Any, report: Any) -> bool | None:
    """基本要求满足情况: the scoring engine's ``basic`` threshold when it has one, else the
    answers — every row 符合 (a conditional row may be 不适用); None while any is unanswered."""
    for t in getattr(report, "thresholds", None) or []:
        if t.id == "basic":
            return t.passed
    unknown = False
    for bc in loaded.scheme.basic_conditions:
        answer = loaded.dossier.basic_conditions.get(bc.id)
        status = answer.status if answer else None
        if status is None:
            unknown = True
        elif status == "不适用" and bc.applicable_only or status == "符合":
            continue
        else:
            return False
    return None if unknown else True


def references(dossier: Dossier, rows: list[Any] | None = None) -> list[str]:
    """The evidence files the tables cite (附表2.1–2.3 证明材料索引), each once, in folder
    order: those of ``rows`` (the form's own rows — the evaluator's checked evidence on the
    evaluator's report), else those of the self-assessment."""
    if rows is not None:
        paths = {ref for row in rows for ref in row.answer.evidence}
    else:
        paths = {ref for group in (dossier.basic_conditions, dossier.indicators, dossier.bonus)
                 for answer in group.values() for ref in answer.evidence}
    return [PurePosixPath(p).name for p in sorted(paths)]


def _latest_graded(dossier: Dossier, attr: str) -> int:
    """The year whose grade the forms show: the last window year, or — 表注*: “如申报时
    …年度数据未出，则填写已有的最新年度数据并注明” — the latest window year that has one."""
    graded = [y for y in dossier.window if getattr(dossier.year(y), attr)]
    return graded[-1] if graded else dossier.last_year


def _grades(dossier: Dossier, attr: str, n: int) -> list[tuple[int, str | None]]:
    """``n`` consecutive years ending with :func:`_latest_graded`, with their grades."""
    end = _latest_graded(dossier, attr)
    return [(y, getattr(dossier.year(y), attr)) for y in range(end - n + 1, end + 1)]


def units(data: YearData, base: Basis | None, others: list[str]) -> dict[str, str]:
    """The units of the keys of :func:`year_values` on this basis ("" where the form's
    label carries the unit, or without a basis); ``others``: the added pollutants."""
    out = {key: "" for key in LISTING_KEYS} | {OTHER_POLLUTANT.format(n): "" for n in others}
    if base is None:
        return out
    out["产品产量"] = base.unit
    for i, m in enumerate(data.raw_materials[:3], 1):
        out[f"单位产品或产值主要原材料{i}消耗量"] = f"{m.unit}/{base.unit}"
    out["单位产品或产值废水产生量"] = f"t/{base.unit}"
    for key in _POLLUTANT_KEYS.values():
        out[key] = f"kg/{base.unit}"
    for name in others:
        out[OTHER_POLLUTANT.format(name)] = f"kg/{base.unit}"
    return out


def build(loaded: Any, builder: Any) -> FactoryFigures:
    d = loaded.dossier
    figures = builder.get("fig")
    current = year_values(d, d.last_year, figures)
    last = d.year(d.last_year)
    base = basis(last)
    listing = {key: d.listing.values.get(key) for key in LISTING_KEYS} | dict(d.listing.values)
    bonus_scoring = loaded.scheme.bonus_scoring
    others = _other_pollutants(d, current)
    return FactoryFigures(
        listing=listing,
        current=current,
        units=units(last, base, [o.name for o in others]),
        basis=base,
        materials=_materials(last, base),
        other_pollutants=others,
        projects=projects_since_listing(d),
        basic_met=basic_met(loaded, builder.get("score")),
        bonus_weight=getattr(bonus_scoring, "weight", None) if bonus_scoring else None,
        output_value_yi={y: d.year(y).output_value / 10000 if d.year(y).output_value is not None else None
                         for y in d.window},
        mu_recent=_grades(d, "mu_performance_grade", 2),
        carbon_latest=_grades(d, "carbon_efficiency_grade", 1)[0],
        honour_names=[h.name for h in d.subject.honours],
        cert_kinds=[c.kind for c in d.subject.certifications],
        references=references(d, [*builder.get("basic_rows"), *builder.get("indicator_rows"),
                                  *builder.get("bonus_rows")]),
        listed_evidence=[e.no for e in loaded.scheme.evidence_list if not e.derived],
    )


def improvement_values(loaded: Any, year: int) -> dict[str, Any]:
    """The 持续改进情况 rows of one year for ``dossier diff`` (dossier/programmes.py)."""
    return year_values(loaded.dossier, year)
