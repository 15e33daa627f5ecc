"""End to end: a real crawl of the sample site over HTTP into a real SQLite file.

The expectations come from the sample site's own fixture data (crawler/fakeweb/data),
never from the code under test.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers import crawl, rows

from newsarchive.pipelines.urls import canonicalize_url
from newsarchive.crawler.fakeweb.content import article_path, load_articles, load_outlets, load_pages

OUTLETS = {o["name"]: o for o in load_outlets()}
ARTICLES = load_articles()


def url_of(site, art):
    """The article's canonical URL (canonicalization itself is tested in test_urls.py)."""
    return canonicalize_url(site.bases[art["outlet"]] + article_path(OUTLETS[art["outlet"]], art))


@pytest.fixture(scope="module")
def archived(sample_archive, sample_site):
    db, result = sample_archive
    by_url = {r["canonical_url"]: r for r in rows(db, "select * from articles")}
    return db, result, by_url


def test_crawl_exits_cleanly_and_records_the_run(archived):
    db, result, by_url = archived
    (run,) = rows(db, "select * from crawl_runs")
    assert run["status"] == "ok", run["message"]
    assert run["finished"] and run["started"] <= run["finished"]
    expected_stored = sum(a["expect"] == "stored" for a in ARTICLES)
    expected_dupes = sum(a["expect"] == "duplicate" for a in ARTICLES)
    assert run["stored"] == expected_stored
    assert run["duplicate"] == expected_dupes
    assert run["off_topic"] == sum(a["expect"] == "off_topic" for a in ARTICLES)
    per_source = json.loads(run["per_source"])
    assert set(per_source) == set(OUTLETS)
    assert f"run {run['id']} ok" in result.stderr + result.stdout


def test_every_syria_article_archived_once_and_nothing_else(archived, sample_site):
    db, _, by_url = archived
    wanted = {url_of(sample_site, a) for a in ARTICLES if a["expect"] in ("stored", "duplicate")}
    assert set(by_url) == wanted
    assert len(rows(db, "select id from articles")) == len(wanted)


def test_off_topic_and_non_articles_are_not_stored(archived, sample_site):
    db, _, by_url = archived
    seen = {r["canonical_url"]: r["outcome"] for r in rows(db, "select * from seen_urls")}
    for art in ARTICLES:
        if art["expect"] == "off_topic":
            url = url_of(sample_site, art)
            assert url not in by_url
            assert seen.get(url) == "off-topic", url
    for page in load_pages():
        url = canonicalize_url(sample_site.bases[page["outlet"]] + page["path"])
        assert url not in by_url, page


@pytest.mark.parametrize("art", [a for a in ARTICLES if a["expect"] != "off_topic"],
                         ids=lambda a: a["slug"])
def test_article_fields(archived, sample_site, art):
    db, _, by_url = archived
    row = by_url[url_of(sample_site, art)]
    assert row["source"] == art["outlet"]
    assert row["title"] == art["title"]
    assert row["published"][:10] == art["published"][:10]
    assert row["language"] == art["language"]
    credited = {c["name"] for c in art.get("credits", [])}  # an agency byline is a credit
    assert set(art["authors"]) - credited <= set(json.loads(row["authors"]))
    assert not credited & set(json.loads(row["authors"]))
    stored_credits = [(c["name"], c["role"]) for c in json.loads(row["credits"] or "[]")]
    assert set((c["name"], c["role"]) for c in art.get("credits", [])) <= set(stored_credits)
    text = row["text"]
    assert "\n\n" in text
    for sentence in art["must_keep"]:
        assert sentence in text, sentence
    for junk in art["must_drop"]:
        assert junk not in text, junk
    assert row["word_count"] == len(re.findall(r"\w+", text))
    assert set(art["places"]) <= set(json.loads(row["places"])), json.loads(row["places"])
    assert set(art["actors"]) <= set(json.loads(row["actors"])), json.loads(row["actors"])


def test_syndicated_copy_points_at_the_original(archived, sample_site):
    db, _, by_url = archived
    slugs = {a["slug"]: a for a in ARTICLES}
    copies = [a for a in ARTICLES if a["expect"] == "duplicate"]
    assert copies
    for art in copies:
        copy = by_url[url_of(sample_site, art)]
        original = by_url[url_of(sample_site, slugs[art["duplicate_of"]])]
        assert copy["duplicate_of"] == original["id"]
        assert original["duplicate_of"] is None


def test_second_crawl_adds_nothing(sample_sources, archived, tmp_path):
    import shutil

    db, _, by_url = archived
    copy = tmp_path / "again.db"
    shutil.copy(db, copy)
    result = crawl(sample_sources, copy)
    assert result.returncode == 0, result.stderr[-2000:]
    after = rows(copy, "select canonical_url, content_hash from articles")
    assert {r["canonical_url"] for r in after} == set(by_url)
    runs = rows(copy, "select * from crawl_runs order by id")
    assert len(runs) == 2 and runs[1]["stored"] == 0


def test_places_table_counts_the_crawled_articles(archived):
    db, _, by_url = archived
    counted = {r["name"]: r["article_count"] for r in rows(
        db, "select name, article_count from places where article_count > 0")}
    expected: dict = {}
    # every archived row, copies included: the map links to the same rows
    for row in by_url.values():
        for name in json.loads(row["places"]):
            expected[name] = expected.get(name, 0) + 1
    assert counted == expected
