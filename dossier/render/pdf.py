"""Documents (.docx, .xlsx) to PDF with LibreOffice headless: one LibreOffice process for
the whole batch, driven over UNO by :mod:`lo_convert` (run with the system Python, which
has Debian's python3-uno), so that tables of contents are refreshed to the converted
page numbers. A conversion that hangs is stopped after ``timeout`` seconds, reported,
and the batch goes on with the next file in a fresh process.

Without the UNO bridge (another OS, a LibreOffice without python3-uno) the plain
``soffice --convert-to pdf`` batch is used: same PDFs, but a table of contents keeps the
page numbers Word last saved.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import SystemComponentError
from .soffice import (  # noqa: F401  (re-exported: callers import them from here)
    FONTS_CONF, INSTALL_HINT, SYSTEM_PYTHON, _env, _kill, _remove_pipe_sockets, _remove_tree,
    check_fonts, has_uno, soffice_path,
)
SCRIPT = Path(__file__).with_name("lo_convert.py")


@dataclass
class Conversion:
    src: Path
    dst: Path
    ok: bool
    error: str | None = None
    # the 目录 entries (level, heading, page) as LibreOffice laid them out for this PDF
    contents: list[tuple[int, str, str]] | None = None


def convert_to_pdf(
    jobs: list[tuple[Path, Path]],
    *,
    timeout: float = 180.0,
    progress: Callable[[Path, bool], None] | None = None,
) -> list[Conversion]:
    """Convert each ``(src, dst)``; returns one :class:`Conversion` per job, in order.

    Raises :class:`SystemComponentError` when LibreOffice or the CJK fonts are missing;
    a file that fails (corrupt, hung) is reported in its Conversion, not raised.
    """
    if not jobs:
        return []
    soffice = soffice_path()
    check_fonts()
    jobs = [(Path(s).resolve(), Path(d).resolve()) for s, d in jobs]
    for _, dst in jobs:
        dst.parent.mkdir(parents=True, exist_ok=True)
    # LibreOffice writes lock files (".~lock.<name>#") beside what it opens: it converts
    # copies in a private folder, never the user's files where they lie.
    stage = Path(tempfile.mkdtemp(prefix="dossier-lo-src-"))
    try:
        copies: list[tuple[Path, Path]] = []
        originals: dict[Path, Path] = {}
        for i, (src, dst) in enumerate(jobs):
            copy = stage / f"{i:04d}" / src.name
            copy.parent.mkdir()
            try:
                shutil.copyfile(src, copy)
            except OSError:
                copy = src  # unreadable: LibreOffice reports it as a failed conversion
            copies.append((copy, dst))
            originals[copy] = src
        if has_uno():
            results = _convert_uno(soffice, copies, timeout, progress and (lambda c, ok: progress(originals[c], ok)))
        else:
            results = _convert_cli(soffice, copies, timeout, progress and (lambda c, ok: progress(originals[c], ok)))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    out = []
    for copy, _ in copies:
        conv = results[copy]
        out.append(Conversion(originals[copy], conv.dst, conv.ok, conv.error, conv.contents))
    return out



def _convert_uno(soffice: str, jobs: list[tuple[Path, Path]], timeout: float,
                 progress: Callable[[Path, bool], None] | None) -> dict[Path, Conversion]:
    from .office import Office, current

    results: dict[Path, Conversion] = {}
    remaining = list(jobs)
    warm = current()  # a LibreOffice kept running by warm_office(), or one for this call
    office = warm if warm is not None else Office(soffice, _env)
    while remaining:
        child = None
        temps: dict[Path, Path] = {}
        keep = False  # a warm LibreOffice that did its round well stays for the next
        try:
            office.start()  # (a hang or a crash ends a round: the next starts a fresh LibreOffice)
            pipe = office.pipe
            # Temporary outputs beside the targets, renamed when complete: a half-written PDF
            # never takes a target's name.
            targets = dict(remaining)
            temps = {src: dst.with_name(f".{dst.name}.{os.getpid()}.part") for src, dst in remaining}
            request = {"pipe": pipe, "keep": office.persistent,
                       "jobs": [{"src": str(s), "dst": str(temps[s])} for s, _ in remaining]}
            child = subprocess.Popen(
                [SYSTEM_PYTHON, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, start_new_session=True,
            )
            stdin, stdout = child.stdin, child.stdout
            if stdin is None or stdout is None:  # both were asked for as pipes
                raise SystemComponentError("无法与 LibreOffice 转换进程通信（管道未建立）")
            stdin.write(json.dumps(request))
            stdin.close()
            lines: queue.Queue[str | None] = queue.Queue()

            def pump() -> None:
                for line in stdout:
                    lines.put(line)
                lines.put(None)

            threading.Thread(target=pump, daemon=True).start()
            done_here: list[Path] = []
            hung: Path | None = None
            startup = 60.0  # the first file also waits for LibreOffice to start
            while len(done_here) < len(remaining):
                current_src = remaining[len(done_here)][0]
                try:
                    line = lines.get(timeout=timeout + (startup if not done_here else 0))
                except queue.Empty:
                    hung = current_src
                    break
                if line is None:
                    break
                try:
                    msg = json.loads(line)
                except json.JSONDecodeError:
                    continue
                src = Path(msg["src"])
                dst = targets[src]
                ok = bool(msg.get("ok")) and temps[src].is_file() and temps[src].stat().st_size > 0
                if ok:
                    os.replace(temps[src], dst)
                error = None if ok else (msg.get("error") or "LibreOffice 未生成 PDF")
                contents = [tuple(e) for e in msg.get("contents") or []] if ok else None
                results[src] = Conversion(src, dst, ok, error, contents)
                done_here.append(src)
                if progress:
                    progress(src, ok)
            _kill(child)
            keep = office.persistent and hung is None and len(done_here) == len(remaining)
            if hung is not None:
                results[hung] = Conversion(hung, targets[hung], False, f"转换超时（超过 {timeout:.0f} 秒），已跳过")
                done_here.append(hung)
                if progress:
                    progress(hung, False)
            elif len(done_here) < len(remaining):
                stderr = child.stderr.read() if child.stderr else ""
                current_src = remaining[len(done_here)][0]
                reason = (stderr.strip().splitlines() or ["LibreOffice 意外退出"])[-1]
                results[current_src] = Conversion(current_src, targets[current_src], False, f"转换失败：{reason}")
                done_here.append(current_src)
            remaining = [job for job in remaining if job[0] not in results]
        finally:
            # also on Ctrl-C: no LibreOffice left running, no profile, socket or partial file
            # (Office.stop removes its profile and sockets)
            if child is not None:
                _kill(child)
            if not keep:
                office.stop()
            for tmp_out in temps.values():
                tmp_out.unlink(missing_ok=True)
    return results


def _convert_cli(soffice: str, jobs: list[tuple[Path, Path]], timeout: float,
                 progress: Callable[[Path, bool], None] | None) -> dict[Path, Conversion]:
    """Fallback: ``soffice --convert-to pdf`` over the batch, one process per output folder."""
    results: dict[Path, Conversion] = {}
    with tempfile.TemporaryDirectory(prefix="dossier-lo-") as tmp:
        profile, outdir = Path(tmp) / "profile", Path(tmp) / "out"
        outdir.mkdir()
        srcs = [s for s, _ in jobs]
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, srcs)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=_env(profile), start_new_session=True)
        try:
            proc.wait(timeout=timeout * len(jobs))
        except subprocess.TimeoutExpired:
            pass
        finally:
            _kill(proc)  # also on Ctrl-C
        for src, dst in jobs:
            produced = outdir / (src.stem + ".pdf")
            ok = produced.is_file() and produced.stat().st_size > 0
            if ok:
                shutil.move(str(produced), dst)
            results[src] = Conversion(src, dst, ok, None if ok else "LibreOffice 未生成 PDF（转换失败或超时）")
            if progress:
                progress(src, ok)
    return results
