"""The worker side of a distributed crawl: acknowledgements, heartbeat, idle rule, seen URLs.

A request a worker pops sits in its in-flight hash (:mod:`crawler.redis.scheduler`) until
everything that came of it is safely in Redis: the requests its callback yielded are queued
as they are yielded, and its items have left the pipelines (pushed onto the item queue, or
dropped).  :class:`AckSpiderMiddleware` counts a response's items and removes the request
from the in-flight hash when the last one is through (one ``HDEL``).  Requests that failed
(download errors, refused by a middleware) are not acknowledged one by one: when the
worker's engine is idle nothing it took is still in progress, so its in-flight hash is
emptied then.

Every worker keeps a heartbeat key (``NEWSARCHIVE_REDIS_WORKER_TTL``) saying ``busy`` or
``idle``.  A worker whose key expired is dead: whichever worker notices first puts its
in-flight requests back in the queue.  A worker stops (reason ``finished``) only after the
queue has been empty, no in-flight request of a dead worker is left, and every other live
worker has been idle, for ``NEWSARCHIVE_REDIS_IDLE_EXIT`` seconds.
"""

from __future__ import annotations

import logging
import time
import weakref

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

from newsarchive.crawler.extensions import CrawlRunRecorder
from newsarchive.crawler.middlewares.incremental import IncrementalMiddleware
from newsarchive.crawler.pool import PoolClosed

from . import Keys, connect, worker_id
from .scheduler import TOKEN, requeue

logger = logging.getLogger(__name__)


class Worker:
    """This crawl's identity and Redis connection as a worker (one per crawler)."""

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.id = worker_id()
        self.keys = Keys.from_settings(settings)
        self.server = connect(settings.get("REDIS_URL"))
        self.inflight_key = self.keys.inflight(self.id)
        self.ttl = settings.getfloat("NEWSARCHIVE_REDIS_WORKER_TTL", 30.0)
        self.state = None
        self.pending: dict[str, int] = {}  # token -> response + its items not yet through

    @classmethod
    def for_crawler(cls, crawler) -> "Worker":
        worker = cls._by_crawler.get(crawler)
        if worker is None:
            worker = cls._by_crawler[crawler] = cls(crawler)
        return worker

    # ------------------------------------------------------------------ heartbeat
    def beat(self, state: str | None = None) -> None:
        self.state = state or self.state or "busy"
        self.server.set(self.keys.worker(self.id), self.state, px=int(self.ttl * 1000))

    def took_request(self) -> None:
        if self.state != "busy":
            self.beat("busy")

    # ------------------------------------------------------------------ acknowledgements
    def hold(self, token: str | None, n: int = 1) -> None:
        if token:
            self.pending[token] = self.pending.get(token, 0) + n

    def release(self, token: str | None) -> None:
        if not token or token not in self.pending:
            return
        self.pending[token] -= 1
        if self.pending[token] <= 0:
            del self.pending[token]
            self.server.hdel(self.inflight_key, token)
            self.crawler.stats.inc_value("newsarchive/redis/acknowledged")

    # ------------------------------------------------------------------ other workers
    def recover_dead(self) -> int:
        """Requeue the in-flight requests of workers whose heartbeat expired."""
        moved = 0
        prefix = self.keys.inflight("")
        for key in self.server.scan_iter(match=self.keys.inflight(), count=100):
            name = key.decode()[len(prefix):]
            if name == self.id or self.server.exists(self.keys.worker(name)):
                continue
            n = requeue(self.server, key, self.keys.requests)
            if n:
                logger.warning("worker %s is gone: %d request(s) it had taken are queued "
                               "again", name, n)
                moved += n
        if moved:
            self.crawler.stats.inc_value("newsarchive/redis/recovered", moved)
        return moved

    def others_busy(self) -> list[str]:
        busy = []
        prefix = self.keys.worker("")
        for key in self.server.scan_iter(match=self.keys.worker(), count=100):
            name = key.decode()[len(prefix):]
            if name != self.id and self.server.get(key) == b"busy":
                busy.append(name)
        return busy

    def dead_inflight(self) -> bool:
        prefix = self.keys.inflight("")
        for key in self.server.scan_iter(match=self.keys.inflight(), count=100):
            name = key.decode()[len(prefix):]
            if name != self.id and not self.server.exists(self.keys.worker(name)):
                return True
        return False


class WorkerExtension:
    """Heartbeat, recovery of dead workers' requests, and the idle rule of a worker."""

    def __init__(self, crawler):
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("not a worker (no REDIS_URL)")
        self.crawler = crawler
        self.worker = Worker.for_crawler(crawler)
        self.idle_exit = crawler.settings.getfloat("NEWSARCHIVE_REDIS_IDLE_EXIT", 60.0)
        self.idle_since: float | None = None
        self._loop = None
        self._poked = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        from twisted.internet import task

        worker = self.worker
        worker.beat("busy")
        worker.recover_dead()
        logger.info("worker %s on %s: %d request(s) queued", worker.id,
                    self.crawler.settings.get("REDIS_URL"),
                    worker.server.zcard(worker.keys.requests))
        self._loop = task.LoopingCall(self._heartbeat)
        self._loop.start(max(0.5, worker.ttl / 3), now=False)

    def _heartbeat(self):
        try:
            self.worker.beat()
            self.worker.recover_dead()
        except Exception as exc:  # Redis away for a moment: the next beat tries again
            logger.warning("worker heartbeat failed: %s", exc)

    def spider_idle(self, spider):
        worker = self.worker
        # nothing this worker took is still in progress: what is left in flight failed
        worker.server.delete(worker.inflight_key)
        worker.pending.clear()
        if worker.state != "idle":
            worker.beat("idle")
        recovered = worker.recover_dead()
        queued = worker.server.zcard(worker.keys.requests)
        if queued or recovered or worker.others_busy() or worker.dead_inflight():
            self.idle_since = None
            self._poke()
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if not self.idle_exit or now - self.idle_since < self.idle_exit:
            self._poke()
            raise DontCloseSpider
        logger.info("shared queue empty and every worker idle for %.0fs: stopping",
                    now - self.idle_since)

    def _poke(self):
        """Look at the queue again in a second, not at the engine's 5 s heartbeat.

        (Scrapy has no public call for this; ``engine._slot.nextcall`` is what its own
        ``engine.crawl()`` schedules.)"""
        from twisted.internet import reactor

        if self._poked is not None and self._poked.active():
            return  # one look pending is enough (the engine's heartbeat calls us too)

        def again():
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and slot.closing is None:
                slot.nextcall.schedule()

        self._poked = reactor.callLater(1.0, again)

    def spider_closed(self, spider, reason):
        worker = self.worker
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._poked is not None and self._poked.active():
            self._poked.cancel()
        try:
            if reason == "finished":
                worker.server.delete(worker.inflight_key)
            else:  # stopped mid-crawl: what it had taken goes back for the others
                n = requeue(worker.server, worker.inflight_key, worker.keys.requests)
                if n:
                    logger.info("%d request(s) in progress queued again (%s)", n, reason)
            worker.server.delete(worker.keys.worker(worker.id))
        except Exception as exc:
            logger.warning("could not sign off from Redis: %s", exc)


class AckSpiderMiddleware:
    """In worker mode: the spider's own start requests are not used (``newsarchive seed``
    queues them once for all workers), and a popped request is acknowledged once its
    response's output is in Redis."""

    def __init__(self, crawler):
        self.worker = Worker.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("not a worker (no REDIS_URL)")
        mw = cls(crawler)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(mw.item_done, signal=signal)
        return mw

    async def process_start(self, start):
        return
        yield  # an (empty) async generator

    def process_spider_output(self, response, result, spider=None):
        token = response.meta.get(TOKEN)
        self.worker.hold(token)
        try:
            for output in result:
                if not _is_request(output):
                    self.worker.hold(token)
                yield output
        finally:
            self.worker.release(token)

    async def process_spider_output_async(self, response, result, spider=None):
        token = response.meta.get(TOKEN)
        self.worker.hold(token)
        try:
            async for output in result:
                if not _is_request(output):
                    self.worker.hold(token)
                yield output
        finally:
            self.worker.release(token)

    def item_done(self, item, response=None, spider=None, **kwargs):
        meta = getattr(response, "meta", None) if response is not None else None
        if ItemAdapter(item).get("failure") == PoolClosed.reason:
            return  # never read (the worker is stopping): its request is queued again
        if meta:
            self.worker.release(meta.get(TOKEN))


def _is_request(output) -> bool:
    from scrapy import Request

    return isinstance(output, Request)


class SharedIncrementalMiddleware(IncrementalMiddleware):
    """The incremental middleware with the shared list of judged URLs: Redis, not SQLite
    (the writer adds every URL it stores; ``seed`` and ``ingest`` load the archive's)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.server = Worker.for_crawler(crawler).server
        self.key = Keys.from_settings(crawler.settings).seen

    def last_judged(self, canonical: str):
        value = self.server.hget(self.key, canonical)
        if value is None:
            return None
        outcome, _, when = value.decode().partition("\t")
        return outcome, when or None


class WorkerRunRecorder(CrawlRunRecorder):
    """The worker's own ``crawl_runs`` row (in its local database).  A worker's run is ok
    when it finished: which worker fetched which source is chance, so "a source yielded
    nothing" says nothing here; the writer's run counts what was stored."""

    def judge(self, archive, reason, outcomes, per_source, spider):
        queued = self.crawler.stats.get_value("newsarchive/redis/queued", 0)
        summary = f"{queued} item(s) queued for the writer"
        if reason != "finished":
            return "interrupted", f"stopped ({reason}); {summary}"
        return "ok", summary
