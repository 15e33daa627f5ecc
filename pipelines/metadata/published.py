"""The publication date and where it came from (``published_source``).

Sources in order; the first plausible date (1990-01-01 .. now + 1 day) wins, an
implausible one falls through to the next:

1. ``json-ld``  datePublished of the article object (then of any object)
2. ``meta``     article:published_time, og:published_time, pubdate, date, DC.date.issued,
                parsely-pub-date, sailthru.date, ...
3. ``time``     ``<time datetime>``: itemprop=datePublished / pubdate / class published
                first, then those inside article/header/main
4. ``feed`` / ``sitemap``  the hint from the entry that led to the page
5. ``url``      /2019/03/14/, /20190314/, or /2019/03/ (month only: a date printed on the
                page in that month is finer and wins, as ``text``)
6. ``text``     dates printed in date/byline elements, then short labelled lines of the
                article ("Posted on 14 March 2019", "نشر في 14 آذار 2019")

Modified/updated dates (meta, classes, "Updated ..." clauses), copyright lines and dates in
related lists, sidebars, comments, a top bar's "today" or a card teasing another story (a
date in a link to another page, or in a small block with a heading linked to one:
``page.in_teaser``) are never read.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from ..dates import date_from_url, find_text_dates, parse_machine_date, plausible
from .page import (
    MODIFIED,
    PUBLISHED,
    article_objects,
    canonical_links,
    in_noise,
    in_teaser,
    marked_modified,
    meta_values,
    node_text,
)

META_DATE_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "article.published", "date", "dc.date.issued", "dcterms.issued",
    "parsely-pub-date", "sailthru.date", "originalpublicationdate", "article.created",
    "rnews:datepublished", "citation_publication_date", "cxenseparse:recs:publishtime",
    "dc.date.created", "dc.date", "dcterms.date", "dcterms.created", "datecreated",
)
DATEISH = re.compile(r"date|time|publish|posted|byline|dateline|meta|info|tarikh|تاريخ", re.I)
DATE_LABEL = re.compile(
    r"(?:published|posted|date|on|نشر|بتاريخ|تاريخ النشر|تاريخ)\s*(?:on|في|:)?", re.I)
MODIFIED_CLAUSE = re.compile(
    r"(?:last\s+)?(?:updated|modified|edited|revised|آخر\s+تحديث|تم\s+التحديث|تحديث|تعديل)"
    r"[^|\n•·]{0,60}", re.I)


def _time_candidates(tree, urls: tuple = ()) -> list[str]:
    scored = []
    nodes = tree.xpath('//time[@datetime] | //*[@itemprop="datePublished"][not(self::meta)]')
    for order, node in enumerate(nodes):
        if in_noise(node) or marked_modified(node) or in_teaser(node, urls):
            continue
        value = node.get("datetime") or node.get("content") or node_text(node)
        marks = " ".join(node.get(a) or "" for a in ("class", "itemprop", "id"))
        score = 0
        if node.get("itemprop") == "datePublished" or node.get("pubdate") is not None \
                or PUBLISHED.search(marks):
            score = 2
        elif node.xpath("ancestor::article | ancestor::header | ancestor::main"):
            score = 1
        scored.append((-score, order, value))
    return [value for _, _, value in sorted(scored)]


def _parsely_page_dates(tree) -> list[str]:
    """pub_date of a ``<meta name="parsely-page" content='{...}'>`` (older Parse.ly tag)."""
    out = []
    for raw in meta_values(tree, ("parsely-page",)):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("pub_date"), str):
            out.append(data["pub_date"])
    return out


def _article_region(root):
    """The element holding the article: <article>, <main>, else the headline's grandparent."""
    found = root.xpath(".//article") or root.xpath(".//main")
    if found:
        return found[0]
    heads = root.xpath(".//h1") or root.xpath(".//h2")
    if heads:
        parent = heads[0].getparent()
        if parent is not None:
            return parent.getparent() if parent.getparent() is not None else parent
    return None


def _text_candidates(tree, urls: tuple = ()) -> list[str]:
    """Dates printed in date/byline elements (those in the article's region first), then
    short labelled lines in the article."""
    body = tree.xpath("//body")
    root = body[0] if body else tree
    region = _article_region(root)
    ranked: list[tuple[int, int, list[str]]] = []
    for order, node in enumerate(root.iter()):
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        marks = " ".join(node.get(a) or "" for a in ("class", "id", "itemprop"))
        if not DATEISH.search(marks) or MODIFIED.search(marks) and not PUBLISHED.search(marks):
            continue
        text = node_text(node)
        if not text or len(text) > 200 or in_noise(node) or in_teaser(node, urls):
            continue
        dates = find_text_dates(MODIFIED_CLAUSE.sub(" ", text))
        if dates:
            inside = region is not None and (node is region or region in node.iterancestors())
            ranked.append((0 if inside else 1, order, dates))
    out = [d for _, _, dates in sorted(ranked) for d in dates]
    containers = root.xpath(".//article") or root.xpath(".//main") or [
        h.getparent() for h in root.xpath(".//h1 | .//h2")[:1] if h.getparent() is not None]
    if not containers:
        return out
    for node in containers[0].iter("p", "span", "div", "li", "small", "em", "strong"):
        if any(isinstance(c.tag, str) and c.tag in ("p", "div") for c in node):
            continue
        text = node_text(node)
        if not text or len(text) > 120 or in_noise(node) or in_teaser(node, urls):
            continue
        text = MODIFIED_CLAUSE.sub(" ", text)
        dates = find_text_dates(text)
        if dates and (DATE_LABEL.search(text) or len(text) < 40):
            out += dates
    return out


def extract_published(tree, objects: list[dict], url: str, hints: dict | None = None,
                      now: datetime | None = None) -> tuple[str | None, str | None]:
    """``(ISO date, source)``: the first plausible date in the documented order."""
    hints = hints or {}

    def first(values, parse=parse_machine_date):
        for value in values:
            parsed = parse(value) if isinstance(value, str) else None
            if parsed and plausible(parsed, now):
                return parsed
        return None

    articles = article_objects(objects)
    jsonld = [o.get("datePublished") for o in articles] + \
             [o.get("datePublished") for o in objects if o not in articles]
    found = first(jsonld)
    if found:
        return found, "json-ld"
    found = first(meta_values(tree, META_DATE_KEYS) + _parsely_page_dates(tree))
    if found:
        return found, "meta"
    urls = (url, *canonical_links(tree))  # the page's own (a link to one is no teaser)
    found = first(_time_candidates(tree, urls))
    if found:
        return found, "time"
    found = first([hints.get("published")])
    if found:
        source = hints.get("published_source")
        return found, source if source in ("feed", "sitemap") else "feed"
    from_url = date_from_url(url)
    if from_url and not plausible(from_url, now):
        from_url = None
    text_dates = [d for d in _text_candidates(tree, urls) if plausible(d, now)]
    if from_url:
        if len(from_url) == 7:  # only the month: a printed date in that month is finer
            for value in text_dates:
                if value.startswith(from_url):
                    return value, "text"
        return from_url, "url"
    if text_dates:
        return text_dates[0], "text"
    return None, None
