"""Scrapy extensions: the ``crawl_runs`` row of each crawl."""

from __future__ import annotations

import errno
import logging
import sqlite3
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newsarchive.archive import places, runs
from newsarchive.crawler.context import archive_of
from newsarchive.crawler.pool import Pool
from newsarchive.pipelines.stages.store import regroup_events
from newsarchive.pipelines.tag import load_gazetteer

from .middlewares.faults import unreachable_note

logger = logging.getLogger(__name__)

OUTCOMES = runs.OUTCOMES


def fold_stats(stats: dict) -> tuple[dict, dict, dict]:
    """Crawl stats -> (counts by outcome, counts by reason, counts by source and outcome).

    Reasons are counted once, where the project decides them (``newsarchive/reason/*``: the
    pipelines, the spider and its errback, see crawler/middlewares/faults.py), so a 503
    that was retried into a 200 is a ``retried`` count, not a failure.  Scrapy's own
    counters add what no newsarchive component sees (URL length, offsite spider filter).
    """
    outcomes: dict = {}
    reasons: dict = {}
    per_source: dict = {}
    for key, value in stats.items():
        if not isinstance(value, int):
            continue
        if key.startswith("newsarchive/outcome/"):
            outcomes[key.rsplit("/", 1)[1]] = value
        elif key.startswith("newsarchive/reason/"):
            reason = key.split("/", 2)[2]
            reasons[reason] = reasons.get(reason, 0) + value
        elif key.startswith("newsarchive/source/"):
            _, _, source, what = key.split("/", 3)
            per_source.setdefault(source, {})[what] = value
        elif key in SCRAPY_REASONS:
            reason = SCRAPY_REASONS[key]
            reasons[reason] = reasons.get(reason, 0) + value
    return outcomes, reasons, per_source


SCRAPY_REASONS = {
    "retry/count": "retried",
    "urllength/request_ignored_count": "url-too-long",
    "offsite/filtered": "offsite",
    "dupefilter/filtered": "same-url-again",
}
# per-source counts that mean "the source still works" (degraded detection)
FOUND = ("stored", "duplicate", "off_topic", "already_seen", "not_modified")
# reasons of pages that were fetched and then lost to an error of ours: the run is
# degraded (the pages are captured, recorded as failed in `pages`, and fetched again by
# the next run)
LOST = ("too-slow", "worker-died", "unparseable", "store-error", "capture-error",
        "not-judged")


def lost_pages(reasons: dict) -> str:
    """"3 pages lost to errors (too-slow: 1, store-error: 2)", or "" when none were."""
    lost = {r: reasons[r] for r in LOST if reasons.get(r)}
    if not lost:
        return ""
    total = sum(lost.values())
    return (f"{total} page{'s' if total != 1 else ''} lost to errors ("
            + ", ".join(f"{r}: {n}" for r, n in lost.items()) + ")")


def disk_full(exc: BaseException) -> bool:
    """True if ``exc`` says the disk (or a file size limit) is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.Error) and "full" in str(exc).lower()


class CrawlRunRecorder:
    """Opens a ``crawl_runs`` row when the spider opens and completes it when it closes."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        return ext

    def item_error(self, item, response, spider, failure):
        """A full disk stops the crawl: every further write would fail the same way."""
        if disk_full(failure.value):
            self.stop_for_disk_full(failure.value)

    def stop_for_disk_full(self, exc) -> None:
        stats = self.crawler.stats
        if stats.get_value("newsarchive/fatal"):
            return
        message = f"disk full while writing the archive ({exc}); the archive is intact"
        logger.error(message)
        stats.set_value("newsarchive/fatal", message)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="disk-full"))

    def spider_opened(self, spider):
        archive = archive_of(self.crawler)
        archive.run_id = runs.start_run(archive.db, getattr(spider, "sources_path", None))
        self.crawler.stats.set_value("newsarchive/run_id", archive.run_id)
        logger.info("crawl run %s started, archive %s", archive.run_id, archive.path)

    def spider_closed(self, spider, reason):
        archive = archive_of(self.crawler)
        stats = self.crawler.stats.get_stats()
        outcomes, reasons, per_source = fold_stats(stats)
        status, message = self.judge(archive, reason, outcomes, per_source, spider)
        lost = lost_pages(reasons)
        if lost and status == "ok":
            status, message = "degraded", f"{lost}; {message}"
        elif lost and status != "failed":
            message = f"{lost}; {message}"
        if self.crawler.stats.get_value("newsarchive/fatal"):
            status, message = "failed", self.crawler.stats.get_value("newsarchive/fatal")
        try:
            # the map's places table: article counts per place after this run's articles
            places.refresh_places(archive.db, load_gazetteer())
        except Exception as exc:  # the run row matters more than the map
            logger.error("could not refresh the places table: %s", exc)
        try:
            # incidents of this run's articles join the events of earlier ones
            self.crawler.stats.set_value("newsarchive/incident_events",
                                         regroup_events(archive.db))
        except Exception as exc:  # the run row matters more than the events
            logger.error("could not group the incidents into events: %s", exc)
        try:
            runs.finish_run(archive.db, archive.run_id, status, outcomes, reasons, per_source,
                            message)
        except Exception as exc:
            if not disk_full(exc):
                raise
            # the row stays 'running'; the next run marks it interrupted
            logger.error("could not record the end of crawl run %s: %s", archive.run_id, exc)
            self.crawler.stats.set_value(
                "newsarchive/fatal", f"disk full while writing the archive ({exc})")
        self.crawler.stats.set_value("newsarchive/status", status)
        log = logger.warning if status != "ok" else logger.info
        log("crawl run %s %s: %s", archive.run_id, status, message)

    def judge(self, archive, reason, outcomes, per_source, spider) -> tuple[str, str]:
        summary = ", ".join(f"{outcomes.get(o, 0)} {o.replace('_', '-')}" for o in OUTCOMES)
        summary += unreachable_note(self.crawler.stats.get_stats())  # names hosts and causes
        if reason == "stalled":
            stalled = self.crawler.stats.get_value("newsarchive/stalled") or ""
            return "degraded", f"stopped: {stalled}; {summary}"
        if reason != "finished":
            return "interrupted", f"stopped ({reason}); {summary}"
        stats = self.crawler.stats
        # a 304 is an answer too: a run whose every feed was unchanged has not failed
        responses = stats.get_value("response_received_count", 0) + stats.get_value(
            "newsarchive/reason/not-modified", 0)
        if not responses:
            return "failed", f"no responses received; {summary}"
        lost = {key.rsplit("/", 1)[1]: n for key, n in stats.get_stats().items()
                if key.startswith("newsarchive/lost/") and n}
        if lost:  # a run that lost part of its input never says ok
            detail = ", ".join(f"{reason} {n}" for reason, n in sorted(lost.items()))
            return "degraded", (f"{sum(lost.values())} record(s) of the input refused or "
                                f"unreadable ({detail}); {summary}")
        before = runs.previous_source_yields(archive.db, archive.run_id)
        silent = []
        for name in getattr(spider, "sources", {}):
            counts = per_source.get(name, {})
            found = sum(counts.get(k, 0) for k in FOUND)
            if before.get(name) and not found:
                silent.append(name)
        if silent:
            return "degraded", (f"source(s) that yielded articles before yielded none: "
                                f"{', '.join(sorted(silent))}; {summary}")
        return "ok", summary


class ProgressWatchdog:
    """Ends a crawl that has made no progress for ``NEWSARCHIVE_STALL_SECONDS``: no response
    received, no page processed, no request refused.  A crawl whose sites stopped answering
    (and whose timeouts are long), or whose worker processes were lost, would otherwise
    hold the archive's lock for ever and every later cron run would find it taken; this one
    closes (reason ``stalled``), its run recorded ``degraded``.  0 switches it off."""

    COUNTERS = ("response_received_count", "item_scraped_count", "item_dropped_count",
                "downloader/exception_count", "newsarchive/redis/queued")

    def __init__(self, crawler, seconds: float):
        self.crawler = crawler
        self.seconds = seconds
        self.last = None
        self.since = None
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        seconds = crawler.settings.getfloat("NEWSARCHIVE_STALL_SECONDS")
        if seconds <= 0:
            raise NotConfigured("NEWSARCHIVE_STALL_SECONDS is 0")
        watchdog = cls(crawler, seconds)
        crawler.signals.connect(watchdog.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(watchdog.spider_closed, signal=signals.spider_closed)
        return watchdog

    def spider_opened(self, spider):
        from twisted.internet import task  # (the reactor runs from here on)

        self.task = task.LoopingCall(self.check)
        self.task.start(min(self.seconds / 4, 30.0), now=False)

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()

    def progress(self) -> tuple:
        stats = self.crawler.stats
        return tuple(stats.get_value(key, 0) for key in self.COUNTERS) + tuple(
            value for key, value in stats.get_stats().items()
            if key.startswith("newsarchive/reason/"))

    def check(self) -> None:
        now = time.monotonic()
        progress = self.progress()
        if progress != self.last:
            self.last, self.since = progress, now
            return
        if now - self.since < self.seconds:
            return
        message = f"no progress for {now - self.since:.0f} s"
        logger.error("%s: stopping the crawl (NEWSARCHIVE_STALL_SECONDS)", message)
        self.crawler.stats.set_value("newsarchive/stalled", message)
        self.task.stop()
        pool = Pool._by_crawler.get(self.crawler)
        if pool is not None:  # nothing may wait for a page now
            pool.abort("stalled")
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="stalled"))
