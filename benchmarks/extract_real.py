"""Extraction measured on REAL documents: accuracy per document type, per field and per
capture (text PDF vs scan/photo), and speed.

    .venv/bin/python benchmarks/extract_real.py            # every file present
    .venv/bin/python benchmarks/extract_real.py -k licence # files whose name contains "licence"
    .venv/bin/python benchmarks/extract_real.py --misses   # also list every wrong/missing field
    .venv/bin/python benchmarks/extract_real.py --backends openvino,onnxruntime
        # each OCR file read by each runtime in turn (A/B, B/A, ...): per-runtime medians and fields

Speed: the median wall time and CPU seconds per OCR page, the OCR runtime used and the
load average (the machine is shared: compare runtimes in one run, interleaved).

The files are third-party documents kept out of git in ``benchmarks/realdocs/files/``
(``benchmarks/realdocs/sources.md`` says where each comes from); the true values, read by
eye from the page images, are in ``benchmarks/realdocs/truth.json``. Files missing from
the folder are skipped (and counted), so the script runs on whatever is present.

A field is right when the extracted value equals the true one after NFKC, case-folded,
with （）/() alike, and with the same spaces between Latin letters and digits (spaces next
to punctuation or Chinese characters are ignored). A field the page does not print (``absent``) that extract
outputs anyway counts as a wrong field ("invented"). For lists (MIIT annexes) the
``rows`` given are checked in the parsed table, the row count too, and ``find`` names must
return their row.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from dossier.extract import extract  # noqa: E402

TRUTH = ROOT / "realdocs" / "truth.json"
FILES = ROOT / "realdocs" / "files"


def canon(value) -> str:
    """Compared as the reader sees it: a space between two Latin letters or digits counts
    ("Gulf Nitrogen" is not "GulfNitrogen"); spaces next to punctuation or Chinese do not."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().replace("（", "(").replace("）", ")")
    text = " ".join(text.split())
    return re.sub(r"(?<![0-9a-zà-ÿ]) | (?![0-9a-zà-ÿ])", "", text)


def same(field: str, got, want) -> bool:
    if got is None:
        return False
    a, b = canon(got), canon(want)
    if field == "number":  # certificate numbers: O and 0 are one glyph in most fonts
        a, b = a.replace("o", "0"), b.replace("o", "0")
    return a == b


def _cache_readings(folder: Path) -> None:
    import pickle

    from dossier.extract import pipeline

    folder.mkdir(parents=True, exist_ok=True)
    read = pipeline.read_document

    def cached(path, ocr, progress=None):
        stat = Path(path).stat()
        key = folder / f"{Path(path).name}.{stat.st_size}.{int(stat.st_mtime)}.pkl"
        if key.exists():
            return pickle.loads(key.read_bytes())
        reading = read(path, ocr, progress)
        key.write_bytes(pickle.dumps(reading))
        return reading

    pipeline.read_document = cached


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its finished children (the safe
    opener's child process that checks each file first)."""
    import os

    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _warm_up() -> None:
    """Imports and the document patterns loaded before the clock starts: the first file
    would otherwise carry ~1 s of start-up that is no property of reading it."""
    import pdfplumber.table  # noqa: F401
    import pypdfium2  # noqa: F401

    from dossier.extract import load_templates
    from dossier.safefile import inspect

    load_templates()
    inspect(TRUTH)  # forks the safe opener once


def check(spec: dict, doc) -> list[tuple[str, bool, str]]:
    """(field, right, detail) for every value ``truth.json`` gives for the file."""
    got_fields = {k: f.value for k, f in doc.fields.items()}
    checks: list[tuple[str, bool, str]] = []
    type_ok = doc.doc_type == spec["type"]
    checks.append(("(type)", type_ok, f"{doc.doc_type}"))
    for field, want in spec.get("fields", {}).items():
        got = got_fields.get(field) if type_ok else None
        checks.append((field, same(field, got, want), f"got {got!r}, want {want!r}"))
    squashed = "".join(doc.text.split()).replace("|", "")
    for text in spec.get("contains", []):
        checks.append((f"text has {text}", text in squashed, "not in the text read (or read doubled)"))
    for field in spec.get("absent", []):
        got = got_fields.get(field)
        checks.append((f"{field} (not printed)", got is None, f"invented {got!r}"))
    rows = getattr(doc, "rows", None) or []
    if "rows" in spec:
        by_no = {str(r.number): r.name for r in rows}
        for no, want in spec["rows"].items():
            got = by_no.get(no)
            checks.append((f"row {no}", same("name", got, want), f"got {got!r}, want {want!r}"))
        checks.append(("row count", len(rows) == spec["row_count"], f"got {len(rows)}, want {spec['row_count']}"))
    for query, row_no in spec.get("find", {}).items():
        hits = []
        if rows:
            from dossier.extract.lists import find_rows

            hits = find_rows(rows, query)
        got = [h.row.number for h in hits]
        checks.append((f"find {query}", got[:1] == [row_no], f"got rows {got}, want {row_no}"))
    return checks


def _engines(backends: list[str]) -> dict:
    """One OCR engine per runtime compared, loaded before the clock starts; the
    pipeline is pointed at the one of the current run by ``_timed``."""
    if not backends:
        return {}
    from dossier.extract.ocr import RapidOcr

    engines = {}
    for backend in backends:  # "openvino:1": OpenVINO on one thread
        name, _, threads = backend.partition(":")
        engines[backend] = engine = RapidOcr(name, int(threads) if threads else None)
        if engine.backend != name:
            raise SystemExit(f"OCR runtime {backend} is not available here")
    return engines


def _default_backend() -> str:
    from dossier.extract.ocr import get_engine

    try:
        engine = get_engine(None)
        threads = getattr(engine, "threads", None)
        return getattr(engine, "backend", engine.name) + (f", {threads} thread(s)" if threads else "")
    except Exception:  # no engine at all
        return "none"


def _timed(path: Path, engine):
    """``(document, wall seconds, CPU seconds)`` of one extraction, with ``engine`` as
    the OCR engine (None: the pipeline's default)."""
    from dossier.extract import pipeline

    chosen = pipeline._engine
    if engine is not None:
        pipeline._engine = lambda name: engine
    try:
        started, cpu_started = time.perf_counter(), _cpu()
        doc = extract([path])[0]
        return doc, time.perf_counter() - started, _cpu() - cpu_started
    finally:
        pipeline._engine = chosen


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", default="", help="only files whose name contains this")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--json", type=Path, help="write per-file results here")
    parser.add_argument("--cache", type=Path, help="keep each file's reading (OCR) here and reuse it: for work on "
                        "templates and field rules only (timings are then meaningless)")
    parser.add_argument("--backends", default="", help="OCR runtimes to compare, comma-separated (openvino, "
                        "onnxruntime, openvino:1 for one thread): every OCR file is read by each in turn, "
                        "the order alternating")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    if args.cache:
        _cache_readings(args.cache)

    truth = {k: v for k, v in json.loads(TRUTH.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    _warm_up()
    engines = _engines(backends)
    per_type = defaultdict(lambda: [0, 0, 0])      # right, total, files
    per_capture = defaultdict(lambda: [0, 0])
    per_field = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    ocr_page_times: list[float] = []
    ocr_page_cpu: list[float] = []  # CPU seconds (all threads, and the child): fair on a shared machine
    per_backend: dict = defaultdict(lambda: {"wall": [], "cpu": [], "right": 0, "total": 0, "misses": []})
    text_pages, text_seconds, text_cpu = 0, 0.0, 0.0
    results = {}
    absent_files = 0
    for name, spec in truth.items():
        if args.k not in name:
            continue
        path = FILES / name
        if not path.exists():
            absent_files += 1
            continue
        # A/B, then B/A on the next file, ...: load that comes and goes falls on both
        turn = len(results) % max(len(backends), 1)
        order = (backends[turn:] + backends[:turn]) or [None]
        runs = {}
        for backend in order:
            runs[backend] = _timed(path, engines.get(backend))
            if not runs[backend][0].ocr:
                break  # a text PDF: no OCR runtime involved
        first = backends[0] if backends else None
        doc, seconds, cpu = runs.get(first) or next(iter(runs.values()))
        if doc.ocr:
            ocr_page_times.append(seconds / max(doc.pages, 1))
            ocr_page_cpu.append(cpu / max(doc.pages, 1))
            for backend, (bdoc, bseconds, bcpu) in runs.items():
                stats = per_backend[backend]
                stats["wall"].append(bseconds / max(bdoc.pages, 1))
                stats["cpu"].append(bcpu / max(bdoc.pages, 1))
                bchecks = check(spec, bdoc)
                stats["right"] += sum(ok for _, ok, _ in bchecks)
                stats["total"] += len(bchecks)
                stats["misses"] += [f"{name}: {field}: {detail}" for field, ok, detail in bchecks if not ok]
                if len(runs) > 1:
                    print(f"    {backend:12s} {sum(ok for _, ok, _ in bchecks):3d}/{len(bchecks):<3d} "
                          f"{bseconds:6.1f} s ({bcpu:5.1f} s CPU) per page {bseconds / max(bdoc.pages, 1):.2f} s",
                          flush=True)
        else:
            text_pages += doc.pages
            text_seconds += seconds
            text_cpu += cpu
        kind, capture = spec["type"] or "(robustness)", ("text" if spec["capture"] == "text" else "scan/photo")
        per_type[kind][2] += 1
        got_fields = {k: f.value for k, f in doc.fields.items()}
        checks = check(spec, doc)
        for field, ok, detail in checks:
            per_type[kind][0] += ok
            per_type[kind][1] += 1
            per_capture[capture][0] += ok
            per_capture[capture][1] += 1
            key = field if not field.startswith(("row ", "find ", "text has ")) else field.split()[0]
            per_field[f"{kind}.{key}"][0] += ok
            per_field[f"{kind}.{key}"][1] += 1
            if not ok:
                misses.append(f"{name}: {field}: {detail}")
        right = sum(ok for _, ok, _ in checks)
        results[name] = {"right": right, "total": len(checks), "seconds": round(seconds, 2), "pages": doc.pages,
                         "ocr": doc.ocr, "doc_type": doc.doc_type,
                         "fields": {k: str(v) for k, v in got_fields.items()}}
        print(f"{name:40s} {right:3d}/{len(checks):<3d} {seconds:6.1f} s ({cpu:5.1f} s CPU) {doc.pages:3d} p "
              f"{'OCR' if doc.ocr else 'text'}", flush=True)

    def pct(r: int, t: int) -> str:
        return f"{r}/{t} ({100 * r / t:.0f} %)" if t else "—"

    print("\nper document type")
    print("| type | files | fields right |\n| --- | --- | --- |")
    for kind, (r, t, n) in sorted(per_type.items()):
        print(f"| {kind} | {n} | {pct(r, t)} |")
    total_r = sum(v[0] for v in per_type.values())
    total_t = sum(v[1] for v in per_type.values())
    print(f"| all | {sum(v[2] for v in per_type.values())} | {pct(total_r, total_t)} |")
    print("\nper capture")
    for capture, (r, t) in sorted(per_capture.items()):
        print(f"  {capture:12s} {pct(r, t)}")
    print("\nper field")
    for field, (r, t) in sorted(per_field.items()):
        print(f"  {field:40s} {pct(r, t)}")
    print("\nspeed")
    if ocr_page_times:
        print(f"  OCR: median {statistics.median(ocr_page_times):.2f} s per page over {len(ocr_page_times)} files "
              f"(max {max(ocr_page_times):.2f} s); CPU median {statistics.median(ocr_page_cpu):.2f} s per page "
              f"(both cores: wall time on an idle 2-core machine is about half)")
        for backend, stats in per_backend.items():
            label = f"{backend}, {engines[backend].threads or 'its own'} thread(s)" if backend else \
                f"{_default_backend()} (default)"
            print(f"  OCR runtime {label}: median {statistics.median(stats['wall']):.2f} s wall, "
                  f"{statistics.median(stats['cpu']):.2f} s CPU per page over {len(stats['wall'])} files; "
                  f"OCR files' fields right {stats['right']}/{stats['total']}")
    if text_seconds:
        print(f"  text PDFs: {text_pages / text_seconds:.1f} pages/s ({text_pages} pages in {text_seconds:.1f} s; "
              f"{text_pages / max(text_cpu, 1e-6):.1f} pages per CPU second)")
    try:
        import os

        print(f"  load average now: {os.getloadavg()[0]:.1f} (other work on the machine slows wall times)")
    except OSError:
        pass
    if absent_files:
        print(f"\n{absent_files} file(s) of truth.json not present in {FILES} (see sources.md)")
    if args.misses and misses:
        print("\nmisses")
        for miss in misses:
            print("  " + miss)
    if len(per_backend) > 1:
        seen = per_backend[backends[0]]["misses"]
        for backend, stats in list(per_backend.items())[1:]:
            differ = sorted(set(seen) ^ set(stats["misses"]))
            print(f"\nOCR misses that differ between {backends[0]} and {backend}: {len(differ) or 'none'}")
            for miss in differ:
                print(f"  {'only ' + backend if miss in stats['misses'] else 'only ' + backends[0]}: {miss}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
