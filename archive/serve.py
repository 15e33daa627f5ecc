"""Serving the archive with Datasette: ``newsarchive serve`` and ``newsarchive demo`` call this.

Safe next to a running crawl: a live archive is opened by Datasette read-only (``mode=ro``,
never ``immutable``, which would let SQLite skip locking and read a half-written page).
Only a snapshot made by ``publish_snapshot`` (``VACUUM INTO``, nobody writes to it) may be
served with ``immutable=True``.

Before serving a live archive, ``prepare`` runs two short write transactions (migrations,
search index catch-up, places refresh) so search and the map are current.  The search
catch-up needs the forms builder, ``forms_of`` (``pipelines.fulltext.search_forms``, passed
by the CLI: this layer does no text processing); without it the index is left as it is.

Everything else is Datasette's own configuration, which stock ``datasette`` loads too: the
newsarchive plugin (registered by entry point, crawler/web/) with its templates and static
files, and archive/datasette/metadata.yaml, which the plugin applies to each archive
database.  So ``newsarchive serve --db archive/news.db`` is ``prepare`` followed by::

    datasette serve archive/news.db --setting sql_time_limit_ms 3000 ... (``stock_command``)
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from pathlib import Path

from . import metadata, places, search
from .db import open_db

logger = logging.getLogger(__name__)

# Datasette settings of the archive (each a ``--setting`` of stock ``datasette serve``)
SETTINGS = {
    "sql_time_limit_ms": metadata.SQL_TIME_LIMIT_MS,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 5000,  # charts: periods x sources, places
    "truncate_cells_html": 200,
    "default_page_size": 50,
    "default_facet_size": 10,
}


def _index_pending(db, forms_of) -> int:
    if forms_of is None:
        pending = len(search.pending_ids(db))
        if pending:
            logger.warning("%d articles are not in the search index (no forms builder given)",
                           pending)
        return 0
    return search.index_pending(db, forms_of)


def prepare(db_path: str | Path, forms_of=None) -> dict:
    """Bring a live archive up to date for browsing: schema, search index, places.

    Returns counts; never raises on a read-only file (serving still works, minus updates).
    """
    try:
        db = open_db(db_path)
    except sqlite3.OperationalError as exc:
        logger.warning("could not update %s (%s); serving it as it is", db_path, exc)
        return {}
    try:
        counts = {"indexed": _index_pending(db, forms_of), "places": places.refresh_places(db)}
        logger.info("search index: %(indexed)d articles added; places: %(places)d", counts)
        return counts
    except sqlite3.OperationalError as exc:
        logger.warning("could not update %s (%s); serving it as it is", db_path, exc)
        return {}
    finally:
        db.close()


def stock_command(db_path: str | Path, immutable: bool = False, host: str = "127.0.0.1",
                  port: int = 8001) -> list[str]:
    """The stock ``datasette serve`` command line that serves the same site as ``serve``."""
    command = ["datasette", "serve", "-i" if immutable else "", str(db_path),
               "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        command += ["--setting", key, str(value)]
    return [part for part in command if part]


def datasette_instance(db_path: str | Path, immutable: bool = False, update: bool = True,
                       forms_of=None):
    """A configured ``Datasette`` for the archive at ``db_path`` (not started): the same
    site as ``serve`` (the plugin and its configuration load by entry point).

    ``update``: run ``prepare`` first (skipped for immutable snapshots, which are final),
    with ``forms_of`` for the search index.
    """
    from datasette.app import Datasette

    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no archive at {db_path}")
    if update and not immutable:
        prepare(db_path, forms_of)
    return Datasette(
        files=[] if immutable else [str(db_path)],
        immutables=[str(db_path)] if immutable else [],
        settings=SETTINGS,
    )


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          immutable: bool = False, open_browser: bool = False, forms_of=None) -> None:
    """Serve the archive until interrupted (blocks): ``prepare``, then stock ``datasette
    serve`` with ``stock_command``'s arguments."""
    from datasette.cli import cli as datasette_cli

    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no archive at {db_path}")
    if not immutable:
        prepare(db_path, forms_of)
    args = stock_command(db_path, immutable=immutable, host=host, port=port)[1:]
    if open_browser:
        args.append("--open")
    logger.info("serving %s at http://%s:%d/ (Ctrl-C to stop)", db_path, host, port)
    datasette_cli.main(args=args, prog_name="datasette", standalone_mode=True)


def publish_snapshot(db_path: str | Path, out_path: str | Path, forms_of=None) -> Path:
    """A consistent, self-contained copy of a (possibly live) archive, safe to serve immutable.

    ``VACUUM INTO`` reads one consistent snapshot of the live file through a read-only
    connection; the copy is then indexed, its places refreshed, switched out of WAL mode,
    and moved into place atomically (temp file in the same folder, then ``os.replace``).
    """
    db_path, out_path = Path(db_path), Path(out_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no archive at {db_path}")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    os.unlink(tmp)  # VACUUM INTO wants a new file
    try:
        src = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True, timeout=30)
        try:
            src.execute("vacuum into ?", [tmp])
        finally:
            src.close()
        db = open_db(tmp)
        try:
            _index_pending(db, forms_of)
            places.refresh_places(db)
            db.execute("pragma journal_mode = delete")
        finally:
            db.close()
        os.replace(tmp, out_path)
    except BaseException:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        raise
    return out_path
