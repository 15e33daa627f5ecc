"""The crawl's worker processes: CPU work off the reactor thread, on every core.

Scrapy runs the spider and every pipeline stage on one thread, so a crawl whose pages are
parsed, extracted and tagged there uses one core however many the machine has.  The page
function (``pipelines.page.process_page``) takes plain data and returns plain data, so
it runs in other processes: a page makes exactly one call (``crawler/tasks.py``: the page
function and the WARC records of its capture, bytes in, a slim result out)::

    pool = Pool.for_crawler(crawler)          # one per crawl, shut down when it ends
    result = await pool.run(tasks.process, body, url, ...)

``run`` hands the call to a ``ProcessPoolExecutor`` through the asyncio loop Scrapy's
reactor runs on and yields to the reactor until the result is back, so downloads, the
other items and the SQLite writes go on meanwhile.  With ``NEWSARCHIVE_WORKERS = 0``
(tests, debugging) it calls the function inline instead; the default ("auto") is one
worker per core.  ``reprocess`` uses the same pool outside a crawl (:meth:`Pool.map`).

Workers come from the ``forkserver`` start method: a clean process that imported the
page function once (its data files, regexes, tries), forked for each worker.  Forking the
crawl process itself would copy the reactor's state and the open SQLite connection into
every worker.  A worker that dies (killed, out of memory, a crash in a C library on some
hostile page) breaks a ``ProcessPoolExecutor`` for good, so the pool is rebuilt and the
one call fails; the crawl goes on.  Workers exit by themselves when the crawl process is
killed (nothing is left behind).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals

logger = logging.getLogger(__name__)

# imported once by the forkserver, before it forks the workers
PRELOAD = ["newsarchive.crawler.pool", "newsarchive.crawler.tasks"]


def pool_size(value=None) -> int:
    """Workers for a ``NEWSARCHIVE_WORKERS`` value: "auto" (the project default) = one per
    usable core; 0 = inline.  Unset (None: a crawler built without the project's settings,
    as unit tests build them) = inline too."""
    if value is None:
        return 0
    if str(value).strip().lower() in ("", "auto"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not Linux
            return max(1, os.cpu_count() or 1)
    return max(0, int(value))


def _init_worker(crawl_pid: int | None = None) -> None:
    """Runs once in every worker: ignore Ctrl-C (the crawl process handles it and shuts
    the pool down), exit with the crawl process, load the stages' data."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if crawl_pid:
        _exit_with(crawl_pid)
    warm_up()


def _exit_with(pid: int) -> None:
    """Exit when process ``pid`` is gone.  A killed crawl cannot shut its pool down, and
    a ProcessPoolExecutor worker holds its own queue's pipe open, so it would wait for
    work forever (keeping the forkserver alive too: it lives while any child does)."""

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


def warm_up() -> None:
    """Load what the page function reads from data files (the gazetteer's tries, the
    boilerplate phrases) once, in the process that forks the workers."""
    from newsarchive.pipelines import phrases, tag

    tag._tries()
    phrases.families()


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class Pool:
    """The worker processes of one crawl (or inline calls when ``workers`` is 0)."""

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.calls = 0
        if workers:
            self._start()
        else:
            warm_up()

    def _start(self) -> None:
        self.executor = ProcessPoolExecutor(self.workers, mp_context=_context(),
                                            initializer=_init_worker, initargs=(os.getpid(),))

    @classmethod
    def from_settings(cls, settings) -> "Pool":
        return cls(pool_size(settings.get("NEWSARCHIVE_WORKERS")))

    @classmethod
    def for_crawler(cls, crawler) -> "Pool":
        """The crawl's pool, started on first use and shut down when the engine stops."""
        pool = cls._by_crawler.get(crawler)
        if pool is None:
            pool = cls.from_settings(crawler.settings)
            cls._by_crawler[crawler] = pool
            crawler.signals.connect(pool.close, signal=signals.engine_stopped)
            logger.info("processing pages in %s", f"{pool.workers} worker processes"
                        if pool.workers else "the crawl process (NEWSARCHIVE_WORKERS = 0)")
        return pool

    async def run(self, func, *args, **kwargs):
        """``func(*args, **kwargs)`` in a worker; the reactor keeps running until it is done.

        Exceptions raised by ``func`` are raised here.  If a worker died, the pool is
        rebuilt and ``BrokenProcessPool`` raised for this call only."""
        self.calls += 1
        if self.executor is None:
            return func(*args, **kwargs)
        executor = self.executor
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, functools.partial(func, *args, **kwargs))
        except BrokenProcessPool:
            if self.executor is executor:  # the first caller to notice rebuilds it
                logger.error("a worker process died; restarting the pool")
                executor.shutdown(wait=False, cancel_futures=True)
                self._start()
            raise

    def map(self, func, items, chunksize: int = 1):
        """``func`` over ``items`` in the workers (here when inline), results in order:
        batch work outside a crawl (``reprocess``)."""
        self.calls += 1
        if self.executor is None:
            return map(func, items)
        return self.executor.map(func, items, chunksize=chunksize)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
