"""Full-text search, the SQLite side (archive/search.py) with the forms and queries of
pipelines/fulltext.py: index, catch-up, triggers, expansion of a word to its forms."""

from __future__ import annotations

import pytest

from newsarchive.archive import search, store
from newsarchive.archive.db import open_db
from newsarchive.pipelines.fulltext import QueryError, match_expression, search_forms


def add(db, n, title, text):
    with db.atomic():
        return store.insert_article(db, {
            "url": f"https://s.example/{n}", "canonical_url": f"https://s.example/{n}",
            "source": "s", "title": title, "text": text, "fetched_at": "2026-03-01T00:00:00Z",
        })


def ids(db, query, **kwargs):
    """What a user's query finds: the query made into a MATCH expression over this index."""
    return search.search_ids(db, match_expression(query, lambda s: search.terms_for(db, s)),
                             **kwargs)


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "search.db")
    yield db
    db.close()


def test_index_and_search_across_spellings(db):
    a = add(db, 1, "قصف على ادلب", "خبر.")
    b = add(db, 2, "Update", "نزوح من إِدْلِب نحو الحدود.")
    c = add(db, 3, "Aleppo", "Nothing about that city.")
    assert search.pending_ids(db) == [a, b, c]
    assert search.index_articles(db, search_forms, [a, b]) == 2
    assert search.pending_ids(db) == [c]
    for term in ("إدلب", "ادلب", "أدلب", "إِدْلِب"):
        assert sorted(ids(db, term)) == [a, b], term
    assert search.index_pending(db, search_forms) == 1
    assert ids(db, "aleppo") == [c]


def test_edits_and_deletes_leave_the_index(db):
    a = add(db, 1, "Title", "old words here")
    search.index_articles(db, search_forms)
    assert ids(db, "old") == [a]
    db.execute("update articles set text = 'new words here' where id = ?", [a])
    assert search.pending_ids(db) == [a]  # trigger dropped the stale row
    assert ids(db, "old") == []
    search.index_pending(db, search_forms)
    assert ids(db, "new") == [a]
    db.execute("delete from articles where id = ?", [a])
    assert ids(db, "new") == []
    assert db.execute("select count(*) from articles_search").fetchone()[0] == 0


def test_full_reindex_and_missing_ids(db):
    a = add(db, 1, "One", "first")
    add(db, 2, "Two", "second")
    assert search.index_articles(db, search_forms) == 2
    assert search.index_articles(db, search_forms) == 2  # idempotent
    assert search.index_articles(db, search_forms, [a, 999]) == 1
    assert db.execute("select count(*) from articles_search").fetchone()[0] == 2


@pytest.mark.parametrize("query", ["-x", "*", "(", "col:x", "NEAR(a b)", "a^b", "x OR y"])
def test_fts_syntax_in_words_never_reaches_fts5(db, query):
    # what the parser accepts becomes a valid expression; what it refuses says why
    add(db, 1, "T", "text")
    search.index_articles(db, search_forms)
    try:
        assert ids(db, query) == []
    except QueryError as exc:
        assert str(exc)


def test_index_inside_the_store_transaction(db):
    # how the store stage calls it: in the same transaction as the insert
    with db.atomic():
        a = add(db, 1, "عنوان", "خبر عن إدلب")
        search.index_articles(db, search_forms, [a])
    assert ids(db, "ادلب") == [a]


def test_words_with_clitics_are_found_by_the_bare_word(db):
    a = add(db, 1, "عودة الأهالي", "عادت عائلات إلى وإدلب وريفها.")
    b = add(db, 2, "قوافل", "وصلت قوافل المساعدات بإدلب.")
    c = add(db, 3, "للرقة", "خبر.")
    add(db, 4, "Other", "دمشق")
    search.index_articles(db, search_forms)
    assert sorted(ids(db, "إدلب")) == [a, b]
    assert sorted(ids(db, "بإدلب")) == [a, b]
    assert ids(db, "الرقة") == [c]


def test_terms_filed_under_their_stems(db):
    a = add(db, 1, "Strikes", "The strike hit; striking workers.")
    search.index_articles(db, search_forms)
    pairs = set(search.terms_for(db, ["strike"]))
    assert pairs == {("strike", "strike"), ("strike", "strikes"), ("strike", "striking")}
    assert search.terms_for(db, ["nothing"]) == []
    # an article deleted leaves its words in search_terms: harmless, it matches nothing
    db.execute("delete from articles where id = ?", [a])
    assert ids(db, "strike") == []


def test_order_by_rank_or_date(db):
    old = add(db, 1, "Idlib", "Idlib Idlib Idlib news.")
    new = add(db, 2, "Other", "A word about Idlib.")
    db.execute("update articles set published = '2020-01-01' where id = ?", [old])
    db.execute("update articles set published = '2026-01-01' where id = ?", [new])
    search.index_articles(db, search_forms)
    assert ids(db, "idlib") == [old, new]  # title + three mentions rank first
    assert ids(db, "idlib", order="date") == [new, old]
    match = match_expression("idlib", lambda s: search.terms_for(db, s))
    rows = search.search(db, match)
    assert [r["id"] for r in rows] == [old, new] and "⟦Idlib⟧" in rows[0]["snippet"]
    assert search.count_matches(db, match) == 2


def test_migration_drops_forms_and_reindexes(tmp_path):
    # an archive made before m012 (forms column, no search_terms) gets an empty index,
    # which index_pending fills again with the terms
    from newsarchive.archive.migrations import migrations

    path = tmp_path / "old.db"
    db = open_db(path, migrate=False)
    migrations.apply(db, stop_before="m012_search_terms")
    with db.atomic():  # the row as that schema had it (later migrations add columns)
        a = db.execute(
            "insert into articles (url, canonical_url, source, title, text, fetched_at) "
            "values ('https://s.example/1', 'https://s.example/1', 's', 'Strikes on Idlib', "
            "'text', '2026-03-01T00:00:00Z')").lastrowid
    db.execute("insert into articles_search (id, title, text, forms) values (?, 'x', 'y', '')",
               [a])
    migrations.apply(db)
    assert "forms" not in db["articles_search"].columns_dict
    assert search.pending_ids(db) == [a]
    search.index_pending(db, search_forms)
    assert ids(db, "strike") == [a]


# --- over the sample archive: a real crawl of the sample site (tests/conftest.py) ----------

@pytest.fixture(scope="module")
def sample(sample_archive):
    from newsarchive.archive.db import open_readonly

    db = open_readonly(sample_archive[0])
    yield db
    db.close()


def found(db, query) -> set[int]:
    return set(ids(db, query))


def exact_word(db, word) -> set[int]:
    """Articles whose folded title or text holds ``word`` as written (no word forms)."""
    return set(search.search_ids(db, f'"{word}"'))


@pytest.mark.parametrize("base, inflected", [
    ("strike", "strikes"), ("displacement", "displaced"), ("shell", "shelling"),
    ("نازحين", "النازحين"), ("حلب", "بحلب"), ("ادلب", "وادلب"),
])
def test_each_inflected_form_finds_what_its_base_finds(sample, base, inflected):
    a, b = found(sample, base), found(sample, inflected)
    assert a and a == b, (base, len(a), inflected, len(b))
    # and more than either word as written: the forms were what the old search missed
    assert a >= exact_word(sample, base) | exact_word(sample, inflected)
    assert len(a) > min(len(exact_word(sample, base)), len(exact_word(sample, inflected)))


def test_or_not_phrase_prefix_over_the_sample(sample):
    idlib, aleppo = found(sample, "Idlib"), found(sample, "Aleppo")
    assert idlib and aleppo and idlib != aleppo
    assert found(sample, "Idlib OR Aleppo") == idlib | aleppo
    assert found(sample, "Idlib Aleppo") == found(sample, "Idlib AND Aleppo") == idlib & aleppo
    assert found(sample, "Idlib -Aleppo") == found(sample, "Idlib NOT Aleppo") == idlib - aleppo
    assert found(sample, "(Idlib OR Aleppo) -Hama") == (idlib | aleppo) - found(sample, "Hama")
    # a phrase is the words as written, in order: "air strikes" is not "air strike"
    plural, singular = found(sample, '"air strikes"'), found(sample, '"air strike"')
    assert plural and plural != singular
    assert plural <= found(sample, "air strikes")
    # a prefix matches the beginnings of words as written
    assert found(sample, "displac*") == exact_word(sample, "displaced") | \
        exact_word(sample, "displacement") | exact_word(sample, "displaces") | \
        found(sample, '"displacing"')
    # Arabic: spelling variants and either script in one query
    assert found(sample, "إدلب") == found(sample, "ادلب")
    assert found(sample, "إدلب OR Idlib") == found(sample, "ادلب") | idlib


def test_malformed_query_says_why(sample):
    with pytest.raises(QueryError, match="a quote is not closed"):
        ids(sample, '"air strike')
    with pytest.raises(QueryError, match="only leaves words out"):
        ids(sample, "-Aleppo")
