"""The ``pages`` table: every page the crawl fetched, what was judged of it, and its capture.

A page is captured (WARC) before it is judged, and its judgement is recorded here whatever
it was -- stored, a copy of a story, not an article (a listing, an empty page, too short),
off-topic, failed -- so that what the crawler fetched can always be listed and recovered:
``newsarchive reprocess`` judges the dropped pages again from their captures.  One row per
URL; a later fetch of the same URL replaces it, a judgement made again offline keeps its
fetch time and capture.
"""

from __future__ import annotations

from datetime import datetime, timezone

from .captures import POINTER_COLUMNS

COLUMNS = ("url", "canonical_url", "source", "via", "fetched_at", "crawl_run", "outcome",
           "reason", "detail", "article_id", "judged_at", *POINTER_COLUMNS)
DROPPED = ("not_article", "off_topic", "failed")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def record(db, page: dict, pointer: dict | None = None) -> None:
    """Record a page's judgement (``page``: the COLUMNS it knows; ``pointer``: its capture).
    Caller holds the transaction."""
    row = {col: page.get(col) for col in COLUMNS}
    row["judged_at"] = row["judged_at"] or _now()
    for col in POINTER_COLUMNS:
        row[col] = (pointer or {}).get(col)
    db.execute(
        f"insert into pages ({', '.join(COLUMNS)}) values ({', '.join('?' for _ in COLUMNS)}) "
        "on conflict(url) do update set "
        + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "url"),
        [row[c] for c in COLUMNS])


def judged_in_run(db, url: str, run_id) -> bool:
    """Whether ``url`` was already judged by run ``run_id`` (fetched twice in one run: two
    links that redirect to one page, a link back to a start page)."""
    return run_id is not None and db.execute(
        "select 1 from pages where url = ? and crawl_run = ?", [url, run_id]).fetchone() \
        is not None


def rejudge(db, url: str, outcome: str, reason: str | None, detail: str = "",
            article_id: int | None = None, canonical_url: str | None = None) -> None:
    """A judgement made again (``reprocess``): outcome and reason change, the fetch time
    and the capture stay.  Caller holds the transaction."""
    db.execute(
        "update pages set outcome = ?, reason = ?, detail = ?, article_id = ?, "
        "canonical_url = coalesce(?, canonical_url), judged_at = ? where url = ?",
        [outcome, reason, detail, article_id, canonical_url, _now(), url])


def dropped(db, source: str | None = None, ids_of_articles=None) -> list[dict]:
    """The captured pages that were not kept (not an article, off-topic, failed), oldest
    fetch first: what ``reprocess`` judges again."""
    sql = (f"select * from pages where outcome in ({', '.join('?' for _ in DROPPED)}) "
           "and warc_file is not null")
    params: list = list(DROPPED)
    if source:
        sql += " and source = ?"
        params.append(source)
    return list(db.query(sql + " order by fetched_at, rowid", params))


def counts(db, crawl_run: int | None = None) -> dict[tuple[str, str], int]:
    """``{(outcome, reason): pages}``, of one run or of the whole archive."""
    sql = "select outcome, coalesce(reason, '') as reason, count(*) as n from pages"
    params: list = []
    if crawl_run is not None:
        sql += " where crawl_run = ?"
        params.append(crawl_run)
    return {(r["outcome"], r["reason"]): r["n"] for r in db.query(sql + " group by 1, 2", params)}
