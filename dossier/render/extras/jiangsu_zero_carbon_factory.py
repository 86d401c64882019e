"""What the Jiangsu forms show that the generic context lacks (template name ``x``).

附件2 入库申报表 — ``x.intake_conditions``: its nine check boxes of 基本条件符合性情况, in the
seed's order. They are 附件1-1's conditions 1–4 followed by condition 5 (合规条件) split
into its five sub-items, which 附件2 prints as boxes 5–9 without their "（1）" numbers and
each ending with "。" (the scheme keeps 附件1-1's wording; only numbering and the final
punctuation change). A box is ticked (``c.ticked``) only when the answer is 符合 (the form
reads "符合的在“□”内打√"); 不适用 for a condition the seed says may not apply (附件1-1 第3项
"如无…则不适用") leaves the box open and is marked (``c.not_applicable``). Condition 5's
sub-items follow its answer: all ticked when it is 符合, otherwise those listed in its
``components``.

附件3 申报书:

* ``x.honour(label)`` — whether ``subject.honours`` holds the 绿色制造 honour ``label`` (the
  基本信息表's "绿色制造其他相关荣誉" boxes: 绿色供应链管理企业, 工业产品绿色设计示范企业).
* ``x.criteria[metric]`` — the 确认标准 of 《指南》四 (the scheme's thresholds that apply to
  the application type), by metric: ``basic_conditions``, ``offset_coverage``,
  ``own_reduction_ratio``, ``total_score``; each with ``name``, ``passed`` (True / False
  / None when a figure is missing) and ``figures``, the scoring engine's figures behind the
  verdict (``emitted``, ``offsets``, ``reduction``, ``ratio_pct``): the form prints those,
  never a figure computed another way. The engine's verdict is used where it gives one.
* ``x.basic`` — how many basic conditions are 符合 / 不适用 / 不符合 (or 部分符合) / unanswered.
* ``x.attachments`` — the 申报材料清单 (附件1-3), every item with its official number, the
  files the check found, and a note where the item is a form (入库申报表, 申报书) or is not
  attached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ...loader import LoadedDossier
from ...model import Answer
from ...schemes import BasicCondition, Threshold

MET = "符合"
NOT_APPLICABLE = "不适用"

# "（1）近三年来……等情况；" → "近三年来……等情况"
SUB_ITEM = re.compile(r"^[（(]\d+[）)]\s*|[；;。，,\s]+$")


@dataclass
class IntakeCondition:
    no: int
    text: str
    ticked: bool  # 符合: the box claims the condition is met
    not_applicable: bool = False  # 不适用 (a condition the seed says may not apply): marked, not ticked


@dataclass
class Criterion:
    id: str
    name: str
    metric: str
    passed: bool | None
    figures: dict[str, Any]  # the scoring engine's figures behind the verdict (emitted, offsets, …)


@dataclass
class Attachment:
    no: int  # the official number (附件1-3)
    title: str
    files: list[str]
    note: str | None  # where a form is, or why nothing is attached; None when files are attached


@dataclass
class BasicCounts:
    total: int
    met: int
    not_applicable: int
    failed: int
    unanswered: int


def _bare(text: str) -> str:
    return SUB_ITEM.sub("", text.strip())


def _not_applicable(cond: BasicCondition, answer: Answer) -> bool:
    return answer.status == NOT_APPLICABLE and cond.applicable_only


def intake_conditions(loaded: LoadedDossier) -> list[IntakeCondition]:
    rows: list[tuple[str, bool, bool]] = []
    for cond in loaded.scheme.basic_conditions:
        answer = loaded.dossier.basic_conditions.get(cond.id) or Answer()
        if not cond.items:
            rows.append((cond.text, answer.status == MET, _not_applicable(cond, answer)))
            continue
        chosen = {_bare(c) for c in answer.components}
        for item in cond.items:
            rows.append((_bare(item), answer.status == MET or _bare(item) in chosen, False))
    return [IntakeCondition(no, f"{_bare(text)}。", ticked, na) for no, (text, ticked, na) in enumerate(rows, 1)]


def _applies(threshold: Threshold, loaded: LoadedDossier) -> bool:
    return all(getattr(loaded.dossier, key, None) == value for key, value in (threshold.when or {}).items())


def _compare(value: float | None, op: str, required: float) -> bool | None:
    if value is None:
        return None
    return {">=": value >= required, ">": value > required, "<=": value <= required, "<": value < required}[op]


class JiangsuExtras:
    def __init__(self, loaded: LoadedDossier, builder: Any) -> None:
        self._loaded, self._builder = loaded, builder

    def honour(self, label: str) -> bool:
        return any(label in h.name for h in self._loaded.dossier.subject.honours)

    @cached_property
    def intake_conditions(self) -> list[IntakeCondition]:
        return intake_conditions(self._loaded)

    @cached_property
    def basic(self) -> BasicCounts:
        scheme, answers = self._loaded.scheme, self._loaded.dossier.basic_conditions
        statuses = [(c, (answers.get(c.id) or Answer()).status) for c in scheme.basic_conditions]
        met = sum(1 for _, s in statuses if s == MET)
        na = sum(1 for c, s in statuses if s == NOT_APPLICABLE and c.applicable_only)
        unanswered = sum(1 for _, s in statuses if s is None)
        return BasicCounts(len(statuses), met, na, len(statuses) - met - na - unanswered, unanswered)

    def _passed(self, threshold: Threshold) -> bool | None:
        score = self._builder.get("score")
        for result in score.thresholds:
            if result.id == threshold.id and result.passed is not None:
                return result.passed
        fig = self._builder.get("fig")
        if threshold.metric == "basic_conditions":
            counts = self.basic
            return None if counts.unanswered else counts.failed == 0
        if threshold.metric == "total_score":
            return _compare(score.total, threshold.op, threshold.value or 0)
        if threshold.metric in ("offset_coverage", "own_reduction_ratio"):
            result = fig.offset_coverage() if threshold.metric == "offset_coverage" else fig.own_reduction_ratio
            # The calculators give a percentage; the scheme states the threshold as a ratio (1.0 = 100 %).
            value = None if result.value is None else result.value / 100 if result.unit == "%" else result.value
            return _compare(value, threshold.op, threshold.value or 0)
        return None

    @cached_property
    def criteria(self) -> dict[str, Criterion]:
        out: dict[str, Criterion] = {}
        thresholds = self._loaded.scheme.thresholds
        applying = {t.metric for t in thresholds if _applies(t, self._loaded)}
        for t in thresholds:
            # no application type chosen (a new dossier): the first (近零碳) own-reduction threshold
            if t.metric in out or (t.metric in applying and not _applies(t, self._loaded)):
                continue
            engine = next((r for r in self._builder.get("score").thresholds if r.id == t.id), None)
            figures = dict.fromkeys(("emitted", "offsets", "reduction", "ratio_pct")) | (
                engine.figures if engine else {})
            out[t.metric] = Criterion(t.id, t.name, t.metric, self._passed(t), figures)
        return out

    @cached_property
    def attachments(self) -> list[Attachment]:
        """附件1-3 申报材料清单 as the official list has it: items 1–14 with their own numbers;
        the forms themselves (入库申报表, 申报书) say where they are, items the dossier does
        not attach are marked, not dropped."""
        forms = self._loaded.scheme.forms
        out = []
        for e in self._builder.get("evidence"):
            form = next((f for f in forms if f.title in e.title), None)
            if form is not None:
                where = "即本申报书" if "申报书" in form.title else f"见{form.annex}（另行提交）"
            elif e.files:
                where = None
            else:
                where = "未附（" + (e.label or "未提供") + "）"
            out.append(Attachment(e.no, e.title, e.files, where))
        return out


def build(loaded: LoadedDossier, builder: Any) -> JiangsuExtras:
    return JiangsuExtras(loaded, builder)
