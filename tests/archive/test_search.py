"""Full-text search with Arabic spelling variants folded (archive/search.py)."""

from __future__ import annotations

import pytest

from newsarchive.archive import search, store
from newsarchive.archive.db import open_db


def add(db, n, title, text):
    with db.atomic():
        return store.insert_article(db, {
            "url": f"https://s.example/{n}", "canonical_url": f"https://s.example/{n}",
            "source": "s", "title": title, "text": text, "fetched_at": "2026-03-01T00:00:00Z",
        })


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "search.db")
    yield db
    db.close()


@pytest.mark.parametrize("variant, plain", [
    ("إدلب", "ادلب"), ("أريحا", "اريحا"), ("آمنة", "امنه"), ("حماة", "حماه"),
    ("مَدِينَة", "مدينه"), ("مـــدينة", "مدينه"),
])
def test_normalize_folds_arabic_variants(variant, plain):
    assert search.normalize(variant) == plain


def test_normalize_leaves_latin_and_empty():
    assert search.normalize("Idlib AND \"Aleppo\"") == "Idlib AND \"Aleppo\""
    assert search.normalize(None) == ""


def test_index_and_search_across_spellings(db):
    a = add(db, 1, "قصف على ادلب", "خبر.")
    b = add(db, 2, "Update", "نزوح من إِدْلِب نحو الحدود.")
    c = add(db, 3, "Aleppo", "Nothing about that city.")
    assert search.pending_ids(db) == [a, b, c]
    assert search.index_articles(db, [a, b]) == 2
    assert search.pending_ids(db) == [c]
    for term in ("إدلب", "ادلب", "أدلب", "إِدْلِب"):
        assert sorted(search.search_ids(db, term)) == [a, b], term
    assert search.index_pending(db) == 1
    assert search.search_ids(db, "aleppo") == [c]


def test_edits_and_deletes_leave_the_index(db):
    a = add(db, 1, "Title", "old words here")
    search.index_articles(db)
    assert search.search_ids(db, "old") == [a]
    db.execute("update articles set text = 'new words here' where id = ?", [a])
    assert search.pending_ids(db) == [a]  # trigger dropped the stale row
    assert search.search_ids(db, "old") == []
    search.index_pending(db)
    assert search.search_ids(db, "new") == [a]
    db.execute("delete from articles where id = ?", [a])
    assert search.search_ids(db, "new") == []
    assert db.execute("select count(*) from articles_search").fetchone()[0] == 0


def test_full_reindex_and_missing_ids(db):
    a = add(db, 1, "One", "first")
    add(db, 2, "Two", "second")
    assert search.index_articles(db) == 2
    assert search.index_articles(db) == 2  # idempotent
    assert search.index_articles(db, [a, 999]) == 1
    assert db.execute("select count(*) from articles_search").fetchone()[0] == 2


@pytest.mark.parametrize("query", ['"unbalanced', "a AND", "NEAR(", "-x", "*", "(", "col:x"])
def test_user_syntax_never_breaks_search(db, query):
    add(db, 1, "T", "text")
    search.index_articles(db)
    assert search.search_ids(db, query) == []


def test_index_inside_the_store_transaction(db):
    # how the store stage calls it: in the same transaction as the insert
    with db.atomic():
        a = add(db, 1, "عنوان", "خبر عن إدلب")
        search.index_articles(db, [a])
    assert search.search_ids(db, "ادلب") == [a]


def test_words_with_clitics_are_found_by_the_bare_word(db):
    a = add(db, 1, "عودة الأهالي", "عادت عائلات إلى وإدلب وريفها.")
    b = add(db, 2, "قوافل", "وصلت قوافل المساعدات بإدلب.")
    c = add(db, 3, "للرقة", "خبر.")
    add(db, 4, "Other", "دمشق")
    search.index_articles(db)
    assert sorted(search.search_ids(db, "إدلب")) == [a, b]
    assert search.search_ids(db, "الرقة") == [c]
    assert search.clitic_forms("ولد") == ""  # too short to carry a clitic
