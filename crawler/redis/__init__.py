"""Distributed crawling on scrapy-redis (issue 9): many workers, one writer.

* Workers (``newsarchive crawl --redis URL``) run the ``news`` spider on scrapy-redis's
  scheduler: one shared request queue (a sorted set, by priority) and one shared duplicate
  filter (a set of our canonical-URL fingerprints), both in Redis and kept across restarts
  (``SCHEDULER_PERSIST``).  Their item pipelines stop after the topic filter: the
  :class:`pipelines.stages.queue.ItemQueuePipeline` pushes each item, as JSON, onto a Redis list.
* ``newsarchive seed`` pushes the sources' start requests (the spider's own
  :meth:`~crawler.spiders.news.NewsSpider.seed_requests`).
* The writer (``newsarchive ingest``) is the one process that writes the SQLite archive:
  de-duplication, WARC capture and storage run there, in the order items arrive.

What we add to scrapy-redis (:mod:`crawler.redis.scheduler`, :mod:`crawler.redis.worker`)
is small and named: JSON instead of pickle, our canonical-URL fingerprints in its
duplicate filter, an in-flight record per worker so a killed worker loses no request, and
an idle rule so a worker waits while others still work.  The scheduler is scrapy-redis's.

Keys (``NEWSARCHIVE_REDIS_PREFIX``, default ``newsarchive``)::

    <prefix>:news:requests      sorted set   scrapy-redis request queue (JSON requests)
    <prefix>:news:dupefilter    set          scrapy-redis duplicate filter (fingerprints)
    <prefix>:items              list         items waiting for the writer (JSON)
    <prefix>:items:processing   list         items the writer took and has not committed
    <prefix>:seen               hash         canonical URL -> "outcome<TAB>when" (archived)
    <prefix>:inflight:<worker>  hash         requests a worker took and has not finished
    <prefix>:worker:<worker>    string, TTL  a live worker: "busy" or "idle"
    <prefix>:writer             string, TTL  the live writer (there is only one)
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass

SPIDER = "news"


@dataclass(frozen=True)
class Keys:
    prefix: str = "newsarchive"

    @property
    def requests(self) -> str:
        return f"{self.prefix}:{SPIDER}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:{SPIDER}:dupefilter"

    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def processing(self) -> str:
        return f"{self.prefix}:items:processing"

    @property
    def seen(self) -> str:
        return f"{self.prefix}:seen"

    @property
    def writer(self) -> str:
        return f"{self.prefix}:writer"

    def inflight(self, worker: str = "*") -> str:
        return f"{self.prefix}:inflight:{worker}"

    def worker(self, worker: str = "*") -> str:
        return f"{self.prefix}:worker:{worker}"

    @classmethod
    def from_settings(cls, settings) -> "Keys":
        return cls(settings.get("NEWSARCHIVE_REDIS_PREFIX") or "newsarchive")


def worker_id() -> str:
    """A name no other worker, anywhere, has: host, pid and a random part."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def connect(url: str):
    """A (synchronous) Redis client for ``url``; raises redis.ConnectionError if down."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10,
                                  retry_on_timeout=True)
    client.ping()
    return client


def reachable(url: str) -> None:
    """Raise NewsarchiveError (one line) if the Redis at ``url`` does not answer."""
    import redis

    from newsarchive.crawler.exceptions import NewsarchiveError

    try:
        connect(url).close()
    except (redis.RedisError, ValueError) as exc:
        raise NewsarchiveError(f"Redis at {url}: {exc}") from None


def _replace(table: dict, remove, add: dict) -> dict:
    out = {k: v for k, v in table.items() if k not in set(remove)}
    out.update(add)
    return out


def worker_overrides(settings, redis_url: str, idle_exit: float | None = None) -> dict:
    """The settings that turn ``newsarchive crawl`` into a worker (``settings`` are the
    project settings, whose component tables are edited, not replaced)."""
    keys = Keys.from_settings(settings)
    writer_stages = settings.getlist("NEWSARCHIVE_WRITER_STAGES")
    overrides = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "newsarchive.crawler.redis.scheduler.Scheduler",  # scrapy-redis's, see there
        "SCHEDULER_QUEUE_CLASS": "newsarchive.crawler.redis.scheduler.ReliablePriorityQueue",
        "DUPEFILTER_CLASS": "newsarchive.crawler.redis.scheduler.CanonicalDupeFilter",
        "SCHEDULER_SERIALIZER": "newsarchive.crawler.redis.serialize",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{keys.prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{keys.prefix}:%(spider)s:dupefilter",
        "ITEM_PIPELINES": _replace(
            settings.getdict("ITEM_PIPELINES"), writer_stages,
            {"newsarchive.pipelines.stages.queue.ItemQueuePipeline": settings.getint(
                "NEWSARCHIVE_ITEM_QUEUE_ORDER")}),
        "EXTENSIONS": _replace(
            settings.getdict("EXTENSIONS"), ["newsarchive.crawler.extensions.CrawlRunRecorder"],
            {"newsarchive.crawler.redis.worker.WorkerRunRecorder": 100,
             "newsarchive.crawler.redis.worker.WorkerExtension": 200}),
        "SPIDER_MIDDLEWARES": {**settings.getdict("SPIDER_MIDDLEWARES"),
                               "newsarchive.crawler.redis.worker.AckSpiderMiddleware": 1000},
        "DOWNLOADER_MIDDLEWARES": _replace(
            settings.getdict("DOWNLOADER_MIDDLEWARES"),
            ["newsarchive.crawler.middlewares.incremental.IncrementalMiddleware"],
            {"newsarchive.crawler.redis.worker.SharedIncrementalMiddleware": 30}),
        # a 304 on one worker's validators cannot tell whether the articles of that page
        # reached the archive through the others: workers always fetch feeds in full
        "NEWSARCHIVE_CONDITIONAL_REQUESTS": False,
        # a worker waits for the queue by design (--idle-exit says how long)
        "NEWSARCHIVE_STALL_SECONDS": 0,
    }
    if idle_exit is not None:
        overrides["NEWSARCHIVE_REDIS_IDLE_EXIT"] = idle_exit
    return overrides
