"""Learned per-source boilerplate lines: counts kept in the archive (migration m005).

The clean stage records, for every article, the normalised keys of its lines
(``pipelines.clean.line_key``).  A key that recurs in a large share of one source's
articles is that source's boilerplate ("Follow Enab Baladi on Telegram", a fixed
disclaimer) and is dropped from its later articles.  Counts live here, so the rule
improves as the archive grows and survives between crawls.

Tables: ``boilerplate_sources(source, articles)`` and
``boilerplate_lines(source, line_key, articles, example, first_seen, last_seen)``.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Mapping

# lines longer than this are never template text worth counting (keeps the table small)
MAX_KEY_CHARS = 300


def _today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def record_lines(db, source: str, keys: Iterable[str],
                 examples: Mapping[str, str] | None = None, day: str | None = None) -> None:
    """Count one article of ``source`` and each distinct line key it printed."""
    keys = sorted({k[:MAX_KEY_CHARS] for k in keys if k})
    examples = examples or {}
    day = day or _today()
    conn = db.conn
    conn.execute("savepoint boilerplate_record")
    try:
        conn.execute(
            "insert into boilerplate_sources (source, articles) values (?, 1) "
            "on conflict (source) do update set articles = articles + 1",
            (source,),
        )
        conn.executemany(
            "insert into boilerplate_lines (source, line_key, articles, example, first_seen, "
            "last_seen) values (?, ?, 1, ?, ?, ?) on conflict (source, line_key) do update "
            "set articles = articles + 1, last_seen = excluded.last_seen",
            [(source, k, (examples.get(k) or "")[:500] or None, day, day) for k in keys],
        )
    except BaseException:
        conn.execute("rollback to boilerplate_record")
        conn.execute("release boilerplate_record")
        raise
    conn.execute("release boilerplate_record")


def articles_seen(db, source: str) -> int:
    """How many articles of ``source`` have been recorded."""
    row = db.conn.execute(
        "select articles from boilerplate_sources where source = ?", (source,)).fetchone()
    return row[0] if row else 0


def learned_keys(db, source: str, min_articles: int, share: float) -> frozenset:
    """Keys recurring in at least ``share`` of ``source``'s articles.

    Nothing is learned before ``min_articles`` articles of the source were seen, and a
    key must itself appear in at least two articles.
    """
    seen = articles_seen(db, source)
    if seen < max(1, min_articles):
        return frozenset()
    threshold = max(2, math.ceil(share * seen))
    rows = db.conn.execute(
        "select line_key from boilerplate_lines where source = ? and articles >= ?",
        (source, threshold),
    )
    return frozenset(row[0] for row in rows)


def top_lines(db, source: str, limit: int = 20) -> list[dict]:
    """The most repeated lines of ``source`` (for review): key, articles, share, example."""
    seen = articles_seen(db, source) or 1
    rows = db.conn.execute(
        "select line_key, articles, example from boilerplate_lines where source = ? "
        "order by articles desc, line_key limit ?",
        (source, limit),
    )
    return [{"line_key": k, "articles": n, "share": n / seen, "example": e} for k, n, e in rows]


def forget_rare_lines(db, keep_days: int = 30, today: str | None = None) -> int:
    """Delete lines seen in a single article and not since ``keep_days`` ago.

    Nearly every article line is unique; without this the table grows with the archive
    while only repeated lines matter.  Returns the number of rows deleted.
    """
    day = date.fromisoformat(today or _today())
    cutoff = (day - timedelta(days=keep_days)).isoformat()
    cursor = db.conn.execute(
        "delete from boilerplate_lines where articles = 1 and last_seen < ?", (cutoff,))
    return cursor.rowcount
