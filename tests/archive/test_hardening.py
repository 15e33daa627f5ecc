"""The served archive against hostile visitors: SQL that would build huge values,
``fts3_tokenizer``, formula cells in Datasette's own CSV, POSTs to canned queries
(archive/datasette/plugins/hardening.py, through a real Datasette)."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from urllib.parse import quote

import pytest

from newsarchive.archive import search, store
from newsarchive.archive.db import open_db
from newsarchive.archive.metadata import SQL_TIME_LIMIT_MS
from newsarchive.archive.serve import datasette_instance
from newsarchive.pipelines.fulltext import search_forms

FORMULA_TITLES = ['=HYPERLINK("http://bad.example","click")', "+33 6 12 34 56 78",
                  "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def article(n: int, title: str) -> dict:
    return {"url": f"https://alpha.example/news/{n}", "canonical_url":
            f"https://alpha.example/news/{n}", "source": "alpha", "title": title,
            "published": f"2026-03-0{n}T09:00:00+00:00", "language": "en",
            "text": f"Aid convoys reached Idlib on day {n}, officials said.",
            "word_count": 9, "fetched_at": "2026-03-20T08:00:00+00:00",
            "content_hash": f"hash{n}", "topic_score": 0.8, "places": ["Idlib"]}


@pytest.fixture(scope="module")
def get(tmp_path_factory):
    path = tmp_path_factory.mktemp("hardening") / "news.db"
    db = open_db(path)
    with db.atomic():
        for n, title in enumerate(FORMULA_TITLES + ["Aid reaches Idlib"], start=1):
            store.insert_article(db, article(n, title))
    search.index_articles(db, search_forms)
    db.close()
    ds = datasette_instance(path, update=False)

    def fetch(path, method="get", **kwargs):
        return asyncio.run(getattr(ds.client, method)(path, **kwargs))

    return fetch


HOSTILE = [
    "select printf('%.*c', 999999999, 'x') as x",
    "select length(printf('%.*c', 999999999, 'x')) as n",
    "select randomblob(1000000000) as x",
    "select length(zeroblob(1000000000)) as n",
    "select length(replace(printf('%.*c', 10000000, 'x'), 'x', "
    "printf('%.*c', 200, 'y'))) as n",
]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # printf's
@pytest.mark.parametrize("sql", HOSTILE)
def test_sql_building_huge_values_fails_fast_with_an_error(get, sql):
    started = time.perf_counter()
    response = get("/news.json?_shape=array&sql=" + quote(sql))
    took = time.perf_counter() - started
    print(f"{took * 1000:.0f} ms (time limit {SQL_TIME_LIMIT_MS} ms): {sql}")
    assert response.status_code == 400, response.text[:300]
    assert "too big" in response.text or "too large" in response.text, response.text[:300]
    # SQLite refuses the value before building it: milliseconds, far under the time
    # limit (without the limits these ran 14 s over a 3 s limit); a generous bound
    assert took < SQL_TIME_LIMIT_MS / 1000, took


def test_many_rows_of_large_values_stay_within_a_memory_bound(get):
    """Each value under the length cap, but thousands of them: the rows one query may
    bring into the server are bounded too."""
    sql = ("with recursive n(i) as (select 1 union all select i + 1 from n where i < 5000) "
           "select i, printf('%.*c', 3000000, 'x') as x, randomblob(1000000) as y from n")
    response = get("/news.json?_shape=array&sql=" + quote(sql))
    assert response.status_code == 400, response.text[:300]
    assert "too large" in response.text, response.text[:300]


def test_fts3_tokenizer_is_refused(get):
    for sql in ("select fts3_tokenizer('mine', fts3_tokenizer('simple')) as x",
                "select hex(fts3_tokenizer('simple')) as x"):  # leaks a pointer
        response = get("/news.json?_shape=array&sql=" + quote(sql))
        assert response.status_code == 400, response.text[:300]
        assert "not authorized" in response.text, response.text[:300]


def test_normal_pages_and_queries_still_work(get):
    assert get("/news/articles.json?_shape=array&_size=2").status_code == 200
    found = get("/news/articles.json?_shape=array&_search=Idlib").json()
    assert len(found) == len(FORMULA_TITLES) + 1
    long_text = get("/news.json?_shape=array&sql=" + quote(
        "select length(printf('%.*c', 1000000, 'x')) as n")).json()
    assert long_text == [{"n": 1000000}]
    page = get("/news/articles")
    assert page.status_code == 200 and "Aid reaches Idlib" in page.text


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("path", [
    "/news/articles.csv?_size=max",
    "/news/articles.csv?_stream=on&_dl=1",
    "/news.csv?sql=" + quote("select id, title from articles order by id"),
    "/news/latest_articles.csv",
])
def test_datasettes_csv_is_formula_safe_like_the_export(get, path):
    from newsarchive.archive.export import safe_cell

    response = get(path)
    assert response.status_code == 200
    titles = {r["title"] for r in csv_rows(response.text)}
    for title in FORMULA_TITLES:
        assert title not in titles
        assert safe_cell(title) in titles and safe_cell(title) == "'" + title
    assert "Aid reaches Idlib" in titles
    ids = [r["id"] for r in csv_rows(response.text)]
    assert all(i.isdigit() for i in ids), "numbers stay numbers"


def test_query_csv_keeps_numbers_and_multiline_cells(get):
    sql = "select -1.5 as n, '=1+1' || char(13, 10) || '@x, \"quoted\"' as t, '-2' as s"
    (row,) = csv_rows(get("/news.csv?sql=" + quote(sql)).text)
    assert row == {"n": "-1.5", "t": "'=1+1\r\n@x, \"quoted\"", "s": "-2"}


def test_safe_csv_gives_the_same_bytes_however_the_stream_is_cut():
    from newsarchive.archive.datasette.plugins.hardening import SafeCsv
    from newsarchive.archive.export import safe_cell

    rows = [["id", "title", "text"], ["1", "=1+1", 'He said "hi",\r\nthen\nleft'],
            ["-2", "-3.5", "@x"], ["", "حلب ü", "+33 6"], ["3", "", '""']]

    def written(table) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(table)
        return out.getvalue().encode("utf-8")

    data = written(rows)
    expected = written([[safe_cell(c) for c in row] for row in rows])
    assert expected != data
    for size in (1, 2, 3, 5, 64, len(data)):
        guard = SafeCsv()
        got = b"".join(guard.feed(data[i:i + size]) for i in range(0, len(data), size))
        assert got + guard.feed(b"", final=True) == expected, size


@pytest.mark.parametrize("path", ["/news/latest_articles", "/news/articles", "/news",
                                  "/news/latest_articles.json"])
def test_a_post_to_a_canned_query_is_refused_clearly(get, path):
    response = get(path, method="post", data={"x": "1"})
    assert response.status_code == 405, (response.status_code, response.text[:300])
    assert "read-only" in response.text
    assert response.headers["allow"] == "GET, HEAD"
    assert get(path).status_code == 200
