"""Stage results computed ahead: how a stage takes what the analyse stage made for it.

The analyse stage (``pipelines/analyse.py``) runs the whole pure chain of a page in one
worker call and leaves each later stage's result in ``item.ahead``.  A stage calls
:func:`take` first; it gets its result only if the inputs it was computed from are still
the item's (a stage in between may have changed the title or the text), else None, and
then computes it itself.  So every stage also works alone, and in any order.
"""

from __future__ import annotations

# the item fields each result was computed from, besides the HTML
INPUTS = {
    "extract": (),
    "clean": (),
    "tag": ("title", "text", "language"),
    "fingerprint": ("text",),
    "search": ("title", "text"),
}


def take(adapter, stage: str):
    """The ``stage`` result computed ahead for this item (removed from it), or None."""
    ahead = adapter.get("ahead")
    if not ahead or stage not in ahead:
        return None
    result = ahead.pop(stage)
    inputs = ahead.get("inputs") or {}
    for key in INPUTS.get(stage, ()):
        if (adapter.get(key) or "") != (inputs.get(key) or ""):
            return None
    return result
