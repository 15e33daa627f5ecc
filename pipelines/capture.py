"""Stage 5½: keep the raw HTTP capture of every article (and every feed and sitemap) in WARC.

Two Scrapy components share one :class:`archive.warcfiles.WarcWriter` per crawl
(:meth:`Captures.for_crawler`):

* :class:`CaptureMiddleware`, a downloader middleware next to the download handler (950,
  before decompression at 590), copies what came over the wire -- status line, headers,
  body still content-encoded, the request's headers -- into ``response.meta["capture"]`` as
  a plain dict (:func:`capture_of`).  The spider puts it on the item (``ArticleItem.capture``).
  Feed and sitemap responses (callbacks ``parse_feed`` / ``parse_sitemap``) are written
  straight away: no article row points at them.
* :class:`CapturePipeline` (550, after dedup and before store) writes the item's capture
  and replaces it with the pointer (``warc_file``, ``warc_offset``, ``warc_length``,
  ``warc_digest``), which the store stage writes into the ``articles`` row in the same
  transaction as the article.  The record is flushed and fsynced before the row that
  points at it commits (before the item moves on, or, when the store commits in batches,
  before the batch does), so a committed row never points at a record that is not on disk.

Items dropped before 550 (not articles, off topic, same-URL repeats) are not archived.

:class:`WaybackUrlPipeline` (450) belongs to the back-fill: it folds a page's
rel=canonical through its source's wayback ``rewrite`` rules before dedup reads it.
"""

from __future__ import annotations

import logging
import weakref
from datetime import datetime, timezone
from http import HTTPStatus

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsarchive.archive import captures, warc, warcfiles
from newsarchive.archive.access import Archive

logger = logging.getLogger(__name__)

DIRECT_CALLBACKS = {"parse_feed": "feed", "parse_sitemap": "sitemap"}


def _text(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _header_pairs(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((_text(name), _text(value)))
    return pairs


def capture_of(request, response) -> dict:
    """What came over the wire for ``request``, as a plain dict (see
    :meth:`archive.warcfiles.WarcWriter.write`)."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    if not protocol.upper().startswith("HTTP/"):
        protocol = "HTTP/1.1"
    ip = getattr(response, "ip_address", None)
    return {
        "url": response.url,
        "date": datetime.now(timezone.utc).isoformat(),
        "status": response.status,
        "reason": reason,
        "protocol": "HTTP/2" if protocol.upper() in ("HTTP/2", "H2") else protocol,
        "headers": _header_pairs(response.headers),
        "body": response.body,
        "ip": str(ip) if ip else None,
        "request": {"method": request.method, "url": request.url,
                    "headers": _header_pairs(request.headers)},
    }


class Captures:
    """The WARC writer of one crawl (one per crawler, no global), opened on first use.

    Opening it first completes the ``.open`` files an earlier, killed run left and fixes
    the pointers that named them.  It is closed (the current file completed) when the
    spider closes.
    """

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.archive = Archive.for_crawler(crawler)
        self.db_path = self.archive.path
        self.directory = warcfiles.warc_dir(self.db_path, settings.get("NEWSARCHIVE_WARC_DIR"))
        self.prefix = warcfiles.prefix_for(self.db_path)
        self.recovered = warcfiles.recover(self.directory, self.prefix, self._move, self._name)
        fixed = captures.repair_pointers(self.archive.db, self.db_path)
        for done in self.recovered:
            logger.warning("completed WARC %s left by a killed run (%d bytes cut)",
                           done["file"], done["cut"])
        if fixed:
            logger.warning("fixed %d article pointers to WARC files", fixed)
        self.writer = warcfiles.WarcWriter(
            self.directory, self.prefix, db_path=self.db_path,
            max_bytes=settings.getint("NEWSARCHIVE_WARC_MAX_BYTES"),
            fsync=settings.getbool("NEWSARCHIVE_WARC_FSYNC"), on_rename=self._move,
            info={"operator": settings.get("BOT_NAME"), "http-header-user-agent":
                  settings.get("USER_AGENT")},
            max_body=settings.getint("DOWNLOAD_MAXSIZE") or None)
        # with batched writes, one fsync before each batch of rows commits
        self.archive.before_commit.append(self.writer.sync)

    def _name(self, path) -> str:
        return warcfiles.pointer_name(self.db_path, path)

    def _move(self, old: str, new: str | None) -> None:
        captures.move_pointers(self.archive.db, old, new)

    @classmethod
    def for_crawler(cls, crawler) -> "Captures":
        captures = cls._by_crawler.get(crawler)
        if captures is None:
            captures = cls(crawler)
            cls._by_crawler[crawler] = captures
            # spider_closed comes before engine_stopped, where the archive closes
            crawler.signals.connect(captures.close, signal=signals.spider_closed)
        return captures

    def write(self, capture: dict, encoded: dict | None = None) -> dict:
        """Write ``capture`` (``encoded``: the records :func:`archive.warc.encode` made of
        it in a worker); return its pointer."""
        sync = not self.archive.batched
        if encoded is None:
            pointer = self.writer.write(capture, sync=sync)
        else:
            pointer = self.writer.append(encoded, capture, sync=sync)
        self.crawler.stats.inc_value("newsarchive/warc/records")
        self.crawler.stats.inc_value(f"newsarchive/warc/{capture.get('kind') or 'other'}")
        return pointer

    def close(self, spider=None) -> None:
        final = self.writer.close()
        if final is not None:
            logger.info("completed WARC %s (%d captures in %d files this run)", final,
                        self.writer.records, len(self.writer.files))


def _enabled(settings) -> bool:
    return settings.getbool("NEWSARCHIVE_WARC_ENABLED", True)


class CaptureMiddleware:
    """Downloader middleware: keeps the raw capture in ``response.meta["capture"]``;
    writes feed and sitemap captures at once.

    It also asks servers for ``NEWSARCHIVE_WARC_ACCEPT_ENCODING`` (gzip, deflate) rather
    than Scrapy's "gzip, deflate, br, zstd": stock warcio cannot undo brotli (with the
    brotli package Scrapy uses) or zstd, so such a record would fail ``warcio check``
    (archive/warc.py then stores the body decoded, the exception rather than the rule).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.accept_encoding = crawler.settings.get("NEWSARCHIVE_WARC_ACCEPT_ENCODING")

    @classmethod
    def from_crawler(cls, crawler):
        if not _enabled(crawler.settings):
            raise NotConfigured("NEWSARCHIVE_WARC_ENABLED is off")
        return cls(crawler)

    def process_request(self, request, spider=None):
        asked = request.headers.get(b"Accept-Encoding")
        if self.accept_encoding and asked and (b"br" in asked or b"zstd" in asked):
            request.headers[b"Accept-Encoding"] = self.accept_encoding
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_capture") or not 200 <= response.status < 300:
            # a redirect or an error never becomes an article: nothing to carry along
            # (the redirected request would copy it in its meta)
            request.meta.pop("capture", None)
            return response
        capture = capture_of(request, response)
        kind = DIRECT_CALLBACKS.get(getattr(request.callback, "__name__", None))
        if kind:
            capture.update(kind=kind, source=request.meta.get("source"))
            try:
                Captures.for_crawler(self.crawler).write(capture)
            except OSError as exc:  # a full disk must not cost the run its feed
                logger.error("could not write the %s capture of %s: %s", kind, response.url,
                             exc)
                self.crawler.stats.inc_value("newsarchive/warc/failed")
        else:
            request.meta["capture"] = capture
        return response


class CapturePipeline:
    """Writes each item's raw capture to WARC; leaves the pointer in ``item.capture``.

    Making the records (gzip, digests) is CPU work: in a crawl with worker processes
    (``pipelines/pool.py``) a worker makes them and this stage appends them to the file."""

    def __init__(self, crawler, pool=None):
        self.crawler = crawler
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler):
        if not _enabled(crawler.settings):
            raise NotConfigured("NEWSARCHIVE_WARC_ENABLED is off")
        from .pool import Pool

        return cls(crawler, Pool.for_crawler(crawler))

    def open_spider(self, spider=None):
        Captures.for_crawler(self.crawler)  # recover a killed run's files before fetching

    def process_item(self, item):
        adapter = ItemAdapter(item)
        capture = adapter.get("capture") or {}
        if "body" not in capture:  # nothing captured, or already archived (a pointer)
            return item
        capture = {
            **capture,
            "date": adapter.get("fetched_at") or capture.get("date"),
            "source": adapter.get("source"),
            "kind": capture.get("kind") or "article",
            "hints": adapter.get("hints") or {},
            "request_url": adapter.get("request_url"),
        }
        captures = Captures.for_crawler(self.crawler)
        if self.pool is None or not self.pool.workers:
            adapter["capture"] = captures.write(capture)
            return item
        from .pool import call

        def append(encoded):
            adapter["capture"] = captures.write(capture, encoded)
            return item

        # an awaitable: the records are made in a worker, for the file they will go to
        return call(self.pool, warc.encode,
                    (capture, captures.writer.prepare(), captures.writer.max_body), append)


class WaybackUrlPipeline:
    """Folds the rel=canonical of a back-filled page (``capture.kind == "wayback"``)
    through its source's wayback ``rewrite`` rules, as the spider folded its URL, so the
    dedup stage sees one canonical URL for both forms of an article."""

    def __init__(self, rules: dict):
        self.rules = rules

    @classmethod
    def from_crawler(cls, crawler):
        from newsarchive.crawler.sources import load_sources

        path = crawler.settings.get("NEWSARCHIVE_SOURCES")
        try:
            sources = load_sources(path) if path else []
        except Exception:  # the spider reports a bad sources file
            sources = []
        return cls({s.name: s.wayback.get("rewrite") for s in sources if s.wayback})

    def process_item(self, item):
        from newsarchive.crawler.sources import rewrite_url

        adapter = ItemAdapter(item)
        if (adapter.get("capture") or {}).get("kind") != "wayback":
            return item
        rules = self.rules.get(adapter.get("source"))
        if rules and adapter.get("canonical_link"):
            adapter["canonical_link"] = rewrite_url(adapter["canonical_link"], rules)
        return item
