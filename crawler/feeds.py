"""Safe parsing of RSS/Atom feeds and sitemaps (plain, index and Google News).

Crawled XML is hostile input: entities are never resolved (no billion laughs, no external
entities), no network access, no DTD loading, and huge trees are refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

logger = logging.getLogger(__name__)

MAX_ENTRIES = 50_000  # a sitemap may list at most 50,000 URLs


@dataclass
class Entry:
    """One link found in a feed or sitemap, with what the feed says about it."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 when parseable
    language: str | None = None
    kind: str = "page"  # "page" or "sitemap" (a child of a sitemap index)
    modified: str | None = None  # sitemap <lastmod>: when the page last changed


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
    )


def _root(body: bytes):
    body = body.lstrip()
    if not body:
        return None
    try:
        root = etree.fromstring(body, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        logger.debug("unparseable XML: %s", exc)
        return None
    return root


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _text(el) -> str | None:
    if el is None:
        return None
    if any(isinstance(node, etree._Entity) for node in el.iter()):
        return None  # an unresolved (possibly hostile) entity: not a usable value
    text = "".join(el.itertext()).strip()
    return text or None


def _child(el, *names):
    for child in el:
        if _local(child.tag) in names:
            return child
    return None


def _iso(value: str | None) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) to ISO 8601; None if unparseable."""
    if not value:
        return None
    value = value.strip()
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass

    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None


def sniff(body: bytes) -> str | None:
    """'rss', 'atom', 'urlset', 'sitemapindex' or None for what ``body`` is."""
    root = _root(body)
    if root is None:
        return None
    name = _local(root.tag)
    if name in ("rss", "rdf"):
        return "rss"
    if name == "feed":
        return "atom"
    if name in ("urlset", "sitemapindex"):
        return name
    return None


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    root = _root(body)
    if root is None:
        return []
    entries = []
    language = _text(root.find(".//{*}language")) if _local(root.tag) != "feed" else root.get(
        "{http://www.w3.org/XML/1998/namespace}lang")
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":
            link = _text(_child(el, "link")) or _text(_child(el, "guid"))
            # pubDate / dc:date are publication dates; "updated" is a modification date
            date = _text(_child(el, "pubdate", "date", "published"))
        elif name == "entry":
            link = None
            for child in el:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    link = child.get("href")
                    break
            date = _text(_child(el, "published"))
        else:
            continue
        if not link:
            continue
        entries.append(Entry(urljoin(base_url, link.strip()), _text(_child(el, "title")),
                             _iso(date), language))
        if len(entries) >= MAX_ENTRIES:
            break
    return entries


def parse_sitemap(body: bytes, base_url: str) -> list[Entry]:
    """Entries of a sitemap or sitemap index (Google News fields included)."""
    root = _root(body)
    if root is None:
        return []
    index = _local(root.tag) == "sitemapindex"
    entries = []
    for el in root:
        if _local(el.tag) not in ("url", "sitemap"):
            continue
        loc = _text(_child(el, "loc"))
        if not loc:
            continue
        entry = Entry(urljoin(base_url, loc), kind="sitemap" if index else "page")
        # <lastmod> is when the page last changed, not when it was published: kept apart
        entry.modified = _iso(_text(_child(el, "lastmod")))
        news = _child(el, "news")
        if news is not None:
            entry.title = _text(_child(news, "title"))
            entry.published = _iso(_text(_child(news, "publication_date")))
            publication = _child(news, "publication")
            if publication is not None:
                entry.language = _text(_child(publication, "language"))
        entries.append(entry)
        if len(entries) >= MAX_ENTRIES:
            break
    return entries
