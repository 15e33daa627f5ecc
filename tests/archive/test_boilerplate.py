"""Learned boilerplate line counts (archive/boilerplate.py, migration m005)."""

from __future__ import annotations

from newsarchive.archive import boilerplate
from newsarchive.archive.db import open_db


def test_migration_creates_the_tables(tmp_path):
    db = open_db(tmp_path / "a.db")
    assert {"boilerplate_sources", "boilerplate_lines"} <= set(db.table_names())
    assert "m005_boilerplate_lines" in {r["name"] for r in db["_sqlite_migrations"].rows}


def test_counts_articles_and_distinct_keys_per_source(tmp_path):
    db = open_db(tmp_path / "a.db")
    boilerplate.record_lines(db, "desk", ["donate", "donate", "story one"], {"donate": "Donate!"})
    boilerplate.record_lines(db, "desk", ["donate", "story two"])
    boilerplate.record_lines(db, "other", ["donate"])
    assert boilerplate.articles_seen(db, "desk") == 2
    assert boilerplate.articles_seen(db, "nobody") == 0
    top = boilerplate.top_lines(db, "desk", 2)
    assert top[0] == {"line_key": "donate", "articles": 2, "share": 1.0, "example": "Donate!"}
    assert top[1]["articles"] == 1


def test_learned_keys_need_enough_articles_and_share(tmp_path):
    db = open_db(tmp_path / "a.db")
    for i in range(10):
        keys = [f"story {i}", "footer"] + (["sometimes"] if i < 3 else [])
        boilerplate.record_lines(db, "desk", keys)
        if i == 3:
            assert boilerplate.learned_keys(db, "desk", 5, 0.3) == frozenset()
    assert boilerplate.learned_keys(db, "desk", 5, 0.3) == {"footer", "sometimes"}
    assert boilerplate.learned_keys(db, "desk", 5, 0.5) == {"footer"}
    assert boilerplate.learned_keys(db, "desk", 20, 0.3) == frozenset()
    assert boilerplate.learned_keys(db, "other", 1, 0.1) == frozenset()


def test_record_is_atomic_and_survives_reopen(tmp_path):
    path = tmp_path / "a.db"
    db = open_db(path)
    boilerplate.record_lines(db, "desk", ["a", "b"])
    db.close()
    db = open_db(path)
    assert boilerplate.articles_seen(db, "desk") == 1
    assert {r["line_key"] for r in boilerplate.top_lines(db, "desk")} == {"a", "b"}


def test_forget_rare_lines_keeps_repeated_and_recent_ones(tmp_path):
    db = open_db(tmp_path / "a.db")
    boilerplate.record_lines(db, "desk", ["once old", "twice"], day="2024-01-01")
    boilerplate.record_lines(db, "desk", ["twice", "once new"], day="2024-03-01")
    assert boilerplate.forget_rare_lines(db, keep_days=30, today="2024-03-10") == 1
    assert {r["line_key"] for r in boilerplate.top_lines(db, "desk")} == {"twice", "once new"}
    assert boilerplate.articles_seen(db, "desk") == 2
