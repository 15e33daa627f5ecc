"""Stage 6: write the article to the archive (the only stage that writes articles)."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from archive import store
from archive.access import Archive

from .base import count, drop

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
            with db.atomic():
                store.update_article(db, existing["id"], record)
                store.mark_seen(db, canonical, source, "stored", archive.run_id)
            adapter["id"] = existing["id"]
            count(self.stats, source, "stored", "updated")
            return item
        outcome = "duplicate" if record.get("duplicate_of") else "stored"
        with db.atomic():
            adapter["id"] = store.insert_article(db, record)
            store.mark_seen(db, canonical, source, outcome, archive.run_id)
        count(self.stats, source, outcome)
        logger.info("stored %s article %s: %s", source, adapter["id"], canonical)
        return item
