"""Stage 1: extract the article body and metadata from HTML with trafilatura.

(minimal first version; issue #3 deepens it)
"""

from __future__ import annotations

import logging

import trafilatura
from itemadapter import ItemAdapter

from .base import drop

logger = logging.getLogger(__name__)


def extract(html: str, url: str, options: dict | None = None, hints: dict | None = None) -> dict:
    """Pure: the article in ``html`` as a dict (title, authors, published, text, ...)."""
    hints = hints or {}
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, as_dict=True,
    ) or {}
    text = (doc.get("text") or "").strip()
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    authors = [a.strip() for a in (doc.get("author") or "").split(";") if a.strip()]
    published = doc.get("date") or hints.get("published")
    return {
        "title": doc.get("title") or hints.get("title"),
        "authors": authors,
        "published": published,
        "published_source": "page" if doc.get("date") else hints.get("published_source"),
        "language": doc.get("language") or (options or {}).get("language"),
        "text": "\n\n".join(paragraphs),
        "canonical_link": None,
    }


class ExtractPipeline:
    def __init__(self, stats, min_words: int):
        self.stats = stats
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("NEWSARCHIVE_MIN_WORDS"))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        try:
            doc = extract(adapter["html"], adapter["url"], {"name": adapter["source"]},
                          adapter.get("hints"))
        except Exception as exc:  # a broken page must not stop the crawl
            logger.warning("extraction failed for %s: %r", adapter["url"], exc)
            raise drop(self.stats, adapter["source"], "failed", "extract-error", adapter["url"])
        if len((doc.get("text") or "").split()) < self.min_words:
            raise drop(self.stats, adapter["source"], "not_article", "not-article",
                       f"too little text on {adapter['url']}")
        for key, value in doc.items():
            adapter[key] = value
        return item
