"""A live progress display for crawls run from an interactive terminal (rich).

Scrapy's LogStats extension already logs pages and items per minute every
``LOGSTATS_INTERVAL`` seconds (for log files, cron and CI).  On a terminal a person also
wants to see the crawl move, so :class:`ProgressBar` keeps one status line at the bottom
of the terminal, redrawn every ``NEWSARCHIVE_PROGRESS_INTERVAL`` seconds::

    ⠙ fetched 2,510 · queued 312 · 48.2 pages/s · stored 2,391 · dup 12 · other 40 ━━━ 0:00:52

A crawl discovers its URLs as it goes, so the number still to fetch grows and shrinks: the
bar pulses instead of showing a fraction that would run backwards.  Log lines are printed
above the status line, never into it: while the display is live, the crawl's stderr log
handler writes through rich's stderr proxy, which hands each complete line to the console
that owns the status line.  When the spider closes the display stops, leaving its last
state, and the command's one-line summary comes after it.

The extension switches itself off (``NotConfigured``) unless stderr is a TTY, and when
``NEWSARCHIVE_PROGRESS`` is false: cron mail and CI logs never see it.
"""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured


def render(stats: dict, elapsed: float) -> str:
    """The status text for a crawl's stats dict after ``elapsed`` seconds."""
    done = stats.get("downloader/response_count", 0)
    queued = max(stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0), 0)
    rate = stats.get("response_received_count", 0) / elapsed if elapsed > 0 else 0.0
    stored = stats.get("newsarchive/outcome/stored", 0)
    dup = stats.get("newsarchive/outcome/duplicate", 0)
    other = sum(stats.get(f"newsarchive/outcome/{k}", 0)
                for k in ("off_topic", "not_article", "failed"))
    return (f"fetched {done:,} · queued {queued:,} · {rate:.1f} pages/s · "
            f"stored {stored:,} · dup {dup:,} · other {other:,}")


class ProgressBar:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self._call = None
        self._progress = None
        self._task = None
        self._swapped: list = []

    @classmethod
    def from_crawler(cls, crawler):
        # no message: Scrapy would log "Disabled ..." as a warning on every cron run
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS", True):
            raise NotConfigured
        isatty = getattr(sys.stderr, "isatty", None)
        if not (isatty and isatty()):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        from twisted.internet import task

        self.started = time.monotonic()
        stderr = sys.stderr
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=12),
            TimeElapsedColumn(), console=Console(stderr=True), redirect_stderr=True,
            redirect_stdout=False, transient=False, refresh_per_second=4)
        self._task = self._progress.add_task(render({}, 0.0), total=None)
        self._progress.start()
        # the crawl's log handler on stderr now writes through rich's proxy (sys.stderr),
        # which prints each whole line above the status line
        for handler in logging.getLogger().handlers:
            if (type(handler) is logging.StreamHandler
                    and handler.stream in (stderr, sys.__stderr__)):
                self._swapped.append((handler, handler.setStream(sys.stderr)))
        self._call = task.LoopingCall(self.draw)
        self._call.start(self.interval, now=False)

    def draw(self) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=render(
                self.crawler.stats.get_stats(), time.monotonic() - self.started))

    def spider_closed(self, spider=None, reason=None):
        if self._call is not None and self._call.running:
            self._call.stop()
        if self._progress is None:
            return
        self.draw()
        self._progress.stop()
        for handler, stream in self._swapped:
            handler.setStream(stream)
        self._swapped.clear()
        self._progress = None
