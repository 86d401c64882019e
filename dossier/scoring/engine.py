"""Scoring engine — PROVISIONAL: sums the points each answer claims, capped at the row's
maximum. The rule-driven engine of issue 6 replaces this module's internals; the
signature and :class:`ScoreReport` stay."""

from __future__ import annotations

from ..loader import LoadedDossier
from .report import CategoryScore, ItemScore, ScoreReport


def _claimed(answer, max_points: float) -> float | None:
    if answer is None or answer.status is None:
        return None
    if answer.points is not None:
        return min(float(answer.points), max_points)
    return max_points if answer.status == "符合" else 0.0


def score_dossier(loaded: LoadedDossier) -> ScoreReport:
    d, s = loaded.dossier, loaded.scheme
    items: list[ItemScore] = []
    for kind, rows, answers in (("indicator", s.indicators, d.indicators), ("bonus", s.bonus, d.bonus)):
        for row in rows:
            answer = answers.get(row.id)
            points = _claimed(answer, row.max_points)
            items.append(ItemScore(
                id=row.id, points=points, max=row.max_points, type=row.type if kind == "indicator" else "加分",
                met=None if points is None else points > 0, reason="按自评得分", category=row.category, kind=kind,
            ))
    categories = []
    for cat in s.categories:
        got = sum(i.points or 0 for i in items if i.kind == "indicator" and i.category == cat.name)
        cap = cat.cap or cat.stated_max or cat.seed_sum
        categories.append(CategoryScore(cat.name, min(got, cap), cap, cat.weight, min(got, cap)))
    indicator_total = sum(c.score for c in categories) if categories else sum(
        i.points or 0 for i in items if i.kind == "indicator")
    bonus_total = sum(i.points or 0 for i in items if i.kind == "bonus")
    return ScoreReport(
        scheme=s.id, total=indicator_total + bonus_total, max=s.scoring.max_total, eligible=False,
        indicator_total=indicator_total, bonus_total=bonus_total, categories=categories, items=items,
    )
