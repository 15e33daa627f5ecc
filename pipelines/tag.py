"""Stage 3: tag places, actors, events and a topic score (minimal first version)."""

from __future__ import annotations

import re

from itemadapter import ItemAdapter

TERMS = re.compile(r"\b(Syria|Syrian|Damascus|Aleppo|Idlib|Homs|Hama|Raqqa|Deir ez-Zor|Daraa)\b|سوري", re.I)


def tag(title: str, text: str, language: str | None = None) -> dict:
    """Pure: places, actors, events and topic_score (0..1) for an article."""
    hits = TERMS.findall(f"{title}\n{text}")
    words = max(len(text.split()), 1)
    score = min(1.0, len(hits) * 100 / words / 2)
    return {"places": [], "actors": [], "events": [], "topic_score": round(score, 3)}


class TagPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        for key, value in tag(adapter.get("title") or "", adapter.get("text") or "",
                              adapter.get("language")).items():
            adapter[key] = value
        return item
