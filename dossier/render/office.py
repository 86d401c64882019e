"""A warm LibreOffice: one ``soffice`` process kept running for many conversions.

Starting LibreOffice costs 1–3 s, more than converting a form. ``warm_office()`` starts
it at once, in the background, so that it gets ready while Python fills the forms, and
keeps it for every conversion made inside the ``with`` block (in this thread): a batch
of dossiers pays the start once per worker. Conversions outside such a block start and
stop their own LibreOffice (:func:`dossier.render.pdf.convert_to_pdf`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterator

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



class Office:
    """One headless ``soffice`` listening on a private pipe, with its own profile."""

    def __init__(self, soffice: str, env_for) -> None:
        self.soffice = soffice
        self._env_for = env_for
        self.proc: subprocess.Popen | None = None
        self.profile: Path | None = None
        self.pipe = ""
        self.persistent = False  # kept between conversions (inside warm_office)
        self.started = 0.0

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        if self.running:
            return
        self.stop()
        self.profile = Path(tempfile.mkdtemp(prefix="dossier-lo-"))
        self.pipe = f"dossier_{os.getpid()}_{time.monotonic_ns()}"
        self.started = time.time()
        self.proc = subprocess.Popen(
            [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", "--invisible",
             "--nologo", "--norestore", "--nodefault", "--nolockcheck", f"--accept=pipe,name={self.pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self._env_for(self.profile),
            start_new_session=True,
        )

    def stop(self) -> None:
        """Kill it; remove its profile (its temporary files are inside) and its sockets."""
        if self.proc is not None:
            _kill(self.proc)
            self.proc = None
        if self.profile is not None:
            _remove_tree(self.profile)
            _remove_pipe_sockets(self.pipe, self.started)
            self.profile = None


_local = threading.local()  # per thread: builds running in threads (a web server) each keep their own


def current() -> Office | None:
    """The warm LibreOffice of this thread, if a ``warm_office()`` block is open."""
    return getattr(_local, "office", None)


@contextlib.contextmanager
def warm_office() -> Iterator[Office | None]:
    """Keep one LibreOffice running for the conversions made inside the block.

    Nested blocks share the outer one. Without LibreOffice or its UNO bridge this does
    nothing (conversions then report the missing component as usual)."""
    if current() is not None:
        yield current()
        return
    try:
        soffice = soffice_path()
    except Exception:
        yield None
        return
    if not has_uno():
        yield None
        return
    office = Office(soffice, _env)
    office.persistent = True
    office.start()
    _local.office = office
    try:
        yield office
    finally:
        _local.office = None
        office.stop()
