"""Everything SQLite: schema and migrations, writes, queries, export, Datasette metadata.

``open_db`` and ``open_readonly`` are in ``archive.db``.  This package imports none of
its modules, so that one of them (``archive.warc`` in a worker process) comes without
sqlite-utils.
"""

DEFAULT_DB = "archive/news.db"
