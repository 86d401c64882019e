"""What the scoring engine returns (issue 6): the shape ``dossier score --json`` prints
and the forms read (得分 columns, 总分, 评价指标得分 / 加分项得分).

The forms depend on these names; the engine may add fields but not rename them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ItemScore:
    """One scored row: an indicator, a bonus item, or a basic condition (max 0)."""

    id: str
    points: float | None  # None: not scored (no answer and nothing computed)
    max: float
    type: str  # 必选 / 可选 / 必选（适用时）/ 加分 / 基本条件
    met: bool | None  # None: unknown (no answer)
    reason: str  # the figure and the rule, in Chinese
    category: str | None = None
    kind: str = "indicator"  # indicator | bonus | basic
    computed: bool = False  # True when a calculator decided the points, not the claim

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "points": self.points, "max": self.max, "type": self.type,
            "met": self.met, "reason": self.reason, "category": self.category, "kind": self.kind,
        }


@dataclass
class CategoryScore:
    name: str
    score: float
    max: float
    weight: float | None = None
    weighted: float | None = None  # score × weight (weighted schemes) or the score itself

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ThresholdResult:
    id: str
    name: str
    passed: bool | None  # None: cannot be decided (figure missing)
    value: Any
    required: Any

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScoreReport:
    scheme: str
    total: float  # the score the thresholds compare (indicators + bonus where the scheme adds it)
    max: float
    eligible: bool
    indicator_total: float = 0.0  # 评价指标得分
    bonus_total: float = 0.0  # 加分项得分
    categories: list[CategoryScore] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)
    thresholds: list[ThresholdResult] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    level: str | None = None  # the level the score reaches (graded schemes)
    extra: dict[str, Any] = field(default_factory=dict)  # scheme-specific figures (GI per year, …)

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

    @property
    def exit_code(self) -> int:
        return 0 if self.eligible else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
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
            "extra": self.extra,
        }
