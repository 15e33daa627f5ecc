"""Where a crawl's log goes: stderr, or a file with timestamps (for cron), or nowhere.

A file is written through :class:`logging.handlers.WatchedFileHandler`, so logrotate may
move it away at any time (no ``copytruncate`` needed): the next line reopens the path.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import time
from pathlib import Path

from scrapy.utils.log import TopLevelFormatter

logger = logging.getLogger(__name__)


def install(settings, log_file: str | Path | None = None, quiet: bool = False):
    """Install the root log handler for one crawl; return a function that removes it.

    ``log_file``: append the log there, one timestamped line per record.  Otherwise the log
    goes to stderr, unless ``quiet`` (then it is dropped: cron mails whatever is printed).
    """
    if log_file:
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    elif quiet:
        handler = logging.NullHandler()
    else:
        handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter(fmt=settings.get("LOG_FORMAT"),
                                  datefmt=settings.get("LOG_DATEFORMAT"))
    formatter.converter = time.gmtime  # timestamps in UTC, like every date in the archive
    handler.setFormatter(formatter)
    handler.setLevel(settings.get("LOG_LEVEL"))
    if settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(["scrapy"]))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.NOTSET)

    def remove():
        root.removeHandler(handler)
        handler.close()

    return remove
