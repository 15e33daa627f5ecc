"""The scheduler: Scrapy's own, its queue of requests on disk for the length of a run.

A sitemap names every article an outlet has (tens of thousands); held in memory as Request
objects (~1.7 KB each in Scrapy's memory queue), the queue is what made a crawl's memory grow
with the site.  With ``NEWSARCHIVE_DISK_QUEUE`` on, requests wait in Scrapy's disk queue
(``SCHEDULER_DISK_QUEUE``, pickled, ~0.3 KB of memory each) in a private temporary directory
(``tempfile``: ``$TMPDIR`` or the system's), removed when the crawl closes.  A request that
cannot be serialized waits in memory as before (Scrapy counts it,
``scheduler/unserializable``).  The queue is not kept from one run to the next (a run starts
from its sources; ``JOBDIR``, when set, is Scrapy's resumable job and is left to Scrapy).
"""

from __future__ import annotations

import logging
import shutil
import tempfile

from scrapy.core.scheduler import Scheduler as ScrapyScheduler

logger = logging.getLogger(__name__)


class Scheduler(ScrapyScheduler):
    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.queue_dir = None
        if scheduler.dqdir is None and crawler.settings.getbool("NEWSARCHIVE_DISK_QUEUE"):
            scheduler.queue_dir = tempfile.mkdtemp(prefix="newsarchive-queue-")
            scheduler.dqdir = scheduler._dqdir(scheduler.queue_dir)
        return scheduler

    def close(self, reason: str):
        try:
            return super().close(reason)
        finally:
            if self.queue_dir is not None:
                shutil.rmtree(self.queue_dir, ignore_errors=True)
