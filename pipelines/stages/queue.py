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

import dataclasses
import logging
import typing

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.pool import PoolClosed
from newsarchive.crawler.redis import Keys, connect, serialize
from newsarchive.pipelines.pagedata import Page

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


class MalformedEntry(ValueError):
    """Raised when an entry of the item list is neither an item nor a judgment as
    :func:`encode_item` and :meth:`ItemQueuePipeline.item_dropped` write them."""


# a field's annotation (a string: ``str | None``) -> the JSON types it may hold
JSON_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "dict": (dict,),
              "list": (list,), "bool": (bool,), "bytes": (bytes,), "None": (type(None),)}


def _type_names(annotation) -> list[str]:
    """``"str | None"`` or ``str | None`` -> ["str", "None"]."""
    if isinstance(annotation, str):
        return [name.strip() for name in annotation.split("|")]
    parts = typing.get_args(annotation) or (annotation,)
    return ["None" if part is type(None) else getattr(part, "__name__", "?") for part in parts]


def _wrong_type(value, annotation) -> bool:
    kinds = [JSON_TYPES.get(name) for name in _type_names(annotation)]
    if any(kind is None for kind in kinds):  # a type JSON cannot tell: not checked
        return False
    return not isinstance(value, tuple(t for kind in kinds for t in kind))


def decode_item(data):
    """``("item", ArticleItem)`` or ``("judgment", dict)`` from :func:`encode_item` /
    a judgment record; :class:`MalformedEntry` (saying why) for anything else."""
    try:
        record = serialize.loads(data)
    except (ValueError, TypeError) as exc:  # not UTF-8, not JSON, bad base64
        raise MalformedEntry(f"not JSON: {exc}") from None
    if not isinstance(record, dict):
        raise MalformedEntry("not a JSON object")
    if "judgment" in record:
        judgment = record["judgment"]
        if not isinstance(judgment, dict) or not isinstance(judgment.get("canonical_url"),
                                                            str):
            raise MalformedEntry("a judgment without a canonical_url")
        return "judgment", judgment
    item = record.get("item")
    if not isinstance(item, dict):
        raise MalformedEntry("neither an item nor a judgment")
    fields = ArticleItem.__dataclass_fields__
    values = {k: v for k, v in item.items() if k in fields}
    missing = [name for name, f in fields.items() if name not in values
               and f.default is f.default_factory is dataclasses.MISSING]
    wrong = [name for name, value in values.items() if _wrong_type(value, fields[name].type)]
    if missing or wrong:
        raise MalformedEntry("an item with " + "; ".join(
            part for part in (f"missing {', '.join(missing)}" if missing else "",
                              f"wrong type of {', '.join(wrong)}" if wrong else "") if part))
    if values.get("page") is not None:
        try:
            values["page"] = Page.from_dict(values["page"])
        except (TypeError, ValueError, AttributeError) as exc:
            raise MalformedEntry(f"an item whose page does not read: {exc}") from None
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
