"""Figures the Zhengzhou forms need beyond the common context (template name ``x``).

- ``x.basic_met``: 附件4 “基本要求 □ 符合 □ 不符合” — True when every 表1 row is 符合
  (不适用 where the row only applies under its own premise), False when one is not,
  None while a row is unanswered (neither box ticked).
- ``x.bonus_points``: 表3 各项得分合计 (Σ of the points the scoring engine gives each
  bonus row; blank when none is scored). The 加分 itself is ``score.bonus_total``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ZhengzhouFigures:
    basic_met: bool | None
    bonus_points: float | None


def _basic_met(loaded: Any) -> bool | None:
    d, s = loaded.dossier, loaded.scheme
    unknown = False
    for cond in s.basic_conditions:
        answer = d.basic_conditions.get(cond.id)
        status = answer.status if answer else None
        if status is None:
            unknown = True
        elif status == "符合" or (status == "不适用" and cond.applicable_only):
            continue
        else:
            return False
    return None if unknown else True


def build(loaded: Any, builder: Any) -> ZhengzhouFigures:
    report = builder.get("score")  # the evaluator's score on the evaluator's report (附件4)
    points = [i.points for i in report.items if i.kind == "bonus" and i.points is not None]
    basic = [i for i in report.items if i.kind == "basic"]
    met: bool | None = None
    if basic:
        met = False if any(i.met is False for i in basic) else (True if all(i.met for i in basic) else None)
    else:
        met = _basic_met(loaded)
    return ZhengzhouFigures(basic_met=met, bonus_points=sum(points) if points else None)
