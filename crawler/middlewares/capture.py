"""Downloader middleware: the raw capture of every response, as it came over the wire.

Next to the download handler (950, before decompression at 590), it copies the status
line, headers, body still content-encoded and the request's headers into
``response.meta["capture"]`` as a plain dict (:func:`capture_of`); the spider puts it on
the item and the capture stage writes it (``pipelines/stages/capture.py``).  Feed and
sitemap responses are written at once: no article row points at them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from http import HTTPStatus

from scrapy.exceptions import NotConfigured

from newsarchive.crawler.captures import Captures, enabled

logger = logging.getLogger(__name__)

DIRECT_CALLBACKS = {"parse_feed": "feed", "parse_sitemap": "sitemap"}


def _text(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _header_pairs(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((_text(name), _text(value)))
    return pairs


def capture_of(request, response) -> dict:
    """What came over the wire for ``request``, as a plain dict (see
    :meth:`archive.warcfiles.WarcWriter.write`)."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    if not protocol.upper().startswith("HTTP/"):
        protocol = "HTTP/1.1"
    ip = getattr(response, "ip_address", None)
    return {
        "url": response.url,
        "date": datetime.now(timezone.utc).isoformat(),
        "status": response.status,
        "reason": reason,
        "protocol": "HTTP/2" if protocol.upper() in ("HTTP/2", "H2") else protocol,
        "headers": _header_pairs(response.headers),
        "body": response.body,
        "ip": str(ip) if ip else None,
        "request": {"method": request.method, "url": request.url,
                    "headers": _header_pairs(request.headers)},
    }


class CaptureMiddleware:
    """Downloader middleware: keeps the raw capture in ``response.meta["capture"]``;
    writes feed and sitemap captures at once.

    It also asks servers for ``NEWSARCHIVE_WARC_ACCEPT_ENCODING`` (gzip, deflate) rather
    than Scrapy's "gzip, deflate, br, zstd": stock warcio cannot undo brotli (with the
    brotli package Scrapy uses) or zstd, so such a record would fail ``warcio check``
    (archive/warc.py then stores the body decoded, the exception rather than the rule).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.accept_encoding = crawler.settings.get("NEWSARCHIVE_WARC_ACCEPT_ENCODING")

    @classmethod
    def from_crawler(cls, crawler):
        if not enabled(crawler.settings):
            raise NotConfigured("NEWSARCHIVE_WARC_ENABLED is off")
        return cls(crawler)

    def process_request(self, request, spider=None):
        asked = request.headers.get(b"Accept-Encoding")
        if self.accept_encoding and asked and (b"br" in asked or b"zstd" in asked):
            request.headers[b"Accept-Encoding"] = self.accept_encoding
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_capture") or not 200 <= response.status < 300:
            # a redirect or an error never becomes an article: nothing to carry along
            # (the redirected request would copy it in its meta)
            request.meta.pop("capture", None)
            return response
        capture = capture_of(request, response)
        kind = DIRECT_CALLBACKS.get(getattr(request.callback, "__name__", None))
        if kind:
            capture.update(kind=kind, source=request.meta.get("source"))
            try:
                Captures.for_crawler(self.crawler).write(capture)
            except OSError as exc:  # a full disk must not cost the run its feed
                logger.error("could not write the %s capture of %s: %s", kind, response.url,
                             exc)
                self.crawler.stats.inc_value("newsarchive/warc/failed")
        else:
            request.meta["capture"] = capture
        return response


