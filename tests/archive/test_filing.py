"""The archive's one filing policy (archive/filing.py), on a real SQLite archive.

Every caller (the crawl's store stage, ``ingest``, ``import-warc``, ``reprocess``) files an
article through :func:`file_article` and re-files one through :func:`refile_article`; these
tests pin the policy itself: the same URL, an update, exact and near copies, the earliest
version as the story's original, look-alike reports kept apart, and one transaction.
"""

from __future__ import annotations

import pytest

from newsarchive.archive import filing
from newsarchive.archive.db import open_db
from newsarchive.pipelines import dedup

# A fictional report, and a copy of it that drops its last paragraph.
PARAGRAPHS = [
    "Shelling hit the eastern edge of Maarat al-Numan on Thursday evening, residents said, "
    "as families who had returned to the town after the winter packed their belongings again.",
    "A volunteer rescue team said it pulled four people from a collapsed house near the old "
    "market and took two of them to a field hospital in the countryside to the north.",
    "Local council members said the water station that serves the southern districts had been "
    "damaged for the second time this month and that repairs would take at least a week.",
    "Aid workers in the area said convoys carrying flour and fuel were waiting at the crossing "
    "while drivers asked for guarantees that the road through the villages would stay open.",
    "A teacher who runs a school in a converted warehouse said that attendance had fallen by "
    "half since the strikes resumed and that parents were keeping younger children at home.",
]
STORY = "\n\n".join(PARAGRAPHS)
COPY = "\n\n".join(PARAGRAPHS[:-1])
# Same template, another town and other numbers: a different event, never a copy.
LOOKALIKE = (STORY.replace("Maarat al-Numan", "Saraqib").replace("four people", "nine people")
             .replace("two of them", "six of them").replace("Thursday", "Monday"))


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "filing.db")
    yield database
    database.conn.close()


def article(url: str, text: str = STORY, published: str | None = "2026-03-05T09:00:00+00:00",
            source: str = "levant-wire") -> dict:
    return {"url": url, "canonical_url": url, "source": source, "title": "Shelling on the town",
            "authors": [], "published": published, "language": "en", "text": text,
            "word_count": len(text.split()), "places": [], "actors": [], "events": [],
            "topic_score": 0.9, "fetched_at": "2026-03-05T10:00:00+00:00", "credits": []}


def file(db, url: str, text: str = STORY, **fields) -> filing.Filed:
    return filing.file_article(db, article(url, text, **fields), dedup.fingerprint(text), dedup)


def row(db, article_id: int) -> dict:
    return next(db.query("select * from articles where id = ?", [article_id]))


def count(db, table: str = "articles") -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_a_new_article_is_stored_and_its_url_marked_seen(db):
    filed = file(db, "https://a.example/2026/03/shelling")
    assert (filed.outcome, filed.reason, filed.duplicate_of) == ("stored", None, None)
    assert row(db, filed.id)["text"] == STORY
    seen = list(db.query("select outcome from seen_urls where canonical_url = ?",
                         ["https://a.example/2026/03/shelling"]))
    assert seen == [{"outcome": "stored"}]


def test_the_same_url_with_the_same_text_writes_nothing(db):
    first = file(db, "https://a.example/2026/03/shelling")
    again = file(db, "https://a.example/2026/03/shelling")
    assert (again.outcome, again.id) == ("same-url", first.id)
    assert count(db) == 1 and count(db, "article_versions") == 0


def test_the_same_url_with_a_new_text_is_an_update_that_keeps_the_old_text(db):
    first = file(db, "https://a.example/2026/03/shelling", COPY)
    updated = file(db, "https://a.example/2026/03/shelling", STORY)
    assert (updated.outcome, updated.reason, updated.id) == ("stored", "updated", first.id)
    assert count(db) == 1 and row(db, first.id)["text"] == STORY
    versions = list(db.query("select article_id, text from article_versions"))
    assert versions == [{"article_id": first.id, "text": COPY}]


def test_the_same_text_under_another_url_is_an_exact_copy_of_the_story(db):
    first = file(db, "https://a.example/2026/03/shelling")
    copy = file(db, "https://b.example/news/shelling-copy", published="2026-03-05T11:00:00+00:00")
    assert (copy.outcome, copy.reason, copy.duplicate_of) == ("duplicate", "exact-duplicate", first.id)
    assert row(db, copy.id)["duplicate_of"] == first.id, "a copy is stored too, pointing at its story"


def test_a_copy_missing_a_paragraph_is_a_near_copy(db):
    first = file(db, "https://a.example/2026/03/shelling")
    copy = file(db, "https://b.example/news/shelling-short", COPY,
                published="2026-03-05T11:00:00+00:00")
    assert (copy.outcome, copy.reason, copy.duplicate_of) == ("duplicate", "near-duplicate", first.id)
    assert 0.5 < copy.similarity <= 1.0


def test_a_look_alike_report_of_another_town_is_its_own_story(db):
    file(db, "https://a.example/2026/03/shelling")
    other = file(db, "https://b.example/news/saraqib", LOOKALIKE)
    assert (other.outcome, other.duplicate_of) == ("stored", None)


def test_a_copy_published_earlier_becomes_the_original_and_the_story_follows_it(db):
    late = file(db, "https://a.example/2026/03/shelling", published="2026-03-05T12:00:00+00:00")
    later = file(db, "https://c.example/shelling", published="2026-03-06T08:00:00+00:00")
    assert later.duplicate_of == late.id
    early = file(db, "https://b.example/first-report", COPY, published="2026-03-05T07:00:00+00:00")
    assert (early.outcome, early.duplicate_of, early.demoted) == ("stored", None, late.id)
    assert row(db, late.id)["duplicate_of"] == early.id
    assert row(db, later.id)["duplicate_of"] == early.id, "the story's copies follow its original"
    assert row(db, early.id)["duplicate_of"] is None


def test_an_unknown_publication_date_never_takes_the_original_s_place(db):
    first = file(db, "https://a.example/2026/03/shelling")
    undated = file(db, "https://b.example/undated", published=None)
    assert (undated.outcome, undated.duplicate_of, undated.demoted) == ("duplicate", first.id, None)


def test_a_failure_while_filing_leaves_nothing_half_written(db, monkeypatch):
    class Broken(Exception):
        pass

    def explode(*args, **kwargs):  # the search row is the last write but one
        raise Broken

    file(db, "https://a.example/2026/03/shelling")
    tables = ("articles", "seen_urls", "dedup_signatures", "dedup_bands")
    before = {t: count(db, t) for t in tables}
    monkeypatch.setattr(filing, "_index_search", explode)
    with pytest.raises(Broken):
        filing.file_article(db, article("https://b.example/other", LOOKALIKE),
                            dedup.fingerprint(LOOKALIKE), dedup, search_row=("t", "x", ""))
    assert {t: count(db, t) for t in tables} == before


def test_refiling_an_unchanged_article_changes_nothing(db):
    first = file(db, "https://a.example/2026/03/shelling")
    again = filing.refile_article(db, first.id, article("https://a.example/2026/03/shelling"),
                                  dedup.fingerprint(STORY), dedup)
    assert again == "unchanged"


def test_refiling_a_new_text_changes_it_in_place_and_the_original_stays_one(db):
    first = file(db, "https://a.example/2026/03/shelling")
    copy = file(db, "https://b.example/copy", published="2026-03-06T08:00:00+00:00")
    assert copy.duplicate_of == first.id
    # the original's text, computed again, is now the copy's: it stays the story's original
    outcome = filing.refile_article(db, first.id, article("https://a.example/2026/03/shelling", COPY),
                                    dedup.fingerprint(COPY), dedup)
    assert outcome == "changed"
    assert row(db, first.id)["text"] == COPY and row(db, first.id)["duplicate_of"] is None
    assert row(db, first.id)["url"] == "https://a.example/2026/03/shelling"


def test_refiling_an_article_deleted_meanwhile_is_gone(db):
    first = file(db, "https://a.example/2026/03/shelling")
    db.execute("delete from articles where id = ?", [first.id])
    assert filing.refile_article(db, first.id, article("https://a.example/2026/03/shelling"),
                                 dedup.fingerprint(STORY), dedup) == "gone"
