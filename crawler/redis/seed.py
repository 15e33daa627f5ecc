"""``newsarchive seed``: queue the sources' start requests for the workers."""

from __future__ import annotations

import logging
from pathlib import Path

from newsarchive.archive.db import open_readonly
from newsarchive.archive.ingest import seen_entries

from . import Keys, connect, serialize, worker_overrides

logger = logging.getLogger(__name__)


def load_seen(server, keys: Keys, db_path) -> int:
    """Copy the archive's judged URLs into the shared seen hash; how many."""
    db = open_readonly(db_path)
    n = 0
    try:
        pipe = server.pipeline(transaction=False)
        for url, outcome, when in seen_entries(db):
            pipe.hset(keys.seen, url, f"{outcome}\t{when or ''}")
            n += 1
            if n % 1000 == 0:
                pipe.execute()
        pipe.execute()
    finally:
        db.close()
    return n


def cycle_idle(server, keys: Keys) -> bool:
    """True if no crawl cycle is running: nothing queued, in flight, or being fetched."""
    if server.zcard(keys.requests):
        return False
    if any(True for _ in server.scan_iter(match=keys.inflight(), count=100)):
        return False
    return not any(server.get(k) == b"busy"
                   for k in server.scan_iter(match=keys.worker(), count=100))


def seed(sources_path, redis_url: str, only=None, db_path=None) -> dict:
    """Queue every source's feed, sitemap and start-page requests (those the spider's
    ``start()`` yields) in the shared scrapy-redis queue.

    A new cycle (nothing queued or in flight) first empties the shared duplicate filter, so
    listing pages and links fetched in the last cycle are followed again; seeding while a
    cycle runs joins it.  ``db_path``: also share the archive's judged URLs, so workers
    skip what it has.  Returns ``{"requests", "new_cycle", "seen"}``.
    """
    # deferred: start-up cost of the CLI (cli/seed.py imports this)
    from scrapy.crawler import Crawler

    # deferred: start-up cost of the CLI (cli/seed.py imports this)
    from newsarchive.crawler.run import project_settings
    # deferred: start-up cost of the CLI (cli/seed.py imports this)
    from newsarchive.crawler.spiders.news import NewsSpider

    # deferred: start-up cost of the CLI (cli/seed.py imports this)
    from .scheduler import ReliablePriorityQueue

    settings = project_settings()
    settings = project_settings({**worker_overrides(settings, redis_url),
                                 "NEWSARCHIVE_SOURCES": str(sources_path)})
    keys = Keys.from_settings(settings)
    server = connect(redis_url)
    crawler = Crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, sources=str(sources_path),
                                     only=",".join(only) if only else None)
    seen = load_seen(server, keys, db_path) if db_path and Path(db_path).exists() else 0
    new_cycle = cycle_idle(server, keys)
    if new_cycle:
        server.delete(keys.dupefilter)
    queue = ReliablePriorityQueue(server, spider, keys.requests, serializer=serialize)
    n = 0
    for request in spider.seed_requests():
        queue.push(request)
        n += 1
    logger.info("queued %d start request(s) on %s%s", n, redis_url,
                " (new cycle)" if new_cycle else "")
    return {"requests": n, "new_cycle": new_cycle, "seen": seen}
