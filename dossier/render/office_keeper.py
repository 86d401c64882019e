"""The supervisor of the shared LibreOffice (``dossier office start``, :mod:`.officed`):
``python -m dossier.render.office_keeper FOLDER SOFFICE IDLE_SECONDS``.

It starts LibreOffice, records where it listens in FOLDER once it answers, and stops it
— removing the record first, under the borrowers' lock — after IDLE_SECONDS without
use, on SIGTERM (``dossier office stop``), or when LibreOffice dies.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sys
import time
from pathlib import Path

from .office import Office
from .officed import LOCK, STATE, _listening
from .soffice import _env


def _supervise(folder: Path, soffice: str, idle: float) -> None:
    os.chdir("/")  # it outlives the command: it keeps no folder of the user's in use
    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    office = Office(soffice, _env)
    office.start()
    try:
        deadline = time.monotonic() + 90
        while not _listening(office.pipe):
            if not office.running or stopping or time.monotonic() > deadline:
                return
            time.sleep(0.05)
        if office.proc is None:  # pragma: no cover - start() made it
            return
        state = {"pid": os.getpid(), "soffice_pid": office.proc.pid, "pipe": office.pipe,
                 "started": time.time(), "idle": idle}
        part = folder / f".{STATE}.part"
        part.write_text(json.dumps(state), encoding="utf-8")
        os.replace(part, folder / STATE)
        lock = folder / LOCK
        lock.touch()
        while office.running and not stopping:
            time.sleep(1)
            try:
                quiet = time.time() - lock.stat().st_mtime
            except OSError:
                quiet = idle + 1
            if quiet > idle:
                handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(handle)
                    continue  # in use right now
                try:  # no command can borrow it while it goes
                    _drop_state(folder)
                    office.stop()
                finally:
                    os.close(handle)
                return
    finally:
        _drop_state(folder)
        office.stop()


def _drop_state(folder: Path) -> None:
    """Remove the state record if it is this supervisor's (not a newer one's)."""
    try:
        if json.loads((folder / STATE).read_text(encoding="utf-8")).get("pid") == os.getpid():
            (folder / STATE).unlink()
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    _supervise(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]))
