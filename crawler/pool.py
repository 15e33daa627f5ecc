"""The crawl's worker processes: CPU work off the reactor thread, on every core, within a budget.

Scrapy runs the spider and every pipeline stage on one thread, so a crawl whose pages are
parsed, extracted and tagged there uses one core however many the machine has.  The page
function (``pipelines.page.process_page``) takes plain data and returns plain data, so
it runs in other processes: a page makes exactly one call (``crawler/tasks.py``: the page
function and the WARC records of its capture, bytes in, a slim result out)::

    pool = Pool.for_crawler(crawler)          # one per crawl, closed when it ends
    result = await pool.run("newsarchive.crawler.tasks.process", body, url, ...)

(named by its path: the crawl process never imports the page function, only the workers
do; the workers' loop is ``crawler/pool_worker.py``, which imports nothing of Scrapy.)

No page may stall the crawl:

* **A CPU budget per call** (``NEWSARCHIVE_PAGE_CPU_SECONDS``): the worker's CPU limit
  (``RLIMIT_CPU``) is set to what it has used plus the budget before each call; past it the
  call fails with :class:`TooSlow` (the worker lives on), and a call stuck in C code past
  the hard limit a little later is killed with its worker.  Either way the page fails
  ``too-slow`` and the other pages go on in the other workers.
* **A dead worker** (killed, out of memory, a crash in a C library) fails only the call it
  held (:class:`WorkerDied`: the caller may try it once more) and is replaced at once.
* **A watchdog**: a call that has not come back ``NEWSARCHIVE_PAGE_WALL_SECONDS`` after it
  started (a worker that lost its result, or sleeps) fails (:class:`TooSlow`) and its worker
  is replaced.
* **Abort**: when the crawl stops (SIGTERM, Ctrl-C, the no-progress watchdog), every call
  pending or running fails at once (:class:`PoolClosed`) and the workers are killed, so a
  stopping crawl never waits for a page.

Workers come from the ``forkserver`` start method: a clean process that imported the page
function once and loaded every table it reads (gazetteer, tries, lexicons, phrase
patterns, the language model), forked for each worker, which starts with them all.  They exit by
themselves when the crawl process is killed.  ``NEWSARCHIVE_WORKERS = 0`` runs the calls
inline, in the crawl process (debugging, tests; no budget then).  ``reprocess`` uses the
same pool outside a crawl (:meth:`Pool.map`).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import multiprocessing
import os
import time
import weakref
from multiprocessing.connection import wait

from scrapy import signals

from .pool_worker import task, worker_main

logger = logging.getLogger(__name__)

# imported once by the forkserver, before it forks the workers: the workers' loop, and the
# page function with every table it loads (crawler/pool_preload.py), which they then share
PRELOAD = ["newsarchive.crawler.pool_worker", "newsarchive.crawler.pool_preload"]
# a call still running this many CPU seconds past its budget (stuck in C code, where the
# soft limit's signal cannot stop it) is killed with its worker
HARD_MARGIN = 3
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class PoolError(Exception):
    """Raised when a call could not run to its end in a worker."""

    reason = "pool-error"


class TooSlow(PoolError):
    """Raised when a call used up its CPU budget or did not come back in time."""

    reason = "too-slow"


class WorkerDied(PoolError):
    """Raised when the worker running a call died (killed, out of memory, a crash)."""

    reason = "worker-died"


class PoolClosed(PoolError):
    """Raised for the calls still pending or running when the pool was closed or aborted."""

    reason = "interrupted"


def pool_size(value=None) -> int:
    """Workers for a ``NEWSARCHIVE_WORKERS`` value: "auto" (the project default) = one per
    usable core; 0 = inline.  Unset (None) = inline too."""
    if value is None:
        return 0
    if str(value).strip().lower() in ("", "auto"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not Linux
            return max(1, os.cpu_count() or 1)
    return max(0, int(value))


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


# --- the crawl side --------------------------------------------------------------------------

def _process_cpu(pid: int) -> float | None:
    """CPU seconds process ``pid`` has used (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


class _Worker:
    __slots__ = ("process", "conn", "call", "started", "cpu_at_start")

    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.call = None  # the call it runs: (call_id, func, args, kwargs, done)
        self.started = 0.0
        self.cpu_at_start = None


class Pool:
    """The worker processes of one crawl (or inline calls when ``workers`` is 0).

    ``budget``: CPU seconds a call may use (None: no limit); ``wall``: seconds after which a
    call that has not come back fails (None: no limit)."""

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, workers: int, budget: float | None = None, wall: float | None = None):
        self.workers = workers
        self.budget = budget or None
        self.wall = wall or None
        self.calls = 0
        self.failed: collections.Counter = collections.Counter()
        self.closed: str | None = None  # why the pool was closed, once it is
        self._ids = itertools.count(1)
        self._pending: collections.deque = collections.deque()
        self._workers: list[_Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watchdog = None
        self.crawler = None  # a weak reference to the crawl, whose stopping aborts the calls
        self._ctx = _context() if workers else None
        for _ in range(workers):
            self._workers.append(self._start_worker())

    @classmethod
    def from_settings(cls, settings) -> "Pool":
        return cls(pool_size(settings.get("NEWSARCHIVE_WORKERS")),
                   budget=settings.getfloat("NEWSARCHIVE_PAGE_CPU_SECONDS"),
                   wall=settings.getfloat("NEWSARCHIVE_PAGE_WALL_SECONDS"))

    @classmethod
    def for_crawler(cls, crawler) -> "Pool":
        """The crawl's pool, started on first use; its calls fail at once when the crawl
        stops, and it is closed when the engine stops."""
        pool = cls._by_crawler.get(crawler)
        if pool is None:
            pool = cls.from_settings(crawler.settings)
            pool.crawler = weakref.ref(crawler)
            cls._by_crawler[crawler] = pool
            crawler.signals.connect(pool.close, signal=signals.engine_stopped)
            logger.info("processing pages in %s", f"{pool.workers} worker processes"
                        if pool.workers else "the crawl process (NEWSARCHIVE_WORKERS = 0)")
        return pool

    # ------------------------------------------------------------------ workers
    def _start_worker(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, name="newsarchive-worker",
                                    args=(child, os.getpid(), self.budget), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if self._loop is not None:
            self._watch(worker)
        return worker

    def _watch(self, worker: _Worker) -> None:
        self._loop.add_reader(worker.conn.fileno(), self._readable, worker)
        self._loop.add_reader(worker.process.sentinel, self._readable, worker)

    def _unwatch(self, worker: _Worker) -> None:
        if self._loop is not None:
            for fd in (worker.conn.fileno(), worker.process.sentinel):
                try:
                    self._loop.remove_reader(fd)
                except (ValueError, OSError):
                    pass

    def _replace(self, worker: _Worker, error: PoolError | None) -> None:
        """Kill ``worker``, fail its call with ``error``, start another in its place."""
        self._unwatch(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        call, worker.call = worker.call, None
        self._workers.remove(worker)
        if call is not None and error is not None:
            self.failed[error.reason] += 1
            call[4](False, error)
        if self.closed is None:
            self._workers.append(self._start_worker())
            self._dispatch()

    def _readable(self, worker: _Worker) -> None:
        """A worker's pipe or sentinel is readable: a result, or its death."""
        if worker not in self._workers:
            return
        try:
            if worker.conn.poll():
                call_id, ok, value = worker.conn.recv()
                call, worker.call = worker.call, None
                if call is not None and call[0] == call_id:
                    self._finish(call, ok, value)
                self._dispatch()
                return
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive() or worker.conn.closed:
            elapsed = time.monotonic() - worker.started
            if worker.call is not None and self.budget and elapsed >= self.budget:
                error: PoolError = TooSlow(f"used its {self.budget:g} s of CPU (killed)")
            else:
                error = WorkerDied(f"the worker process died (exit code "
                                   f"{worker.process.exitcode})")
            if worker.call is not None:
                logger.error("a worker process died (%s); starting another", error)
            self._replace(worker, error)

    def _finish(self, call, ok: bool, value) -> None:
        if ok:
            call[4](True, value)
            return
        kind, detail = value
        if kind == "too-slow":
            self.failed["too-slow"] += 1
            call[4](False, TooSlow(detail))
        else:
            call[4](False, detail)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._pending:
                return
            if worker.call is None and worker.process.is_alive():
                call = self._pending.popleft()
                worker.call, worker.started = call, time.monotonic()
                worker.cpu_at_start = _process_cpu(worker.process.pid) if self.budget else None
                try:
                    worker.conn.send(call[:4])
                except Exception as exc:  # an argument that cannot be pickled
                    worker.call = None
                    call[4](False, exc)

    def _check_overdue(self) -> None:
        """Fail the calls past their budget that their worker could not stop itself (stuck
        in C code), and those that did not come back in time."""
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.call is None:
                continue
            if self.budget and worker.cpu_at_start is not None:
                used = _process_cpu(worker.process.pid)
                if used is not None and used - worker.cpu_at_start > self.budget + HARD_MARGIN:
                    logger.error("a page used %.0f s of CPU in its worker; starting another",
                                 used - worker.cpu_at_start)
                    self._replace(worker, TooSlow(f"used its {self.budget:g} s of CPU (killed)"))
                    continue
            if self.wall and now - worker.started > self.wall:
                logger.error("a page has not come back from its worker in %.0f s; starting "
                             "another worker", now - worker.started)
                self._replace(worker, TooSlow(f"did not come back in {self.wall:g} s"))

    # ------------------------------------------------------------------ calls
    async def run(self, func, *args, **kwargs):
        """``func(*args, **kwargs)`` in a worker; the reactor keeps running until it is done.

        ``func``: a function, or its dotted path (``"newsarchive.crawler.tasks.process"``),
        imported where the call runs, so that this process need not import it.  Exceptions
        raised by ``func`` are raised here; :class:`PoolError` subclasses say why a call
        could not run to its end."""
        self.calls += 1
        if self.closed is not None:
            raise PoolClosed(f"the pool is closed ({self.closed})")
        if not self.workers:
            return task(func)(*args, **kwargs)
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            for worker in self._workers:
                self._watch(worker)
            self._watchdog = loop.call_later(1.0, self._tick)
        future = loop.create_future()

        def done(ok, value):
            if not future.done():
                future.set_result(value) if ok else future.set_exception(value)

        self._pending.append((next(self._ids), func, args, kwargs, done))
        self._dispatch()
        return await future

    def _tick(self) -> None:
        """Every second while the crawl runs: fail overdue calls; abort when the crawl is
        stopping (SIGTERM, Ctrl-C, a close for any reason): nothing may wait for a page."""
        crawler = self.crawler() if self.crawler is not None else None
        engine = getattr(crawler, "engine", None)
        if engine is not None and (not engine.running or getattr(
                getattr(engine, "_slot", None), "closing", None) is not None):
            self.abort("the crawl is stopping")
            return
        self._check_overdue()
        if self.closed is None and self._loop is not None:
            self._watchdog = self._loop.call_later(1.0, self._tick)

    def map(self, func, items, chunksize: int = 1):
        """``func`` over ``items`` in the workers (here when inline), results in order:
        batch work outside a crawl (``reprocess``).  A call that fails yields its
        exception in its place."""
        self.calls += 1
        if not self.workers:
            yield from map(task(func), items)
            return
        results: dict[int, object] = {}
        items = iter(items)
        order: collections.deque = collections.deque()
        exhausted = False

        def submit():
            nonlocal exhausted
            try:
                item = next(items)
            except StopIteration:
                exhausted = True
                return
            call_id = next(self._ids)
            order.append(call_id)
            self._pending.append((call_id, func, (item,), {},
                                  lambda ok, value, i=call_id: results.__setitem__(i, value)))

        while True:
            while not exhausted and len(self._pending) < 2 * self.workers:
                submit()
            self._dispatch()
            while order and order[0] in results:
                yield results.pop(order.popleft())
            if exhausted and not order:
                return
            ready = wait([w.conn for w in self._workers] + [w.process.sentinel
                                                             for w in self._workers], 1.0)
            for worker in list(self._workers):
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._readable(worker)
            self._check_overdue()

    def abort(self, reason: str = "stopped") -> None:
        """Fail every call pending or running at once and stop the workers (the crawl is
        stopping: nothing waits for a page)."""
        if self.closed is not None:
            return
        self.closed = reason
        if self._watchdog is not None:
            self._watchdog.cancel()
        pending, self._pending = list(self._pending), collections.deque()
        for call in pending:
            call[4](False, PoolClosed(f"the crawl stopped ({reason})"))
        for worker in list(self._workers):
            call, worker.call = worker.call, None
            self._unwatch(worker)
            if worker.process.is_alive():
                worker.process.kill()
            if call is not None:
                call[4](False, PoolClosed(f"the crawl stopped ({reason})"))
        for worker in self._workers:
            worker.process.join(5)
            worker.conn.close()
        self._workers = []

    def close(self) -> None:
        """Stop the workers once they are idle (the end of a crawl or a reprocess)."""
        if self.closed is not None:
            return
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self._workers:
            worker.process.join(5)
        self.abort("closed")
