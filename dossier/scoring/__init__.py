"""Scoring: the points of every indicator, category and bonus item, the thresholds and
eligibility of a dossier under its scheme.

    >>> from dossier.loader import load_dossier
    >>> report = score_dossier(load_dossier("examples/jiangsu-zero-carbon-factory"))
    >>> report.total, report.eligible, report.item("I02").reason
    (82.5, True, '2025年可再生能源消费占比（当量值） 35.51%（30%≤x<40%档）→ 6 分')
"""

from .engine import score_dossier
from .report import CategoryScore, ItemScore, ScoreReport, ThresholdResult
from .text import render_text

__all__ = ["CategoryScore", "ItemScore", "ScoreReport", "ThresholdResult", "render_text", "score_dossier"]
