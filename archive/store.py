"""Writing and reading articles and seen URLs.  All article SQL lives here."""

from __future__ import annotations

import json
from datetime import datetime, timezone

ARTICLE_COLUMNS = (
    "url", "canonical_url", "source", "title", "authors", "published", "published_source",
    "language", "dateline", "text", "word_count", "places", "actors", "events",
    "topic_score", "content_hash", "duplicate_of", "crawl_run", "fetched_at", "credits",
)
JSON_COLUMNS = ("authors", "places", "actors", "events", "credits")


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def article_row(record: dict) -> dict:
    """The ``articles`` row for an item dict: known columns only, lists as JSON."""
    row = {}
    for col in ARTICLE_COLUMNS:
        value = record.get(col)
        if col in JSON_COLUMNS:
            value = json.dumps(list(value or []), ensure_ascii=False)
        row[col] = value
    return row


def parse_row(row: dict) -> dict:
    """An ``articles`` row with its JSON columns as lists."""
    out = dict(row)
    for col in JSON_COLUMNS:
        value = out.get(col)
        if isinstance(value, str):
            try:
                out[col] = json.loads(value)
            except ValueError:
                out[col] = []
    return out


def find_by_canonical(db, canonical_url: str) -> dict | None:
    rows = list(db.query("select * from articles where canonical_url = ?", [canonical_url]))
    return rows[0] if rows else None


def insert_article(db, record: dict) -> int:
    """Insert a new article; return its id.  Caller holds the transaction."""
    row = article_row(record)
    cursor = db.execute(
        f"insert into articles ({', '.join(ARTICLE_COLUMNS)}) "
        f"values ({', '.join('?' for _ in ARTICLE_COLUMNS)})",
        [row[c] for c in ARTICLE_COLUMNS],
    )
    return cursor.lastrowid


def update_article(db, article_id: int, record: dict) -> None:
    """Replace an article's content (same canonical URL, new text)."""
    row = article_row(record)
    row.pop("canonical_url")
    db.execute(
        f"update articles set {', '.join(f'{c} = ?' for c in row)} where id = ?",
        [*row.values(), article_id],
    )


def mark_seen(db, canonical_url: str, source: str, outcome: str, run_id: int | None) -> None:
    """Remember that a URL was judged (stored, duplicate, off-topic, not-article)."""
    now = utcnow()
    db.execute(
        "insert into seen_urls (canonical_url, source, outcome, first_seen, last_seen, crawl_run) "
        "values (?, ?, ?, ?, ?, ?) on conflict(canonical_url) do update set "
        "outcome = excluded.outcome, last_seen = excluded.last_seen, crawl_run = excluded.crawl_run",
        [canonical_url, source, outcome, now, now, run_id],
    )


def mark_demoted(db, article_id: int) -> None:
    """An original that an earlier-published copy replaced is now a copy itself: its URL's
    judgement and its page row say so (caller holds the transaction)."""
    db.execute("update seen_urls set outcome = 'duplicate' where canonical_url = "
               "(select canonical_url from articles where id = ?)", [article_id])
    db.execute("update pages set outcome = 'duplicate', reason = 'earlier-copy-found' "
               "where article_id = ?", [article_id])


def seen_outcome(db, canonical_url: str) -> str | None:
    rows = list(db.query("select outcome from seen_urls where canonical_url = ?", [canonical_url]))
    return rows[0]["outcome"] if rows else None


def count_articles(db, **where) -> int:
    sql = "select count(*) from articles"
    if where:
        sql += " where " + " and ".join(f"{k} = ?" for k in where)
    return db.execute(sql, list(where.values())).fetchone()[0]


def rows_by_id(db, ids) -> list[dict]:
    ids = list(ids)
    if not ids:
        return []
    return list(db.query(
        f"select id, source, crawl_run, duplicate_of from articles "
        f"where id in ({', '.join('?' for _ in ids)})", ids))
