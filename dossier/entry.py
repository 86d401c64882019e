"""The ``dossier`` console script: Ctrl-C at any moment, even while Python is still
importing the command's modules, ends with exit code 130 and one line, no traceback."""

from __future__ import annotations

import signal
import sys


def _terminate(signum, frame):  # SIGTERM is handled like Ctrl-C: clean up, exit 130
    raise KeyboardInterrupt


def run() -> None:
    try:
        signal.signal(signal.SIGTERM, _terminate)
        from .cli import main

        main()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("已中断。\n")
        except Exception:
            pass
        sys.exit(130)
