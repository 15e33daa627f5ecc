"""Serving the archive with Datasette: ``newsarchive serve`` and ``newsarchive demo`` call this.

Safe next to a running crawl: a live archive is opened by Datasette read-only (``mode=ro``,
never ``immutable``, which would let SQLite skip locking and read a half-written page).
Only a snapshot made by ``publish_snapshot`` (``VACUUM INTO``, nobody writes to it) may be
served with ``immutable=True``.

Before serving a live archive, ``prepare`` runs two short write transactions (migrations,
search index catch-up, places refresh) so search and the map are current.  The search
catch-up needs the forms builder, ``forms_of`` (``pipelines.fulltext.search_forms``, passed
by the CLI: this layer does no text processing); without it the index is left as it is.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import tempfile
import webbrowser
from pathlib import Path

from . import metadata, places, search
from .db import open_db, uri

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent / "datasette"
PLUGINS_DIR = HERE / "plugins"
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

SETTINGS = {
    "sql_time_limit_ms": metadata.SQL_TIME_LIMIT_MS,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 5000,  # the weekly charts need more than the default 1,000
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


def table_names(db_path: str | Path, immutable: bool = False) -> list[str]:
    mode = "immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(uri(db_path, mode), uri=True)
    try:
        return [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    finally:
        conn.close()


def datasette_instance(db_path: str | Path, immutable: bool = False, update: bool = True,
                       forms_of=None):
    """A configured ``Datasette`` for the archive at ``db_path`` (not started).

    ``update``: run ``prepare`` first (skipped for immutable snapshots, which are final),
    with ``forms_of`` for the search index.
    """
    from datasette.app import Datasette

    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no archive at {db_path}")
    if update and not immutable:
        prepare(db_path, forms_of)
    db_name = db_path.stem
    md = metadata.build_metadata(db_name, table_names(db_path, immutable))
    return Datasette(
        files=[] if immutable else [str(db_path)],
        immutables=[str(db_path)] if immutable else [],
        metadata=md,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR) if TEMPLATES_DIR.exists() else None,
        static_mounts=[("newsarchive-static", str(STATIC_DIR))],
        settings=SETTINGS,
    )


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          immutable: bool = False, open_browser: bool = False, forms_of=None) -> None:
    """Serve the archive with Datasette until interrupted (blocks)."""
    import uvicorn

    ds = datasette_instance(db_path, immutable=immutable, forms_of=forms_of)
    asyncio.run(ds.invoke_startup())
    url = f"http://{host}:{port}/{Path(db_path).stem}"
    logger.info("serving %s at %s (Ctrl-C to stop)", db_path, url)
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")


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
        src = sqlite3.connect(uri(db_path, "mode=ro"), uri=True, timeout=30)
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
