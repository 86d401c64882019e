"""The third-party evaluator's side of a dossier: which rows are still 待评价.

A scheme whose forms include one the evaluator signs (``forms[].author: evaluator`` —
浙江 附件5-2/6-2, 郑州 附件4) needs the evaluator's finding on every basic condition,
indicator and bonus item (``evaluator.basic_conditions/indicators/bonus`` in
dossier.yaml). A row without a verdict (``status``) is 待评价: the evaluator's report
leaves it blank, and ``validate``/``check`` list it. A park's 绿色指数 rows are yearly
data scored by the 绿色指数 method, not verdicts, so they are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .loader import LoadedDossier

SECTIONS = (("basic_conditions", "基本条件"), ("indicators", "评价指标"), ("bonus", "加分项"))


@dataclass(frozen=True)
class Pending:
    section: str  # basic_conditions | indicators | bonus
    id: str
    label: str  # "基本条件 BC1"

    @property
    def path(self) -> str:
        return f"evaluator.{self.section}.{self.id}"

    def to_dict(self) -> dict[str, str]:
        return {"section": self.section, "id": self.id, "path": self.path, "label": self.label}


def has_evaluator_form(loaded: LoadedDossier) -> bool:
    return any(f.author == "evaluator" for f in loaded.scheme.forms)


def pending_evaluation(loaded: LoadedDossier) -> list[Pending]:
    """The rows the evaluator has not assessed yet (none for schemes without an evaluator's form)."""
    if not has_evaluator_form(loaded):
        return []
    s, ev = loaded.scheme, loaded.dossier.evaluator
    rows = {"basic_conditions": s.basic_conditions, "bonus": s.bonus,
            "indicators": [] if s.yearly_indicators else s.indicators}
    out = []
    for section, name in SECTIONS:
        findings = getattr(ev, section)
        for row in rows[section]:
            finding = findings.get(row.id)
            if finding is None or finding.status is None:
                out.append(Pending(section, row.id, f"{name} {row.id}"))
    return out


def summary(pending: list[Pending]) -> str:
    """"待评价（第三方评价人尚未评定）3 项：基本条件 BC1、评价指标 I02、…"."""
    return f"待评价（第三方评价人尚未评定）{len(pending)} 项：" + "、".join(p.label for p in pending)
