"""The newsarchive Datasette plugin (crawler/web): home page, map, charts' data, stories,
article page, raw capture; and stock ``datasette`` serving the archive with it."""

from __future__ import annotations

import asyncio
import importlib.metadata
import importlib.util
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import serving

from newsarchive.archive import metadata, queries
from newsarchive.archive.db import open_db
from newsarchive.archive.serve import SETTINGS, datasette_instance, stock_command

ROOT = Path(__file__).resolve().parents[2]

_spec = importlib.util.spec_from_file_location(
    "_archive_sample_web", ROOT / "tests" / "archive" / "test_serve.py")
_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sample)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "news.db"
    ids = _sample.build_archive(path)
    ds = datasette_instance(path, update=False)

    def get(url):
        return asyncio.run(ds.client.get(url))

    return get, ids, path


def test_plugins_registered_by_entry_point():
    """Stock datasette loads every plugin module through the ``datasette`` entry point."""
    registered = {ep.value for ep in importlib.metadata.entry_points(group="datasette")}
    assert "newsarchive.crawler.web" in registered
    for module in sorted((ROOT / "archive" / "datasette" / "plugins").glob("*.py")):
        if module.stem != "__init__":
            name = f"newsarchive.archive.datasette.plugins.{module.stem}"
            assert name in registered, f"add {name} to [project.entry-points.datasette]"
    from datasette.plugins import get_plugins

    ours = [p for p in get_plugins() if p["name"] == "newsarchive" and p["templates_path"]]
    assert ours and ours[0]["static_path"].endswith("static")


def test_home_page_leads_with_search_and_views(built):
    get, ids, _ = built
    html = get("/").text
    assert 'name="_search"' in html and 'action="/news/articles"' in html
    assert 'dir="auto"' in html  # the search box takes Arabic as well as English
    for href in ("/news/-/map", "/-/dashboards/archive", "/news/story_across_outlets",
                 "/news/pages?outcome__notin=stored,duplicate", "/news/incidents",
                 "/news/source_health"):
        assert f'href="{href}"' in html, href
    # latest originals, newest first: the duplicate is left out
    latest = re.findall(r'href="/news/articles/(\d+)"', html.split('class="latest-list"')[1])
    assert int(latest[0]) == ids["ar_hamza"] and ids["dup"] not in map(int, latest)
    # counts by source and month: alpha has one article in 2026-03 and three in all
    counts = html.split('class="counts-table"')[1]
    assert '<a href="/news/articles?source=alpha&amp;published_month=2026-03">1</a>' in counts
    assert '<a href="/news/articles?source=alpha">3</a>' in counts
    assert "<th scope=\"col\" class=\"num\">2025-10</th>" in counts  # six months, zeros too


def test_dropped_pages_link_goes_to_the_pages_not_kept(built):
    get = built[0]
    link = re.search(r'href="(/news/pages\?[^"]+)"[^>]*>Dropped pages', get("/").text)
    assert link, "the home page links to the dropped pages"
    page = get(link.group(1).replace("&amp;", "&")).text
    assert "outcome" in page and "reason" in page


def test_dropped_pages_query(built):
    get = built[0]
    rows = get("/news/dropped_pages.json?_shape=array").json()
    assert {"reason": "http-500", "pages": 3, "runs": 1} == {
        k: rows[0][k] for k in ("reason", "pages", "runs")}


def test_article_page_facts(built):
    get, ids, _ = built
    dup = get(f"/news/articles/{ids['dup']}").text
    # the duplicate's original as a titled link, not a bare number
    assert (f'<dt>Original</dt><dd>This article repeats <a href="/news/articles/{ids["market"]}">'
            "<bdi>Shelling hits a market in Idlib</bdi></a>") in dup
    original = get(f"/news/articles/{ids['market']}").text
    assert "<dt>Same story</dt>" in original
    assert f'<a href="/news/articles/{ids["dup"]}"><bdi>Idlib market shelled</bdi></a>' in original
    assert "<dt>Published</dt>" in original and "2 Mar 2026, 09:30 +00:00" in original
    assert "Links from other tables" not in original
    arabic = get(f"/news/articles/{ids['ar_plain']}").text
    assert 'class="article-reader rtl" lang="ar" dir="rtl"' in arabic
    assert '<dl class="article-facts" dir="ltr" lang="en">' in arabic  # labels stay by values
    assert "<dt>Language</dt><dd>Arabic" in arabic
    assert "<dt>Capture</dt>" not in arabic  # no WARC pointer in this archive


def test_stories_show_each_copy_as_a_link(built):
    get, ids, _ = built
    html = get("/news/story_across_outlets").text
    assert f'<li><a href="/news/articles/{ids["dup"]}"><bdi>Idlib market shelled</bdi></a>' in html
    assert '"source":' not in html and "[{" not in html  # no raw JSON
    rows = get("/news/story_across_outlets.json?_shape=array").json()
    copies = json.loads(rows[0]["copies"])
    assert [c["id"] for c in copies] == [ids["market"], ids["dup"]]
    assert rows[0]["first_published"] < rows[0]["last_published"]


def test_map_counts_articles_and_filters(built):
    get, ids, _ = built
    html = get("/news/-/map").text
    data = json.loads(re.search(r'id="archive-map-data">(.*?)</script>', html).group(1))
    assert data["tiles"] == "/-/tiles/basemap/{z}/{x}/{y}.png"  # served here: no internet
    places = {p["name"]: p for p in data["places"]}
    assert places["Idlib"]["articles"] == 4 and "Damascus" not in places
    assert [a["id"] for a in places["Idlib"]["latest"]][0] == ids["ar_hamza"]  # newest first
    assert '<option value="">all sources</option>' in html and "<option>beta</option>" in html
    filtered = get("/news/-/map?source=beta&event=shelling&since=2026-03-01&until=2026-03-10").text
    data = json.loads(re.search(r'id="archive-map-data">(.*?)</script>', filtered).group(1))
    assert [(p["name"], p["articles"]) for p in data["places"]] == [("Idlib", 2)]
    assert ("/news/articles?places__arraycontains=Idlib&amp;published__gte=2026-03-01"
            "&amp;published__lt=2026-03-11&amp;source=beta&amp;events__arraycontains=shelling"
            ) in filtered
    bad = get("/news/-/map?since=yesterday").text
    assert "since: &#39;yesterday&#39; is not a date (YYYY-MM-DD)" in bad
    assert get("/-/map").status_code == 302
    assert get("/nothere/-/map").status_code == 404


def _chart(get, sql, **params):
    query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return get(f"/news.json?_shape=array&sql={quote(sql)}&{query}").json()


def test_charts_fill_empty_periods_with_zero(built):
    get = built[0]
    # the archive spans 2026-01-15 .. 2026-03-11 (< 92 days): weeks from Monday
    weekly = _chart(get, queries.ARTICLES_PER_PERIOD)
    starts = [row["period"] for row in weekly]
    assert starts[0] == "2026-01-12" and starts[-1] == "2026-03-09"
    assert len(starts) == 9 and all(row["period_end"] > row["period"] for row in weekly)
    by_week = {row["period"]: row["articles"] for row in weekly}
    assert by_week["2026-01-12"] == 1 and by_week["2026-01-26"] == 0  # empty week: zero
    assert by_week["2026-03-02"] == 3  # market, dup, xss
    assert sum(by_week.values()) == 7
    # a longer range: months, zero for a month without articles
    monthly = _chart(get, queries.ARTICLES_BY_SOURCE, date_start="2025-11-01",
                     date_end="2026-03-31")
    alpha = {row["period"]: row["articles"] for row in monthly if row["source"] == "alpha"}
    assert alpha == {"2025-11-01": 0, "2025-12-01": 0, "2026-01-01": 1, "2026-02-01": 1,
                     "2026-03-01": 1}
    events = _chart(get, queries.EVENTS_BY_PERIOD, event="displacement")
    assert {row["event"] for row in events} == {"displacement"}
    assert sum(row["articles"] for row in events) == 1
    places = _chart(get, queries.PLACES_BY_PERIOD, source="alpha")
    assert {row["place"] for row in places} == {"Idlib", "Aleppo"}


def test_capture_served_as_text(sample_archive, tmp_path):
    db = sample_archive[0]
    ds = datasette_instance(db, update=False)
    name = db.stem
    conn = sqlite3.connect(db)
    article_id, url, title = conn.execute(
        "select id, url, title from articles where warc_file is not null limit 1").fetchone()
    conn.close()
    page = asyncio.run(ds.client.get(f"/{name}/articles/{article_id}")).text
    assert f'href="/{name}/-/capture/{article_id}"' in page
    capture = asyncio.run(ds.client.get(f"/{name}/-/capture/{article_id}"))
    assert capture.status_code == 200
    assert capture.headers["content-type"].startswith("text/plain")
    assert capture.headers["x-content-type-options"] == "nosniff"
    assert f"WARC-Target-URI: {url}".split("?")[0] in capture.text
    assert "<html" in capture.text.lower()
    assert asyncio.run(ds.client.get(f"/{name}/-/capture/999999")).status_code == 404


def test_plugin_leaves_other_databases_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table story (story integer, copies text)")
    conn.execute("""insert into story values (1, '[{"id": 1}]')""")
    conn.commit()
    conn.close()
    from datasette.app import Datasette

    ds = Datasette([str(path)])
    home = asyncio.run(ds.client.get("/")).text
    assert "front-door" not in home and "static-plugins/newsarchive" not in home
    table = asyncio.run(ds.client.get("/other/story")).text
    assert "story-copies" not in table


@pytest.fixture(scope="module")
def stock_archive(sample_archive, tmp_path_factory):
    """The sample archive, prepared (indexed), under the default name news.db."""
    folder = tmp_path_factory.mktemp("stock")
    db = folder / "news.db"
    shutil.copy(sample_archive[0], db)
    if (sample_archive[0].parent / "warc").exists():
        shutil.copytree(sample_archive[0].parent / "warc", folder / "warc")
    from newsarchive.archive.serve import prepare

    prepare(db)
    return db


def _get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("with_metadata", [False, True], ids=["plugin-only", "with-m"])
def test_stock_datasette_serves_the_same_site(stock_archive, with_metadata):
    """Stock `datasette serve` (not the wrapper), as the README shows it."""
    command = [Path(sys.executable).parent / "datasette", *stock_command("{db}", port=0)[1:]]
    command = [str(part) for part in command]
    command[command.index("--port") + 1] = "{port}"
    if with_metadata:
        command += ["-m", str(metadata.YAML_PATH)]
    with serving(stock_archive, command=command) as base:
        home = _get(base, "/")
        assert "front-door" in home and 'action="/news/articles"' in home
        assert "/-/static-plugins/newsarchive/archive.css" in home
        settings = json.loads(_get(base, "/-/settings.json"))
        assert {k: settings[k] for k in SETTINGS} == SETTINGS
        found = json.loads(_get(base, "/news/articles.json?_shape=array&_search="
                                + quote("إدلب")))
        assert found and all(row["language"] == "ar" for row in found)
        assert "archive-map-data" in _get(base, "/news/-/map")
        assert "articles-by-source" in _get(base, "/-/dashboards/archive")
        tables = {t["name"]: t for t in json.loads(_get(base, "/news.json"))["tables"]}
        assert tables["seen_urls"]["hidden"] and not tables["articles"]["hidden"]
        assert "story-copies" in _get(base, "/news/story_across_outlets")
        tile = urllib.request.urlopen(base + "/-/tiles/basemap/6/38/25.png", timeout=30)
        assert tile.headers["content-type"] == "image/png"


def test_serve_runs_the_stock_command(tmp_path):
    """`newsarchive serve` = prepare + stock datasette with the settings."""
    command = stock_command(tmp_path / "news.db", immutable=True, port=8123)
    assert command[:3] == ["datasette", "serve", "-i"]
    for key, value in SETTINGS.items():
        i = command.index(key)
        assert command[i - 1] == "--setting" and command[i + 1] == str(value)
    result = subprocess.run([sys.executable, "-m", "newsarchive.crawler.cli", "serve", "--db",
                             str(tmp_path / "missing.db")], capture_output=True, text=True)
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_readme_shows_the_command_serve_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- stock-command -->", 1)[1].split("```", 2)[1].strip()
    assert block.split() == stock_command("archive/news.db")


def test_a_capture_that_is_a_decompression_bomb_is_not_unpacked(sample_archive, tmp_path):
    """The capture page decodes under the crawl's DOWNLOAD_MAXSIZE: a 2.4 KB brotli body
    that unpacks to 3 GiB is refused at once, not unpacked into the server."""
    import io
    import tracemalloc

    from bombs import brotli_bomb
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    db = tmp_path / sample_archive[0].name
    conn = open_db(sample_archive[0])
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    shutil.copy(sample_archive[0], db)
    (tmp_path / "warc").mkdir()
    with open(tmp_path / "warc" / "bomb.warc.gz", "wb") as fh:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                              ("Content-Encoding", "br")], protocol="HTTP/1.1")
        body = brotli_bomb()
        WARCWriter(fh, gzip=True).write_record(WARCWriter(fh).create_warc_record(
            "http://127.0.0.9/bomb", "response", payload=io.BytesIO(body), length=len(body),
            http_headers=headers))
    conn = sqlite3.connect(db)
    (article_id,) = conn.execute("select min(id) from articles").fetchone()
    conn.execute("update articles set warc_file = 'warc/bomb.warc.gz', warc_offset = 0 "
                 "where id = ?", [article_id])
    conn.commit()
    conn.close()
    ds = datasette_instance(db, update=False)
    tracemalloc.start()
    try:
        page = asyncio.run(ds.client.get(f"/{db.stem}/-/capture/{article_id}"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert page.status_code == 404 and "DOWNLOAD_MAXSIZE" in page.text, page.text[:300]
    assert peak < 200 * 1024 * 1024, peak


def test_map_of_reported_deaths_sizes_places_by_killed(tmp_path):
    """?show=killed: incident events by place, each counted once with its highest toll."""
    from newsarchive.archive import incidents as archive_incidents

    path = tmp_path / "news.db"
    ids = _sample.build_archive(path)
    db = open_db(path)
    found = {"event_type": "shelling/artillery/missile attack", "date": "2026-03-02",
             "date_source": "text", "place": "Idlib", "governorate": "Idlib Governorate",
             "latitude": 35.93, "longitude": 36.63, "actors": ["Syrian Arab Army"],
             "sentence": {"in": "text", "start": 0, "end": 10, "sentence": "Shells fell"}}
    first = archive_incidents.replace_incidents(db, ids["market"], [{**found, "killed": 3}])
    copy = archive_incidents.replace_incidents(db, ids["dup"], [{**found, "killed": 5}])
    archive_incidents.replace_events(db, [{
        **{k: found[k] for k in ("event_type", "place", "governorate", "latitude",
                                 "longitude", "actors")},
        "first_date": "2026-03-02", "last_date": "2026-03-02", "killed_min": 3,
        "killed_max": 5, "killed_latest": 5, "incident_ids": first + copy}])
    db.close()
    ds = datasette_instance(path, update=False)
    html = asyncio.run(ds.client.get("/news/-/map?show=killed")).text
    data = json.loads(re.search(r'id="archive-map-data">(.*?)</script>', html).group(1))
    assert data["measure"] == "killed"
    assert [(p["name"], p["killed"]) for p in data["places"]] == [("Idlib", 5)]
    assert "5 people reported killed" in html
    assert "/news/incident_events?place=Idlib" in html
    none = asyncio.run(ds.client.get("/news/-/map?show=killed&since=2026-03-03")).text
    assert "No incident with deaths matches these filters." in none
    articles = asyncio.run(ds.client.get("/news/-/map")).text
    assert '"measure": "articles"' in articles and 'href="?show=killed"' in articles


def test_article_page_shows_credits_as_names_and_roles(built):
    get, ids, path = built
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update articles set credits = ? where id = ?",
                     ['[{"name": "Levant Press Agency", "role": "agency"}, '
                      '{"name": "Rana <b>Aziz</b>", "role": "editing"}]', ids["market"]])
    conn.close()
    html = get(f"/news/articles/{ids['market']}").text
    facts = html.split('class="article-facts"')[1].split("</dl>")[0]
    assert "<dt>Credits</dt>" in facts
    assert "Levant Press Agency (agency), Rana &lt;b&gt;Aziz&lt;/b&gt; (editing)" in facts
    assert "&#34;role&#34;" not in facts and '"role"' not in facts
