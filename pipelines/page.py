"""One page, one path: :func:`process_page` is everything the archive learns from a page.

Every caller goes through this one pure function -- the crawl (in a worker process, one
call per page), ``newsarchive reprocess`` and ``import-warc`` (from the captured bytes),
``newsarchive extract`` and the tests and benchmarks -- so the same bytes always give the
same :class:`Page`::

    page = process_page(body, url, content_type="text/html; charset=utf-8",
                        options=source.as_options(), hints=feed_hints)
    page.kind, page.title, page.text, page.places, page.topic_score, page.content_hash

The steps, in order (each its own module):

1. decode the bytes (``html.decode_html``: BOM, header, ``<meta charset>``, detection of a
   mislabelled page) and parse them once (``html.parse``);
2. classify the page (``classify``): article, listing, live-blog shell or empty; only an
   article goes on (a listing's links are read first when asked: ``html.page_links``);
3. extract the body and the metadata with provenance (``extract``, ``metadata``, after
   ``prune`` removed the page parts that are never text);
4. clean the text (``clean``: boilerplate phrases, the source's learned lines, bylines,
   the dateline);
5. tag places, actors, events and the topic score (``tag``);
6. fingerprint the text for de-duplication (``dedup.fingerprint``) and make its
   full-text search forms (``fulltext``);
7. read the incidents it reports (``incidents.extract_incidents``: from the clean text and
   the chosen publication date; a failure there is noted, ``incidents-failed``, and costs
   the page nothing but its incidents).

No Scrapy, no SQL, no network: what the archive does with a page (judging it against the
crawl's thresholds, filing it among its copies) happens after, on what this returns.
"""

from __future__ import annotations

import re

from . import bylines, dates, dedup, numbers, phrases, urls
from . import tag as tagger
from .classify import classify_shape, is_story
from .clean import clean, learnable
from .dedup import fingerprint
from .extract import WORD, extract, load_fallback_tables
from .fulltext import search_forms
from .html import decode_html, page_links, parse
from .incidents import extract as incidents_extract
from .incidents import extract_incidents, lexicon
from .metadata import jsonld_objects, language
from .pagedata import Page  # (its own module: what only carries a page imports just that)
from .tag import tag
from .urls import canonicalize_url, rewrite_url

# a lone surrogate (an escaped "\ud800" in JSON-LD) cannot be written as UTF-8: it would
# fail the store and lose the page; one place removes them from every text of a page
SURROGATES = re.compile("[\ud800-\udfff]")


def _sane(value):
    """``value`` with lone surrogates removed from every string in it."""
    if isinstance(value, str):
        return SURROGATES.sub("", value) if SURROGATES.search(value) else value
    if isinstance(value, list):
        return [_sane(v) for v in value]
    if isinstance(value, dict):
        return {k: _sane(v) for k, v in value.items()}
    return value


def process_page(body: bytes | str, url: str, *, content_type: str | None = None,
                 options: dict | None = None, hints: dict | None = None,
                 learned: frozenset = frozenset(), links: bool = False,
                 min_words: int = 0) -> Page:
    """Pure: the :class:`Page` in ``body``.

    ``body``: the page's bytes as received (content encoding undone), or its text.
    ``content_type``: the response's Content-Type header (its charset is the declared
    encoding).  ``options``: the source's options (``Source.as_options()``: language,
    drop selectors and lines; ``rewrite``: URL rewrite rules for a back-filled page's
    canonical link).  ``hints``: what the feed or sitemap entry said (title, published,
    published_source, language).  ``learned``: the source's learned boilerplate line
    keys.  ``links``: also read the page's links.  ``min_words``: stop (and say how far it
    got in ``reached``) once fewer words than this are left: such a page is not an
    article, and tagging it would be wasted work.
    """
    options = options or {}
    if isinstance(body, bytes):
        html, encoding, notes = decode_html(body, content_type)
    else:
        html, encoding, notes = body, None, []
    page = Page(url=url, encoding=encoding, notes=notes)
    tree = parse(html)
    if tree is None:
        return page
    if links:
        page.links = page_links(tree, url)
    jsonld = jsonld_objects(tree)  # read once: classify, metadata and the body use them
    page.kind, shape = classify_shape(tree, url, hints, jsonld)
    page.story = shape is not None and is_story(shape)
    if page.kind != "article":
        return page
    if page.story:  # a brief is judged by its parts, not its length: read it all
        min_words = 0
    doc = extract(html, url, options, hints, tree=tree, jsonld=jsonld)
    for key in ("title", "authors", "credits", "published", "published_source", "language",
                "canonical_link"):
        setattr(page, key, _sane(doc.get(key)))
    if options.get("rewrite") and page.canonical_link:
        page.canonical_link = rewrite_url(page.canonical_link, options["rewrite"])
    page.canonical_url = canonicalize_url(url, page.canonical_link)
    page.body_words = len(WORD.findall(doc.get("text") or ""))
    page.reached = "extracted"
    if page.body_words < min_words:
        page.text = _sane(doc.get("text") or "")
        return page
    cleaned = clean(doc, options, learned)
    page.text = _sane(cleaned.get("text") or "")
    page.authors = _sane(cleaned.get("authors") or [])
    page.credits = _sane(cleaned.get("credits") or [])
    page.dateline = _sane(cleaned.get("dateline"))
    page.word_count = cleaned["word_count"]
    page.reached = "cleaned"
    if page.word_count < min_words:
        return page
    page.line_keys, page.line_examples = learnable(cleaned)
    tags = tag(page.title or "", page.text, page.language)
    page.places, page.actors, page.events = tags["places"], tags["actors"], tags["events"]
    page.topic_score = tags["topic_score"]
    fp = fingerprint(page.text)
    page.content_hash, page.signature, page.bands = fp["content_hash"], fp["signature"], fp["bands"]
    page.shingled_words = fp["words"]
    page.search = search_forms(page.title, page.text)
    page.incidents = _incidents(page)
    page.reached = "complete"
    return page


def load_tables() -> None:
    """Load every table the page function reads lazily (each on its first use otherwise):
    the gazetteer, its tries and spellings, the actors, events and topic terms, the
    language model, the boilerplate phrase families and their patterns, the number, date
    and byline tables, the incident lexicon, the public suffix list.  The pool's
    forkserver calls this once before it forks the workers (``crawler/pool_preload.py``), which
    then share them; a test checks that a page loads nothing more after it."""
    tagger._tries()
    tagger.load_ambiguous()
    tagger.load_topic_terms()
    language._identifier()
    dedup._spellings()
    for words in range(1, phrases._most_words() + 1):
        phrases._any_family(words)
    phrases._suffixes()
    numbers.number_table()
    numbers._words()
    for table in (dates.month_names, dates.calendar_words, dates.month_words,
                  dates.weekday_names, dates.relative_days, dates.english_calendar_words,
                  dates.english_calendar_names, dates._text_patterns):
        table()
    bylines._rules()
    incidents_extract._gazetteer()
    incidents_extract._actor_kinds()
    lexicon.lexicon()
    urls._registrable_domain("example.com")  # (the tld package's public suffix trie)
    load_fallback_tables()  # (trafilatura's justext stop words)


def _incidents(page: Page) -> list[dict]:
    """The incidents ``page`` reports; none (and a note) when the extractor fails: an
    incident is worth less than the page it is read from."""
    try:
        return extract_incidents(page.title or "", page.text, page.published, page.language)
    except Exception:  # any failure of the reader: the page stays
        page.notes.append("incidents-failed")  # (a count of the crawl, by reason)
        return []
