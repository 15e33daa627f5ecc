"""Everything SQLite: schema and migrations, writes, queries, export, Datasette metadata."""

from .db import open_db, open_readonly  # noqa: F401

DEFAULT_DB = "archive/news.db"
