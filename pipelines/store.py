"""Stage 6: write the article to the archive (the only stage that writes articles)."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive import store
from newsarchive.archive import captures, search
from newsarchive.archive.access import Archive

from .ahead import take
from .base import count, drop
from .dedup import recheck

logger = logging.getLogger(__name__)


def _earlier(a: str | None, b: str | None) -> bool:
    """True if ISO date ``a`` is a strictly earlier day-and-time than ``b`` (both known)."""
    if not a or not b:
        return False
    from datetime import datetime, timezone

    def parse(value):
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)

    try:
        return parse(a) < parse(b)
    except ValueError:
        return False


class StorePipeline:
    """Writes each article; the writes of up to ``NEWSARCHIVE_WRITE_BATCH`` articles (or of
    ``NEWSARCHIVE_WRITE_BATCH_SECONDS``) commit together (``archive/batch.py``), each
    article in a savepoint of its own.  A killed crawl loses at most the last uncommitted
    batch -- rows and seen_urls marks alike -- which the next run fetches again."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch = None  # archive.batch.WriteBatch, from open_spider on
        self._timer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        settings = self.crawler.settings
        size = settings.getint("NEWSARCHIVE_WRITE_BATCH", 1)
        if size <= 1:
            return  # a commit per article
        from twisted.internet import task

        from newsarchive.archive.batch import WriteBatch

        archive = Archive.for_crawler(self.crawler)
        self.batch = WriteBatch(archive.db, size,
                                settings.getfloat("NEWSARCHIVE_WRITE_BATCH_SECONDS", 0.25),
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
        archive = Archive.for_crawler(self.crawler)
        db = archive.db
        record = dict(adapter.items())  # shallow: asdict() would deep-copy page and capture
        record["crawl_run"] = archive.run_id
        canonical = record["canonical_url"]
        source = record["source"]
        existing = store.find_by_canonical(db, canonical)
        if existing is not None:
            if existing["content_hash"] == record["content_hash"]:
                raise drop(self.stats, source, "duplicate", "same-url", canonical)
            # an update: the earlier text goes to article_versions, the index follows the
            # new text, and the article stays in the story it was filed under
            record["duplicate_of"] = existing["duplicate_of"]
            with db.atomic():
                archive_dedup.save_version(db, existing)
                store.update_article(db, existing["id"], record)
                captures.link_article(db, existing["id"], record.get("capture"))  # issue 7
                if record.get("dedup"):
                    archive_dedup.reindex_article(db, existing["id"], record["dedup"])
                store.mark_seen(db, canonical, source, "stored", archive.run_id)
                self._index(db, adapter, existing["id"])
            adapter["id"] = existing["id"]
            count(self.stats, source, "stored", "updated")
            return item
        # a copy of an archived story is stored too (its own outlet, headline, time) with
        # duplicate_of set by the dedup stage, and counted as outcome "duplicate"
        recheck(db, record)
        adapter["duplicate_of"], adapter["dedup"] = record.get("duplicate_of"), record["dedup"]
        # The original of a story is its earliest published version, whatever the fetch
        # order: a copy published before the archived original takes its place.
        demote = None
        original = record.get("duplicate_of")
        if original and _earlier(record.get("published"),
                                 archive_dedup.published_of(db, original)):
            demote, record["duplicate_of"] = original, None
            adapter["duplicate_of"] = None
        outcome = "duplicate" if record.get("duplicate_of") else "stored"
        reason = (record.get("dedup") or {}).get("kind") if outcome == "duplicate" else None
        with db.atomic():
            adapter["id"] = store.insert_article(db, record)
            captures.link_article(db, adapter["id"], record.get("capture"))  # issue 7
            if record.get("dedup"):
                # same transaction: never an index row without its article or vice versa
                archive_dedup.index_article(db, adapter["id"], record["dedup"])
            store.mark_seen(db, canonical, source, outcome, archive.run_id)
            repointed = archive_dedup.promote(db, adapter["id"], demote) if demote else []
            self._index(db, adapter, adapter["id"])
        count(self.stats, source, outcome, reason)
        if demote:
            logger.info("article %s was published before article %s: it is now the "
                        "original of that story (%d rows)", adapter["id"], demote,
                        len(repointed))
            self._recount_demoted(db, demote, archive.run_id)
        logger.info("stored %s article %s: %s", source, adapter["id"], canonical)
        return item

    @staticmethod
    def _index(db, adapter, article_id: int) -> None:
        """The article's full-text index row: from the fields the analyse stage normalised
        in a worker when it did, else read back and normalised here."""
        fields = take(adapter, "search")
        if fields is not None:
            search.index_article(db, article_id, fields)
        else:
            search.index_articles(db, [article_id])

    def _recount_demoted(self, db, demoted: int, run_id) -> None:
        """The demoted original, if this run stored it, now counts as a duplicate."""
        for row in store.rows_by_id(db, [demoted]):
            if row["crawl_run"] != run_id:
                continue
            for key in ("newsarchive/outcome/{}", f"newsarchive/source/{row['source']}/{{}}"):
                self.stats.inc_value(key.format("stored"), -1)
                self.stats.inc_value(key.format("duplicate"))
            self.stats.inc_value("newsarchive/reason/earlier-copy-found")
