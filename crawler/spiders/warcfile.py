"""Import WARC files made elsewhere (another archiver, Common Crawl news) as articles.

``newsarchive import-warc FILE...`` runs this spider: it fetches nothing; ``start()`` reads
the files (WARC or ARC, gzipped or not) and yields an :class:`~crawler.items.ArticleItem`
for every ``response`` record with status 200 and an HTML body that
:func:`~newsarchive.pipelines.page.process_page` judges an article -- through the same stages as a
crawl, with the record's ``WARC-Date`` (the capture time) as ``fetched_at``.  The source is
the one given (``source``), else the source in the sources file that owns the URL's host;
records of no known source are counted (``import-unknown-source``) and skipped.

A record is decoded under the crawl's own cap, ``DOWNLOAD_MAXSIZE``, on its stored bytes
and on its decoded body (:func:`archive.decoding.entity_body`, streaming: a decompression
bomb costs no more memory than the cap); one over it is refused and counted (``maxsize``).
A bad record costs only itself (:func:`archive.warc.read_responses`): one that cannot be
parsed or whose gzip member is broken (``bad-warc-record``: a bad HTTP status line too),
one cut short (``truncated-warc-record``) or without a usable ``WARC-Date``
(``bad-warc-date``) is skipped and counted, and the rest of the file is imported.  A run
that lost a record of its input this way ends ``degraded``, not ``ok``.

The capture is copied into the archive's own WARC files as it was recorded (status line,
headers and payload bytes untouched, so its payload digest is the original one), with
``via: <file>#<offset>`` in its metadata record.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import scrapy

from newsarchive.archive import warc
from newsarchive.archive.decoding import BodyTooLarge, entity_body
from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.sources import load_sources
from newsarchive.pipelines.urls import encode_invisible

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


def iso_date(warc_date: str) -> str:
    """A WARC-Date as the ISO 8601 form articles use."""
    value = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return value.replace(microsecond=0).isoformat()


class WarcFileSpider(scrapy.Spider):
    name = "warcfile"

    def __init__(self, files=None, source: str | None = None, sources: str | None = None,
                 only=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(files, str):
            files = [f for f in files.split(",") if f]
        self.files = [Path(f) for f in files or ()]
        self.source = source
        self.sources_path = sources
        self.known: list = []
        # no live source is crawled: nothing for the run judge to hold to account
        self.sources: dict = {}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources_path = spider.sources_path or crawler.settings.get("NEWSARCHIVE_SOURCES")
        # the crawl's cap on a body, stored or decoded (0: none, as Scrapy reads it)
        spider.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE") or None
        if spider.sources_path and Path(spider.sources_path).exists():
            spider.known = load_sources(spider.sources_path)
        return spider

    def source_of(self, url: str) -> str | None:
        if self.source:
            return self.source
        for source in self.known:
            if source.owns(url):
                return source.name
        return None

    def _count(self, reason: str, source: str | None = None, outcome: str | None = None):
        stats = self.crawler.stats
        stats.inc_value(f"newsarchive/reason/{reason}")
        if outcome:
            stats.inc_value(f"newsarchive/outcome/{outcome}")
            if source:
                stats.inc_value(f"newsarchive/source/{source}/{outcome}")

    def _refuse(self, reason: str, source: str | None, url: str, why) -> None:
        """A record of the input that is not imported: counted, and the run told."""
        logger.warning("record %s refused (%s): %s", url, reason, why)
        stats = self.crawler.stats
        stats.inc_value(f"newsarchive/reason/{reason}")
        stats.inc_value(f"newsarchive/lost/{reason}")
        if source:
            stats.inc_value(f"newsarchive/source/{source}/refused")

    async def start(self):
        for path in self.files:
            try:
                for item in self.read_file(path):
                    yield item
            except Exception as exc:  # a broken file must not cost the others
                logger.error("cannot read %s: %s", path, exc)
                self._count("import-unreadable-file")

    def read_file(self, path: Path):
        logger.info("importing %s", path)
        for stored in warc.read_responses(path, self.max_size):
            item = self.item_of(stored, f"{path.name}#{stored.offset}")
            if item is not None:
                yield item

    def item_of(self, stored: warc.StoredResponse, via: str):
        stats = self.crawler.stats
        record = stored.record
        if record is None:  # not even its headers could be read
            self._refuse(stored.problem, None, via, stored.detail)
            return None
        http = record.http_headers
        # as written in the file: no control or invisible character kept raw
        url = encode_invisible(record.rec_headers.get_header("WARC-Target-URI") or "")
        content_type = http.get_header("Content-Type") or ""
        try:
            status = int(http.get_statuscode() or 0)
        except ValueError:
            self._refuse("bad-warc-record", self.source_of(url), url,
                         f"bad HTTP status line {http.statusline[:80]!r}")
            return None
        if status != 200 or not content_type.lower().startswith(HTML_TYPES):
            stats.inc_value("newsarchive/import/skipped_records")
            return None
        # a record read from a file stands for a response received (the run judge
        # counts those to tell a run that reached nothing)
        stats.inc_value("response_received_count")
        source = self.source_of(url)
        if source is None:
            self._count("import-unknown-source")
            return None
        if stored.problem:  # too large, broken or cut short
            self._refuse(stored.problem, source, url, stored.detail)
            return None
        date = record.rec_headers.get_header("WARC-Date")
        try:
            fetched_at = iso_date(date)
        except (AttributeError, ValueError):
            self._refuse("bad-warc-date", source, url, f"WARC-Date {date!r}")
            return None
        cap, raw = self.max_size, stored.payload
        try:
            body = entity_body(raw, http.get_header("Transfer-Encoding"),
                               http.get_header("Content-Encoding"), max_size=cap)
        except BodyTooLarge as exc:  # a decompression bomb, or just too big
            self._refuse("maxsize", source, url, exc)
            return None
        except ValueError as exc:  # a broken or unknown content coding
            logger.warning("unreadable record %s: %r", url, exc)
            self._count("undecodable", source, "not_article")
            return None
        statusline = http.statusline or "200 OK"
        capture = {
            "url": url, "date": date, "status": status,
            "reason": statusline.partition(" ")[2], "protocol": http.protocol or "HTTP/1.1",
            "headers": list(http.headers), "body": raw, "raw_framing": True,
            "request": None, "kind": "import",
            "ip": record.rec_headers.get_header("WARC-IP-Address"), "via": via,
        }
        return ArticleItem(url=url, source=source, body=body, content_type=content_type,
                           fetched_at=fetched_at, request_url=url, status=status,
                           hints={}, via="import", capture=capture)
