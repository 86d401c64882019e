"""Access to ``dossier/data/coefficients.yaml`` and ``energy_carriers.yaml``.

The calculators hold no coefficient: they ask here, and get the figure together with a
:class:`~dossier.calc.result.Source` naming where it comes from and how sure it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import energy_carriers
from ..resources import data_file
from .result import STATUSES, Source

DATA_FILE = data_file("coefficients.yaml")


@lru_cache(maxsize=1)
def coefficients() -> dict[str, Any]:
    from ..yamlread import read_yaml

    return read_yaml(DATA_FILE).data


def carrier(carrier_id: str) -> dict[str, Any]:
    return energy_carriers()[carrier_id]


def carriers() -> dict[str, dict[str, Any]]:
    return energy_carriers()


def _source(figure: str, entry: dict[str, Any], group: dict[str, Any] | None = None) -> Source:
    group = group or {}
    ref = entry.get("source") or group.get("source") or "（未注明来源）"
    status = entry.get("status") or group.get("status") or "unverified"
    return Source(figure=figure, ref=ref, status=status)


# --- standard coal ---------------------------------------------------------------------


@dataclass(frozen=True)
class CoalCoefficient:
    tce_per_unit: float | None
    unit: str  # tce/t, tce/万m³, tce/MWh, tce/GJ
    source: Source
    note: str | None = None


def standard_coal(carrier_id: str) -> CoalCoefficient | None:
    """The 当量值 coefficient of a carrier in tce per its unit, or None when the file has no row."""
    entry = coefficients()["standard_coal"]["carriers"].get(carrier_id)
    if entry is None:
        return None
    return CoalCoefficient(
        tce_per_unit=entry.get("tce_per_unit"),
        unit=entry["unit"],
        source=_source(entry.get("published", carrier_id), entry),
        note=entry.get("note"),
    )


def kj_per_kgce() -> tuple[float, Source]:
    entry = coefficients()["standard_coal"]["kj_per_kgce"]
    return float(entry["value"]), _source(f"1 kgce = {entry['value']} kJ", entry)


def electricity_equivalent_source(rate_gce_per_kwh: float) -> Source:
    entry = coefficients()["standard_coal"]["electricity_equivalent"]
    return Source(
        figure=f"供电标准煤耗 {rate_gce_per_kwh:g} gce/kWh（等价值）",
        ref=f"计算参数；口径：{entry['source']}",
        status="parameter",
    )


# --- GHG -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuelParameters:
    ncv: float | None  # GJ per carrier unit
    ncv_unit: str
    carbon_content: float | None  # tC/GJ
    oxidation: float | None  # fraction
    biogenic: bool
    source: Source
    note: str | None = None


def fuel(carrier_id: str) -> FuelParameters | None:
    group = coefficients()["ghg"]["fuels"]
    entry = group.get(carrier_id)
    if not isinstance(entry, dict):
        return None
    return FuelParameters(
        ncv=entry.get("ncv"),
        ncv_unit=entry.get("ncv_unit", ""),
        carbon_content=entry.get("carbon_content"),
        oxidation=entry.get("oxidation"),
        biogenic=bool(entry.get("biogenic")),
        source=_source(entry.get("published", carrier_id), entry, group),
        note=entry.get("note"),
    )


def heat_factor() -> tuple[float, Source]:
    entry = coefficients()["ghg"]["purchased_heat"]
    return float(entry["value"]), _source(f"热力排放因子 {entry['value']} {entry['unit']}", entry)


GRID_SCOPES = ("national", "national_excl_market", "national_fossil", "east_china")


def grid_scope(scope: str) -> dict[str, Any]:
    table = coefficients()["ghg"]["grid_factors"]
    if scope not in table:
        import difflib

        hint = difflib.get_close_matches(scope, table, n=1)
        raise ValueError(
            f"未知的电网排放因子口径 {scope!r}" + (f"（是否应为 {hint[0]}？）" if hint else "") + f"；可用：{', '.join(table)}"
        )
    return table[scope]


def grid_value(scope: str, year: int) -> tuple[float, Source] | None:
    table = grid_scope(scope)
    entry = table["values"].get(year)
    if entry is None:
        return None
    figure = f"{year}年{table['name']} {entry['value']} tCO2/MWh"
    return float(entry["value"]), _source(figure, entry, table)


def grid_years(scope: str) -> list[int]:
    return sorted(grid_scope(scope)["values"])


def gwp(gas: str, gwp_set: str) -> tuple[float, Source] | None:
    sets = coefficients()["ghg"]["gwp"]["sets"]
    if gwp_set not in sets:
        raise ValueError(f"未知的 GWP 值集合 {gwp_set!r}；可用：{', '.join(sets)}")
    group = sets[gwp_set]
    entry = group["values"].get(gas)
    if entry is None:
        return None
    note = f"{entry['note']}" if entry.get("note") else ""
    ref = group["source"] + (f" {note}" if note else "")
    return float(entry["value"]), Source(
        figure=f"{gas} GWP {entry['value']:g}（{gwp_set}）", ref=ref, status=entry.get("status", group["status"])
    )


def default_gwp_set() -> str:
    return coefficients()["ghg"]["gwp"]["default"]


# --- self-check (tests/test_calc.py runs it) ---------------------------------------------


def problems() -> list[str]:
    """Everything wrong with the data file: a row without source/status, a carrier without a row."""
    data = coefficients()
    found: list[str] = []

    def need(path: str, entry: dict[str, Any], group: dict[str, Any] | None = None) -> None:
        group = group or {}
        if not (entry.get("source") or group.get("source")):
            found.append(f"{path}: 缺少 source")
        status = entry.get("status") or group.get("status")
        if status not in STATUSES:
            found.append(f"{path}: status 应为 {'/'.join(STATUSES)}，实际为 {status!r}")

    coal = data["standard_coal"]
    need("standard_coal.kj_per_kgce", coal["kj_per_kgce"])
    need("standard_coal.electricity_equivalent", coal["electricity_equivalent"])
    for cid, info in carriers().items():
        if info.get("kind") == "exported_power":
            continue  # not consumption: no coefficient needed
        row = coal["carriers"].get(cid)
        if row is None:
            found.append(f"standard_coal.carriers: 缺少能源品种 {cid}")
            continue
        need(f"standard_coal.carriers.{cid}", row)
        expected = f"tce/{info['unit']}"
        if row["unit"] != expected:
            found.append(f"standard_coal.carriers.{cid}.unit: 应为 {expected}（能源品种单位 {info['unit']}），实际为 {row['unit']}")
    for cid in coal["carriers"]:
        if cid not in carriers():
            found.append(f"standard_coal.carriers.{cid}: energy_carriers.yaml 中没有该品种")
    fuels = data["ghg"]["fuels"]
    for cid, info in carriers().items():
        if info.get("kind") == "fuel":
            row = fuels.get(cid)
            if not isinstance(row, dict):
                found.append(f"ghg.fuels: 缺少燃料 {cid}")
                continue
            need(f"ghg.fuels.{cid}", row, fuels)
            if row.get("ncv_unit") != f"GJ/{info['unit']}":
                found.append(f"ghg.fuels.{cid}.ncv_unit: 应为 GJ/{info['unit']}")
    need("ghg.purchased_heat", data["ghg"]["purchased_heat"])
    for scope, table in data["ghg"]["grid_factors"].items():
        for year, row in table["values"].items():
            need(f"ghg.grid_factors.{scope}.{year}", row, table)
    for name, group in data["ghg"]["gwp"]["sets"].items():
        for gas, row in group["values"].items():
            need(f"ghg.gwp.{name}.{gas}", row, group)
    return found
