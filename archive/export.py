"""Exporting articles, or their incidents, to CSV, JSON or JSON Lines (``newsarchive export``).

Columns, always in this order (``EXPORT_COLUMNS``); new columns are only ever appended:

    id, published, source, title, url, language, authors, dateline, places, actors,
    events, word_count, topic_score, duplicate_of, canonical_url, published_source,
    fetched_at, crawl_run, text, credits

Rows are ordered by publication date (undated last), then id.  In JSON and JSONL, authors,
places, actors and events are arrays and credits an array of {"name", "role"}; in CSV they
are joined with "; " (a credit as "Name (role)").  Empty values are
``null`` in JSON and empty cells in CSV.

CSV follows RFC 4180 (comma, double quotes, CRLF between rows; newlines inside a text stay
inside its quoted cell).  It is spreadsheet-safe by default: a text cell starting with
= + - @, a tab or a carriage return gets a leading ' so Excel/LibreOffice do not run it as a
formula, unless it is a plain number (``-2``, ``+1.5e3``: read as the number it is)
(``raw=True`` writes values exactly).  :func:`safe_cell` is the one rule: Datasette's own
CSV downloads apply it too (archive/datasette/plugins/hardening.py).  ``excel=True`` starts the file with a UTF-8
BOM so Excel opens Arabic correctly.

Filters (all optional, combined with AND; a filter given several values matches any):
since/until (publication date: dates or ISO datetimes, inclusive), source, place, actor,
event (canonical names, as stored), match (an FTS5 expression over the search index, made
by ``pipelines.fulltext.match_expression``), include_duplicates (default: originals only).
Values are taken as given: the CLI checks them first (``pipelines/filters.py``).
``match`` covers the articles in the search index: the store stage indexes each article it
writes, and ``newsarchive serve`` / ``publish-snapshot`` / ``export`` catch up on any it
missed.

Incidents (``export --table incidents``, ``export_incidents``): one row per incident an
article reports (``archive/incidents.py``), columns ``INCIDENT_EXPORT_COLUMNS`` (new ones
only appended), ordered by incident date (undated last), then id; with the evidence
sentence and its span, and the article's source, publication date, URL and title.  actors
is an array in JSON and joined with "; " in CSV; qualifiers is ``{figure: [words]}`` in
JSON and "killed: at least; wounded: dozens" in CSV.  Filters: since/until (the incident's
date), source (its article's).  The same CSV rules (formula-safe unless ``raw``, ``excel``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TextIO

from .search import FTS_TABLE

EXPORT_COLUMNS = (
    "id", "published", "source", "title", "url", "language", "authors", "dateline",
    "places", "actors", "events", "word_count", "topic_score", "duplicate_of",
    "canonical_url", "published_source", "fetched_at", "crawl_run", "text", "credits",
)
LIST_COLUMNS = ("authors", "places", "actors", "events", "credits")
INCIDENT_EXPORT_COLUMNS = (
    "id", "event_id", "date", "date_source", "event_type", "place", "governorate",
    "latitude", "longitude", "actors", "killed", "wounded", "children", "women", "detained",
    "displaced", "qualifiers", "evidence", "evidence_in", "evidence_start", "evidence_end",
    "article_id", "source", "published", "url", "title",
)
TABLES = ("articles", "incidents")
FORMATS = ("csv", "json", "jsonl")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
PROGRESS_EVERY = 500


def _many(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v not in (None, "")]
    return [value]


def build_query(since=None, until=None, source=None, place=None, actor=None, event=None,
                match=None, include_duplicates: bool = False) -> tuple[str, list]:
    """The WHERE clause (with leading " where ", or "") and its parameters."""
    where, params = [], []
    if not include_duplicates:
        where.append("duplicate_of is null")
    if since:
        where.append("published >= ?")
        params.append(since)
    if until:
        if len(until) == 10:  # a date: the whole day is included
            where.append("published < date(?, '+1 day')")
        else:
            where.append("published <= ?")
        params.append(until)
    sources = _many(source)
    if sources:
        where.append(f"source in ({', '.join('?' for _ in sources)})")
        params += sources
    for column, values in (("places", _many(place)), ("actors", _many(actor)),
                           ("events", _many(event))):
        if values:
            where.append(
                f"exists (select 1 from json_each(articles.{column}) "
                f"where value in ({', '.join('?' for _ in values)}))"
            )
            params += values
    if match:
        where.append(f"id in (select rowid from {FTS_TABLE} where {FTS_TABLE} match ?)")
        params.append(match)
    return (" where " + " and ".join(where)) if where else "", params


def article_ids(db, **filters) -> list[int]:
    """Ids of the matching articles, in id order."""
    clause, params = build_query(**filters)
    return [row[0] for row in db.execute(f"select id from articles{clause} order by id", params)]


def sources(db) -> list[str]:
    """Every source with an article in the archive."""
    return [row[0] for row in db.execute("select distinct source from articles order by 1")]


def tag_values(db, column: str) -> list[str]:
    """Every value of a JSON-array column (places, actors, events) used in the archive."""
    if column not in LIST_COLUMNS:
        raise ValueError(f"not a list column: {column!r}")
    return [row[0] for row in db.execute(
        f"select distinct value from articles, json_each(articles.{column}) "
        f"where json_valid(articles.{column}) order by 1")]


def count_articles(db, **filters) -> int:
    clause, params = build_query(**filters)
    return db.execute(f"select count(*) from articles{clause}", params).fetchone()[0]


def iter_articles(db, **filters) -> Iterable[dict]:
    """Matching articles as dicts with EXPORT_COLUMNS, lists decoded."""
    clause, params = build_query(**filters)
    cursor = db.execute(
        f"select {', '.join(EXPORT_COLUMNS)} from articles{clause} "
        "order by published is null, published, id",
        params,
    )
    for values in cursor:
        row = dict(zip(EXPORT_COLUMNS, values))
        for col in LIST_COLUMNS:
            try:
                row[col] = json.loads(row[col]) if row[col] else []
            except ValueError:
                row[col] = [row[col]]
        yield row


def safe_cell(value):
    """A cell value a spreadsheet will show as text, never evaluate as a formula: a text
    starting with = + - @, a tab or a carriage return gets a leading ', unless it is a
    plain number (which a spreadsheet reads as that number, and which CSV text cannot tell
    from a number column's value)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) \
            and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv_row(row: dict, raw: bool, columns=EXPORT_COLUMNS) -> list:
    out = []
    for col in columns:
        value = row[col]
        if col in LIST_COLUMNS:
            value = "; ".join(f"{v.get('name')} ({v.get('role')})" if isinstance(v, dict)
                              else str(v) for v in value)
        elif col == "qualifiers" and isinstance(value, dict):
            value = "; ".join(f"{k}: {', '.join(v)}" for k, v in value.items())
        if value is None:
            value = ""
        out.append(value if raw else safe_cell(value))
    return out


def _write(rows: Iterable[dict], columns: tuple, fmt: str, out: TextIO, raw: bool,
           excel: bool, progress: Callable[[int], None] | None) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    count = 0
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n") if fmt == "csv" else None
    if writer:
        writer.writerow(columns)
    elif fmt == "json":
        out.write("[")
    for row in rows:
        if writer:
            writer.writerow(_csv_row(row, raw, columns))
        elif fmt == "json":
            out.write(("\n" if count == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    if fmt == "json":
        out.write("\n]\n" if count else "]\n")
    if progress:
        progress(count)
    return count


def export_articles(db, fmt: str, out: TextIO, *, raw: bool = False, excel: bool = False,
                    progress: Callable[[int], None] | None = None, **filters) -> int:
    """Write matching articles to the text stream ``out``; return how many.

    ``fmt``: csv, json or jsonl.  ``out`` should be opened with ``newline=""`` for CSV.
    ``progress(n)`` is called every PROGRESS_EVERY rows and at the end.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _write(iter_articles(db, **filters), EXPORT_COLUMNS, fmt, out, raw, excel,
                  progress)


def _incident_query(since=None, until=None, source=None) -> tuple[str, list]:
    where, params = [], []
    if since:
        where.append("incidents.date >= ?")
        params.append(since[:10])
    if until:
        where.append("incidents.date <= ?")
        params.append(until[:10])
    sources = _many(source)
    if sources:
        where.append(f"articles.source in ({', '.join('?' for _ in sources)})")
        params += sources
    return (" where " + " and ".join(where)) if where else "", params


def count_incidents(db, **filters) -> int:
    clause, params = _incident_query(**filters)
    return db.execute("select count(*) from incidents join articles on articles.id = "
                      f"incidents.article_id{clause}", params).fetchone()[0]


def iter_incidents(db, **filters) -> Iterable[dict]:
    """Matching incidents as dicts with INCIDENT_EXPORT_COLUMNS, actors and qualifiers
    decoded."""
    clause, params = _incident_query(**filters)
    article_side = ("source", "published", "url", "title")
    selected = [f"articles.{c}" if c in article_side else f"incidents.{c}"
                for c in INCIDENT_EXPORT_COLUMNS]
    cursor = db.execute(
        f"select {', '.join(selected)} from incidents join articles on articles.id = "
        f"incidents.article_id{clause} order by incidents.date is null, incidents.date, "
        "incidents.id", params)
    for values in cursor:
        row = dict(zip(INCIDENT_EXPORT_COLUMNS, values))
        for col, empty in (("actors", []), ("qualifiers", {})):
            try:
                row[col] = json.loads(row[col]) if row[col] else empty
            except ValueError:
                row[col] = empty
        yield row


def export_incidents(db, fmt: str, out: TextIO, *, raw: bool = False, excel: bool = False,
                     progress: Callable[[int], None] | None = None, **filters) -> int:
    """Write matching incidents (since, until, source) to ``out``; return how many.  As
    :func:`export_articles`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _write(iter_incidents(db, **filters), INCIDENT_EXPORT_COLUMNS, fmt, out, raw,
                  excel, progress)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def export_to_path(db, fmt: str, path: str | Path, table: str = "articles", **kwargs) -> int:
    """``export_articles`` (``table`` "incidents": ``export_incidents``) into ``path``
    atomically: a temp file in the same folder, then ``os.replace``; on any error the temp
    file is removed and ``path`` is left untouched."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    writer = export_incidents if table == "incidents" else export_articles
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = writer(db, fmt, out, **kwargs)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a normal file instead
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return count
