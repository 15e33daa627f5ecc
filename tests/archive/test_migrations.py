"""Archives migrated by either branch of issues 14 and 16 migrate to the merged schema.

Issue 16 first shipped ``m070_article_credits`` and ``m071_dedup_refold``; issue 14 shipped
``m070_pages``.  Merged, they run ``m070_pages``, ``m071_article_credits``,
``m072_dedup_refold``: an archive that applied the old names must not be changed twice.
"""

from __future__ import annotations

from datetime import datetime, timezone

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive.db import open_db
from newsarchive.archive.migrations import migrations


def _names(db) -> list[str]:
    return [r["name"] for r in db["_sqlite_migrations"].rows_where(order_by="rowid")]


def _article(db) -> int:
    # the columns every branch's schema has (not store.insert_article: today's columns)
    with db.atomic():
        return db["articles"].insert({
            "url": "https://levantwire.example/a", "canonical_url": "https://levantwire.example/a",
            "source": "levantwire", "text": "Shelling hit Idlib.",
            "fetched_at": "2026-03-01T08:00:00+00:00"}).last_pk


def _backfill_done(db) -> None:
    with db.atomic():
        db.execute("update dedup_backfill set next_id = below_id where id = 1")
    assert archive_dedup.backfill_pending(db) == []


def test_the_merged_order(tmp_path):
    db = open_db(tmp_path / "new.db")
    names = _names(db)
    assert names[-3:] == ["m070_pages", "m071_article_credits", "m072_dedup_refold"]
    assert "credits" in db["articles"].columns_dict and db["pages"].exists()
    db.close()


def test_an_archive_of_the_issue_16_branch(tmp_path):
    # migrated with m070_article_credits and m071_dedup_refold, without m070_pages
    db = open_db(tmp_path / "quality.db", migrate=False)
    migrations.apply(db, stop_before="m070_pages")
    now = datetime.now(timezone.utc).isoformat()
    with db.atomic():
        db["articles"].add_column("credits", str)
        for old in ("m070_article_credits", "m071_dedup_refold"):
            db["_sqlite_migrations"].insert(
                {"migration_set": migrations.name, "name": old, "applied_at": now})
    first = _article(db)
    _backfill_done(db)  # indexed with the folded fingerprint already
    migrations.apply(db)
    assert migrations.pending(db) == []
    assert list(db["articles"].columns_dict).count("credits") == 1
    assert db["pages"].exists()
    assert archive_dedup.backfill_pending(db) == []  # not queued again
    assert db["articles"].get(first)["credits"] is None
    db.close()
    db = open_db(tmp_path / "quality.db")  # and again: nothing left to do
    assert _names(db)[-3:] == ["m070_pages", "m071_article_credits", "m072_dedup_refold"]
    db.close()


def test_an_archive_of_the_issue_14_branch(tmp_path):
    # migrated to m070_pages: no credits, its fingerprints from before the fold
    db = open_db(tmp_path / "core.db", migrate=False)
    migrations.apply(db, stop_before="m071_article_credits")
    assert db["pages"].exists() and "credits" not in db["articles"].columns_dict
    first = _article(db)
    _backfill_done(db)
    migrations.apply(db)
    assert "credits" in db["articles"].columns_dict
    assert [i for i, _ in archive_dedup.backfill_pending(db)] == [first]  # re-indexed
    db.close()
