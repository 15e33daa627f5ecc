"""Article metadata with provenance: title, authors, published date, language, canonical link.

:func:`extract_metadata` is pure (an lxml tree and strings in, a dict out); the extract
stage calls it.  Each field has an ordered list of places to look; the first that gives a
plausible value wins:

- title: og:title, JSON-LD headline, ``<h1>``, ``<title>``; a site-name prefix or suffix
  ("Headline | Outlet") is removed when it matches og:site_name, the JSON-LD publisher, the
  host name, or when another title source carries the headline without it.
- authors and credits: JSON-LD persons, ``<meta>`` (author, article:author, dc.creator,
  parsely-author, sailthru.author), byline elements (rel=author, itemprop/class author or
  byline), byline lines at the start or end of the body ("Reporting by: ...", "بقلم ...").
  Names are read by the one set of byline rules (:mod:`pipelines.bylines`,
  ``pipelines/data/author_names.toml``): people are ``authors``; agencies, outlets and
  other organisations are ``credits`` ({"name", "role"}).
- published: JSON-LD datePublished, meta, ``<time datetime>``, the feed/sitemap hint, the
  URL, visible text; dates before 1990 or after tomorrow fall through to the next source;
  modified/updated dates, copyright years and dates of related articles are never read.
  ``published_source`` names the source used.
- language: declared (``lang``, og:locale, content-language) checked against the script of
  the body text: more than half Arabic letters is ``"ar"`` whatever the page says.

One module per field (``title``, ``authors``, ``published``, ``language``) over the shared
page reading in ``page``; the date readers themselves are in :mod:`pipelines.dates`.
"""

from __future__ import annotations

import re
from datetime import datetime

from .authors import extract_authors, extract_byline, is_junk_author, normalize_authors
from .language import arabic_share, extract_language
from .page import canonical_link, jsonld_objects, page_objects_first, site_names
from .published import extract_published
from .title import extract_title

__all__ = [
    "extract_metadata", "extract_title", "extract_authors", "extract_byline", "extract_published",
    "extract_language", "canonical_link", "normalize_authors", "is_junk_author",
    "arabic_share", "jsonld_objects",
]


def extract_metadata(tree, html: str, url: str, hints: dict | None = None, *,
                     source_language: str | None = None, now: datetime | None = None,
                     jsonld: list[dict] | None = None) -> dict:
    """Pure: title, authors, credits, published (+ published_source), language, canonical_link.

    ``tree`` is the page parsed with ``lxml.html``; ``hints`` come from the feed or sitemap
    entry that led to the page ({"title", "published", "published_source", "language"});
    ``source_language`` is the source's configured language (last fallback); ``jsonld``:
    the page's JSON-LD objects (``page.jsonld_objects``) when the caller has read them.
    """
    hints = hints or {}
    canonical = canonical_link(tree, url)
    if jsonld is None:
        jsonld = jsonld_objects(tree)
    objects = page_objects_first(jsonld, url, canonical)
    title = extract_title(tree, objects, url)
    if not title and hints.get("title"):
        title = re.sub(r"\s+", " ", hints["title"]).strip()
    published, published_source = extract_published(tree, objects, url, hints, now)
    byline = extract_byline(tree, objects, site_names(tree, objects, url, with_host=False))
    return {
        "title": title or None,
        "authors": byline.authors,
        "credits": byline.credits,
        "published": published,
        "published_source": published_source,
        "language": extract_language(tree, objects, hints, source_language),
        "canonical_link": canonical,
    }
