"""Check what came back before the spider reads it.

For the spider's own requests (not robots.txt), a 2xx response is rejected (``Refused``,
counted, the page judged not an article) when it is

* empty (``empty-body``);
* a PDF, an image, an archive, or other binary data, whatever its Content-Type says,
  recognised by its magic bytes or by control characters (``not-html`` / ``binary``);
  a gzip body on a sitemap or feed is left to the spider, which unpacks it within
  ``DOWNLOAD_MAXSIZE``.

It is repaired and passed on (the repair counted as a reason, the page still judged) when
it holds NUL bytes (``nul-bytes``: removed; lxml would truncate the page at the first).

A page whose charset label is wrong is decoded right by the page function, not here
(``pipelines/html.py``: ``charset-mislabelled``, ``charset-guessed``), so that a crawl,
``reprocess`` and ``import-warc`` decode the same bytes the same way.
"""

from __future__ import annotations

import logging

from .faults import Refused

logger = logging.getLogger(__name__)

MAGIC = (
    (b"%PDF-", "a PDF"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive"),
    (b"BZh", "bzip2 data"), (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\xfd7zXZ\x00", "xz data"), (b"OggS", "Ogg media"), (b"fLaC", "FLAC audio"),
    (b"ID3", "MP3 audio"), (b"\x1a\x45\xdf\xa3", "WebM/Matroska video"),
    (b"\xd0\xcf\x11\xe0", "an Office document"), (b"wOFF", "a web font"), (b"wOF2", "a web font"),
)
GZIP = b"\x1f\x8b"
# control characters that text does not hold: 01-08, 0B, 0E-1A, 1C-1F, 7F (not NUL, tab, line
# feed, form feed, carriage return, escape)
CONTROL = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAMPLE = 4096


def sniff(body: bytes) -> str | None:
    """What binary thing ``body`` is (``"a PDF"``...), or None if it may be text."""
    head = body[:SAMPLE]
    for magic, what in MAGIC:
        if head.startswith(magic):
            return what
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "a WebP image"
    if head[4:8] == b"ftyp":
        return "an MP4/HEIF file"
    if head.startswith(GZIP):
        return "gzip data"
    if head.startswith(UTF16_32_BOMS):
        return None
    size = len(head) - head.count(b"\x00")  # NUL bytes are not counted either way
    controls = len(head) - len(head.translate(None, CONTROL))
    if size and controls > 0.05 * size:
        return "binary data"
    return None


class BodyCheckMiddleware:
    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if "source" not in request.meta or not 200 <= response.status < 300 \
                or request.method == "HEAD":
            return response
        body = response.body
        if not body or body.isspace():  # (all ASCII whitespace, as bytes.strip() strips)
            raise Refused("empty-body", f"HTTP {response.status} with an empty body")
        what = sniff(body)
        feed = getattr(request.callback, "__name__", "") in ("parse_feed", "parse_sitemap")
        if what == "gzip data" and feed:
            return response  # a .xml.gz sitemap: the spider unpacks it, within limits
        if what:
            ctype = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            reason = "binary" if what in ("binary data", "gzip data") else "not-html"
            raise Refused(reason, f"body is {what} although labelled {ctype!r}")
        if body.find(b"\x00", 0, SAMPLE * 16) != -1 and not body.startswith(UTF16_32_BOMS) \
                and not body.startswith((b"\x00\x00\xfe\xff",)):
            logger.warning("%d NUL byte(s) removed from %s", body.count(b"\x00"), response.url)
            self.stats.inc_value("newsarchive/reason/nul-bytes")
            response = response.replace(body=body.replace(b"\x00", b""))
        return response
