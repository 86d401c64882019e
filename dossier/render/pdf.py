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
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..errors import SystemComponentError

INSTALL_HINT = (
    "请安装 LibreOffice 和中文字体：sudo apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui "
    "python3-uno fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming（或运行 scripts/setup.sh）"
)
FONTS_CONF = Path(__file__).resolve().parent.parent / "data" / "fonts.conf"
SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("lo_convert.py")


@dataclass
class Conversion:
    src: Path
    dst: Path
    ok: bool
    error: str | None = None


def soffice_path() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemComponentError(f"找不到 LibreOffice（soffice），无法转换 PDF。{INSTALL_HINT}")


def check_fonts() -> None:
    """Fail with the install command when no CJK font is installed (PDFs would show boxes)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return  # no fontconfig tools: LibreOffice will say more if fonts are missing
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    if not out.strip():
        raise SystemComponentError(f"没有安装中文字体，PDF 中的中文会显示为方框。{INSTALL_HINT}")


@lru_cache(maxsize=1)
def has_uno() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


def _env(profile: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env.setdefault("HOME", str(profile))
    return env


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


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
    if has_uno():
        results = _convert_uno(soffice, jobs, timeout, progress)
    else:
        results = _convert_cli(soffice, jobs, timeout, progress)
    return [results[src] for src, _ in jobs]


def _convert_uno(soffice: str, jobs: list[tuple[Path, Path]], timeout: float,
                 progress: Callable[[Path, bool], None] | None) -> dict[Path, Conversion]:
    from .office import Office, current, running

    results: dict[Path, Conversion] = {}
    remaining = list(jobs)
    warm = current()  # a LibreOffice kept running by warm_office(), or one for this call
    office = warm if warm is not None else Office(soffice, _env)
    while remaining:
        with running(office) as pipe:  # a hang or a crash ends a round: the next starts a fresh LibreOffice
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
            assert child.stdin and child.stdout
            child.stdin.write(json.dumps(request))
            child.stdin.close()
            lines: queue.Queue[str | None] = queue.Queue()

            def pump() -> None:
                for line in child.stdout:  # type: ignore[union-attr]
                    lines.put(line)
                lines.put(None)

            threading.Thread(target=pump, daemon=True).start()
            done_here: list[Path] = []
            hung: Path | None = None
            startup = 60.0  # the first file also waits for LibreOffice to start
            while len(done_here) < len(remaining):
                current = remaining[len(done_here)][0]
                try:
                    line = lines.get(timeout=timeout + (startup if not done_here else 0))
                except queue.Empty:
                    hung = current
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
                results[src] = Conversion(src, dst, ok, error)
                done_here.append(src)
                if progress:
                    progress(src, ok)
            _kill(child)
            if not office.persistent or hung is not None or len(done_here) < len(remaining):
                office.stop()  # a hung or crashed LibreOffice is not reused
            for tmp_out in temps.values():
                tmp_out.unlink(missing_ok=True)
            if hung is not None:
                results[hung] = Conversion(hung, targets[hung], False, f"转换超时（超过 {timeout:.0f} 秒），已跳过")
                done_here.append(hung)
                if progress:
                    progress(hung, False)
            elif len(done_here) < len(remaining):
                stderr = child.stderr.read() if child.stderr else ""
                current = remaining[len(done_here)][0]
                reason = (stderr.strip().splitlines() or ["LibreOffice 意外退出"])[-1]
                results[current] = Conversion(current, targets[current], False, f"转换失败：{reason}")
                done_here.append(current)
            remaining = [job for job in remaining if job[0] not in results]
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
            _kill(proc)
        for src, dst in jobs:
            produced = outdir / (src.stem + ".pdf")
            ok = produced.is_file() and produced.stat().st_size > 0
            if ok:
                shutil.move(str(produced), dst)
            results[src] = Conversion(src, dst, ok, None if ok else "LibreOffice 未生成 PDF（转换失败或超时）")
            if progress:
                progress(src, ok)
    return results
