"""The gap list: what stands between the dossier and eligibility, then where the points are.

Order: every basic condition and threshold that fails or cannot be decided,
every mandatory (必选) row not met, then the rows with the most points still open —
ranked by what they add to the total (a weighted scheme's row counts × its category
weight; rows in a category or bonus already at its cap add nothing and are left out).
"""

from __future__ import annotations

from .context import Context, pts, round2
from .report import ItemScore, ScoreReport

OPEN_ITEMS_SHOWN = 10


def _weight(ctx: Context, report: ScoreReport, row: ItemScore) -> float:
    if row.kind == "bonus":
        bonus = ctx.scheme.bonus_scoring
        cap = bonus.max_total if bonus else None
        if cap is not None and report.bonus_total is not None and report.bonus_total >= cap:
            return 0.0
        return (bonus.weight if bonus and bonus.weight is not None else 1.0)
    cat = report.category(row.category or "")
    if cat is None:
        return 1.0
    if cat.score >= cat.max:
        return 0.0
    return cat.weight if ctx.scheme.scoring.method == "weighted" and cat.weight is not None else 1.0


def gap_list(ctx: Context, report: ScoreReport, limit: int = OPEN_ITEMS_SHOWN) -> list[str]:
    gaps: list[str] = []
    for row in report.items:
        if row.kind == "basic" and row.veto and row.met is not True:
            gaps.append(f"基本条件 {row.label}：{row.reason}")
    for t in report.thresholds:
        if t.passed is True or t.metric in ("basic_conditions", "mandatory_indicators"):
            continue  # their rows are listed one by one
        if t.passed is False:
            gaps.append(f"未达到“{t.name}”：{t.shown}，要求 {t.required_shown}" + (f"（{t.reason}）" if t.reason and len(t.reason) < 80 else ""))
        else:
            gaps.append(f"无法判断“{t.name}”：{t.reason or '数据不足'}")
    for missing in report.extra.get("missing_parameters", []):
        gaps.append(f"缺少方案参数：{missing}")
    for missing in report.extra.get("missing_bonus_points", []):
        gaps.append(f"加分项得分未定：{missing}")
    listed: set[str] = set()
    vetoing = any(t.metric == "mandatory_indicators" for t in report.thresholds)
    for row in report.items:
        if row.kind != "indicator" or not row.mandatory or not row.applicable or row.met is True:
            continue
        if not vetoing and row.rule != "green_index":
            continue  # 必选 rows that do not veto are ranked with the other open rows below
        listed.add(row.id)
        if row.rule == "green_index":  # the park's 绿色指数: a 必选 indicator must be reported each year
            gaps.append(f"必选指标 {row.label}：近三年数据不全——{row.reason}")
        else:
            gaps.append(f"必选项 {row.label}：{pts(row.points)}/{pts(row.max)} 分——{row.reason}")
    ranked = []
    for row in report.items:
        if row.kind == "basic" or row.id in listed or not row.applicable or row.rule == "green_index":
            continue
        gain = round2(row.open_points * _weight(ctx, report, row))
        if gain > 0:
            ranked.append((gain, row))
    ranked.sort(key=lambda pair: (-pair[0], pair[1].id))
    for gain, row in ranked[:limit]:
        weighted = f"，折合总分 {pts(gain)} 分" if gain != round2(row.open_points) else ""
        where = "加分项" if row.kind == "bonus" else "必选项" if row.mandatory else "可得分"
        state = "未填写" if not row.answered and not row.computed else f"现 {pts(row.points)}/{pts(row.max)} 分"
        gaps.append(f"{where} {row.label}：尚可得 {pts(row.open_points)} 分（{state}{weighted}）")
    return gaps
