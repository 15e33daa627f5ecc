"""Stage 1: extract the article body and metadata from HTML.

:func:`extract` is pure (str/dict in, dict out) so it runs in a process pool and offline
over stored captures.  It parses the page once with lxml; metadata comes from
``pipelines.metadata.extract_metadata`` (trafilatura's metadata if that fails); the body
comes from trafilatura run on the tree after :func:`pipelines.clean.prune_tree` has
dropped share rows, comments, captions, decks, related lists and other stories' cards.
trafilatura runs in precision mode, with a recall-mode fallback when precision keeps too
little of what the page plainly holds; JSON-LD ``articleBody`` is a last resort for pages
whose markup defeats both.  The headline is removed from the body (it is metadata).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import trafilatura
from justext.core import define_stoplist
from trafilatura import external as traf_external
from trafilatura.metadata import extract_metadata as traf_metadata

from .html import parse
from .metadata import canonical_link, extract_metadata, jsonld_objects
from .phrases import line_key
from .prune import prune_tree

logger = logging.getLogger(__name__)

WORD = re.compile(r"\w+")
# how much shorter than the recall-mode text the precision-mode text may be
FALLBACK_RATIO = 0.6
# precision-mode text holding this share of the page's <p> words needs no recall run
SKIP_RECALL_SHARE = 0.8


def empty_doc(hints: dict | None = None, options: dict | None = None) -> dict:
    hints = hints or {}
    return {
        "title": hints.get("title"),
        "authors": [],
        "credits": [],
        "published": hints.get("published"),
        "published_source": hints.get("published_source") if hints.get("published") else None,
        "language": hints.get("language") or (options or {}).get("language"),
        "text": "",
        "canonical_link": None,
    }


def _trafilatura_metadata(tree, url: str, hints: dict) -> dict:
    meta = traf_metadata(tree, url or None)
    authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
    return {
        "title": meta.title or hints.get("title"),
        "authors": authors,
        "published": meta.date or hints.get("published"),
        "published_source": "page" if meta.date else hints.get("published_source"),
        "language": None,
    }


def metadata(tree, html: str, url: str, hints: dict, language: str | None = None,
             jsonld: list[dict] | None = None) -> dict:
    """Title, authors, published(+_source), language (and canonical_link) of the page."""
    return dict(extract_metadata(tree, html, url, hints, source_language=language,
                                 jsonld=jsonld))


def load_fallback_tables() -> None:
    """Build what trafilatura's justext fallback builds on first use, in each process that
    reaches it: the stop words of every language (~150,000 strings, ~27 MB, 0.3 s) and
    justext's set of them.  Called once by the pool's forkserver (``page.load_tables``), so
    the workers share one copy instead of building their own."""
    stoplist = traf_external.JT_STOPLIST or traf_external.jt_stoplist_init()
    define_stoplist(stoplist)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _run_trafilatura(tree, url: str, **kwargs) -> list[str]:
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url or None, with_metadata=False, include_comments=False,
            include_tables=True, include_images=False, **kwargs)
    except Exception:
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return []
    return _lines(doc.text if doc is not None else None)


def _words(lines: list[str]) -> int:
    return sum(len(WORD.findall(line)) for line in lines)


def _same_page(a: str, b: str) -> bool:
    def bare(u: str) -> str:
        parts = urlsplit(u or "")
        return parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")
    return bool(a and b) and bare(a) == bare(b)


def json_ld_body(objects: list[dict], urls: tuple = (),
                 headline_keys: set | frozenset = frozenset()) -> str | None:
    """The JSON-LD ``articleBody`` describing this page, or None.

    ``objects``: the page's JSON-LD objects (``metadata.jsonld_objects``); every object
    nested in them is looked at.  An object counts when its url / @id / mainEntityOfPage
    is one of ``urls`` (or, when it names no page, its headline is the page's headline),
    so a related article's body is never taken; the longest such body wins.
    """
    best = None
    stack = list(reversed(objects))
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif not isinstance(node, dict):
            continue
        else:
            stack.extend(v for v in node.values() if isinstance(v, (list, dict)))
            body = node.get("articleBody")
            if not isinstance(body, str) or len(body) <= len(best or ""):
                continue
            ids = [node.get("url"), node.get("@id"), node.get("mainEntityOfPage")]
            ids = [i for i in (i.get("@id") if isinstance(i, dict) else i for i in ids)
                   if isinstance(i, str) and i.startswith("http")]
            headline = node.get("headline") if isinstance(node.get("headline"), str) else ""
            if ids:  # it says which page it describes
                if any(_same_page(i, u) for i in ids for u in urls):
                    best = body
            elif line_key(headline) in headline_keys:
                best = body
    return best


def headlines(tree, title: str | None) -> set[str]:
    """Keys of the page's headline as printed: the title, og:title and the first <h1>s."""
    texts = [title or ""]
    texts += tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content')[:2]
    texts += [h.text_content() for h in tree.xpath("//h1")[:3]]
    return {key for key in map(line_key, texts) if key}


def drop_headlines(lines: list[str], keys: set[str]) -> list[str]:
    """``lines`` without the headline, which is metadata, not body text."""
    return [line for line in lines
            if line_key(line) not in keys or len(WORD.findall(line)) > 40]


def body_lines(tree, url: str) -> list[str]:
    """The article body of the (already pruned) tree, as lines.

    Precision mode first; when it kept less than most of the page's paragraph text,
    recall mode too, and recall wins if precision kept under FALLBACK_RATIO of it."""
    precise = _run_trafilatura(tree, url, favor_precision=True)
    paragraph_words = sum(len(WORD.findall(p.text_content() or "")) for p in tree.iter("p"))
    if precise and _words(precise) >= SKIP_RECALL_SHARE * paragraph_words:
        return precise
    broad = _run_trafilatura(tree, url, favor_recall=True)
    if _words(precise) >= FALLBACK_RATIO * _words(broad) and precise:
        return precise
    return broad or precise


def extract(html: str, url: str, options: dict | None = None, hints: dict | None = None,
            tree=None, jsonld: list[dict] | None = None) -> dict:
    """Pure: the article in ``html`` as a dict.

    Keys: title, authors (list), credits (list of {"name", "role"}), published,
    published_source, language, text (paragraphs
    separated by blank lines), canonical_link.  ``options`` is ``Source.as_options()``;
    ``hints`` are the feed/sitemap's title, published, published_source and language.
    ``tree``: ``parse(html)`` when the caller has it already (it is pruned in place);
    ``jsonld``: its JSON-LD objects (``metadata.jsonld_objects``) when the caller has
    read them.
    """
    options = options or {}
    hints = hints or {}
    doc = empty_doc(hints, options)
    if tree is None:
        tree = parse(html)
    if tree is None:
        return doc
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if jsonld is None:
        jsonld = jsonld_objects(tree)
    try:
        meta = metadata(tree, html, url, hints, options.get("language"), jsonld)
    except Exception:  # metadata must never cost us the body
        logger.warning("metadata extraction failed for %s", url, exc_info=True)
        try:
            meta = _trafilatura_metadata(tree, url, hints)
        except Exception:
            meta = {}
    for key in ("title", "authors", "credits", "published", "published_source", "language"):
        if meta.get(key):
            doc[key] = meta[key]
    doc["language"] = doc["language"] or options.get("language")
    # (read here only when metadata failed: it reads the canonical link itself)
    doc["canonical_link"] = meta["canonical_link"] if "canonical_link" in meta \
        else canonical_link(tree, url)
    headline_keys = headlines(tree, doc["title"])
    ld_body = json_ld_body(jsonld, (url, doc["canonical_link"] or ""), headline_keys)
    prune_tree(tree, options)
    lines = body_lines(tree, url)
    if ld_body and _words(lines) < 0.5 * len(WORD.findall(ld_body)):
        lines = _lines(ld_body)
    doc["text"] = "\n\n".join(drop_headlines(lines, headline_keys))
    return doc
