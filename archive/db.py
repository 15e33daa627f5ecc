"""Opening the archive: one SQLite file in WAL mode, migrated to the current schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from . import migrations

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path) -> sqlite3.Connection:
    """A raw connection with the pragmas every writer uses."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_db(path: str | Path, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the archive at ``path``, migrated (``migrations.migrate``)."""
    db = sqlite_utils.Database(connect(path))
    if migrate:
        migrations.migrate(db)
    return db


def uri(path: str | Path, query: str) -> str:
    """A SQLite ``file:`` URI of ``path`` with ``query`` (``mode=ro``): the path
    percent-encoded, so a ``?`` or ``#`` in a file name is part of the name."""
    return f"file:{quote(str(Path(path).resolve()))}?{query}"


def open_readonly(path: str | Path) -> sqlite_utils.Database:
    """Open an existing archive read-only (safe next to a running crawl)."""
    conn = sqlite3.connect(uri(path, "mode=ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    return sqlite_utils.Database(conn)
