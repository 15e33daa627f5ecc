"""Stage 5: de-duplicate (minimal first version; issue #4 deepens it)."""

from __future__ import annotations

import hashlib

from itemadapter import ItemAdapter

from crawler.urls import canonicalize_url


def content_hash(text: str) -> str:
    """Pure: hash of the whitespace- and case-normalised text."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


class DedupPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        adapter["canonical_url"] = canonicalize_url(adapter["url"], adapter.get("canonical_link"))
        adapter["content_hash"] = content_hash(adapter.get("text") or "")
        return item
