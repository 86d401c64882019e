"""Re-run of the reliability probe (issue 13): hostile input through the real command,
a table of tried / held / failed per area, and the peak memory of a build over the whole
robustness corpus (tests/data/robust/make_corpus.py, large files included).

    python benchmarks/robust_probe.py                    # this checkout
    PYTHONPATH=/path/to/other/checkout python benchmarks/robust_probe.py   # another version

"Held" means: no traceback, no hang (timeout), the documented exit code, the bad input
named in the output, nothing outside the dossier used, nothing of the user's deleted.
Peak memory is the largest sum of resident memory of the command's process tree,
sampled every 50 ms (child processes included); the goal is < 1.5 GB.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data" / "robust"))
sys.path.insert(0, str(ROOT / "tests"))
import make_corpus  # noqa: E402
from hostile_inputs import (  # noqa: E402
    BROKEN_YAML, ENDLESS_LOOP, FORMULA_NAME, HOSTILE_TEMPLATES, HOSTILE_WORKBOOKS, HUGE_STRING, hostile_workbook,
    processes_mentioning, user_template)

EXAMPLE = ROOT / "examples" / "zhejiang-green-low-carbon-factory"
ITEM = "01 营业执照复印件"
PY = sys.executable


# the console script `dossier` (dossier.entry where it exists, else dossier.cli)
LAUNCH = ("try:\n    from dossier.entry import run\nexcept ImportError:\n    from dossier.cli import main as run\n"
          "run()")
CAP = 4 << 30  # a version without limits must not take the shared machine down: 4 GB of address space at most


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total


def run(args: list[str], *, timeout: float = 600, env: dict | None = None, cwd: Path | None = None,
        interrupt_after: float | None = None) -> tuple[int | None, str, str, int]:
    """(exit code or None on timeout, stdout, stderr, peak tree RSS in bytes)."""
    proc = subprocess.Popen([PY, "-c", LAUNCH, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, errors="replace", env={**os.environ, **(env or {})}, cwd=cwd,
                            preexec_fn=_cap_memory)
    out_chunks: list[str] = []
    import threading

    def drain(stream, into):
        into.append(stream.read())

    err_chunks: list[str] = []
    threads = [threading.Thread(target=drain, args=(proc.stdout, out_chunks)),
               threading.Thread(target=drain, args=(proc.stderr, err_chunks))]
    for t in threads:
        t.start()
    start, peak, sent = time.monotonic(), 0, False
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        elapsed = time.monotonic() - start
        if interrupt_after is not None and not sent and elapsed >= interrupt_after:
            proc.send_signal(signal.SIGINT)
            sent = True
        if elapsed > timeout:
            proc.kill()
            for t in threads:
                t.join()
            return None, "".join(out_chunks), "".join(err_chunks), peak
        time.sleep(0.05)
    for t in threads:
        t.join()
    return proc.returncode, "".join(out_chunks), "".join(err_chunks), peak


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int, int, list[str]]] = []

    def add(self, area: str, results: list[tuple[str, bool]]) -> None:
        failed = [name for name, ok in results if not ok]
        self.rows.append((area, len(results), len(results) - len(failed), failed))
        print(f"  {area}: {len(results) - len(failed)}/{len(results)} held" + (f"; failed: {', '.join(failed)}" if failed else ""),
              flush=True)

    def print(self) -> None:
        print("\n| area | tried | held | failed |\n|---|---|---|---|")
        for area, tried, held, failed in self.rows:
            print(f"| {area} | {tried} | {held} | {tried - held} |")


def _copy_example(base: Path, name: str = "d", evidence: bool = True) -> Path:
    home = base / name
    shutil.copytree(EXAMPLE, home, ignore=None if evidence else shutil.ignore_patterns("evidence"))
    return home


def clean(stderr: str) -> bool:
    return "Traceback" not in stderr


def probe_extract(base: Path, corpus: Path, expect: dict[str, bool], table: Table) -> None:
    results = []
    for f in sorted(corpus.iterdir()):
        code, out, err, peak = run(["extract", str(f), "--json", "--quiet"], timeout=300)
        ok = code in (0, 1, 2) and clean(err) and peak < 1.5e9
        if ok and not expect[f.name]:
            try:
                ok = bool(json.loads(out)[0]["errors"])
            except (ValueError, IndexError, KeyError):
                ok = False
        results.append((f"{f.name} ({peak / 1e6:.0f} MB)", ok))
    table.add(f"`extract --json` on {len(results)} corpus files", results)


def probe_check(base: Path, corpus: Path, expect: dict[str, bool], table: Table) -> None:
    results = []
    for f in sorted(corpus.iterdir()):
        home = _copy_example(base / f"check-{f.stem}")
        item = home / "evidence" / ITEM
        for old in item.iterdir():
            old.unlink()
        shutil.copy(f, item / f.name)
        code, out, err, _ = run(["check", str(home), "--json"], timeout=300)
        ok = code in (0, 1) and clean(err)
        if ok:
            data = json.loads(out)
            status = data["items"][0]["status"]
            ok = (status == "ok") == expect[f.name] or (expect[f.name] and status != "incomplete")
        results.append((f.name, ok))
        shutil.rmtree(home.parent, ignore_errors=True)
    table.add("`check`, one corpus file at a time", results)


def hostile_dossier(base: Path, corpus: Path) -> tuple[Path, Path]:
    home = _copy_example(base, "hostile")
    item = home / "evidence" / ITEM
    for f in corpus.iterdir():
        shutil.copy(f, item / f.name)
    outside = base / "outside-secret.pdf"
    outside.write_bytes(make_corpus._page_pdf(b"BT /F1 24 Tf 72 760 Td (TOPSECRET-OUTSIDE) Tj ET"))
    (base / "outside-folder").mkdir(exist_ok=True)
    shutil.copy(outside, base / "outside-folder" / "x.pdf")
    os.symlink("/etc/passwd", item / "passwd.pdf")
    os.symlink("/etc/shadow", item / "shadow.pdf")
    os.symlink(outside, item / "outside-link.pdf")
    os.symlink(base / "outside-folder", item / "outside-folder-link")
    os.symlink("/etc", home / "evidence" / "etc-link")
    return home, outside


def probe_build_corpus(base: Path, corpus: Path, expect: dict[str, bool], table: Table) -> tuple[int, float]:
    home, _ = hostile_dossier(base / "b", corpus)
    t0 = time.monotonic()
    code, out, err, peak = run(["build", str(home), "--allow-incomplete", "--json", "--quiet"], timeout=1200)
    seconds = time.monotonic() - t0
    results = []
    try:
        report = json.loads(out)
        left = {Path(e["file"]).name for e in report["left_out"]}
        built = Path(report["packages"][0]).is_file()
    except (ValueError, KeyError, IndexError):
        report, left, built = None, set(), False
    for name, usable in expect.items():
        results.append((name, code in (0, 1) and clean(err) and built and ((name in left) != usable)))
    table.add("`build --allow-incomplete`, whole corpus in one dossier (each file)", results)
    # symlinks and outside files
    sym = []
    text = ""
    if report:
        pdf = Path(report["packages"][0])
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        with zipfile.ZipFile(report["archive"]) as zf:
            blob = b"".join(zf.read(n) for n in zf.namelist())
        manifest = Path(report["manifest"]).read_text(encoding="utf-8")
    else:
        blob, manifest = b"", ""
    for name in ("passwd.pdf", "shadow.pdf", "outside-link.pdf"):
        sym.append((f"link {name}", bool(report) and name in left and b"TOPSECRET" not in blob and b"root:x:0" not in blob
                    and "TOPSECRET" not in text))
    sym.append(("folder link outside", bool(report) and "outside-folder-link/x.pdf" not in manifest))
    sym.append(("link to /etc", bool(report) and "etc-link/" not in manifest))
    table.add("symlinks leaving the dossier (package, zip, manifest)", sym)
    return peak, seconds


def probe_out_guard(base: Path, table: Table) -> None:
    results = []
    for where in ("dossier", "evidence", "user-folder", "dot"):
        home = _copy_example(base / f"out-{where}")
        user = base / f"out-{where}" / "user"
        user.mkdir()
        (user / "keep.txt").write_text("keep")
        target = {"dossier": str(home), "evidence": str(home / "evidence"), "user-folder": str(user), "dot": "."}[where]
        before = sorted(str(p) for p in (base / f"out-{where}").rglob("*"))
        code, _, err, _ = run(["build", str(home), "--out", target, "--allow-incomplete", "--quiet"], timeout=600,
                              cwd=home if where == "dot" else None)
        after = sorted(str(p) for p in (base / f"out-{where}").rglob("*"))
        results.append((where, code == 2 and clean(err) and all(p in after for p in before)))
    table.add("`build --out` onto user data (nothing deleted, exit 2)", results)


def probe_evidence_untouched(base: Path, table: Table) -> None:
    from openpyxl import Workbook

    home = _copy_example(base, "lock")
    item = home / "evidence" / ITEM
    wb = Workbook()
    wb.active["A1"] = "台账"
    wb.save(item / "台账.xlsx")
    before = {p.name for p in home.joinpath("evidence").rglob("*")}
    code, _, err, _ = run(["build", str(home), "--allow-incomplete", "--quiet"], timeout=900)
    after = {p.name for p in home.joinpath("evidence").rglob("*")}
    table.add("evidence never modified (LibreOffice lock files)", [("xlsx evidence", code in (0, 1) and before == after)])


def probe_interrupts(base: Path, table: Table) -> None:
    results = []
    home = _copy_example(base, "int")
    for after in (0.2, 0.8, 3.0, 6.0, 9.0, 12.0, 16.0, 20.0):
        private = base / f"tmp-{after}"
        private.mkdir()
        out = home / "output" / "package"
        code, _, err, _ = run(["build", str(home), "--allow-incomplete", "--quiet"], timeout=300,
                              env={"TMPDIR": str(private)}, interrupt_after=after)
        time.sleep(0.5)
        partial = [p for p in home.rglob("*") if p.name.endswith(".part") or ".building-" in p.name]
        ok = code in (130, 0, 1) and clean(err) and not processes_mentioning(str(private)) and not list(private.iterdir()) and not partial
        results.append((f"SIGINT at {after:g}s (exit {code})", ok))
        if code in (0, 1):
            shutil.rmtree(out, ignore_errors=True)
    table.add("Ctrl-C during `build` (exit 130, no soffice/profile/partial)", results)


def probe_yaml(base: Path, table: Table) -> None:
    results = []
    for i, (old, new, _, _) in enumerate(BROKEN_YAML):
        home = _copy_example(base / f"y{i}", evidence=False)
        text = (home / "dossier.yaml").read_text(encoding="utf-8")
        (home / "dossier.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
        code, out, err, _ = run(["validate", str(home)], timeout=120)
        chinese_line = "第 " in err and not any(w in err for w in ("found duplicate", "found character", "unacceptable"))
        results.append((new.strip()[:30], code == 2 and clean(err) and chinese_line))
    table.add("broken dossier.yaml (exit 2, Chinese, line)", results)


def probe_paths(base: Path, table: Table) -> None:
    results = []
    for ref in ("../../../../etc/passwd", "/etc/shadow"):
        home = _copy_example(base / f"p{len(results)}", evidence=False)
        text = (home / "dossier.yaml").read_text(encoding="utf-8")
        old = '    evidence: ["evidence/13 社会责任报告/2024年度社会责任报告.pdf"]'
        (home / "dossier.yaml").write_text(text.replace(old, f'    evidence: ["{ref}"]', 1), encoding="utf-8")
        code, _, err, _ = run(["validate", str(home)], timeout=120)
        results.append((ref, code == 2 and clean(err) and ref in err and "第 " in err))
    table.add("paths outside the dossier in dossier.yaml", results)


def probe_templates(base: Path, table: Table) -> None:
    jiangsu = ROOT / "examples" / "jiangsu-zero-carbon-factory"
    results = []
    for i, tag in enumerate([tag for _, tag in HOSTILE_TEMPLATES] + [HUGE_STRING, ENDLESS_LOOP]):
        mine = user_template(base / f"t{i}", "jiangsu-intake-form", f"企业：{tag}").parent
        out = base / f"t{i}-out"
        code, _, err, peak = run(["render", str(jiangsu), "--form", "jiangsu-intake-form", "--templates", str(mine),
                                  "--out", str(out)], timeout=150)
        ok = code == 2 and clean(err) and "root:" not in err and (not out.exists() or not any(out.iterdir())) \
            and peak < 1.5e9
        results.append((f"{tag[:40]} (exit {code}, {peak / 1e6:.0f} MB)", ok))
    table.add("hostile user templates (exit 2, no file, < 1.5 GB)", results)


def probe_workbooks(base: Path, table: Table) -> None:
    home = _copy_example(base, "wb", evidence=False)
    book = base / "book.xlsx"
    run(["workbook", "export", str(home), "--out", str(book)], timeout=300)

    cases = {kind: hostile_workbook(book, base / f"{kind}.xlsx", kind, inflate_mb=1500) for kind in HOSTILE_WORKBOOKS}
    results = []
    before = (home / "dossier.yaml").read_bytes()
    for name, path in cases.items():
        code, _, err, peak = run(["workbook", "import", str(home), str(path)], timeout=300)
        results.append((f"{name} ({peak / 1e6:.0f} MB)", code == 2 and clean(err) and peak < 1.5e9
                        and (home / "dossier.yaml").read_bytes() == before))
    # formula injection into written workbooks
    evil = _copy_example(base, "evil")
    text = (evil / "dossier.yaml").read_text(encoding="utf-8")
    import re

    name = re.search(r"^  name: (.*?)(?:  #.*)?$", text, re.M).group(1)
    (evil / "dossier.yaml").write_text(text.replace(f"  name: {name}", f"  name: '{FORMULA_NAME}'", 1), encoding="utf-8")
    for cmd, out in ((["check", str(evil), "--xlsx", str(base / "c.xlsx")], base / "c.xlsx"),
                     (["summary", str(evil), "--form", "zhejiang-recommendation-summary", "--out", str(base / "s.xlsx")],
                      base / "s.xlsx")):
        code, _, err, _ = run(cmd, timeout=300)
        if not out.is_file():  # the command failed to write it at all
            results.append((f"formula injection in {cmd[0]} (exit {code}, no file)", False))
            continue
        with zipfile.ZipFile(out) as zf:
            xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
        results.append((f"formula injection in {cmd[0]}", b"<f>HYPERLINK" not in xml and clean(err)))
    table.add("hostile workbooks (exit 2 in bounded memory; no formula written)", results)


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="robust-probe-"))
    try:
        corpus = base / "corpus"
        expect = make_corpus.make(corpus)
        table = Table()
        print(f"dossier from: {subprocess.run([PY, '-c', 'import dossier; print(dossier.__file__)'], capture_output=True, text=True).stdout.strip()}")
        peak, seconds = probe_build_corpus(base, corpus, expect, table)
        probe_extract(base, corpus, expect, table)
        probe_check(base, corpus, expect, table)
        probe_out_guard(base, table)
        probe_evidence_untouched(base, table)
        probe_interrupts(base, table)
        probe_yaml(base, table)
        probe_paths(base, table)
        probe_templates(base, table)
        probe_workbooks(base, table)
        table.print()
        print(f"\nbuild over the whole corpus: peak memory {peak / 1e6:.0f} MB (goal < 1500 MB), {seconds:.0f} s")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
