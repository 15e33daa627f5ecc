"""The fake web (crawler/fakeweb): the one loopback server and its fault options over real
sockets, the shared writers, the profile registry and command line, and the pinned bytes of
the sample and benchmark pages that the other tests and the benchmark results rely on."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import lxml.etree
import pytest

from newsarchive.crawler.fakeweb import Response, Site, discovery, redirect
from newsarchive.crawler.fakeweb.content import load_outlets
from newsarchive.crawler.fakeweb.markup import e, human_date, rfc822, xml_text
from newsarchive.crawler.fakeweb.outlet import OutletSite
from newsarchive.crawler.fakeweb.profiles import PROFILES, get
from newsarchive.crawler.fakeweb.profiles.bench_synthetic import BenchSite
from newsarchive.crawler.fakeweb.profiles.faults import once
from newsarchive.crawler.sources import load_sources

REPO = Path(__file__).resolve().parents[2]


class Tiny(Site):
    """A one-host site whose routes each test sets."""

    profile = "tiny"

    def __init__(self, routes, **options):
        super().__init__(**options)
        self.table = routes

    def hosts(self):
        return [("tiny", "127.0.0.1")]

    def bind(self, bases):
        self.routes = {"tiny": self.table}
        return self


class OneShot(Tiny):
    protocol = "HTTP/1.0"
    log_requests = True


def connect(site) -> socket.socket:
    host, port = site.bases["tiny"].split("//")[1].split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def ask(sock, path, method="GET", headers=""):
    sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())


def read_head(sock, buffer=b""):
    """(status, headers, bytes read after the head)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before the head"
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, rest


def read_until_closed(sock, buffer=b"") -> bytes:
    while chunk := sock.recv(65536):
        buffer += chunk
    return buffer


def get_one(site, path, method="GET", headers="Connection: close\r\n"):
    with connect(site) as sock:
        ask(sock, path, method, headers)
        status, head, rest = read_head(sock)
        return status, head, read_until_closed(sock, rest)


# ------------------------------------------------------------------------- the server
def test_plain_pages_keep_alive_head_and_not_found():
    with Tiny({"/a": ("text/plain; charset=utf-8", b"alpha"), "/b": Response(b"<p>beta</p>")}) as site:
        with connect(site) as sock:
            for path, body in (("/a", b"alpha"), ("/b", b"<p>beta</p>")):  # one connection
                ask(sock, path)
                status, head, rest = read_head(sock)
                while len(rest) < len(body):
                    rest += sock.recv(65536)
                assert (status, rest) == (200, body)
                assert int(head["content-length"]) == len(body) and "connection" not in head
            ask(sock, "/a", "HEAD")
            status, head, rest = read_head(sock)
            assert status == 200 and head["content-length"] == "5" and rest == b""
        status, head, body = get_one(site, "/missing")
        assert status == 404 and b"404 Not found" in body
        assert head["content-type"] == "text/html; charset=utf-8"
        assert get_one(site, "/a", "POST")[0] == 501
        assert site.hits["/a"] == 3 and site.hits["/missing"] == 1


def test_query_strings_are_ignored_unless_routed():
    with Tiny({"/p": ("text/plain", b"page"), "/p?x=1": ("text/plain", b"special")}) as site:
        assert get_one(site, "/p?utm_source=rss")[2] == b"page"
        assert get_one(site, "/p?x=1")[2] == b"special"
        assert site.hits["/p?utm_source=rss"] == 1
        assert get_one(site, "/%70")[2] == b"page"  # the path is unquoted


def test_wrong_and_missing_lengths_close_the_connection():
    body = b"x" * 1000
    with Tiny({"/short": Response(body, length=5000), "/none": Response(body, length=False),
               "/cut": Response(body, cut=10, length=1000)}) as site:
        for path, announced, received in (("/short", "5000", body), ("/none", None, body),
                                          ("/cut", "1000", body[:10])):
            status, head, got = get_one(site, path, headers="")  # keep-alive asked for
            assert head.get("content-length") == announced and got == received, path
            assert head["connection"] == "close"


def test_delay_holds_one_answer_without_blocking_others():
    with Tiny({"/slow": Response(b"late", delay=600), "/fast": ("text/plain", b"now")}) as site:
        with connect(site) as slow:
            ask(slow, "/slow")
            assert get_one(site, "/fast")[2] == b"now"
            slow.setblocking(False)
            with pytest.raises(BlockingIOError):
                slow.recv(10)  # nothing yet: it is still waiting


def test_trickle_sends_the_body_piece_by_piece():
    with Tiny({"/drip": Response(b"abcdef", trickle=600, piece=2)}) as site:
        with connect(site) as sock:
            ask(sock, "/drip")
            status, head, rest = read_head(sock)
            while not rest:
                rest += sock.recv(10)
            assert status == 200 and head["content-length"] == "6" and rest == b"ab"


def test_reset_and_silent_drop():
    with Tiny({"/reset": Response(b"partial body", cut=7, length=12, reset=True),
               "/drop": Response(b"", silent=True, reset=True)}) as site:
        with connect(site) as sock:
            ask(sock, "/reset")
            with pytest.raises(ConnectionResetError):
                read_until_closed(sock)
        with connect(site) as sock:
            ask(sock, "/drop")
            with pytest.raises(ConnectionResetError):
                assert sock.recv(100) == b"", "closed without a reset"


def test_callable_routes_see_the_request_and_redirects():
    def echo(request):
        return Response(json.dumps([request.method, request.path, request.query, request.count,
                                    request.headers.get("if-none-match")]).encode())

    with Tiny({"/echo": echo, "/flaky": once(Response(b"busy", 503), Response(b"ok")),
               "/go": redirect("/echo", 301)}) as site:
        got = json.loads(get_one(site, "/echo?a=1", headers='If-None-Match: "v1"\r\nConnection: close\r\n')[2])
        assert got == ["GET", "/echo", "a=1", 1, '"v1"']
        assert [get_one(site, "/flaky")[0] for _ in range(3)] == [503, 200, 200]
        status, head, _ = get_one(site, "/go")
        assert status == 301 and head["location"] == "/echo"


def test_an_http_1_0_site_answers_one_request_per_connection_and_logs_them():
    with OneShot({"/a": ("text/plain", b"alpha")}) as site:
        with connect(site) as sock:
            ask(sock, "/a", headers="")  # keep-alive asked for, not given
            status, head, rest = read_head(sock)
            assert read_until_closed(sock, rest) == b"alpha"
        assert site.requests == [("127.0.0.1", "/a")]


def test_stop_ends_pending_answers():
    site = Tiny({"/slow": Response(b"late", delay=600)}).start()
    sock = connect(site)
    ask(sock, "/slow")
    site.stop()
    with sock:
        try:
            got = read_until_closed(sock)
        except ConnectionResetError:  # aborted with the request unread
            got = b""
        assert got == b""  # closed, never answered


# ------------------------------------------------------------------- shared writers
def test_escaping_and_dates():
    assert e('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert xml_text('"Tom & Jerry" <x>') == '"Tom &amp; Jerry" &lt;x&gt;'
    assert human_date("2026-03-04T08:00:00+03:00") == "4 March 2026"
    assert human_date("2026-03-04T08:00:00+03:00", "ar") == "4 مارس 2026"
    assert rfc822("2026-03-04T08:00:00+00:00") == "Wed, 04 Mar 2026 08:00:00 +0000"


def test_feed_and_sitemaps_parse_and_escape():
    items = [discovery.FeedItem("Aid & water <now>", "http://h/a?x=1&y=2", "2026-03-04T08:00:00+00:00",
                                authors=["A. Writer"], category="News", summary="Short.")]
    feed = lxml.etree.fromstring(discovery.rss("Wire & Co", "http://h/", items, description="d",
                                               self_url="http://h/feed/", language="en").encode())
    (item,) = feed.findall("channel/item")
    assert item.findtext("title") == "Aid & water <now>" and item.findtext("link") == "http://h/a?x=1&y=2"
    assert feed.findtext("channel/title") == "Wire & Co"
    assert feed.findtext("channel/lastBuildDate") == item.findtext("pubDate")
    ns = {"sm": discovery.SITEMAP_NS, "news": discovery.NEWS_NS}
    urlset = lxml.etree.fromstring(discovery.urlset([("http://h/a?x=1&y=2", "2026-03-04"), ("http://h/b", None)]).encode())
    assert urlset.xpath("//sm:loc/text()", namespaces=ns) == ["http://h/a?x=1&y=2", "http://h/b"]
    index = lxml.etree.fromstring(discovery.sitemap_index(["http://h/s1.xml"]).encode())
    assert index.xpath("//sm:sitemap/sm:loc/text()", namespaces=ns) == ["http://h/s1.xml"]
    news = lxml.etree.fromstring(discovery.news_sitemap("Wire", [("http://h/a", "ar", "2026-03-04", "T & T")]).encode())
    assert news.xpath("//news:title/text()", namespaces=ns) == ["T & T"]
    assert discovery.robots_txt(["/x/"], ["/"], ["http://h/sitemap.xml"]) == \
        "User-agent: *\nDisallow: /x/\nAllow: /\n\nSitemap: http://h/sitemap.xml\n"


# ------------------------------------------------------------------ pinned page bytes
def test_sample_pages_are_the_bytes_the_tests_were_written_against():
    """Every page of the sample site, for fixed base URLs: the end-to-end tests and the demo
    expect exactly these.  A deliberate change to the sample site updates this digest."""
    digest, count = hashlib.sha256(), 0
    for i, outlet in enumerate(load_outlets()):
        routes = OutletSite(outlet, f"http://127.0.0.{2 + i}:8000").routes
        for path in sorted(routes):
            ctype, body = routes[path]
            digest.update(f"{outlet['name']} {path} {ctype}\n".encode() + body)
            count += 1
    assert count == 167
    assert digest.hexdigest() == "e48c977f816901fbed2870bfacfaec82c32d27efbb0d6dba3fcdedd40843df4e"


def test_bench_synthetic_html_pages_are_those_the_results_were_measured_on():
    """The synthetic site's HTML pages for a seed, so benchmark results stay comparable.
    A deliberate change updates this digest and says so in bench/RESULTS.notes.md."""
    site = BenchSite(pages=40, outlets=2, seed=3).bind({"bench-a": "http://127.0.0.9:1",
                                                        "bench-b": "http://127.0.0.10:1"})
    digest = hashlib.sha256()
    for host in sorted(site.routes):
        for path in sorted(site.routes[host]):
            if not (path.endswith(".xml") or path in ("/feed/", "/robots.txt")):
                digest.update(f"{host} {path}\n".encode() + site.routes[host][path][1])
    assert digest.hexdigest() == "22b6b23b3bce6baa1703060cdc855ac74d5a6ce6a38de25adb1a483b77e7f7fb"


# ------------------------------------------------------------- profiles and the CLI
def test_every_registered_profile_is_a_site_of_that_name():
    for name in PROFILES:
        cls = get(name)
        assert issubclass(cls, Site) and cls.profile == name
    with pytest.raises(KeyError, match="known: sample"):
        get("no-such-profile")


@pytest.mark.parametrize("profile, extra", [("sample", []), ("bench-synthetic", ["--pages", "12"]),
                                            ("faults", []), ("wayback", [])])
def test_command_line_serves_each_profile_until_stdin_closes(profile, extra, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive.crawler.fakeweb", "--profile", profile,
                             "--json", *extra], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        info = json.loads(proc.stdout.readline())
        assert info["profile"] == profile and info["bases"]
        for base in info["bases"].values():
            host, port = base.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=30) as sock:
                sock.sendall(b"HEAD /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                assert read_head(sock)[0] in (200, 404, 503)
        sources = tmp_path / "sources.toml"
        sources.write_text(info["sources_toml"], encoding="utf-8")
        tomllib.loads(info["sources_toml"])
        if profile != "wayback":
            assert load_sources(sources)
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    assert json.loads(proc.stderr.read().decode().strip().splitlines()[-1])["requests"] >= len(info["bases"])


# ------------------------------------------------------------- bench-real
TEMPLATE = """<!DOCTYPE html><html lang="en"><head><meta charset="windows-1252">
<title>Harbour ferries return | The Coastal Gazette</title>
<meta property="og:title" content="Harbour ferries return">
<link rel="canonical" href="https://gazette.example/harbour-ferries">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Harbour ferries return",
"articleBody": "{body}"}}</script></head><body>
<nav><a href="/weather/">Weather desk</a> <a href="/sport/">Sport</a></nav>
<div class="story"><h1>Harbour ferries <em>return</em></h1>
{paragraphs}
</div><aside><p>Sign up for the evening letter and never miss a tide table again.</p></aside>
<footer><a href="/about/">About the Gazette</a></footer></body></html>"""
OLD_BODY = ["The morning ferry left the north quay on time for the first day since the storm.",
            "Crews said the repaired ramp held well and that the afternoon crossings would follow.",
            "Passengers queued with bicycles and crates of vegetables for the island market."]


def write_templates(folder: Path) -> None:
    folder.mkdir()
    paragraphs = "\n".join(f"<p>{p}</p>" for p in OLD_BODY)
    page = TEMPLATE.format(body=" ".join(OLD_BODY), paragraphs=paragraphs)
    (folder / "withtruth.html").write_bytes(page.encode("cp1252"))
    (folder / "blocks.html").write_text(page.replace("Harbour", "Canal"), encoding="utf-8")
    (folder / "empty.html").write_text("<html><body><p>Only one line here, nothing else.</p></body></html>",
                                       encoding="utf-8")
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    (folder.parent / "ground-truth.json").write_text(json.dumps(
        {"withtruth": {"url": "https://gazette.example/harbour-ferries", "articleBody": " ".join(OLD_BODY)}}),
        encoding="utf-8")


def test_bench_real_writes_its_stories_into_real_page_templates(tmp_path):
    from newsarchive.crawler.fakeweb.profiles.bench_real import RealBenchSite
    from newsarchive.pipelines.page import process_page
    from newsarchive.pipelines.urls import canonicalize_url

    write_templates(tmp_path / "html")
    site = RealBenchSite(tmp_path / "html", pages=200)
    assert sorted(t.name for t in site.templates) == ["blocks", "withtruth"]
    bases = {"bench-a": "http://127.0.0.9:1", "bench-b": "http://127.0.0.10:1",
             "bench-c": "http://127.0.0.11:1", "bench-d": "http://127.0.0.12:1"}
    site.bind(bases)
    kinds = site.kinds
    assert sum(kinds.values()) == 200 and 4 <= kinds["near-copy"] <= 18 and 10 <= kinds["off-topic"] <= 32
    pages = [(bases[host] + path, body) for host, routes in site.routes.items()
             for path, (ctype, body) in routes.items() if path.startswith("/news/")]
    assert len(pages) == 200
    for url, body in pages[:20]:
        html = body.decode("utf-8")
        assert html.count("application/ld+json") == 1 and "windows-1252" not in html
        assert "Weather desk" in html and ('href="https://gazette.example/weather/"' in html
                                           or 'href="https://template-blocks.invalid/weather/"' in html)
        assert not any(sentence in html for sentence in OLD_BODY)
        page = process_page(body, url)
        assert page.kind == "article" and page.canonical_url == canonicalize_url(url)
        assert page.title and "Harbour" not in page.title and "Canal" not in page.title
        assert page.word_count > 60 and "tide table" not in page.text


def test_bench_real_without_templates_is_one_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "newsarchive.crawler.fakeweb", "--profile", "bench-real",
                           "--json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0
    assert "--templates" in proc.stderr
