"""What the components of one crawl share, one of each per crawler (never a global):
its archive connection and its batched writes, its sources' options and their learned
boilerplate lines.

Each is made on first use by whichever component asks first and closed when the crawl
ends.  The worker pool (``crawler/pool.py``) and the WARC writer
(``pipelines/stages/capture.py``) are kept the same way.
"""

from __future__ import annotations

import logging
import weakref
from contextlib import contextmanager

from scrapy import signals

from newsarchive.archive import boilerplate
from newsarchive.archive.access import Archive
from newsarchive.archive.batch import WriteBatch

logger = logging.getLogger(__name__)

_archives: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_options: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_learned: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def archive_of(crawler) -> Archive:
    """The crawl's archive (``NEWSARCHIVE_DB``), opened on first use, closed when the
    engine stops (after every spider_closed handler, the run recorder's included)."""
    archive = _archives.get(crawler)
    if archive is None:
        archive = _archives[crawler] = Archive(crawler.settings.get("NEWSARCHIVE_DB"))
        crawler.signals.connect(archive.close, signal=signals.engine_stopped)
    return archive


class SourceOptions:
    """``Source.as_options()`` by source name for a crawl: the spider's own sources when
    it has them (``-a sources=...`` overrides the setting), else the sources file named by
    ``NEWSARCHIVE_SOURCES``, else just ``{"name": name}``."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._options: dict | None = None

    def get(self, name: str) -> dict:
        if self._options is None:
            spider_sources = getattr(getattr(self.crawler, "spider", None), "sources", None)
            if isinstance(spider_sources, dict) and spider_sources:
                self._options = {n: s.as_options() for n, s in spider_sources.items()
                                 if hasattr(s, "as_options")}
            else:
                self._options = _file_options(self.crawler.settings.get("NEWSARCHIVE_SOURCES"))
        return self._options.get(name) or {"name": name}


def _file_options(path) -> dict:
    """``{name: Source.as_options()}`` of a sources file ({} when unreadable)."""
    from .sources import load_sources  # (crawler.sources imports this module's users)

    if not path:
        return {}
    try:
        return {s.name: s.as_options() for s in load_sources(path)}
    except Exception:  # the spider reports a bad sources file; processing falls back
        logger.debug("no source options from %s", path, exc_info=True)
        return {}


def source_options(crawler) -> SourceOptions:
    options = _options.get(crawler)
    if options is None:
        options = _options[crawler] = SourceOptions(crawler)
    return options


class LearnedLines:
    """Each source's learned boilerplate keys, read from the archive: cached, re-read
    every ``refresh`` look-ups of that source (this is a hot path)."""

    def __init__(self, db, min_articles: int, share: float, refresh: int):
        self.db = db
        self.min_articles = max(1, min_articles)
        self.share = share
        self.refresh = max(1, refresh)
        self._learned: dict[str, frozenset] = {}
        self._until_refresh: dict[str, int] = {}

    @classmethod
    def from_settings(cls, db, settings) -> "LearnedLines":
        return cls(db, settings.getint("NEWSARCHIVE_LEARN_MIN_ARTICLES"),
                   settings.getfloat("NEWSARCHIVE_LEARN_SHARE"),
                   settings.getint("NEWSARCHIVE_LEARN_REFRESH"))

    def get(self, source: str) -> frozenset:
        """The learned boilerplate keys of ``source``."""
        left = self._until_refresh.get(source, 0)
        if source not in self._learned or left <= 0:
            try:
                learned = boilerplate.learned_keys(self.db, source, self.min_articles, self.share)
                if len(learned) != len(self._learned.get(source, ())):
                    logger.info("%s: %d learned boilerplate lines", source, len(learned))
                self._learned[source] = learned
            except Exception:  # learning is an optimisation; never lose the article over it
                logger.warning("could not read learned lines of %s", source, exc_info=True)
                self._learned.setdefault(source, frozenset())
            left = self.refresh
        self._until_refresh[source] = left - 1
        return self._learned[source]


def learned_lines(crawler) -> LearnedLines:
    learned = _learned.get(crawler)
    if learned is None:
        learned = _learned[crawler] = LearnedLines.from_settings(archive_of(crawler).db,
                                                                 crawler.settings)
    return learned


class Writes:
    """The crawl's archive writes, grouped into transactions (``archive/batch.py``): the
    writes of up to ``NEWSARCHIVE_WRITE_BATCH`` pages (or of
    ``NEWSARCHIVE_WRITE_BATCH_SECONDS``) commit together, each page's in a savepoint of its
    own.  A killed crawl loses at most the last uncommitted batch -- rows and seen_urls
    marks alike -- which the next run fetches again.  With a batch size of 1 every page's
    writes commit on their own."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.archive = archive_of(crawler)
        self.batch = None
        self._timer = None
        size = settings.getint("NEWSARCHIVE_WRITE_BATCH")
        if size > 1:
            self.batch = WriteBatch(self.archive.db, size,
                                    settings.getfloat("NEWSARCHIVE_WRITE_BATCH_SECONDS"),
                                    before_commit=self.archive.before_commit)
            self.archive.batched = True

    @contextmanager
    def transaction(self):
        """The writes of one page: a savepoint in the open batch (or a transaction)."""
        if self.batch is None:
            with self.archive.db.atomic():
                yield self.archive.db
            return
        self._start_timer()
        self.batch.begin()
        try:
            with self.archive.db.atomic():
                yield self.archive.db
        finally:
            self.batch.done()

    def after_commit(self, callback) -> None:
        """Call ``callback`` when the writes so far are committed (at once unbatched)."""
        if self.batch is None:
            callback()
        else:
            self.batch.after_commit(callback)

    def _start_timer(self) -> None:
        if self._timer is None:
            from twisted.internet import task  # (the reactor runs by the first write)

            self._timer = task.LoopingCall(self._commit_if_due)
            self._timer.start(max(0.1, self.batch.max_seconds), now=False)

    def _commit_if_due(self) -> None:
        try:
            if self.batch.due():
                self.batch.commit()
        except Exception as exc:  # the next page's commit raises it where it is counted
            logger.error("could not commit the last pages: %s", exc)

    def close(self) -> None:
        """Commit what is pending (the crawl's last writes)."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.batch is not None:
            self.batch.commit()


_writes: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def writes_of(crawler) -> Writes:
    writes = _writes.get(crawler)
    if writes is None:
        writes = _writes[crawler] = Writes(crawler)
    return writes
