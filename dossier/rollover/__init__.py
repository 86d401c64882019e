"""A new reporting year: roll a dossier over (roll.py), compare two years (diff.py), and
read this tool's own rendered forms back into a dossier (importer.py).

    from dossier.rollover import roll_over
    report = roll_over(Path("某某科技"), 2027)          # writes 某某科技-2027/
    print(report.to_fill[0].label)                      # 2026 年工业总产值（万元，现价）
"""

from .report import RolloverReport, render_text
from .roll import default_target, roll_over

__all__ = ["RolloverReport", "default_target", "render_text", "roll_over"]
