"""The one PDF text reader (PDFium, ``dossier/pdftext.py``) against the readers it
replaced, measured in the same run (issue 14).

    .venv/bin/python benchmarks/pdf_text_bench.py [--repeat 3] [--baseline TREE]

1. ``check``'s read: page 1's text of every PDF of examples/suzhou-green-factory,
   pypdf ``extract_text`` (before) vs PDFium (now).
2. ``check`` of that example (in this process, the safefile cache emptied each time):
   with page 1 read by pypdf (before) vs PDFium (now); with ``--baseline TREE`` (e.g.
   ``git worktree add --detach /tmp/old main~5``) also ``dossier check`` run as a command
   with that tree's code against this tree's, start-up included.
3. ``extract``'s read: every page of the text PDFs (the example's evidence and, when
   present, the real corpus in benchmarks/realdocs/files), pdfplumber/pdfminer
   characters + table finder (before) vs PDFium characters, rulings and layout (now).

The machine is shared: the load average is printed; compare the ratios of one run.
Targets: text PDFs ≥ 20 pages/s; ``check`` of the example at least as fast as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "suzhou-green-factory"
REAL = ROOT / "benchmarks" / "realdocs" / "files"


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def pypdf_first_page(path: Path) -> str:
    from pypdf import PdfReader

    return PdfReader(str(path), strict=False).pages[0].extract_text() or ""


def pdfium_first_page(path: Path) -> str:
    from dossier.pdftext import first_page_text, open_pdf

    doc = open_pdf(path)
    try:
        return first_page_text(doc)
    finally:
        doc.close()


def timed(fn, repeat: int) -> float:
    """Median wall seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_pages(pdfs: list[Path], repeat: int) -> None:
    print(f"\n1. page 1's text of {len(pdfs)} PDFs of {EXAMPLE.name} (check's read)")
    old = timed(lambda: [pypdf_first_page(p) for p in pdfs], repeat)
    new = timed(lambda: [pdfium_first_page(p) for p in pdfs], repeat)
    print(f"  pypdf extract_text  {old:7.3f} s\n  PDFium              {new:7.3f} s   ({old / new:.1f}× quicker)")


def _pdf_before(path: Path):
    """safefile._pdf as it was before PDFium (main at 8cf0514): the structure check and
    page 1's text from one pypdf reader."""
    import pypdf.filters
    from pypdf import PdfReader

    from dossier.safefile import MAX_STREAM_BYTES, Inspection, _bad

    pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH = min(pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH, MAX_STREAM_BYTES)
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        text = reader.pages[0].extract_text() or ""
    except Exception as exc:  # noqa: BLE001 - as the old code: any error is a damaged file
        return _bad(type(exc).__name__)
    return Inspection(pages=len(reader.pages), text=text[:20000])


def check_runs(repeat: int, baseline: Path | None) -> None:
    from dossier import safefile
    from dossier.evidence_check import check_dossier
    from dossier.loader import load_dossier

    loaded = load_dossier(EXAMPLE)
    on = dt.date(2026, 12, 15)

    def run() -> None:
        safefile._CACHE.clear()
        check_dossier(loaded, on)

    now = safefile._pdf
    run()  # imports
    new = timed(run, repeat)
    safefile._pdf = _pdf_before
    try:
        old = timed(run, repeat)
    finally:
        safefile._pdf = now
    print(f"\n2. check of {EXAMPLE.name} (in process, files opened in safefile's child; median of {repeat})")
    print(f"  pypdf (before)      {old:7.3f} s\n  PDFium (now)        {new:7.3f} s   ({old / new:.2f}× quicker)")
    if baseline:
        def command(tree: Path) -> float:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            cmd = [sys.executable, "-m", "dossier.cli", "check", str(EXAMPLE), "--on", "2026-12-15"]
            return timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=False), repeat)

        before, after = command(baseline), command(ROOT)
        print(f"  dossier check, {baseline} {before:7.3f} s\n  dossier check, this tree {after:7.3f} s   "
              f"({before / after:.2f}× quicker; start-up included, ~1 s of it imports)")


def page_reads(pdfs: list[Path], repeat: int) -> None:
    import pdfplumber

    from dossier.extract.pdfpage import page_lines
    from dossier.pdftext import open_pdf

    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    def plumber() -> int:
        pages = 0
        for path in pdfs:
            with pdfplumber.open(str(path)) as doc:
                for page in doc.pages:
                    _ = page.chars
                    if page.objects.get("line") or page.objects.get("rect"):
                        page.find_tables()
                    page.close()
                    pages += 1
        return pages

    def pdfium() -> int:
        pages = 0
        for path in pdfs:
            doc = open_pdf(path)
            for index in range(len(doc)):
                page = doc[index]
                page_lines(page)
                page.close()
                pages += 1
            doc.close()
        return pages

    pages = pdfium()
    print(f"\n3. every page of {len(pdfs)} text PDFs, {pages} pages (extract's read; median of {repeat})")
    old = timed(plumber, repeat)
    new = timed(pdfium, repeat)
    print(f"  pdfplumber/pdfminer {old:7.3f} s  {pages / old:6.1f} pages/s\n"
          f"  PDFium + layout     {new:7.3f} s  {pages / new:6.1f} pages/s   ({old / new:.1f}× quicker)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of an earlier version: its `dossier check` is timed too")
    args = parser.parse_args()
    print(load())
    pdfs = sorted(p for p in (EXAMPLE / "evidence").rglob("*.pdf"))
    first_pages(pdfs, args.repeat)
    check_runs(args.repeat, args.baseline)
    text_pdfs = pdfs + sorted(p for p in REAL.glob("*.pdf") if p.name.startswith(("list_", "cert_csarabia")))
    page_reads(text_pdfs, args.repeat)
    print("\n" + load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
