"""One page, one path (issue 13): a crawl, ``import-warc`` of that crawl's WARC files,
``reprocess`` and ``newsarchive extract`` give the same fields for the same bytes.

The pages are the extraction regression set (ours) and, when ``../shared`` is beside the
project, the 120 real pages of the article-extraction benchmark, served on loopback under
a start page that links to every one.  Learned boilerplate lines are switched off for all
four (they depend on what the archive already holds, which differs between the paths by
design), and the topic threshold is 0 so that real pages about other subjects are
compared too.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import FAST, ROOT, rows, run_cli

import newsarchive.crawler.cli.extract  # noqa: F401  (registers the command)
from newsarchive.crawler.cli.base import cli

REGRESSION = ROOT / "tests" / "pipelines" / "regression"
# ../shared beside the repository (NEWSARCHIVE_SHARED names it elsewhere, e.g. a worktree)
BENCH = Path(os.environ.get("NEWSARCHIVE_SHARED") or ROOT.parent / "shared") / "bench" / \
    "article-extraction" / "html"
SETTINGS = (*FAST, "NEWSARCHIVE_LEARN_MIN_ARTICLES=1000000000",
            "NEWSARCHIVE_TOPIC_THRESHOLD=0")
# what a crawl stores of a page and what `extract` prints of it: compared field by field
NOT_COMPARED = {"id", "url", "source", "fetched_at", "crawl_run", "duplicate_of",
                "warc_file", "warc_offset", "warc_length", "warc_digest"}


def _pages() -> dict[str, bytes]:
    pages = {f"/r/{p.stem}/": p.read_bytes() for p in sorted(REGRESSION.glob("*.html"))}
    if BENCH.is_dir():
        for path in sorted(BENCH.glob("*.html.gz")):
            pages[f"/b/{path.name.split('.')[0][:16]}/"] = gzip.decompress(path.read_bytes())
    return pages


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/":
            links = "".join(f'<li><a href="{p}">page {n}</a></li>'
                            for n, p in enumerate(self.pages))
            body = f"<html><body><h1>Index</h1><ul>{links}</ul></body></html>".encode()
        elif self.path in self.pages:
            body = self.pages[self.path]
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    _Site.pages = _pages()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Site.pages
    finally:
        server.shutdown()
        server.server_close()


def _sources(tmp_path, base) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nname = "pages"\nstart_urls = ["{base}/"]\n'
                    f'hosts = ["127.0.0.1"]\nfollow_depth = 1\n', encoding="utf-8")
    return path


def _articles(db) -> dict[str, dict]:
    return {r["url"]: r for r in rows(db, "select * from articles")}


# what an incident row says (its ids and event aside), by article URL
INCIDENT = ("ordinal", "event_type", "date", "date_source", "place", "actors", "killed",
            "wounded", "children", "women", "detained", "displaced", "evidence",
            "evidence_start", "evidence_end")


def _incidents(db) -> dict[str, list[tuple]]:
    out = {}
    for r in rows(db, "select articles.url, incidents.* from incidents join articles on "
                      "articles.id = incidents.article_id order by incidents.ordinal"):
        out.setdefault(r["url"], []).append(tuple(r[c] for c in INCIDENT))
    return out


def _settings():
    return [a for s in SETTINGS for a in ("-s", s)]


def test_crawl_import_reprocess_and_extract_give_the_same_page(site, tmp_path):
    base, pages = site
    sources = _sources(tmp_path, base)
    crawled = tmp_path / "crawl" / "news.db"
    crawled.parent.mkdir()
    crawl = run_cli("crawl", "--sources", sources, "--db", crawled, *_settings(), timeout=900)
    assert crawl.returncode in (0, 4), crawl.stderr[-3000:]
    stored = _articles(crawled)
    assert len(stored) >= len(pages) // 2, "most pages should be articles"

    # import-warc of the crawl's own captures, into a fresh archive
    imported = tmp_path / "import" / "news.db"
    imported.parent.mkdir()
    warcs = sorted((crawled.parent / "warc").glob("*.warc.gz"))
    done = run_cli("import-warc", *warcs, "--sources", sources, "--db", imported,
                   *_settings(), timeout=900)
    assert done.returncode in (0, 4), done.stderr[-3000:]
    again = _articles(imported)
    assert sorted(again) == sorted(stored)
    incidents = _incidents(crawled)
    assert _incidents(imported) == incidents

    # `newsarchive extract` on the same bytes
    runner = CliRunner()
    columns = set(next(iter(stored.values()))) - NOT_COMPARED
    checked = set()
    for url, row in stored.items():
        path = url.split("/", 3)[3]
        page = tmp_path / "page.html"
        page.write_bytes(pages["/" + path])
        result = runner.invoke(cli, ["extract", str(page), "--url", url, "--source", "pages",
                                     "--sources", str(sources), "--content-type",
                                     "text/html"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout_bytes.decode("utf-8"))
        compared = columns & set(record)
        checked |= compared
        for name in sorted(compared):
            want = row[name]
            got = record[name]
            if isinstance(got, (list, dict)):
                got = json.dumps(got, ensure_ascii=False)
                want = json.dumps(json.loads(want), ensure_ascii=False) if want else want
            assert got == want or (got in ("[]", None) and want in ("[]", None)), \
                f"{url}: extract's {name} differs from the crawl's"
        for name in sorted(columns):
            assert again[url][name] == row[name], \
                f"{url}: import-warc's {name} differs from the crawl's"
        extracted = [tuple(json.dumps(i.get("actors") or [], ensure_ascii=False)
                           if c == "actors" else n if c == "ordinal"
                           else i["sentence"]["sentence"] if c == "evidence"
                           else i["sentence"]["start"] if c == "evidence_start"
                           else i["sentence"]["end"] if c == "evidence_end"
                           else i.get(c) for c in INCIDENT)
                     for n, i in enumerate(record["incidents"])]
        assert extracted == incidents.get(url, []), \
            f"{url}: extract's incidents differ from the crawl's"
    assert {"title", "text", "published", "authors", "language", "places",
            "content_hash"} <= checked

    # reprocess (every core) changes nothing
    result = run_cli("reprocess", "--db", crawled, "--sources", sources, *_settings(),
                     timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{len(stored)} articles: 0 changed" in result.stdout, result.stdout
    assert _articles(crawled) == stored
    assert _incidents(crawled) == incidents
