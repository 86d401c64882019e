"""GB/T 36132 绿色工厂评价通则 附录A: the performance ratios of a year.

Formulas as the 2018 edition's 附录A defines them (Q = 统计期内合格产品产量); the
2025 edition's 建筑系数 and 工业用水重复利用率 are here too. Where a formula's
wording could not be read in the standard itself, the docstring says so.
"""

from __future__ import annotations

from typing import Literal

from ..model import YearData
from .intensity import carbon_per_product, energy_per_product, product_output
from .result import ratio
from .result import Result, Source, fmt, missing

# 1 亩 = 10 000/15 m², 1 公顷 = 10 000 m² (法定计量单位换算, not a sourced coefficient)
_AREA_M2 = {"m²": 1.0, "亩": 10000 / 15, "公顷": 10000.0}
AreaUnit = Literal["m²", "亩", "公顷"]


def _figure(data: YearData, field: str, label: str, unit: str) -> Result:
    value = getattr(data, field)
    if value is None:
        return missing(label, unit, f"{label}（years.<年份>.{field}，{unit}）")
    return Result(name=label, value=float(value), unit=unit, formula=f"{label} {fmt(value)} {unit}",
                  sources=(Source(f"{fmt(value)} {unit}", f"档案 {field}", "reported"),))


def plot_ratio(data: YearData) -> Result:
    """容积率 R = 总建筑物、构筑物面积 ÷ 厂区用地面积 (dimensionless).

    Per 《工业项目建设用地控制指标》 a storey higher than 8 m counts twice in the
    building area; ``building_area_m2`` is taken as already counted that way.
    """
    return ratio("容积率", _figure(data, "building_area_m2", "总建筑面积", "m²"),
                 _figure(data, "land_area_m2", "厂区用地面积", "m²"), "")


def building_density(data: YearData, *, name: str = "建筑密度") -> Result:
    """建筑密度 ρ = 建(构)筑物占地面积 ÷ 厂区用地面积 × 100%.

    ``building_footprint_m2`` includes 堆场 (model description), which is the 2025
    edition's 建筑系数 numerator; :func:`building_coefficient` gives that name.
    """
    return ratio(name, _figure(data, "building_footprint_m2", "建筑物、构筑物及堆场占地面积", "m²"),
                 _figure(data, "land_area_m2", "厂区用地面积", "m²"), "%", scale=100)


def building_coefficient(data: YearData) -> Result:
    """建筑系数 (GB/T 36132-2025) = (建筑物+构筑物+露天堆场、操作场地占地面积) ÷ 总用地面积 × 100%
    (definition of 《工业项目建设用地控制指标》, unverified against the 2025 text)."""
    return building_density(data, name="建筑系数")


def output_per_land_area(data: YearData, *, per: AreaUnit = "m²") -> Result:
    """单位用地面积产值 n = 工厂总产值 (万元) ÷ 用地面积; 万元/m² (2025 table), 万元/亩 or 万元/公顷."""
    land = _figure(data, "land_area_m2", "厂区用地面积", "m²")
    if per != "m²" and land.ok:
        area = land.value / _AREA_M2[per]  # type: ignore[operator]
        land = Result(name="厂区用地面积", value=area, unit=per,
                      formula=f"{fmt(land.value)} m² ÷ {fmt(_AREA_M2[per])} m²/{per} = {fmt(area)} {per}",
                      sources=land.sources)
    return ratio("单位用地面积产值", _figure(data, "output_value", "工业总产值", "万元"), land, f"万元/{per}")


def green_material_rate(data: YearData, material: str | None = None) -> Result:
    """绿色物料使用率 R_g = G ÷ M × 100% (绿色物料使用量 ÷ 同类物料总使用量).

    One material by name, or all materials that state ``green_amount`` when they share
    one unit (materials without ``green_amount`` are left out, the note says which).
    """
    name = f"绿色物料使用率（{material}）" if material else "绿色物料使用率"
    rows = data.raw_materials
    if material:
        rows = [m for m in rows if m.name == material]
        if not rows:
            return missing(name, "%", f"原材料 {material!r}（years.<年份>.raw_materials）")
    if not rows:
        return missing(name, "%", "主要原材料消耗量（years.<年份>.raw_materials）")
    stated = [m for m in rows if m.green_amount is not None]
    left_out = [m.name for m in rows if m.green_amount is None]
    if not stated:
        return missing(name, "%", "原材料的绿色物料用量（raw_materials[].green_amount）")
    units = {m.unit for m in stated}
    if len(units) > 1:
        listing = "、".join(f"{m.name}（{m.unit}）" for m in stated)
        return missing(name, "%", f"原材料计量单位不同（{listing}），需逐项计算（material=）")
    unit = units.pop()
    g = sum(float(m.green_amount) for m in stated)  # type: ignore[arg-type]
    m_total = sum(float(m.amount) for m in stated)
    result = ratio(
        name,
        Result(name="绿色物料使用量", value=g, unit=unit, formula=" + ".join(fmt(m.green_amount) for m in stated)),
        Result(name="同类物料总使用量", value=m_total, unit=unit, formula=" + ".join(fmt(m.amount) for m in stated)),
        "%", scale=100,
    )
    return result.with_notes(f"未填绿色物料用量，未计入：{'、'.join(left_out)}" if left_out else "")


_POLLUTANTS = {"cod": "化学需氧量（COD）", "ammonia": "氨氮", "so2": "二氧化硫", "nox": "氮氧化物"}


def pollutant_per_product(data: YearData, pollutant: str, product: str | None = None, *, emitted: bool = False) -> Result:
    """单位产品主要污染物产生量 w_i = W_i ÷ Q (t per product unit); ``emitted=True`` for 排放量.

    ``pollutant``: cod / ammonia / so2 / nox, or a name under ``pollutants.other``.
    (Some provincial tables use 排放量; the 2018 text uses 产生量 — unverified.)
    """
    source = data.pollutants_emitted if emitted else data.pollutants
    kind = "排放量" if emitted else "产生量"
    label = _POLLUTANTS.get(pollutant, pollutant)
    value = getattr(source, pollutant) if pollutant in _POLLUTANTS else source.other.get(pollutant)
    field = f"{'pollutants_emitted' if emitted else 'pollutants'}.{pollutant if pollutant in _POLLUTANTS else 'other.' + pollutant}"
    if value is None:
        w = missing(f"{label}{kind}", "t", f"{label}{kind}（years.<年份>.{field}，t）")
    else:
        w = Result(name=f"{label}{kind}", value=float(value), unit="t", formula=f"{fmt(value)} t",
                   sources=(Source(f"{fmt(value)} t", f"档案 {field}", "reported"),))
    q = product_output(data, product)
    return ratio(f"单位产品{label}{kind}", w, q, f"t/{q.unit}" if q.ok else "t/单位产品")


def pollutants_per_product(data: YearData, product: str | None = None, *, emitted: bool = False) -> dict[str, Result]:
    """Every pollutant the year reports, per unit product."""
    source = data.pollutants_emitted if emitted else data.pollutants
    names = [k for k in _POLLUTANTS if getattr(source, k) is not None] + list(source.other)
    return {k: pollutant_per_product(data, k, product, emitted=emitted) for k in names}


def waste_gas_per_product(data: YearData, product: str | None = None) -> Result:
    """单位产品废气产生量 = V_g ÷ Q (万Nm³ per product unit)."""
    q = product_output(data, product)
    return ratio("单位产品废气产生量", _figure(data, "waste_gas_10k_nm3", "废气产生量", "万Nm³"), q,
                 f"万Nm³/{q.unit}" if q.ok else "万Nm³/单位产品")


def wastewater_per_product(data: YearData, product: str | None = None) -> Result:
    """单位产品废水产生量 = V_w ÷ Q (t per product unit)."""
    q = product_output(data, product)
    return ratio("单位产品废水产生量", _figure(data, "wastewater_t", "废水产生量", "t"), q,
                 f"t/{q.unit}" if q.ok else "t/单位产品")


def material_per_product(data: YearData, material: str, product: str | None = None) -> Result:
    """单位产品主要原材料消耗量 = M_i ÷ Q (material unit per product unit)."""
    rows = [m for m in data.raw_materials if m.name == material]
    if not rows:
        known = "、".join(m.name for m in data.raw_materials) or "无"
        m = missing(material, "", f"原材料 {material!r} 的消耗量（已有：{known}）")
    else:
        row = rows[0]
        m = Result(name=f"{material}消耗量", value=float(row.amount), unit=row.unit, formula=f"{fmt(row.amount)} {row.unit}",
                   sources=(Source(f"{fmt(row.amount)} {row.unit}", "档案 raw_materials", "reported"),))
    q = product_output(data, product)
    return ratio(f"单位产品{material}消耗量", m, q, f"{m.unit}/{q.unit}" if m.ok and q.ok else "")


def solid_waste_utilization_rate(data: YearData, *, stock_utilised_t: float | None = None) -> Result:
    """工业固体废物综合利用率 K = Z_综合利用 ÷ (Z_产生 + Z_综合利用往年贮存量) × 100%.

    The dossier has no field for 综合利用往年贮存量; give it as ``stock_utilised_t``.
    Without it the stock is taken as 0 and the note says so.
    """
    name = "工业固体废物综合利用率"
    used = _figure(data, "solid_waste_utilised_t", "工业固体废物综合利用量", "t")
    made = _figure(data, "solid_waste_t", "工业固体废物产生量", "t")
    notes: list[str] = []
    if made.ok:
        stock = stock_utilised_t if stock_utilised_t is not None else 0.0
        if stock_utilised_t is None:
            notes.append("未给出综合利用往年贮存量（stock_utilised_t），按 0 计")
        total = made.value + stock  # type: ignore[operator]
        made = Result(name="产生量 + 综合利用往年贮存量", value=total, unit="t",
                      formula=f"{fmt(made.value)} + {fmt(stock)} = {fmt(total)} t", sources=made.sources)
    result = ratio(name, used, made, "%", scale=100).with_notes(*notes)
    if result.ok and result.value > 100:  # type: ignore[operator]
        result = result.with_notes("综合利用量大于产生量：应有往年贮存量，请给出 stock_utilised_t")
    return result


def wastewater_reuse_rate(data: YearData) -> Result:
    """废水处理回用率 K_w = 废水处理后回用水量 ÷ 废水总处理量 × 100% (formula unverified).

    The dossier gives 废水产生量, taken as the quantity treated.
    """
    return ratio("废水处理回用率", _figure(data, "wastewater_reused_t", "废水处理回用量", "t"),
                 _figure(data, "wastewater_t", "废水产生量（按总处理量计）", "t"), "%", scale=100)


def water_reuse_rate(data: YearData) -> Result:
    """工业用水重复利用率 R_w = V_r ÷ (V + V_r) × 100% (GB/T 36132-2025, single-source)."""
    reused = _figure(data, "water_reused_m3", "重复利用水量", "m³")
    fresh = _figure(data, "water_fresh_m3", "取水量", "m³")
    if reused.ok and fresh.ok:
        total = fresh.value + reused.value  # type: ignore[operator]
        fresh = Result(name="取水量 + 重复利用水量", value=total, unit="m³",
                       formula=f"{fmt(fresh.value)} + {fmt(reused.value)} = {fmt(total)} m³",
                       sources=(*fresh.sources, *reused.sources))
    return ratio("工业用水重复利用率", reused, fresh, "%", scale=100)


def energy_per_unit_product(data: YearData, product: str | None = None, **options) -> Result:
    """单位产品综合能耗 e = E ÷ Q (tce per product unit; 当量 unless ``basis="等价"``)."""
    return energy_per_product(data, product, **options)


def carbon_per_unit_product(data: YearData, year: int, product: str | None = None, **options) -> Result:
    """单位产品碳排放量 c = C ÷ Q (tCO2e per product unit, C = 类别1 + 类别2)."""
    return carbon_per_product(data, year, product, **options)


__all__ = [
    "plot_ratio", "building_density", "building_coefficient", "output_per_land_area", "green_material_rate",
    "pollutant_per_product", "pollutants_per_product", "waste_gas_per_product", "wastewater_per_product",
    "material_per_product", "solid_waste_utilization_rate", "wastewater_reuse_rate", "water_reuse_rate",
    "energy_per_unit_product", "carbon_per_unit_product",
]
