"""Finding, starting and cleaning up after LibreOffice: the pieces that both the one-batch
converter (:mod:`dossier.render.pdf`) and the warm per-worker LibreOffice
(:mod:`dossier.render.office`) use."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from functools import lru_cache
from pathlib import Path

from ..errors import SystemComponentError
from ..resources import data_file

INSTALL_HINT = (
    "请安装 LibreOffice 和中文字体：sudo apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui "
    "python3-uno fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming（或运行 scripts/setup.sh）"
)
FONTS_CONF = data_file("fonts.conf")
SYSTEM_PYTHON = "/usr/bin/python3"


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
    # LibreOffice's own temporary files (lu*.tmp) go inside the profile folder, which is
    # removed after the batch even when the process was killed
    scratch = profile / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    env["TMPDIR"] = str(scratch)
    return env


def _kill(proc: subprocess.Popen) -> None:
    """Stop a process we started (and its group: it was started in a session of its own)."""
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process SIGKILL cannot stop
        pass


def _remove_tree(folder: Path) -> None:
    for _ in range(20):  # a killed LibreOffice may still be closing its files for a moment
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)


def _remove_pipe_sockets(pipe: str, since: float) -> None:
    """LibreOffice leaves socket files in /tmp: the pipe we named (OSL_PIPE_<uid>_<name>)
    and its single-instance pipe (OSL_PIPE_<uid>_SingleOfficeIPC_<hash of the profile>).
    Ours are removed; of the others only those made since ``since`` that no process
    listens on any more (another LibreOffice's live socket is left alone)."""
    import socket

    folder = Path("/tmp")
    for sock in folder.glob(f"OSL_PIPE_{os.getuid()}_*"):
        try:
            if not sock.name.endswith(pipe):
                if sock.lstat().st_mtime < since - 1:
                    continue
                probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    probe.connect(str(sock))
                    continue  # alive: someone else's LibreOffice
                except ConnectionRefusedError:
                    pass
                finally:
                    probe.close()
            sock.unlink()
        except OSError:
            pass
