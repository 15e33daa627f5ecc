"""Per-source caps on sitemaps and new URLs (crawler/middlewares/budget.py), in one real
crawl of a loopback site whose sitemap indexes never end."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import crawl, rows

HOST = "127.0.0.61"
WIDE = 20  # child indexes of each index of the "wide" source


class Handler(BaseHTTPRequestHandler):
    """``/deep/<n>.xml``: an index of one new index; ``/wide/<path>.xml``: an index of
    twenty new indexes; ``/many.xml``: a sitemap of 40 pages; anything else: 404."""

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_GET(self):  # noqa: N802
        self.server.hits[self.path.split("/")[1]] += 1
        base = f"http://{HOST}:{self.server.server_address[1]}"
        if self.path == "/robots.txt":
            return self.reply(b"User-agent: *\nAllow: /\n", "text/plain")
        if self.path.startswith(("/deep/", "/wide/")):
            stem = self.path[:-len(".xml")]
            children = [f"{stem}/0.xml"] if self.path.startswith("/deep/") else \
                [f"{stem}/{i}.xml" for i in range(WIDE)]
            return self.reply(index(base, children))
        if self.path == "/many.xml":
            return self.reply(urlset(base, [f"/page/{i}" for i in range(40)]))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def reply(self, body, ctype="application/xml"):
        body = body.encode() if isinstance(body, str) else body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def index(base: str, paths) -> str:
    items = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>')


def urlset(base: str, paths) -> str:
    items = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>')


@pytest.fixture(scope="module")
def budget(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("budget")
    server = ThreadingHTTPServer((HOST, 0), Handler)
    server.daemon_threads = True
    server.hits = Counter()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://{HOST}:{server.server_address[1]}"
    sources = tmp / "sources.toml"
    sources.write_text("".join(
        f'[[source]]\nname = "{name}"\nsitemaps = ["{base}{path}"]\n\n'
        for name, path in (("deep", "/deep/0.xml"), ("wide", "/wide/0.xml"),
                           ("many", "/many.xml"))), encoding="utf-8")
    db = tmp / "budget.db"
    try:
        # the caps are set small here; the safety net stops a crawl without them
        result = crawl(sources, db, "-s", "NEWSARCHIVE_SITEMAP_MAX_COUNT=30",
                       "-s", "NEWSARCHIVE_MAX_URLS_PER_SOURCE=10",
                       "-s", "CLOSESPIDER_TIMEOUT=120", timeout=300)
        (run,) = rows(db, "select * from crawl_runs")
        yield {"result": result, "run": run, "hits": server.hits,
               "reasons": json.loads(run["reasons"]),
               "per_source": json.loads(run["per_source"])}
    finally:
        server.shutdown()
        server.server_close()


def test_the_crawl_ends_on_its_own(budget):
    assert budget["run"]["status"] != "interrupted", budget["run"]["message"]
    assert "Traceback" not in budget["result"].stderr


def test_sitemaps_nested_past_the_depth_cap_are_refused(budget):
    # the source's own index and three levels under it (NEWSARCHIVE_SITEMAP_MAX_DEPTH = 3)
    assert budget["hits"]["deep"] == 4
    assert budget["reasons"]["sitemap-too-deep"] >= 1


def test_sitemaps_past_the_count_cap_are_refused(budget):
    assert budget["hits"]["wide"] == 1 + 30
    assert budget["reasons"]["sitemap-limit"] > 0
    assert budget["per_source"]["wide"]["refused"] >= budget["reasons"]["sitemap-limit"]


def test_new_urls_past_the_cap_are_refused(budget):
    assert budget["hits"]["page"] == 10
    assert budget["reasons"]["url-limit"] == 30
