"""Scrapy extensions: the ``crawl_runs`` row of each crawl."""

from __future__ import annotations

import logging

from scrapy import signals

from archive import runs
from archive.access import Archive

logger = logging.getLogger(__name__)

OUTCOMES = runs.OUTCOMES


def fold_stats(stats: dict) -> tuple[dict, dict, dict]:
    """Crawl stats -> (counts by outcome, counts by reason, counts by source and outcome)."""
    outcomes: dict = {}
    reasons: dict = {}
    per_source: dict = {}
    for key, value in stats.items():
        if not isinstance(value, int):
            continue
        if key.startswith("newsarchive/outcome/"):
            outcomes[key.rsplit("/", 1)[1]] = value
        elif key.startswith("newsarchive/reason/"):
            reasons[key.split("/", 2)[2]] = value
        elif key.startswith("newsarchive/source/"):
            _, _, source, what = key.split("/", 3)
            per_source.setdefault(source, {})[what] = value
        elif key.startswith("downloader/response_status_count/"):
            code = key.rsplit("/", 1)[1]
            if code.isdigit() and int(code) >= 400:
                reasons[f"http-{code}"] = value
        elif key.startswith("downloader/exception_type_count/"):
            name = key.rsplit(".", 1)[-1]
            reason = "timeout" if "Timeout" in name else f"error-{name}"
            reasons[reason] = reasons.get(reason, 0) + value
        elif key == "robotstxt/forbidden":
            reasons["robots"] = value
        elif key == "offsite/filtered":
            reasons["offsite"] = value
        elif key == "downloader/response_bytes_maxsize" or key.endswith("/maxsize"):
            reasons["maxsize"] = reasons.get("maxsize", 0) + value
    return outcomes, reasons, per_source


class CrawlRunRecorder:
    """Opens a ``crawl_runs`` row when the spider opens and completes it when it closes."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        archive = Archive.for_crawler(self.crawler)
        archive.run_id = runs.start_run(archive.db, getattr(spider, "sources_path", None))
        self.crawler.stats.set_value("newsarchive/run_id", archive.run_id)
        logger.info("crawl run %s started, archive %s", archive.run_id, archive.path)

    def spider_closed(self, spider, reason):
        archive = Archive.for_crawler(self.crawler)
        stats = self.crawler.stats.get_stats()
        outcomes, reasons, per_source = fold_stats(stats)
        status, message = self.judge(archive, reason, outcomes, per_source, spider)
        runs.finish_run(archive.db, archive.run_id, status, outcomes, reasons, per_source,
                        message)
        self.crawler.stats.set_value("newsarchive/status", status)
        log = logger.warning if status != "ok" else logger.info
        log("crawl run %s %s: %s", archive.run_id, status, message)

    def judge(self, archive, reason, outcomes, per_source, spider) -> tuple[str, str]:
        summary = ", ".join(f"{outcomes.get(o, 0)} {o.replace('_', '-')}" for o in OUTCOMES)
        if reason != "finished":
            return "interrupted", f"stopped ({reason}); {summary}"
        responses = self.crawler.stats.get_value("response_received_count", 0)
        if not responses:
            return "failed", f"no responses received; {summary}"
        before = runs.previous_source_yields(archive.db, archive.run_id)
        silent = []
        for name in getattr(spider, "sources", {}):
            counts = per_source.get(name, {})
            found = sum(counts.get(k, 0) for k in ("stored", "duplicate", "off_topic",
                                                      "already_seen"))
            if before.get(name) and not found:
                silent.append(name)
        if silent:
            return "degraded", (f"source(s) that yielded articles before yielded none: "
                                f"{', '.join(sorted(silent))}; {summary}")
        return "ok", summary
