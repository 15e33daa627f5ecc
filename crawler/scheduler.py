"""The scheduler: Scrapy's own, its queue of requests on disk for the length of a run.

A sitemap names every article an outlet has (tens of thousands); held in memory as Request
objects (~1.7 KB each in Scrapy's memory queue), the queue is what made a crawl's memory grow
with the site.  With ``NEWSARCHIVE_DISK_QUEUE`` on, requests wait in Scrapy's disk queue
(``SCHEDULER_DISK_QUEUE``, pickled: ~0.26 KB of memory and ~0.4 KB of disk each) in a
private temporary directory (``tempfile``: ``$TMPDIR`` or the system's), removed when the
crawl closes.  A request that cannot be serialized waits in memory as before (Scrapy counts
it, ``scheduler/unserializable``).  The queue is not kept from one run to the next (a run
starts from its sources; ``JOBDIR``, when set, is Scrapy's resumable job and is left to
Scrapy).

A killed crawl cannot remove its queue: the next crawl removes it.  Each crawl holds an
exclusive ``flock`` on a ``lock`` file in its directory (the kernel releases it when the
process dies, however it dies; process ids are not compared, so crawls in containers that
share a temporary directory do not take each other's for dead).  A queue directory whose
lock can be taken is stale; one without a lock file yet is left alone for ten minutes (a
crawl between creating it and locking it).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from scrapy.core.scheduler import Scheduler as ScrapyScheduler

logger = logging.getLogger(__name__)

PREFIX = "newsarchive-queue-"
LOCK = "lock"
UNLOCKED_GRACE = 600  # seconds a queue directory may go without its lock file


def _stale(path: Path) -> bool:
    """Whether *path* is a queue directory of this user that no live crawl holds."""
    try:
        if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.getuid():
            return False
        fd = os.open(path / LOCK, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        try:
            return time.time() - path.stat().st_mtime > UNLOCKED_GRACE
        except OSError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live crawl holds it
    finally:
        os.close(fd)  # (closing releases the lock if it was taken)
    return True


def remove_stale_queues(root: str | Path) -> int:
    """Remove the queue directories under *root* that this user's killed crawls left; how
    many."""
    removed = 0
    for path in Path(root).glob(f"{PREFIX}*"):
        if _stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed += not path.exists()
    if removed:
        logger.info("removed %d request queue(s) left by killed crawls under %s", removed, root)
    return removed


class Scheduler(ScrapyScheduler):
    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.queue_dir = scheduler._queue_lock = None
        if scheduler.dqdir is None and crawler.settings.getbool("NEWSARCHIVE_DISK_QUEUE"):
            root = tempfile.gettempdir()
            remove_stale_queues(root)
            scheduler.queue_dir = tempfile.mkdtemp(prefix=PREFIX, dir=root)
            scheduler._queue_lock = os.open(Path(scheduler.queue_dir, LOCK),
                                            os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
            fcntl.flock(scheduler._queue_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            scheduler.dqdir = scheduler._dqdir(scheduler.queue_dir)
        return scheduler

    def close(self, reason: str):
        try:
            return super().close(reason)
        finally:
            if self.queue_dir is not None:
                shutil.rmtree(self.queue_dir, ignore_errors=True)
                os.close(self._queue_lock)
