"""Datasette pages of a served archive, checked through ``datasette.client``."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from urllib.parse import quote

import pytest

from newsarchive.archive import places, runs, search, store
from newsarchive.archive.db import open_db
from newsarchive.archive.serve import datasette_instance, publish_snapshot
from newsarchive.pipelines.fulltext import search_forms

GAZETTEER = [
    {"name": "Idlib", "name_ar": "إدلب", "governorate": "Idlib", "kind": "city",
     "latitude": 35.9306, "longitude": 36.6339, "geonameid": 169388, "source": "geonames"},
    {"name": "Aleppo", "name_ar": "حلب", "governorate": "Aleppo", "kind": "city",
     "latitude": 36.2021, "longitude": 37.1343, "geonameid": 170063, "source": "geonames"},
    {"name": "Homs", "name_ar": "حمص", "governorate": "Homs", "kind": "city",
     "latitude": 34.7308, "longitude": 36.7094, "geonameid": 169577, "source": "geonames"},
    {"name": "Damascus", "name_ar": "دمشق", "governorate": "Damascus", "kind": "city",
     "latitude": 33.5102, "longitude": 36.2913, "geonameid": 170654, "source": "geonames"},
]

XSS_TEXT = ('A paragraph with <script>alert("x")</script> inside.\n\n'
            'And an image <img src=x onerror="alert(1)"> too.')


def article(n, source, title, published, text, language="en", **extra):
    return {
        "url": f"https://{source}.example/news/{n}", "canonical_url": f"https://{source}.example/news/{n}",
        "source": source, "title": title, "published": published, "language": language,
        "text": text, "word_count": len(text.split()), "fetched_at": "2026-03-20T08:00:00+00:00",
        "content_hash": f"hash{n}", "topic_score": 0.8, **extra,
    }


def build_archive(path, gazetteer=GAZETTEER):
    """A small archive: English and Arabic articles, a duplicate, hostile HTML, two runs.

    Returns the ids by key.  Text written for these tests (no real outlet's copy).
    """
    db = open_db(path)
    run1 = runs.start_run(db, "sources.toml")
    ids = {}
    with db.atomic():
        ids["market"] = store.insert_article(db, article(
            1, "alpha", "Shelling hits a market in Idlib", "2026-03-02T09:30:00+00:00",
            "Shells fell on the vegetable market of Idlib city early on Monday.\n\n"
            "Rescue teams said the shops on the main street were damaged.",
            places=["Idlib"], actors=["Syrian Arab Army"], events=["shelling"],
            crawl_run=run1, authors=["Lina Haddad"]))
        ids["ar_plain"] = store.insert_article(db, article(
            2, "beta", "قصف على ادلب", "2026-03-10T10:00:00+02:00",
            "سقطت قذائف على مدينة ادلب صباح اليوم.\n\nوقال الدفاع المدني إن الأضرار كبيرة.",
            language="ar", places=["Idlib"], events=["shelling"], crawl_run=run1))
        ids["ar_hamza"] = store.insert_article(db, article(
            3, "gamma", "نازحون في إِدْلِب", "2026-03-11T07:00:00+00:00",
            "وصلت عائلات نازحة إلى مخيمات شمال إدلب.\n\nالمَدِينَة مزدحمة.",
            language="ar", places=["Idlib"], events=["displacement"], crawl_run=run1))
        ids["talks"] = store.insert_article(db, article(
            4, "alpha", "Aleppo talks resume", "2026-02-20",
            "Delegations met in Aleppo to discuss the reopening of roads.",
            places=["Aleppo"], actors=["United Nations"], events=["negotiations"], crawl_run=run1))
        ids["dup"] = store.insert_article(db, article(
            5, "beta", "Idlib market shelled", "2026-03-02T11:00:00+00:00",
            "Shells fell on the vegetable market of Idlib city early on Monday.\n\n"
            "Rescue teams said shops were damaged.",
            places=["Idlib"], events=["shelling"], duplicate_of=1, crawl_run=run1))
        ids["xss"] = store.insert_article(db, article(
            6, "gamma", '<b>Bold</b> claims in Homs', "2026-03-05T12:00:00+00:00", XSS_TEXT,
            places=["Homs"], actors=["<img src=y onerror=alert(3)>"], authors=["<i>Someone</i>"],
            crawl_run=run1))
        ids["formula"] = store.insert_article(db, article(
            7, "alpha", '=HYPERLINK("http://bad.example","click")', "2026-01-15T08:00:00+00:00",
            'He said "no comment", then left.\nA second line.\n\n+1 more, -3 fewer, @all',
            places=["Aleppo"], authors=["@reporter"], crawl_run=run1))
    runs.finish_run(db, run1, "ok", {"stored": 6, "duplicate": 1}, {},
                    {"alpha": {"stored": 3}, "beta": {"stored": 1, "duplicate": 1},
                     "gamma": {"stored": 2}})
    run2 = runs.start_run(db, "sources.toml")
    runs.finish_run(db, run2, "degraded", {"stored": 0}, {"http-500": 3},
                    {"alpha": {"stored": 0}, "gamma": {"stored": 0, "failed": 3}})
    search.index_articles(db, search_forms)
    places.refresh_places(db, gazetteer)
    db.close()
    return ids


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "news.db"
    ids = build_archive(path)
    return path, ids


@pytest.fixture(scope="module")
def get(archive_path):
    ds = datasette_instance(archive_path[0], update=False)

    def fetch(path):
        return asyncio.run(ds.client.get(path))

    fetch.ds = ds
    return fetch


def rows(response):
    return response.json()


def test_index_shows_title_description_and_licence(get):
    html = get("/").text
    assert "Syria news archive" in html
    assert "GeoNames" in html and "CC BY 4.0" in html
    assert 'href="/-/dashboards/archive"' in html and 'href="/news/-/map"' in html
    assert 'href="/"' in get("/news").text  # the database page leads back to the start page


def test_articles_table_described_sorted_newest_first_and_faceted(get):
    page = get("/news/articles")
    assert page.status_code == 200
    assert "One row per article" in page.text
    data = get("/news/articles.json?_shape=objects&_extra=facet_results").json()
    published = [r["published"] for r in data["rows"]]
    assert published == sorted(published, reverse=True)
    facets = data["facet_results"]
    assert {"source", "language", "places", "actors", "events", "published_month"} <= set(facets)
    assert {f["value"]: f["count"] for f in facets["places"]["results"]}["Idlib"] == 4
    assert {f["value"] for f in facets["published_month"]["results"]} >= {"2026-03", "2026-02"}


def test_internal_tables_hidden(get):
    tables = {t["name"]: t for t in get("/news.json").json()["tables"]}
    for name in ("_sqlite_migrations", "articles_search", "articles_search_fts", "seen_urls"):
        assert tables[name]["hidden"], name
    for name in ("articles", "places", "crawl_runs"):
        assert not tables[name]["hidden"], name


def test_sql_time_limit_set(get):
    assert get("/-/settings.json").json()["sql_time_limit_ms"] == 3000


@pytest.mark.parametrize("term", ["إدلب", "ادلب", "إِدْلِب", "أدلب"])
def test_search_box_folds_arabic_spellings(get, archive_path, term):
    ids = archive_path[1]
    found = {r["id"] for r in get(f"/news/articles.json?_shape=array&_search={quote(term)}").json()}
    assert found == {ids["ar_plain"], ids["ar_hamza"]}


def test_search_box_latin_word_forms_and_syntax(get, archive_path):
    ids = archive_path[1]

    def found(query):
        return {r["id"] for r in
                get(f"/news/articles.json?_shape=array&_search={quote(query)}").json()}

    assert found("MARKET") == found("markets") == {ids["market"], ids["dup"]}
    assert found("market OR talks") == {ids["market"], ids["dup"], ids["talks"]}
    assert found("market -street") == {ids["dup"]}
    assert found('"main street"') == {ids["market"]}
    assert found('"main streets"') == set()  # a phrase is not stemmed
    # the search box keeps what was typed, not the expression it became
    page = get(f"/news/articles?_search={quote('markets')}").text
    assert 'value="markets"' in page


def test_unreadable_search_says_why_on_the_page(get):
    page = get("/news/articles?_search=" + quote('"market AND')).text
    assert "a quote is not closed" in page and "message-error" in page
    assert "0 rows" in page  # and nothing was searched: no SQL error page
    assert get("/news/articles.json?_search=" + quote('"market AND')).status_code == 200
    page = get("/news/search?term=" + quote("market OR") + "&order=").text
    assert "OR needs a word on each side" in page


def test_canned_search_snippet_count_order(get, archive_path):
    ids = archive_path[1]
    empty = get("/news/search")  # opens as an empty form, not an error
    assert empty.status_code == 200 and "message-error" not in empty.text
    assert get("/news/search.json?_shape=array&term=&order=").json() == []
    rows = get("/news/search.json?_shape=array&term=shops&order=").json()
    assert {r["id"] for r in rows} == {ids["market"], ids["dup"]}
    assert {r["matches"] for r in rows} == {2}
    assert all("⟦shops⟧" in r["snippet"] for r in rows)
    # relevance: the same bm25 order as archive.search (shorter text, more weight)
    db = open_db(archive_path[0])
    try:
        ranked = search.search_ids(db, '"shops"')
    finally:
        db.close()
    assert [r["id"] for r in rows] == ranked
    by_date = get("/news/search.json?_shape=array&term=market&order=date").json()
    assert [r["published"] for r in by_date] == sorted((r["published"] for r in by_date),
                                                       reverse=True)
    html = get("/news/search?term=markets&order=").text
    assert "<mark>market</mark>" in html and "⟦market⟧" not in html
    assert "message-error" in get("/news/search?term=market&order=newest").text


def test_canned_place_query_knows_spellings_and_says_unknown(get, archive_path):
    ids = archive_path[1]

    def found(place, since=""):
        return {r["id"] for r in get(
            "/news/articles_mentioning_place.json?_shape=array"
            f"&place={quote(place)}&since={quote(since)}&until=").json()}

    idlib = found("Idlib")
    assert idlib and found("Idleb") == found("إدلب") == found("idlib") == idlib
    assert found("Idlbi") == set()
    page = get("/news/articles_mentioning_place?place=Idlbi&since=&until=").text
    assert "Unknown place &#39;Idlbi&#39;; closest known: Idlib" in page
    page = get("/news/articles_mentioning_place?place=Idlib&since=yesterday&until=").text
    assert "since &#39;yesterday&#39; is not a date" in page
    assert found("Idlib", since="2026-03") == idlib  # a month: from its first day
    assert ids["market"] not in found("Idlib", since="2026-03-03")


def test_article_text_paragraphs_and_html_escaped(get, archive_path):
    ids = archive_path[1]
    html = get(f"/news/articles/{ids['xss']}").text
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "onerror=\"alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<img src=y" not in html and "&lt;img src=y onerror=alert(3)&gt;" in html
    assert "<i>Someone" not in html and "&lt;i&gt;Someone&lt;/i&gt;" in html
    market = get(f"/news/articles/{ids['market']}").text
    assert market.count('<p dir="auto">') == 2
    table = get("/news/articles").text
    assert "<script>alert" not in table and "<img src=" not in table and "<i>" not in table


def test_tags_link_to_articles_sharing_them(get, archive_path):
    ids = archive_path[1]
    html = get(f"/news/articles/{ids['market']}").text
    link = '<a href="/news/articles?actors__arraycontains=Syrian%20Arab%20Army">Syrian Arab Army</a>'
    assert link in html
    assert "<dt>Authors</dt><dd><bdi>Lina Haddad</bdi></dd>" in html
    linked = get("/news/articles.json?_shape=array&actors__arraycontains=Syrian%20Arab%20Army")
    assert [r["id"] for r in linked.json()] == [ids["market"]]


def test_places_map_and_links(get):
    page = get("/news/places")
    assert page.status_code == 200
    assert "datasette-cluster-map" in page.text
    assert '<a href="/news/articles?places__arraycontains=Idlib">4</a>' in page.text
    data = {r["name"]: r for r in get("/news/places.json?_shape=array").json()}
    assert data["Damascus"]["article_count"] == 0
    popup = json.loads(data["Idlib"]["popup"])
    assert popup["link"] == "articles?places__arraycontains=Idlib"
    linked = get("/news/articles.json?_shape=array&places__arraycontains=Idlib").json()
    assert len(linked) == 4
    map_page = get("/news/-/map").text  # the map page (crawler/web): counts link to articles
    assert '<a href="/news/articles?places__arraycontains=Idlib">4</a>' in map_page


def test_canned_queries(get, archive_path):
    ids = archive_path[1]
    latest = get("/news/latest_articles.json?_shape=array").json()
    assert ids["dup"] not in {r["id"] for r in latest}
    assert latest[0]["id"] == ids["ar_hamza"]
    between = get("/news/articles_mentioning_place.json?_shape=array"
                  "&place=Idlib&since=2026-03-03&until=2026-03-10").json()
    assert [r["id"] for r in between] == [ids["ar_plain"]]
    open_ended = get("/news/articles_mentioning_place.json?_shape=array"
                     "&place=Aleppo&since=&until=").json()
    assert {r["id"] for r in open_ended} == {ids["talks"], ids["formula"]}
    stories = get("/news/story_across_outlets.json?_shape=array").json()
    assert [(s["story"], s["articles"], s["outlets"]) for s in stories] == [(ids["market"], 2, 2)]
    story = get(f"/news/story_articles.json?_shape=array&story={ids['market']}").json()
    assert {r["id"] for r in story} == {ids["market"], ids["dup"]}
    health = {r["source"]: r for r in get("/news/source_health.json?_shape=array").json()}
    assert health["alpha"]["runs"] == 2 and health["alpha"]["articles_per_run"] == 1.5
    assert health["gamma"]["stored_last_run"] == 0 and health["gamma"]["failed_total"] == 3
    assert health["beta"]["last_success"]
    found = get(f"/news/search.json?_shape=array&term={quote('إدلب')}").json()
    assert {r["id"] for r in found} == {ids["ar_plain"], ids["ar_hamza"]}


def test_charts_dashboard(get):
    page = get("/-/dashboards/archive")
    assert page.status_code == 200
    for chart in ("articles-per-period", "articles-by-source", "articles-by-event",
                  "places-by-period"):
        assert chart in page.text
    # the charts' queries and their zero-filled periods: tests/crawler/test_web.py


def test_live_archive_is_opened_read_only(get, archive_path):
    db = get.ds.get_database("news")
    assert db.is_mutable
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute("delete from articles"))


def test_snapshot_served_immutable(archive_path, tmp_path):
    snap = publish_snapshot(archive_path[0], tmp_path / "public" / "news.db", forms_of=search_forms)
    assert [p.name for p in snap.parent.iterdir()] == ["news.db"]  # no temp files left
    ds = datasette_instance(snap, immutable=True)
    dbs = asyncio.run(ds.client.get("/-/databases.json")).json()
    assert dbs[0]["is_mutable"] is False
    found = asyncio.run(ds.client.get(f"/news/articles.json?_shape=array&_search={quote('ادلب')}"))
    assert len(found.json()) == 2
    conn = sqlite3.connect(snap)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_prepare_indexes_new_articles_before_serving(tmp_path):
    path = tmp_path / "news.db"
    build_archive(path)
    db = open_db(path)
    with db.atomic():
        store.insert_article(db, article(8, "delta", "حماة اليوم", "2026-03-15", "خبر عن حماة."))
    db.close()
    ds = datasette_instance(path, forms_of=search_forms)  # update: pending articles indexed
    found = asyncio.run(ds.client.get(f"/news/articles.json?_shape=array&_search={quote('حماه')}"))
    assert [r["source"] for r in found.json()] == ["delta"]


def test_snapshot_during_a_write_sees_committed_rows_only(tmp_path):
    from click.testing import CliRunner

    from newsarchive.crawler.cli import cli

    live = tmp_path / "live.db"
    build_archive(live)
    writer = open_db(live)
    writer.execute("begin immediate")  # a crawl in the middle of a write
    store.insert_article(writer, article(9, "delta", "Uncommitted", "2026-03-16", "Not yet."))
    try:
        result = CliRunner().invoke(cli, ["publish-snapshot", "--db", str(live),
                                          "-o", str(tmp_path / "snap.db")])
        assert result.exit_code == 0, result.output
    finally:
        writer.execute("rollback")
        writer.close()
    conn = sqlite3.connect(tmp_path / "snap.db")
    titles = [r[0] for r in conn.execute("select title from articles")]
    conn.close()
    assert len(titles) == 7 and "Uncommitted" not in titles


def test_other_row_pages_keep_datasettes_layout(get):
    page = get("/news/crawl_runs/1")
    assert page.status_code == 200
    assert "rows-and-columns" in page.text and "article-reader" not in page.text
    assert "article-reader" in get("/news/articles/1").text
