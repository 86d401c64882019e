"""The scoring engine: a dossier and its scheme → :class:`ScoreReport`.

Steps, each driven by the scheme data:

1. every basic condition, indicator and bonus row → :mod:`.items` (the row's rule from
   :mod:`.rules`; a computed figure decides where the dossier has the data);
2. categories (:func:`category_scores`): Σ points of the rows that apply; rows answered
   不适用 on an 适用时 row leave the category's maximum too, so the category is
   rescaled (earned × category rows' sum ÷ applicable rows' sum); then the category's
   ``cap``; ``weighted`` schemes add score × weight, ``sum`` schemes add the scores; the
   indicator total is capped at ``scoring.max_total``;
3. bonus (:func:`bonus_score`): Σ bonus points × ``bonus_scoring.weight``, capped at
   ``bonus_scoring.max_total``; the total is indicators + bonus;
4. thresholds (:mod:`.thresholds`) → eligibility; the gap list (:mod:`.gaps`).

The scheme's ``scoring.method`` picks the function from :data:`SCORING_METHODS`: steps 1–3
above for ``sum`` and ``weighted``; ``green_index`` (:mod:`.green_index`, the Zhejiang
park's 绿色指数) scores by its own method. ``by="evaluator"`` scores the third-party
evaluator's findings instead of the self-assessment (:class:`.context.Context`); computed
figures decide as before.
"""

from __future__ import annotations

from typing import Callable

from .. import vocabulary
from ..errors import SchemeDataError
from ..loader import LoadedDossier
from . import gaps, green_index, thresholds
from .context import VIEWS, Context, pts, round2
from .items import score_basic, score_row
from .report import CategoryScore, ItemScore, ScoreReport


def category_scores(ctx: Context, items: list[ItemScore]) -> list[CategoryScore]:
    out: list[CategoryScore] = []
    weighted = ctx.scheme.scoring.method == "weighted"
    for cat in ctx.scheme.categories:
        if weighted and cat.weight is None:
            raise SchemeDataError(f"方案 {ctx.scheme.id}：加权计分的一级指标“{cat.name}”缺少 weight")
        rows = [i for i in items if i.kind == "indicator" and i.category == cat.name]
        full = sum(r.max or 0.0 for r in rows)
        applicable = sum(r.max or 0.0 for r in rows if r.applicable)
        earned = round2(sum(r.points or 0.0 for r in rows if r.applicable))
        score, notes = earned, []
        if 0 < applicable < full:
            score = round2(earned * full / applicable)
            notes.append(f"不适用 {pts(full - applicable)} 分：{pts(earned)} × {pts(full)} ÷ {pts(applicable)} = {pts(score)}")
        elif applicable == 0 and full > 0:
            notes.append("本类各行均不适用")
        reach = full if cat.cap is None else min(full, cat.cap)
        if cat.cap is not None and score > cat.cap:
            notes.append(f"超过本类上限 {pts(cat.cap)} 分，按 {pts(cat.cap)} 分计")
            score = cat.cap
        value = round2(score * cat.weight) if weighted and cat.weight is not None else score
        out.append(CategoryScore(name=cat.name, score=score, max=reach, weight=cat.weight, weighted=value,
                                 earned=earned, applicable_max=applicable, note="；".join(notes)))
    return out


def indicator_score(ctx: Context, items: list[ItemScore], categories: list[CategoryScore]) -> float:
    if categories:
        total = sum(c.weighted or 0.0 for c in categories)
    else:
        total = sum(i.points or 0.0 for i in items if i.kind == "indicator" and i.applicable)
    cap = ctx.scheme.scoring.max_total
    return round2(min(total, cap) if cap is not None else total)


def bonus_score(ctx: Context, items: list[ItemScore]) -> float:
    rows = [i for i in items if i.kind == "bonus" and i.applicable]
    if not rows:
        return 0.0
    rule = ctx.scheme.bonus_scoring
    raw = sum(i.points or 0.0 for i in rows)
    if rule is not None and rule.weight is not None:
        raw *= rule.weight
    if rule is not None and rule.max_total is not None:
        raw = min(raw, rule.max_total)
    return round2(raw)


def maximum(ctx: Context) -> float | None:
    top = ctx.scheme.scoring.max_total
    if top is None:
        return None
    bonus = ctx.scheme.bonus_scoring
    return top + ((bonus.max_total or 0.0) if bonus is not None and ctx.scheme.bonus else 0.0)


def level_cutoffs(ctx: Context) -> dict[str, float]:
    """Each level's minimum score: the scheme's, or — where the programme's text gives
    none (苏州绿色工厂 1A–5A) — the dossier's ``parameters.level_cutoffs`` (by level id)."""
    given = ctx.dossier.parameters.level_cutoffs
    out: dict[str, float] = {}
    for lv in ctx.scheme.levels:
        cut = given.get(lv.id, given.get(lv.name))
        if cut is None:
            cut = lv.min_score
        if cut is not None:
            out[lv.id] = float(cut)
    return out


def level_reached(ctx: Context, total: float | None) -> tuple[str | None, list[str]]:
    levels = ctx.scheme.levels
    if not levels:
        return None, []
    cutoffs = level_cutoffs(ctx)
    if not cutoffs:
        names = "、".join(lv.name for lv in levels)
        return None, [f"等级（{names}）的分数线文件未给出，不判定等级；可在 dossier.yaml 的 parameters.level_cutoffs "
                      "按等级填写分数线（如 5A: 90）"]
    notes = []
    if ctx.dossier.parameters.level_cutoffs:
        source = ctx.dossier.parameters.source or "未注明出处"
        shown = "，".join(f"{lv.name} ≥ {pts(cutoffs[lv.id])}" for lv in levels if lv.id in cutoffs)
        notes.append(f"等级分数线由档案提供（parameters.level_cutoffs，出处：{source}）：{shown}")
    reached = [lv for lv in levels if lv.id in cutoffs and total is not None and total >= cutoffs[lv.id]]
    return (max(reached, key=lambda lv: cutoffs[lv.id]).name if reached else None), notes


def _mark_veto(ctx: Context, report: ScoreReport) -> None:
    """Basic conditions outside every veto threshold (Zhejiang park BC9–10, 鼓励性条款)
    are reported, not vetoed."""
    veto = thresholds.veto_ids(ctx)
    for row in report.items:
        if row.kind != "basic":
            continue
        row.veto = row.id in veto
        if not row.veto and row.met is not True:
            status = "未填写" if not row.answered else row.reason.split("——")[0].split("（")[0]
            row.reason = f"{status}（本条不在否决范围内，见方案数据 thresholds 的 items）"


def score_rows(ctx: Context) -> ScoreReport:
    """The ``sum`` and ``weighted`` methods: every row by its rule, categories, bonus."""
    s = ctx.scheme
    items = [score_basic(bc, ctx) for bc in s.basic_conditions]
    items += [score_row(row, "indicator", ctx) for row in s.indicators]
    items += [score_row(row, "bonus", ctx) for row in s.bonus]
    categories = category_scores(ctx, items)
    indicator_total = indicator_score(ctx, items, categories)
    bonus_total = bonus_score(ctx, items)
    return ScoreReport(
        scheme=s.id, total=round2(indicator_total + bonus_total), max=maximum(ctx), eligible=False,
        indicator_total=indicator_total, bonus_total=bonus_total, categories=categories, items=items,
    )


# ``scoring.method`` of a scheme → the function that scores its rows and totals.
SCORING_METHODS: dict[str, Callable[[Context], ScoreReport]] = {
    "sum": score_rows,
    "weighted": score_rows,
    "green_index": green_index.score,
}
vocabulary.require_implemented("scoring methods", SCORING_METHODS)


def score_dossier(loaded: LoadedDossier, by: str = "self") -> ScoreReport:
    """Score ``loaded`` on the self-assessment (``by="self"``) or on the third-party
    evaluator's findings (``by="evaluator"``)."""
    if by not in VIEWS:
        raise ValueError(f"unknown view {by!r}")
    ctx = Context(loaded, by=by)
    s, d = ctx.scheme, ctx.dossier
    report = SCORING_METHODS[s.scoring.method](ctx)
    report.scheme_name, report.subject, report.by = s.name, d.subject.name or "", by
    report.level, level_notes = level_reached(ctx, report.total)
    report.notes += level_notes + ctx.notes
    _mark_veto(ctx, report)
    report.thresholds = thresholds.evaluate(ctx, report)
    report.eligible = bool(report.thresholds) and all(t.passed is True for t in report.thresholds)
    report.gaps = gaps.gap_list(ctx, report)
    return report
