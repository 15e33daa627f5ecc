"""The scheduler: Scrapy's own, its queue of requests on disk for the length of a run.

A sitemap names every article an outlet has (tens of thousands); held in memory as Request
objects (~1.7 KB each in Scrapy's memory queue), the queue is what made a crawl's memory grow
with the site.  With ``NEWSARCHIVE_DISK_QUEUE`` on, requests wait in Scrapy's disk queue
(``SCHEDULER_DISK_QUEUE``, pickled: ~0.26 KB of memory and ~0.4 KB of disk each) in a
private temporary directory (``tempfile``: ``$TMPDIR`` or the system's), removed when the
crawl closes.  A killed crawl cannot remove its own: the next crawl removes the queues of
processes that are gone (the directory is named after the crawl's process id).  A request
that cannot be serialized waits in memory as before (Scrapy counts it,
``scheduler/unserializable``).  The queue is not kept from one run to the next (a run starts
from its sources; ``JOBDIR``, when set, is Scrapy's resumable job and is left to Scrapy).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from scrapy.core.scheduler import Scheduler as ScrapyScheduler

logger = logging.getLogger(__name__)

PREFIX = "newsarchive-queue-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_queues(root: str | Path) -> int:
    """Remove the queue directories under *root* that this user's crawls left when they
    were killed (their process is gone); how many."""
    removed = 0
    for path in Path(root).glob(f"{PREFIX}*"):
        pid = path.name[len(PREFIX):].split("-", 1)[0]
        try:
            mine = not path.is_symlink() and path.is_dir() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed += not path.exists()
    if removed:
        logger.info("removed %d request queue(s) left by killed crawls under %s", removed, root)
    return removed


class Scheduler(ScrapyScheduler):
    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.queue_dir = None
        if scheduler.dqdir is None and crawler.settings.getbool("NEWSARCHIVE_DISK_QUEUE"):
            root = tempfile.gettempdir()
            remove_stale_queues(root)
            scheduler.queue_dir = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root)
            scheduler.dqdir = scheduler._dqdir(scheduler.queue_dir)
        return scheduler

    def close(self, reason: str):
        try:
            return super().close(reason)
        finally:
            if self.queue_dir is not None:
                shutil.rmtree(self.queue_dir, ignore_errors=True)
