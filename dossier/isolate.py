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


def _batch_child(conn: Any, fn: Callable[[Any], Any], items: list[Any], memory: int, seconds: float) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_child(memory, seconds, 1 << 30)
    try:
        for index, item in enumerate(items):
            try:
                conn.send((index, "ok", fn(item)))
            except MemoryError:
                conn.send((index, "memory", ""))
            except RecursionError:
                conn.send((index, "recursion", ""))
            except Exception as exc:  # reported for this item; the batch goes on
                conn.send((index, "error", f"{type(exc).__name__}: {str(exc)[:300]}"))
    finally:
        conn.close()
        os._exit(0)


def run_batch(fn: Callable[[Any], Any], items: list[Any], *, timeout_each: float, memory: int) -> list[Any]:
    """``fn(item)`` for each item in as few child processes as possible: one for the whole
    batch, a fresh one after an item that hangs or kills its process. Returns, per item,
    the result or a :class:`Failure`."""
    results: list[Any] = [None] * len(items)
    start = 0
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return [fn(item) for item in items]
    while start < len(items):
        receive, send = ctx.Pipe(duplex=False)
        chunk = items[start:]
        proc = ctx.Process(target=_batch_child, args=(send, fn, chunk, memory, timeout_each * len(chunk)), daemon=True)
        proc.start()
        send.close()
        done = 0
        try:
            while done < len(chunk):
                if not receive.poll(timeout_each):
                    results[start + done] = Failure("timeout", f"{timeout_each:.0f}")
                    done += 1
                    break
                try:
                    index, status, payload = receive.recv()
                except (EOFError, OSError):
                    proc.join(5)
                    code = proc.exitcode
                    kind = "memory" if code == -signal.SIGKILL else ("timeout" if code == -signal.SIGXCPU else "crash")
                    results[start + done] = Failure(kind, f"exit {code}")
                    done += 1
                    break
                results[start + index] = payload if status == "ok" else Failure(status, payload)
                done = index + 1
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            receive.close()
        start += done
    return results
