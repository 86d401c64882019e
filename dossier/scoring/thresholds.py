"""The confirmation rules of a scheme (``thresholds:``), each a figure compared with a
required value, looked up by its ``metric`` in :data:`THRESHOLDS`.

A threshold whose figure cannot be computed is undecided (``passed None``) and keeps
the dossier from being eligible, with what is missing in its reason. A threshold with
``when: {application_type: zero}`` applies only to that application type; when the
dossier names no type it is undecided.
"""

from __future__ import annotations

import operator
from typing import Callable

from ..calc import carbon, coefficients, ghg
from ..calc.result import Result, Source, fmt, pct
from ..errors import SchemeDataError
from .. import vocabulary
from ..schemes import Threshold
from .context import Context, pts
from .report import ItemScore, ScoreReport, ThresholdResult

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}
OP_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}

Check = Callable[[Threshold, Context, ScoreReport], ThresholdResult]


def _result(t: Threshold, passed: bool | None, value, shown: str, required_shown: str,
            reason: str = "", note: str = "") -> ThresholdResult:
    return ThresholdResult(id=t.id, name=t.name, passed=passed, value=value, required=t.value, metric=t.metric,
                           shown=shown, required_shown=required_shown, reason=reason, note=note)


def _compare(t: Threshold, value: float | None) -> bool | None:
    if value is None or t.value is None:
        return None
    # round away binary noise: 0.5 must pass ≥ 50 % (15122.3 / 30244.6 …)
    return OPS[t.op](round(value, 9), t.value)


def _all_met(t: Threshold, rows: list[ItemScore]) -> ThresholdResult:
    if t.items:
        rows = [r for r in rows if r.id in t.items]
    failed = [r for r in rows if r.met is False]
    open_ = [r for r in rows if r.met is None]
    met = len(rows) - len(failed) - len(open_)
    shown = f"{met}/{len(rows)} 项符合"
    if failed:
        reason = "未满足：" + "、".join(r.id for r in failed)
        passed: bool | None = False
    elif open_:
        reason = "未填写：" + "、".join(r.id for r in open_)
        passed = None
    else:
        reason, passed = "", True
    result = _result(t, passed, met, shown, f"全部符合（{len(rows)} 项）", reason)
    result.required = len(rows)
    return result


def basic_conditions(t: Threshold, ctx: Context, report: ScoreReport) -> ThresholdResult:
    return _all_met(t, [i for i in report.items if i.kind == "basic"])


def mandatory_indicators(t: Threshold, ctx: Context, report: ScoreReport) -> ThresholdResult:
    rows = [i for i in report.items if i.kind == "indicator" and i.mandatory and i.applicable]
    return _all_met(t, rows)


def total_score(t: Threshold, ctx: Context, report: ScoreReport) -> ThresholdResult:
    total = report.total
    passed = _compare(t, total)
    required = f"{OP_TEXT[t.op]} {pts(t.value)} 分"
    if total is None:
        lacking = [*report.extra.get("missing_parameters", []), *report.extra.get("missing_bonus_points", [])]
        why = f"缺少 {len(lacking)} 类计分参数或自评得分，见差距清单" if lacking else "数据不足"
        return _result(t, None, None, "—", required, f"总分无法计算（{why}）")
    note = ""
    ind = report.indicator_total
    if passed and report.bonus_total and ind is not None and not _compare(t, ind):
        note = (f"评价指标得分 {pts(ind)} 分未达到 {pts(t.value)} 分，靠加分项 {pts(report.bonus_total)} 分才达到；"
                "若评审认为分数线只比较评价指标得分，将不予通过")
    reason = ""
    if report.bonus_total:
        reason = f"评价指标得分 {pts(ind)} + 加分项得分 {pts(report.bonus_total)}"
    return _result(t, passed, total, f"{pts(total)} 分", required, reason, note)


def own_reduction_ratio(t: Threshold, ctx: Context, report: ScoreReport) -> ThresholdResult:
    r = ctx.figures.own_reduction_ratio
    required = f"{OP_TEXT[t.op]} {pct((t.value or 0) * 100)}"
    if not r.ok:
        return _result(t, None, None, "—", required, "无法计算：" + "；".join(r.missing))
    out = _result(t, _compare(t, r.ratio), r.ratio, pct(r.value), required, r.formula)
    out.figures = {"reduction": ctx.figures.own_reduction.value, "ratio_pct": r.value}
    return out


# --- 碳抵消 coverage ----------------------------------------------------------------------


def _reported(label: str, value: float, where: str) -> Result:
    return Result(name=label, value=float(value), unit="tCO2e", formula=f"{label} {fmt(value)} tCO2e（报告数）",
                  sources=(Source(f"{fmt(value)} tCO2e", where, "reported"),))


def scope12_for_offsets(ctx: Context, year: int, scope: str) -> tuple[Result, list[str]]:
    """类别1 + 类别2 as the coverage's denominator, 类别2 on the scheme's grid factor.

    类别1: the reported (verified) figure, else computed from the fuels. 类别2: computed
    from the purchased power and heat with the factor of ``scope`` (the programme fixes
    the factor, so the computed figure decides); the reported figure only when the
    dossier has no energy data, with a note.
    """
    data = ctx.dossier.year(year)
    e = data.emissions
    notes: list[str] = []
    where = f"档案 years.{year}.emissions（{e.verifier or '温室气体核算报告'}）"
    c1 = _reported("类别1", e.scope1, where) if e.scope1 is not None else ghg.category1(data)
    c2 = ghg.category2(data, year, grid_scope=scope)
    factor = ghg.grid_factor(year, scope)
    if not c2.ok and e.scope2 is not None:
        c2 = _reported("类别2", e.scope2, where)
        notes.append(f"档案没有{year}年外购电力、热力数据，无法按规定的排放因子核对类别2，采用报告数")
    elif c2.ok and e.scope2 is not None and c2.value:
        diff = (e.scope2 - c2.value) / c2.value  # type: ignore[operator]
        if abs(diff) > 0.01:
            notes.append(
                f"报告的类别2 {fmt(e.scope2)} tCO2e 比按{coefficients.grid_scope(scope)['name']} "
                f"{fmt(factor.value)} tCO2/MWh 计算的 {fmt(c2.value)} tCO2e {'低' if diff < 0 else '高'} "
                f"{pct(abs(diff) * 100)}，以规定因子的计算结果为准"
            )
    notes += list(factor.notes)
    if not (c1.ok and c2.ok):
        return Result(name="类别1+类别2 排放", value=None, unit="tCO2e",
                      missing=(*c1.missing, *c2.missing)), notes
    total = c1.value + c2.value  # type: ignore[operator]
    how = "；".join(p.formula for p in c2.parts) or c2.formula
    return Result(name="类别1+类别2 排放", value=total, unit="tCO2e",
                  formula=f"类别1 {fmt(c1.value)} + 类别2 {fmt(c2.value)}（{how}）= {fmt(total)} tCO2e",
                  parts=(c1, c2)), notes


def offset_coverage(t: Threshold, ctx: Context, report: ScoreReport) -> ThresholdResult:
    year = ctx.year
    scope = t.params.get("grid_scope")
    required = f"{OP_TEXT[t.op]} {pct((t.value or 0) * 100)}"
    if scope is not None and scope not in coefficients.GRID_SCOPES:
        raise SchemeDataError(
            f"方案 {ctx.scheme.id} thresholds.{t.id}.params.grid_scope：未知的电网因子口径 {scope!r}；"
            f"可用：{'、'.join(coefficients.GRID_SCOPES)}"
        )
    if scope is None:
        cover = ctx.figures.offset_coverage(year)
        if not cover.ok:
            return _result(t, None, None, "—", required, "无法计算：" + "；".join(cover.missing))
        return _result(t, _compare(t, cover.ratio), cover.ratio, pct(cover.value), required, cover.formula)
    emitted, notes = scope12_for_offsets(ctx, year, scope)
    offsets = carbon.offsets_total(ctx.dossier, year, grid_scope=scope)
    notes += [n for p in offsets.parts for n in p.notes]
    if not (emitted.ok and offsets.ok):
        gaps = [*emitted.missing, *offsets.missing]
        return _result(t, None, None, "—", required, f"{year}年无法计算：" + "；".join(gaps))
    if emitted.value <= 0:  # type: ignore[operator]
        return _result(t, None, None, "—", required, f"{year}年类别1+类别2 排放须为正数")
    ratio = offsets.value / emitted.value  # type: ignore[operator]
    reason = (f"{year}年：{offsets.formula}；{emitted.formula}；"
              f"抵消比例 = {fmt(offsets.value)} ÷ {fmt(emitted.value)} = {pct(ratio * 100)}")
    out = _result(t, _compare(t, ratio), ratio, pct(ratio * 100), required, reason, "；".join(notes))
    out.figures = {"emitted": emitted.value, "offsets": offsets.value, "ratio_pct": ratio * 100}
    return out


THRESHOLDS: dict[str, Check] = {
    "basic_conditions": basic_conditions,
    "mandatory_indicators": mandatory_indicators,
    "total_score": total_score,
    "own_reduction_ratio": own_reduction_ratio,
    "offset_coverage": offset_coverage,
}
vocabulary.require_implemented("threshold metrics", THRESHOLDS)


def veto_ids(ctx: Context) -> set[str]:
    """The basic conditions that veto: those of the ``basic_conditions`` thresholds
    (their ``items``, or all when a threshold lists none)."""
    every = {bc.id for bc in ctx.scheme.basic_conditions}
    out: set[str] = set()
    for t in ctx.scheme.thresholds:
        if t.metric == "basic_conditions":
            out |= set(t.items) if t.items else every
    return out


def applies(t: Threshold, ctx: Context) -> bool | None:
    """Does ``when`` hold for the dossier? None when the dossier does not say."""
    for key, wanted in (t.when or {}).items():
        got = getattr(ctx.dossier, key, None)
        if got is None:
            return None
        if got != wanted:
            return False
    return True


def evaluate(ctx: Context, report: ScoreReport) -> list[ThresholdResult]:
    out: list[ThresholdResult] = []
    for t in ctx.scheme.thresholds:
        holds = applies(t, ctx)
        if holds is False:
            continue
        if holds is None:
            keys = "、".join(t.when or {})
            out.append(_result(t, None, None, "—", "", f"档案未填写 {keys}，无法确定是否适用本项"))
            continue
        out.append(THRESHOLDS[t.metric](t, ctx, report))
    return out
