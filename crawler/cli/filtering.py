"""Options and checks the commands that select articles share (export, reprocess, search).

``--since``/``--until`` mean the same everywhere: the article's **publication date**
(``articles.published``), both bounds inclusive.  Names of places, actors, event types
and sources are checked against what the tagger and the archive know
(``pipelines/filters.py``); an unknown one is a usage error (exit 2) naming the closest
known names.
"""

from __future__ import annotations

import sqlite3

import click

from newsarchive.archive import search
from newsarchive.archive.db import open_db, open_readonly
from newsarchive.archive.export import sources, tag_values
from newsarchive.pipelines import filters
from newsarchive.pipelines.fulltext import QueryError, search_forms
from newsarchive.pipelines.fulltext import match_expression as expression

SINCE_HELP = ("Published on or after this date (the article's publication date). "
              "YYYY-MM-DD, YYYY-MM, YYYY or an ISO 8601 date-time.")
UNTIL_HELP = ("Published on or before this date (the article's publication date; a day, "
              "month or year is included whole).")


def _since(ctx, param, value):
    return _parse(value, param, end=False)


def _until(ctx, param, value):
    return _parse(value, param, end=True)


def _parse(value, param, end):
    if not value:
        return None
    try:
        return filters.parse_date(value, end=end, label="date")
    except filters.FilterError as exc:
        raise click.BadParameter(str(exc).removeprefix("date "), param=param) from None


def date_options(func):
    """``--since`` and ``--until``: the publication date, validated."""
    func = click.option("--until", metavar="DATE", callback=_until, help=UNTIL_HELP)(func)
    return click.option("--since", metavar="DATE", callback=_since, help=SINCE_HELP)(func)


def check_range(since, until) -> None:
    """A usage error when --since is after --until."""
    if since and until and since[:10] > until[:10]:
        raise click.UsageError(f"--since {since} is after --until {until}: nothing can match")


def resolve(names: filters.Names, values, option: str) -> list[str]:
    """Canonical names for the typed ``values`` of ``option``; a usage error (exit 2)
    naming the closest known names for one that is unknown."""
    try:
        return names.resolve_all(values or ())
    except filters.FilterError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def resolve_tags(db, place=(), actor=(), event=(), source=()) -> dict:
    """The filters' canonical values: gazetteer, actor and event data, plus whatever tags
    and sources the archive itself holds (older taggers' names stay filterable)."""
    out = {}
    for key, values, names, column in (("place", place, filters.places, "places"),
                                       ("actor", actor, filters.actors, "actors"),
                                       ("event", event, filters.events, "events")):
        known = names()
        if values and any(_unknown(known, v) for v in values):
            known = known.with_names(tag_values(db, column))
        out[key] = resolve(known, values, f"--{key}")
    out["source"] = resolve(filters.sources(sources(db)), source, "--source") if source else []
    return out


def _unknown(names: filters.Names, value: str) -> bool:
    try:
        names.resolve(value)
        return False
    except filters.FilterError:
        return True


def match_expression(db_path, query: str | None, hint: str = "--search") -> str | None:
    """The FTS5 expression for a typed search ``query`` (None for none), after indexing any
    article the search index misses (a short write, safe next to a crawl; skipped with a
    warning when the archive cannot be written).  A query that cannot be read is a usage
    error (exit 2) saying why."""
    if query is None:
        return None
    try:
        db = open_db(db_path)
        try:
            search.index_pending(db, search_forms)
        finally:
            db.close()
    except sqlite3.OperationalError as exc:
        click.echo(f"warning: could not bring the search index up to date ({exc})", err=True)
    db = open_readonly(db_path)
    try:
        return expression(query, lambda stems: search.terms_for(db, stems))
    except QueryError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None
    finally:
        db.close()
