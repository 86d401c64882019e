"""Greenhouse-gas emissions by category (GB/T 32150 / GB/T 32151.x), in tCO2(e).

* 类别1 (direct): fuel combustion E = FC × NCV × CC × OF × 44/12 with the default
  parameters per fuel of coefficients.yaml (a measured NCV overrides), plus process
  emissions the dossier gives, plus non-CO2 gases × GWP of the chosen set.
* 类别2 (imported energy): purchased electricity × the grid factor of the year
  (生态环境部、国家统计局; a later year falls back to the latest published, with a
  note), purchased heat × 0.11 tCO2/GJ, purchased steam converted to GJ first.
* 类别3: not computable from the dossier; the reported figure is passed through.

Grid factor scopes (``grid_scope``): ``national`` (全国电力平均, the default),
``national_excl_market`` (不包括市场化交易的非化石能源电量: market-traded green power is
then not multiplied), ``national_fossil``, ``east_china`` (华东区域; Suzhou's 近零碳 rule
recommends the East China factor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping

from ..model import YearData
from . import coefficients as co
from .result import Result, Source, coef, fmt, missing, missing_from

# Molar masses of CO2 and C (44/12): a conversion, not a sourced coefficient.
CO2_PER_C = 44 / 12
Prefer = Literal["reported", "computed"]


# --- factors ---------------------------------------------------------------------------


def grid_factor(year: int, scope: str = "national", *, grid_factor_tco2_per_mwh: float | None = None) -> Result:
    """The grid CO2 factor (tCO2/MWh) of ``year``: the published one, or the latest
    published for a later year (with a note). An earlier year has none: the result says so.

    ``grid_factor_tco2_per_mwh`` uses another factor (a provincial one, the verifier's).
    """
    table = co.grid_scope(scope)
    name = f"{year}年电网排放因子（{table['name']}）"
    if grid_factor_tco2_per_mwh is not None:
        return Result(
            name=name, value=float(grid_factor_tco2_per_mwh), unit="tCO2/MWh",
            formula=f"电网排放因子 = {coef(grid_factor_tco2_per_mwh)} tCO2/MWh（指定值）",
            sources=(Source(f"电网排放因子 {coef(grid_factor_tco2_per_mwh)} tCO2/MWh", "计算参数（指定值）", "parameter"),),
        )
    found = co.grid_value(scope, year)
    notes: list[str] = []
    used = year
    if found is None:
        years = co.grid_years(scope)
        if not years or year < years[0]:
            return missing(
                name, "tCO2/MWh",
                f"{year}年没有公布的{table['name']}（已收录：{'、'.join(map(str, years))}年），"
                "需以 grid_factor_tco2_per_mwh 参数给出核算采用的因子",
                notes=(table["note"],) if table.get("note") else (),
            )
        if year > years[-1]:
            used = years[-1]
        else:  # a gap inside the published years
            used = max(y for y in years if y < year)
        found = co.grid_value(scope, used)
        notes.append(f"{year}年因子尚未公布（或未收录），采用最新公布的{used}年因子")
    value, source = found  # type: ignore[misc]
    if source.status != "verified":
        notes.append(f"该因子为 {source.status}，待与公告原文核对")
    return Result(
        name=name, value=value, unit="tCO2/MWh",
        formula=f"{used}年{table['name']} = {coef(value)} tCO2/MWh",
        sources=(source,), notes=tuple(notes), extra={"year_used": used, "scope": scope},
    )


# --- 类别1 ------------------------------------------------------------------------------


def fuel_combustion(carrier_id: str, amount: float, *, measured_ncv: Mapping[str, float] | None = None) -> Result:
    """CO2 (tCO2) of burning ``amount`` (carrier unit) of one fuel."""
    info = co.carrier(carrier_id)
    label, unit = info["name"], info["unit"]
    name = f"{label}燃烧排放"
    params = co.fuel(carrier_id)
    if params is None:
        return missing(name, "tCO2", f"{label}没有燃料排放参数（coefficients.yaml ghg.fuels）")
    if params.biogenic:
        return Result(
            name=name, value=0.0, unit="tCO2",
            formula=f"{label} {fmt(amount)} {unit}：生物源 CO2，不计入类别1 = 0 tCO2",
            sources=(params.source,), notes=tuple(n for n in (params.note,) if n),
        )
    sources = [params.source]
    ncv = (measured_ncv or {}).get(carrier_id)
    if ncv is not None:
        sources.insert(0, Source(f"{label}实测低位发热量 {coef(ncv)} {params.ncv_unit}", "计算参数（实测值）", "parameter"))
    else:
        ncv = params.ncv
    if ncv is None or params.carbon_content is None or params.oxidation is None:
        return missing(name, "tCO2", f"{label}的低位发热量、单位热值含碳量或碳氧化率")
    value = amount * ncv * params.carbon_content * params.oxidation * CO2_PER_C
    return Result(
        name=name, value=value, unit="tCO2",
        formula=(
            f"{fmt(amount)} {unit} × {coef(ncv)} {params.ncv_unit} × {coef(params.carbon_content)} tC/GJ"
            f" × {coef(params.oxidation * 100)}% × 44/12 = {fmt(value)} tCO2"
        ),
        sources=tuple(sources), notes=tuple(n for n in (params.note,) if n),
    )


def non_co2(gases: Mapping[str, float], gwp_set: str | None = None) -> Result:
    """Non-CO2 gases (t of gas: CH4, N2O, HFC-134a, SF6 …) as tCO2e with the GWP set."""
    gwp_set = gwp_set or co.default_gwp_set()
    name = f"非CO2温室气体排放（GWP：{gwp_set}）"
    parts: list[Result] = []
    for gas, tonnes in gases.items():
        found = co.gwp(gas, gwp_set)
        if found is None:
            parts.append(missing(f"{gas}排放", "tCO2e", f"{gas} 在 {gwp_set} 中的 GWP 值"))
            continue
        value, source = found
        parts.append(
            Result(
                name=f"{gas}排放", value=tonnes * value, unit="tCO2e",
                formula=f"{fmt(tonnes)} t × {coef(value)}（{gas} GWP，{gwp_set}）= {fmt(tonnes * value)} tCO2e",
                sources=(source,),
            )
        )
    return _sum(name, "tCO2e", parts)


def _sum(name: str, unit: str, parts: list[Result], notes: list[str] | None = None) -> Result:
    notes = notes or []
    if any(not p.ok for p in parts):
        return missing_from(name, unit, *parts, notes=notes)
    value = sum(p.value for p in parts)  # type: ignore[misc]
    terms = " + ".join(f"{p.name} {fmt(p.value)}" for p in parts) or "0"
    return Result(name=name, value=value, unit=unit, formula=f"{terms} = {fmt(value)} {unit}",
                  notes=tuple(notes), parts=tuple(parts))


def category1(
    data: YearData,
    *,
    measured_ncv: Mapping[str, float] | None = None,
    process_tco2e: float | None = None,
    gases: Mapping[str, float] | None = None,
    gwp_set: str | None = None,
) -> Result:
    """类别1 直接排放 (tCO2e): fuel combustion + process emissions (given) + non-CO2 gases."""
    name = "类别1 直接排放"
    parts: list[Result] = []
    notes: list[str] = []
    for cid, amount in data.energy.items():
        if amount is not None and co.carrier(cid).get("kind") == "fuel":
            parts.append(fuel_combustion(cid, float(amount), measured_ncv=measured_ncv))
    if process_tco2e is None:
        notes.append("未给出工业生产过程排放（process_tco2e），按无过程排放计")
    else:
        parts.append(
            Result(name="工业生产过程排放", value=float(process_tco2e), unit="tCO2e",
                   formula=f"工业生产过程排放 = {fmt(process_tco2e)} tCO2e（给定值）",
                   sources=(Source(f"过程排放 {fmt(process_tco2e)} tCO2e", "计算参数（核算报告）", "parameter"),))
        )
    if gases:
        parts.append(non_co2(gases, gwp_set))
    if not parts:
        if not any(v is not None for v in data.energy.values()):
            return missing(name, "tCO2e", "年度能源消费实物量（years.<年份>.energy）", notes=notes)
        notes.append("无化石燃料消费")
    return _sum(name, "tCO2e", parts, notes)


# --- 类别2 ------------------------------------------------------------------------------


def purchased_electricity(
    data: YearData,
    year: int,
    *,
    grid_scope: str = "national",
    green_deducted: bool | None = None,
    grid_factor_tco2_per_mwh: float | None = None,
) -> Result:
    """外购电力排放 (tCO2) = purchased MWh × grid factor of ``year``.

    ``green_deducted``: market-traded green power (``electricity_green``) is not
    multiplied. Defaults to True exactly for ``national_excl_market``, the factor the
    公告 publishes for that purpose; deducting it with another factor counts its benefit
    twice, and the result says so.
    """
    name = "外购电力排放"
    if green_deducted is None:
        green_deducted = grid_scope == "national_excl_market"
    grid_mwh = 0.0
    green_mwh = 0.0
    seen = False
    for cid, amount in data.energy.items():
        info = co.carrier(cid)
        if amount is None or info.get("kind") != "purchased_power":
            continue
        seen = True
        if info.get("market_green"):
            green_mwh += float(amount)
        else:
            grid_mwh += float(amount)
    if not seen:
        return missing(name, "tCO2", "外购电力（years.<年份>.energy.electricity_grid / electricity_green，MWh）")
    factor = grid_factor(year, grid_scope, grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh)
    if not factor.ok:
        return missing_from(name, "tCO2", factor)
    notes = list(factor.notes)
    if green_deducted:
        multiplied = grid_mwh
        activity = f"{fmt(grid_mwh)} MWh"
        tail = f"；绿电 {fmt(green_mwh)} MWh 为市场化交易的非化石能源电量，不乘因子" if green_mwh else ""
        if grid_scope != "national_excl_market" and green_mwh and grid_factor_tco2_per_mwh is None:
            notes.append(
                "扣除市场化交易绿电时，公告给出的是“不包括市场化交易的非化石能源电量”的因子"
                "（grid_scope='national_excl_market'）；用平均因子并扣除绿电会重复计算绿电的减排"
            )
    else:
        multiplied = grid_mwh + green_mwh
        activity = f"({fmt(grid_mwh)} + {fmt(green_mwh)}) MWh" if green_mwh else f"{fmt(grid_mwh)} MWh"
        tail = ""
        if grid_scope == "national_excl_market" and green_mwh:
            notes.append("“不包括市场化交易的非化石能源电量”的因子与扣除绿电配套使用；此处绿电也乘了因子")
    value = multiplied * factor.value  # type: ignore[operator]
    return Result(
        name=name, value=value, unit="tCO2",
        formula=f"{activity} × {coef(factor.value)} tCO2/MWh = {fmt(value)} tCO2{tail}",
        notes=tuple(notes), parts=(factor,),
    )


def purchased_heat(data: YearData, *, steam_gj_per_t: float | None = None) -> Result | None:
    """外购热力、蒸汽排放 (tCO2) = GJ × 0.11 tCO2/GJ; None when neither is purchased.

    Steam in t needs its heat content (``steam_gj_per_t`` = (En − 83.74 kJ/kg) × 10⁻³):
    the file gives no default enthalpy.
    """
    heat_gj = data.energy.get("heat")
    steam_t = data.energy.get("steam")
    if not heat_gj and not steam_t:
        return None
    name = "外购热力排放"
    factor, source = co.heat_factor()
    gj = float(heat_gj or 0)
    terms = [f"{fmt(gj)} GJ"] if heat_gj else []
    sources = [source]
    if steam_t:
        if steam_gj_per_t is None:
            return missing(name, "tCO2", "外购蒸汽的热焓（steam_gj_per_t，GJ/t = (En − 83.74 kJ/kg) × 10⁻³）")
        gj += float(steam_t) * steam_gj_per_t
        terms.append(f"{fmt(steam_t)} t × {coef(steam_gj_per_t)} GJ/t")
        sources.append(Source(f"蒸汽热焓 {coef(steam_gj_per_t)} GJ/t", "计算参数（实测或查表）", "parameter"))
    value = gj * factor
    return Result(
        name=name, value=value, unit="tCO2",
        formula=f"({' + '.join(terms)}) × {coef(factor)} tCO2/GJ = {fmt(value)} tCO2",
        sources=tuple(sources),
    )


def category2(
    data: YearData,
    year: int,
    *,
    grid_scope: str = "national",
    green_deducted: bool | None = None,
    grid_factor_tco2_per_mwh: float | None = None,
    steam_gj_per_t: float | None = None,
) -> Result:
    """类别2 外购能源间接排放 (tCO2): electricity + heat/steam."""
    name = "类别2 能源间接排放"
    notes: list[str] = []
    parts: list[Result] = []
    has_power = any(
        v is not None and co.carrier(c).get("kind") == "purchased_power" for c, v in data.energy.items()
    )
    if has_power:
        parts.append(purchased_electricity(data, year, grid_scope=grid_scope, green_deducted=green_deducted,
                                           grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh))
    heat = purchased_heat(data, steam_gj_per_t=steam_gj_per_t)
    if heat is not None:
        parts.append(heat)
    for cid, amount in data.energy.items():
        info = co.carrier(cid)
        if amount and info.get("kind") in ("own_power", "own_heat"):
            notes.append(f"{info['name']}为自产可再生能源，不产生外购能源排放")
        if amount and info.get("kind") == "exported_power":
            notes.append(f"{info['name']} {fmt(amount)} MWh 未从类别2扣减（可作为抵消量申报）")
    if not parts:
        if not any(v is not None for v in data.energy.values()):
            return missing(name, "tCO2", "年度能源消费实物量（years.<年份>.energy）")
        notes.append("无外购电力、热力")
    return _sum(name, "tCO2", parts, notes)


# --- the inventory ---------------------------------------------------------------------


@dataclass(frozen=True)
class Inventory:
    """A year's emissions by category (ISO 14064-1:2018 类别1/2/3)."""

    year: int
    category1: Result
    category2: Result
    category3: Result

    @property
    def scope12(self) -> Result:
        return _sum("类别1+类别2 排放", "tCO2e", [self.category1, self.category2])

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "category1": self.category1.to_dict(),
            "category2": self.category2.to_dict(),
            "category3": self.category3.to_dict(),
            "scope12": self.scope12.to_dict(),
        }


def category3_reported(data: YearData) -> Result:
    name = "类别3 其他间接排放"
    if data.emissions.scope3 is None:
        return missing(name, "tCO2e", "类别3 排放须由核算报告给出（years.<年份>.emissions.scope3）")
    v = data.emissions.scope3
    return Result(name=name, value=float(v), unit="tCO2e", formula=f"{name} = {fmt(v)} tCO2e（核算报告数）",
                  sources=(Source(f"{fmt(v)} tCO2e", "档案 emissions.scope3（核算报告）", "reported"),))


def inventory(
    data: YearData,
    year: int,
    *,
    grid_scope: str = "national",
    green_deducted: bool | None = None,
    grid_factor_tco2_per_mwh: float | None = None,
    steam_gj_per_t: float | None = None,
    measured_ncv: Mapping[str, float] | None = None,
    process_tco2e: float | None = None,
    gases: Mapping[str, float] | None = None,
    gwp_set: str | None = None,
) -> Inventory:
    """Emissions of ``year`` computed from its energy amounts, by category."""
    return Inventory(
        year=year,
        category1=category1(data, measured_ncv=measured_ncv, process_tco2e=process_tco2e, gases=gases, gwp_set=gwp_set),
        category2=category2(data, year, grid_scope=grid_scope, green_deducted=green_deducted,
                            grid_factor_tco2_per_mwh=grid_factor_tco2_per_mwh, steam_gj_per_t=steam_gj_per_t),
        category3=category3_reported(data),
    )


def scope12_tco2e(data: YearData, year: int, *, prefer: Prefer = "reported", **options) -> Result:
    """类别1+类别2 (tCO2e) as the forms use it: the reported (verified) figures when the
    dossier gives both, else computed from the energy amounts."""
    e = data.emissions
    if prefer == "reported" and e.scope1 is not None and e.scope2 is not None:
        value = float(e.scope1) + float(e.scope2)
        verified = "，经第三方核查" if e.verified else ""
        return Result(
            name="类别1+类别2 排放", value=value, unit="tCO2e",
            formula=f"{fmt(e.scope1)} + {fmt(e.scope2)} = {fmt(value)} tCO2e（报告数{verified}）",
            sources=(Source(f"类别1 {fmt(e.scope1)}、类别2 {fmt(e.scope2)} tCO2e",
                            f"档案 years.{year}.emissions（{e.verifier or '温室气体核算报告'}）", "reported"),),
        )
    return inventory(data, year, **options).scope12
