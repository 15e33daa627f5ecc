"""Back-fill outlets that no longer exist from the Wayback Machine.

``newsarchive backfill`` (or ``scrapy crawl wayback -a sources=sources.toml``) takes every
source with a ``[source.wayback]`` table (keys in :mod:`crawler.sources`), lists its
captures through the CDX API::

    <NEWSARCHIVE_WAYBACK_CDX>?url=aranews.net&matchType=domain&from=2012&to=2019
        &filter=statuscode:200&filter=mimetype:text/html&collapse=urlkey&output=json
        &fl=timestamp,original,mimetype,statuscode,digest&showResumeKey=true&limit=N

following the resume key page after page, and fetches each capture raw with the ``id_``
form (``<NEWSARCHIVE_WAYBACK_BASE><timestamp>id_/<original url>``: the page as archived,
without the replay toolbar or rewritten links).  Original URLs are folded through the
source's ``rewrite`` rules (``/files/2016/03/x/`` -> ``/2016/03/x/``), checked against its
``allow``/``deny`` and fetched once per run; those already in the archive are skipped.

The listing is not trusted blindly: a row whose original URL is not within what was
asked of the CDX API (another host, a look-alike: ``wayback-offsite``), on a private or
loopback address (``private-address``), or that is malformed (a garbage timestamp, not a
row: ``bad-cdx-row``) is skipped and counted, and the rest of the page goes on; a run that
had to skip malformed rows ends ``degraded``.

An archived article goes through the same pipelines as a crawled one, under the outlet's
name, with its ORIGINAL URL and the capture time as ``fetched_at``; its WARC record has
the original URL as target and the capture time as date (the Wayback URL is in the
metadata record).  The archive is asked politely: its own delay and concurrency
(``NEWSARCHIVE_WAYBACK_DELAY`` / ``_CONCURRENCY``), and the hosts of the CDX and replay
endpoints are declared hosts of the source, so the host guard lets the requests through.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import TextResponse

from newsarchive.archive.store import seen_outcome
from newsarchive.crawler.context import archive_of
from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.middlewares import faults
from newsarchive.crawler.middlewares.guard import is_public, literal_ip
from newsarchive.crawler.sources import load_sources, rewrite_url
from newsarchive.pipelines.urls import canonicalize_url, encode_invisible

logger = logging.getLogger(__name__)

CDX_FIELDS = "timestamp,original,mimetype,statuscode,digest"
TIMESTAMP = re.compile(r"\d{4,14}")
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def capture_time(timestamp: str) -> str:
    """A CDX timestamp (``20160302101500``, possibly shorter) as ISO 8601 UTC."""
    digits = (timestamp + "00000101000000"[len(timestamp):])[:14]
    when = datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    return when.isoformat()


def parse_cdx(text: str) -> tuple[list[dict], str | None]:
    """Rows (dicts by the header row) and the resume key of one CDX JSON page."""
    data = json.loads(text or "[]")
    if not data:
        return [], None
    header, rows, resume = data[0], [], None
    rest = data[1:]
    for i, row in enumerate(rest):
        if not row:  # an empty row, then [resume key]
            if i + 1 < len(rest) and isinstance(rest[i + 1], list) and rest[i + 1]:
                resume = rest[i + 1][0]
            break
        # a row that is not a list is kept as None: the spider counts it
        rows.append(dict(zip(header, row)) if isinstance(row, list) else None)
    return rows, resume


def listed_host(wayback: dict) -> str:
    """The host (or domain) a source's ``wayback`` table asks the CDX API for."""
    url = wayback["url"].split("://", 1)[-1]
    return url.split("/", 1)[0].split(":", 1)[0].lower().removeprefix("www.")


def within_listing(original: str, wayback: dict) -> bool:
    """True if ``original`` (a CDX row's URL) is within what the source's ``wayback``
    table asked for: its domain (and subdomains), its host or its URL prefix."""
    host = (urlsplit(original).hostname or "").lower().rstrip(".").removeprefix("www.")
    listed = listed_host(wayback)
    match = wayback.get("match", "domain")
    if match == "domain":
        return host == listed or host.endswith("." + listed)
    if host != listed:
        return False
    if match == "host":
        return True
    tail = original.split("://", 1)[-1].removeprefix("www.")
    prefix = wayback["url"].split("://", 1)[-1].removeprefix("www.")
    return tail == prefix if match == "exact" else tail.startswith(prefix)


def local_address(url: str) -> bool:
    """True for a URL on a private, loopback or otherwise non-public address."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    address = literal_ip(host)
    if address is not None:
        return not is_public(address)
    return host in LOCAL_NAMES or host.endswith(".localhost")


class WaybackSpider(scrapy.Spider):
    name = "wayback"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # polite to the archive: its own pace (a command-line setting still wins)
        settings.set("DOWNLOAD_DELAY", settings.getfloat("NEWSARCHIVE_WAYBACK_DELAY"),
                     priority="spider")
        concurrency = settings.getint("NEWSARCHIVE_WAYBACK_CONCURRENCY")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", concurrency, priority="spider")
        settings.set("CONCURRENT_REQUESTS", concurrency, priority="spider")

    def __init__(self, sources: str | None = None, only: str | None = None,
                 from_: str | None = None, to: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources_path = sources
        self.only = {n.strip() for n in only.split(",")} if only else None
        self.from_ = from_
        self.to = to
        self.sources: dict = {}
        self.queued: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.sources_path = spider.sources_path or settings.get("NEWSARCHIVE_SOURCES")
        spider.cdx = settings.get("NEWSARCHIVE_WAYBACK_CDX")
        spider.base = settings.get("NEWSARCHIVE_WAYBACK_BASE").rstrip("/") + "/"
        spider.page_size = settings.getint("NEWSARCHIVE_WAYBACK_PAGE_SIZE")
        archive_hosts = tuple({urlsplit(spider.cdx).netloc.lower(),
                               urlsplit(spider.base).netloc.lower()})
        sources = [s for s in load_sources(spider.sources_path) if s.wayback]
        if spider.only:
            sources = [s for s in sources if s.name in spider.only]
        if not sources:
            logger.warning("no source to back-fill: none has a [source.wayback] table%s",
                           f" among {', '.join(sorted(spider.only))}" if spider.only else "")
        # the archive's hosts belong to every back-filled source (for the host guard)
        spider.sources = {s.name: dataclasses.replace(s, hosts=(*s.hosts, *archive_hosts))
                          for s in sources}
        return spider

    # ------------------------------------------------------------------ listing
    def cdx_request(self, source, resume_key: str | None = None) -> scrapy.Request:
        wb = source.wayback
        params = [("url", wb["url"]), ("matchType", wb.get("match", "domain"))]
        start, end = self.from_ or wb.get("from"), self.to or wb.get("to")
        if start:
            params.append(("from", start))
        if end:
            params.append(("to", end))
        params += [("filter", "statuscode:200"), ("filter", "mimetype:text/html"),
                   ("collapse", "urlkey"), ("output", "json"), ("fl", CDX_FIELDS),
                   ("showResumeKey", "true"), ("limit", str(wb.get("limit") or self.page_size))]
        if resume_key:
            params.append(("resumeKey", resume_key))
        return scrapy.Request(f"{self.cdx}?{urlencode(params)}", self.parse_cdx,
                              errback=self.fetch_failed, dont_filter=True, priority=10,
                              meta={"source": source.name, "kind": "cdx",
                                    "dont_capture": True})

    async def start(self):
        for source in self.sources.values():
            yield self.cdx_request(source)

    def fetch_failed(self, failure):
        faults.record(self.crawler.stats, failure)

    def parse_cdx(self, response):
        source = self.sources[response.meta["source"]]
        try:
            rows, resume = parse_cdx(response.text)
        except (ValueError, TypeError, IndexError) as exc:
            logger.warning("CDX answer for %s is not CDX JSON: %s", source.name, exc)
            self.crawler.stats.inc_value("newsarchive/reason/bad-cdx")
            return
        self.crawler.stats.inc_value("newsarchive/wayback/cdx_pages")
        self.crawler.stats.inc_value("newsarchive/wayback/cdx_rows", len(rows))
        for row in rows:
            try:
                request = self.capture_request(source, row)
            except (TypeError, ValueError, AttributeError) as exc:  # a malformed row
                self._bad_row(source, row, exc)
                continue
            if request is not None:
                yield request
        if resume:
            yield self.cdx_request(source, resume)

    def _bad_row(self, source, row, why) -> None:
        logger.warning("CDX row of %s skipped (%s): %.200r", source.name, why, row)
        stats = self.crawler.stats
        stats.inc_value("newsarchive/reason/bad-cdx-row")
        stats.inc_value("newsarchive/lost/bad-cdx-row")  # the run does not say ok

    def _refuse(self, source, reason: str, original: str) -> None:
        logger.warning("CDX row of %s refused (%s): %s", source.name, reason, original[:200])
        self.crawler.stats.inc_value(f"newsarchive/reason/{reason}")
        self.crawler.stats.inc_value(f"newsarchive/source/{source.name}/refused")

    def capture_request(self, source, row: dict):
        if not isinstance(row, dict):
            raise TypeError("not a row")
        timestamp, original = row.get("timestamp"), row.get("original")
        if not timestamp or not original or str(row.get("statuscode", "200")) != "200":
            return None
        if not isinstance(timestamp, str) or not TIMESTAMP.fullmatch(timestamp) \
                or not isinstance(original, str):
            raise ValueError("not a CDX timestamp and URL")
        captured = capture_time(timestamp)  # ValueError for a date that does not exist
        original = encode_invisible(original.strip())
        if local_address(original):
            self._refuse(source, "private-address", original)
            return None
        if not within_listing(original, source.wayback):
            self._refuse(source, "wayback-offsite", original)
            return None
        url = rewrite_url(original, source.wayback.get("rewrite"))
        if not source.allows(url):
            self.crawler.stats.inc_value("newsarchive/reason/wayback-not-allowed")
            return None
        if url in self.queued:  # another alias or capture of the same article
            self.crawler.stats.inc_value("newsarchive/reason/wayback-alias")
            return None
        self.queued.add(url)
        if self._archived(url):
            self.crawler.stats.inc_value("newsarchive/reason/already-seen")
            self.crawler.stats.inc_value(f"newsarchive/source/{source.name}/already_seen")
            return None
        return scrapy.Request(
            f"{self.base}{timestamp}id_/{original}", self.parse_capture,
            errback=self.fetch_failed,
            meta={"source": source.name, "kind": "wayback", "original": url,
                  "captured": captured})

    def _archived(self, url: str) -> bool:
        db = archive_of(self.crawler).db
        return seen_outcome(db, canonicalize_url(url)) in ("stored", "duplicate")

    # ------------------------------------------------------------------ captures
    def parse_capture(self, response):
        source = self.sources[response.meta["source"]]
        original = response.meta["original"]
        if not isinstance(response, TextResponse):
            return self._not_article(source, "not-html", original)
        capture = dict(response.meta.get("capture") or {})
        if capture:
            # archived under the original URL and capture time; the request was not for
            # that URL, so none is recorded; the replay URL goes into the metadata record
            capture.update(url=original, request=None, kind="wayback", via=response.url)
        content_type = response.headers.get(b"Content-Type")
        return ArticleItem(url=original, source=source.name, body=response.body,
                           content_type=content_type.decode("latin-1") if content_type else None,
                           fetched_at=response.meta["captured"], request_url=response.url,
                           status=response.status, hints={}, via="wayback", capture=capture)

    def _not_article(self, source, reason: str, url: str) -> None:
        logger.info("not an article (%s): %s", reason, url)
        self.crawler.stats.inc_value("newsarchive/outcome/not_article")
        self.crawler.stats.inc_value(f"newsarchive/reason/{reason}")
        self.crawler.stats.inc_value(f"newsarchive/source/{source.name}/not_article")
