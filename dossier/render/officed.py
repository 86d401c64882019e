"""A LibreOffice shared by every ``dossier`` command of this user: ``dossier office start``.

Starting LibreOffice costs 1–4 s of every ``build`` and ``render --pdf``, more than the
conversions themselves. ``dossier office start`` starts one that stays: a small
supervisor process (:mod:`dossier.render.office_keeper`) owns it, writes where it
listens into the per-user runtime folder (``$XDG_RUNTIME_DIR/dossier`` or
``/tmp/dossier-<uid>``, private to the user; ``DOSSIER_RUNTIME_DIR`` names another),
and stops it after ``idle`` seconds without use, on ``dossier office stop``, or when
LibreOffice dies.

A command borrows it for a block (:func:`borrow`, used by
:func:`dossier.render.office.warm_office`) under an exclusive lock: one command converts
at a time; a second one at the same moment (or any command when nothing is shared,
the folder is not safe, or the shared LibreOffice is gone) starts a LibreOffice of its
own, as before. A conversion that hangs the shared LibreOffice ends it (its supervisor
then cleans up); the command goes on with one of its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from ..errors import SystemComponentError

KEEPER = "dossier.render.office_keeper"  # the supervisor's module (python -m …)
STATE = "office.json"
LOCK = "office.lock"
IDLE_S = 30 * 60


# --- the per-user folder -----------------------------------------------------------------

def runtime_path() -> Path:
    """Where this user's folder is (``DOSSIER_RUNTIME_DIR`` first: the tests use their own)."""
    if os.environ.get("DOSSIER_RUNTIME_DIR"):
        return Path(os.environ["DOSSIER_RUNTIME_DIR"])
    base = os.environ.get("XDG_RUNTIME_DIR")
    return Path(base) / "dossier" if base and os.path.isdir(base) else Path("/tmp") / f"dossier-{os.getuid()}"


def runtime_dir(create: bool = False) -> Path | None:
    """This user's private folder, or None when it is missing or not safe (not ours, a
    link, open to others)."""
    folder = runtime_path()
    if create:
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        st = folder.lstat()
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return folder


def _pipe_socket(pipe: str) -> Path:
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{pipe}"


def _listening(pipe: str) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(_pipe_socket(pipe)))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _ours(pid: int, marker: str) -> bool:
    """``pid`` is a live process of this user whose command line contains ``marker``."""
    try:
        if os.stat(f"/proc/{pid}").st_uid != os.getuid():
            return False
        return marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return False


def status() -> dict[str, Any] | None:
    """The shared LibreOffice, if one is running and answering: its state record."""
    folder = runtime_dir()
    if folder is None:
        return None
    try:
        state = json.loads((folder / STATE).read_text(encoding="utf-8"))
        pipe, pid, office = str(state["pipe"]), int(state["pid"]), int(state["soffice_pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (_ours(pid, KEEPER) and _ours(office, pipe) and _listening(pipe)):
        return None
    return state


# --- borrowing it --------------------------------------------------------------------------

@contextlib.contextmanager
def borrow() -> Iterator[dict[str, Any] | None]:
    """The shared LibreOffice's state for the block, held exclusively; None when there is
    none or another command is using it."""
    folder = runtime_dir()
    if folder is None or not (folder / STATE).exists():
        yield None
        return
    try:
        handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        yield None
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield None  # busy: this command starts its own
            return
        state = status()
        try:
            yield state
        finally:
            os.utime(handle)  # the supervisor's idle clock starts again
    finally:
        os.close(handle)  # releases the lock


def end(state: dict[str, Any]) -> None:
    """Kill a shared LibreOffice that failed a conversion (hung, crashed): its supervisor
    sees it go, cleans up and exits."""
    pid = int(state["soffice_pid"])
    if _ours(pid, str(state["pipe"])):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


# --- starting and stopping (dossier office start / stop) -----------------------------------

def start(idle: float = IDLE_S, wait: float = 90.0) -> dict[str, Any]:
    """Start the shared LibreOffice (or find the running one) and wait until it listens."""
    running = status()
    if running is not None:
        return running
    from .soffice import check_fonts, has_uno, soffice_path

    soffice = soffice_path()
    check_fonts()
    if not has_uno():
        raise SystemComponentError("共享的 LibreOffice 需要 python3-uno（sudo apt-get install -y python3-uno）")
    folder = runtime_dir(create=True)
    if folder is None:
        raise SystemComponentError(f"无法使用运行目录（不属于当前用户，或其他用户可访问）：{runtime_path()}")
    (folder / STATE).unlink(missing_ok=True)
    log = open(folder / "office.log", "ab")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", KEEPER, str(folder), soffice, str(float(idle))],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True,
        )
    finally:
        log.close()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        running = status()
        if running is not None:
            return running
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    raise SystemComponentError(f"共享的 LibreOffice 未能启动（详见 {folder / 'office.log'}）")


def stop(wait: float = 15.0) -> bool:
    """Stop the shared LibreOffice; False when none was running."""
    state = status()
    if state is None:
        return False
    pid = int(state["pid"])
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _ours(pid, KEEPER):
        time.sleep(0.1)
    if _ours(pid, KEEPER):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
        end(state)
    return True
