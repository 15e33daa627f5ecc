"""Import WARC files made elsewhere (another archiver, Common Crawl news) as articles.

``newsarchive import-warc FILE...`` runs this spider: it fetches nothing; ``start()`` reads
the files (WARC or ARC, gzipped or not) and yields an :class:`~crawler.items.ArticleItem`
for every ``response`` record with status 200 and an HTML body that
:func:`crawler.pagetype.classify` judges an article -- through the same pipelines as a
crawl, with the record's ``WARC-Date`` (the capture time) as ``fetched_at``.  The source is
the one given (``source``), else the source in the sources file that owns the URL's host;
records of no known source are counted (``import-unknown-source``) and skipped.

A record is decoded under the crawl's own cap, ``DOWNLOAD_MAXSIZE``, on its stored bytes
and on its decoded body (:func:`archive.decoding.entity_body`, streaming: a decompression
bomb costs no more memory than the cap); one over it is refused and counted (``maxsize``),
and the run, having lost a record of its input, ends ``degraded``, not ``ok``.

The capture is copied into the archive's own WARC files as it was recorded (status line,
headers and payload bytes untouched, so its payload digest is the original one), with
``via: <file>#<offset>`` in its metadata record.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import scrapy
from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator

from newsarchive.archive.decoding import BodyTooLarge, entity_body
from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.pagetype import classify
from newsarchive.crawler.sources import load_sources

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
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh, arc2warc=True)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                item = self.item_of(record)
                if item is not None:
                    # known only once the record was read
                    item.capture["via"] = f"{path.name}#{records.get_record_offset()}"
                    yield item

    def item_of(self, record):
        stats = self.crawler.stats
        http = record.http_headers
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        content_type = http.get_header("Content-Type") or ""
        status = int(http.get_statuscode() or 0)
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
        cap = self.max_size
        raw = record.raw_stream.read(cap + 1 if cap else None)
        if cap and len(raw) > cap:
            self._refuse("maxsize", source, url, f"stored body passes {cap} bytes")
            return None
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
        try:
            _, html = html_to_unicode(content_type, body)
            kind = classify(html, url)
        except Exception as exc:  # undecodable or hostile markup
            logger.warning("unreadable record %s: %r", url, exc)
            self._count("undecodable", source, "not_article")
            return None
        stats.inc_value(f"newsarchive/pages/{kind}")
        if kind != "article":
            self._count(kind, source, "not_article")
            return None
        date = record.rec_headers.get_header("WARC-Date")
        statusline = http.statusline or "200 OK"
        capture = {
            "url": url, "date": date, "status": status,
            "reason": statusline.partition(" ")[2], "protocol": http.protocol or "HTTP/1.1",
            "headers": list(http.headers), "body": raw, "raw_framing": True,
            "request": None, "kind": "import",
            "ip": record.rec_headers.get_header("WARC-IP-Address"),
        }
        return ArticleItem(url=url, source=source, html=html, fetched_at=iso_date(date),
                           request_url=url, status=status, hints={}, capture=capture)
