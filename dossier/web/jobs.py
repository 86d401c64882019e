"""Background package builds: one per dossier at a time, in a thread, with progress
that survives a page reload (the page asks for the state and listens to new events)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import DossierError


@dataclass
class Job:
    dossier: str
    started: float = field(default_factory=time.time)
    events: list[dict[str, Any]] = field(default_factory=list)  # {"n", "message", "percent"}
    state: str = "running"  # running | done | failed
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    thread: threading.Thread | None = None

    def say(self, message: str, percent: int) -> None:
        self.events.append({"n": len(self.events), "message": message, "percent": percent})

    def to_dict(self) -> dict[str, Any]:
        return {"dossier": self.dossier, "state": self.state, "events": self.events, "result": self.result,
                "error": self.error}


# The build's progress messages in order, with the share of the work done when each appears.
STEPS = (("检查证明材料", 5), ("填写表单", 15), ("整理", 30), ("LibreOffice 转换", 40),
         ("生成封面、目录和页码", 80), ("压缩", 88), ("分册", 92))


def _percent(message: str, last: int) -> int:
    for prefix, percent in STEPS:
        if message.startswith(prefix):
            return max(percent, last)
    if message.startswith("  "):  # one converted file
        return min(last + 3, 78)
    return last


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, dossier: str) -> Job | None:
        with self._lock:
            return self._jobs.get(dossier)

    def start_build(self, dossier: str, directory: Path, allow_incomplete: bool,
                    on_done: Callable[[Job], None] | None = None) -> tuple[Job, bool]:
        """Start a build of ``dossier``, or return the one running (and False).
        ``on_done(job)`` runs in the build's thread when it ends (the audit log)."""
        with self._lock:
            job = self._jobs.get(dossier)
            if job is not None and job.state == "running":
                return job, False
            job = Job(dossier)
            self._jobs[dossier] = job
        job.say("开始生成材料包", 1)
        job.thread = threading.Thread(target=self._build, args=(job, directory, allow_incomplete, on_done),
                                      name=f"build-{dossier}", daemon=True)
        job.thread.start()
        return job, True

    def _build(self, job: Job, directory: Path, allow_incomplete: bool,
               on_done: Callable[[Job], None] | None = None) -> None:
        try:
            self._run_build(job, directory, allow_incomplete)
        finally:
            if on_done is not None:
                try:
                    on_done(job)
                except Exception as exc:  # noqa: BLE001 - the build's result stands
                    job.say(f"（未能写入修改记录：{exc}）", job.events[-1]["percent"] if job.events else 100)

    def _run_build(self, job: Job, directory: Path, allow_incomplete: bool) -> None:
        from ..loader import load_dossier
        from ..package import build_package

        last = [1]

        def progress(message: str) -> None:
            last[0] = _percent(message, last[0])
            job.say(message.strip(), last[0])

        try:
            report = build_package(load_dossier(directory), allow_incomplete=allow_incomplete, progress=progress)
            job.result = {
                "pages": report.pages,
                "packages": [p.relative_to(directory).as_posix() for p in report.packages],
                "archive": report.archive.relative_to(directory).as_posix(),
                "missing": [f"{s.no} {s.title}" for s in report.missing],
                "left_out": [f"{rel}：{problem}" for rel, problem in report.left_out],
                "warnings": list(report.warnings),
            }
            job.say(f"完成：共 {report.pages} 页", 100)
            job.state = "done"
        except DossierError as exc:
            job.error = str(exc)
            job.say("失败：" + str(exc).splitlines()[0], last[0])
            job.state = "failed"
        except Exception as exc:  # noqa: BLE001 - a failed build is shown, not a dead thread
            job.error = f"{type(exc).__name__}: {exc}"
            job.say("失败：" + job.error, last[0])
            job.state = "failed"
