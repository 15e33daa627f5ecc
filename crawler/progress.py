"""A one-line progress display for crawls run from an interactive terminal.

Scrapy's LogStats extension already logs pages and items per minute every
``LOGSTATS_INTERVAL`` seconds (for log files, cron and CI).  On a terminal a person also
wants to see the crawl move, so :class:`ProgressBar` redraws one line on stderr every
``NEWSARCHIVE_PROGRESS_INTERVAL`` seconds::

    [##########..........] 2,510/5,012 requests  48.2 pages/s  stored 2,391  dup 12  other 40

A crawl discovers its URLs as it goes, so the bar's total is what was scheduled so far.  The
extension switches itself off (``NotConfigured``) unless stderr is a TTY, and when
``NEWSARCHIVE_PROGRESS`` is false: cron mail and CI logs never see it.
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

WIDTH = 20


def render(stats: dict, elapsed: float, width: int = WIDTH) -> str:
    """The progress line for a crawl's stats dict after ``elapsed`` seconds."""
    done = stats.get("downloader/response_count", 0)
    total = max(stats.get("scheduler/enqueued", 0), done, 1)
    filled = int(width * done / total)
    rate = stats.get("response_received_count", 0) / elapsed if elapsed > 0 else 0.0
    stored = stats.get("newsarchive/outcome/stored", 0)
    dup = stats.get("newsarchive/outcome/duplicate", 0)
    other = sum(stats.get(f"newsarchive/outcome/{k}", 0)
                for k in ("off_topic", "not_article", "failed"))
    return (f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} requests  "
            f"{rate:.1f} pages/s  stored {stored:,}  dup {dup:,}  other {other:,}")


class ProgressBar:
    def __init__(self, crawler, interval: float, stream=None):
        self.crawler = crawler
        self.interval = interval
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._call = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS", True):
            raise NotConfigured("NEWSARCHIVE_PROGRESS is off")
        isatty = getattr(sys.stderr, "isatty", None)
        if not (isatty and isatty()):
            raise NotConfigured("stderr is not a terminal")
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None):
        from twisted.internet import task

        self.started = time.monotonic()
        self._call = task.LoopingCall(self.draw)
        self._call.start(self.interval, now=False)

    def draw(self, end: str = "") -> None:
        line = render(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        self.stream.write("\r\x1b[K" + line + end)
        self.stream.flush()

    def spider_closed(self, spider=None, reason=None):
        if self._call is not None and self._call.running:
            self._call.stop()
        self.draw(end="\n")
