"""Stage 2: clean the extracted text (minimal first version; issue #3 deepens it)."""

from __future__ import annotations

from itemadapter import ItemAdapter


def prune_tree(tree, options: dict | None = None) -> None:
    """Pure: drop page parts that are never article text, in place (before extraction)."""


def clean(doc: dict, options: dict | None = None, learned_lines: frozenset = frozenset()) -> dict:
    """Pure: a copy of ``doc`` with boilerplate lines removed and word_count set."""
    out = dict(doc)
    paragraphs = [p for p in (doc.get("text") or "").split("\n\n") if p.strip()]
    title = (doc.get("title") or "").strip()
    paragraphs = [p for p in paragraphs if p.strip() != title]
    out["text"] = "\n\n".join(paragraphs)
    out["word_count"] = len(out["text"].split())
    return out


class CleanPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        doc = clean({k: adapter.get(k) for k in ("title", "text", "authors", "dateline")},
                    {"name": adapter["source"]})
        for key, value in doc.items():
            adapter[key] = value
        return item
