"""Meta-refresh redirects, without decoding every page in the crawl process.

Scrapy's ``MetaRefreshMiddleware`` looks for ``<meta http-equiv="refresh" content="0;
url=...">`` in the first 4,096 characters of an HTML page, and to get them decodes the whole
body (``response.text``, kept on the response while it waits for a worker): ~0.5 ms of the
reactor's time and a second copy of the page per response, for pages the workers decode
anyway.  This one asks Scrapy only about a page whose first bytes could hold such a tag.

Scrapy (w3lib) replaces character references before it looks, anywhere in the tag
(``http&#45;equiv``, ``&#82;efresh``), and HTML's named references stand for no ASCII
letter or hyphen; so a page can hold the tag only if its first bytes name both ``equiv`` and
``refresh`` (in any case) or hold a numeric reference to a letter or a hyphen
(``LETTER_REFERENCE``).  That reading needs letters to be their ASCII
bytes: a page whose first bytes hold NULs (UTF-16, UTF-32) or that declares an encoding
where they are not (EBCDIC, say) is always asked about.  The first 4,096 characters lie
within the first ``HEAD_BYTES`` (eight bytes a character: four in UTF-8 or GB18030, more
with the escapes of ISO-2022 or UTF-7).  The rest (limits, delays, ``dont_redirect``) is
Scrapy's.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

HEAD_BYTES = 8 * 4096
_PROBE = "<meta http-equiv=refresh content=0;url=&#>"
# &#65;-&#90;, &#97;-&#122;, &#45; and their hexadecimal forms (a semicolon optional, as
# w3lib reads them), in lower-cased bytes
LETTER_REFERENCE = re.compile(
    rb"&#(?:x0*(?:4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a]|2d)(?![0-9a-f])"
    rb"|0*(?:6[5-9]|[78][0-9]|90|9[7-9]|1[01][0-9]|12[0-2]|45)(?![0-9]))")


@lru_cache(maxsize=64)
def ascii_letters(encoding: str | None) -> bool:
    """Whether *encoding* writes ASCII letters as their ASCII bytes (unknown: no)."""
    if encoding is None:
        return True  # nothing declared: Scrapy decodes as UTF-8 or cp1252, or by a BOM
    try:
        return _PROBE.encode(codecs.lookup(encoding).name) == _PROBE.encode("ascii")
    except (LookupError, UnicodeError, ValueError):
        return False


def may_refresh(body: bytes, content_type: str | None = None) -> bool:
    """Whether the first bytes of *body* could hold a meta-refresh tag (see the module)."""
    head = body[:HEAD_BYTES]
    if b"\x00" in head:
        return True
    if not (ascii_letters(http_content_type_encoding(content_type or ""))
            and ascii_letters(html_body_declared_encoding(head))):
        return True
    head = head.lower()
    return (b"equiv" in head and b"refresh" in head) or (
        b"&#" in head and LETTER_REFERENCE.search(head) is not None)


class MetaRefreshMiddleware(ScrapyMetaRefresh):
    def process_response(self, request, response, spider=None):
        content_type = response.headers.get(b"Content-Type")
        if not may_refresh(response.body, content_type.decode("latin-1")
                           if content_type else None):
            return response
        return super().process_response(request, response)
