"""Turning a failed request into one log line and a counted reason.

Every download failure reaches the spider's errback (the spider sets one on all its
requests) and goes through :func:`record`: one log line, ``newsarchive/reason/<reason>``
and a per-source count, and for an article (not a feed, sitemap or start page) an
outcome: ``failed`` if it could not be fetched, ``not_article`` if what came back is no
HTML page.  Failed articles are not marked seen, so the next run tries them again.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

logger = logging.getLogger(__name__)

# reasons that are a judgment of the page, not a failure to get it
NOT_ARTICLE = frozenset({"not-html", "empty-body", "binary"})
# reasons that are no fault at all: counted per source under these names
ROUTINE = {"already-seen": "already_seen", "not-modified": "not_modified"}
# reasons for which the crawler decided not to fetch: counted per source as "refused"
REFUSED = frozenset({"robots", "offsite", "private-address", "scheme", "trap", "retry-after"})
# reasons that say a host could not be reached at all: counted per host
# (``newsarchive/unreachable/<host>/<reason>``) and named in the run's summary
UNREACHABLE = {"dns": "DNS lookup failed", "connection-refused": "connection refused",
               "tls": "TLS handshake failed", "timeout": "timed out"}


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
    if _is_tls(exc):
        return "tls"
    if name in ("ResponseFailed", "ResponseNeverReceived", "ConnectionLost",
                "ConnectionDone", "DownloadFailedError"):
        return "connection-lost"
    if name in ("DNSLookupError", "CannotResolveHostError"):
        return "dns"
    if name in ("ConnectionRefusedError", "ConnectError", "DownloadConnectionRefusedError"):
        return "connection-refused"
    if name == "NotSupported":
        return "scheme"
    return f"error-{name}"


def _is_tls(exc: BaseException) -> bool:
    """True for a failed TLS handshake (OpenSSL errors, also wrapped in Twisted's
    ResponseNeverReceived / ResponseFailed ``reasons``)."""
    inner = [getattr(r, "value", r) for r in getattr(exc, "reasons", None) or ()]
    chained = [e for e in (exc.__cause__, exc.__context__) if e is not None]
    for part in (exc, *inner, *chained):
        module = type(part).__module__ or ""
        text = f"{type(part).__name__} {part}".lower()
        if module.startswith(("OpenSSL", "ssl")) or "ssl" in type(part).__name__.lower() \
                or "certificate verify" in text or "tlsv1" in text or "ssl routines" in text:
            return True
    return False


def count_unreachable(stats, netloc: str, exc: BaseException) -> str | None:
    """Count ``exc`` against ``netloc`` if it says the host cannot be reached; its reason."""
    reason = _exception_reason(exc)
    if reason not in UNREACHABLE:
        return None
    stats.inc_value(f"newsarchive/unreachable/{netloc}/{reason}")
    return reason


def unreachable_hosts(stats: dict) -> dict[str, dict[str, int]]:
    """``{host: {reason: count}}`` from a crawl's stats (see UNREACHABLE)."""
    out: dict = {}
    for key, value in stats.items():
        if key.startswith("newsarchive/unreachable/") and isinstance(value, int):
            host, _, reason = key[len("newsarchive/unreachable/"):].rpartition("/")
            out.setdefault(host, {})[reason] = value
    return out


def unreachable_note(stats: dict) -> str:
    """``"; could not reach news.example (DNS lookup failed ×3)"`` or ``""``."""
    hosts = unreachable_hosts(stats)
    if not hosts:
        return ""
    parts = []
    for host in sorted(hosts):
        causes = ", ".join(f"{UNREACHABLE.get(r, r)}" + (f" ×{n}" if n > 1 else "")
                           for r, n in sorted(hosts[host].items()))
        parts.append(f"{host} ({causes})")
    return "; could not reach " + ", ".join(parts)


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
    if reason in UNREACHABLE:
        count_unreachable(stats, urlsplit(request.url).netloc, failure.value)
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
