"""Turning a failed request into one log line and a counted reason.

Every download failure reaches the spider's errback (the spider sets one on all its
requests) and goes through :func:`record`: one log line, ``newsarchive/reason/<reason>``
and a per-source count, and for an article (not a feed, sitemap or start page) an
outcome: ``failed`` if it could not be fetched, ``not_article`` if what came back is no
HTML page.  Failed articles are not marked seen, so the next run tries them again.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

logger = logging.getLogger(__name__)

# reasons that are a judgment of the page, not a failure to get it
NOT_ARTICLE = frozenset({"not-html", "empty-body", "binary"})
# reasons that are no fault at all: counted per source under these names
ROUTINE = {"already-seen": "already_seen", "not-modified": "not_modified"}
# reasons for which the crawler decided not to fetch: counted per source as "refused"
REFUSED = frozenset({"robots", "offsite", "private-address", "scheme", "trap", "retry-after"})


class Refused(IgnoreRequest):
    """Raised by a newsarchive middleware to refuse a request or reject a response.

    ``reason`` is the counted reason (``crawl_runs.reasons``); the message says why.
    """

    def __init__(self, reason: str, message: str, level: int = logging.WARNING):
        super().__init__(message)
        self.reason = reason
        self.level = level


def is_article_candidate(request) -> bool:
    """True for a request that may lead to an article (not a feed, sitemap or start page)."""
    name = getattr(request.callback, "__name__", None)
    return name == "parse_page" and request.meta.get("kind") != "start"


def _exception_reason(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc)
    if isinstance(exc, HttpError):
        return f"http-{exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in text:
            return "robots"
        if "max redirections" in text:
            return "redirects"
        if "max size" in text.lower() or "DOWNLOAD_MAXSIZE" in text:
            return "maxsize"
        return "ignored"
    if "larger than download max size" in text or "max size" in text:
        return "maxsize"
    if name == "DownloadCancelledError":
        # Scrapy cancels a download silently when the received body passes DOWNLOAD_MAXSIZE
        # (an announced size says so in the message); other cancels only happen on shutdown
        return "maxsize"
    if "Timeout" in name or "timed out" in text.lower():
        return "timeout"
    if "DataLoss" in name or "DataLoss" in text or "_DataLoss" in repr(exc):
        return "truncated"
    if name in ("ResponseFailed", "ResponseNeverReceived", "ConnectionLost",
                "ConnectionDone", "DownloadFailedError"):
        return "connection-lost"
    if name == "DNSLookupError":
        return "dns"
    if name in ("ConnectionRefusedError", "ConnectError"):
        return "connection-refused"
    if name == "NotSupported":
        return "scheme"
    return f"error-{name}"


def classify(failure) -> tuple[str, int, str]:
    """``(reason, log level, message)`` for a request's failure."""
    exc = failure.value
    if isinstance(exc, Refused):
        return exc.reason, exc.level, str(exc)
    reason = _exception_reason(exc)
    if isinstance(exc, HttpError):
        return reason, logging.WARNING, f"HTTP {exc.response.status}"
    return reason, logging.WARNING, f"{type(exc).__name__}: {exc}"[:300]


def record(stats, failure) -> str:
    """Log and count one failed request; return its reason."""
    request = failure.request
    reason, level, message = classify(failure)
    source = request.meta.get("source")
    kind = request.meta.get("kind", "?")
    logger.log(level, "%s (%s) %s: %s", reason, kind, request.url, message)
    stats.inc_value(f"newsarchive/reason/{reason}")
    if source is None:
        return reason
    if reason in ROUTINE:
        stats.inc_value(f"newsarchive/source/{source}/{ROUTINE[reason]}")
        return reason
    article = is_article_candidate(request)
    if reason in REFUSED:
        stats.inc_value(f"newsarchive/source/{source}/refused")
    elif not article:
        stats.inc_value(f"newsarchive/source/{source}/fetch_failed")
    elif reason in NOT_ARTICLE:
        stats.inc_value("newsarchive/outcome/not_article")
        stats.inc_value(f"newsarchive/source/{source}/not_article")
    else:
        stats.inc_value("newsarchive/outcome/failed")
        stats.inc_value(f"newsarchive/source/{source}/failed")
    return reason
