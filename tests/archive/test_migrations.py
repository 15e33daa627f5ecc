"""Migrations are numbered in the order they run, and an archive that applied them under
their names of before (``RENAMED``) is migrated without any of them running twice.

``old_migrations.py`` is archive/migrations.py before the renumbering (issue 13): the tests
build real archives of before with it.  Issue 16 first shipped ``m070_article_credits`` and
``m071_dedup_refold`` on its branch while issue 14 shipped ``m070_pages``; merged, they ran
as ``m070_pages``, ``m071_article_credits``, ``m072_dedup_refold``, now ``m014_pages``,
``m015_article_credits``, ``m016_dedup_refold``.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive.db import open_db
from newsarchive.archive.migrations import RENAMED, migrations

_spec = importlib.util.spec_from_file_location(
    "old_migrations", Path(__file__).with_name("old_migrations.py"))
OLD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(OLD)


def _in_order(migration_set) -> list[str]:
    """The names of ``migration_set`` in the order it runs them (all pending on no archive)."""
    return [m.name for m in migration_set.pending(sqlite_utils.Database(memory=True))]


def _records(db) -> list[tuple[str, str]]:
    return [(r["name"], r["applied_at"])
            for r in db["_sqlite_migrations"].rows_where(order_by="rowid")]


def _names(db) -> list[str]:
    return [name for name, _ in _records(db)]


def _state(db) -> tuple[list, dict]:
    """The schema and every row of every table but the migrations' records."""
    schema = db.execute("select type, name, tbl_name, sql from sqlite_master "
                        "order by type, name").fetchall()
    rows = {t: sorted(db.execute(f"select * from [{t}]").fetchall(), key=repr)
            for t in db.table_names() if t != "_sqlite_migrations"}
    return schema, rows


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


def test_numbers_follow_the_run_order():
    names = _in_order(migrations)
    numbers = [int(re.fullmatch(r"m(\d{3})_[a-z_]+", name)[1]) for name in names]
    assert all(a < b for a, b in zip(numbers, numbers[1:])), names
    # and each function is called what it is recorded as
    fns = [m.fn.__name__ for m in migrations.pending(sqlite_utils.Database(memory=True))]
    assert fns == names


def test_renames_cannot_chain_or_lose_a_migration():
    names = set(_in_order(migrations))
    assert not set(RENAMED) & names  # an old name is never a name now
    assert set(RENAMED.values()) <= names
    assert set(_in_order(OLD.migrations)) <= set(RENAMED) | names
    # the old order, renamed, is the order now
    assert [RENAMED.get(n, n) for n in _in_order(OLD.migrations)] == _in_order(migrations)


def test_a_new_archive_records_the_names_now(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert _names(db) == _in_order(migrations)
    assert "credits" in db["articles"].columns_dict and db["pages"].exists()
    db.close()


def test_opening_twice_changes_nothing(tmp_path):
    db = open_db(tmp_path / "new.db")
    _article(db)
    state, records = _state(db), _records(db)
    db.close()
    db = open_db(tmp_path / "new.db")
    assert _state(db) == state and _records(db) == records
    db.close()


def test_an_archive_of_before_the_renumbering(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path, migrate=False)
    OLD.migrations.apply(db)
    _article(db)
    _backfill_done(db)
    state, records = _state(db), _records(db)
    assert "m072_dedup_refold" in _names(db)
    db.close()
    db = open_db(path)
    # nothing ran again: the same schema and rows, the back-fill not queued again
    assert _state(db) == state
    assert archive_dedup.backfill_pending(db) == []
    # the same records under the names now
    assert _records(db) == [(RENAMED.get(name, name), at) for name, at in records]
    assert _names(db) == _in_order(migrations)
    db.close()
    db = open_db(path)  # and again: nothing left to do
    assert _state(db) == state and _names(db) == _in_order(migrations)
    db.close()


def test_an_archive_of_before_the_renumbering_part_way(tmp_path):
    # last opened before the dedup back-fill queue (m021, now m010): the rest runs once
    path = tmp_path / "old.db"
    db = open_db(path, migrate=False)
    OLD.migrations.apply(db, stop_before="m021_dedup_backfill")
    first = _article(db)
    db.close()
    db = open_db(path)
    assert _names(db) == _in_order(migrations)
    assert [i for i, _ in archive_dedup.backfill_pending(db)] == [first]
    assert "credits" in db["articles"].columns_dict and db["pages"].exists()
    db.close()


def _issue_16_archive(path: Path):
    # migrated by the issue-16 branch: m070_article_credits and m071_dedup_refold, without
    # m070_pages, every other name as before the renumbering
    db = open_db(path, migrate=False)
    OLD.migrations.apply(db, stop_before="m070_pages")
    now = datetime.now(timezone.utc).isoformat()
    with db.atomic():
        db["articles"].add_column("credits", str)
        for old in ("m070_article_credits", "m071_dedup_refold"):
            db["_sqlite_migrations"].insert(
                {"migration_set": migrations.name, "name": old, "applied_at": now})
    first = _article(db)
    _backfill_done(db)  # indexed with the folded fingerprint already
    return db, first


def _each_once(db) -> None:
    assert migrations.pending(db) == []
    assert sorted(_names(db)) == sorted(_in_order(migrations))


def test_an_archive_of_the_issue_16_branch(tmp_path):
    db, first = _issue_16_archive(tmp_path / "quality.db")
    db.close()
    db = open_db(tmp_path / "quality.db")
    _each_once(db)
    assert list(db["articles"].columns_dict).count("credits") == 1
    assert db["pages"].exists()
    assert archive_dedup.backfill_pending(db) == []  # not queued again
    assert db["articles"].get(first)["credits"] is None
    db.close()
    db = open_db(tmp_path / "quality.db")  # and again: nothing left to do
    _each_once(db)
    assert archive_dedup.backfill_pending(db) == []
    db.close()


def test_an_archive_of_the_issue_16_branch_opened_since(tmp_path):
    # opened by the merged code of before: m071_article_credits and m072_dedup_refold were
    # recorded there too (doing nothing), so two old names stand for each of m015 and m016
    db, first = _issue_16_archive(tmp_path / "quality.db")
    OLD.migrations.apply(db)
    branch = dict(_records(db))
    assert {"m070_article_credits", "m071_article_credits"} <= set(branch)
    state = _state(db)
    db.close()
    db = open_db(tmp_path / "quality.db")
    _each_once(db)
    assert _state(db) == state
    applied = dict(_records(db))  # the first record of each is kept
    assert applied["m015_article_credits"] == branch["m070_article_credits"]
    assert applied["m016_dedup_refold"] == branch["m071_dedup_refold"]
    db.close()


def test_an_archive_of_the_issue_14_branch(tmp_path):
    # migrated to m070_pages: no credits, its fingerprints from before the fold
    db = open_db(tmp_path / "core.db", migrate=False)
    OLD.migrations.apply(db, stop_before="m071_article_credits")
    assert db["pages"].exists() and "credits" not in db["articles"].columns_dict
    first = _article(db)
    _backfill_done(db)
    db.close()
    db = open_db(tmp_path / "core.db")
    _each_once(db)
    assert "credits" in db["articles"].columns_dict
    assert [i for i, _ in archive_dedup.backfill_pending(db)] == [first]  # re-indexed
    db.close()
