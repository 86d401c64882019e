"""The worked-out 项目节能量、综合节能率评分表 of both Suzhou schemes (近零碳 附件1-4,
× 2.5, at most 2.5; 绿色工厂 附件1-3, × 4, at most 4), as figures for the templates.

The score itself is :func:`dossier.calc.energy_saving.score_dossier`: last year's
综合能耗 (当量) picks the band, last year's 节能提效 projects give the 项目实际年节能量
(等价), and ``years.<last>.energy_saving_rate_pct`` the 综合年节能率. This module only
lays its parts out under names a template can print (``x.energy_saving.band`` …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...calc.energy_saving import score_dossier
from ...calc.result import Result
from ...loader import LoadedDossier

TABLE = "energy_saving"  # lookup_tables.energy_saving in both Suzhou scheme files


@dataclass(frozen=True)
class EnergySaving:
    """One dossier's reading of the table; every figure None where it cannot be had.

    ``saving_score`` / ``rate_score`` are the two sub-scores before 注3 (两者取高，最高不超过
    ``cap`` 分); ``points`` is the score after it.
    """

    year: int  # 上年度
    consumption_tce: float | None  # 上年度综合能耗（当量）, tce
    consumption_10k: float | None  # the same in 万tce: what picks the band
    band: str | None  # the band's label, "≥1"
    saving_target: float | None  # 项目年节能量目标（等价）, 万tce/a; None: "—" in the band
    rate_target: float | None  # 综合节能率目标, %
    saving_tce: float | None  # 项目实际年节能量（等价）, tce
    saving_10k: float | None  # the same in 万tce/a
    rate_pct: float | None  # 综合年节能率, %
    saving_score: float | None
    rate_score: float | None
    best: float | None  # the higher sub-score, before the cap
    points: float | None  # 得分
    multiplier: float
    cap: float
    projects: list[str] = field(default_factory=list)  # the projects whose saving counts
    formula: str = ""  # the calculator's formula with the figures filled in
    missing: list[str] = field(default_factory=list)  # what is needed for a score
    notes: list[str] = field(default_factory=list)  # what was left out and why

    @property
    def capped(self) -> bool:
        return self.best is not None and self.best > self.cap


def _part(result: Result, name: str) -> Result | None:
    try:
        return result.part(name)
    except KeyError:
        return None


def energy_saving(loaded: LoadedDossier) -> EnergySaving:
    dossier = loaded.dossier
    table = loaded.scheme.lookup_tables[TABLE]
    last = dossier.last_year
    rate = dossier.year(last).energy_saving_rate_pct
    result = score_dossier(dossier, table, saving_rate_pct=rate)
    consumption = next((p for p in result.parts if p.name.startswith("综合能耗")), None)
    saving = next((p for p in result.parts if p.name.endswith("年节能量（等价值）")), None)
    saving_part, rate_part = _part(result, "项目节能量得分"), _part(result, "综合节能率得分")
    subs = [p.value for p in (saving_part, rate_part) if p is not None and p.value is not None]
    extra: dict[str, Any] = result.extra or {}
    consumption_tce = consumption.value if consumption is not None else None
    saving_tce = saving.value if saving is not None else None
    return EnergySaving(
        year=last,
        consumption_tce=consumption_tce,
        consumption_10k=consumption_tce / 10000 if consumption_tce is not None else None,
        band=extra.get("band"),
        saving_target=extra.get("saving_target"),
        rate_target=extra.get("rate_target"),
        saving_tce=saving_tce,
        saving_10k=saving_tce / 10000 if saving_tce is not None else None,
        rate_pct=rate,
        saving_score=saving_part.value if saving_part is not None else None,
        rate_score=rate_part.value if rate_part is not None else None,
        best=max(subs) if subs else None,
        points=result.value,
        multiplier=float(table.model_dump()["multiplier"]),
        cap=float(table.model_dump()["cap"]),
        projects=list((saving.extra or {}).get("projects", [])) if saving is not None else [],
        formula=result.formula,
        missing=list(result.missing),
        notes=list(result.notes),
    )
