"""Stage 0: the whole pure chain of a page in one worker call.

Scrapy runs every pipeline on the reactor thread, so the CPU work of a page (parsing,
classifying, extracting, cleaning, tagging, shingling, the search index's Arabic
normalisation) goes to the process pool (``pipelines/pool.py``).  One call per page:
every hop costs the reactor a pickle of the page, a future and a wake-up, and each stage
of its own would parse or normalise the same text again.  :func:`analyse` does the chain
once (one lxml parse for classify and extract) and :class:`AnalysePipeline` leaves the
results on the item (``item.ahead``); each later stage takes its own
(``pipelines/ahead.py``) and does only what must happen on the reactor: its checks and
counts, the archive look-ups and writes.  A stage whose result is missing (an item that
did not come through here, a result made stale by a stage in between) computes it itself.

A page the spider did not classify (``page_kind`` None: no link of it will be followed)
is classified here first; anything but an article is dropped as ``not_article`` with
what it is (``listing``, ``empty``, ``liveblog``) as the reason, as the spider would.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from .base import drop
from .pool import Pool, call

logger = logging.getLogger(__name__)


def analyse(html, url: str, options: dict | None = None, hints: dict | None = None,
            learned_lines: frozenset = frozenset(), classify_page: bool = False,
            min_words: int = 0) -> dict:
    """Pure: ``{"kind", "extract", "clean", "tag", "fingerprint", "search", "inputs"}`` of
    a page, as far as it gets: it stops after ``kind`` for a page that is not an article
    (only asked when ``classify_page``), and after ``extract`` or ``clean`` when fewer than
    ``min_words`` words are left (the stage at hand drops the item)."""
    from newsarchive.crawler.pagetype import classify

    from .clean import clean, learnable
    from .dedup import fingerprint
    from .extract import WORD, extract, parse
    from .fulltext import search_forms
    from .tag import tag

    out: dict = {}
    tree = parse(html)
    if classify_page:
        out["kind"] = classify(tree, url) if tree is not None else "empty"
        if out["kind"] != "article":
            return out
    doc = extract(html, url, options, hints, tree=tree)
    words = len(WORD.findall(doc.get("text") or ""))
    out["extract"] = {"doc": doc, "words": words}
    if words < min_words:
        return out
    cleaned = out["clean"] = clean(dict(doc), options, learned_lines)
    if cleaned["word_count"] < min_words:
        return out
    cleaned["learn"] = learnable(cleaned)
    title, text, language = doc.get("title") or "", cleaned.get("text") or "", doc.get("language")
    out["inputs"] = {"title": title, "text": text, "language": language}
    out["tag"] = tag(title, text, language)
    out["fingerprint"] = fingerprint(text)
    out["search"] = search_forms(title, text)
    return out


class AnalysePipeline:
    """Runs :func:`analyse` for each item (in a worker when the crawl has them) and leaves
    the results in ``item.ahead`` for the later stages."""

    def __init__(self, crawler, pool=None):
        from .clean import LearnedLines
        from .extract import SourceOptions

        self.stats = crawler.stats
        self.pool = pool
        self.source_options = SourceOptions(crawler)
        self.learned = LearnedLines.for_crawler(crawler)
        self.min_words = crawler.settings.getint("NEWSARCHIVE_MIN_WORDS", 0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Pool.for_crawler(crawler))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        source = adapter.get("source") or ""
        url = adapter.get("url") or ""
        unclassified = adapter.get("page_kind") is None

        def failed(exc):
            if unclassified:  # hostile markup: what the spider says of a page it cannot parse
                logger.warning("unparseable page %s: %r", url, exc)
                raise drop(self.stats, source, "not_article", "unparseable", url) from None
            # the stages compute their own results (and report their own failures)
            logger.debug("analysis failed for %s: %r", url, exc)
            return item

        options = self.source_options.get(source) or {"name": source}
        return call(self.pool, analyse,
                    (adapter.get("html") or "", url, options, adapter.get("hints"),
                     self.learned.get(source), unclassified, self.min_words),
                    lambda result: self._attach(item, result), failed)

    def _attach(self, item, result: dict):
        adapter = ItemAdapter(item)
        kind = result.pop("kind", None)
        if kind is not None:
            self.stats.inc_value(f"newsarchive/pages/{kind}")
            if kind != "article":
                logger.info("not an article (%s): %s", kind, adapter.get("url"))
                raise drop(self.stats, adapter.get("source") or "", "not_article", kind,
                           adapter.get("url") or "")
            adapter["page_kind"] = kind
        adapter["ahead"] = result
        return item
