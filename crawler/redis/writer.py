"""``newsarchive ingest``: the one process that writes the archive of a distributed crawl.

It is a Scrapy crawl of its own, so the stages run exactly as in a single crawl (same
classes, same stats, a ``crawl_runs`` row with the counts): :class:`IngestSpider`'s
``start()`` yields the items the workers queued, and ``ITEM_PIPELINES`` is just
``NEWSARCHIVE_WRITER_STAGES`` (dedup, capture, store).

One writer per Redis: a second ``ingest`` waits until the first one's claim (a key with
the heartbeat TTL, ``NEWSARCHIVE_REDIS_WORKER_TTL``) is gone.

Exactly-once storage, the reliable-queue pattern: ``BLMOVE`` takes an item from the items
list onto the processing list; the store stage commits it to SQLite; only then ``LREM``
takes it off the processing list (an item dropped as a same-URL repeat is done too).  A
writer killed between commit and ``LREM`` finds the item on the processing list when it
starts again and puts it back in front; stored a second time, it is the same canonical URL
with the same content hash, dropped as ``same-url``.  An item whose stage failed (disk full)
stays on the processing list for the next start.
"""

from __future__ import annotations

import asyncio
import logging
import time

import scrapy
from itemadapter import ItemAdapter
from scrapy import signals

from newsarchive.archive.store import mark_seen, utcnow
from newsarchive.crawler.context import writes_of
from newsarchive.crawler.extensions import CrawlRunRecorder
from newsarchive.pipelines.stages.store import REFETCHED

from . import Keys, connect

logger = logging.getLogger(__name__)

MAX_IN_PROGRESS = 64  # items taken and not yet through the stages


class IngestSpider(scrapy.Spider):
    name = "ingest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources: dict = {}
        self.raw: dict[int, bytes] = {}  # id(item) -> its JSON on the processing list

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.redis_url = settings.get("REDIS_URL")
        spider.keys = Keys.from_settings(settings)
        spider.idle_exit = settings.getfloat("NEWSARCHIVE_REDIS_IDLE_EXIT", 60.0)
        spider.ttl = settings.getfloat("NEWSARCHIVE_REDIS_WORKER_TTL", 30.0)
        spider.server = connect(spider.redis_url)
        for signal in (signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(spider.item_done, signal=signal)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        return spider

    # ------------------------------------------------------------------ start
    async def start(self):
        import redis.asyncio as aioredis

        from newsarchive.crawler.context import archive_of
        from newsarchive.archive.ingest import seen_entries

        keys, server = self.keys, self.server
        # one writer per Redis: a second one waits (a standby), and a writer that was
        # killed holds its claim until its heartbeat expires
        if not server.set(keys.writer, "ingest", nx=True, px=int(self.ttl * 1000)):
            logger.warning("another `newsarchive ingest` writes from this Redis (or one was "
                           "killed less than %.0fs ago): waiting for it", self.ttl)
            while not server.set(keys.writer, "ingest", nx=True, px=int(self.ttl * 1000)):
                await asyncio.sleep(1.0)
        archive = archive_of(self.crawler)
        recovered = 0
        while server.lmove(keys.processing, keys.items, "RIGHT", "LEFT"):
            recovered += 1
        if recovered:
            logger.warning("%d item(s) taken by a writer that stopped before committing "
                           "them: processing them again", recovered)
        self.crawler.stats.set_value("newsarchive/redis/replayed", recovered)
        pipe = server.pipeline(transaction=False)
        shared = 0
        for url, outcome, when in seen_entries(archive.db):
            pipe.hset(keys.seen, url, f"{outcome}\t{when or ''}")
            shared += 1
        pipe.execute()
        logger.info("writer on %s: %d archived URL(s) shared with the workers",
                    self.redis_url, shared)
        client = aioredis.Redis.from_url(self.redis_url)
        idle_since = None
        last_beat = 0.0
        try:
            while True:
                now = time.monotonic()
                if now - last_beat > self.ttl / 3:
                    server.set(keys.writer, "ingest", px=int(self.ttl * 1000))
                    last_beat = now
                while len(self.raw) >= MAX_IN_PROGRESS:
                    await asyncio.sleep(0.01)
                data = await client.blmove(keys.items, keys.processing, 1, "LEFT", "RIGHT")
                if data is None:
                    if self._workers_done():
                        idle_since = idle_since or time.monotonic()
                        if self.idle_exit and time.monotonic() - idle_since >= self.idle_exit:
                            logger.info("no items and no busy worker for %.0fs: stopping",
                                        time.monotonic() - idle_since)
                            break
                    else:
                        idle_since = None
                    continue
                idle_since = None
                item = self._decode(data, archive)
                if item is not None:
                    yield item
            while self.raw:  # the last items through the stages
                await asyncio.sleep(0.05)
        finally:
            await client.aclose()
            server.delete(keys.writer)

    def _workers_done(self) -> bool:
        from .seed import cycle_idle

        return cycle_idle(self.server, self.keys)

    def _decode(self, data: bytes, archive):
        from newsarchive.pipelines.stages.queue import decode_item

        kind, value = decode_item(data)
        if kind == "judgment":
            with archive.db.atomic():
                mark_seen(archive.db, value["canonical_url"], value.get("source"),
                          value.get("outcome") or "off-topic", archive.run_id)
            writes_of(self.crawler).after_commit(
                lambda: self.server.lrem(self.keys.processing, 1, data))
            self.crawler.stats.inc_value("newsarchive/outcome/off_topic")
            self.crawler.stats.inc_value("newsarchive/reason/off-topic")
            if value.get("source"):
                self.crawler.stats.inc_value(f"newsarchive/source/{value['source']}/off_topic")
            return None
        self.raw[id(value)] = data
        return value

    # ------------------------------------------------------------------ acknowledgements
    def item_done(self, item, response=None, spider=None, **kwargs):
        data = self.raw.pop(id(item), None)
        if data is None:
            return
        adapter = ItemAdapter(item)
        pipe = self.server.pipeline(transaction=True)
        page = adapter.get("page")
        verdict = adapter.get("verdict") or {}
        if adapter.get("id") is not None and page is not None and page.canonical_url:
            outcome = "duplicate" if adapter.get("duplicate_of") else "stored"
            value = f"{outcome}\t{utcnow()}"
            # the article's URL and the links that led to it (aliases when its rel=canonical
            # is another URL), as the incremental middleware records them in url_aliases
            for url in {page.canonical_url, *_canonical(adapter.get("url"),
                                                              adapter.get("request_url"))}:
                pipe.hset(self.keys.seen, url, value)
        elif verdict.get("outcome") == "off_topic" or (
                verdict.get("outcome") == "not_article"
                and verdict.get("reason") not in REFETCHED):
            # judged and not kept: no worker fetches it again (a failed page is tried again)
            seen = page.canonical_url if page is not None and page.canonical_url else None
            for url in {seen, *_canonical(adapter.get("url"))} - {None}:
                pipe.hset(self.keys.seen, url,
                          f"{verdict['outcome'].replace('_', '-')}\t{utcnow()}")
        pipe.lrem(self.keys.processing, 1, data)
        # acknowledged once the item's rows are committed: a writer killed before its
        # batch commits leaves the item on the processing list for the next writer
        writes_of(self.crawler).after_commit(pipe.execute)

    def item_failed(self, item, response=None, spider=None, failure=None, **kwargs):
        """Left on the processing list: the next `ingest` tries it again."""
        if self.raw.pop(id(item), None) is not None:
            logger.error("item %s stays queued for the next ingest: %s",
                         ItemAdapter(item).get("url"), getattr(failure, "value", failure))
            self.crawler.stats.inc_value("newsarchive/redis/kept")


def _canonical(*urls) -> set:
    from newsarchive.pipelines.urls import canonicalize_url

    out = set()
    for url in filter(None, urls):
        try:
            out.add(canonicalize_url(url))
        except ValueError:
            pass
    return out


class IngestRunRecorder(CrawlRunRecorder):
    """The writer's ``crawl_runs`` row: what it stored; ok when it finished."""

    def judge(self, archive, reason, outcomes, per_source, spider):
        summary = ", ".join(f"{outcomes.get(o, 0)} {o.replace('_', '-')}"
                            for o in ("stored", "duplicate", "off_topic", "not_article",
                                      "failed"))
        if reason != "finished":
            return "interrupted", f"stopped ({reason}); {summary}"
        return "ok", f"ingested from Redis; {summary}"


def ingest_overrides(settings, redis_url: str, idle_exit: float | None = None) -> dict:
    stages = settings.getlist("NEWSARCHIVE_WRITER_STAGES")
    pipelines = settings.getdict("ITEM_PIPELINES")
    overrides = {
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {k: v for k, v in pipelines.items() if k in stages},
        "EXTENSIONS": {**{k: v for k, v in settings.getdict("EXTENSIONS").items()
                          if k != "newsarchive.crawler.extensions.CrawlRunRecorder"},
                       "newsarchive.crawler.redis.writer.IngestRunRecorder": 100},
        "CLOSESPIDER_TIMEOUT": 0,
        "LOGSTATS_INTERVAL": 0,
        "NEWSARCHIVE_STALL_SECONDS": 0,  # the writer waits for the workers by design
    }
    if idle_exit is not None:
        overrides["NEWSARCHIVE_REDIS_IDLE_EXIT"] = idle_exit
    return overrides


def run_ingest(redis_url: str, db_path, idle_exit: float | None = None,
               overrides: dict | None = None, log_file=None, quiet: bool = False) -> dict:
    """Write what the workers queue into ``db_path`` until they are done (``idle_exit``).

    Holds the archive's lock (no other crawl writes it meanwhile) and a Redis key (no
    other writer takes these items).  Returns the ``crawl_runs`` row of the run.
    """
    from scrapy.crawler import CrawlerProcess

    from newsarchive.archive.db import open_db
    from newsarchive.archive.runs import close_stale_runs
    from newsarchive.crawler import logs
    from newsarchive.crawler.lock import ArchiveLock
    from newsarchive.crawler.run import finished_run, project_settings

    connect(redis_url)  # fail early with a one-line reason
    settings = project_settings()
    settings = project_settings({**ingest_overrides(settings, redis_url, idle_exit),
                                 "NEWSARCHIVE_DB": str(db_path), **(overrides or {})})
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    with ArchiveLock(db_path):
        db = open_db(db_path)  # create and migrate before the writer starts
        try:
            for run_id in close_stale_runs(db):
                logger.warning("run %s had not finished (process killed); marked "
                               "interrupted", run_id)
        finally:
            db.close()
        process = CrawlerProcess(settings)
        remove_handler = logs.install(settings, log_file, quiet)
        try:
            crawler = process.create_crawler(IngestSpider)
            process.crawl(crawler)
            process.start()
        finally:
            remove_handler()
        return finished_run(crawler, db_path, "the writer")
