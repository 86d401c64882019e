"""``dossier diff OLD NEW``: what changed between two dossiers (compare.py), shown as
Chinese tables in the terminal (text.py).

    from dossier.diff import diff_dossiers, render_diff
    print(render_diff(diff_dossiers(Path("某某科技"), Path("某某科技-2027"))))
"""

from .compare import DiffReport, diff_dossiers
from .text import render_diff

__all__ = ["DiffReport", "diff_dossiers", "render_diff"]
