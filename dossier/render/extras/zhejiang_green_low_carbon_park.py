"""Figures the Zhejiang park forms show that the generic context lacks (template name ``x``).

附件3 动态管理表, 一、基本信息 — per window year (``x.year[y]``)::

    产值（万元）                 output_value       years.<y>.output_value
    工业增加值（万元）            value_added        years.<y>.value_added
    综合能耗总量（tce）           energy_tce         reported energy_total_tce, else computed
    单位工业增加值能耗（tce/万元）  energy_intensity   综合能耗 ÷ 工业增加值
    工业用新鲜水量（m3）          water_fresh_m3     years.<y>.water_fresh_m3
    碳排放量（t）                emissions_t        类别1 + 类别2 (reported, else computed)
    单位增加值碳排放（t/万元）     carbon_intensity   碳排放量 ÷ 工业增加值

附件5-1 基本信息表 adds ``gdp_yi`` (地区生产总值, 亿元), ``value_added_yi`` (园区工业增加值,
亿元) and ``value_added_share`` (工业增加值占比, %).

附件3 三、持续改进情况 — ``x.listed`` (列入名单时指标值) and ``x.now`` (the last window year),
with the same fields (:class:`Improvement`). ``x.listed`` comes from ``listing.values`` in
dossier.yaml, fixed at listing time; its keys are the row names of the seed's table, units
left out (a trailing unit in brackets is accepted and ignored):

    工业增加值 · 可再生能源消耗量 · 单位工业增加值能耗 · 工业用新鲜水量 · 工业用地面积 ·
    工业固体废弃物综合利用率 · 碳排放量 · COD排放量 · 氨氮排放量 · 二氧化硫排放量 ·
    氮氧化物排放量 · 省级及以上绿色（低碳）工厂数量

附件5-1/5-2 评价结果 — ``x.gi[y]``, ``x.bonus[y]``, ``x.total[y]`` (each window year's 绿色指数,
加分项 and total score, from the scoring engine's ``extra``; None where it gives none) and
``x.basic_met`` (基本要求 符合 / 不符合 / unknown). 数据清单 — ``x.evidence[y][id]``: the evidence
files named for indicator ``id`` in year ``y`` ("a.pdf；b.pdf").

``x.leading_source``: the source of the 引领值 (printed under the result tables, e.g.
“示例值（仅用于演示）”); ``x.missing``: the parameters the 绿色指数 still lacks.

``x.park`` is ``subject.park`` (an empty one where the dossier has none, so that a form can
read ``x.park.level`` without failing); ``x.certs`` (体系认证 check boxes) and ``x.honours`` (主要荣誉 by level) fill 基本信息表.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ...calc.result import Result
from ...improvement import improvement_values
from ...loader import LoadedDossier
from ...model import ParkInfo, YearData

# listing.values key (seed row name without its unit) → Improvement field.
LISTING_KEYS: dict[str, str] = {
    "工业增加值": "value_added",
    "可再生能源消耗量": "renewable_tce",
    "单位工业增加值能耗": "energy_intensity",
    "工业用新鲜水量": "water_fresh_m3",
    "工业用地面积": "land_km2",
    "工业固体废弃物综合利用率": "solid_waste_rate",
    "碳排放量": "emissions_t",
    "COD排放量": "cod_t",
    "氨氮排放量": "ammonia_t",
    "二氧化硫排放量": "so2_t",
    "氮氧化物排放量": "nox_t",
    "省级及以上绿色（低碳）工厂数量": "green_factories",
}

# A unit in brackets at the end of a key: "工业增加值（万元）", "工业用地面积(km2)".
_TRAILING_UNIT = re.compile(r"[（(][^（）()]*[）)]$")

CERT_KINDS = ("quality", "environment", "ohs", "energy")


@dataclass
class YearRow:
    output_value: float | None = None
    value_added: float | None = None
    energy_tce: Result | float | None = None
    energy_intensity: Result | float | None = None
    water_fresh_m3: float | None = None
    emissions_t: Result | float | None = None
    carbon_intensity: Result | float | None = None
    gdp_yi: float | None = None
    value_added_yi: float | None = None
    value_added_share: float | None = None
    energy_industrial_tce: float | None = None
    energy_terminal_tce: float | None = None


@dataclass
class Improvement:
    """One column of 三、持续改进情况 (a value per row of the seed's table)."""

    value_added: Any = None
    renewable_tce: Any = None
    energy_intensity: Any = None
    water_fresh_m3: Any = None
    land_km2: Any = None
    solid_waste_rate: Any = None
    emissions_t: Any = None
    cod_t: Any = None
    ammonia_t: Any = None
    so2_t: Any = None
    nox_t: Any = None
    green_factories: Any = None


@dataclass
class Certs:
    quality: bool = False
    environment: bool = False
    ohs: bool = False
    energy: bool = False
    other: list[str] = field(default_factory=list)  # names of the other certificates

    @property
    def has_other(self) -> bool:
        return bool(self.other)


@dataclass
class ParkExtras:
    park: ParkInfo
    year: dict[int, YearRow]
    listed: Improvement
    now: Improvement
    gi: dict[int, float | None]
    bonus: dict[int, float | None]
    total: dict[int, float | None]
    basic_met: bool | None
    evidence: dict[int, dict[str, str]]
    certs: Certs
    honours: dict[str, list[str]]
    unknown_listing_keys: list[str]
    leading_source: str = ""  # where the 绿色指数 引领值 come from (printed beside the results)
    missing: list[str] = field(default_factory=list)  # what the 绿色指数 still lacks


def _ratio(num: float | None, den: float | None, scale: float = 1.0) -> float | None:
    if num is None or not den:
        return None
    return num / den * scale


def _value(x: Any) -> float | None:
    """A number, or None for anything else (a score the engine could not compute)."""
    x = x.value if isinstance(x, Result) else x
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _year_row(fig: Any, data: YearData) -> YearRow:
    va = data.value_added
    return YearRow(
        output_value=data.output_value,
        value_added=va,
        energy_tce=fig.energy_tce,
        energy_intensity=fig.energy_per_value_added,
        water_fresh_m3=data.water_fresh_m3,
        emissions_t=fig.scope12,
        carbon_intensity=fig.carbon_per_value_added,
        gdp_yi=_ratio(data.gdp, 10_000),
        value_added_yi=_ratio(va, 10_000),
        value_added_share=_ratio(va, data.gdp, 100),
        energy_industrial_tce=data.energy_industrial_tce,
        energy_terminal_tce=data.energy_terminal_tce,
    )


def _now(loaded: LoadedDossier, year: int, fig: Any) -> Improvement:
    """The year's figures of the scheme's improvement rows (dossier/improvement.py, as
    ``dossier diff`` compares them)."""
    values = improvement_values(loaded, year, fig)
    return Improvement(**{LISTING_KEYS[key]: value for key, value in values.items() if key in LISTING_KEYS})


def _listed(values: dict[str, Any]) -> tuple[Improvement, list[str]]:
    out, unknown = Improvement(), []
    for key, value in values.items():
        name = _TRAILING_UNIT.sub("", re.sub(r"\s+", "", key))
        attr = LISTING_KEYS.get(name)
        if attr is None:
            unknown.append(key)
        else:
            setattr(out, attr, value)
    return out, unknown


def _per_year(extra: dict[str, Any], years: list[int], *names: str) -> dict[int, float | None]:
    """A per-year figure from the scoring engine's ``extra``, whichever shape it uses:
    ``{"gi_by_year": {2023: 86.1}}``, ``{"gi": {"2023": 86.1}}`` or
    ``{"years": {2023: {"gi": 86.1}}}``. Missing → None (the cell stays blank)."""
    out: dict[int, float | None] = {y: None for y in years}
    for name in names:
        table = extra.get(name)
        if isinstance(table, dict):
            for y in years:
                if out[y] is None:
                    out[y] = _value(table.get(y, table.get(str(y))))
    by_year = extra.get("years") or extra.get("by_year")
    if isinstance(by_year, dict):
        for y in years:
            row = by_year.get(y, by_year.get(str(y)))
            if isinstance(row, dict):
                for name in names:
                    if out[y] is None:
                        out[y] = _value(row.get(name))
    return out


def _basic_met(loaded: LoadedDossier, report: Any) -> bool | None:
    """基本要求 符合/不符合: the scoring engine's "basic" threshold where it decides one;
    otherwise from the answers — any 不符合 fails, all answered without 不符合 passes."""
    for t in getattr(report, "thresholds", []) or []:
        if t.id == "basic" and t.passed is not None:
            return bool(t.passed)
    answers = [loaded.dossier.basic_conditions.get(c.id) for c in loaded.scheme.basic_conditions]
    statuses = [a.status if a else None for a in answers]
    if "不符合" in statuses:
        return False
    return True if statuses and None not in statuses else None


def _evidence(data: YearData) -> dict[str, str]:
    return {key: "；".join(PurePosixPath(f).name for f in files) for key, files in data.evidence.items()}


def _certs(loaded: LoadedDossier) -> Certs:
    certs = Certs()
    for c in loaded.dossier.subject.certifications:
        if c.kind in CERT_KINDS:
            setattr(certs, c.kind, True)
        else:
            certs.other.append(c.standard or c.number or c.kind)
    return certs


def _honours(loaded: LoadedDossier) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"国家级": [], "省级": [], "市级": []}
    for h in loaded.dossier.subject.honours:
        if h.level in out:  # the form has rows for 国家级/省级/市级 only
            out[h.level].append(f"{h.name}（{h.year}年）" if h.year else h.name)
    return out


def build(loaded: LoadedDossier, builder: Any) -> ParkExtras:
    d = loaded.dossier
    fig = builder.get("fig")
    report = builder.get("score")
    extra = getattr(report, "extra", None) or {}
    years = list(d.window)
    listed, unknown = _listed(d.listing.values)
    gi = _per_year(extra, years, "gi", "gi_by_year", "green_index")
    bonus = _per_year(extra, years, "bonus", "bonus_by_year")
    total = _per_year(extra, years, "total", "total_by_year")
    for y in years:  # 导则3.2.3–3.2.5: a year's score is its GI plus its bonus
        if total[y] is None and gi[y] is not None and bonus[y] is not None:
            total[y] = gi[y] + bonus[y]
    return ParkExtras(
        park=d.subject.park or ParkInfo(),
        year={y: _year_row(fig[y], d.year(y)) for y in years},
        listed=listed,
        now=_now(loaded, d.last_year, fig),
        gi=gi, bonus=bonus, total=total,
        basic_met=_basic_met(loaded, report),
        evidence={y: _evidence(d.year(y)) for y in years},
        certs=_certs(loaded),
        honours=_honours(loaded),
        unknown_listing_keys=unknown,
        leading_source=str(extra.get("leading_values_source") or ""),
        missing=list(extra.get("missing_parameters") or []) + list(extra.get("missing_bonus_points") or []),
    )

