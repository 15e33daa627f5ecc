"""One open archive: the connection a crawl's components share, and the run they write.

SQLite has one writer, and every stage of a crawl runs on one thread, so a single
connection per crawl is both correct and the fastest (``crawler/context.py`` keeps one
per crawler and closes it when the crawl ends).
"""

from __future__ import annotations

import logging

from .db import open_db

logger = logging.getLogger(__name__)


class Archive:
    """An open archive: ``db`` plus the id of the crawl_runs row being written."""

    def __init__(self, path):
        self.path = str(path)
        self.db = open_db(path)
        self.run_id: int | None = None
        # the store commits articles in batches (archive/batch.py) when this is set, and
        # calls these first: what a batch's rows point at (WARC records) goes on disk
        # before the rows do
        self.batched = False
        self.before_commit: list = []

    def close(self) -> None:
        try:
            self.db.close()
        except Exception:  # pragma: no cover - closing twice or after a crash
            logger.debug("archive already closed", exc_info=True)
