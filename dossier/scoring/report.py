"""What the scoring engine returns: the shape ``dossier score --json`` prints
and the forms read (得分 columns, 总分, 评价指标得分 / 加分项得分).

The forms depend on these names; the engine may add fields but not rename them.

``total`` and ``max`` are ``None`` only where the programme's own parameters are missing
(the Zhejiang park's 绿色指数 引领值, which the user supplies): the forms then print blanks,
never an invented figure. ``extra`` holds scheme-specific figures: for the park,
``extra["years"][2025] = {"gi", "bonus", "total"}``, ``extra["gi_average"]``,
``extra["bonus_average"]`` and ``extra["missing_parameters"]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ItemScore:
    """One scored row: an indicator, a bonus item, or a basic condition (max 0)."""

    id: str
    points: float | None  # None: not scored (no answer and nothing computed, or 不适用)
    max: float | None  # None: the programme does not give the row's points
    type: str  # 必选 / 可选 / 必选（适用时）/ 加分 / 基本条件
    met: bool | None  # fully met; None: unknown (no answer) or not applicable
    reason: str  # the figure and the rule, in Chinese
    category: str | None = None
    kind: str = "indicator"  # indicator | bonus | basic
    computed: bool = False  # True when a calculator decided the points, not the claim
    applicable: bool = True  # False: answered 不适用 on a row that may not apply
    answered: bool = True  # False: the dossier has no answer for the row
    claimed: float | None = None  # the points the dossier claims (自评得分), when it says
    rule: str = "claimed"  # the rule type of the scheme data
    formula: str = ""  # the calculation behind a computed figure, figures filled in
    label: str = ""  # a short name of the row for lists (gaps, terminal)
    veto: bool = False  # a basic condition whose failure makes the dossier ineligible

    @property
    def mandatory(self) -> bool:
        return self.type.startswith("必选")

    @property
    def open_points(self) -> float:
        """Points still to gain on this row (0 when met or not applicable)."""
        if not self.applicable or self.max is None:
            return 0.0
        return max(self.max - (self.points or 0.0), 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "points": self.points, "max": self.max, "type": self.type,
            "met": self.met, "reason": self.reason, "category": self.category, "kind": self.kind,
            "computed": self.computed, "applicable": self.applicable, "claimed": self.claimed,
            "rule": self.rule, "formula": self.formula,
        }


@dataclass
class CategoryScore:
    name: str
    score: float
    max: float
    weight: float | None = None
    weighted: float | None = None  # score × weight (weighted schemes) or the score itself
    earned: float | None = None  # Σ points of the rows, before 不适用 rescaling and the cap
    applicable_max: float | None = None  # Σ max of the rows that apply
    note: str = ""  # how the score was rescaled or capped, in Chinese

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ThresholdResult:
    id: str
    name: str
    passed: bool | None  # None: cannot be decided (figure missing)
    value: Any
    required: Any
    metric: str = ""  # the threshold's metric in the scheme data (total_score, offset_coverage, …)
    shown: str = ""  # the figure as a user reads it: "100.69%", "4/5 项符合"
    required_shown: str = ""  # "≥ 100%", "全部符合"
    reason: str = ""  # how the figure was obtained, or what is missing
    note: str = ""  # a caution beside the result (e.g. reached only with the bonus)
    figures: dict[str, Any] = field(default_factory=dict)  # the figures behind ``value`` (numbers), printed by the forms

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScoreReport:
    scheme: str
    total: float | None  # the score the thresholds compare (indicators + bonus where the scheme adds it)
    max: float | None
    eligible: bool
    indicator_total: float | None = 0.0  # 评价指标得分
    bonus_total: float | None = 0.0  # 加分项得分
    categories: list[CategoryScore] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)
    thresholds: list[ThresholdResult] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    level: str | None = None  # the level the score reaches (graded schemes)
    extra: dict[str, Any] = field(default_factory=dict)  # scheme-specific figures (GI per year, …)
    notes: list[str] = field(default_factory=list)  # readings and cautions the user should know
    scheme_name: str = ""
    subject: str = ""
    by: str = "self"  # whose assessment was scored: self (自评) | evaluator (第三方评价)

    def item(self, item_id: str) -> ItemScore | None:
        for row in self.items:
            if row.id == item_id:
                return row
        return None

    def category(self, name: str) -> CategoryScore | None:
        for row in self.categories:
            if row.name == name:
                return row
        return None

    def threshold(self, threshold_id: str) -> ThresholdResult | None:
        for row in self.thresholds:
            if row.id == threshold_id:
                return row
        return None

    @property
    def exit_code(self) -> int:
        return 0 if self.eligible else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "by": self.by,
            "total": self.total,
            "max": self.max,
            "eligible": self.eligible,
            "indicator_total": self.indicator_total,
            "bonus_total": self.bonus_total,
            "level": self.level,
            "categories": [c.to_dict() for c in self.categories],
            "items": [i.to_dict() for i in self.items],
            "thresholds": [t.to_dict() for t in self.thresholds],
            "gaps": self.gaps,
            "notes": self.notes,
            "extra": self.extra,
        }
