"""The score report as ``dossier score`` prints it (Chinese, fixed-width columns)."""

from __future__ import annotations

from ..termtext import pad, wrap
from .context import pts
from .report import ScoreReport, ThresholdResult

VERDICT = {True: "【达到】", False: "【未达到】", None: "【无法判断】"}



def _indented(text: str, indent: int, width: int, hang: int = 0) -> list[str]:
    """``text`` wrapped at ``width``, indented; continuation lines ``hang`` columns further."""
    first, *rest = wrap(text, max(width - indent - hang, 20)) or [""]
    return [" " * indent + first] + [" " * (indent + hang) + line for line in rest]


def _threshold_lines(t: ThresholdResult, width: int) -> list[str]:
    required = f"，要求 {t.required_shown}" if t.required_shown else ""
    lines = _indented(f"{VERDICT[t.passed]} {t.name}：{t.shown}{required}", 2, width)
    if t.reason and (t.passed is not True or t.metric in ("offset_coverage", "own_reduction_ratio")):
        lines += _indented(t.reason, 6, width)
    if t.note:
        lines += _indented(f"注意：{t.note}", 6, width)
    return lines


def render_text(report: ScoreReport, width: int = 100) -> str:
    width = max(width, 60)
    rule = "-" * width
    who = f"：{report.subject}" if report.subject else ""
    view = "（按第三方评价人的评价）" if report.by == "evaluator" else ""
    out = [f"{report.scheme_name}（{report.scheme}）评分{view}{who}", rule]
    total, top = pts(report.total), pts(report.max)
    has_bonus = any(i.kind == "bonus" for i in report.items)
    parts = f"评价指标 {pts(report.indicator_total)}" + (f"，加分项 {pts(report.bonus_total)}" if has_bonus else "")
    out.append(f"总分：{total} / {top}（{parts}）")
    if report.level:
        out.append(f"达到等级：{report.level}")
    if report.categories:
        cols = (("一级指标", 26), ("得分", 9), ("满分", 9), ("权重", 7), ("计入总分", 9))
        out += ["", "".join(pad(name, w) for name, w in cols) + "说明", rule]
        for c in report.categories:
            weight = "—" if c.weight is None else f"{c.weight:.0%}"
            cells = (c.name, pts(c.score), pts(c.max), weight, pts(c.weighted))
            out.append("".join(pad(v, w) for v, (_, w) in zip(cells, cols)) + c.note)
        out.append(rule)
    if report.extra.get("years"):
        out += ["", "近三年得分（绿色指数 GI + 加分项）："]
        for year, row in report.extra["years"].items():
            out.append(f"  {year}年：GI {pts(row.get('gi'))}，加分项 {pts(row.get('bonus'))}，合计 {pts(row.get('total'))}")
        if report.extra.get("leading_values_source"):
            out.append(f"  引领值出处：{report.extra['leading_values_source']}")
    computed = [i for i in report.items if i.computed and i.rule != "green_index"]
    if computed:
        out += ["", "按档案数据计算得分的指标："]
        for i in computed:
            out += _indented(f"{i.id}：{pts(i.points)}/{pts(i.max)} 分——{i.reason}", 2, width, hang=len(i.id) + 1)
    out += ["", "确认标准："]
    for t in report.thresholds:
        out += _threshold_lines(t, width)
    out += ["", "结论：" + ("符合申报条件。" if report.eligible else "尚不符合申报条件（见下列差距）。")]
    if report.gaps:
        out += ["", "差距与提分空间（先列未达到的条件，再列尚可得分最多的指标）："]
        for n, gap in enumerate(report.gaps, 1):
            out += _indented(f"{n}. {gap}", 2, width, hang=len(f"{n}. "))
    if report.notes:
        out += ["", "说明："]
        for note in report.notes:
            out += _indented(f"- {note}", 2, width, hang=2)
    return "\n".join(out)
