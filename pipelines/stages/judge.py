"""Stage 200: what is this page?  An article to keep, or what else.

Reads the page the process stage put on the item and
:func:`~newsarchive.pipelines.judge.judge` s it against the crawl's thresholds: an
article; not an article (a listing, a live-blog shell, an empty page, too few words of
text: the reason says which); off-topic (under ``NEWSARCHIVE_TOPIC_THRESHOLD``); or failed
(the page could not be processed).  The verdict goes on the item (``item.verdict``); no
page is dropped here: every page is captured first (``capture.py``), and the store stage
(``store.py``) records every judgement and drops what is not kept.

An article's lines, on topic or not, are counted towards its source's learned boilerplate
(``archive/boilerplate.py``), which the page function then drops from that source's
pages.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from newsarchive.archive import boilerplate
from newsarchive.crawler.context import archive_of
from newsarchive.pipelines.judge import judge

logger = logging.getLogger(__name__)


class JudgePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.min_words = crawler.settings.getint("NEWSARCHIVE_MIN_WORDS")
        self.threshold = crawler.settings.getfloat("NEWSARCHIVE_TOPIC_THRESHOLD")
        self.brief_words = crawler.settings.getint("NEWSARCHIVE_BRIEF_MIN_WORDS")

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
        page = adapter.get("page")
        if page is None:
            adapter["verdict"] = {"outcome": "failed", "reason": adapter.get("failure")
                                  or "unparseable", "detail": adapter.get("failure_detail") or ""}
            return item
        verdict = judge(page, self.min_words, self.threshold, self.brief_words)
        adapter["verdict"] = {"outcome": verdict.outcome, "reason": verdict.reason,
                              "detail": verdict.detail}
        if verdict.outcome != "not_article":
            self._learn(adapter, page)
        return item

    def _learn(self, adapter, page) -> None:
        try:
            boilerplate.record_lines(archive_of(self.crawler).db, adapter["source"],
                                     page.line_keys, page.line_examples)
        except Exception:  # learning is an optimisation; never lose the article over it
            logger.warning("could not record the lines of %s", adapter["url"], exc_info=True)
