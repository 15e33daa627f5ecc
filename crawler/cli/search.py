"""``newsarchive search``."""

from __future__ import annotations

import click

from newsarchive.archive import search as archive_search
from newsarchive.archive.db import open_readonly

from .base import cli, db_option
from .filtering import match_expression


@cli.command()
@db_option(exists=True)
@click.argument("query")
@click.option("--order", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True, help="Best match first, or newest first.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Articles to list.")
@click.option("--match", "show_match", is_flag=True,
              help="Print only the SQLite FTS5 MATCH expression the query becomes "
                   "(for sqlite-utils search, see the README).")
def search(db_path, query, order, limit, show_match):
    """Search the articles' titles and texts.

    Each word matches its other forms (strike: strikes, striking; نازحين: النازحين),
    Arabic spelling variants are folded (إدلب = ادلب).  Syntax: Idlib OR Aleppo;
    Idlib -Aleppo (or NOT); "exact phrase" (not stemmed); displac* (prefix); parentheses.
    Prints how many articles match, then the best (or newest) ones with a snippet,
    the matched words in [brackets].  Indexes articles the search index misses first.

    Example:

    \b
        newsarchive search --db archive/news.db 'displaced (Idlib OR إدلب) -"air strike"'
    """
    match = match_expression(db_path, query, hint="QUERY")
    if show_match:
        click.echo(match)
        return
    db = open_readonly(db_path)
    try:
        total = archive_search.count_matches(db, match)
        rows = archive_search.search(db, match, limit=limit,
                                     order="rank" if order == "relevance" else "date")
    finally:
        db.close()
    click.echo(f"{total} article{'' if total == 1 else 's'} match {query}"
               + (f"; the first {len(rows)}:" if total > len(rows) else ""))
    for row in rows:
        click.echo(f"{row['id']:>6}  {(row['published'] or '')[:10]:10}  {row['source']}  "
                   f"{row['title'] or ''}")
        snippet = " ".join((row["snippet"] or "").split()).replace("⟦", "[").replace("⟧", "]")
        click.echo(f"        {snippet}")
