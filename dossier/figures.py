"""The computed figures of a dossier, year by year, as the forms and the scoring engine
read them: ``figures[2025].energy_tce.value``.

Each figure is a :class:`~dossier.calc.result.Result` (value, unit, formula, sources), computed
on first use and kept. Reported figures (报表数, verified emissions) are preferred where the
dossier gives them, as the calculators do by default.
"""

from __future__ import annotations

from typing import Callable

from .calc import annex_a, carbon, energy, ghg, intensity
from .calc.result import Result
from .model import Dossier, YearData

# name → (label, function of (year data, year)); the labels are the forms' own words.
YEAR_FIGURES: dict[str, tuple[str, Callable[[YearData, int], Result]]] = {
    "energy_tce": ("综合能耗（当量值，tce）", lambda d, y: energy.consumption_tce(d, basis="当量")),
    "energy_equivalent_tce": ("综合能耗（等价值，tce）", lambda d, y: energy.consumption_tce(d, basis="等价")),
    "renewable_tce": ("可再生能源消费量（tce）", lambda d, y: energy.renewable_consumption_tce(d)),
    "renewable_share": ("可再生能源消费占比（%）", lambda d, y: intensity.renewable_share(d)),
    "scope12": ("类别1+类别2 排放（tCO2e）", lambda d, y: ghg.scope12_tco2e(d, y)),
    "energy_per_output_value": ("单位产值综合能耗（tce/万元）", lambda d, y: intensity.energy_per_output_value(d)),
    "energy_per_value_added": ("单位工业增加值综合能耗（tce/万元）", lambda d, y: intensity.energy_per_value_added(d)),
    "energy_per_product": ("单位产品综合能耗", lambda d, y: intensity.energy_per_product(d)),
    "carbon_per_output_value": ("单位产值碳排放（tCO2e/万元）", lambda d, y: intensity.carbon_per_output_value(d, y)),
    "carbon_per_value_added": ("单位工业增加值碳排放（tCO2e/万元）", lambda d, y: intensity.carbon_per_value_added(d, y)),
    "carbon_per_product": ("单位产品碳排放", lambda d, y: intensity.carbon_per_product(d, y)),
    "plot_ratio": ("容积率", lambda d, y: annex_a.plot_ratio(d)),
    "building_density": ("建筑密度（%）", lambda d, y: annex_a.building_density(d)),
    "output_per_land_area": ("单位用地面积产值（万元/m²）", lambda d, y: annex_a.output_per_land_area(d)),
    "green_material_rate": ("绿色物料使用率（%）", lambda d, y: annex_a.green_material_rate(d)),
    "solid_waste_utilization_rate": ("工业固体废物综合利用率（%）", lambda d, y: annex_a.solid_waste_utilization_rate(d)),
    "wastewater_reuse_rate": ("废水处理回用率（%）", lambda d, y: annex_a.wastewater_reuse_rate(d)),
    "water_reuse_rate": ("水重复利用率（%）", lambda d, y: annex_a.water_reuse_rate(d)),
    "wastewater_per_product": ("单位产品废水产生量", lambda d, y: annex_a.wastewater_per_product(d)),
    "waste_gas_per_product": ("单位产品废气产生量", lambda d, y: annex_a.waste_gas_per_product(d)),
}


class YearFigures:
    """The figures of one year, computed on first access (``figs.energy_tce``)."""

    def __init__(self, data: YearData, year: int) -> None:
        self.year = year
        self.data = data
        self._cache: dict[str, Result] = {}

    def get(self, name: str) -> Result:
        if name not in YEAR_FIGURES:
            raise KeyError(f"没有名为 {name!r} 的计算指标；可用：{'、'.join(YEAR_FIGURES)}")
        if name not in self._cache:
            self._cache[name] = YEAR_FIGURES[name][1](self.data, self.year)
        return self._cache[name]

    def __getattr__(self, name: str) -> Result:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.get(name)
        except KeyError as exc:
            raise AttributeError(str(exc)) from None

    def __getitem__(self, name: str) -> Result:
        return self.get(name)


class Figures:
    """All computed figures of a dossier: per year (``figures[2025]``) and whole-dossier ones."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self._years: dict[int, YearFigures] = {}
        self._own: dict[str, Result] = {}

    def __getitem__(self, year: int) -> YearFigures:
        year = int(year)
        if year not in self._years:
            self._years[year] = YearFigures(self.dossier.year(year), year)
        return self._years[year]

    def _once(self, name: str, compute: Callable[[], Result]) -> Result:
        if name not in self._own:
            self._own[name] = compute()
        return self._own[name]

    @property
    def own_reduction(self) -> Result:
        return self._once("own_reduction", lambda: carbon.own_reduction(self.dossier))

    @property
    def own_reduction_ratio(self) -> Result:
        return self._once("own_reduction_ratio", lambda: carbon.own_reduction_ratio(self.dossier))

    def offset_coverage(self, year: int | None = None) -> Result:
        year = year or self.dossier.last_year
        return self._once(f"offset_coverage_{year}", lambda: carbon.offset_coverage(self.dossier, year))

    def offsets_total(self, year: int | None = None) -> Result:
        year = year or self.dossier.last_year
        return self._once(f"offsets_total_{year}", lambda: carbon.offsets_total(self.dossier, year))

    def decline(self, name: str) -> Result:
        """The average yearly decline of a year figure over the window (e.g. energy_per_output_value)."""
        return self._once(
            f"decline_{name}",
            lambda: intensity.average_decline_rate({y: self[y].get(name) for y in self.dossier.window},
                                                   name=f"{YEAR_FIGURES[name][0]}年均下降率"),
        )

    def year_on_year(self, name: str, year: int) -> Result:
        return self._once(
            f"yoy_{name}_{year}",
            lambda: intensity.year_on_year(self[year].get(name), self[year - 1].get(name),
                                           name=f"{YEAR_FIGURES[name][0]}同比变化"),
        )


def label(name: str) -> str:
    return YEAR_FIGURES[name][0]
