"""Speed figures of issue 20, each against a baseline measured in the same run.

    .venv/bin/python benchmarks/speed_bench.py [--only NAME ...] [--quick]

Parts (``--only`` picks some): ``startup`` (``dossier validate`` and ``dossier schemes``
wall time, start-up included), ``summary`` (``dossier summary`` over 150 dossiers),
``forms`` (render + PDF of the forms of 1 dossier, of the six examples and of 30
dossiers, against ``soffice --convert-to pdf`` run once per file), ``build`` (the
package of each example, then all six in one batch; each also with a LibreOffice kept by
``dossier office start``), ``memory`` (peak memory of a build
with 500 pages of evidence).

``--quick`` measures the per-file ``soffice`` baseline of the 30 dossiers as 5 × that
of the six examples (the 30 dossiers are five copies of the six): it saves ~3 minutes.

``--baseline TREE``: a checkout of an earlier version (e.g. ``git worktree add /tmp/old
main``): start-up, summary and the Jiangsu build are also timed with its code, in the same
run, and the ratio printed (on a busy machine, the ratio is the figure to read).

The machine is shared: the load average is printed first and last; compare the ratios,
which come from one run, rather than the seconds.
Targets (issue 20): Jiangsu package ≤ 3 s; the six examples together ≤ 20 s; forms of
30 dossiers ≥ 3× faster than per-file soffice; summary over 150 dossiers ≤ 3 s;
validate ≤ 0.3 s; the 500-page build peaks below 400 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "dossier.yaml").is_file())
# The `dossier` console script's entry (dossier/entry.py), imported from the working
# directory (ours, or the --baseline tree; an older tree without it runs its CLI directly)
DOSSIER_CLI = [sys.executable, "-c", "try:\n from dossier.entry import run\nexcept ImportError:\n"
               " from dossier.cli import main as run\nrun()"]
BASELINE: Path | None = None  # --baseline TREE
CACHE = Path(tempfile.gettempdir()) / "dossier-bench-cache"


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def wall(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def best(cmd: list[str], n: int = 5, **kw) -> float:
    return min(wall(cmd, **kw) for _ in range(n))


def cpu(cmd: list[str], **kw) -> float:
    """CPU seconds (user + system) of ``cmd`` and the children it waited for: on a shared
    machine this moves far less with the load than the wall time."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_cpu(cmd: list[str], n: int = 5, **kw) -> float:
    return min(cpu(cmd, **kw) for _ in range(n))


def row(label: str, seconds: float, detail: str = "") -> None:
    print(f"  {label:58} {seconds:8.2f} s  {detail}", flush=True)


def copy_examples(dest: Path, copies: int = 1, with_evidence: bool = True) -> list[Path]:
    out = []
    for c in range(copies):
        for ex in EXAMPLES:
            target = dest / f"{ex.name}-{c}"
            ignore = shutil.ignore_patterns("output", *([] if with_evidence else ["evidence"]))
            shutil.copytree(ex, target, ignore=ignore)
            out.append(target)
    return out


# --- start-up ---------------------------------------------------------------------------

def compare(label: str, ours: float, base: float | None, extra: str = "") -> None:
    if base is None:
        row(label, ours, extra)
    else:
        row(label, ours, f"baseline {base:.2f} s: {base / ours:.1f}× faster" + (f"; {extra}" if extra else ""))


def bench_startup() -> None:
    print("start-up (best of 5, wall time incl. interpreter start):")
    jiangsu = ROOT / "examples" / "jiangsu-zero-carbon-factory"
    for label, args, target in (("dossier validate examples/jiangsu-zero-carbon-factory", ["validate", str(jiangsu)],
                                 "target ≤ 0.3 s"), ("dossier schemes", ["schemes"], "")):
        ours = best([*DOSSIER_CLI, *args], cwd=ROOT)
        base = best([*DOSSIER_CLI, *args], cwd=BASELINE) if BASELINE else None
        compare(label, ours, base, target)
        ours = best_cpu([*DOSSIER_CLI, *args], cwd=ROOT)
        base = best_cpu([*DOSSIER_CLI, *args], cwd=BASELINE) if BASELINE else None
        compare("  the same, CPU time (user + system, best of 5)", ours, base)
    row("python -c pass (the interpreter alone)", best([sys.executable, "-c", "pass"]))


# --- summary ----------------------------------------------------------------------------

def bench_summary() -> None:
    print("summary over 150 dossiers (wall time of the CLI):")
    # with --baseline, the baseline's own example: the older code may not read a newer one
    zj = (BASELINE or ROOT) / "examples" / "zhejiang-green-low-carbon-factory"
    with tempfile.TemporaryDirectory() as tmp:
        dirs = []
        for i in range(150):
            d = Path(tmp) / f"d{i:03d}"
            d.mkdir()
            shutil.copyfile(zj / "dossier.yaml", d / "dossier.yaml")
            dirs.append(str(d))
        out = Path(tmp) / "summary.xlsx"
        cmd = [*DOSSIER_CLI, "summary", *dirs, "--form", "zhejiang-recommendation-summary", "--out", str(out)]
        t, t_cpu = wall(cmd, cwd=ROOT), cpu(cmd, cwd=ROOT)
        ok = out.is_file()
        base = base_cpu = None
        if BASELINE:
            out.unlink(missing_ok=True)
            base, base_cpu = wall(cmd, cwd=BASELINE), cpu(cmd, cwd=BASELINE)
            if not out.is_file():
                print("  (the baseline failed to write the summary: its time is not comparable)")
        compare("dossier summary ×150 → .xlsx", t, base, ("ok" if ok else "FAILED") + "; target ≤ 3 s")
        compare("  the same, CPU time (user + system)", t_cpu, base_cpu)
        from dossier.loader import load_dossier  # noqa: E402

        start = time.perf_counter()
        for d in dirs[:30]:
            load_dossier(Path(d))
        per = (time.perf_counter() - start) / 30
        row("  of which: load_dossier, per dossier (in-process)", per)
        try:
            from ruamel.yaml import YAML

            text = (zj / "dossier.yaml").read_text(encoding="utf-8")
            start = time.perf_counter()
            for _ in range(10):
                YAML(typ="rt").load(text)
            rt = (time.perf_counter() - start) / 10
            row("  baseline: ruamel round-trip parse of one dossier.yaml", rt)
        except ImportError:
            pass


# --- forms ------------------------------------------------------------------------------

def _per_file_soffice(docs: list[Path], outdir: Path) -> float:
    """The baseline: one ``soffice --convert-to pdf`` per file, a warm profile, our fonts."""
    from dossier.render.pdf import FONTS_CONF, soffice_path

    soffice = soffice_path()
    profile = CACHE / "soffice-profile"
    profile.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"],
                   env=env, check=False, capture_output=True)  # the profile exists before timing
    outdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for doc in docs:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(doc)], env=env, check=False, capture_output=True)
    return time.perf_counter() - start


def _ours(dirs: list[Path], out: Path, check: bool = True) -> tuple[float, list[Path]]:
    """Render + PDF of the forms of every dossier, the way the library does it for many
    (``check=False``: without the layout checks and the conversions they repeat)."""
    from dossier.loader import load_dossier
    from dossier.render import render_forms

    start = time.perf_counter()
    try:
        from dossier.render.batch import render_many  # after issue 20: one warm LibreOffice

        results = render_many(dirs, out_root=out, pdf=True, check=check)
        docx = [r.path for rendered in results for r in rendered]
    except ImportError:
        docx = []
        for d in dirs:
            rendered = render_forms(load_dossier(d), out_dir=out / d.name, pdf=True)
            docx += [r.path for r in rendered]
    return time.perf_counter() - start, docx


def bench_forms(quick: bool) -> None:
    print("render + PDF of the forms, ours vs `soffice --convert-to pdf` once per file:")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dirs = copy_examples(tmp / "d", copies=5, with_evidence=True)
        six = dirs[:6]
        jiangsu = [d for d in six if d.name.startswith("jiangsu")]
        base6 = None
        for label, group in (("1 dossier (Jiangsu)", jiangsu), ("the 6 examples", six), ("30 dossiers", dirs)):
            if len(group) < 30:  # the layout checks are not the baseline's work: shown, not compared
                t_checked, _ = _ours(group, tmp / f"checked-{len(group)}")
                row(f"{label}: ours with the layout checks (render --pdf)", t_checked)
            t_ours, docx = _ours(group, tmp / f"ours-{len(group)}", check=False)
            pdfs = len(list((tmp / f"ours-{len(group)}").rglob("*.pdf")))
            if quick and len(group) == 30 and base6 is not None:
                t_base = base6 * 5
                how = "per-file soffice (5 × the six, --quick)"
            else:
                t_base = _per_file_soffice(docx, tmp / f"base-{len(group)}")
                how = "per-file soffice"
            if len(group) == 6:
                base6 = t_base
            row(f"{label}: ours, {len(docx)} forms → {pdfs} PDFs (conversion only)", t_ours)
            row(f"{label}: {how}", t_base, f"ours is {t_base / t_ours:.1f}× faster"
                + ("; target ≥ 3×" if len(group) == 30 else ""))


# --- build ------------------------------------------------------------------------------

def bench_build() -> None:
    from dossier.loader import load_dossier
    from dossier.package import build_package

    print("dossier build (whole package, --allow-incomplete):")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dirs = copy_examples(tmp / "d")
        total = 0.0
        for d in dirs:
            start = time.perf_counter()
            report = build_package(load_dossier(d), out=tmp / "out" / d.name, allow_incomplete=True)
            t = time.perf_counter() - start
            total += t
            row(f"{d.name[:-2]} (one build)", t, f"{report.pages} pages"
                + ("; target ≤ 3 s" if d.name.startswith("jiangsu") else ""))
        row("sum of the six single builds", total)
        jiangsu = next(d for d in dirs if d.name.startswith("jiangsu"))
        cli = [*DOSSIER_CLI, "build", str(jiangsu), "--allow-incomplete", "--quiet", "--out"]
        ours_runs, base_runs = [], []
        for i in range(3):  # interleaved, best of 3: one run moves by a second with the load
            ours_runs.append(wall([*cli, str(tmp / f"c1-{i}")], cwd=ROOT))
            if BASELINE:
                base_runs.append(wall([*cli, str(tmp / f"c2-{i}")], cwd=BASELINE))
        base = min(base_runs) if base_runs else None
        compare("jiangsu: `dossier build` as the user runs it (start-up incl., best of 3)", min(ours_runs),
                base, "target ≤ 3 s")
        with shared_office(tmp / "run") as env:
            if env is not None:
                wall([*cli, str(tmp / "c0")], cwd=ROOT, env=env)  # LibreOffice's first document
                shared = min(wall([*cli, str(tmp / f"c{i}")], cwd=ROOT, env=env) for i in (3, 4, 5))
                compare("jiangsu: `dossier build` with `dossier office start` before (best of 3)", shared,
                        base, "target ≤ 3 s")
        if BASELINE:
            ours = _child_build(ROOT, jiangsu, tmp / "o1")
            base = _child_build(BASELINE, jiangsu, tmp / "o2")
            if ours and base:
                compare("jiangsu, fresh process each (build only, imports apart)", ours[2], base[2],
                        f"peak {ours[1]} MB vs {base[1]} MB")
        try:
            from dossier.package import build_many
        except ImportError:
            row("six together: no batch build (before issue 20)", total, "same as the sum")
            return
        start = time.perf_counter()
        results = build_many(dirs, out_root=tmp / "batch", allow_incomplete=True)
        t = time.perf_counter() - start
        ok = sum(1 for r in results if r.ok)
        row(f"six together (dossier build DIR…, {os.cpu_count()} workers)", t,
            f"{ok}/6 built; {total / t:.1f}× the sum of single builds; target ≤ 20 s")
        cli = [*DOSSIER_CLI, "build", *map(str, dirs), "--allow-incomplete", "--quiet", "--out"]
        ours = wall([*cli, str(tmp / "b1")], cwd=ROOT)
        base = wall([*cli, str(tmp / "b2")], cwd=BASELINE) if BASELINE else None
        compare("six together: `dossier build DIR…` as the user runs it", ours, base, "target ≤ 20 s")
        with shared_office(tmp / "run6") as env:
            if env is not None:
                t = wall([*cli, str(tmp / "b3")], cwd=ROOT, env=env)
                compare("six together, with `dossier office start` before", t, base, "target ≤ 20 s")


@contextlib.contextmanager
def shared_office(folder: Path):
    """A `dossier office start` of our own (in a runtime folder of the benchmark's): the
    environment for the commands that should find it, or None when it does not start."""
    folder.mkdir(mode=0o700)
    env = dict(os.environ, DOSSIER_RUNTIME_DIR=str(folder))
    started = subprocess.run([*DOSSIER_CLI, "office", "start", "--idle", "10"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    if started.returncode != 0:
        print(f"  (dossier office start failed: {started.stderr.strip()[-300:]})")
        yield None
        return
    try:
        yield env
    finally:
        subprocess.run([*DOSSIER_CLI, "office", "stop"], cwd=ROOT, env=env, capture_output=True)


# --- memory -----------------------------------------------------------------------------

def _evidence_pdf(pages: int) -> Path:
    """A scanned-looking PDF of ``pages`` A4 pages (JPEG, 150 dpi), made once and cached."""
    target = CACHE / f"scan-{pages}.pdf"
    if target.is_file():
        return target
    import random

    from PIL import Image, ImageDraw

    CACHE.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(7)
    frames = []
    for i in range(pages):
        img = Image.new("L", (1240, 1754), 245)
        draw = ImageDraw.Draw(img)
        for _ in range(300):
            x, y = rnd.randrange(60, 1180), rnd.randrange(60, 1700)
            draw.rectangle([x, y, x + rnd.randrange(20, 200), y + 14], fill=rnd.randrange(0, 90))
        frames.append(img)
    part = target.with_suffix(".part")
    frames[0].save(part, "PDF", save_all=True, append_images=frames[1:], resolution=150, quality=60)
    part.rename(target)
    return target


MEMORY_CHILD = """
import resource, sys, time
from pathlib import Path
from dossier.loader import load_dossier
from dossier.package import build_package
start = time.perf_counter()
r = build_package(load_dossier(Path(sys.argv[1])), out=Path(sys.argv[2]), allow_incomplete=True)
print(r.pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - start)
"""


def _child_build(tree: Path, d: Path, out: Path) -> tuple[int, int, float] | None:
    """Build ``d`` in a fresh Python running the code of ``tree``: (pages, peak MB, seconds)."""
    proc = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(d), str(out)], capture_output=True, text=True,
                          cwd=tree, env=dict(os.environ, PYTHONPATH=str(tree)))
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        return None
    pages, rss_kb, secs = proc.stdout.split()
    return int(pages), int(rss_kb) // 1024, float(secs)


def _peak(extra: Path | None) -> tuple[int, int, float] | None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        d = tmp / "jiangsu"
        shutil.copytree(ROOT / "examples" / "jiangsu-zero-carbon-factory", d, ignore=shutil.ignore_patterns("output"))
        if extra is not None:
            folder = next(p for p in (d / "evidence").iterdir() if p.name.startswith("14"))
            shutil.copyfile(extra, folder / "扫描件-500页.pdf")
        proc = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(d), str(tmp / "out")],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-2000:])
            return None
        pages, rss_kb, secs = proc.stdout.split()
        return int(pages), int(rss_kb) // 1024, float(secs)


def bench_memory() -> None:
    print("peak memory of a build (the Python process; LibreOffice apart), without and with 500 pages of evidence:")
    scan = _evidence_pdf(500)
    small = _peak(None)
    big = _peak(scan)
    if small and big:
        row(f"build, {small[0]} pages (the Jiangsu example)", small[2], f"peak {small[1]} MB")
        row(f"build, {big[0]} pages (+ {scan.stat().st_size / 1024**2:.0f} MB scan of 500 pages)", big[2],
            f"peak {big[1]} MB (+{big[1] - small[1]} MB); target < 400 MB")


PARTS = {"startup": bench_startup, "summary": bench_summary, "forms": bench_forms, "build": bench_build,
         "memory": bench_memory}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=list(PARTS), default=list(PARTS))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--baseline", type=Path, help="a checkout of an earlier version to compare with")
    args = ap.parse_args()
    global BASELINE
    BASELINE = args.baseline.resolve() if args.baseline else None
    # a LibreOffice the user keeps with `dossier office start` is not borrowed by the
    # figures without it (those with it start their own, see shared_office)
    os.environ["DOSSIER_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="dossier-bench-run-")
    import atexit

    atexit.register(shutil.rmtree, os.environ["DOSSIER_RUNTIME_DIR"], True)
    print(f"{time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores · {load()}", flush=True)
    for name in args.only:
        if name == "forms":
            bench_forms(args.quick)
        else:
            PARTS[name]()
        print(f"  ({load()})", flush=True)


if __name__ == "__main__":
    main()
