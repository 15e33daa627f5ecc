"""Running a crawl from Python: the library behind ``newsarchive crawl``."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newsarchive.archive.db import open_db
from newsarchive.archive.runs import close_stale_runs, get_run

from . import logs
from .exceptions import NewsarchiveError
from .extensions import disk_full
from .lock import ArchiveLock
from .sources import load_sources

logger = logging.getLogger(__name__)


def project_settings(overrides: dict | None = None) -> Settings:
    """The project's settings (crawler/settings.py), wherever the command runs from."""
    settings = Settings()
    settings.setmodule("newsarchive.crawler.settings", priority="project")
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


def finished_run(crawler, db_path, what: str) -> dict:
    """The ``crawl_runs`` row a finished crawler recorded; NewsarchiveError if it failed
    fatally (disk full...) or never started."""
    fatal = crawler.stats.get_value("newsarchive/fatal")
    if fatal:
        raise NewsarchiveError(fatal)
    run_id = crawler.stats.get_value("newsarchive/run_id")
    if run_id is None:
        raise NewsarchiveError(f"{what} did not start (see the log)")
    db = open_db(db_path)
    try:
        return get_run(db, run_id)
    finally:
        db.close()


def run_crawl(sources_path: str | Path, db_path: str | Path, only=None,
              overrides: dict | None = None, log_file: str | Path | None = None,
              quiet: bool = False, spider: str = "news",
              spider_args: dict | None = None, redis_url: str | None = None,
              idle_exit: float | None = None) -> dict:
    """Crawl every source (or those named in ``only``) into ``db_path``.

    ``spider``/``spider_args``: another spider through the same pipelines (``wayback``,
    ``warcfile``: issue 7).

    ``redis_url``: run as a distributed worker (issue 9, :mod:`crawler.redis`): requests
    come from the shared scrapy-redis queue, items go to the writer (``newsarchive
    ingest``), and ``db_path`` is this worker's own database (its runs, learned lines);
    ``idle_exit``: stop after the shared queue was empty this many seconds.

    Returns the ``crawl_runs`` row of the run.  Raises SourcesError for a bad sources file
    before anything is fetched, LockedError at once if another crawl holds the archive,
    NewsarchiveError if the disk fills up (the archive stays intact: every write is a
    transaction).  The log goes to ``log_file`` (timestamped), else stderr unless ``quiet``.
    """
    sources = load_sources(sources_path)  # fail early, with a one-line reason
    if only:
        known = {s.name for s in sources}
        missing = sorted(set(only) - known)
        if missing:
            from .exceptions import SourcesError

            raise SourcesError(f"unknown source(s) in {sources_path}: {', '.join(missing)}")
    if redis_url:
        from .redis import reachable, worker_overrides

        reachable(redis_url)  # fail early, with a one-line reason
        overrides = {**worker_overrides(project_settings(), redis_url, idle_exit),
                     **(overrides or {})}
    # a worker's own database may be a template: the first one no other worker holds
    lock = ArchiveLock.first_free(str(db_path)) if "{}" in str(db_path) else ArchiveLock(db_path)
    with lock:
        db_path = getattr(lock, "db_path", db_path)
        settings = project_settings({
            "NEWSARCHIVE_SOURCES": str(sources_path),
            "NEWSARCHIVE_DB": str(db_path),
            **(overrides or {}),
        })
        try:
            db = open_db(db_path)  # create and migrate before the crawl starts
            try:
                stale = close_stale_runs(db)
            finally:
                db.close()
        except sqlite3.Error as exc:
            if disk_full(exc):
                raise NewsarchiveError(f"disk full: cannot open {db_path} ({exc})") from None
            raise
        settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # logs.install
        process = CrawlerProcess(settings)
        remove_handler = logs.install(settings, log_file, quiet)
        try:
            for run_id in stale:
                logger.warning("crawl run %s had not finished (killed, or disk full); marked "
                               "interrupted", run_id)
            crawler = process.create_crawler(spider)
            process.crawl(crawler, sources=str(sources_path),
                          only=",".join(only) if only else None, **(spider_args or {}))
            process.start()
        finally:
            remove_handler()
        return finished_run(crawler, db_path, "the crawl")
