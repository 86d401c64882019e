"""The rule types a scheme row names (``rule.type``), looked up by name in :data:`RULES`.

Each rule turns one row and its answer into an :class:`Outcome`: points, whether the
row is fully met, and the reason in Chinese (the figure and the rule). Rules that
compute from the dossier's data (tiers, proportional, lookup, grade) decide the points
whenever the figure can be computed — the claim is then only reported beside it; when
the figure cannot be computed they fall back to the claimed points and say why.

The answer fields a rule reads (dossier.yaml, ``indicators.<id>``): ``status``,
``points`` (自评得分), ``option`` (options), ``components`` (components), ``count``
(per_item). ``不适用`` and unanswered rows are handled before a rule is called
(:mod:`dossier.scoring.items`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .. import vocabulary
from ..calc import energy_saving
from ..calc.result import coef, fmt, pct
from ..model import Answer
from ..schemes import Indicator, LookupTable
from .context import Context, pts, round2
from .metrics import Figure, metric


@dataclass(frozen=True)
class Outcome:
    points: float | None
    met: bool | None
    reason: str
    computed: bool = False
    formula: str = ""


Rule = Callable[[Indicator, "Answer | None", Context], Outcome]


def _full(row: Indicator) -> float:
    return float(row.max_points) if row.max_points is not None else float("inf")


def _capped(points: float, row: Indicator) -> float:
    return round2(min(max(points, 0.0), _full(row)))


def _met(points: float | None, row: Indicator) -> bool | None:
    if points is None or row.max_points is None:
        return None if points is None else points > 0
    return points >= row.max_points


# --- rules on the answer -------------------------------------------------------------


def claimed(row: Indicator, answer: Answer | None, ctx: Context, why: str = "") -> Outcome:
    """Points as the dossier claims them, 0 … max_points (符合 without points: the maximum)."""
    lead = f"{why}，" if why else ""
    status = answer.status if answer else None
    if status is None:
        return Outcome(None, None, f"{lead}未填写自评")
    if status == "不符合":
        return Outcome(0.0, False, f"{lead}自评不符合 → 0 分")
    if answer.points is not None:  # type: ignore[union-attr]
        points = _capped(answer.points, row)  # type: ignore[union-attr]
        over = f"（自评 {pts(answer.points)} 分超过分值，按 {pts(points)} 分计）" if points < answer.points else ""  # type: ignore[union-attr]
        return Outcome(points, _met(points, row), f"{lead}{status}，自评得分 {pts(points)} 分{over}")
    if status == "符合":
        if row.max_points is None:
            return Outcome(None, True, f"{lead}符合，但本项分值未知、未填自评得分")
        return Outcome(float(row.max_points), True, f"{lead}符合 → 满分 {pts(row.max_points)} 分")
    return Outcome(0.0, False, f"{lead}部分符合但未填自评得分（points），按 0 分计")


def binary(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """max_points when met (符合), else 0."""
    status = answer.status if answer else None
    if status is None:
        return Outcome(None, None, "未填写自评")
    if status == "符合":
        note = ""
        if answer.points is not None and answer.points < _full(row):  # type: ignore[union-attr]
            note = f"（自评 {pts(answer.points)} 分；本项达到即得满分）"  # type: ignore[union-attr]
        return Outcome(float(row.max_points or 0), True, f"符合 → {pts(row.max_points)} 分（达到即得满分）{note}")
    return Outcome(0.0, False, f"{status} → 0 分（本项达到得满分，未完全达到不得分）")


def options(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """The chosen option's points (e.g. 省先进级 5 / 国家卓越级 8 / 国家领航级 10)."""
    choices = {o["label"]: float(o["points"]) for o in row.rule.params["options"]}
    if answer is not None and answer.status == "不符合":
        return Outcome(0.0, False, "自评不符合 → 0 分")
    if answer is not None and answer.option:
        points = _capped(choices[answer.option], row)
        listing = "、".join(f"{k} {pts(v)} 分" for k, v in choices.items())
        return Outcome(points, _met(points, row), f"所选档次“{answer.option}” → {pts(points)} 分（{listing}）")
    return claimed(row, answer, ctx, "未选择档次（option）")


def components(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """Sum of the components met (e.g. 4 + 4 + 2)."""
    parts = {c["label"]: float(c["points"]) for c in row.rule.params["components"]}
    if answer is not None and answer.status == "不符合":
        return Outcome(0.0, False, "自评不符合 → 0 分")
    if answer is not None and answer.components:
        raw = sum(parts[c] for c in answer.components)
        points = _capped(raw, row)
        terms = " + ".join(pts(parts[c]) for c in answer.components)
        cap = f"，以分值 {pts(row.max_points)} 分为上限" if raw > points else ""
        return Outcome(points, _met(points, row),
                       f"满足 {len(answer.components)}/{len(parts)} 个分项：{terms} = {pts(raw)} 分{cap}")
    return claimed(row, answer, ctx, "未列出已满足的分项（components）")


def per_item(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """count × points_each, at most cap."""
    each, cap = float(row.rule.params["points_each"]), float(row.rule.params["cap"])
    if answer is not None and answer.count is not None:
        raw = answer.count * each
        points = _capped(min(raw, cap), row)
        limit = f"，最高 {pts(cap)} 分" if raw > cap else ""
        return Outcome(points, _met(points, row), f"{answer.count} 项 × {pts(each)} 分 = {pts(raw)} 分{limit}")
    if answer is not None and answer.status == "不符合":
        return Outcome(0.0, False, "自评不符合 → 0 分")
    return claimed(row, answer, ctx, "未填项数（count）")


# --- rules on a computed figure -----------------------------------------------------------


def _claim_note(answer: Answer | None, points: float) -> str:
    if answer is None or answer.points is None or round2(answer.points) == points:
        return ""
    return f"（自评 {pts(answer.points)} 分，以计算结果为准）"


def _fallback(row: Indicator, answer: Answer | None, ctx: Context, figure: Figure) -> Outcome:
    gap = "；".join(figure.missing) or "数据不足"
    return claimed(row, answer, ctx, f"无法计算{figure.label}（缺少：{gap}）")


def _bound(x: float, unit: str | None) -> str:
    """A figure or bound in the rule's unit as a user reads it: 0.3 (ratio) → 30%."""
    if unit == "ratio":
        return pct(x * 100)
    if unit == "%":
        return pct(x)
    return f"{fmt(x)}{unit or ''}"


def tiers(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """Points of the highest tier reached (``min`` inclusive)."""
    params = row.rule.params
    figure = metric(ctx, params["metric"])
    if not figure.ok:
        return _fallback(row, answer, ctx, figure)
    unit = params.get("unit")
    x = round(figure.number(unit), 9)  # 300 ÷ 1000 × 100 ÷ 100 is 0.30000000000000004: bounds are inclusive
    ordered = sorted(params["tiers"], key=lambda t: t["min"], reverse=True)
    upper: float | None = None
    for tier in ordered:
        if x >= tier["min"]:
            points = _capped(float(tier["points"]), row)
            band = f"{_bound(tier['min'], unit)}≤x" + (f"<{_bound(upper, unit)}" if upper is not None else "")
            reason = f"{figure.label} {figure.shown()}（{band}档）→ {pts(points)} 分{_claim_note(answer, points)}"
            return Outcome(points, _met(points, row), reason, True, figure.formula)
        upper = tier["min"]
    lowest = _bound(ordered[-1]["min"], unit)
    reason = f"{figure.label} {figure.shown()}（低于 {lowest}）→ 0 分{_claim_note(answer, 0.0)}"
    return Outcome(0.0, False, reason, True, figure.formula)


def proportional(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """Linear between ``zero_at`` (0 points) and ``full_at`` (max), clamped; zero_at > full_at
    means lower is better (a shorter commitment)."""
    params = row.rule.params
    figure = metric(ctx, params["metric"])
    if not figure.ok:
        return _fallback(row, answer, ctx, figure)
    unit = params.get("unit")
    x = round(figure.number(unit), 9)
    zero, full = float(params["zero_at"]), float(params["full_at"])
    top = _full(row)
    share = (x - zero) / (full - zero)
    raw = top * share
    points = _capped(raw, row)
    rule = f"{_bound(zero, unit)} 得 0 分，{_bound(full, unit)} 得满分，其间按比例"
    calc = ""
    if 0 < share < 1:
        calc = (f"：{pts(top)} × ({_bound(x, unit)} − {_bound(zero, unit)}) ÷ "
                f"({_bound(full, unit)} − {_bound(zero, unit)}) = {pts(raw)}")
    reason = f"{figure.label} {figure.shown()}（{rule}）{calc} → {pts(points)} 分{_claim_note(answer, points)}"
    return Outcome(points, _met(points, row), reason, True, figure.formula)


def grade(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """Points by a grade (资源集约利用 A 3 / B 2 / C 1)."""
    params = row.rule.params
    figure = metric(ctx, params["metric"])
    if not figure.ok:
        return _fallback(row, answer, ctx, figure)
    table = {str(g["grade"]).upper(): float(g["points"]) for g in params["grades"]}
    got = table.get(str(figure.value).upper())
    listing = "、".join(f"{k} {pts(v)} 分" for k, v in table.items())
    points = _capped(got or 0.0, row)
    tail = "" if got is not None else "（不在计分等级中）"
    reason = f"{figure.label} {figure.value}{tail} → {pts(points)} 分（{listing}）{_claim_note(answer, points)}"
    return Outcome(points, _met(points, row), reason, True, figure.formula)


def lookup(row: Indicator, answer: Answer | None, ctx: Context) -> Outcome:
    """A lookup table of the scheme (``table``), read by the calculator the rule names
    (``calculator``, one of :data:`CALCULATORS`); both names are checked when the scheme loads."""
    params = row.rule.params
    table = ctx.scheme.lookup_tables[params["table"]]
    return CALCULATORS[params["calculator"]](row, answer, ctx, table)


def energy_saving_bands(row: Indicator, answer: Answer | None, ctx: Context, table: LookupTable) -> Outcome:
    """Suzhou's 节能量评分表 (附件1-3 / 附件1-4): the band of last year's 综合能耗, the
    higher of the project-saving and the saving-rate points."""
    result = energy_saving.score_dossier(ctx.dossier, table)
    if not result.ok:
        gap = "；".join(result.missing) or "数据不足"
        return claimed(row, answer, ctx, f"无法按{table.annex or '节能量评分表'}计算（缺少：{gap}）")
    points = _capped(float(result.value), row)  # type: ignore[arg-type]
    extra: dict[str, Any] = result.extra
    band = extra.get("band")
    best = max((p.value for p in result.parts if p.unit == "分" and p.value is not None), default=None)
    which = "；".join(p.formula for p in result.parts if p.unit == "分")
    cap = f"，最高 {coef(extra['cap'])} 分" if best is not None and best > extra.get("cap", best) else ""
    reason = (f"{table.annex}：上年度综合能耗所在档次 {band}，{which}{cap} → {pts(points)} 分"
              f"{_claim_note(answer, points)}")
    return Outcome(points, _met(points, row), reason, True, result.formula)


RULES: dict[str, Rule] = {
    "claimed": claimed,
    "binary": binary,
    "options": options,
    "components": components,
    "per_item": per_item,
    "tiers": tiers,
    "proportional": proportional,
    "lookup": lookup,
    "grade": grade,
}
vocabulary.require_implemented("rule types", RULES)

# A ``lookup`` rule's ``calculator``: (row, answer, context, the named table) → Outcome.
CALCULATORS: dict[str, Callable[[Indicator, "Answer | None", Context, LookupTable], Outcome]] = {
    "energy_saving": energy_saving_bands,
}
vocabulary.require_implemented("lookup calculators", CALCULATORS)
