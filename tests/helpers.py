"""Helpers for tests: run the ``newsarchive`` CLI and real crawls as subprocesses."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Loopback needs no politeness delay.
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "LOG_LEVEL=INFO")


def run_cli(*args, timeout=300, env=None, cwd=None) -> subprocess.CompletedProcess:
    """Run ``newsarchive ARGS`` as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.crawler.cli", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
    )


def crawl(sources, db, *extra, fast=True, **kwargs) -> subprocess.CompletedProcess:
    """A real crawl of ``sources`` into ``db`` in a subprocess."""
    args = ["crawl", "--sources", sources, "--db", db, *extra]
    if fast:
        for setting in FAST:
            args += ["-s", setting]
    return run_cli(*args, **kwargs)


def rows(db, sql, params=()) -> list[dict]:
    """Rows of a query on a SQLite file, as dicts."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


# --- stages and items, built the way a crawl builds them -------------------------------

def project_crawler(db_path, **settings):
    """A crawler with the project's settings (crawler/settings.py, where every default
    lives), the archive at ``db_path`` and pages processed inline; its stats open."""
    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.run import project_settings

    values = project_settings({"NEWSARCHIVE_DB": str(db_path), "NEWSARCHIVE_WORKERS": 0,
                               "NEWSARCHIVE_WRITE_BATCH": 1, "TWISTED_REACTOR_ENABLED": False,
                               **settings}).copy_to_dict()
    crawler = get_crawler(settings_dict=values)
    crawler.stats.open_spider()
    return crawler


def article_item(url, text, *, source="test", title="A headline", fetched_at=
                 "2026-03-04T08:00:00+00:00", canonical_link=None, published=None,
                 language="en"):
    """An item as the judge stage leaves an article, for a page whose extracted title and
    text are given (the tagger and the fingerprint run on them)."""
    from newsarchive.crawler.items import ArticleItem
    from newsarchive.pipelines.dedup import fingerprint
    from newsarchive.pipelines.fulltext import search_forms
    from newsarchive.pipelines.page import Page
    from newsarchive.pipelines.tag import tag
    from newsarchive.pipelines.urls import canonicalize_url

    fp = fingerprint(text)
    words = len(text.split())
    page = Page(url=url, kind="article", title=title, text=text, language=language,
                published=published, published_source="page" if published else None,
                canonical_link=canonical_link, canonical_url=canonicalize_url(url, canonical_link),
                body_words=words, word_count=words, content_hash=fp["content_hash"],
                signature=fp["signature"], bands=fp["bands"], shingled_words=fp["words"],
                search=search_forms(title, text), reached="complete",
                **{k: v for k, v in tag(title, text, language).items()})
    return ArticleItem(url=url, source=source, fetched_at=fetched_at, page=page,
                       verdict={"outcome": "article", "reason": None, "detail": ""})


def run_stages(crawler, item, *stages):
    """``item`` through the given stage classes of ``crawler``, as Scrapy runs them
    (coroutine stages awaited); returns the item."""
    import asyncio
    import inspect

    from scrapy.utils.misc import build_from_crawler

    for stage in stages:
        result = build_from_crawler(stage, crawler).process_item(item)
        item = asyncio.run(result) if inspect.isawaitable(result) else result
    return item
