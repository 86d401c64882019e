"""综合能耗: energy carriers converted to standard coal (tce) per GB/T 2589-2020.

Two bases, labelled on every figure:

* 当量值 — the energy the carrier contains (electricity 0.1229 kgce/kWh);
* 等价值 — electricity at the year's 供电标准煤耗 (``supply_coal_rate_gce_per_kwh``,
  gce/kWh, a parameter: it changes every year); the other carriers keep their 当量
  coefficient (GB/T 2589 defines no other 等价 coefficient in its annex).

Measured calorific values override the defaults: ``measured_ncv`` maps a carrier id to
its measured low heating value in GJ per the carrier's unit (GJ/t, GJ/万m³), and the
coefficient becomes NCV ÷ 29.307 GJ/tce. Exported power (``pv_exported``) is not
consumption and is left out.
"""

from __future__ import annotations

from typing import Literal, Mapping

from ..model import YearData
from . import coefficients as co
from .result import Result, Source, coef, fmt, missing

Basis = Literal["当量", "等价"]
Prefer = Literal["reported", "computed"]
_POWER = ("purchased_power", "own_power")


def _check_basis(basis: str) -> None:
    if basis not in ("当量", "等价"):
        raise ValueError(f"折标口径应为 当量 或 等价，实际为 {basis!r}")


def carrier_tce(
    carrier_id: str,
    amount: float,
    *,
    basis: Basis = "当量",
    supply_coal_rate_gce_per_kwh: float | None = None,
    measured_ncv: Mapping[str, float] | None = None,
    own_power_at_calorific: bool = False,
) -> Result:
    """Standard coal (tce) of ``amount`` of one carrier, in the carrier's unit.

    ``own_power_at_calorific``: on the 等价 basis, count self-generated renewable power
    (``own_power``) at its 当量 value instead of the supply coal rate. Practice differs
    between forms (national statistics convert primary electricity at the coal rate);
    the choice is printed in the notes.
    """
    _check_basis(basis)
    info = co.carrier(carrier_id)
    label, unit, kind = info["name"], info["unit"], info.get("kind")
    name = f"{label}折标准煤（{basis}值）"
    if kind == "exported_power":
        return Result(
            name=name, value=0.0, unit="tce",
            formula=f"{label} {fmt(amount)} {unit} 输出厂外，不计入综合能耗",
            notes=("输出厂外的电量不是本单位的能源消费（GB/T 2589-2020 计算范围）",),
        )
    ncv = (measured_ncv or {}).get(carrier_id)
    if ncv is not None:
        if kind not in ("fuel",):
            raise ValueError(f"实测低位发热量只适用于燃料，{carrier_id}（{label}）不是燃料")
        kj, kj_source = co.kj_per_kgce()
        gj_per_tce = kj / 1000  # kJ/kgce = MJ/tce → GJ/tce ÷ 1000
        factor = ncv / gj_per_tce
        value = amount * factor
        return Result(
            name=name, value=value, unit="tce",
            formula=f"{fmt(amount)} {unit} × ({coef(ncv)} GJ/{unit} ÷ {coef(gj_per_tce)} GJ/tce) = {fmt(value)} tce",
            sources=(Source(f"{label}实测低位发热量 {coef(ncv)} GJ/{unit}", "计算参数（实测值）", "parameter"), kj_source),
        )
    if basis == "等价" and kind in _POWER and not (kind == "own_power" and own_power_at_calorific):
        if supply_coal_rate_gce_per_kwh is None:
            return missing(name, "tce", "等价值需要当年供电标准煤耗（supply_coal_rate_gce_per_kwh，gce/kWh）")
        factor = supply_coal_rate_gce_per_kwh / 1000  # gce/kWh = kgce/MWh → tce/MWh ÷ 1000
        value = amount * factor
        return Result(
            name=name, value=value, unit="tce",
            formula=(
                f"{fmt(amount)} MWh × {coef(factor)} tce/MWh（供电标准煤耗 {coef(supply_coal_rate_gce_per_kwh)} gce/kWh）"
                f" = {fmt(value)} tce"
            ),
            sources=(co.electricity_equivalent_source(supply_coal_rate_gce_per_kwh),),
        )
    coefficient = co.standard_coal(carrier_id)
    if coefficient is None or coefficient.tce_per_unit is None:
        why = coefficient.note if coefficient and coefficient.note else ""
        return missing(
            name, "tce", f"{label}没有默认折标准煤系数，需给出实测低位发热量（measured_ncv，GJ/{unit}）",
            notes=(why,) if why else (),
        )
    value = amount * coefficient.tce_per_unit
    notes: list[str] = []
    if basis == "等价" and kind in _POWER:
        notes.append("自发自用可再生电力按当量值计（own_power_at_calorific）")
    if coefficient.note:
        notes.append(coefficient.note)
    return Result(
        name=name, value=value, unit="tce",
        formula=f"{fmt(amount)} {unit} × {coef(coefficient.tce_per_unit)} {coefficient.unit} = {fmt(value)} tce",
        sources=(coefficient.source,), notes=tuple(notes),
    )


def _amounts(data: YearData) -> tuple[dict[str, float], list[str]]:
    """The carriers with a figure, and the names of those left empty."""
    filled = {cid: float(v) for cid, v in data.energy.items() if v is not None}
    empty = [co.carrier(cid)["name"] for cid, v in data.energy.items() if v is None]
    return filled, empty


def total_tce(
    data: YearData,
    *,
    basis: Basis = "当量",
    supply_coal_rate_gce_per_kwh: float | None = None,
    measured_ncv: Mapping[str, float] | None = None,
    own_power_at_calorific: bool = False,
    only: str | None = None,
) -> Result:
    """综合能耗 (tce) of a year computed from its energy amounts, per carrier and in total.

    ``only="renewable"`` sums the renewable carriers alone (可再生能源消费量).
    """
    _check_basis(basis)
    what = "可再生能源消费量" if only == "renewable" else "综合能耗"
    name = f"{what}（{basis}值）"
    filled, empty = _amounts(data)
    notes: list[str] = []
    if empty:
        notes.append(f"未填写（按未消费计）：{'、'.join(empty)}")
    if not filled:
        return missing(name, "tce", "年度能源消费实物量（years.<年份>.energy）", notes=notes)
    parts: list[Result] = []
    counted: list[str] = []
    for cid, amount in filled.items():
        info = co.carrier(cid)
        if info.get("kind") == "exported_power":
            notes.append(f"{info['name']} {fmt(amount)} {info['unit']} 输出厂外，不计入")
            continue
        if only == "renewable" and not info.get("renewable"):
            continue
        counted.append(cid)
        parts.append(
            carrier_tce(
                cid, amount, basis=basis, supply_coal_rate_gce_per_kwh=supply_coal_rate_gce_per_kwh,
                measured_ncv=measured_ncv, own_power_at_calorific=own_power_at_calorific,
            )
        )
    if basis == "等价" and any(co.carrier(cid).get("kind") not in _POWER for cid in filled):
        notes.append("等价值：除电力外，各能源按当量值系数计（GB/T 2589 附录未给其他等价系数）")
    gaps = [gap for p in parts for gap in p.missing]
    if gaps:
        return Result(name=name, value=None, unit="tce", missing=tuple(dict.fromkeys(gaps)), notes=tuple(notes), parts=tuple(parts))
    value = sum(p.value for p in parts)  # type: ignore[misc]
    terms = " + ".join(f"{co.carrier(cid)['name']} {fmt(p.value)}" for cid, p in zip(counted, parts)) or f"无{what}"
    return Result(
        name=name, value=value, unit="tce", formula=f"{terms} = {fmt(value)} tce",
        notes=tuple(notes), parts=tuple(parts),
    )


def renewable_tce(data: YearData, *, basis: Basis = "当量", **options) -> Result:
    """可再生能源消费量 (tce): the renewable carriers (energy_carriers.yaml ``renewable``)."""
    return total_tce(data, basis=basis, only="renewable", **options)


def _reported(name: str, value: float | None, field: str) -> Result | None:
    if value is None:
        return None
    return Result(
        name=name, value=float(value), unit="tce", formula=f"{name} = {fmt(value)} tce（报表数，{field}）",
        sources=(Source(f"{fmt(value)} tce", f"档案 {field}（统计报表数）", "reported"),),
    )


def consumption_tce(data: YearData, *, basis: Basis = "当量", prefer: Prefer = "reported", **options) -> Result:
    """综合能耗 (tce) as the forms use it: the reported figure when the dossier gives one
    (``energy_total_tce`` / ``energy_total_equivalent_tce``, 统计报表数), else computed.

    ``prefer="computed"`` computes from the energy amounts whenever they are there.
    """
    _check_basis(basis)
    field = "energy_total_tce" if basis == "当量" else "energy_total_equivalent_tce"
    reported = _reported(f"综合能耗（{basis}值）", getattr(data, field), field)
    if prefer == "reported" and reported:
        return reported
    computed = total_tce(data, basis=basis, **options)
    if computed.ok or reported is None:
        return computed
    return reported.with_notes(f"能源消费实物量不全，采用报表数（{'；'.join(computed.missing)}）")


def renewable_consumption_tce(data: YearData, *, basis: Basis = "当量", prefer: Prefer = "reported", **options) -> Result:
    """可再生能源消费量 (tce): ``renewable_tce`` as reported, else computed."""
    reported = _reported(f"可再生能源消费量（{basis}值）", data.renewable_tce, "renewable_tce")
    if prefer == "reported" and reported and basis == "当量":
        return reported
    computed = renewable_tce(data, basis=basis, **options)
    if computed.ok or reported is None:
        return computed
    return reported.with_notes(f"能源消费实物量不全，采用报表数（{'；'.join(computed.missing)}）")


def reported_deviation(data: YearData, *, basis: Basis = "当量", **options) -> Result:
    """How far the reported 综合能耗 is from the one computed from the energy amounts (%)."""
    field = "energy_total_tce" if basis == "当量" else "energy_total_equivalent_tce"
    name = f"综合能耗报表数与计算值偏差（{basis}值）"
    reported = getattr(data, field)
    computed = total_tce(data, basis=basis, **options)
    if reported is None:
        return missing(name, "%", f"报表数 {field}")
    if not computed.ok:
        return missing(name, "%", *computed.missing, parts=(computed,))
    if computed.value == 0:
        return missing(name, "%", "计算值为 0，无法比较")
    value = (reported - computed.value) / computed.value * 100
    return Result(
        name=name, value=value, unit="%",
        formula=f"({fmt(reported)} − {fmt(computed.value)}) ÷ {fmt(computed.value)} × 100% = {fmt(value, 2)}%",
        parts=(computed,),
    )
