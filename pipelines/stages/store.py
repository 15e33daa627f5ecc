"""Stage 400: file each article in the archive (the only stage that writes articles).

:func:`archive.filing.file_article` decides, in one transaction, whether the article is
already archived under its URL (same text: dropped as ``same-url``; changed text: an
update), a copy of an archived story (stored with ``duplicate_of``, counted as outcome
``duplicate``), or new; and writes its row, capture pointer, de-duplication index and
search rows together.  The writes of up to ``NEWSARCHIVE_WRITE_BATCH`` articles (or of
``NEWSARCHIVE_WRITE_BATCH_SECONDS``) commit together (``archive/batch.py``), each article
in a savepoint of its own.  A killed crawl loses at most the last uncommitted batch --
rows and seen_urls marks alike -- which the next run fetches again.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive import store
from newsarchive.archive.batch import WriteBatch
from newsarchive.archive.filing import file_article
from newsarchive.crawler.context import archive_of
from newsarchive.pipelines import dedup

from .base import count, drop

logger = logging.getLogger(__name__)


def article_of(item) -> dict:
    """The ``articles`` columns of a processed item (an ItemAdapter)."""
    page = item["page"]
    return {
        "url": item["url"], "canonical_url": page.canonical_url, "source": item["source"],
        "title": page.title, "authors": page.authors, "published": page.published,
        "published_source": page.published_source, "language": page.language,
        "dateline": page.dateline, "text": page.text, "word_count": page.word_count,
        "places": page.places, "actors": page.actors, "events": page.events,
        "topic_score": page.topic_score, "fetched_at": item["fetched_at"],
        "credits": page.credits,
    }


def fingerprint_of(page) -> dict:
    return {"content_hash": page.content_hash, "signature": page.signature,
            "bands": page.bands, "words": page.shingled_words}


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch: WriteBatch | None = None
        self._timer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        archive = archive_of(self.crawler)
        # once per archive: articles from before the de-duplication index get their keys
        dedup_backfill(archive.db)
        settings = self.crawler.settings
        size = settings.getint("NEWSARCHIVE_WRITE_BATCH")
        if size <= 1:
            return  # a commit per article
        from twisted.internet import task  # (the reactor is running only from here on)

        self.batch = WriteBatch(archive.db, size,
                                settings.getfloat("NEWSARCHIVE_WRITE_BATCH_SECONDS"),
                                before_commit=archive.before_commit)
        archive.batched = True
        self._timer = task.LoopingCall(self._commit_if_due)
        self._timer.start(max(0.1, self.batch.max_seconds), now=False)

    def _commit_if_due(self) -> None:
        try:
            if self.batch.due():
                self.batch.commit()
        except Exception as exc:  # the next article's commit raises it where it is counted
            logger.error("could not commit the last articles: %s", exc)

    def close_spider(self, spider=None):
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.batch is not None:
            self.batch.commit()

    def process_item(self, item):
        if self.batch is None:
            return self._store(item)
        self.batch.begin()
        try:
            return self._store(item)
        finally:
            self.batch.done()

    def _store(self, item):
        adapter = ItemAdapter(item)
        archive = archive_of(self.crawler)
        page, source = adapter["page"], adapter["source"]
        capture = adapter.get("capture") or {}
        filed = file_article(archive.db, article_of(adapter), fingerprint_of(page), dedup,
                             run_id=archive.run_id,
                             capture=capture if "warc_file" in capture else None,
                             search_row=page.search)
        if filed.outcome == "same-url":
            raise drop(self.stats, source, "duplicate", "same-url", page.canonical_url)
        adapter["id"], adapter["duplicate_of"] = filed.id, filed.duplicate_of
        adapter["crawl_run"] = archive.run_id
        count(self.stats, source, filed.outcome, filed.reason)
        if filed.demoted:
            logger.info("article %s was published before article %s: it is now the "
                        "original of that story (%d rows)", filed.id, filed.demoted,
                        len(filed.repointed))
            self._recount_demoted(archive.db, filed.demoted, archive.run_id)
        elif filed.outcome == "duplicate":
            logger.info("%s duplicates article %s (%s)", page.canonical_url,
                        filed.duplicate_of, filed.reason)
        logger.info("stored %s article %s: %s", source, filed.id, page.canonical_url)
        return item

    def _recount_demoted(self, db, demoted: int, run_id) -> None:
        """The demoted original, if this run stored it, now counts as a duplicate."""
        for row in store.rows_by_id(db, [demoted]):
            if row["crawl_run"] != run_id:
                continue
            for key in ("newsarchive/outcome/{}", f"newsarchive/source/{row['source']}/{{}}"):
                self.stats.inc_value(key.format("stored"), -1)
                self.stats.inc_value(key.format("duplicate"))
            self.stats.inc_value("newsarchive/reason/earlier-copy-found")


def dedup_backfill(db, batch: int = 500) -> int:
    """Index the articles archived before the de-duplication index existed; how many."""
    done_total = 0
    while True:
        rows = archive_dedup.backfill_pending(db, batch)
        if not rows:
            return done_total
        done = []
        for article_id, text in rows:
            fp = dedup.fingerprint(text)
            done.append((article_id, fp["content_hash"],
                         {"signature": fp["signature"], "bands": fp["bands"]}))
        archive_dedup.backfill_record(db, done, rows[-1][0] + 1)
        done_total += len(rows)
        logger.info("dedup index back-filled with %d earlier articles", done_total)
