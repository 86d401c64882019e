"""The ``dossier`` console script: Ctrl-C at any moment, even while Python is still
importing the command's modules, ends with exit code 130 and one line, no traceback."""

from __future__ import annotations

import sys

from . import interrupts


def run() -> None:
    try:
        interrupts.install()  # SIGTERM is handled like Ctrl-C: clean up, exit 130
        from .cli import main

        main()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("已中断。\n")
        except Exception:
            pass
        sys.exit(130)
