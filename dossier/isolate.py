"""Run one risky step (a user's template, one evidence file) in a forked child process
with a memory limit, a time limit and a file-size limit, so that a bomb, an endless
loop or a crash inside a third-party parser costs that one step, not the whole run.

The child inherits everything by ``fork`` (nothing to import again); its result comes
back through a pipe. Where ``fork`` does not exist the step runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import traceback
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class Failure(Exception):
    """The step did not finish: ``kind`` is timeout | memory | output | recursion | crash | error."""

    kind: str
    message: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


def _limit_child(memory: int, seconds: float, output: int) -> None:
    try:
        with open("/proc/self/statm") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        current = 0
    for limit, value in ((resource.RLIMIT_AS, current + memory), (resource.RLIMIT_CPU, int(seconds) + 1),
                         (resource.RLIMIT_FSIZE, output)):
        try:
            _soft, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass


def _child(conn: Any, fn: Callable[..., Any], args: tuple, memory: int, seconds: float, output: int,
           passthrough: tuple[type[BaseException], ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_child(memory, seconds, output)
    try:
        data = fn(*args)
        if isinstance(data, bytes) and len(data) > output:
            conn.send(("error", "output", f"{len(data)}"))
        else:
            conn.send(("ok", None, None))
            conn.send(data)
    except MemoryError:
        conn.send(("error", "memory", ""))
    except RecursionError:
        conn.send(("error", "recursion", ""))
    except passthrough as exc:
        conn.send(("raise", None, exc))
    except BaseException as exc:  # reported to the parent
        conn.send(("error", "error", f"{type(exc).__name__}: {str(exc)[:300]}\n{traceback.format_exc(limit=4)}"))
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers or buffers of the parent run twice


def run_limited(fn: Callable[..., Any], args: tuple = (), *, timeout: float, memory: int, output: int = 1 << 30,
                passthrough: tuple[type[BaseException], ...] = ()) -> Any:
    """``fn(*args)`` in a child process; raises :class:`Failure` when it breaks a limit or
    fails, or re-raises an exception of a ``passthrough`` type (pickled back)."""
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return fn(*args)
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, memory, timeout, output, passthrough), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise Failure("timeout", f"{timeout:.0f}")
        try:
            status, kind, payload = receive.recv()
            data = receive.recv() if status == "ok" else None
        except (EOFError, OSError):
            status, kind, payload = "error", "crash", ""
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receive.close()
    if status == "ok":
        return data
    if status == "raise":
        raise payload
    if kind == "crash":
        code = proc.exitcode
        if code == -signal.SIGXCPU:
            raise Failure("timeout", "cpu")
        if code == -signal.SIGXFSZ:
            raise Failure("output", "")
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
            raise Failure("memory" if code == -signal.SIGKILL else "crash", f"signal {-code}")
    raise Failure(kind, payload or "")
