"""Figures the Suzhou 近零碳 forms show that the generic context lacks (template name ``x``).

``x.energy_saving`` — 附件1-4 项目节能量、综合节能率评分表 worked out for the dossier
(:class:`~dossier.render.extras.suzhou_energy_saving.EnergySaving`: the band chosen by last
year's 综合能耗, its targets, the actual saving and rate, both sub-scores, the higher one and
the score after the 2.5-point cap).
"""

from __future__ import annotations

from typing import Any

from ...loader import LoadedDossier
from .suzhou_energy_saving import energy_saving


def build(loaded: LoadedDossier, builder: Any) -> dict[str, Any]:
    return {"energy_saving": energy_saving(loaded)}
