"""Pause Python's cycle collector while a large, acyclic structure is built.

Reading a dossier builds tens of thousands of short-lived objects (libyaml's node tree,
then the data and the model). Each time enough of them survive a young collection,
Python walks *every* live object in a full collection: in ``summary`` over 150 dossiers
that was more than half of the run (issue 20). What is built here has no reference
cycles to collect, so the collector waits until the structure is done; reference
counting still frees everything as usual.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Nested and thread-safe: the collector runs again when the outermost pause ends
    (and only if it was running before)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
