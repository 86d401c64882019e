"""What every scoring step reads: the dossier, its scheme, the computed figures, and
the small number helpers the reasons use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from ..calc.result import fmt
from ..figures import Figures
from ..loader import LoadedDossier
from ..model import Answer, Dossier
from ..schemes import Indicator, Scheme


# Whose assessment the rows are scored on: the applicant's self-assessment (自评), or
# the third-party evaluator's findings (``evaluator.basic_conditions/indicators/bonus``).
VIEWS = ("self", "evaluator")


@dataclass
class Context:
    loaded: LoadedDossier
    notes: list[str] = field(default_factory=list)
    by: str = "self"  # one of VIEWS

    @property
    def dossier(self) -> Dossier:
        return self.loaded.dossier

    @property
    def scheme(self) -> Scheme:
        return self.loaded.scheme

    @cached_property
    def figures(self) -> Figures:
        return Figures(self.dossier)

    @property
    def year(self) -> int:
        """The year the rules read: the last of the window (上年度)."""
        return self.dossier.last_year

    @cached_property
    def conditional(self) -> set[str]:
        return set(self.scheme.scoring.conditional)

    def applicable_only(self, row: Indicator) -> bool:
        """May the row not apply? 必选/可选（适用时）, or a precondition in its own text."""
        return row.applicable_only or row.id in self.conditional

    def answer(self, row: Indicator, kind: str) -> Answer | None:
        return self.answers("bonus" if kind == "bonus" else "indicators").get(row.id)

    def answers(self, section: str) -> dict[str, Answer]:
        """``basic_conditions`` / ``indicators`` / ``bonus`` of the view: the dossier's
        self-assessment, or the evaluator's findings read as answers."""
        if self.by == "evaluator":
            findings = getattr(self.dossier.evaluator, section)
            return {key: finding.as_answer() for key, finding in findings.items()}
        return getattr(self.dossier, section)

    def voice(self, reason: str) -> str:
        """A reason in the view's words: the evaluator's points are 评价得分, not 自评."""
        if self.by != "evaluator":
            return reason
        return reason.replace("未填写自评", "待评价（评价人未评定）").replace("自评", "评价")


def round2(x: float) -> float:
    """Points as an evaluator writes them: two decimals, halves up (1.4825 → 1.48, 2.135 → 2.14)."""
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pts(x: float | None) -> str:
    """Points for a reason: ``6``, ``5.5``, ``1.48``."""
    return "—" if x is None else fmt(round2(x), 2)


def short(text: str, width: int = 24) -> str:
    text = "".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# The first clause of a requirement names the row well enough for a list:
# "开展智能工厂建设，达到先进级及以上水平。（获评…）" → "开展智能工厂建设"
_CLAUSE_END = re.compile(r"[，。；：（(,;:]")


def headline(text: str, width: int = 26) -> str:
    text = "".join(text.split())
    first = _CLAUSE_END.split(text, maxsplit=1)[0] or text
    return short(first, width)
