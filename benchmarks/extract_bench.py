"""Benchmark of ``dossier extract`` on the corpus of tests/data/extract.

    .venv/bin/python benchmarks/extract_bench.py                   # text PDFs and 200 dpi scans
    .venv/bin/python benchmarks/extract_bench.py --engine tesseract
    .venv/bin/python benchmarks/extract_bench.py --ocrmypdf        # scans through ocrmypdf's text layer
    .venv/bin/python benchmarks/extract_bench.py --dpi 150 --only scan

Prints field-level accuracy per document type, text PDFs and scans separately, and
pages per second. A field is right when its value equals the expected one (numbers
within rounding, text ignoring spaces and full/half width: ``same_value``).
Targets: ≥ 98 % of fields on text PDFs, ≥ 90 % on 200 dpi scans, text PDFs
at ≥ 20 pages/s.

The scans are made from the text PDFs by tests/data/extract/make_corpus.py: rendered
at --dpi, a red seal pressed over text, skewed up to 1.5°, noise, blur, JPEG.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "extract"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(CORPUS))

import make_corpus  # noqa: E402

from dossier.extract import extract, load_templates  # noqa: E402
from dossier.extract.normalise import same_value  # noqa: E402


def score(docs, expected) -> tuple[dict[str, list[int]], list[str]]:
    """Per doc type [right, total], and a line per wrong field."""
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for doc in docs:
        truth = expected[doc.file.name if doc.file.name in expected else doc.file.stem + ".pdf"]
        counts = per_type[truth["doc_type"]]
        for name, value in truth["fields"].items():
            counts[1] += 1
            found = doc.fields.get(name) if doc.doc_type == truth["doc_type"] else None
            if found is not None and same_value(found.value, value):
                counts[0] += 1
            else:
                got = found.value if found else None
                wrong.append(f"{doc.file.name}: {name}: 应为 {value!r}，得到 {got!r}"
                             + (f"（{found.text}）" if found else "") + ("" if doc.doc_type else f"；类型 {doc.doc_type}"))
    return per_type, wrong


def report(title: str, docs, expected, seconds: float, show_wrong: bool) -> float:
    per_type, wrong = score(docs, expected)
    pages = sum(d.pages for d in docs)
    right = sum(c[0] for c in per_type.values())
    total = sum(c[1] for c in per_type.values())
    print(f"\n== {title}: {len(docs)} 个文件，{pages} 页，{seconds:.2f} 秒，{pages / seconds:.1f} 页/秒")
    print(f"{'文件类型':28} {'正确/字段':>10} {'准确率':>8}")
    for doc_type, (ok, n) in sorted(per_type.items()):
        print(f"{doc_type:28} {ok:>4}/{n:<5} {ok / n:>8.1%}")
    print(f"{'合计':28} {right:>4}/{total:<5} {right / total:>8.1%}")
    if show_wrong:
        for line in wrong:
            print("  ✗", line)
    return right / total


def make_scans(names, expected, out: Path, dpi: int, noise: float = 9.0, quality: int = 70,
               max_skew: float = 1.5) -> list[Path]:
    import random

    rng = random.Random(max_skew)
    scans = []
    for i, name in enumerate(names):
        info = expected[name]
        scans.append(make_corpus.make_scan(CORPUS / name, out / name, dpi=dpi, seed=i, stamp_text=info["stamp"],
                                           pages=info["scan_pages"], angle=rng.uniform(-max_skew, max_skew),
                                           noise=noise, quality=quality))
    return scans


def ocrmypdf_pass(scans: list[Path], out: Path) -> list[Path]:
    """tesseract chi_sim through ocrmypdf: a PDF with an invisible text layer each."""
    exe = shutil.which("ocrmypdf")
    if not exe:
        raise SystemExit("需要 ocrmypdf：sudo apt-get install ocrmypdf tesseract-ocr-chi-sim")
    done = []
    for scan in scans:
        target = out / scan.name
        subprocess.run([exe, "-q", "-l", "chi_sim+eng", "--force-ocr", "--deskew", "--output-type", "pdf",
                        str(scan), str(target)], check=True)
        done.append(target)
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["rapidocr", "tesseract"], help="OCR engine (default: best installed)")
    parser.add_argument("--ocrmypdf", action="store_true", help="OCR the scans with ocrmypdf first, read its text layer")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--noise", type=float, default=9.0, help="Gaussian noise, grey levels (default 9)")
    parser.add_argument("--quality", type=int, default=70, help="JPEG quality of the scans (default 70)")
    parser.add_argument("--max-skew", type=float, default=1.5, help="skew up to ± this many degrees (default 1.5)")
    parser.add_argument("--only", choices=["text", "scan"])
    parser.add_argument("--keep", type=Path, help="keep the scans in this folder")
    parser.add_argument("--wrong", action="store_true", help="list every wrong field")
    args = parser.parse_args()

    expected = make_corpus.expected()
    names = [n for n in expected if not n.startswith("garbled")]
    load_templates()  # parse templates outside the timing
    print(f"CPU: {os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}；OCR 引擎：{args.engine or '默认'}"
          + ("（经 ocrmypdf）" if args.ocrmypdf else ""))

    if args.only != "scan":
        start = time.perf_counter()
        docs = extract([CORPUS / n for n in names])
        report("文字版 PDF", docs, expected, time.perf_counter() - start, args.wrong)
        garbled = [n for n in expected if n.startswith("garbled")]
        start = time.perf_counter()
        docs = extract([CORPUS / n for n in garbled], engine=args.engine)
        report("文字层乱码的 PDF（(cid:…)，逐页改用 OCR）", docs, expected, time.perf_counter() - start, args.wrong)

    if args.only != "text":
        tmp = Path(tempfile.mkdtemp(prefix="extract_bench_"))
        out = args.keep or tmp
        out.mkdir(parents=True, exist_ok=True)
        try:
            scans = make_scans(names, expected, out, args.dpi, args.noise, args.quality, args.max_skew)
            start = time.perf_counter()
            if args.ocrmypdf:
                layer = tmp / "ocrmypdf"
                layer.mkdir(exist_ok=True)
                scans = ocrmypdf_pass(scans, layer)
            docs = extract(scans, engine=args.engine)
            report(f"扫描件（{args.dpi} dpi，歪斜 ≤{args.max_skew:g}°，噪点 σ={args.noise:g}，印章压字，JPEG 质量 {args.quality}）",
                   docs, expected,
                   time.perf_counter() - start, args.wrong)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
