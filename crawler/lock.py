"""One crawl per archive: an exclusive ``flock`` on ``<db>.lock``.

The kernel releases a ``flock`` when its process dies, however it dies (``kill -9``
included), so a stale lock file never blocks the next run; only a live crawl does.

Example::

    with ArchiveLock("archive/news.db"):
        run_the_crawl()
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from .exceptions import LockedError

logger = logging.getLogger(__name__)


def lock_path(db_path: str | Path) -> Path:
    """The lock file of an archive: ``news.db`` -> ``news.db.lock`` next to it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


class ArchiveLock:
    """An exclusive, non-blocking lock on one archive, held while a crawl runs.

    Raises :class:`~crawler.exceptions.LockedError` at once if another process holds it.
    """

    def __init__(self, db_path: str | Path):
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> "ArchiveLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise LockedError(
                f"another crawl (pid {holder}) is writing {self.path.with_suffix('')}; "
                f"not starting a second one") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        logger.debug("locked %s", self.path)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        # the file stays: unlinking it would race with a process about to lock it
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    @classmethod
    def first_free(cls, template: str, most: int = 1000) -> "ArchiveLock":
        """The lock of the first archive ``template.format(n)`` (n = 1, 2...) no other
        process holds, taken: several workers on one machine each get a database of
        their own, and a worker that comes back takes the same one again."""
        for n in range(1, most + 1):
            lock = cls(template.format(n))
            try:
                lock.acquire()
            except LockedError:
                continue
            lock.db_path = Path(template.format(n))
            return lock
        raise LockedError(f"every one of {most} worker databases {template} is in use")

    def __enter__(self) -> "ArchiveLock":
        return self.acquire() if self._fd is None else self

    def __exit__(self, *exc) -> None:
        self.release()
