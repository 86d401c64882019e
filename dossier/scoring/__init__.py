"""Scoring: the points of every indicator, category and bonus item, the thresholds and
eligibility of a dossier under its scheme (issue 6)."""

from .engine import score_dossier
from .report import CategoryScore, ItemScore, ScoreReport, ThresholdResult

__all__ = ["CategoryScore", "ItemScore", "ScoreReport", "ThresholdResult", "score_dossier"]
