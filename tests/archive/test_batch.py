"""Batched write transactions (archive/batch.py)."""

from __future__ import annotations

import sqlite3

import pytest

from newsarchive.archive.batch import WriteBatch
from newsarchive.archive.db import open_db
from newsarchive.archive.store import mark_seen


def seen(path) -> int:
    conn = sqlite3.connect(path)  # another connection: sees committed rows only
    try:
        return conn.execute("select count(*) from seen_urls").fetchone()[0]
    finally:
        conn.close()


def test_writes_commit_in_batches_and_at_the_end(tmp_path):
    path = tmp_path / "a.db"
    db = open_db(path)
    batch = WriteBatch(db, max_items=3, max_seconds=60)
    for n in range(7):
        batch.begin()
        with db.atomic():  # a savepoint inside the batch
            mark_seen(db, f"https://x.example/{n}", "x", "stored", None)
        batch.done()
        assert seen(path) == 3 * ((n + 1) // 3)
    batch.commit()
    assert seen(path) == 7 and batch.commits == 3


def test_a_failing_article_rolls_back_alone(tmp_path):
    path = tmp_path / "a.db"
    db = open_db(path)
    batch = WriteBatch(db, max_items=10)
    batch.begin()
    with db.atomic():
        mark_seen(db, "https://x.example/kept", "x", "stored", None)
    batch.done()
    with pytest.raises(RuntimeError):
        with db.atomic():
            mark_seen(db, "https://x.example/lost", "x", "stored", None)
            raise RuntimeError("disk trouble")
    batch.commit()
    assert [r["canonical_url"] for r in db.query("select canonical_url from seen_urls")] \
        == ["https://x.example/kept"]


def test_a_killed_crawl_loses_only_the_open_batch(tmp_path):
    path = tmp_path / "a.db"
    db = open_db(path)
    batch = WriteBatch(db, max_items=2)
    for n in range(3):
        batch.begin()
        mark_seen(db, f"https://x.example/{n}", "x", "stored", None)
        batch.done()
    db.conn.close()  # killed: the third write was never committed
    assert seen(path) == 2


def test_a_batch_commits_when_old_enough(tmp_path):
    db = open_db(tmp_path / "a.db")
    batch = WriteBatch(db, max_items=100, max_seconds=0)
    batch.begin()
    mark_seen(db, "https://x.example/1", "x", "stored", None)
    batch.done()
    assert not batch.open and batch.commits == 1


def test_before_commit_hooks_run_first_and_a_failing_one_fails_the_batch(tmp_path):
    # the WARC writer's fsync is such a hook: records on disk before the rows pointing at them
    path = tmp_path / "a.db"
    db = open_db(path)
    calls = []
    hooks = [lambda: calls.append(seen(path))]
    batch = WriteBatch(db, max_items=2, max_seconds=60, before_commit=hooks)
    for n in range(2):
        batch.begin()
        mark_seen(db, f"https://x.example/{n}", "x", "stored", None)
        batch.done()
    assert calls == [0] and seen(path) == 2, "the hook ran before the rows committed"

    def disk_full():
        raise OSError(28, "No space left on device")

    hooks.append(disk_full)
    batch.begin()
    mark_seen(db, "https://x.example/2", "x", "stored", None)
    with pytest.raises(OSError):
        batch.commit()
    assert seen(path) == 2 and not db.conn.in_transaction, "nothing of the failed batch kept"


def test_after_commit_callbacks_wait_for_the_commit_and_die_with_a_rollback(tmp_path):
    # the Redis writer acknowledges an item this way: never before its rows are durable
    path = tmp_path / "a.db"
    db = open_db(path)
    acked = []
    batch = WriteBatch(db, max_items=2, max_seconds=60)
    batch.after_commit(lambda: acked.append("no batch open"))
    assert acked == ["no batch open"]
    batch.begin()
    mark_seen(db, "https://x.example/0", "x", "stored", None)
    batch.done()
    batch.after_commit(lambda: acked.append((0, seen(path))))
    assert acked == ["no batch open"], "acknowledged before its row was committed"
    batch.begin()
    mark_seen(db, "https://x.example/1", "x", "stored", None)
    batch.done()  # full: commits
    assert acked == ["no batch open", (0, 2)]
    batch.begin()
    mark_seen(db, "https://x.example/2", "x", "stored", None)
    batch.after_commit(lambda: acked.append("rolled back"))
    batch.rollback()
    batch.commit()
    assert "rolled back" not in acked and seen(path) == 2
