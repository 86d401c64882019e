"""A warm LibreOffice: one ``soffice`` process kept running for many conversions.

Starting LibreOffice costs 1–3 s, more than converting a form. ``warm_office()`` starts
it at once, in the background, so that it gets ready while Python fills the forms, and
keeps it for every conversion made inside the ``with`` block (in this thread): a batch
of dossiers pays the start once per worker. Conversions outside such a block start and
stop their own LibreOffice (:func:`dossier.render.pdf.convert_to_pdf`).

When ``dossier office start`` keeps a LibreOffice for all commands (:mod:`.officed`),
the block borrows that one instead and starts nothing.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator


class Office:
    """One headless ``soffice`` listening on a private pipe, with its own profile — or the
    shared one of ``dossier office start``, borrowed (``shared``: its state record)."""

    def __init__(self, soffice: str, env_for, shared: dict | None = None) -> None:
        self.soffice = soffice
        self._env_for = env_for
        self.proc: subprocess.Popen | None = None
        self.profile: Path | None = None
        self.pipe = ""
        self.persistent = False  # kept between conversions (inside warm_office)
        self.started = 0.0
        self.shared = shared
        self.closed = False  # close(): stopped for good (the build was interrupted)
        if shared is not None:
            self.pipe, self.persistent = str(shared["pipe"]), True

    @property
    def running(self) -> bool:
        if self.shared is not None:
            from .officed import _ours

            return _ours(int(self.shared["soffice_pid"]), self.pipe)
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        if self.closed:
            from ..errors import SystemComponentError

            raise SystemComponentError("LibreOffice 已停止（操作已中断）")
        if self.running:
            return
        self.shared = None  # the shared LibreOffice is gone: one of our own from here on
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

    def close(self) -> None:
        """Stop it (a shared one too) and start no other: conversions still running in
        another thread fail instead of starting a new LibreOffice."""
        self.closed = True
        self.stop()

    def stop(self) -> None:
        """Kill it; remove its profile (its temporary files are inside) and its sockets."""
        from .soffice import _kill, _remove_pipe_sockets, _remove_tree

        if self.shared is not None:  # it failed a conversion: end it (its supervisor cleans up)
            from .officed import end

            end(self.shared)
            self.shared = None
            return
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
    from .soffice import _env, has_uno, soffice_path

    try:
        soffice = soffice_path()
    except Exception:
        yield None
        return
    if not has_uno():
        yield None
        return
    from .officed import borrow

    with borrow() as shared:
        office = Office(soffice, _env, shared)
        office.persistent = True
        if shared is None:
            office.start()
        _local.office = office
        try:
            yield office
        finally:
            _local.office = None
            if office.shared is None:  # ours stops (for good); the shared one stays for the next command
                office.close()


@contextlib.contextmanager
def lent(office: Office | None) -> Iterator[None]:
    """Make ``office`` (a ``warm_office()`` block's, opened in another thread) this
    thread's too, for a helper thread that converts while its owner does other work."""
    _local.office = office
    try:
        yield
    finally:
        _local.office = None
