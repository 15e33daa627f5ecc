"""Stage 100: one call of the page function per page, in a worker process.

:class:`ProcessPipeline` sends the page's bytes to the crawl's worker pool
(``crawler/pool.py``), which runs :func:`~newsarchive.pipelines.page.process_page` (and
makes the WARC records of the page's capture, ``crawler/tasks.py``), and puts the
:class:`~newsarchive.pipelines.page.Page` on the item.  The links of a start page (always,
whatever it claims to be) and of a listing short of the source's ``follow_depth`` are
followed: the spider schedules them (``NewsSpider.follow``), deciding which to follow.

A page that cannot be processed is not dropped here: its failure is put on the item
(``too-slow``: it used its CPU budget; ``worker-died``: its worker died twice, the page
was tried once more in a fresh one; ``unparseable``: the page function raised;
``interrupted``: the crawl is stopping), so that it is captured and recorded like any
other page, counted failed, and fetched again by the next run.

The stages after this one only read the page: the judge (``judge.py``) says what it is,
the capture (``capture.py``) writes the WARC records, the store (``store.py``) files it.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from newsarchive.crawler.captures import Captures, capture_record
from newsarchive.crawler.captures import enabled as capture_enabled
from newsarchive.crawler.context import learned_lines, source_options
from newsarchive.crawler.pool import Pool, PoolError, WorkerDied

logger = logging.getLogger(__name__)

# the worker call of a page, named by its path: only the workers import the page function
TASK = "newsarchive.crawler.tasks.process"


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
        if "body" in (adapter.get("capture") or {}):
            adapter["capture"] = capture = capture_record(adapter)
            if self.capture:
                writer = Captures.for_crawler(self.crawler).writer
                warcinfo_id, max_body = writer.prepare(), writer.max_body
        call = dict(content_type=adapter.get("content_type"), options=options,
                    hints=adapter.get("hints"), learned=self.learned.get(source),
                    links=bool(adapter.get("follow")), min_words=self.min_words,
                    capture=capture if warcinfo_id else None, warcinfo_id=warcinfo_id,
                    max_body=max_body)
        body = adapter.get("body") or b""
        try:
            try:
                page, records = await self.pool.run(TASK, body, url, **call)
            except WorkerDied as exc:  # the worker died on it: once more, in a fresh one
                logger.warning("the worker processing %s died (%s); trying it once more",
                               url, exc)
                page, records = await self.pool.run(TASK, body, url, **call)
        except PoolError as exc:
            return self._failed(adapter, exc.reason, str(exc))
        except Exception as exc:  # hostile markup the page function could not read
            return self._failed(adapter, "unparseable", f"{type(exc).__name__}: {exc}")
        adapter["body"] = b""  # what the archive needs of it is on the page now
        adapter["page"] = page
        if records is not None:
            adapter["capture"] = {**capture, "records": records}
        for note in page.notes:
            self.stats.inc_value(f"newsarchive/reason/{note}")
        self.stats.inc_value(f"newsarchive/pages/{page.kind}")
        # a listing's links are followed; a start page's always, whatever it says it is
        if adapter.get("follow") and (page.kind == "listing" or adapter.get("via") == "start"):
            spider = self.crawler.spider
            for request in spider.follow(item, page.links):
                self.crawler.engine.crawl(request)
        return item

    def _failed(self, adapter, reason: str, detail: str):
        logger.error("could not process %s (%s): %s", adapter["url"], reason, detail[:300])
        adapter["body"] = b""
        adapter["failure"], adapter["failure_detail"] = reason, detail[:500]
        return adapter.item
