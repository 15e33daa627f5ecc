"""Meta-refresh redirects, without decoding every page in the crawl process.

Scrapy's ``MetaRefreshMiddleware`` looks for ``<meta http-equiv="refresh" content="0;
url=...">`` in the first 4,096 characters of an HTML page, and to get them decodes the whole
body (``response.text``, kept on the response while it waits for a worker): ~0.5 ms of the
reactor's time and a second copy of the page per response, for pages the workers decode
anyway.  This one asks Scrapy only about a page whose first bytes could hold such a tag:
they name ``http-equiv`` and either ``refresh`` or a character reference (``&#82;efresh``),
in any case, or hold NUL bytes (a UTF-16 or UTF-32 page, whose letters are not single
bytes).  In an ASCII-compatible encoding a character takes at most four bytes, so the first
4,096 characters lie within the first ``HEAD_BYTES``; a page without these bytes there has
no refresh tag Scrapy would follow.  The rest (limits, delays, ``dont_redirect``) is Scrapy's.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh

HEAD_BYTES = 4 * 4096


def may_refresh(body: bytes) -> bool:
    """Whether the first bytes of *body* could hold a meta-refresh tag (see the module)."""
    head = body[:HEAD_BYTES].lower()
    return b"\x00" in head or (b"http-equiv" in head and (b"refresh" in head or b"&#" in head))


class MetaRefreshMiddleware(ScrapyMetaRefresh):
    def process_response(self, request, response, spider=None):
        if not may_refresh(response.body):
            return response
        return super().process_response(request, response)
