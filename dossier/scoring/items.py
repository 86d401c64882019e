"""One row at a time: a basic condition, an indicator or a bonus item → :class:`ItemScore`.

What happens before a row's rule is called:

* ``不适用`` on a row that may not apply (必选/可选（适用时）, or listed in
  ``scoring.conditional`` because its own text starts 适用时/必要时/可行时): the row is
  left out of both the points and the maximum (its category is rescaled, see
  :mod:`dossier.scoring.engine`). On any other row ``不适用`` is not met: 0 points.
* a basic condition is a veto: only 符合 passes (不适用 only where the condition itself
  says it may not apply); 部分符合 or 不符合 fail, an empty answer fails as 未填写.
"""

from __future__ import annotations

from ..schemes import BasicCondition, Indicator
from .context import Context, headline
from .report import ItemScore
from .rules import RULES


def score_row(row: Indicator, kind: str, ctx: Context) -> ItemScore:
    answer = ctx.answer(row, kind)
    status = answer.status if answer else None
    base = dict(
        id=row.id, max=row.max_points, type=row.type if kind == "indicator" else "加分",
        category=row.category, kind=kind, rule=row.rule.type, label=f"{row.id} {headline(row.requirement)}",
        claimed=answer.points if answer else None, answered=status is not None,
    )
    if status == "不适用":
        if ctx.applicable_only(row):
            return ItemScore(
                points=None, met=None, applicable=False,
                reason="不适用（本项为“适用时”项）：分值不计入得分和可得分；请在符合性说明中写明不适用的理由，由评价人复核",
                **base,
            )
        return ItemScore(points=0.0, met=False,
                         reason="答“不适用”，但本项不是“适用时”项：按未达到计 0 分", **base)
    outcome = RULES[row.rule.type](row, answer, ctx)
    return ItemScore(points=outcome.points, met=outcome.met, reason=ctx.voice(outcome.reason),
                     computed=outcome.computed, formula=outcome.formula, **base)


def score_basic(bc: BasicCondition, ctx: Context) -> ItemScore:
    answer = ctx.answers("basic_conditions").get(bc.id)
    status = answer.status if answer else None
    label = f"{bc.id} {bc.group or headline(bc.text)}"
    base = dict(id=bc.id, points=None, max=0.0, type="基本条件", category=bc.group, kind="basic",
                rule="veto", label=label, answered=status is not None)
    if status == "符合":
        return ItemScore(met=True, reason="符合", **base)
    if status is None:
        return ItemScore(met=None, reason=ctx.voice("未填写——基本条件须逐条自评，未填写不能通过"), **base)
    if status == "不适用":
        if bc.applicable_only:
            return ItemScore(met=True, applicable=False,
                             reason="不适用（本条件注明可不适用），不构成否决；请写明不适用的理由", **base)
        return ItemScore(met=False, reason="答“不适用”，但本条件没有不适用的情形：视为不符合——一票否决", **base)
    if status == "部分符合":
        return ItemScore(met=False, reason="部分符合——基本条件须完全符合，一票否决", **base)
    return ItemScore(met=False, reason="不符合——一票否决", **base)
