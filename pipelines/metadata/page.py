"""Shared reading of a page: meta tags, the canonical link, JSON-LD objects, and the parts
that are not the article.

Page parts whose dates and names belong to something else (navigation, sidebars, comments,
related lists, site footers, today's date in a top bar) are recognised by element and by
class/id tokens (``NOISE_TOKENS``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..bylines import name_key  # noqa: F401  (the one name key, re-exported)

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "socialmediaposting", "report", "scholarlyarticle", "techarticle",
    "claimreview",  # a fact-check: its author is the checker (its claim's author is not)
}

NOISE_TOKENS = {
    "related", "recent", "popular", "trending", "sidebar", "widget", "widgets", "comment",
    "comments", "respond", "recommended", "recommendations", "newsletter", "nav",
    "navigation", "menu", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
    "promo", "teaser", "teasers", "copyright", "more", "also", "readmore", "mostread",
    "most", "latest", "ticker", "outbrain", "taboola", "ad", "ads", "advert", "today",
    "topbar",
}
MODIFIED = re.compile(r"modif|updat|edited|revis|تحديث|تعديل", re.I)
PUBLISHED = re.compile(r"publish|posted|entry-date|pubdate|created|date-pub|نشر", re.I)


def node_text(node) -> str:
    """The visible text of ``node``, one space between elements ("Jane Doe</a><span>May 2")."""
    try:
        return re.sub(r"\s+", " ", " ".join(
            t for t in node.itertext() if isinstance(t, str))).strip()
    except (AttributeError, ValueError, TypeError):
        return ""


def class_tokens(node) -> set[str]:
    value = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return {t for t in re.split(r"[\s_-]+", value) if t}


@lru_cache(maxsize=4)
def _headline_chain(root) -> frozenset:
    """The first ``<h1>`` and its ancestors: containers of the headline are never noise
    (a wrapper with id "ad_body" around the whole page is not an advert)."""
    first = next(iter(root.iter("h1")), None)
    if first is None:
        return frozenset()
    return frozenset([first, *first.iterancestors()])


def in_noise(node) -> bool:
    """True if ``node`` sits in navigation, a sidebar, comments, related lists, a footer..."""
    chain = [node, *node.iterancestors()]
    headline = _headline_chain(chain[-1])
    inside_article = any(a.tag == "article" for a in chain[1:] if isinstance(a.tag, str))
    for current in chain:
        if not isinstance(current.tag, str):
            continue
        if current in headline and current is not node:
            return False
        tag = current.tag.lower()
        if tag in ("aside", "nav", "form"):
            return True
        tokens = class_tokens(current)
        if tokens & NOISE_TOKENS:
            return True
        if (tag == "footer" or "footer" in tokens) and not inside_article:
            return True
    return False


TEASER_HEADINGS = ".//h2//a[@href] | .//h3//a[@href] | .//h4//a[@href] | " \
    ".//a[@href][.//h2 or .//h3 or .//h4]"


def _same_path(href: str, urls: tuple) -> bool:
    path = urlsplit(href or "").path.rstrip("/")
    return bool(path) and any(urlsplit(u or "").path.rstrip("/") == path for u in urls if u)


def in_teaser(node, urls: tuple = (), depth: int = 4) -> bool:
    """True if ``node`` (a date, a name) belongs to a card teasing another story: it sits in
    a link to another page, or in a small block (never the one holding the page's headline)
    with a heading linked to another page.  ``urls``: the page's own URLs (a theme that
    links its own headline to the page is not a teaser)."""
    chain = [node, *node.iterancestors()]
    headline = _headline_chain(chain[-1])
    for current in chain[:depth + 1]:
        if not isinstance(current.tag, str) or current in headline:
            return False
        if current.tag == "a" and current.get("href") and not _same_path(current.get("href"), urls):
            return True
        if current is not node and current.tag in ("article", "li", "div", "section"):
            links = [a for h in current.xpath(TEASER_HEADINGS)
                     for a in ([h] if h.tag == "a" else h.xpath("ancestor::a[1]"))]
            if any(not _same_path(a.get("href"), urls) for a in links) \
                    and len(node_text(current)) < 400:
                return True
    return False


def marked_modified(node, depth: int = 2) -> bool:
    """True if ``node`` (or a near ancestor) is marked as a modified / updated date."""
    current = node
    for _ in range(depth + 1):
        if current is None or not isinstance(current.tag, str):
            break
        marks = " ".join(current.get(a) or "" for a in ("class", "id", "itemprop", "property"))
        if MODIFIED.search(marks) and not PUBLISHED.search(marks):
            return True
        current = current.getparent()
    return False


def meta_values(tree, keys) -> list[str]:
    """Values of ``<meta>`` tags whose name/property/itemprop is one of ``keys``, in key order."""
    found = _meta_index(tree.getroottree().getroot())
    return [value for key in keys for value in found.get(key, [])]


@lru_cache(maxsize=4)
def _meta_index(root) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in root.iter("meta"):
        content = (node.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (node.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, []).append(content)
    return found


# ---------------------------------------------------------------------------------------
# The canonical link: the one reader of the URL the page gives for itself

# rel is a list of tokens in any case: rel="canonical", rel="Canonical alternate"
CANONICAL_HREFS = etree.XPath(
    '//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", "canonical")), '
    '" "), " canonical ")]/@href')
NOT_A_PAGE = ("javascript:", "data:", "#")


def canonical_links(tree, base: str | None = None) -> list[str]:
    """The URLs the page gives for itself: every ``<link rel=canonical>`` href, then every
    ``og:url``, in page order.  Empty values and those naming no page (``javascript:``,
    ``data:``, a bare ``#fragment``) are left out.  With ``base`` (the page's URL) each is
    made absolute and one ``urljoin`` cannot read is left out; without, they are as
    written."""
    found = []
    for value in [*CANONICAL_HREFS(tree), *meta_values(tree, ("og:url",))]:
        value = (value or "").strip()
        if not value or value.lower().startswith(NOT_A_PAGE):
            continue
        if base is not None:
            try:
                value = urljoin(base, value)
            except ValueError:  # a broken URL ("http://[x") is no link
                continue
        found.append(value)
    return found


def canonical_link(tree, base: str | None = None) -> str | None:
    """The page's canonical link: its first ``rel=canonical`` href, else its ``og:url``
    (:func:`canonical_links`), absolute when ``base`` is given; None if it gives none."""
    return next(iter(canonical_links(tree, base)), None)


# ---------------------------------------------------------------------------------------
# JSON-LD: the one reader of the page's ``<script type="application/ld+json">``

# the type attribute in any case and with parameters ("application/LD+JSON; charset=utf-8")
JSONLD_SCRIPTS = etree.XPath(
    '//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')


def jsonld_texts(tree) -> list[str]:
    """The text of every JSON-LD script of the page, as written, in page order."""
    return [node.text or "" for node in JSONLD_SCRIPTS(tree)]


def _load_json(raw: str):
    """``raw`` read as JSON, tolerantly: an HTML comment or CDATA wrapper, control
    characters in strings and trailing commas are accepted; None when it is not JSON (or
    nests deeper than Python recurses)."""
    raw = raw.strip()
    raw = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", raw)
    raw = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", raw)
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def jsonld_objects(tree) -> list[dict]:
    """Every JSON-LD object on the page, flattened (lists, @graph, mainEntity), in page
    order.  The page function reads them once (``pipelines.page``) and hands them to
    each stage that needs them."""
    out: list[dict] = []

    def walk(value, depth=0):
        if depth > 4:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            out.append(value)
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                if isinstance(value.get(key), (dict, list)):
                    walk(value[key], depth + 1)

    for text in jsonld_texts(tree):
        data = _load_json(text)
        if data is not None:
            walk(data)
    return out


def types_of(obj: dict) -> set[str]:
    value = obj.get("@type") or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return set()
    return {v.lower().rsplit("/", 1)[-1] for v in value if isinstance(v, str)}


def article_objects(objects: list[dict]) -> list[dict]:
    return [o for o in objects if types_of(o) & ARTICLE_TYPES]


def _object_urls(obj: dict) -> list[str]:
    urls = []
    for key in ("url", "@id", "mainEntityOfPage"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str):
            urls.append(value)
    return urls


def _path(url: str) -> str:
    parts = urlsplit(url or "")
    return parts.path.rstrip("/").removesuffix("/amp") or "/"


def page_objects_first(objects: list[dict], url: str, canonical: str | None = None) -> list[dict]:
    """``objects`` with those describing this page (url/@id = the page or its canonical
    link) first: pages that list related articles as JSON-LD too must not date the page
    by them."""
    mine = {_path(u) for u in (url, canonical) if u}

    def describes_page(obj):
        return any(_path(u.split("#")[0]) in mine for u in _object_urls(obj))

    return sorted(objects, key=lambda o: not describes_page(o))


HOST_NOISE = {"www", "m", "amp", "english", "arabic", "ar", "en"}


def site_names(tree, objects: list[dict], url: str, with_host: bool = True) -> list[str]:
    names = meta_values(tree, ("og:site_name", "application-name", "apple-mobile-web-app-title",
                         "twitter:site"))
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
        if types_of(obj) & {"website", "organization", "newsmediaorganization"}:
            if isinstance(obj.get("name"), str):
                names.append(obj["name"])
    host = urlsplit(url or "").hostname or "" if with_host else ""
    labels = [p for p in host.split(".") if p not in HOST_NOISE]
    if labels:
        names.append(max(labels[:-1] or labels, key=len))
    return [n.lstrip("@") for n in names if n and n.strip()]
