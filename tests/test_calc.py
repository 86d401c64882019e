"""The calculators against figures worked out by hand from the cited coefficients.

Each expected figure is written out in the comment beside it, from the coefficient in
dossier/data/coefficients.yaml and its source (GB/T 2589-2020 附录A, GB/T 32151 附录
缺省值, 生态环境部/国家统计局 grid factors, the Suzhou 附件1-4 / 附件1-3 tables).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dossier.calc import annex_a, carbon, energy, energy_saving, ghg, intensity
from dossier.calc.coefficients import carriers, coefficients, problems
from dossier.calc.result import STATUSES, Result
from dossier.loader import load_dossier
from dossier.model import Carbon, Dossier, Emissions, Material, Offset, Pollutants, Product, Project, YearData
from dossier.schemes import load_scheme

from .conftest import EXAMPLES, SCHEME_IDS


def year(**energy_and_fields) -> YearData:
    fields = {k: v for k, v in energy_and_fields.items() if k in YearData.model_fields}
    energy_amounts = {k: v for k, v in energy_and_fields.items() if k not in YearData.model_fields}
    return YearData(energy=energy_amounts, **fields)


# --- the data file ---------------------------------------------------------------------


def test_coefficient_file_is_complete_and_sourced():
    assert problems() == []


def test_every_consumed_carrier_has_a_standard_coal_row_with_source_and_status():
    rows = coefficients()["standard_coal"]["carriers"]
    for cid, info in carriers().items():
        if info["kind"] == "exported_power":
            continue
        assert cid in rows, cid
        assert rows[cid]["source"] and rows[cid]["status"] in STATUSES


def test_every_carrier_has_a_known_kind():
    kinds = {"purchased_power", "own_power", "exported_power", "fuel", "purchased_heat", "purchased_steam", "own_heat"}
    assert {info["kind"] for info in carriers().values()} <= kinds


# --- standard coal (GB/T 2589-2020 附录A) ---------------------------------------------------


@pytest.mark.parametrize(
    "carrier, amount, expected",
    [
        ("raw_coal", 1000, 714.3),  # 1000 t × 0.7143 kgce/kg
        ("natural_gas", 100, 1214.3),  # 100 万m³ × 1.2143 kgce/m³ = 100 × 12.143 tce/万m³
        ("electricity_grid", 1000, 122.9),  # 1000 MWh × 0.1229 kgce/kWh
        ("pv_self_consumed", 1000, 122.9),
        ("diesel", 10, 14.571),  # 10 t × 1.4571
        ("gasoline", 10, 14.714),
        ("fuel_oil", 10, 14.286),
        ("lpg", 10, 17.143),
        ("coke", 10, 9.714),
        ("heat", 1000, 34.12),  # 1000 GJ × 0.03412 kgce/MJ
        ("steam", 100, 12.86),  # 100 t × 0.1286 kgce/kg
    ],
)
def test_standard_coal_per_carrier(carrier, amount, expected):
    result = energy.carrier_tce(carrier, amount)
    assert result.value == pytest.approx(expected)
    assert result.unit == "tce"
    assert result.sources and result.sources[0].ref.startswith("GB/T 2589-2020")


def test_standard_coal_formula_shows_the_figures():
    assert energy.carrier_tce("raw_coal", 1000).formula == "1000 t × 0.7143 tce/t = 714.3 tce"
    assert energy.carrier_tce("natural_gas", 100).formula == "100 万m³ × 12.143 tce/万m³ = 1214.3 tce"


def test_total_excludes_exported_pv_and_notes_it():
    data = year(electricity_grid=1000, pv_self_consumed=200, pv_exported=500, natural_gas=10)
    result = energy.total_tce(data)
    # (1000 + 200) × 0.1229 + 10 × 12.143 = 147.48 + 121.43
    assert result.value == pytest.approx(268.91)
    assert any("输出厂外" in n for n in result.notes)
    assert len(result.parts) == 3


def test_equivalent_basis_uses_the_supply_coal_rate():
    data = year(electricity_grid=1000, pv_self_consumed=100, diesel=10)
    # 1100 MWh × 300 gce/kWh ÷ 1000 = 330 tce; diesel at its 当量 coefficient 14.571
    result = energy.total_tce(data, basis="等价", supply_coal_rate_gce_per_kwh=300)
    assert result.value == pytest.approx(344.571)
    assert result.name == "综合能耗（等价值）"
    # own PV at 当量: 1000 × 0.3 + 100 × 0.1229 + 14.571
    own = energy.total_tce(data, basis="等价", supply_coal_rate_gce_per_kwh=300, own_power_at_calorific=True)
    assert own.value == pytest.approx(300 + 12.29 + 14.571)
    assert any(s.status == "parameter" for s in result.all_sources())


def test_equivalent_basis_without_the_rate_says_what_is_missing():
    result = energy.total_tce(year(electricity_grid=1000), basis="等价")
    assert result.value is None
    assert "供电标准煤耗" in result.missing[0]


def test_measured_calorific_value_overrides_the_default():
    # 1000 t × 25.0 GJ/t ÷ 29.307 GJ/tce = 853.0385 tce
    result = energy.carrier_tce("raw_coal", 1000, measured_ncv={"raw_coal": 25.0})
    assert result.value == pytest.approx(853.0385, rel=1e-6)
    assert "29.307" in result.formula


def test_biomass_needs_a_measured_value():
    assert not energy.carrier_tce("biomass", 100).ok
    assert energy.carrier_tce("biomass", 100, measured_ncv={"biomass": 15}).value == pytest.approx(100 * 15 / 29.307)


def test_measured_value_for_electricity_is_a_usage_error():
    with pytest.raises(ValueError):
        energy.carrier_tce("electricity_grid", 1, measured_ncv={"electricity_grid": 3.6})


def test_empty_energy_is_missing_not_zero():
    assert energy.total_tce(YearData()).value is None
    blank = YearData(energy={cid: None for cid in carriers()})
    result = energy.total_tce(blank)
    assert result.value is None and result.missing


def test_renewable_consumption_and_reported_preference():
    data = year(electricity_grid=800, electricity_green=100, pv_self_consumed=100, energy_total_tce=999.0)
    assert energy.renewable_tce(data).value == pytest.approx(24.58)  # 200 MWh × 0.1229
    assert energy.consumption_tce(data).value == 999.0  # the 报表数 wins
    assert energy.consumption_tce(data, prefer="computed").value == pytest.approx(122.9)
    assert energy.reported_deviation(data).value == pytest.approx((999 - 122.9) / 122.9 * 100)


# --- GHG (GB/T 32150 / 32151) --------------------------------------------------------------


@pytest.mark.parametrize("yr, expected", [(2021, 556.8), (2022, 536.6), (2023, 530.6)])
def test_purchased_power_by_year(yr, expected):
    result = ghg.purchased_electricity(year(electricity_grid=1000), yr)
    assert result.value == pytest.approx(expected)
    assert result.all_sources()[0].status == "verified"


def test_purchased_power_formula():
    result = ghg.purchased_electricity(year(electricity_grid=1000), 2022)
    assert result.formula == "1000 MWh × 0.5366 tCO2/MWh = 536.6 tCO2"
    assert "公告2024年第33号" in result.all_sources()[0].ref


def test_later_year_falls_back_to_the_latest_with_a_note():
    result = ghg.purchased_electricity(year(electricity_grid=1000), 2025)
    assert result.value == pytest.approx(530.6)
    assert any("2023年" in n for n in result.notes)


def test_year_before_the_first_factor_is_missing():
    result = ghg.purchased_electricity(year(electricity_grid=1000), 2020)
    assert result.value is None and "2020年" in result.missing[0]


def test_green_power_variants():
    data = year(electricity_grid=1000, electricity_green=500)
    # national average: all purchased power × 0.5366
    assert ghg.purchased_electricity(data, 2022).value == pytest.approx(1500 * 0.5366)
    # excluding market-traded non-fossil power: grid × 0.5856, green not multiplied
    excl = ghg.purchased_electricity(data, 2022, grid_scope="national_excl_market")
    assert excl.value == pytest.approx(585.6)
    assert "不乘因子" in excl.formula
    # deducting green with the average factor counts the benefit twice: said in a note
    mixed = ghg.purchased_electricity(data, 2022, green_deducted=True)
    assert mixed.value == pytest.approx(536.6)
    assert any("重复计算" in n for n in mixed.notes)


def test_east_china_factor():
    assert ghg.purchased_electricity(year(electricity_grid=1000), 2023, grid_scope="east_china").value == pytest.approx(550.0)
    assert ghg.purchased_electricity(year(electricity_grid=1000), 2022, grid_scope="east_china").value == pytest.approx(561.7)
    missing_2021 = ghg.grid_factor(2021, "east_china")
    assert missing_2021.value is None and missing_2021.notes  # the note tells where to read it


def test_given_grid_factor():
    assert ghg.purchased_electricity(year(electricity_grid=1000), 2019, grid_factor_tco2_per_mwh=0.6).value == pytest.approx(600)


def test_unknown_grid_scope_suggests_the_name():
    with pytest.raises(ValueError, match="east_china"):
        ghg.grid_factor(2023, "east_chna")


@pytest.mark.parametrize(
    "fuel, per_unit",
    [
        # NCV × CC × OF × 44/12, the derived EF of GB/T 32151 附录 (domain-facts §2)
        ("natural_gas", 21.622),  # 389.31 GJ/万m³ × 0.0153 × 0.99 × 44/12
        ("diesel", 3.0959),  # 42.652 × 0.0202 × 0.98 × 44/12
        ("gasoline", 2.9251),
        ("fuel_oil", 3.1705),
        ("lpg", 3.1013),
        ("lng", 2.8313),
        ("coke", 2.8604),
        ("raw_coal", 1.9003),  # 20.908 × 0.02637 × 0.94 × 44/12 (省级清单指南 原煤)
    ],
)
def test_fuel_combustion_matches_the_published_emission_factor(fuel, per_unit):
    assert ghg.fuel_combustion(fuel, 1).value == pytest.approx(per_unit, abs=5e-4)


def test_fuel_combustion_formula():
    result = ghg.fuel_combustion("natural_gas", 100)
    assert result.formula == "100 万m³ × 389.31 GJ/万m³ × 0.0153 tC/GJ × 99% × 44/12 = 2162.19 tCO2"


def test_fuel_combustion_measured_ncv():
    # 100 万m³ × 360 GJ/万m³ × 0.0153 × 0.99 × 44/12
    assert ghg.fuel_combustion("natural_gas", 100, measured_ncv={"natural_gas": 360}).value == pytest.approx(
        100 * 360 * 0.0153 * 0.99 * 44 / 12
    )


def test_biomass_is_biogenic():
    result = ghg.fuel_combustion("biomass", 50)
    assert result.value == 0 and "生物源" in result.formula


def test_heat_and_steam():
    assert ghg.purchased_heat(year(heat=1000)).value == pytest.approx(110)  # 1000 GJ × 0.11
    no_enthalpy = ghg.purchased_heat(year(steam=100))
    assert no_enthalpy.value is None and "热焓" in no_enthalpy.missing[0]
    assert ghg.purchased_heat(year(steam=100), steam_gj_per_t=2.7).value == pytest.approx(29.7)
    assert ghg.purchased_heat(year(electricity_grid=1)) is None


@pytest.mark.parametrize("gwp_set, expected", [("AR5", 28), ("AR4", 25), ("AR6", 27.9), ("SAR", 21)])
def test_gwp_sets(gwp_set, expected):
    assert ghg.non_co2({"CH4": 1}, gwp_set).value == pytest.approx(expected)


def test_gwp_default_is_ar5_and_unknown_gas_is_missing():
    assert ghg.non_co2({"SF6": 0.01}).value == pytest.approx(235)  # 0.01 t × 23 500
    assert not ghg.non_co2({"R-999": 1}).ok
    with pytest.raises(ValueError):
        ghg.non_co2({"CH4": 1}, "AR3")


def test_inventory_by_category():
    data = year(natural_gas=10, electricity_grid=1000, heat=100, pv_self_consumed=50)
    inv = ghg.inventory(data, 2022, process_tco2e=40, gases={"HFC-134a": 0.1})
    # 类别1: 10 × 21.6219 + 40 + 0.1 × 1300 (AR5)
    assert inv.category1.value == pytest.approx(216.219 + 40 + 130, abs=1e-3)
    # 类别2: 1000 × 0.5366 + 100 × 0.11
    assert inv.category2.value == pytest.approx(547.6)
    assert inv.scope12.value == pytest.approx(216.219 + 170 + 547.6, abs=1e-3)
    assert inv.category3.value is None and "scope3" in inv.category3.missing[0]
    assert any("自产可再生能源" in n for n in inv.category2.notes)


def test_no_process_emissions_is_said_not_silent():
    inv = ghg.inventory(year(diesel=1), 2022)
    assert any("过程排放" in n for n in inv.category1.notes)


def test_scope12_prefers_the_reported_figures():
    data = year(electricity_grid=1000, emissions=Emissions(scope1=10, scope2=500))
    assert ghg.scope12_tco2e(data, 2022).value == 510
    assert ghg.scope12_tco2e(data, 2022, prefer="computed").value == pytest.approx(536.6)


# --- shares, intensities, change ---------------------------------------------------------------


def test_renewable_share():
    data = year(electricity_grid=800, pv_self_consumed=200)
    result = intensity.renewable_share(data)
    assert result.value == pytest.approx(20.0)  # 200 × 0.1229 ÷ 1000 × 0.1229
    assert result.ratio == pytest.approx(0.2)
    assert result.unit == "%"


def test_renewable_share_from_reported_figures():
    data = YearData(energy_total_tce=2000, renewable_tce=700)
    assert intensity.renewable_share(data).value == pytest.approx(35.0)


def test_intensities():
    data = year(
        energy_total_tce=1000, output_value=5000, value_added=1250,
        emissions=Emissions(scope1=100, scope2=900),
        production=[Product(name="A", unit="t", amount=400), Product(name="B", unit="t", amount=100)],
    )
    assert intensity.energy_per_output_value(data).value == pytest.approx(0.2)  # tce/万元
    assert intensity.energy_per_value_added(data).value == pytest.approx(0.8)
    per_product = intensity.energy_per_product(data)
    assert per_product.value == pytest.approx(2.0) and per_product.unit == "tce/t"
    assert intensity.energy_per_product(data, "B").value == pytest.approx(10.0)
    assert intensity.carbon_per_output_value(data, 2022).value == pytest.approx(0.2)
    assert intensity.carbon_per_product(data, 2022, "A").value == pytest.approx(2.5)


def test_products_in_different_units_need_a_choice():
    data = year(energy_total_tce=1000, production=[Product(name="A", unit="t", amount=1), Product(name="B", unit="台", amount=1)])
    result = intensity.energy_per_product(data)
    assert result.value is None and "计量单位不同" in result.missing[0]


def test_missing_output_value():
    result = intensity.energy_per_output_value(YearData(energy_total_tce=100))
    assert result.value is None and "output_value" in result.missing[0]


def test_year_on_year_and_average_decline():
    assert intensity.year_on_year(90, 100).value == pytest.approx(-10.0)
    # 1 − (81 ÷ 100)^(1/2) = 1 − 0.9 = 10 %
    result = intensity.average_decline_rate({2023: 100, 2024: 95, 2025: 81})
    assert result.value == pytest.approx(10.0)
    assert "^(1/2)" in result.formula
    # four years: 1 − (72.9 ÷ 100)^(1/3) = 10 %
    assert intensity.average_decline_rate({2022: 100, 2023: 1, 2024: 1, 2025: 72.9}).value == pytest.approx(10.0)
    assert intensity.average_decline_rate({2023: None, 2025: 81}).value is None
    assert intensity.year_on_year(5, 0).value is None


# --- own reduction, offsets ----------------------------------------------------------------------


def dossier(**fields) -> Dossier:
    return Dossier(scheme="jiangsu-zero-carbon-factory", reporting_year=2023, **fields)


def test_own_reduction_ratio_from_the_assessment():
    d = dossier(carbon=Carbon(baseline_scenario_tco2e=1000, own_reduction_tco2e=600))
    result = carbon.own_reduction_ratio(d)
    assert result.value == pytest.approx(60.0) and result.ratio == pytest.approx(0.6)
    assert result.formula == "600 tCO2e ÷ 1000 tCO2e × 100% = 60%"


def test_own_reduction_ratio_from_completed_projects():
    d = dossier(
        fill_date=dt.date(2023, 6, 1),
        carbon=Carbon(baseline_scenario_tco2e=1000),
        projects=[
            Project(name="余热回收", end=dt.date(2022, 5, 1), reduction_tco2e=300),
            Project(name="光伏", end=dt.date(2022, 9, 1), reduction_tco2e=200),
            Project(name="计划中的碳汇", end=dt.date(2030, 12, 31), reduction_tco2e=999),
        ],
    )
    result = carbon.own_reduction_ratio(d)
    assert result.value == pytest.approx(50.0)
    assert any("计划中的碳汇" in n for n in result.parts[0].notes)


def test_own_reduction_ratio_missing_baseline():
    result = carbon.own_reduction_ratio(dossier(carbon=Carbon(own_reduction_tco2e=10)))
    assert result.value is None and "baseline_scenario_tco2e" in result.missing[0]


def test_offset_coverage_counts_certificates_by_the_grid_factor():
    d = dossier(
        years={2022: YearData(emissions=Emissions(scope1=100, scope2=400))},
        offsets=[
            Offset(type="绿证", year=2022, quantity_mwh=500),  # 500 MWh × 0.5366 = 268.3 tCO2e
            Offset(type="CCER", year=2022, quantity_tco2e=231.7),
            Offset(type="CCER", year=2021, quantity_tco2e=1000),  # another year: not counted
        ],
    )
    result = carbon.offset_coverage(d, 2022)
    assert result.value == pytest.approx(100.0)
    assert result.ratio == pytest.approx(1.0)


def test_offset_coverage_without_offsets_is_missing():
    d = dossier(years={2022: YearData(emissions=Emissions(scope1=100, scope2=400))})
    result = carbon.offset_coverage(d)
    assert result.value is None and "2022年的碳抵消" in result.missing[0]


def test_offset_tco2e_inconsistent_with_mwh_is_noted():
    off = Offset(type="绿证", year=2022, quantity_mwh=1000, quantity_tco2e=700)
    assert any("相差超过 1%" in n for n in carbon.offset_amount(off).notes)


# --- GB/T 36132 附录A ------------------------------------------------------------------------


def annex_year(**extra) -> YearData:
    base = dict(
        land_area_m2=10000, building_area_m2=12000, building_footprint_m2=4500, output_value=15000,
        production=[Product(name="P", unit="t", amount=1000)],
        raw_materials=[
            Material(name="钢", unit="t", amount=100, green_amount=30),
            Material(name="铝", unit="t", amount=50, green_amount=15),
            Material(name="覆铜板", unit="万m²", amount=5),
        ],
        pollutants=Pollutants(cod=2, nox=0.5, other={"VOCs": 1}),
        waste_gas_10k_nm3=300, wastewater_t=1000, wastewater_reused_t=300,
        solid_waste_t=1000, solid_waste_utilised_t=950, water_fresh_m3=100, water_reused_m3=900,
        energy_total_tce=500, emissions=Emissions(scope1=100, scope2=400),
    )
    base.update(extra)
    return YearData(**base)


def test_annex_a_ratios():
    d = annex_year()
    assert annex_a.plot_ratio(d).value == pytest.approx(1.2)  # 12000 ÷ 10000
    assert annex_a.building_density(d).value == pytest.approx(45.0)  # 4500 ÷ 10000 × 100 %
    assert annex_a.building_coefficient(d).name == "建筑系数"
    assert annex_a.output_per_land_area(d).value == pytest.approx(1.5)  # 万元/m²
    per_mu = annex_a.output_per_land_area(d, per="亩")  # 10000 m² = 15 亩
    assert per_mu.value == pytest.approx(1000.0) and per_mu.unit == "万元/亩"
    assert annex_a.pollutant_per_product(d, "cod").value == pytest.approx(0.002)  # 2 t ÷ 1000 t
    assert annex_a.pollutant_per_product(d, "VOCs").value == pytest.approx(0.001)
    assert set(annex_a.pollutants_per_product(d)) == {"cod", "nox", "VOCs"}
    assert annex_a.waste_gas_per_product(d).value == pytest.approx(0.3)
    assert annex_a.wastewater_per_product(d).value == pytest.approx(1.0)
    assert annex_a.material_per_product(d, "钢").value == pytest.approx(0.1)
    assert annex_a.wastewater_reuse_rate(d).value == pytest.approx(30.0)
    assert annex_a.water_reuse_rate(d).value == pytest.approx(90.0)  # 900 ÷ (100 + 900)
    assert annex_a.energy_per_unit_product(d).value == pytest.approx(0.5)
    assert annex_a.carbon_per_unit_product(d, 2022).value == pytest.approx(0.5)


def test_green_material_rate_leaves_out_materials_without_green_amount():
    result = annex_a.green_material_rate(annex_year())
    assert result.value == pytest.approx(30.0)  # (30 + 15) ÷ (100 + 50)
    assert any("覆铜板" in n for n in result.notes)
    assert annex_a.green_material_rate(annex_year(), "铝").value == pytest.approx(30.0)


def test_solid_waste_utilisation_with_and_without_stock():
    no_stock = annex_a.solid_waste_utilization_rate(annex_year())
    assert no_stock.value == pytest.approx(95.0)
    assert any("往年贮存量" in n for n in no_stock.notes)
    # 950 ÷ (1000 + 100) × 100 %
    assert annex_a.solid_waste_utilization_rate(annex_year(), stock_utilised_t=100).value == pytest.approx(86.3636, rel=1e-5)


def test_annex_a_missing_fields_are_named():
    result = annex_a.plot_ratio(YearData(land_area_m2=100))
    assert result.value is None and "building_area_m2" in result.missing[0]


# --- Suzhou energy-saving score ------------------------------------------------------------------


@pytest.fixture(scope="module")
def nzc_table():
    return load_scheme("suzhou-near-zero-carbon-factory").lookup_tables["energy_saving"]


@pytest.fixture(scope="module")
def green_table():
    return load_scheme("suzhou-green-factory").lookup_tables["energy_saving"]


# (上年度综合能耗 万tce, 项目年节能量 万tce, 综合节能率 %, band min, points); × 2.5, at most 2.5
NZC_CASES = [
    (1000, None, 2, 800, 1.25),  # 2 ÷ 4 × 2.5
    (1000, None, 6, 800, 2.5),  # 6 ÷ 4 × 2.5 = 3.75 → cap 2.5
    (800, None, 4, 800, 2.5),  # boundary: 800 is in ≥800
    (799.9, None, 1, 200, 0.625),  # 1 ÷ 4 × 2.5
    (200, None, 2, 200, 1.25),
    (150, None, 3, 100, 1.875),  # 3 ÷ 4 × 2.5
    (100, None, 4, 100, 2.5),
    (99.99, 4, None, 50, 1.25),  # 4 ÷ 8 × 2.5
    (50, 2, 3.5, 50, 1.25),  # max(2 ÷ 8, 3.5 ÷ 7) × 2.5 = max(0.625, 1.25)
    (50, None, 7, 50, 2.5),
    (30, 2.5, None, 30, 1.25),  # 2.5 ÷ 5 × 2.5
    (30, None, 4, 30, 1.25),  # 4 ÷ 8 × 2.5
    (18, 1.5, None, 18, 1.25),  # 1.5 ÷ 3 × 2.5
    (10, 0.75, None, 10, 1.25),  # 0.75 ÷ 1.5 × 2.5
    (10, None, 8, 10, 2.5),
    (6, 0.45, None, 6, 1.25),  # 0.45 ÷ 0.9 × 2.5
    (6, None, 5, 6, 1.25),  # 5 ÷ 10 × 2.5
    (2, 0.15, None, 2, 1.25),  # 0.15 ÷ 0.3 × 2.5
    (1.19761, 0.123, None, 1, 2.05),  # 0.123 ÷ 0.15 × 2.5 (the Suzhou 近零碳 example)
    (1, 0.075, None, 1, 1.25),
    (0.5, 0.05, None, 0.5, 2.5),  # boundary: 0.5 is in ≥0.5; 0.05 ÷ 0.05 × 2.5
    (0.5, 0.1, None, 0.5, 2.5),  # 5 → cap 2.5
    (0.4999, None, 5, None, 1.25),  # ＜0.5: saving target “—”, 5 ÷ 10 × 2.5
    (0, None, 10, None, 2.5),
]


@pytest.mark.parametrize("consumption, saving, rate, band_min, points", NZC_CASES)
def test_suzhou_near_zero_energy_saving(nzc_table, consumption, saving, rate, band_min, points):
    result = energy_saving.score(
        nzc_table, last_year_consumption_10k_tce=consumption, annual_saving_10k_tce=saving, saving_rate_pct=rate
    )
    assert energy_saving.band(nzc_table, consumption).get("min") == band_min
    assert result.value == pytest.approx(points)
    assert result.unit == "分"


@pytest.mark.parametrize("consumption", [1000, 800, 200, 150, 100, 0.4999, 0.1])
def test_dash_target_means_no_project_score(nzc_table, consumption):
    result = energy_saving.score(nzc_table, last_year_consumption_10k_tce=consumption, annual_saving_10k_tce=999)
    assert result.value is None
    assert any("“—”" in m for m in result.missing)
    # with a rate as well, only the rate counts (the project score is not available)
    with_rate = energy_saving.score(
        nzc_table, last_year_consumption_10k_tce=consumption, annual_saving_10k_tce=999, saving_rate_pct=1
    )
    assert with_rate.value < 2.5
    assert [p.name for p in with_rate.parts] == ["综合节能率得分"]


GREEN_CASES = [
    (0.545846, 0.03761, None, 3.0088),  # 0.03761 ÷ 0.05 × 4 (the Suzhou green example)
    (2, 0.15, None, 2.0),  # 0.15 ÷ 0.3 × 4
    (2, None, 10, 4.0),  # 10 ÷ 10 × 4
    (2, None, 20, 4.0),  # 8 → cap 4
    (2, 0.15, 5, 2.0),  # max(2, 2)
    (1000, None, 3, 3.0),  # 3 ÷ 4 × 4
    (50, 8, None, 4.0),  # 8 ÷ 8 × 4
    (49.99, 2.5, None, 2.0),  # ≥30: 2.5 ÷ 5 × 4
    (0.3, None, 5, 2.0),  # <0.5: 5 ÷ 10 × 4
]


@pytest.mark.parametrize("consumption, saving, rate, points", GREEN_CASES)
def test_suzhou_green_energy_saving(green_table, consumption, saving, rate, points):
    result = energy_saving.score(
        green_table, last_year_consumption_10k_tce=consumption, annual_saving_10k_tce=saving, saving_rate_pct=rate
    )
    assert result.value == pytest.approx(points)


def test_every_band_of_both_tables_is_reachable(nzc_table, green_table):
    for table in (nzc_table, green_table):
        for row in table.rows:
            consumption = row["min"] if row["min"] is not None else 0.1
            assert energy_saving.band(table, consumption) == row


def test_energy_saving_missing_inputs(nzc_table):
    assert energy_saving.score(nzc_table, last_year_consumption_10k_tce=None).missing
    result = energy_saving.score(nzc_table, last_year_consumption_10k_tce=5)
    assert result.value is None and len(result.missing) == 2  # neither figure given


def test_negative_saving_scores_zero(nzc_table):
    result = energy_saving.score(nzc_table, last_year_consumption_10k_tce=5, saving_rate_pct=-3)
    assert result.value == 0 and result.notes


def test_energy_saving_formula_names_band_and_cap(nzc_table):
    result = energy_saving.score(nzc_table, last_year_consumption_10k_tce=0.5, annual_saving_10k_tce=0.1)
    assert "档次 ≥0.5" in result.formula and "上限 2.5" in result.formula
    assert result.extra["band"] == "≥0.5"


# --- nothing crashes on an empty year ----------------------------------------------------------


YEAR_CALCULATORS = [
    energy.total_tce, energy.renewable_tce, energy.consumption_tce, intensity.renewable_share,
    intensity.energy_per_output_value, intensity.energy_per_product, annex_a.plot_ratio, annex_a.building_density,
    annex_a.output_per_land_area, annex_a.green_material_rate, annex_a.waste_gas_per_product,
    annex_a.wastewater_per_product, annex_a.solid_waste_utilization_rate, annex_a.wastewater_reuse_rate,
    annex_a.water_reuse_rate, annex_a.energy_per_unit_product,
]


@pytest.mark.parametrize("calc", YEAR_CALCULATORS, ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}")
def test_empty_year_gives_missing(calc):
    result = calc(YearData())
    assert isinstance(result, Result)
    assert result.value is None and result.missing and all(result.missing)


def test_empty_year_ghg_and_dossier_calculators():
    empty = YearData()
    for result in (ghg.inventory(empty, 2022).category1, ghg.inventory(empty, 2022).category2,
                   ghg.scope12_tco2e(empty, 2022), intensity.carbon_per_product(empty, 2022)):
        assert result.value is None and result.missing
    d = dossier()
    assert carbon.own_reduction_ratio(d).missing and carbon.offset_coverage(d).missing


# --- the example dossiers ----------------------------------------------------------------------


def _example(scheme_id):
    return load_dossier(EXAMPLES / scheme_id)  # every shipped example validates


def _within(a: float, b: float, rel: float = 0.02) -> bool:
    return abs(a - b) <= rel * abs(b)


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_example_figures_are_plausible(scheme_id):
    loaded = _example(scheme_id)
    d = loaded.dossier
    with_energy = [y for y in d.window if any(v is not None for v in d.year(y).energy.values())]
    assert with_energy == d.window  # every example reports its energy for the three years
    for y in with_energy:
        data = d.year(y)
        total = energy.total_tce(data)
        assert total.ok, total.missing
        if data.energy_total_tce is not None:
            assert _within(total.value, data.energy_total_tce), (y, total.value, data.energy_total_tce)
        if data.renewable_tce is not None:
            assert _within(energy.renewable_tce(data).value, data.renewable_tce, 0.02)
        if data.energy_total_equivalent_tce is not None:
            # the reported 等价值 lies within a supply coal rate of 250–350 gce/kWh, whichever
            # convention the example takes for its own PV
            low = energy.total_tce(data, basis="等价", supply_coal_rate_gce_per_kwh=250, own_power_at_calorific=True)
            high = energy.total_tce(data, basis="等价", supply_coal_rate_gce_per_kwh=350)
            assert low.value <= data.energy_total_equivalent_tce <= high.value
        share = intensity.renewable_share(data)
        assert share.ok and 0 <= share.value <= 100
        inv = ghg.inventory(data, y)
        deducted = ghg.inventory(data, y, green_deducted=True)
        e = data.emissions
        if e.scope1 is not None:
            assert _within(inv.category1.value, e.scope1), (y, inv.category1.value, e.scope1)
        if e.scope2 is not None:
            assert _within(inv.category2.value, e.scope2) or _within(deducted.category2.value, e.scope2)
        for result in (intensity.energy_per_output_value(data), intensity.carbon_per_output_value(data, y)):
            assert result.ok and result.value > 0
    series = {y: intensity.energy_per_output_value(d.year(y)) for y in d.window}
    decline = intensity.average_decline_rate(series)
    assert decline.ok and -50 < decline.value < 50


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_example_carbon_and_scores_run(scheme_id):
    loaded = _example(scheme_id)
    d, scheme = loaded.dossier, loaded.scheme
    # Each figure is computed exactly when the example holds what it needs, and otherwise
    # names what is missing.
    own = carbon.own_reduction_ratio(d)
    if d.carbon.baseline_scenario_tco2e is not None:
        assert own.ok and 0 < own.value <= 100, own.missing
    else:
        assert not own.ok and own.missing and own.value is None
    coverage = carbon.offset_coverage(d)
    if any(o.year == d.last_year for o in d.offsets):
        assert coverage.ok and coverage.value > 0, coverage.missing
    else:
        assert not coverage.ok and any(f"{d.last_year}年的碳抵消" in m for m in coverage.missing)
    for row in (*scheme.indicators, *scheme.bonus):
        if row.rule.type == "lookup":  # the Suzhou examples carry the 节能量评分表's data
            table = scheme.lookup_tables[row.rule.params["table"]]
            result = energy_saving.score_dossier(d, table)
            assert result.ok and 0 <= result.value <= table.model_extra["cap"], result.missing
    last = d.year(d.last_year)
    for calc in YEAR_CALCULATORS:
        result = calc(last)
        assert result.ok == (result.value is not None) == (not result.missing), calc.__name__
    for calc in (energy.total_tce, energy.consumption_tce, intensity.renewable_share, intensity.energy_per_output_value):
        assert calc(last).ok, (calc.__name__, calc(last).missing)


def test_jiangsu_example_meets_its_offset_threshold():
    loaded = _example("jiangsu-zero-carbon-factory")
    coverage = carbon.offset_coverage(loaded.dossier)
    assert coverage.ok and coverage.ratio >= 1.0
