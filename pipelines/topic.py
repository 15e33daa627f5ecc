"""Stage 4: keep only Syria-conflict articles.

Items scoring below ``NEWSARCHIVE_TOPIC_THRESHOLD`` (see ``pipelines/tag.py`` for how the
score is made) are counted as off-topic and remembered in ``seen_urls`` so later runs do not
fetch them again; they are not stored.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from newsarchive.archive.access import Archive
from newsarchive.archive.store import mark_seen

from .base import drop

logger = logging.getLogger(__name__)


class TopicFilterPipeline:
    def __init__(self, crawler, threshold: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_TOPIC_THRESHOLD"))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        score = adapter.get("topic_score") or 0.0
        if score >= self.threshold:
            return item
        archive = Archive.for_crawler(self.crawler)
        from newsarchive.crawler.urls import canonicalize_url

        canonical = canonicalize_url(adapter["url"], adapter.get("canonical_link"))
        with archive.db.atomic():
            mark_seen(archive.db, canonical, adapter["source"], "off-topic", archive.run_id)
        raise drop(self.stats, adapter["source"], "off_topic", "off-topic",
                   f"score {score:.2f} < {self.threshold} for {adapter['url']}")
