"""Where a crawl's log goes: stderr, or a file with timestamps (for cron), or nowhere.

A file is written through :class:`logging.handlers.WatchedFileHandler`, so logrotate may
move it away at any time (no ``copytruncate`` needed): the next line reopens the path.

On stderr a person reads along, so it shows warnings and errors only (Scrapy's hundred
lines of start-up and per-item INFO lines stay out of the way of the progress display and
the one-line summary); ``-v`` (``NEWSARCHIVE_VERBOSE``) or an explicit ``-s LOG_LEVEL=...``
shows everything down to ``LOG_LEVEL``.  A log file always gets ``LOG_LEVEL``.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import time
from pathlib import Path

from scrapy.settings import get_settings_priority
from scrapy.utils.log import TopLevelFormatter

logger = logging.getLogger(__name__)


def level_for(settings, to_file: bool) -> int:
    """The level of the crawl's log handler (see the module's docstring)."""
    level = logging.getLevelName(str(settings.get("LOG_LEVEL")).upper())
    if not isinstance(level, int):
        level = logging.INFO
    explicit = settings.getpriority("LOG_LEVEL") >= get_settings_priority("cmdline")
    if to_file or explicit or settings.getbool("NEWSARCHIVE_VERBOSE"):
        return level
    return max(level, logging.WARNING)


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
    handler.setLevel(level_for(settings, to_file=bool(log_file)))
    if settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(["scrapy"]))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.NOTSET)

    def remove():
        root.removeHandler(handler)
        handler.close()

    return remove
