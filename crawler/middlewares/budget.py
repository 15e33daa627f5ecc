"""Per-source caps on what one run queues: sitemap depth, sitemaps, new URLs.

The spider trusts a source's sitemaps (trap rules apply to links found on pages only), so a
sitemap index whose every child is another index -- endless, or a few levels of fifty
thousand children each -- would queue requests without end (152,000 requests and 567 MB
in four and a half minutes).  This spider middleware sees every request the spider makes
from a response and, per source and per run, refuses:

* a sitemap deeper than ``NEWSARCHIVE_SITEMAP_MAX_DEPTH`` (the source's own sitemaps are
  depth 0, the sitemaps an index of those lists depth 1...): ``sitemap-too-deep``;
* sitemaps past ``NEWSARCHIVE_SITEMAP_MAX_COUNT``: ``sitemap-limit``;
* page requests (feed and sitemap entries, followed links) for URLs the archive has not
  judged yet, past ``NEWSARCHIVE_MAX_URLS_PER_SOURCE``: ``url-limit``.  URLs already
  archived are not counted (the incremental middleware skips them at no cost), so a large
  sitemap does not hide its new URLs behind the ones of earlier runs.

Each refusal is counted (``newsarchive/reason/<reason>`` and the source's ``refused``);
the first of each reason per source is logged as a warning.  A cap of 0 means none.
"""

from __future__ import annotations

import logging
from collections import Counter

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsarchive.archive import http_cache
from newsarchive.crawler.context import archive_of
from newsarchive.pipelines.urls import canonicalize_url

logger = logging.getLogger(__name__)


def _callback(request) -> str | None:
    return getattr(request.callback, "__name__", None)


class SourceBudgetMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.max_depth = settings.getint("NEWSARCHIVE_SITEMAP_MAX_DEPTH")
        self.max_sitemaps = settings.getint("NEWSARCHIVE_SITEMAP_MAX_COUNT")
        self.max_urls = settings.getint("NEWSARCHIVE_MAX_URLS_PER_SOURCE")
        self.sitemaps: Counter = Counter()  # per source, this run
        self.urls: Counter = Counter()
        self.warned: set = set()

    def get_processed_request(self, request, response):
        """``request``, or None when it passes one of its source's caps (counted).  The
        spider's own start requests (``response`` None) are never capped."""
        if response is None or not request.meta.get("source"):
            return request
        return request if self.allowed(response, request) else None

    def allowed(self, response, output) -> bool:
        source = output.meta["source"]
        if _callback(output) == "parse_sitemap":
            depth = response.meta.get("sitemap_depth", 0) + 1
            output.meta["sitemap_depth"] = depth
            if self.max_depth and depth > self.max_depth:
                return self.refuse(source, "sitemap-too-deep", output,
                                   f"sitemap at depth {depth} > {self.max_depth}")
            self.sitemaps[source] += 1
            if self.max_sitemaps and self.sitemaps[source] > self.max_sitemaps:
                return self.refuse(source, "sitemap-limit", output,
                                   f"more than {self.max_sitemaps} sitemaps this run")
            return True
        if _callback(output) == "parse_page" and self.max_urls and not self.judged(output):
            self.urls[source] += 1
            if self.urls[source] > self.max_urls:
                return self.refuse(source, "url-limit", output,
                                   f"more than {self.max_urls} new URLs this run")
        return True

    def judged(self, request) -> bool:
        """True if the archive has judged the request's URL already."""
        try:
            canonical = canonicalize_url(request.url)
        except ValueError:
            return False
        return http_cache.last_judged(archive_of(self.crawler).db,
                                      canonical) is not None

    def refuse(self, source: str, reason: str, request, why: str) -> bool:
        stats = self.crawler.stats
        stats.inc_value(f"newsarchive/reason/{reason}")
        stats.inc_value(f"newsarchive/source/{source}/refused")
        level = logging.DEBUG if (source, reason) in self.warned else logging.WARNING
        self.warned.add((source, reason))
        logger.log(level, "%s (source %s) %s: %s; refused (and any more like it, counted)",
                   reason, source, request.url, why)
        return False
