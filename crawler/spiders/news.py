"""The one generic news spider.

``scrapy crawl news -a sources=sources.toml`` (or ``newsarchive crawl``) expands every source
into requests from its feeds, sitemaps and start pages, follows links from listing pages up to
the source's ``follow_depth``, and yields an :class:`~crawler.items.ArticleItem` for every
response that :func:`~newsarchive.pipelines.classify.classify` judges to be an article.  There is no
per-site code: what a page is, is decided from the page.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import scrapy
from scrapy.http import TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.gz import gunzip

from newsarchive.crawler import feeds
from newsarchive.crawler.exceptions import SourcesError
from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.middlewares import faults
from newsarchive.crawler.sources import load_sources
from newsarchive.pipelines.urls import canonicalize_url

logger = logging.getLogger(__name__)

# Links that never lead to articles or listings worth following.
NEVER_FOLLOW = ("/wp-admin", "/wp-login", "/login", "/register", "/cart", "/account",
                "/search", "?s=", "share=", "/feed", "/print/", "replytocom=", "/xmlrpc",
                "mailto:", "javascript:", "tel:", "whatsapp:")
IGNORED = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)
SITEMAP_MAXSIZE = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: str | None = None, only: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources_path = sources
        self.only = {n.strip() for n in only.split(",")} if only else None
        self.sources: dict = {}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources_path = spider.sources_path or crawler.settings.get("NEWSARCHIVE_SOURCES")
        sources = load_sources(spider.sources_path)
        if spider.only:
            unknown = spider.only - {s.name for s in sources}
            if unknown:
                raise SourcesError(f"unknown source(s): {', '.join(sorted(unknown))}")
            sources = [s for s in sources if s.name in spider.only]
        # an outlet that exists only in the Wayback Machine is back-filled by the
        # `wayback` spider (issue 7); nothing of it is live to crawl or judge here
        sources = [s for s in sources if s.feeds or s.sitemaps or s.start_urls]
        spider.sources = {s.name: s for s in sources}
        return spider

    # --------------------------------------------------------------------- start
    async def start(self):
        for request in self.seed_requests():
            yield request

    def seed_requests(self):
        """Every source's feed, sitemap and start-page requests: what :meth:`start`
        yields, and what ``newsarchive seed`` queues in Redis for distributed workers."""
        for source in self.sources.values():
            meta = {"source": source.name}
            for url in source.feeds:
                yield scrapy.Request(url, self.parse_feed, meta={**meta, "kind": "feed"},
                                     priority=20, dont_filter=True, errback=self.fetch_failed)
            for url in source.sitemaps:
                yield scrapy.Request(url, self.parse_sitemap, meta={**meta, "kind": "sitemap"},
                                     priority=20, dont_filter=True, errback=self.fetch_failed)
            for url in source.start_urls:
                yield scrapy.Request(url, self.parse_page, priority=10, dont_filter=True,
                                     meta={**meta, "kind": "start", "hops": 0},
                                     errback=self.fetch_failed)

    def fetch_failed(self, failure):
        """Every failed or refused request: one log line and a counted reason."""
        faults.record(self.crawler.stats, failure)

    # --------------------------------------------------------------------- feeds
    def _count(self, key: str, source: str | None = None) -> None:
        self.crawler.stats.inc_value(f"newsarchive/{key}")
        if source:
            self.crawler.stats.inc_value(f"newsarchive/source/{source}/{key.split('/')[-1]}")

    def _candidate(self, response, entry: feeds.Entry, via: str):
        source = self.sources[response.meta["source"]]
        if not source.owns(entry.url) or not source.allows(entry.url):
            self._count("reason/offsite-entry")
            return None
        hints = {"title": entry.title, "published": entry.published,
                 "published_source": via if entry.published else None,
                 "language": entry.language}
        return response.follow(
            entry.url, self.parse_page, priority=5, errback=self.fetch_failed,
            meta={"source": source.name, "kind": via, "hints": hints,
                  "hops": source.follow_depth},
        )

    def parse_feed(self, response):
        body = response.body
        kind = feeds.sniff(body)
        if kind in ("urlset", "sitemapindex"):
            yield from self.parse_sitemap(response)
            return
        entries = feeds.parse_feed(body, response.url) if kind in ("rss", "atom") else []
        if not entries:
            logger.warning("feed %s of source %s has no entries (not a feed, or empty)",
                           response.url, response.meta["source"])
            self._count("reason/empty-feed", response.meta["source"])
            return
        self.crawler.stats.inc_value("newsarchive/feed_entries", len(entries))
        for entry in entries:
            request = self._candidate(response, entry, "feed")
            if request is not None:
                yield request

    def parse_sitemap(self, response):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=min(SITEMAP_MAXSIZE, self.crawler.settings.getint(
                    "DOWNLOAD_MAXSIZE") or SITEMAP_MAXSIZE))
            except ValueError as exc:  # too big when unpacked (a gzip bomb?) or broken
                logger.warning("sitemap %s: cannot decompress (%s)", response.url, exc)
                self._count("reason/maxsize" if "max" in str(exc).lower()
                            else "reason/bad-sitemap", response.meta["source"])
                return
        kind = feeds.sniff(body)
        if kind in ("rss", "atom"):
            yield from self.parse_feed(response.replace(body=body))
            return
        entries = feeds.parse_sitemap(body, response.url) if kind else []
        if not entries:
            logger.warning("sitemap %s of source %s has no entries (not a sitemap, or empty)",
                           response.url, response.meta["source"])
            self._count("reason/empty-sitemap", response.meta["source"])
            return
        source = self.sources[response.meta["source"]]
        for entry in entries:
            if entry.kind == "sitemap":
                if source.owns(entry.url):
                    yield response.follow(entry.url, self.parse_sitemap, priority=15,
                                          meta={"source": source.name, "kind": "sitemap"},
                                          errback=self.fetch_failed)
                continue
            request = self._candidate(response, entry, "sitemap")
            if request is not None:
                yield request

    # --------------------------------------------------------------------- pages
    def parse_page(self, response):
        """The item of a fetched page.  What the page is, is decided once, by the page
        function in the process stage (``pipelines/stages/process.py``); a listing whose
        links may be followed (``hops`` short of the source's ``follow_depth``) comes back
        to :meth:`follow`."""
        if not isinstance(response, TextResponse):
            self._not_article(response, "not-html")
            return
        source = self.sources[response.meta["source"]]
        hops = response.meta.get("hops", source.follow_depth)
        yield ArticleItem(
            url=response.url,
            source=source.name,
            fetched_at=_now(),
            body=response.body,
            content_type=_header(response, b"Content-Type"),
            request_url=response.request.meta.get("redirect_urls", [response.url])[0],
            status=response.status,
            hints=response.meta.get("hints") or {},
            via=response.meta.get("kind") or "link",
            hops=hops,
            follow=hops < source.follow_depth,
            capture=response.meta.get("capture") or {},  # raw bytes for the WARC
        )

    def _not_article(self, response, reason: str) -> None:
        source = response.meta["source"]
        logger.info("not an article (%s): %s", reason, response.url)
        self.crawler.stats.inc_value("newsarchive/outcome/not_article")
        self.crawler.stats.inc_value(f"newsarchive/reason/{reason}")
        self.crawler.stats.inc_value(f"newsarchive/source/{source}/not_article")

    def follow(self, item, links):
        """Requests for the links of a listing page (``item``, a processed ArticleItem)
        that lead to its source's pages; the process stage schedules them."""
        source = self.sources.get(item.source)
        if source is None or item.hops >= source.follow_depth:
            return
        # the start pages are fetched once per run, unfiltered: a link back to one is not
        # followed (the duplicate filter never saw them)
        starts = {_canonical(u) for u in source.start_urls}
        for url in links:
            if _canonical(url) in starts:
                continue
            lowered = url.lower()
            if any(marker in lowered for marker in NEVER_FOLLOW):
                continue
            if lowered.split("?")[0].endswith(IGNORED):
                continue
            if not source.owns(url) or not source.allows(url):
                continue
            yield scrapy.Request(url, self.parse_page, priority=0, errback=self.fetch_failed,
                                 headers={"Referer": item.url},
                                 meta={"source": source.name, "kind": "link",
                                       "hops": item.hops + 1})


def _canonical(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except ValueError:
        return None


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
