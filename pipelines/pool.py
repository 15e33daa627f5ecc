"""A process pool for the CPU-heavy pure stages, fed from the reactor without blocking it.

Scrapy runs the spider and every pipeline on one thread, so a crawl whose stages parse
HTML and scan text uses one core however many the machine has.  The pure functions of the
stages (``extract``, ``clean``, ``tag``, the dedup fingerprint, the page classifier, the
WARC records' gzip) take plain data and return plain data, so they can run in other
processes::

    pool = Pool.for_crawler(crawler)          # one per crawl, shut down when it ends
    doc = await pool.run(extract, html, url, options, hints)

In a crawl, a page makes one call for the whole chain (``pipelines/analyse.py``: every
hop costs the reactor a pickle, a future and a wake-up) and a stored article one more for
its WARC records (``CapturePipeline``); the spider makes one for a page whose links it
may follow (it must know whether the page is a listing).

``run`` hands the call to a ``ProcessPoolExecutor`` through the asyncio loop Scrapy's
reactor runs on and yields to the reactor until the result is back, so downloads, the
other items and the SQLite writes go on meanwhile.  With ``NEWSARCHIVE_WORKERS = 0`` (tests,
debugging) it calls the function inline instead; the default ("auto") is one worker per
core.  Stages use :func:`call`, so their ``process_item`` returns the item itself when
inline and an awaitable of it with workers.

Workers come from the ``forkserver`` start method: a clean process that imported the
stages once (their data files, regexes, tries), forked for each worker.  Forking the
crawl process itself would copy the reactor's state and the open SQLite connection into
every worker.  A worker that dies (killed, out of memory, a crash in a C library on some
hostile page) breaks a ``ProcessPoolExecutor`` for good, so the pool is rebuilt and the
one item is reported failed; the crawl goes on.  Workers exit by themselves when the crawl
process is killed (nothing is left behind).
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
PRELOAD = ["newsarchive.pipelines.pool", "newsarchive.pipelines.analyse", "newsarchive.pipelines.extract", "newsarchive.pipelines.clean",
           "newsarchive.pipelines.tag", "newsarchive.pipelines.dedup", "newsarchive.crawler.pagetype", "newsarchive.pipelines.fulltext", "newsarchive.archive.search", "newsarchive.archive.warc"]


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
    from . import clean, tag

    tag._tries()
    clean.families()


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def call(pool: "Pool | None", func, args: tuple, done, failed=None):
    """``done(func(*args))``: at once when ``pool`` is None or inline, else in a worker.

    With workers, returns an awaitable (Scrapy awaits what ``process_item`` returns, so a
    stage's ``process_item`` stays a plain method: inline it returns the item, in a crawl
    with workers an awaitable of it).  An exception of ``func`` goes to ``failed(exc)``
    (which returns or raises) when given, else propagates."""
    if pool is None or not pool.workers:
        try:
            result = func(*args)
        except Exception as exc:
            if failed is None:
                raise
            return failed(exc)
        return done(result)

    async def later():
        try:
            result = await pool.run(func, *args)
        except Exception as exc:
            if failed is None:
                raise
            return failed(exc)
        return done(result)

    return later()


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

    async def run(self, func, *args):
        """``func(*args)`` in a worker; the reactor keeps running until it is done.

        Exceptions raised by ``func`` are raised here.  If a worker died, the pool is
        rebuilt and ``BrokenProcessPool`` raised for this call only."""
        self.calls += 1
        if self.executor is None:
            return func(*args)
        executor = self.executor
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, functools.partial(func, *args))
        except BrokenProcessPool:
            if self.executor is executor:  # the first caller to notice rebuilds it
                logger.error("a worker process died; restarting the pool")
                executor.shutdown(wait=False, cancel_futures=True)
                self._start()
            raise

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
