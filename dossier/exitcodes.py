"""The exit codes of the ``dossier`` command, in one place (DESIGN.md, "Exit codes").

Scripts rely on them: 1 means "not yet" (evidence missing, not eligible), never "the
tool broke"; an unexpected error has its own code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0             # done / eligible
    NOT_YET = 1        # evidence missing or expired, not eligible, conflicts to resolve
    BAD_INPUT = 2      # a file, a field, a template, an option the user gave is wrong
    SYSTEM = 3         # a system component (LibreOffice, fonts, OCR) is missing or failed
    INTERNAL = 4       # an unexpected error in dossier itself (a bug): please report it
    INTERRUPTED = 130  # Ctrl-C (SIGINT) or SIGTERM
