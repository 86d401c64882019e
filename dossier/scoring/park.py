"""The Zhejiang green low-carbon park (``scoring.method: green_index``).

《浙江省绿色低碳工业园区建设评价导则（2022版）》 3.2.3–3.3 and 附录A.1, with the seed's
note under the 绿色指数 table (“单项指标最高得分不超过120分”):

* indicator score, each year: s = min(100 × 指标值 ÷ 引领值, 120); inverse indicators
  (逆向指标) s = min(100 × 引领值 ÷ 指标值, 120), and an inverse value ≤ 0 beats any
  positive leading value (120); qualitative rows (``direction: null``) take the 0–120
  score written in the dossier;
* GI of a year = Σ effective weight × s, the effective weight being the row's
  ``weight`` × its category's ``weight`` (1 when the category has none); a 可选 row
  without data scores 0, a 必选 row without data leaves that year's GI undecided;
* bonus of a year = min(Σ bonus points, 15); total = mean GI of the three years + mean
  bonus; ≥ 85 to be recommended (thresholds in the scheme data).

The weights, leading values and bonus points are in the guide's 附录B, which its text
lacks: they are parameters of the scheme data (``lookup_tables.green_index`` rows,
``categories``, ``bonus[].max_points``), null until a user fills them in. Without
them the report gives the indicator values and says what is missing — never a figure
made up.
"""

from __future__ import annotations

from statistics import mean
from typing import Any

from ..calc.result import coef, fmt
from ..schemes import Indicator
from .context import Context, pts, round2
from .items import score_basic, score_row
from .report import CategoryScore, ItemScore, ScoreReport

INDICATOR_CAP = 120.0  # seed 附件5-1 表注：单项指标最高得分不超过120分
# where a user supplies the parameters: the shipped file, or a copy in a folder given to
# `dossier score --scheme-dir`
def scheme_file_hint(ctx: Context) -> str:
    return f"checklists/{ctx.scheme.id}.yaml（或其副本，用 dossier score --scheme-dir 指定所在目录）"


def _table_rows(ctx: Context) -> dict[int, dict[str, Any]]:
    table = ctx.scheme.lookup_tables.get("green_index")
    return {int(r["no"]): r for r in (table.rows if table else [])}


def indicator_score(value: Any, spec: dict[str, Any]) -> tuple[float | None, str]:
    """One indicator's score s (0–120) for one year, with the calculation or what is missing."""
    direction, leading = spec.get("direction"), spec.get("leading_value")
    if value is None or value == "":
        return None, "未填写指标值"
    if direction is None:
        if isinstance(value, (int, float)):
            s = min(max(float(value), 0.0), INDICATOR_CAP)
            return s, f"定性指标评分 {pts(s)}"
        return None, f"定性指标“{value}”：计分方法不在导则文本中，请填写 0–120 的评分"
    if not isinstance(value, (int, float)):
        return None, f"指标值“{value}”不是数字"
    if leading is None:
        return None, "引领值未提供"
    b, x = float(leading), float(value)
    if b <= 0:
        return None, f"引领值 {coef(b)} 须为正数"
    if direction == "inverse":
        if x <= 0:
            return INDICATOR_CAP, f"逆向指标值 {coef(x)} ≤ 0，优于引领值 {coef(b)}，按上限 120 计"
        raw = 100 * b / x
        text = f"100 × {coef(b)} ÷ {coef(x)} = {pts(raw)}"
    else:
        raw = 100 * x / b
        text = f"100 × {coef(x)} ÷ {coef(b)} = {pts(raw)}"
    s = min(max(raw, 0.0), INDICATOR_CAP)
    return s, text + ("，按上限 120 计" if raw > INDICATOR_CAP else "")


def _weights(ctx: Context, specs: dict[str, dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    cat_weight = {c.name: c.weight for c in ctx.scheme.categories}
    weights: dict[str, float] = {}
    lacking: list[str] = []
    for row in ctx.scheme.indicators:
        w = specs[row.id].get("weight")
        if w is None:
            lacking.append(row.id)
            continue
        cw = cat_weight.get(row.category or "")
        weights[row.id] = float(w) * (cw if cw is not None else 1.0)
    return weights, lacking


def _missing_parameters(ctx: Context, specs: dict[str, dict[str, Any]], lacking_weight: list[str]) -> list[str]:
    out: list[str] = []
    if lacking_weight:
        out.append(
            f"绿色指数 {len(lacking_weight)} 项指标的权重（导则附录B.2，导则文本中缺失）：请按导则原表在 {scheme_file_hint(ctx)} "
            "的 lookup_tables.green_index 各行填写 weight（或在 categories 填写类权重、各行填写类内权重）"
        )
    no_leading = [r.id for r in ctx.scheme.indicators if specs[r.id].get("direction") and specs[r.id].get("leading_value") is None]
    if no_leading:
        out.append(
            f"绿色指数 {len(no_leading)} 项定量指标的引领值（导则附录B.2，导则文本中缺失）：请按导则原表在 {scheme_file_hint(ctx)} "
            "的 lookup_tables.green_index 各行填写 leading_value"
        )
    return out


def _indicator_item(row: Indicator, ctx: Context, spec: dict[str, Any], by_year: dict[int, tuple[float | None, str]],
                    values: dict[int, Any]) -> ItemScore:
    scores = [s for s, _ in by_year.values()]
    complete = all(s is not None for s in scores)
    avg = round2(mean(scores)) if complete and scores else None  # type: ignore[arg-type]
    unit = spec.get("unit") or ""
    lines = [f"{y}年 {values[y] if isinstance(values[y], str) else fmt(values[y]) if values[y] is not None else '—'}"
             f"{unit if isinstance(values[y], (int, float)) else ''}：{text}" for y, (_, text) in by_year.items()]
    direction = {"positive": "正向指标，指标值 ÷ 引领值", "inverse": "逆向指标，引领值 ÷ 指标值"}.get(spec.get("direction") or "", "定性指标")
    head = f"{direction}，单项不超过120分"
    tail = f"；近三年平均 {pts(avg)} 分" if avg is not None else ""
    reported = all(values[y] not in (None, "") for y in by_year)
    return ItemScore(
        id=row.id, points=avg, max=INDICATOR_CAP, type=row.type, met=reported, category=row.category,
        kind="indicator", rule="green_index", computed=avg is not None, label=f"{row.id} {row.requirement}",
        reason=f"{head}。" + "；".join(lines) + tail, answered=reported,
    )


def score(ctx: Context) -> ScoreReport:
    s, d = ctx.scheme, ctx.dossier
    rows_by_no = _table_rows(ctx)
    specs = {row.id: rows_by_no.get(int(row.no or 0), {}) for row in s.indicators}
    weights, lacking = _weights(ctx, specs)
    missing = _missing_parameters(ctx, specs, lacking)
    years = list(d.window)

    items: list[ItemScore] = [score_basic(bc, ctx) for bc in s.basic_conditions]
    per_indicator: dict[str, dict[int, float | None]] = {}
    gi_rows: list[ItemScore] = []
    for row in s.indicators:
        values = {y: d.year(y).green_index.get(row.id) for y in years}
        by_year = {y: indicator_score(values[y], specs[row.id]) for y in years}
        per_indicator[row.id] = {y: by_year[y][0] for y in years}
        gi_rows.append(_indicator_item(row, ctx, specs[row.id], by_year, values))
    items += gi_rows
    bonus_rows = [score_row(row, "bonus", ctx) for row in s.bonus]
    items += bonus_rows

    gi_by_year: dict[int, float | None] = {}
    for y in years:
        if lacking:
            gi_by_year[y] = None
            continue
        total, undecided = 0.0, False
        for row in s.indicators:
            sc = per_indicator[row.id][y]
            if sc is None:
                if row.mandatory:
                    undecided = True
                continue  # a 可选 indicator without a score adds 0
            total += weights[row.id] * sc
        gi_by_year[y] = None if undecided else round2(total)

    bonus_year, bonus_missing = _bonus(ctx, bonus_rows)
    gi_avg = round2(mean(gi_by_year.values())) if all(v is not None for v in gi_by_year.values()) else None  # type: ignore[arg-type]
    total = round2(gi_avg + bonus_year) if gi_avg is not None and bonus_year is not None else None
    extra: dict[str, Any] = {
        "years": {y: {"gi": gi_by_year[y], "bonus": bonus_year,
                      "total": round2(gi_by_year[y] + bonus_year) if gi_by_year[y] is not None and bonus_year is not None else None}  # type: ignore[operator]
                  for y in years},
        "gi_average": gi_avg,
        "bonus_average": bonus_year,
        "indicator_scores": per_indicator,
        "weights": weights,
        "missing_parameters": missing,  # scheme parameters the guide's text lacks
        "missing_bonus_points": bonus_missing,  # bonus answers the dossier must complete
    }
    notes = [
        "绿色指数计分读法见方案数据 scoring.notes：单项得分 = 100 × 指标值 ÷ 引领值（逆向指标取倒数），不超过120分；"
        "GI = Σ 权重 × 单项得分；总得分 = 近三年GI平均值 + 近三年加分项平均值。",
    ]
    if weights and not lacking:
        total_weight = sum(weights.values())
        if abs(total_weight - 1) > 1e-6:
            notes.append(f"绿色指数各项有效权重之和为 {coef(round(total_weight, 6))}，不等于1，请核对导则原表")
    bonus_cap = s.bonus_scoring.max_total if s.bonus_scoring else None
    top = round2(INDICATOR_CAP * sum(weights.values()) + (bonus_cap or 0.0)) if weights and not lacking else None
    categories = _categories(ctx, gi_rows, weights) if weights and not lacking else []
    return ScoreReport(
        scheme=s.id, total=total, max=top, eligible=False, indicator_total=gi_avg, bonus_total=bonus_year,
        categories=categories, items=items, extra=extra, notes=notes,
    )


def _bonus(ctx: Context, rows: list[ItemScore]) -> tuple[float | None, list[str]]:
    """The yearly bonus (= the three-year average, see the scheme notes) and what is missing."""
    unknown = [r.id for r in rows if r.points is None and r.answered and r.applicable and r.met is not False]
    if unknown:
        return None, [
            f"加分项 {'、'.join(unknown)} 自评符合但未填自评得分（points）：各项分值在导则附录B.3（导则文本中缺失），"
            f"请按导则原表评分，或在 {scheme_file_hint(ctx)} 的 bonus 各行填写 max_points"
        ]
    raw = sum(r.points or 0.0 for r in rows if r.applicable)
    rule = ctx.scheme.bonus_scoring
    if rule is not None and rule.weight is not None:
        raw *= rule.weight
    if rule is not None and rule.max_total is not None:
        raw = min(raw, rule.max_total)
    return round2(raw), []


def _categories(ctx: Context, rows: list[ItemScore], weights: dict[str, float]) -> list[CategoryScore]:
    out = []
    for cat in ctx.scheme.categories:
        members = [r for r in rows if r.category == cat.name]
        got = round2(sum(weights[r.id] * (r.points or 0.0) for r in members))
        top = round2(sum(weights[r.id] * INDICATOR_CAP for r in members))
        out.append(CategoryScore(name=cat.name, score=got, max=top, weight=cat.weight, weighted=got,
                                 note="近三年平均单项得分 × 有效权重之和（计入GI的分数）"))
    return out
