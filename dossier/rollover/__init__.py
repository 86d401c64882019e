"""A new reporting year: roll a dossier over (roll.py): the new year's skeleton, evidence
carried forward (evidence.py), the Chinese report (report.py). Comparing two years is
:mod:`dossier.diff`; reading forms back is :mod:`dossier.formimport`.

    from dossier.rollover import roll_over
    report = roll_over(Path("某某科技"), 2027)          # writes 某某科技-2027/
    print(report.to_fill[0].label)                      # 2026 年工业总产值（万元，现价）
"""

from .report import RolloverReport, render_text
from .roll import default_target, roll_over

__all__ = ["RolloverReport", "default_target", "render_text", "roll_over"]
