"""robots.txt as RFC 9309 says, where Scrapy's ``RobotsTxtMiddleware`` does not.

* Redirects (section 2.3.1.2): followed up to five, to another host too, and the rules
  found are those of the host first asked.  Each hop goes through the downloader
  middlewares like any redirect, so the host guard applies: a hop to another source's
  host or to a public address is fetched (``robots_txt`` in the request's meta lets the
  guard allow a public host outside the sources, as ``NEWSARCHIVE_OFFSITE_REDIRECTS``
  does for pages); a hop to a private or loopback address outside the sources is not.
  Past five redirects the file counts as unavailable.
* Unavailable, a 4xx (2.3.1.3): no rules, whatever the body of the error page says.
* Unreachable (2.3.1.4): a 5xx (after Scrapy's retries), a 429, a download error, or a
  robots.txt our own guards would not fetch: the crawler MUST assume complete disallow,
  so the host is disallowed for the rest of the run (counted ``robots-unavailable``).
  Scrapy's parser would read a 503's HTML error page and allow everything, and a refused
  redirect left it with no rules at all.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from .faults import Refused, count_unreachable

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2: "at least five consecutive redirects"
UNREACHABLE_4XX = (429,)  # too many requests: the server is busy, as with a 5xx


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.unavailable: dict[str, str] = {}

    async def robot_parser(self, request):
        """The parser of the host of ``request``, fetching its robots.txt once (Scrapy's
        own, with redirects capped at five and marked for the host guard)."""
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots = Request(f"{url.scheme}://{netloc}/robots.txt",
                             priority=self.DOWNLOAD_PRIORITY, callback=NO_CALLBACK,
                             meta={"dont_obey_robotstxt": True, "robots_txt": netloc,
                                   "redirect_ttl": MAX_REDIRECTS})
            try:
                response = await self.crawler.engine.download_async(robots)
                await self._parse_robots(response, netloc, request)
            except Exception as exc:  # every outcome is decided in _robots_error
                self._robots_error(exc, netloc)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _parse_robots(self, response, netloc, request):
        status = response.status
        if status >= 500 or status in UNREACHABLE_4XX:
            self._disallow(netloc, f"robots.txt answered {status}")
            return
        if status >= 300:  # unavailable (or a redirect that could not be followed)
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
            logger.info("robots.txt of %s: more than %d redirects; no rules (RFC 9309)",
                        netloc, MAX_REDIRECTS)
            self._set_parser(netloc, b"")
            return
        if isinstance(exc, Refused):
            why = f"robots.txt could not be fetched ({exc.reason}: {exc})"
        else:
            count_unreachable(self.crawler.stats, netloc, exc)  # named in the run's summary
            why = f"robots.txt could not be fetched ({type(exc).__name__})"
        self._disallow(netloc, why)

    def _disallow(self, netloc: str, why: str) -> None:
        logger.warning("%s for %s: the host is treated as disallowed for this run "
                       "(RFC 9309)", why, netloc)
        self.crawler.stats.inc_value("newsarchive/reason/robots-unavailable")
        self.unavailable[netloc] = why
        self._set_parser(netloc, DISALLOW_ALL)

    def _set_parser(self, netloc: str, body: bytes) -> None:
        parser = build_from_crawler(self._parserimpl, self.crawler, body)
        deferred = self._parsers.get(netloc)
        self._parsers[netloc] = parser
        if isinstance(deferred, Deferred):
            deferred.callback(parser)

    def process_request_2(self, rp, request):
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            netloc = request.url.split("/")[2] if "//" in request.url else ""
            why = self.unavailable.get(netloc)
            raise Refused("robots", f"disallowed: {why}" if why else "forbidden by robots.txt",
                          level=logging.INFO if not why else logging.WARNING) from None
