"""One shared archive connection per crawl, for the pipelines and extensions of that crawl.

SQLite has one writer, and every stage of a crawl runs on the reactor thread, so a single
connection per crawler is both correct and the fastest.  It is keyed by the crawler object
(no global singleton) and closed when the spider closes.
"""

from __future__ import annotations

import logging
import weakref

from scrapy import signals

from .db import open_db

logger = logging.getLogger(__name__)


class Archive:
    """The archive of one crawl: ``db`` plus the id of the crawl_runs row being written."""

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, path):
        self.path = str(path)
        self.db = open_db(path)
        self.run_id: int | None = None
        # the store commits articles in batches (archive/batch.py) when this is set, and
        # calls these first: what a batch's rows point at (WARC records) goes on disk
        # before the rows do
        self.batched = False
        self.before_commit: list = []

    @classmethod
    def for_crawler(cls, crawler) -> "Archive":
        archive = cls._by_crawler.get(crawler)
        if archive is None:
            archive = cls(crawler.settings.get("NEWSARCHIVE_DB"))
            cls._by_crawler[crawler] = archive
            # connected late (lowest priority) so every other spider_closed handler,
            # including the run recorder, still has the connection
            crawler.signals.connect(archive._close, signal=signals.engine_stopped)
        return archive

    def _close(self):
        try:
            self.db.close()
        except Exception:  # pragma: no cover - closing twice or after a crash
            logger.debug("archive already closed", exc_info=True)
