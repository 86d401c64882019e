"""Many packages at once (``dossier build DIR...`` and the web workspace's "build all").

A worker per core (at most one per dossier), each a process with its own warm
LibreOffice (:func:`dossier.render.office.warm_office`) that it keeps for all the
dossiers it builds. A dossier that fails — invalid, incomplete, a file LibreOffice
cannot convert, even a crash of its worker — is reported and the others go on.

>>> from dossier.package.batch import build_many
>>> results = build_many(["a", "b"], allow_incomplete=True)  # doctest: +SKIP
>>> [(r.directory, r.ok, r.exit_code) for r in results]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import BadInputError


@dataclass
class BatchResult:
    """How one dossier of a batch went."""

    directory: Path
    exit_code: int  # as `dossier build DIR` alone would exit: 0 done, 1 not yet, 2 bad input, 3 system
    packages: list[Path] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None  # why no package was made
    report: dict[str, Any] | None = None  # BuildReport.to_dict() when a package was made

    @property
    def ok(self) -> bool:
        """A package was made (complete or, with allow_incomplete, marked 缺失)."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "ok": self.ok, "exit_code": self.exit_code,
                "packages": [str(p) for p in self.packages], "pages": self.pages,
                "seconds": round(self.seconds, 2), "error": self.error, "report": self.report}


def workers_for(count: int, workers: int | None = None) -> int:
    return max(1, min(count, workers or os.cpu_count() or 1))


def _build_one(directory: Path, out: Path | None, options: dict[str, Any]) -> BatchResult:
    """Build one dossier; every failure becomes the result, never an exception."""
    import time

    from ..errors import DossierError

    start = time.perf_counter()
    try:
        from ..loader import load_dossier
        from .build import build_package

        report = build_package(load_dossier(directory), out=out, **options)
        return BatchResult(directory, report.exit_code, list(report.packages), report.pages,
                           time.perf_counter() - start, report=report.to_dict())
    except DossierError as exc:
        return BatchResult(directory, exc.exit_code, seconds=time.perf_counter() - start, error=str(exc))
    except Exception as exc:  # a bug must not stop the batch: reported with its cause
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return BatchResult(directory, 3, seconds=time.perf_counter() - start, error=f"内部错误：{detail}")


def _worker(tasks, results) -> None:
    """A worker process: one warm LibreOffice for every dossier it takes from ``tasks``."""
    import signal
    import sys

    from ..render.office import warm_office

    # Ctrl-C is the parent's to handle; its SIGTERM ends the block below, which stops
    # this worker's LibreOffice (a plain SIGTERM would leave it running).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with warm_office():
        while True:
            task = tasks.get()
            if task is None:
                return
            index, directory, out, options = task
            results.put(("start", index, os.getpid()))
            results.put(("done", index, _build_one(directory, out, options)))


def build_many(
    directories: Iterable[Path | str],
    *,
    out_root: Path | None = None,
    workers: int | None = None,
    progress: Callable[[BatchResult, int, int], None] | None = None,
    allow_incomplete: bool = False,
    max_size: int | None = None,
    templates: Path | None = None,
    on: dt.date | None = None,
) -> list[BatchResult]:
    """Build the package of every dossier in ``directories``; one result per dossier, in
    the order given.

    ``out_root``: packages go to ``out_root/<folder name>`` (default: each dossier's own
    ``output/package``). ``progress(result, done, total)`` is called as each finishes.
    """
    dirs = [Path(d) for d in directories]
    if not dirs:
        raise BadInputError("没有给出申报材料目录")
    if out_root is not None:
        names = [d.resolve().name for d in dirs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise BadInputError(f"目录名重复（{'、'.join(twice)}），--out 下无法区分各自的材料包；请分开生成")
    outs = [Path(out_root) / d.resolve().name if out_root is not None else None for d in dirs]
    options = {"allow_incomplete": allow_incomplete, "max_size": max_size, "templates": templates, "on": on}
    count = workers_for(len(dirs), workers)
    results: list[BatchResult | None] = [None] * len(dirs)
    if count == 1:
        from ..render.office import warm_office

        with warm_office():
            for i, (d, out) in enumerate(zip(dirs, outs)):
                results[i] = _build_one(d, out, options)
                if progress:
                    progress(results[i], i + 1, len(dirs))
        return results  # type: ignore[return-value]
    return _in_processes(dirs, outs, options, count, progress)


def _in_processes(dirs, outs, options, count, progress) -> list[BatchResult]:
    # "spawn": a fresh interpreter per worker, safe from a threaded parent (the web server)
    ctx = multiprocessing.get_context("spawn")
    tasks, messages = ctx.Queue(), ctx.Queue()
    for i, (d, out) in enumerate(zip(dirs, outs)):
        tasks.put((i, d, out, options))
    for _ in range(count):
        tasks.put(None)
    # not daemonic: a worker opens files and renders templates in child processes of its own
    procs = [ctx.Process(target=_worker, args=(tasks, messages)) for _ in range(count)]
    for p in procs:
        p.start()
    results: list[BatchResult | None] = [None] * len(dirs)
    working: dict[int, int] = {}  # pid → index of the dossier it is building
    done = 0
    try:
        while done < len(dirs):
            try:
                kind, index, payload = messages.get(timeout=1.0)
            except queue.Empty:
                for p in procs:
                    if not p.is_alive() and p.pid in working:  # a worker died mid-build
                        index = working.pop(p.pid)
                        results[index] = BatchResult(dirs[index], 3, error=f"生成进程意外退出（退出码 {p.exitcode}）")
                        done += 1
                        if progress:
                            progress(results[index], done, len(dirs))
                if not any(p.is_alive() for p in procs) and done < len(dirs):
                    for i, r in enumerate(results):
                        if r is None:
                            results[i] = BatchResult(dirs[i], 3, error="生成进程意外退出，未生成")
                    break
                continue
            if kind == "start":
                working[payload] = index
                continue
            working = {pid: i for pid, i in working.items() if i != index}
            results[index] = payload
            done += 1
            if progress:
                progress(payload, done, len(dirs))
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: the worker's warm_office() stops its LibreOffice
        for p in procs:
            p.join(timeout=10)
    return results  # type: ignore[return-value]
