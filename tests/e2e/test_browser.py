"""A real browser (headless Debian chromium) on a served archive: search, map, chart, article.

Each archive is served by the real ``newsarchive serve`` command (uvicorn, read-only
database) on 127.0.0.1; chromium loads each page, runs its JavaScript (Leaflet markers,
Vega charts) and saves a screenshot and the resulting DOM, which the tests read.

Two archives: a small one built here (exact expectations, hostile HTML) and the demo
archive, a real crawl of the bundled sample site (the ``sample_archive`` fixture).

Screenshots go to the test's tmp folder; with NEWSARCHIVE_UPDATE_SCREENSHOTS=1 the demo
archive's are also written to archive/datasette/screenshots/ (the ones the README shows).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "archive" / "datasette" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)

_spec = importlib.util.spec_from_file_location(
    "_archive_sample", ROOT / "tests" / "archive" / "test_serve.py")
_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sample)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(db: Path):
    """``newsarchive serve --db DB`` on a free loopback port; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive.crawler.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"newsarchive serve did not start: {proc.communicate()[0][-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Browser:
    def __init__(self, base: str, folder: Path, publish: bool = False):
        self.base, self.folder, self.publish = base, folder, publish

    def get(self, path: str, name: str, height: int = 1000) -> str:
        """Load ``path``; save NAME.png; return the DOM after the page's scripts ran."""
        shot = self.folder / f"{name}.png"
        profile = self.folder / f"profile-{name}"
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
             f"--window-size=1280,{height}", "--hide-scrollbars", "--virtual-time-budget=8000",
             f"--screenshot={shot}", "--dump-dom", self.base + path],
            capture_output=True, text=True, timeout=90,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000, "screenshot looks blank"
        if self.publish and os.environ.get("NEWSARCHIVE_UPDATE_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, SCREENSHOTS / shot.name)
        return result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "news.db"
    ids = _sample.build_archive(db)
    with serving(db) as base:
        yield Browser(base, folder), ids


@pytest.fixture(scope="module")
def demo(sample_archive, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-demo")
    db = folder / "demo.db"
    shutil.copy(sample_archive[0], db)  # serve prepares (indexes) it: keep the shared one as is
    with serving(db) as base:
        yield Browser(base, folder, publish=True)


def test_search_finds_arabic_spelling_variants(built):
    browser, _ = built
    dom = browser.get("/news/articles?_search=" + quote("إدلب"), "search")
    assert "2 rows where search matches" in dom
    assert "قصف على ادلب" in dom and "نازحون في إِدْلِب" in dom
    assert "Aleppo talks resume" not in dom


def test_map_shows_markers(built):
    dom = built[0].get("/news/map", "map")
    assert "leaflet-container" in dom
    # Idlib, Aleppo and Homs have articles; Damascus (none) is left off the map
    assert dom.count("leaflet-marker-icon") + dom.count("marker-cluster") >= 3


def assert_charts_rendered(dom):
    for chart in ("articles-per-week", "events-per-week"):
        start = dom.index(f'id="chart-{chart}"')
        assert 'class="marks"' in dom[start:start + 3000], f"{chart} did not render"


def test_chart_renders(built):
    assert_charts_rendered(built[0].get("/-/dashboards/archive", "chart", height=1100))


def test_article_page_readable_and_inert(built):
    browser, ids = built
    dom = browser.get(f"/news/articles/{ids['xss']}", "article-hostile")
    assert "&lt;script&gt;alert" in dom
    assert '<img src="x"' not in dom and "<script>alert" not in dom
    dom = browser.get(f"/news/articles/{ids['market']}", "article-paragraphs")
    assert dom.count('<p dir="auto">') == 2


def test_demo_archive_search_map_chart(demo):
    dom = demo.get("/demo/articles?_search=" + quote("إدلب"), "search", height=1500)
    assert "rows where search matches" in dom and "0 rows where" not in dom
    dom = demo.get("/demo/map", "map")
    assert dom.count("leaflet-marker-icon") + dom.count("marker-cluster") >= 3
    assert_charts_rendered(demo.get("/-/dashboards/archive", "chart", height=1100))
    newest_arabic = json.loads(urllib.request.urlopen(
        demo.base + "/demo/articles.json?_shape=array&_size=1&language=ar&duplicate_of__isnull=1"
    ).read())[0]["id"]
    dom = demo.get(f"/demo/articles/{newest_arabic}", "article")
    assert dom.count('<p dir="auto">') >= 2
