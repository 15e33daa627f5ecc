"""Stage 300: the raw HTTP capture of each page, in WARC, before its row is written.

The worker that processed the page also made its WARC records (``crawler/tasks.py``);
this stage appends them to the crawl's current WARC file (``crawler/captures.py``) and
leaves the pointer (``warc_file``, ``warc_offset``, ``warc_length``, ``warc_digest``) in
``item.capture``, which the store stage writes into the ``articles`` row in the same
transaction as the article.  The record is flushed and fsynced before the row that points
at it commits (before the item moves on, or, when the store commits in batches, before the
batch does), so a committed row never points at a record that is not on disk.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newsarchive.crawler.captures import Captures, capture_record, enabled

logger = logging.getLogger(__name__)


class CapturePipeline:
    """Writes each item's capture; leaves the pointer in ``item.capture``."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not enabled(crawler.settings):
            raise NotConfigured("NEWSARCHIVE_WARC_ENABLED is off")
        return cls(crawler)

    def open_spider(self, spider=None):
        Captures.for_crawler(self.crawler)  # recover a killed run's files before fetching

    def process_item(self, item):
        adapter = ItemAdapter(item)
        capture = adapter.get("capture") or {}
        if "body" not in capture:  # nothing captured, or already archived (a pointer)
            return item
        records = capture.pop("records", None)
        if "source" not in capture:  # not made ready by the process stage
            capture = capture_record(adapter)
        adapter["capture"] = Captures.for_crawler(self.crawler).write(capture, records)
        return item
