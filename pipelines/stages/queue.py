"""Stage 300 of a distributed worker: hand the item to the writer through a Redis list.

In worker mode (``newsarchive crawl --redis URL``) this stage takes the place of the stages
that need the whole archive (``NEWSARCHIVE_WRITER_STAGES``: capture, store), which
``newsarchive ingest`` runs, one item at a time, in the order items arrive.  The page was
processed by the worker (its de-duplication fingerprint included): the writer only files
it.

Every page travels, kept or not -- its capture and its judgement with it -- so that the
writer captures and records it as a single crawl does (nothing fetched is lost).  Items
travel as JSON (:mod:`crawler.redis.serialize`; bytes such as the raw capture body as
base64), one ``RPUSH`` each, so the item is in Redis before the worker acknowledges the
request it came from.  (Older writers also read ``{"judgment": {...}}`` records.)
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.pool import PoolClosed
from newsarchive.crawler.redis import Keys, connect, serialize
from newsarchive.pipelines.page import Page

logger = logging.getLogger(__name__)


# Fields the writer's stages never read: the page's bytes (processed by now; the raw bytes
# travel in ``capture`` for the WARC) and the page's links.
NOT_SHIPPED = ("body",)


def encode_item(item) -> str:
    """An item as the JSON the writer reads (:func:`decode_item`)."""
    record = ItemAdapter(item).asdict()
    for name in NOT_SHIPPED:
        record.pop(name, None)
    # the writer makes the WARC records for its own file
    record["capture"] = {k: v for k, v in (record.get("capture") or {}).items()
                         if k != "records"}
    if record.get("page"):
        record["page"]["links"] = []
    return serialize.dumps({"item": record})


def decode_item(data):
    """``("item", ArticleItem)`` or ``("judgment", dict)`` from :func:`encode_item` /
    a judgment record."""
    record = serialize.loads(data)
    if "judgment" in record:
        return "judgment", record["judgment"]
    fields = ArticleItem.__dataclass_fields__
    values = {k: v for k, v in record["item"].items() if k in fields}
    if values.get("page") is not None:
        values["page"] = Page.from_dict(values["page"])
    return "item", ArticleItem(**values)


class ItemQueuePipeline:
    def __init__(self, crawler, server, keys: Keys):
        self.crawler = crawler
        self.stats = crawler.stats
        self.server = server
        self.keys = keys

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("REDIS_URL")
        if not url:
            raise NotConfigured("no REDIS_URL: items are stored by this process")
        return cls(crawler, connect(url), Keys.from_settings(crawler.settings))

    def process_item(self, item):
        if ItemAdapter(item).get("failure") == PoolClosed.reason:
            # this worker is stopping: the request stays in flight (AckSpiderMiddleware
            # does not acknowledge it), so it is queued again for the next worker
            self.stats.inc_value("newsarchive/redis/requeued_interrupted")
            return item
        self.server.rpush(self.keys.items, encode_item(item))
        self.stats.inc_value("newsarchive/redis/queued")
        return item
