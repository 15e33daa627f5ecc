"""Group a crawl's writes into short transactions instead of one commit per article.

A commit per stored article makes the one writer wait on SQLite for every row.  A
:class:`WriteBatch` keeps a transaction open across up to ``max_items`` articles or
``max_seconds``, whichever comes first, then commits; the writes of one article stay in a
savepoint of their own (``db.atomic()`` nests as a savepoint inside an open transaction),
so one failing article rolls back alone.

Crash safety: a batch is all or nothing.  A killed crawl loses at most the articles of the
last uncommitted batch -- their rows *and* their ``seen_urls`` marks together -- so the next
run fetches them again; nothing is ever half-written.  Readers (Datasette, exports) see
each batch when it commits (WAL mode: they are never blocked).
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


class WriteBatch:
    """An open write transaction on ``db`` (a sqlite-utils Database), committed in batches."""

    def __init__(self, db, max_items: int = 50, max_seconds: float = 1.0,
                 before_commit: list | None = None):
        self.db = db
        # called before each COMMIT (the WARC writer's fsync); one raising fails the batch
        self.before_commit = before_commit if before_commit is not None else []
        self.max_items = max(1, max_items)
        self.max_seconds = max_seconds
        self.pending = 0
        self.opened: float | None = None
        self.commits = 0
        self._after: list = []  # what waits for the open batch to be durable

    def after_commit(self, callback) -> None:
        """Call ``callback`` once what was written so far is committed: now if no batch is
        open, else after the batch's COMMIT (never, if the batch is rolled back).  The Redis
        writer acknowledges its items this way, so a killed writer loses none."""
        if self.opened is None:
            callback()
        else:
            self._after.append(callback)

    @property
    def open(self) -> bool:
        return self.opened is not None

    def begin(self) -> None:
        """Open the batch's transaction if none is open (call before an article's writes)."""
        if self.opened is None and not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN IMMEDIATE")
            self.opened = time.monotonic()

    def done(self, items: int = 1) -> None:
        """An article's writes are in; commit if the batch is full or old enough."""
        if self.opened is None:
            return
        self.pending += items
        if self.pending >= self.max_items or self.due():
            self.commit()

    def due(self) -> bool:
        return self.opened is not None and time.monotonic() - self.opened >= self.max_seconds

    def commit(self) -> None:
        """Commit what is pending (at the batch's limits, on a timer, and at the end)."""
        if self.opened is None:
            return
        self.opened = None
        if self.db.conn.in_transaction:
            try:
                for hook in self.before_commit:
                    hook()
                self.db.conn.execute("COMMIT")
            except BaseException:  # disk full...: nothing of the batch is kept, say so
                self.pending = 0
                self._after = []
                if self.db.conn.in_transaction:
                    self.db.conn.execute("ROLLBACK")
                raise
            self.commits += 1
        logger.debug("committed a batch of %d articles", self.pending)
        self.pending = 0
        after, self._after = self._after, []
        for callback in after:
            callback()

    def rollback(self) -> None:
        self.opened = None
        self.pending = 0
        self._after = []
        if self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")
