"""The scoring method ``green_index``: the Zhejiang green low-carbon park's 绿色指数 (GI).

《浙江省绿色低碳工业园区建设评价导则（2022版）》 3.2.3–3.3 and 附录A.1 (the formula,
printed as an image, read from a public copy of the PDF)::

    GI = 1/24 × [ Σ EGi/EGbi + Σ RGj/RGbj + Σ IGk/IGbk + Σ CGf/CGbf + Σ HGl/HGbl + Σ MGp/MGbp ] × 100

with 3, 6, 3, 3, 6 and 3 terms per group, the two 逆向指标 as 引领值/指标值, and each
term capped at 120 (the seed's note “单项指标最高得分不超过120分”). Everything the
method needs is scheme data (``scoring.params`` of ``checklists/zhejiang-green-low-carbon-park.yaml``):
the divisor, the cap, the number of counted terms per group (``slots``), which 可选
indicators count (``optional_choice``, a reading), the reading of the four qualitative
indicators (``qualitative``) and of a 逆向指标 value ≤ 0.

Per window year: each indicator's term s = min(100 × 指标值 ÷ 引领值, 120) (逆向:
100 × 引领值 ÷ 指标值); the 必选 indicators of a group all count, the group's remaining
slots are filled by its 可选 indicators (the reading in the scheme data), an empty slot
counts 0; GI = Σ counted s ÷ 24. A 必选 indicator without a value or 引领值 leaves that
year's GI undecided — the report names what is missing. The bonus of a year is
min(Σ bonus points, 15); the total is the three-year average GI + the three-year
average bonus; ``thresholds`` hold the ≥ 85 rule.

引领值 (导则附录B.2, in no public copy) are data the user supplies: the dossier's
``parameters.leading_values`` (with ``parameters.source``), else the scheme file's
``lookup_tables.green_index`` rows (a copy given to ``dossier score --scheme-dir``).
They are never invented; the report prints their source beside every result.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean
from typing import Any

from ..calc.result import coef, fmt
from ..errors import SchemeDataError
from ..schemes import Indicator
from .context import Context, pts, round2
from .items import score_basic, score_row
from .report import CategoryScore, ItemScore, ScoreReport


def scheme_file_hint(ctx: Context) -> str:
    return f"checklists/{ctx.scheme.id}.yaml（或其副本，用 dossier score --scheme-dir 指定所在目录）"


LEADING_HINT = "dossier.yaml 的 parameters.leading_values（指标 id: 引领值，并在 parameters.source 写明出处）"


@dataclass(frozen=True)
class Params:
    divisor: float
    term_cap: float
    slots: dict[str, int]
    optional_choice: str  # highest | table_order
    qualitative: dict[str, dict[str, Any]]
    yes_words: tuple[str, ...]
    no_words: tuple[str, ...]

    @classmethod
    def of(cls, ctx: Context) -> "Params":
        p = ctx.scheme.scoring.params
        try:
            return cls(
                divisor=float(p["divisor"]), term_cap=float(p["term_cap"]),
                slots={str(k): int(v) for k, v in p["slots"].items()},
                optional_choice=str(p.get("optional_choice", "highest")),
                qualitative=dict(p.get("qualitative") or {}),
                yes_words=tuple(p.get("yes_words") or ()), no_words=tuple(p.get("no_words") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SchemeDataError(f"方案 {ctx.scheme.id}：scoring.params 缺少或写错绿色指数参数（{exc}）") from None


@dataclass
class Term:
    """One indicator in one year."""

    score: float | None  # s, 0 … term_cap; None: cannot be computed
    text: str  # the calculation, or what is missing
    counted: bool = False


# --- one indicator, one year -----------------------------------------------------------------


def leading_value(ctx: Context, row: Indicator, spec: dict[str, Any]) -> tuple[float | None, str]:
    """The 引领值 of ``row`` and where it comes from."""
    given = ctx.dossier.parameters.leading_values.get(row.id)
    if given is not None:
        return float(given), ctx.dossier.parameters.source or "dossier.yaml parameters.leading_values（未注明出处）"
    if spec.get("leading_value") is not None:
        return float(spec["leading_value"]), "方案数据 lookup_tables.green_index"
    return None, ""


def qualitative_fulfilment(value: Any, rule: dict[str, Any], params: Params) -> tuple[float | None, str]:
    """A qualitative indicator's degree of fulfilment (0–1) by the scheme's reading."""
    if isinstance(value, (int, float)):
        f = min(max(float(value), 0.0), 100.0) / 100
        return f, f"完善程度 {fmt(float(value))}%"
    text = str(value).strip()
    checks = rule.get("checks") or []
    if checks and "/" in text:
        got, _, of = text.partition("/")
        try:
            n, m = int(got), int(of)
        except ValueError:
            n = m = -1
        if 0 <= n <= m and m == len(checks):
            return n / m, f"满足考核内容 {n}/{m} 项"
        return None, f"“{text}”应写作“满足项数/{len(checks)}”（如 2/{len(checks)}）"
    if any(text.startswith(w) for w in params.no_words):
        return 0.0, f"“{text}”读作未达到"
    if any(text.startswith(w) for w in params.yes_words):
        return 1.0, f"“{text}”读作达到"
    hint = f"“满足项数/{len(checks)}”、" if checks else ""
    return None, f"定性指标“{text}”无法判读：请写 {hint}{'/'.join(params.yes_words[:3])} 或 {'/'.join(params.no_words[:3])}"


def term(ctx: Context, row: Indicator, spec: dict[str, Any], value: Any, params: Params) -> Term:
    cap = params.term_cap
    if value is None or value == "":
        return Term(None, "未填写指标值")
    rule = params.qualitative.get(row.id)
    if rule is not None:
        f, how = qualitative_fulfilment(value, rule, params)
        if f is None:
            return Term(None, how)
        s = min(100 * f, cap)
        return Term(s, f"{how}，引领值为完全达到：100 × {coef(round(f, 4))} = {pts(s)}")
    if not isinstance(value, (int, float)):
        return Term(None, f"指标值“{value}”不是数字")
    b, _ = leading_value(ctx, row, spec)
    if b is None:
        return Term(None, "引领值未提供")
    x = float(value)
    if b <= 0:
        return Term(None, f"引领值 {coef(b)} 须为正数")
    if spec.get("direction") == "inverse":
        if x <= 0:
            return Term(cap, f"逆向指标值 {coef(x)} ≤ 0，优于引领值 {coef(b)}，按上限 {pts(cap)} 计（读法见方案数据）")
        raw, text = 100 * b / x, f"100 × 引领值 {coef(b)} ÷ 指标值 {coef(x)} = {pts(100 * b / x)}"
    else:
        raw, text = 100 * x / b, f"100 × 指标值 {coef(x)} ÷ 引领值 {coef(b)} = {pts(100 * x / b)}"
    s = min(max(raw, 0.0), cap)
    return Term(s, text + (f"，按上限 {pts(cap)} 计" if raw > cap else ""))


# --- one year -----------------------------------------------------------------------------------


def count_terms(rows: list[Indicator], terms: dict[str, Term], params: Params, codes: dict[str, str]) -> tuple[
        float | None, list[str], list[str]]:
    """Mark the counted terms of one year; (Σ counted s or None, what is missing, notes)."""
    missing: list[str] = []
    notes: list[str] = []
    total = 0.0
    for code, slots in params.slots.items():
        group = [r for r in rows if codes[r.id] == code]
        mandatory = [r for r in group if r.mandatory]
        optional = [r for r in group if not r.mandatory]
        if len(mandatory) > slots:
            raise SchemeDataError(f"绿色指数 {code} 类必选指标 {len(mandatory)} 项，多于公式的 {slots} 项")
        for r in mandatory:
            t = terms[r.id]
            if t.score is None:
                missing.append(f"{r.id} {r.requirement}：{t.text}")
            else:
                t.counted = True
                total += t.score
        scored = [r for r in optional if terms[r.id].score is not None]
        if params.optional_choice == "highest":
            scored.sort(key=lambda r: -(terms[r.id].score or 0.0))  # stable: ties keep table order
        free = slots - len(mandatory)
        for r in scored[:free]:
            terms[r.id].counted = True
            total += terms[r.id].score or 0.0
        if len(scored) < free:
            notes.append(f"{code} 类可选指标可计 {free} 项、有得分 {len(scored)} 项，空缺 {free - len(scored)} 项按 0 计")
    return (None if missing else total), missing, notes


# --- the report -------------------------------------------------------------------------------


def _table_rows(ctx: Context) -> dict[int, dict[str, Any]]:
    table = ctx.scheme.lookup_tables.get("green_index")
    return {int(r["no"]): r for r in (table.rows if table else [])}


def _indicator_item(row: Indicator, spec: dict[str, Any], by_year: dict[int, Term], values: dict[int, Any],
                    params: Params, source: str) -> ItemScore:
    scores = [t.score for t in by_year.values()]
    avg = round2(mean(scores)) if scores and all(s is not None for s in scores) else None  # type: ignore[arg-type]
    unit = spec.get("unit") or row.unit or ""

    def shown(v: Any) -> str:
        if v is None or v == "":
            return "—"
        return f"{fmt(v)}{unit}" if isinstance(v, (int, float)) else str(v)

    lines = [f"{y}年 {shown(values[y])}：{t.text}{'（计入GI）' if t.counted else '（未计入GI）' if t.score is not None else ''}"
             for y, t in by_year.items()]
    if row.id in params.qualitative:
        head = "定性指标，按方案数据的读法计完成程度"
    elif spec.get("direction") == "inverse":
        head = "逆向指标，引领值 ÷ 指标值"
    else:
        head = "正向指标，指标值 ÷ 引领值"
    head += f"，单项不超过{pts(params.term_cap)}分"
    if source and row.id not in params.qualitative:
        head += f"；引领值出处：{source}"
    reported = all(values[y] not in (None, "") for y in by_year)
    formula = "；".join(f"{y}年 {t.text}" for y, t in by_year.items() if t.score is not None)
    return ItemScore(
        id=row.id, points=avg, max=params.term_cap, type=row.type, met=reported, category=row.category,
        kind="indicator", rule="green_index", computed=avg is not None, label=f"{row.id} {row.requirement}",
        reason=f"{head}。" + "；".join(lines) + (f"；近三年平均 {pts(avg)} 分" if avg is not None else ""),
        answered=reported, formula=formula,
    )


def _bonus_by_year(ctx: Context, rows: list[ItemScore], years: list[int]) -> tuple[dict[int, float | None], list[str], list[str]]:
    """Each year's bonus: Σ the points of the items reported that year (years.<y>.bonus_data),
    an item without yearly data counting in every year; capped (bonus_scoring.max_total)."""
    d = ctx.dossier
    unknown = [r.id for r in rows if r.points is None and r.answered and r.applicable and r.met is not False]
    if unknown:
        who = "评价" if ctx.by == "evaluator" else "自评"
        return {y: None for y in years}, [
            f"加分项 {'、'.join(unknown)} 为符合但未填{who}得分（points）：各项分值在导则附录B.3（导则文本中缺失），"
            f"请按导则原表评分，或在 {scheme_file_hint(ctx)} 的 bonus 各行填写 max_points"], []
    rule = ctx.scheme.bonus_scoring
    out: dict[int, float | None] = {}
    notes: list[str] = []
    undated = [r.id for r in rows if r.points and not any(r.id in d.year(y).bonus_data for y in years)]
    if undated:
        notes.append(f"加分项 {'、'.join(undated)} 无年度数据（years.<年>.bonus_data），按近三年每年得分计")
    for y in years:
        raw = sum(r.points or 0.0 for r in rows if r.applicable and (r.id in d.year(y).bonus_data or r.id in undated))
        if rule is not None and rule.weight is not None:
            raw *= rule.weight
        if rule is not None and rule.max_total is not None:
            raw = min(raw, rule.max_total)
        out[y] = round2(raw)
    return out, [], notes


def score(ctx: Context) -> ScoreReport:
    s, d = ctx.scheme, ctx.dossier
    params = Params.of(ctx)
    rows_by_no = _table_rows(ctx)
    specs = {row.id: rows_by_no.get(int(row.no or 0), {}) for row in s.indicators}
    codes = {row.id: str(specs[row.id].get("code") or "") for row in s.indicators}
    years = list(d.window)

    terms: dict[int, dict[str, Term]] = {}
    gi: dict[int, float | None] = {}
    counted: dict[int, list[str]] = {}
    missing_by_year: dict[int, list[str]] = {}
    notes: list[str] = []
    for y in years:
        data = d.year(y).green_index
        terms[y] = {row.id: term(ctx, row, specs[row.id], data.get(row.id), params) for row in s.indicators}
        total, missing, year_notes = count_terms(list(s.indicators), terms[y], params, codes)
        gi[y] = None if total is None else round2(total / params.divisor)
        counted[y] = [rid for rid, t in terms[y].items() if t.counted]
        missing_by_year[y] = missing
        if total is not None:
            notes += [f"{y}年：{n}" for n in year_notes]

    source = d.parameters.source if d.parameters.leading_values else ("方案数据 lookup_tables.green_index" if any(
        spec.get("leading_value") is not None for spec in specs.values()) else "")
    items: list[ItemScore] = [score_basic(bc, ctx) for bc in s.basic_conditions]
    gi_rows = [_indicator_item(row, specs[row.id], {y: terms[y][row.id] for y in years},
                               {y: d.year(y).green_index.get(row.id) for y in years}, params, source)
               for row in s.indicators]
    items += gi_rows
    bonus_rows = [score_row(row, "bonus", ctx) for row in s.bonus]
    items += bonus_rows
    bonus, bonus_missing, bonus_notes = _bonus_by_year(ctx, bonus_rows, years)
    notes += bonus_notes

    gi_avg = round2(mean(gi.values())) if all(v is not None for v in gi.values()) else None  # type: ignore[arg-type]
    bonus_avg = round2(mean(bonus.values())) if all(v is not None for v in bonus.values()) else None  # type: ignore[arg-type]
    total = round2(gi_avg + bonus_avg) if gi_avg is not None and bonus_avg is not None else None

    no_leading = [r.id for r in s.indicators if r.id not in params.qualitative
                  and leading_value(ctx, r, specs[r.id])[0] is None]
    missing_parameters = []
    if no_leading:
        missing_parameters.append(
            f"绿色指数 {len(no_leading)} 项定量指标缺少引领值（导则附录B.2，任何公开文本中都没有）：{'、'.join(no_leading)}；"
            f"请按导则原表填写在 {LEADING_HINT}")
    leading = {r.id: leading_value(ctx, r, specs[r.id])[0] for r in s.indicators if r.id not in params.qualitative}
    bonus_cap = s.bonus_scoring.max_total if s.bonus_scoring else None
    extra: dict[str, Any] = {
        "years": {y: {"gi": gi[y], "bonus": bonus[y],
                      "total": round2(gi[y] + bonus[y]) if gi[y] is not None and bonus[y] is not None else None,  # type: ignore[operator]
                      "counted": counted[y], "missing": missing_by_year[y]} for y in years},
        "gi_average": gi_avg,
        "bonus_average": bonus_avg,
        "indicator_scores": {row.id: {y: terms[y][row.id].score for y in years} for row in s.indicators},
        "leading_values": leading,
        "leading_values_source": source,
        "divisor": params.divisor,
        "missing_parameters": missing_parameters,
        "missing_bonus_points": bonus_missing,
    }
    method_note = (f"绿色指数（导则附录A.1）：GI = 1/{fmt(params.divisor)} × Σ 计入的 {fmt(params.divisor)} 项单项得分，"
                   f"单项得分 = 100 × 指标值 ÷ 引领值（逆向指标取 引领值 ÷ 指标值），不超过{pts(params.term_cap)}分；"
                   "可选指标计入哪几项、定性指标如何计分是读法，见方案数据 scoring.params；"
                   "总得分 = 近三年GI平均值 + 近三年加分项平均值。")
    if source:
        method_note += f"引领值出处：{source}。"
    categories = _categories(ctx, gi_rows, terms, years, params, codes)
    return ScoreReport(
        scheme=s.id, total=total, max=round2(params.term_cap + (bonus_cap or 0.0)), eligible=False,
        indicator_total=gi_avg, bonus_total=bonus_avg, categories=categories, items=items, extra=extra,
        notes=[method_note, *notes],
    )


def _categories(ctx: Context, rows: list[ItemScore], terms: dict[int, dict[str, Term]], years: list[int],
                params: Params, codes: dict[str, str]) -> list[CategoryScore]:
    """Each group's share of the three-year average GI (Σ its counted terms ÷ divisor)."""
    out = []
    for cat in ctx.scheme.categories:
        ids = [r.id for r in rows if r.category == cat.name]
        code = codes[ids[0]] if ids else ""
        per_year = [sum(terms[y][i].score or 0.0 for i in ids if terms[y][i].counted) / params.divisor for y in years]
        top = params.slots.get(code, 0) * params.term_cap / params.divisor
        out.append(CategoryScore(name=cat.name, score=round2(mean(per_year)) if per_year else 0.0, max=round2(top),
                                 weight=None, weighted=round2(mean(per_year)) if per_year else 0.0,
                                 note=f"计入GI {params.slots.get(code, 0)} 项，近三年平均贡献"))
    return out
