"""The pool's worker side: the loop each worker process runs (``crawler/pool.py`` is the
crawl side, which starts them and hands them calls).

Kept apart from the crawl side so that the forkserver, and every worker forked from it,
imports neither Scrapy nor anything else of the crawl process: a worker holds what its
calls need (``crawler/tasks.py``: the page function and its tables) and this loop.

A call names its function either as the function itself (pickled by reference) or as a
dotted path, ``"package.module.function"``, imported where the call runs (:func:`task`):
the crawl process then never imports what only the workers run.
"""

from __future__ import annotations

import importlib
import math
import os
import resource
import select
import signal
import sys
import threading
import time


def task(func):
    """The function a call names: ``func`` itself, or the one at its dotted path."""
    if not isinstance(func, str):
        return func
    module, _, name = func.rpartition(".")
    return getattr(importlib.import_module(module), name)


class OverBudget(BaseException):
    """Raised in a worker by SIGXCPU: the call used its CPU budget (a BaseException, so
    no ``except Exception`` in the page function swallows it)."""


def _on_sigxcpu(signum, frame):
    raise OverBudget()


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def set_budget(budget: float | None) -> None:
    """The worker's soft CPU limit: what it used plus ``budget`` (None: no limit).  Past it
    the kernel sends SIGXCPU, every second; the hard limit stays as it is (a process may
    not raise it again), the crawl process kills a worker that goes on past its margin."""
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = math.ceil(_cpu_used() + budget) if budget else hard
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def worker_main(conn, crawl_pid: int, budget: float | None) -> None:
    """A worker: run the calls that come down ``conn``, one at a time, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawl process handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    exit_with(crawl_pid)
    # the working directory is the user's: nothing of the project is imported from there
    sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        call_id, func, args, kwargs = message
        try:
            set_budget(budget)
            result = (call_id, True, task(func)(*args, **kwargs))
        except OverBudget:
            result = (call_id, False, ("too-slow", f"used its {budget:g} s of CPU"))
        except Exception as exc:  # the caller decides what a failed call means
            result = (call_id, False, ("error", exc))
        finally:
            set_budget(None)
        try:
            conn.send(result)
        except Exception as exc:  # an unpicklable result or exception
            conn.send((call_id, False, ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))))


def exit_with(pid: int) -> None:
    """Exit when process ``pid`` (the crawl) is gone: a killed crawl cannot stop its workers."""

    def watch():
        try:
            fd = os.pidfd_open(pid)  # Linux 5.3+: readable once the process has exited
            select.select([fd], [], [])
        except (AttributeError, OSError):
            while True:
                time.sleep(1.0)
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    continue
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-crawl", daemon=True).start()
