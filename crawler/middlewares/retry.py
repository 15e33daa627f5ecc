"""Retries that respect the server: ``Retry-After`` within a cap, backoff on 429.

A 429 or 503 with ``Retry-After`` (seconds or an HTTP date) is retried after that long if
it is at most ``NEWSARCHIVE_RETRY_AFTER_MAX`` seconds; a longer wait is not honoured by
waiting, the request is given up (reason ``retry-after``) and the next run tries again.
A 429 without ``Retry-After`` waits ``NEWSARCHIVE_RETRY_BACKOFF * 2**n`` seconds before the
n-th retry (capped the same way).  Other retriable codes and errors retry at once, as in
Scrapy.  The wait holds one request, never the reactor, and ends early when the crawl
is stopped (SIGTERM), so a shutdown never waits for a server's Retry-After.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

from .faults import Refused

logger = logging.getLogger(__name__)


def retry_after(value: bytes | str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for, or None if absent or unreadable."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSARCHIVE_RETRY_AFTER_MAX")
        self.backoff = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF")

    async def _wait(self, seconds: float) -> bool:
        """Sleep ``seconds``; False as soon as the crawl is asked to stop (SIGTERM)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        while (left := until - loop.time()) > 0:
            engine = self.crawler.engine
            if engine is None or not engine.running:
                return False
            await asyncio.sleep(min(left, 0.25))
        return True

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after(response.headers.get("Retry-After"))
        tries = request.meta.get("retry_times", 0)
        if asked is None and response.status == 429:
            asked = self.backoff * 2 ** tries
        if asked is not None:
            if asked > self.max_wait:
                raise Refused("retry-after", f"HTTP {response.status}: server asks to retry "
                              f"after {asked:.0f}s, more than the {self.max_wait:.0f}s cap; "
                              f"left for the next run")
            retry = self._retry(request, response_status_message(response.status))
            if retry is None:
                return response
            logger.info("HTTP %s for %s: retrying in %.1fs", response.status, request.url,
                        asked)
            if not await self._wait(asked):
                raise Refused("retry-after", f"HTTP {response.status}: the crawl is stopping; "
                              f"left for the next run")
            return retry
        return self._retry(request, response_status_message(response.status)) or response
