"""Stage 200: keep the articles, count everything else by what it is.

Reads the page the process stage put on the item and :func:`~newsarchive.pipelines.judge.judge`
s it: a page that is not an article (a listing, a live-blog shell, an empty page, too few
words of text) is dropped as ``not_article`` with what it is as the reason; a listing
whose links were followed did its job and is dropped uncounted.  An article's lines are
counted towards its source's learned boilerplate (``archive/boilerplate.py``) whatever
its topic.  An article scoring under ``NEWSARCHIVE_TOPIC_THRESHOLD`` is dropped as
``off_topic`` and remembered in ``seen_urls``, so later runs do not fetch it again.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newsarchive.archive import boilerplate
from newsarchive.archive.store import mark_seen
from newsarchive.crawler.context import archive_of
from newsarchive.pipelines.judge import judge

from .base import drop

logger = logging.getLogger(__name__)


class JudgePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_words = crawler.settings.getint("NEWSARCHIVE_MIN_WORDS")
        self.threshold = crawler.settings.getfloat("NEWSARCHIVE_TOPIC_THRESHOLD")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def close_spider(self, spider=None):
        try:
            forgotten = boilerplate.forget_rare_lines(archive_of(self.crawler).db)
            logger.debug("forgot %d one-off lines", forgotten)
        except Exception:  # housekeeping only
            logger.warning("could not forget one-off boilerplate lines", exc_info=True)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        page, source, url = adapter["page"], adapter["source"], adapter["url"]
        verdict = judge(page, self.min_words, self.threshold)
        if verdict.outcome == "not_article":
            if page.kind == "listing" and adapter.get("follow"):
                raise DropItem(f"listing: links followed from {url}")
            logger.info("not an article (%s): %s", verdict.reason, url)
            raise drop(self.stats, source, "not_article", verdict.reason,
                       f"{verdict.detail} on {url}")
        self._learn(adapter, page)
        if verdict.outcome == "off_topic":
            archive = archive_of(self.crawler)
            with archive.db.atomic():
                mark_seen(archive.db, page.canonical_url, source, "off-topic", archive.run_id)
            raise drop(self.stats, source, "off_topic", verdict.reason,
                       f"{verdict.detail} for {url}")
        return item

    def _learn(self, adapter, page) -> None:
        try:
            boilerplate.record_lines(archive_of(self.crawler).db, adapter["source"],
                                     page.line_keys, page.line_examples)
        except Exception:  # learning is an optimisation; never lose the article over it
            logger.warning("could not record the lines of %s", adapter["url"], exc_info=True)
