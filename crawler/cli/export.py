"""``newsarchive export``."""

from __future__ import annotations

import io
import sys

import click

from newsarchive.archive.db import open_readonly
from newsarchive.archive.export import (count_articles, count_incidents, export_articles,
                                        export_incidents, export_to_path)

from .base import cli, db_option
from .filtering import check_range, date_options, match_expression, resolve_tags

COLUMNS_HELP = (
    "Columns, in this order: id, published, source, title, url, language, authors, "
    "dateline, places, actors, events, word_count, topic_score, duplicate_of, "
    "canonical_url, published_source, fetched_at, crawl_run, text, credits.  "
    "With --table incidents: id, event_id, date, date_source, event_type, place, "
    "governorate, latitude, longitude, actors, killed, wounded, children, women, detained, "
    "displaced, qualifiers, evidence, evidence_in, evidence_start, evidence_end, "
    "article_id, source, published, url, title."
)
ARTICLE_ONLY = ("place", "actor", "event", "search", "include_duplicates")


@cli.command(epilog=COLUMNS_HELP)
@db_option(exists=True)
@click.option("--table", type=click.Choice(["articles", "incidents"]), default="articles",
              show_default=True,
              help="What to export: articles, or the incidents they report (one row each, "
                   "with the evidence sentence; --since/--until: the incident's date; "
                   "--source: its article's).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default="csv",
              show_default=True, help="Output format.")
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, allow_dash=True),
              default="-", help="File to write (atomically); default stdout.")
@date_options
@click.option("--source", multiple=True, help="Only this source (repeatable: any of them).")
@click.option("--place", multiple=True,
              help="Mentioning this place, in any spelling the gazetteer knows: Idleb, "
                   "إدلب, Idlib Governorate (repeatable: any).")
@click.option("--actor", multiple=True, help="Mentioning this actor: name, alias or "
                                              "acronym, e.g. HTS (repeatable: any).")
@click.option("--event", multiple=True, help="Mentioning this event type, e.g. "
                                              "displacement, airstrike (repeatable: any).")
@click.option("--search", help="Full-text search in title and text: word forms, OR, "
                               "-word, \"exact phrase\", prefix* (see the README).")
@click.option("--include-duplicates", is_flag=True,
              help="Also export articles that repeat another's story (default: originals).")
@click.option("--raw", is_flag=True,
              help="CSV: write values exactly (no ' before cells starting with = + - @).")
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 BOM so Excel reads Arabic.")
def export(db_path, table, fmt, out_path, since, until, source, place, actor, event, search,
           include_duplicates, raw, excel):
    """Export articles (or their incidents) as CSV, JSON or JSON Lines.

    Originals only unless --include-duplicates; rows ordered by publication date.
    CSV is spreadsheet-safe by default (a cell starting with = + - @, tab or CR gets a
    leading '); list columns (authors, places, actors, events) are joined with "; "
    in CSV and arrays in JSON.  Reads the archive read-only (a --search first indexes
    articles the search index misses): safe during a crawl.  An unknown place, actor,
    event type or source, or a malformed date or query, is an error (exit 2).

    Example:

    \b
        newsarchive export --db archive/news.db --since 2026-01-01 --place Idlib -o idlib.csv
        newsarchive export --db archive/news.db --table incidents -o incidents.csv
    """
    check_range(since, until)
    if table == "incidents":
        given = dict(place=place, actor=actor, event=event, search=search,
                     include_duplicates=include_duplicates)
        used = [name for name in ARTICLE_ONLY if given[name]]
        if used:
            raise click.UsageError(
                f"--{used[0].replace('_', '-')} selects articles; with --table incidents "
                "only --since, --until and --source apply")
        db = open_readonly(db_path)
        try:
            names = resolve_tags(db, source=source)
        except BaseException:
            db.close()
            raise
        _write(db, "incidents", count_incidents, export_incidents, fmt, out_path, raw, excel,
               dict(since=since, until=until, source=names["source"]))
        return
    match = match_expression(db_path, search)
    db = open_readonly(db_path)
    try:
        names = resolve_tags(db, place=place, actor=actor, event=event, source=source)
    except BaseException:
        db.close()
        raise
    filters = dict(since=since, until=until, match=match,
                   include_duplicates=include_duplicates, **names)
    _write(db, "articles", count_articles, export_articles, fmt, out_path, raw, excel, filters)


def _write(db, table, count_rows, export_rows, fmt, out_path, raw, excel, filters) -> None:
    """Write the rows of ``table`` (closes ``db``)."""
    progress = None
    if sys.stderr.isatty():
        total = count_rows(db, **filters)

        def progress(done):
            click.echo(f"\rexported {done:,}/{total:,} {table}", err=True, nl=done >= total)
    try:
        if out_path == "-":
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                count = export_rows(db, fmt, out, raw=raw, excel=excel, progress=progress,
                                    **filters)
                out.flush()
            finally:
                out.detach()
        else:
            count = export_to_path(db, fmt, out_path, table=table, raw=raw, excel=excel,
                                   progress=progress, **filters)
            click.echo(f"{count} {table} written to {out_path}", err=True)
    except Exception as exc:  # sqlite3 errors, a bad FTS query, disk full...
        raise click.ClickException(f"export failed: {exc}") from None
    finally:
        db.close()
