"""Shared helpers for the pipeline stages: counting outcomes and dropping items."""

from __future__ import annotations

from scrapy.exceptions import DropItem


def count(stats, source: str, outcome: str, reason: str | None = None) -> None:
    """Count an item's outcome (and reason) in the crawl stats, overall and per source."""
    stats.inc_value(f"newsarchive/outcome/{outcome}")
    stats.inc_value(f"newsarchive/source/{source}/{outcome}")
    if reason:
        stats.inc_value(f"newsarchive/reason/{reason}")


def drop(stats, source: str, outcome: str, reason: str, detail: str) -> DropItem:
    """Count and return a DropItem with a specific message: ``raise drop(...)``."""
    count(stats, source, outcome, reason)
    return DropItem(f"{reason}: {detail}")
