"""``newsarchive publish-snapshot``."""

from __future__ import annotations

import sqlite3

import click

from newsarchive.pipelines.fulltext import search_forms

from .base import cli, db_option


@cli.command("publish-snapshot")
@db_option(exists=True)
@click.option("-o", "--output", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Snapshot file to write (replaced atomically).")
def publish_snapshot(db_path, out_path):
    """Copy the archive to a consistent, self-contained snapshot (VACUUM INTO).

    Safe while a crawl is running: the live archive is only read.  The snapshot is
    search-indexed, has its places refreshed, is out of WAL mode, and may be served
    with `newsarchive serve --immutable`.

    Example:

    \b
        newsarchive publish-snapshot --db archive/news.db -o public/news.db
    """
    # deferred: start-up cost of the CLI (yaml)
    from newsarchive.archive.serve import publish_snapshot as snapshot

    try:
        path = snapshot(db_path, out_path, forms_of=search_forms)
    except (FileNotFoundError, sqlite3.Error) as exc:
        raise click.ClickException(f"snapshot failed: {exc}") from None
    click.echo(f"Snapshot written to {path}", err=True)
