"""Figures the Suzhou green-factory forms show that the generic context lacks (``x``).

``x.energy_saving`` — 附件1-3 项目节能量、综合节能率评分表 worked out for the dossier (the
same reading as the 近零碳 附件1-4, with × 4 and a 4-point cap from the scheme's table).
"""

from __future__ import annotations

from typing import Any

from ...loader import LoadedDossier
from .suzhou_energy_saving import energy_saving


def build(loaded: LoadedDossier, builder: Any) -> dict[str, Any]:
    return {"energy_saving": energy_saving(loaded)}
