"""Stage 6: write the article to the archive (the only stage that writes articles)."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from archive import dedup as archive_dedup
from archive import store
from archive import warc
from archive.access import Archive

from .base import count, drop
from .dedup import recheck

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        archive = Archive.for_crawler(self.crawler)
        db = archive.db
        record = adapter.asdict()
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
                warc.link_article(db, existing["id"], record.get("capture"))  # issue 7
                if record.get("dedup"):
                    archive_dedup.reindex_article(db, existing["id"], record["dedup"])
                store.mark_seen(db, canonical, source, "stored", archive.run_id)
            adapter["id"] = existing["id"]
            count(self.stats, source, "stored", "updated")
            return item
        # a copy of an archived story is stored too (its own outlet, headline, time) with
        # duplicate_of set by the dedup stage, and counted as outcome "duplicate"
        recheck(db, record)
        adapter["duplicate_of"], adapter["dedup"] = record.get("duplicate_of"), record["dedup"]
        outcome = "duplicate" if record.get("duplicate_of") else "stored"
        reason = (record.get("dedup") or {}).get("kind") if outcome == "duplicate" else None
        with db.atomic():
            adapter["id"] = store.insert_article(db, record)
            warc.link_article(db, adapter["id"], record.get("capture"))  # issue 7
            if record.get("dedup"):
                # same transaction: never an index row without its article or vice versa
                archive_dedup.index_article(db, adapter["id"], record["dedup"])
            store.mark_seen(db, canonical, source, outcome, archive.run_id)
        count(self.stats, source, outcome, reason)
        logger.info("stored %s article %s: %s", source, adapter["id"], canonical)
        return item
