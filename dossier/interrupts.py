"""Ctrl-C (SIGINT) and SIGTERM, counted so that none is lost.

Python turns SIGINT into a ``KeyboardInterrupt`` raised wherever the main thread happens to
be. At an unlucky moment that exception never reaches us: raised inside an at-fork hook (a
worker process starting) it is printed as "Exception ignored" and dropped, and a library's
bare ``except:`` may swallow it. A build interrupted that way would carry on and replace the
previous package. So the handler also counts the interrupt, and the steps that publish
anything call :func:`check` first: an interrupt seen at any time stops the command there.
"""

from __future__ import annotations

import signal

_received = 0


def _handler(signum, frame):
    global _received
    _received += 1
    raise KeyboardInterrupt


def install() -> None:
    """Handle SIGINT and SIGTERM in this process and start counting afresh (a new command).
    Main thread only; a SIGINT the caller set to be ignored, as a shell does for a background
    job, stays ignored."""
    global _received
    _received = 0
    try:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, _handler)
        signal.signal(signal.SIGTERM, _handler)
    except ValueError:  # not the main thread (e.g. the CLI invoked from a test's worker thread)
        pass


def received() -> int:
    """How many interrupts this process has received."""
    return _received


def check() -> None:
    """Raise ``KeyboardInterrupt`` if an interrupt arrived at any time, even one whose
    exception was lost on the way."""
    if _received:
        raise KeyboardInterrupt
