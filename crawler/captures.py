"""The WARC writer of one crawl, and the capture of a page as it will be written.

One :class:`archive.warcfiles.WarcWriter` per crawl (:meth:`Captures.for_crawler`), shared
by the capture middleware (feeds and sitemaps, written as they arrive) and the capture stage
(pages).  Opening it first completes the ``.open`` files an earlier, killed run left and
fixes the pointers that named them.
"""

from __future__ import annotations

import logging
import weakref

from scrapy import signals

from newsarchive.archive import warcfiles
from newsarchive.archive.captures import move_pointers, repair_pointers

from .context import archive_of

logger = logging.getLogger(__name__)


def enabled(settings) -> bool:
    return settings.getbool("NEWSARCHIVE_WARC_ENABLED")


def capture_record(item) -> dict:
    """The capture of a page item (an ItemAdapter) as :func:`archive.warc.encode` takes it:
    the raw exchange the middleware kept, with the fetch time, source, hints and kind."""
    capture = item.get("capture") or {}
    return {
        **capture,
        "date": item.get("fetched_at") or capture.get("date"),
        "source": item.get("source"),
        "kind": capture.get("kind") or "article",
        "hints": item.get("hints") or {},
        "request_url": item.get("request_url"),
    }


class Captures:
    """The WARC writer of one crawl (one per crawler, no global), opened on first use.

    Opening it first completes the ``.open`` files an earlier, killed run left and fixes
    the pointers that named them.  It is closed (the current file completed) when the
    spider closes.
    """

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.archive = archive_of(crawler)
        self.db_path = self.archive.path
        self.directory = warcfiles.warc_dir(self.db_path, settings.get("NEWSARCHIVE_WARC_DIR"))
        self.prefix = warcfiles.prefix_for(self.db_path)
        self.recovered = warcfiles.recover(self.directory, self.prefix, self._move, self._name)
        fixed = repair_pointers(self.archive.db, self.db_path)
        for done in self.recovered:
            logger.warning("completed WARC %s left by a killed run (%d bytes cut)",
                           done["file"], done["cut"])
        if fixed:
            logger.warning("fixed %d article pointers to WARC files", fixed)
        self.writer = warcfiles.WarcWriter(
            self.directory, self.prefix, db_path=self.db_path,
            max_bytes=settings.getint("NEWSARCHIVE_WARC_MAX_BYTES"),
            fsync=settings.getbool("NEWSARCHIVE_WARC_FSYNC"), on_rename=self._move,
            info={"operator": settings.get("BOT_NAME"), "http-header-user-agent":
                  settings.get("USER_AGENT")},
            max_body=settings.getint("DOWNLOAD_MAXSIZE") or None)
        # with batched writes, one fsync before each batch of rows commits
        self.archive.before_commit.append(self.writer.sync)

    def _name(self, path) -> str:
        return warcfiles.pointer_name(self.db_path, path)

    def _move(self, old: str, new: str | None) -> None:
        move_pointers(self.archive.db, old, new)

    @classmethod
    def for_crawler(cls, crawler) -> "Captures":
        captures = cls._by_crawler.get(crawler)
        if captures is None:
            captures = cls(crawler)
            cls._by_crawler[crawler] = captures
            # spider_closed comes before engine_stopped, where the archive closes
            crawler.signals.connect(captures.close, signal=signals.spider_closed)
        return captures

    def write(self, capture: dict, encoded: dict | None = None) -> dict:
        """Write ``capture`` (``encoded``: the records :func:`archive.warc.encode` made of
        it in a worker); return its pointer."""
        sync = not self.archive.batched
        if encoded is None:
            pointer = self.writer.write(capture, sync=sync)
        else:
            pointer = self.writer.append(encoded, capture, sync=sync)
        self.crawler.stats.inc_value("newsarchive/warc/records")
        self.crawler.stats.inc_value(f"newsarchive/warc/{capture.get('kind') or 'other'}")
        return pointer

    def close(self, spider=None) -> None:
        final = self.writer.close()
        if final is not None:
            logger.info("completed WARC %s (%d captures in %d files this run)", final,
                        self.writer.records, len(self.writer.files))


