"""A real browser (the system's chromium, driven by Playwright) on a served archive, with
the network off: only loopback answers (tests/browser.py).

Each page must load without a console error, an uncaught exception, a failed request or
any request to a host other than loopback, and must show what it is for: the home page
its search box and views, search results in English and Arabic, the map its basemap
tiles and article markers, the charts their marks, stories their copies as links, the
article pages their facts (right to left for Arabic).

Two archives: a small one built here (exact expectations, hostile HTML) and the demo
archive, a real crawl of the bundled sample site (the ``sample_archive`` fixture), whose
screenshots ``make screenshots`` copies to archive/datasette/screenshots/.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import urllib.request

import pytest
from browser import CHROMIUM, ROOT, Browser, chromium, serving

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)

_spec = importlib.util.spec_from_file_location(
    "_archive_sample", ROOT / "tests" / "archive" / "test_serve.py")
_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sample)

CHARTS = ("articles-per-period", "articles-by-source", "articles-by-event", "places-by-period")
# every basemap tile asked for has loaded (or failed: a problem the test reports)
TILES_DONE = ("document.querySelectorAll('img.leaflet-tile').length > 0 && "
              "document.querySelectorAll('img.leaflet-tile:not(.leaflet-tile-loaded)').length == 0")
CHARTS_DONE = " && ".join(f"document.querySelector('#chart-{c} .marks')" for c in CHARTS)


def clean(loaded):
    """The page loaded with no problem and asked nothing of the internet."""
    assert not loaded.refused, f"requests to the internet: {loaded.refused}"
    assert not loaded.problems, loaded.problems
    return loaded.dom


def search(term):
    """Type ``term`` in the home page's search box and submit it."""
    def then(page):
        page.fill("#front-search-input", term)
        page.click(".front-search button")  # get() waits for the results page
    return then


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def built(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "news.db"
    ids = _sample.build_archive(db)
    with serving(db) as base:
        yield Browser(browser, base, folder), ids


@pytest.fixture(scope="module")
def demo(browser, sample_archive, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-demo")
    db = folder / "demo.db"
    shutil.copy(sample_archive[0], db)  # serve prepares (indexes) it: keep the shared one as is
    if (sample_archive[0].parent / "warc").exists():
        shutil.copytree(sample_archive[0].parent / "warc", folder / "warc")
    with serving(db) as base:
        yield Browser(browser, base, folder, publish=True)


def assert_map_drawn(dom, least_markers):
    assert "leaflet-container" in dom
    assert dom.count("leaflet-tile-loaded") >= 4, "the basemap did not load"
    assert 'src="/-/tiles/basemap/' in dom  # tiles from this server, not the internet
    assert dom.count("leaflet-marker-icon article-count") >= least_markers, "empty map"


def assert_charts_drawn(dom):
    for chart in CHARTS:
        start = dom.index(f'id="chart-{chart}"')
        assert 'class="marks"' in dom[start:start + 5000], f"{chart} did not render"


def test_home_search_in_both_languages(built):
    browser, ids = built
    dom = clean(browser.get("/", "home", wait_for=".front-door"))
    assert 'id="front-search-input"' in dom and "Latest articles" in dom
    loaded = browser.get("/", "search-ar", wait_for="table.rows-and-columns",
                         then=search("إدلب"))
    dom = clean(loaded)
    assert "/news/articles?_search=" in loaded.url
    assert "2 rows where search matches" in dom
    assert "قصف على ادلب" in dom and "نازحون في إِدْلِب" in dom
    assert "Aleppo talks resume" not in dom
    dom = clean(browser.get("/", "search-en", wait_for="table.rows-and-columns",
                            then=search("market")))
    assert "2 rows where search matches" in dom and "Shelling hits a market in Idlib" in dom


def test_map_offline_counts_articles(built):
    dom = clean(built[0].get("/news/-/map", "map", wait_for=".leaflet-marker-icon",
                             until=TILES_DONE, full_page=False))
    # Idlib, Aleppo and Homs have articles (grouped or not); Damascus (none) is left off
    assert_map_drawn(dom, least_markers=1)
    assert 'data-markers="3"' in dom


def test_charts_render(built):
    dom = clean(built[0].get("/-/dashboards/archive", "charts", until=CHARTS_DONE))
    assert_charts_drawn(dom)


def test_story_across_outlets(built):
    browser, ids = built
    dom = clean(browser.get("/news/story_across_outlets", "stories",
                            wait_for="ul.story-copies"))
    assert f'href="/news/articles/{ids["dup"]}"' in dom and "[{" not in dom


def test_article_pages_readable_and_inert(built):
    browser, ids = built
    dom = clean(browser.get(f"/news/articles/{ids['xss']}", "article-hostile",
                            wait_for=".article-reader"))
    assert "&lt;script&gt;alert" in dom
    assert '<img src="x"' not in dom and "<script>alert" not in dom
    dom = clean(browser.get(f"/news/articles/{ids['market']}", "article-en",
                            wait_for=".article-reader"))
    assert dom.count('<p dir="auto">') == 2
    dom = clean(browser.get(f"/news/articles/{ids['ar_plain']}", "article-ar",
                            wait_for=".article-reader"))
    assert 'class="article-reader rtl"' in dom


def test_demo_archive_pages(demo):
    """The README's screenshots: each page of the demo archive, network off."""
    dom = clean(demo.get("/", "home", wait_for=".front-door"))
    assert "Latest articles" in dom and "Articles by source and month" in dom
    dom = clean(demo.get("/", "search-en", wait_for="table.rows-and-columns",
                         then=search("Idlib market")))
    assert "rows where search matches" in dom and "0 rows where" not in dom
    dom = clean(demo.get("/", "search-ar", wait_for="table.rows-and-columns",
                         then=search("إدلب")))
    assert "rows where search matches" in dom and "0 rows where" not in dom
    dom = clean(demo.get("/demo/-/map", "map", wait_for=".leaflet-marker-icon",
                         until=TILES_DONE, full_page=False))
    assert_map_drawn(dom, least_markers=5)
    assert_charts_drawn(clean(demo.get("/-/dashboards/archive", "charts", until=CHARTS_DONE)))
    dom = clean(demo.get("/demo/story_across_outlets", "stories", wait_for="ul.story-copies"))
    assert dom.count("<li><a href=\"/demo/articles/") >= 2

    def newest(language, duplicate):
        url = (demo.base + "/demo/articles.json?_shape=array&_size=1&warc_file__notblank=1"
               f"&duplicate_of__{'notblank' if duplicate else 'isnull'}=1&language={language}")
        return json.loads(urllib.request.urlopen(url).read())[0]["id"]

    dom = clean(demo.get(f"/demo/articles/{newest('ar', False)}", "article-ar",
                         wait_for=".article-reader"))
    assert 'class="article-reader rtl"' in dom and dom.count('<p dir="auto">') >= 2
    assert "<dt>Capture</dt>" in dom
    # an English duplicate: its original is a titled link
    dom = clean(demo.get(f"/demo/articles/{newest('en', True)}", "article-en",
                         wait_for=".article-reader"))
    assert "<dt>Published</dt>" in dom and "date read from" in dom
    assert "<dt>Original</dt><dd>This article repeats <a href=" in dom
