"""Running a crawl from Python: the library behind ``newsarchive crawl``."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.db import open_db
from archive.runs import get_run

from .sources import load_sources

logger = logging.getLogger(__name__)


def project_settings(overrides: dict | None = None) -> Settings:
    """The project's settings (crawler/settings.py), wherever the command runs from."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def parse_overrides(pairs) -> dict:
    """``["KEY=VALUE", ...]`` -> dict (values stay strings; Scrapy converts on read)."""
    out = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"setting must be KEY=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out


def run_crawl(sources_path: str | Path, db_path: str | Path, only=None,
              overrides: dict | None = None) -> dict:
    """Crawl every source (or those named in ``only``) into ``db_path``.

    Returns the ``crawl_runs`` row of the run.  Raises SourcesError for a bad sources file
    before anything is fetched.
    """
    sources = load_sources(sources_path)  # fail early, with a one-line reason
    if only:
        known = {s.name for s in sources}
        missing = sorted(set(only) - known)
        if missing:
            from .exceptions import SourcesError

            raise SourcesError(f"unknown source(s) in {sources_path}: {', '.join(missing)}")
    settings = project_settings({
        "NEWSARCHIVE_SOURCES": str(sources_path),
        "NEWSARCHIVE_DB": str(db_path),
        **(overrides or {}),
    })
    open_db(db_path).close()  # create and migrate before the crawl starts
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    process.crawl(crawler, sources=str(sources_path), only=",".join(only) if only else None)
    process.start()
    run_id = crawler.stats.get_value("newsarchive/run_id")
    db = open_db(db_path)
    try:
        if run_id is None:
            from .exceptions import NewsarchiveError

            raise NewsarchiveError("the crawl did not start (see the log above)")
        return get_run(db, run_id)
    finally:
        db.close()
