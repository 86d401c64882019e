"""How long the main jobs take on the bundled examples: render every form (.docx), render
and convert to PDF, score, check, and build the whole package.

    .venv/bin/python benchmarks/build_bench.py [SCHEME_ID ...]

Prints one line per example and step (seconds, pages, size). The goal the product sets
itself: a complete package in well under a minute on a 2-core machine; a render of all
forms in under 2 s. Figures, not assertions: the tests check correctness, this prints speed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossier.evidence_check import check_dossier  # noqa: E402
from dossier.loader import load_dossier  # noqa: E402
from dossier.package import build_package  # noqa: E402
from dossier.render import render_forms  # noqa: E402
from dossier.scoring import score_dossier  # noqa: E402


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main(scheme_ids: list[str]) -> None:
    examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "dossier.yaml").is_file())
    if scheme_ids:
        examples = [p for p in examples if p.name in scheme_ids]
    print(f"{'example':38} {'step':14} {'seconds':>8}  detail")
    for example in examples:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / example.name
            shutil.copytree(example, work, ignore=shutil.ignore_patterns("output"))
            loaded, t = timed("load", lambda: load_dossier(work))
            print(f"{example.name:38} {'load':14} {t:8.2f}")
            report, t = timed("check", lambda: check_dossier(loaded, loaded.dossier.submission_date))
            print(f"{'':38} {'check':14} {t:8.2f}  {len(report.items)} items")
            score, t = timed("score", lambda: score_dossier(loaded))
            print(f"{'':38} {'score':14} {t:8.2f}  total {score.total}")
            forms, t = timed("render", lambda: render_forms(loaded, out_dir=Path(tmp) / "forms"))
            print(f"{'':38} {'render docx':14} {t:8.2f}  {len(forms)} forms")
            forms, t = timed("pdf", lambda: render_forms(loaded, out_dir=Path(tmp) / "pdf", pdf=True))
            print(f"{'':38} {'render + PDF':14} {t:8.2f}  {sum(1 for f in forms if f.pdf)} PDFs")
            built, t = timed("build", lambda: build_package(loaded, out=Path(tmp) / "package",
                                                           allow_incomplete=True))
            size = sum(p.stat().st_size for p in built.packages) / 1024 ** 2
            print(f"{'':38} {'build':14} {t:8.2f}  {built.pages} pages, {size:.1f} MB, "
                  f"{built.pages / t:.1f} pages/s")


if __name__ == "__main__":
    main(sys.argv[1:])
