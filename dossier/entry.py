"""The ``dossier`` console script: Ctrl-C at any moment, even while Python is still
importing the command's modules, ends with exit code 130 and one line, no traceback.

A command that has finished leaves at once: its output flushed and its exit handlers run
(temporary folders, child processes), but without Python's final teardown, which frees
every module and object one by one — 0.2–0.35 s after a build, more after ``summary``
over many dossiers (issue 20)."""

from __future__ import annotations

import sys

from . import interrupts


def run() -> None:
    try:
        interrupts.install()  # SIGTERM is handled like Ctrl-C: clean up, exit 130
        from .cli import main

        main()
        code: object = 0
    except KeyboardInterrupt:
        try:
            sys.stderr.write("已中断。\n")
        except Exception:
            pass
        sys.exit(130)
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(code: object) -> None:
    import atexit
    import os
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)  # a thread still working: Python's own exit waits for it
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1, as Python does
        try:
            sys.stderr.write(f"{code}\n")
        except Exception:
            pass
        status = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except KeyboardInterrupt:
        status = 130
    except Exception:  # noqa: BLE001 - e.g. a closed pipe: the status stands, as Python would end
        pass
    os._exit(status & 0xFF)
