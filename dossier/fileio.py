"""Atomic writes: a temporary file beside the target, flushed to disk, then renamed over
it. A crash or an interrupt leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
from pathlib import Path


UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # not allowed in Windows file names


def safe_name(name: str) -> str:
    """A file name from ``name`` (the enterprise's full name, a title): no characters Windows
    forbids, not longer than file systems allow."""
    from .names import display, shorten

    return shorten(UNSAFE.sub("_", display(name)).strip(" .")) or "申报材料"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _no_interrupt():
        _write(path, data)


@contextlib.contextmanager
def _no_interrupt():
    """Ctrl-C waits until the write is done (or undone): never a stray temporary file."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    except (AttributeError, ValueError, OSError):  # no POSIX signal masks here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; a written file gets the usual mode (0644 under umask 022),
        # or keeps the mode of the file it replaces.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.replace("\r\n", "\n").encode("utf-8"))


def save_workbook(workbook, path: Path) -> Path:
    """Save an openpyxl workbook atomically."""
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())
    return Path(path)
