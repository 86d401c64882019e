"""Self-assessment against the third-party evaluator (``dossier score --compare``).

Both views are scored by the same engine (:func:`~dossier.scoring.engine.score_dossier`
with ``by="self"`` and ``by="evaluator"``); a row differs when its points, its met/not
met, or — for a basic condition — its verdict differ. Each differing row carries both
points and both reasons; the comparison carries both totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..loader import LoadedDossier
from .context import pts, round2
from .engine import score_dossier
from .report import ItemScore, ScoreReport

KIND_NAMES = {"basic": "基本条件", "indicator": "评价指标", "bonus": "加分项"}


@dataclass
class RowDiff:
    id: str
    kind: str
    label: str
    self_points: float | None
    evaluator_points: float | None
    self_met: bool | None
    evaluator_met: bool | None
    self_reason: str
    evaluator_reason: str
    finding: str = ""  # the evaluator's own words on the row (evaluator.<section>.<id>.finding)

    @property
    def delta(self) -> float | None:
        if self.self_points is None or self.evaluator_points is None:
            return None
        return round2(self.evaluator_points - self.self_points)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "label": self.label,
                "self": {"points": self.self_points, "met": self.self_met, "reason": self.self_reason},
                "evaluator": {"points": self.evaluator_points, "met": self.evaluator_met,
                              "reason": self.evaluator_reason, "finding": self.finding},
                "delta": self.delta}


@dataclass
class Comparison:
    scheme: str
    subject: str
    self_report: ScoreReport
    evaluator_report: ScoreReport
    rows: list[RowDiff] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # rows the evaluator has not assessed

    def to_dict(self) -> dict[str, Any]:
        s, e = self.self_report, self.evaluator_report
        return {
            "scheme": self.scheme,
            "totals": {"self": s.total, "evaluator": e.total},
            "indicator_totals": {"self": s.indicator_total, "evaluator": e.indicator_total},
            "bonus_totals": {"self": s.bonus_total, "evaluator": e.bonus_total},
            "eligible": {"self": s.eligible, "evaluator": e.eligible},
            "rows": [r.to_dict() for r in self.rows],
            "pending_evaluation": self.pending,
        }


def _differs(a: ItemScore, b: ItemScore) -> bool:
    return a.points != b.points or a.met != b.met or a.applicable != b.applicable


def compare(loaded: LoadedDossier) -> Comparison:
    mine = score_dossier(loaded, by="self")
    theirs = score_dossier(loaded, by="evaluator")
    rows: list[RowDiff] = []
    pending: list[str] = []
    for a in mine.items:
        b = theirs.item(a.id)
        if b is None:
            continue
        if not b.answered and b.rule != "green_index":
            pending.append(a.id)
        if _differs(a, b):
            section = {"basic": "basic_conditions", "bonus": "bonus"}.get(a.kind, "indicators")
            finding = getattr(loaded.dossier.evaluator, section).get(a.id)
            rows.append(RowDiff(a.id, a.kind, a.label, a.points, b.points, a.met, b.met, a.reason, b.reason,
                                (finding.finding or "") if finding else ""))
    return Comparison(mine.scheme, mine.subject, mine, theirs, rows, pending)


def _met(x: bool | None) -> str:
    return {True: "达到", False: "未达到", None: "—"}[x]


def render_comparison(c: Comparison, width: int = 100) -> str:
    from ..termtext import wrap  # display-width aware (CJK)

    s, e = c.self_report, c.evaluator_report
    out = [f"{s.scheme_name}（{c.scheme}）自评与第三方评价对照：{c.subject}", "-" * min(width, 100)]
    out.append(f"总分：自评 {pts(s.total)}，第三方评价 {pts(e.total)}"
               f"（评价指标 {pts(s.indicator_total)} / {pts(e.indicator_total)}，"
               f"加分项 {pts(s.bonus_total)} / {pts(e.bonus_total)}）")
    out.append(f"能否申报：自评 {'符合' if s.eligible else '不符合或无法判断'}，"
               f"第三方评价 {'符合' if e.eligible else '不符合或无法判断'}")
    out.append("")
    if not c.rows:
        out.append("逐项对照：自评与第三方评价没有不同的项。")
    else:
        out.append(f"不同的项（{len(c.rows)} 项）：")
        for r in c.rows:
            points = f"自评 {pts(r.self_points)} 分 → 评价 {pts(r.evaluator_points)} 分"
            if r.kind == "basic":
                points = f"自评 {_met(r.self_met)} → 评价 {_met(r.evaluator_met)}"
            out.append(f"  {KIND_NAMES.get(r.kind, r.kind)} {r.label}：{points}")
            lines = [f"自评理由：{r.self_reason}", f"评价理由：{r.evaluator_reason}"]
            if r.finding:
                lines.append(f"评价发现：{r.finding}")
            for line in lines:
                first, *rest = wrap(line, max(width - 8, 40)) or [""]
                out += ["      " + first] + ["        " + more for more in rest]
    if c.pending:
        out += ["", f"待评价（评价人尚未评定，{len(c.pending)} 项）：{'、'.join(c.pending)}"]
    return "\n".join(out)
