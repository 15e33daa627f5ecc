"""robots.txt as RFC 9309 says: a server error means "disallowed", not "anything goes".

Scrapy's ``RobotsTxtMiddleware`` parses whatever comes back, so a robots.txt answering
503 (an HTML error page) allows everything.  RFC 9309 section 2.3.1.4: if robots.txt is
unreachable because of server or network errors, the crawler MUST assume complete
disallow.  Here a 5xx (after Scrapy's retries) or a download error makes the whole host
disallowed for the rest of the run; a 4xx still means "no rules" (section 2.3.1.3).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler

from .faults import Refused, count_unreachable

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.unavailable: dict[str, str] = {}

    async def _parse_robots(self, response, netloc, request):
        if response.status >= 500:
            self._disallow(netloc, f"robots.txt answered {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        if isinstance(exc, IgnoreRequest):  # refused by our own guards: not the server's fault
            super()._robots_error(exc, netloc)
            return
        count_unreachable(self.crawler.stats, netloc, exc)  # named in the run's summary
        self._disallow(netloc, f"robots.txt could not be fetched ({type(exc).__name__})")

    def _disallow(self, netloc: str, why: str) -> None:
        logger.warning("%s for %s: the host is treated as disallowed for this run "
                       "(RFC 9309)", why, netloc)
        self.crawler.stats.inc_value("newsarchive/reason/robots-unavailable")
        self.unavailable[netloc] = why
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        deferred = self._parsers[netloc]
        self._parsers[netloc] = parser
        if hasattr(deferred, "callback"):
            deferred.callback(parser)

    def process_request_2(self, rp, request):
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            netloc = request.url.split("/")[2] if "//" in request.url else ""
            why = self.unavailable.get(netloc)
            raise Refused("robots", f"disallowed: {why}" if why else "forbidden by robots.txt",
                          level=logging.INFO if not why else logging.WARNING) from None
