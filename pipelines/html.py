"""From bytes to a tree: decoding a page the way a browser (and Scrapy) would, parsing it,
and reading its links.

:func:`decode_html` chooses the encoding as Scrapy's ``TextResponse`` does (byte-order
mark, then the Content-Type header, then the page's own ``<meta charset>``, else a guess)
and, like a browser that sees mojibake, re-detects the encoding of a page whose label is
wrong (the bytes decode to many U+FFFD).  :func:`parse` builds the lxml tree the
extractor and the classifier share (one parse per page), and :func:`page_links` lists
the page's links (absolute, ``<base href>`` honoured).  Pure: bytes and strings in, plain
data out; the crawl, ``reprocess``, ``import-warc`` and ``newsarchive extract`` all decode
and parse a page through here, so the same bytes always give the same text.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML
from w3lib.encoding import (html_body_declared_encoding, html_to_unicode,
                            http_content_type_encoding, read_bom, resolve_encoding)

logger = logging.getLogger(__name__)

MAX_HTML_CHARS = 12_000_000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARS = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
NONCHARACTERS = re.compile("[\ufffe\uffff]")  # trafilatura removes these too
# trafilatura's parser settings, with every element an HtmlElement found by lxml itself
# (lxml.html's own class lookup runs Python code for each element object it hands out)
PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True)
PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))

# --- decoding -------------------------------------------------------------------------------

DEFAULT_ENCODING = "ascii"  # Scrapy's TextResponse default
# how much of a mislabelled page the encoding detector reads
DETECT_BYTES = 256 * 1024


def _auto_detect(data: bytes) -> str | None:
    """Scrapy's guess for a page that declares no encoding: ASCII, UTF-8, else detected."""
    for encoding in (DEFAULT_ENCODING, "utf-8"):
        try:
            data.decode(encoding)
        except UnicodeError:
            continue
        return resolve_encoding(encoding)
    match = from_bytes(data).best()
    return resolve_encoding(match.encoding) if match else None


def bad_decode(body: bytes, encoding: str, text: str | None = None) -> bool:
    """True if decoding ``body`` as ``encoding`` loses many characters (U+FFFD).

    ``text``: ``body`` already decoded so (``errors="replace"``), not decoded again."""
    if text is None:
        try:
            text = body.decode(encoding, errors="replace")
        except LookupError:
            return True
    if "\ufffd" not in text:  # the usual case; a third of the cost of count()
        return False
    # only now: counting non-ASCII characters in Python costs ~8 ms/page
    lost = text.count("\ufffd")
    return lost > 20 or lost > 0.01 * max(1, sum(1 for c in text if ord(c) > 127))


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """``(text, encoding, notes)`` of an HTML body.

    The encoding is the byte-order mark's, else the Content-Type header's, else the
    page's ``<meta charset>``, else a guess (ASCII, UTF-8, then detected).  A page whose
    declared encoding loses many characters is detected again.  ``notes`` says what was
    noticed: ``charset-mislabelled`` (re-detected) or ``charset-guessed`` (nothing
    declared and neither ASCII nor UTF-8)."""
    content_type = content_type or ""
    bom = read_bom(body)[0]
    if bom:  # the BOM wins over any label, as the HTML standard says
        return html_to_unicode(f"charset={bom}", body)[1], bom, []
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if declared is None:
        encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_auto_detect,
                                         default_encoding=DEFAULT_ENCODING)
        notes = [] if encoding in ("ascii", "utf-8", resolve_encoding("utf-8"),
                                   resolve_encoding("ascii")) \
            else ["charset-guessed"]
        return text, encoding, notes
    text = html_to_unicode(f"charset={declared}", body)[1]
    if not bad_decode(body, declared, text):
        return text, declared, []
    best = from_bytes(body[:DETECT_BYTES]).best()
    detected = resolve_encoding(best.encoding) if best else None
    if not detected or detected == resolve_encoding(declared) or bad_decode(body, detected):
        return text, declared, []
    logger.info("labelled %s but decodes as %s; re-decoded", declared, detected)
    return html_to_unicode(f"charset={detected}", body)[1], detected, ["charset-mislabelled"]


# --- parsing --------------------------------------------------------------------------------

def parse(html) -> "object | None":
    """The lxml tree of ``html`` (str or bytes), or None when there is no HTML in it."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        return None
    html = html[:MAX_HTML_CHARS]
    if any(c in html for c in CONTROL_CHARS):  # ("in" is much faster than a regex scan)
        html = CONTROL.sub("", html)
    if not html.strip():
        return None
    try:
        return _load_html(html)
    except Exception:  # lxml gives up on some garbage; that is "no article", not a crash
        logger.debug("unparseable HTML", exc_info=True)
        return None


def _load_html(html: str):
    """What ``trafilatura.utils.load_html`` makes of ``html`` (no control characters left),
    with PARSER: the same repairs, fallback to bytes and test for text that is not HTML."""
    beginning = html[:50].lower()
    if "\ufffe" in html or "\uffff" in html:
        html = NONCHARACTERS.sub("", html)
    if "doctype" in beginning:
        first, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", first, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break

    def from_bytes():
        try:
            return lxml.html.fromstring(html.encode("utf8", "surrogatepass"), parser=PARSER)
        except Exception:
            logger.debug("unparseable HTML bytes", exc_info=True)
            return None

    tree, tried_bytes = None, False
    try:
        tree = lxml.html.fromstring(html, parser=PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, tried_bytes = from_bytes(), True
    except Exception:
        logger.debug("unparseable HTML", exc_info=True)
    if (tree is None or len(tree) < 1) and not tried_bytes:
        tree = from_bytes()
    if tree is not None and "html" not in beginning and len(tree) < 2:
        return None  # a fragment or plain text, not a page
    return tree



# --- links ----------------------------------------------------------------------------------

def base_url(tree, url: str) -> str:
    """The URL relative links of the page resolve against: its ``<base href>``, if any."""
    for href in tree.xpath("//base/@href")[:1]:
        href = href.strip()
        if href:
            try:
                return urljoin(url, href)
            except ValueError:
                break
    return url


def page_links(tree, url: str) -> list[str]:
    """The page's links, absolute, without fragments, http(s) only, each once, in
    document order."""
    base = base_url(tree, url)
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        href = href.strip()
        if not href or href.startswith("#"):
            continue
        try:
            link = urljoin(base, href).split("#")[0]
        except ValueError:
            continue
        if link.lower().startswith(("http://", "https://")):
            seen.setdefault(link, None)
    return list(seen)
