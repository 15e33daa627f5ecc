"""Datasette metadata (archive/metadata.py): every visible table and column described."""

from __future__ import annotations

import sqlite3

import pytest

from newsarchive.archive import metadata, queries, search
from newsarchive.crawler.web.hooks import register_functions
from newsarchive.archive.db import open_db


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    path = tmp_path_factory.mktemp("md") / "news.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    columns = {t: [r[1] for r in conn.execute(f"pragma table_xinfo([{t}])")] for t in tables}
    conn.close()
    return path, tables, columns


def test_every_visible_table_and_column_is_described(fresh):
    _, tables, columns = fresh
    md = metadata.build_metadata("news", tables)["databases"]["news"]["tables"]
    missing = []
    for table in tables:
        if md.get(table, {}).get("hidden"):
            continue
        if not md.get(table, {}).get("description"):
            missing.append(table)
        described = md.get(table, {}).get("columns", {})
        missing += [f"{table}.{c}" for c in columns[table] if not described.get(c)]
    assert not missing, f"describe these in archive/metadata.py TABLES (or hide them): {missing}"


def test_hidden_tables_rule():
    assert metadata.is_hidden("_dedup_bands")
    assert metadata.is_hidden("articles_search_fts_data")
    assert metadata.is_hidden("seen_urls")
    assert not metadata.is_hidden("articles") and not metadata.is_hidden("places")
    md = metadata.build_metadata("news", ["articles", "_anything", "articles_search_fts_idx"])
    tables = md["databases"]["news"]["tables"]
    assert tables["_anything"]["hidden"] and tables["articles_search_fts_idx"]["hidden"]
    assert "hidden" not in tables["articles"]


def test_articles_defaults():
    md = metadata.build_metadata("demo")
    articles = md["databases"]["demo"]["tables"]["articles"]
    assert articles["sort_desc"] == "published"
    assert articles["fts_table"] == search.FTS_TABLE and articles["fts_pk"] == "id"
    assert {"array": "places"} in articles["facets"] and "published_month" in articles["facets"]
    assert md["license"] and md["source"] and "GeoNames" in md["license"]
    # the file names no database in the charts: for_databases points them at the archive
    served = metadata.for_databases({"demo": ["articles", "_x"]}, md)
    assert "demo" in served["databases"] and served["databases"]["demo"]["tables"]["_x"]["hidden"]
    dashboard = served["plugins"]["datasette-dashboards"]["archive"]
    assert all(chart["db"] == "demo" for chart in dashboard["charts"].values())
    assert all(f["db"] == "demo" for f in dashboard["filters"].values() if "query" in f)
    assert metadata.for_databases({}) == {}


def test_yaml_file_is_up_to_date():
    """archive/datasette/metadata.yaml is what archive/metadata.py builds; if this fails,
    run `python -m newsarchive.archive.metadata` and commit the file."""
    assert metadata.YAML_PATH.read_text(encoding="utf-8") == metadata.to_yaml(
        metadata.build_metadata())
    assert metadata.load_yaml() == metadata.build_metadata()


def test_canned_queries_are_valid_sql(fresh):
    path = fresh[0]
    conn = sqlite3.connect(path)
    register_functions(conn)
    params = {"place": "Idlib", "since": "", "until": "", "story": 1, "term": "x", "order": "",
              "id": 1, "source": "", "event": "", "date_start": "", "date_end": ""}
    for name, query in queries.CANNED_QUERIES.items():
        assert query["title"] and query["description"], name
        conn.execute(query["sql"], params).fetchall()
    for name in dir(queries):  # the web layer's and the charts' queries too
        if name.isupper() and isinstance(getattr(queries, name), str) and name[0] != "_":
            conn.execute(getattr(queries, name), params).fetchall()
    conn.close()
