"""The de-duplication index, article versions and the stories view in SQLite (#4)."""

from __future__ import annotations

import json

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive import store
from newsarchive.archive.db import open_db


def add_article(db, url, source="s", text="some text", duplicate_of=None, bands=(1, 2, 3),
                fetched_at="2026-03-04T08:00:00+00:00", title="t"):
    with db.atomic():
        article_id = store.insert_article(db, {
            "url": url, "canonical_url": url, "source": source, "text": text, "title": title,
            "fetched_at": fetched_at, "content_hash": f"h-{text}", "duplicate_of": duplicate_of})
        archive_dedup.index_article(db, article_id, {"signature": b"\x00" * 512,
                                                     "bands": list(bands)})
    return article_id


def test_migration_creates_tables_and_view(tmp_path):
    db = open_db(tmp_path / "a.db")
    assert {"dedup_signatures", "dedup_bands", "article_versions"} <= set(db.table_names())
    assert "stories" in db.view_names()


def test_candidates_ranked_by_shared_bands(tmp_path):
    db = open_db(tmp_path / "a.db")
    a = add_article(db, "https://x.example/a", bands=(1, 2, 3, 4))
    b = add_article(db, "https://x.example/b", bands=(3, 4, 5, 6))
    add_article(db, "https://x.example/c", bands=(7, 8, 9, 10))
    assert archive_dedup.find_candidates(db, [1, 2, 3, 4]) == [(a, 4), (b, 2)]
    assert archive_dedup.find_candidates(db, [1, 2, 3, 4], exclude_id=a) == [(b, 2)]
    assert archive_dedup.find_candidates(db, [1, 2, 3, 4], limit=1) == [(a, 4)]
    assert archive_dedup.find_candidates(db, [42]) == []
    rows = archive_dedup.load_candidates(db, [a, b])
    assert [r["id"] for r in rows] == [a, b] and rows[0]["text"] == "some text"


def test_candidate_lookup_uses_the_index(tmp_path):
    db = open_db(tmp_path / "a.db")
    plan = " ".join(str(r[-1]) for r in db.execute(
        "explain query plan select article_id, count(*) from dedup_bands "
        "where key in (1, 2, 3) and article_id != -1 group by article_id").fetchall())
    assert "SEARCH dedup_bands USING PRIMARY KEY" in plan, plan
    assert "SCAN dedup_bands" not in plan, plan


def test_reindex_replaces_band_rows(tmp_path):
    db = open_db(tmp_path / "a.db")
    a = add_article(db, "https://x.example/a", bands=(1, 2, 3))
    with db.atomic():
        archive_dedup.reindex_article(db, a, {"signature": b"\x01" * 512, "bands": [7, 8, 9]})
    assert archive_dedup.find_candidates(db, [1, 2, 3]) == []
    assert archive_dedup.find_candidates(db, [7, 8, 9]) == [(a, 3)]
    assert db.execute("select count(*) from dedup_bands").fetchone()[0] == 3


def test_find_by_hash_returns_the_story_root(tmp_path):
    db = open_db(tmp_path / "a.db")
    a = add_article(db, "https://x.example/a", text="one")
    add_article(db, "https://y.example/a", text="two", duplicate_of=a)
    assert archive_dedup.find_by_hash(db, "h-one") == a
    assert archive_dedup.find_by_hash(db, "h-two") == a
    assert archive_dedup.find_by_hash(db, "h-three") is None


def test_versions_and_story(tmp_path):
    db = open_db(tmp_path / "a.db")
    a = add_article(db, "https://x.example/a", source="wire", text="first text")
    b = add_article(db, "https://y.example/b", source="outlet", text="copy", duplicate_of=a,
                    fetched_at="2026-03-04T10:00:00+00:00")
    with db.atomic():
        archive_dedup.save_version(db, db["articles"].get(a), "2026-03-04T09:00:00+00:00")
    (version,) = archive_dedup.versions(db, a)
    assert version["text"] == "first text"
    assert version["fetched_at"] == "2026-03-04T08:00:00+00:00"
    assert version["replaced_at"] == "2026-03-04T09:00:00+00:00"
    assert [r["id"] for r in archive_dedup.story(db, b)] == [a, b]
    (row,) = db.query("select * from stories")
    assert row["story_id"] == a and row["articles"] == 2 and row["outlet_count"] == 2
    assert sorted(json.loads(row["outlets"])) == ["outlet", "wire"]
    assert (row["first_fetched"], row["last_fetched"]) == (
        "2026-03-04T08:00:00+00:00", "2026-03-04T10:00:00+00:00")


def test_bulk_index(tmp_path):
    db = open_db(tmp_path / "a.db")
    ids = []
    with db.atomic():
        for n in range(3):
            ids.append(store.insert_article(db, {"url": f"u{n}", "canonical_url": f"u{n}",
                                                 "source": "s", "text": "t",
                                                 "fetched_at": "2026"}))
        archive_dedup.bulk_index(db, [(i, b"\x00" * 512, [i * 10, i * 10 + 1], None, None)
                                      for i in ids])
    assert archive_dedup.find_candidates(db, [ids[1] * 10]) == [(ids[1], 1)]
