"""Stage 100: one call of the page function per page, in a worker process.

:class:`ProcessPipeline` sends the page's bytes to the crawl's worker pool
(``crawler/pool.py``), which runs :func:`~newsarchive.pipelines.page.process_page` (and
makes the WARC records of the page's capture, ``crawler/tasks.py``), and puts the
:class:`~newsarchive.pipelines.page.Page` on the item.  When the page's links may be
followed (a start page, or a listing short of the source's ``follow_depth``) and it is a
listing, the spider schedules its links (``NewsSpider.follow``): the spider decides which
links to follow, from the page's kind.

The stages after this one only read the page: the judge (``judge.py``) drops what is not
an article or off-topic, the capture (``capture.py``) writes the WARC records, the store
(``store.py``) files the article.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from newsarchive.crawler import tasks
from newsarchive.crawler.captures import Captures, capture_record
from newsarchive.crawler.captures import enabled as capture_enabled
from newsarchive.crawler.context import learned_lines, source_options
from newsarchive.crawler.pool import Pool

from .base import drop

logger = logging.getLogger(__name__)


class ProcessPipeline:
    def __init__(self, crawler, pool: Pool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = pool
        self.options = source_options(crawler)
        self.learned = learned_lines(crawler)
        self.min_words = crawler.settings.getint("NEWSARCHIVE_MIN_WORDS")
        # the WARC records are made in the same worker call when this process writes them
        # (a distributed worker leaves that to the writer, `newsarchive ingest`)
        self.capture = capture_enabled(crawler.settings) and any(
            path.endswith("CapturePipeline") for path in crawler.settings.getdict("ITEM_PIPELINES"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Pool.for_crawler(crawler))

    async def process_item(self, item):
        adapter = ItemAdapter(item)
        source, url = adapter["source"], adapter["url"]
        options = self.options.get(source)
        if adapter.get("via") == "wayback" and options.get("wayback_rewrite"):
            options = {**options, "rewrite": options["wayback_rewrite"]}
        capture, warcinfo_id, max_body = None, None, None
        if self.capture and "body" in (adapter.get("capture") or {}):
            capture = adapter["capture"] = capture_record(adapter)
            writer = Captures.for_crawler(self.crawler).writer
            warcinfo_id, max_body = writer.prepare(), writer.max_body
        try:
            page, records = await self.pool.run(
                tasks.process, adapter.get("body") or b"", url,
                content_type=adapter.get("content_type"), options=options,
                hints=adapter.get("hints"), learned=self.learned.get(source),
                links=bool(adapter.get("follow")), min_words=self.min_words,
                capture=capture, warcinfo_id=warcinfo_id, max_body=max_body)
        except Exception as exc:  # hostile markup, or a worker that died on it
            logger.warning("unparseable page %s: %r", url, exc)
            raise drop(self.stats, source, "not_article", "unparseable", url) from None
        adapter["body"] = b""  # what the archive needs of it is on the page now
        adapter["page"] = page
        if records is not None:
            adapter["capture"] = {**capture, "records": records}
        for note in page.notes:
            self.stats.inc_value(f"newsarchive/reason/{note}")
        self.stats.inc_value(f"newsarchive/pages/{page.kind}")
        if adapter.get("follow") and page.kind == "listing":
            spider = self.crawler.spider
            for request in spider.follow(item, page.links):
                self.crawler.engine.crawl(request)
        return item
