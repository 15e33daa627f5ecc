"""The ``crawl_runs`` table: one row per crawl, with counts by outcome, reason and source."""

from __future__ import annotations

import json
import os

from .store import utcnow

OUTCOMES = ("stored", "duplicate", "off_topic", "not_article", "failed")


def start_run(db, sources_file: str | None = None) -> int:
    with db.atomic():
        cursor = db.execute(
            "insert into crawl_runs (started, status, sources_file, pid, stored, duplicate, "
            "off_topic, not_article, failed, reasons, per_source) "
            "values (?, 'running', ?, ?, 0, 0, 0, 0, 0, '{}', '{}')",
            [utcnow(), str(sources_file) if sources_file else None, os.getpid()],
        )
    return cursor.lastrowid


def finish_run(db, run_id: int, status: str, outcomes: dict, reasons: dict,
               per_source: dict, message: str = "") -> None:
    values = {o: int(outcomes.get(o, 0)) for o in OUTCOMES}
    with db.atomic():
        db.execute(
            "update crawl_runs set finished = ?, status = ?, message = ?, "
            + ", ".join(f"{o} = ?" for o in OUTCOMES)
            + ", reasons = ?, per_source = ? where id = ?",
            [utcnow(), status, message, *values.values(),
             json.dumps(reasons, sort_keys=True), json.dumps(per_source, sort_keys=True), run_id],
        )


def get_run(db, run_id: int) -> dict:
    return next(db.query("select * from crawl_runs where id = ?", [run_id]))


def previous_source_yields(db, before_run: int) -> dict:
    """For each source, how many articles it stored in earlier finished runs."""
    out: dict = {}
    for row in db.query(
        "select per_source from crawl_runs where id < ? and status != 'running'", [before_run]
    ):
        for source, counts in json.loads(row["per_source"] or "{}").items():
            out[source] = out.get(source, 0) + int(counts.get("stored", 0))
    return out


def close_stale_runs(db) -> list[int]:
    """Mark runs still 'running' as interrupted (their process died); return their ids.

    Call only while holding the archive's crawl lock: then no other run is alive.
    """
    stale = [r["id"] for r in db.query("select id from crawl_runs where status = 'running'")]
    if stale:
        with db.atomic():
            db.execute(
                "update crawl_runs set status = 'interrupted', message = "
                "'the crawl ended without closing its run (killed, or the disk was full)' "
                f"where id in ({', '.join('?' for _ in stale)})", stale)
    return stale
