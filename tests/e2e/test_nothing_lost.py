"""Nothing fetched is lost (issue 14), no page stalls the crawl (issue 15): every page is
captured and its judgement recorded, dropped pages are judged again offline, a page that
kills its worker or uses up its CPU budget is recorded failed and the run says so, and a
stopping crawl never waits for a page.  Real crawls over loopback HTTP, in subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import FAST, ROOT, crawl, rows, run_cli

STORY = ("Shelling hit the southern edge of Idlib city on {day} morning, local rescuers said, "
         "and two families left their homes for camps near the Turkish border. The civil "
         "defence teams counted damage to a bakery and a school in {town}, and said that "
         "water supplies to three neighbourhoods had been cut since the weekend. Residents "
         "of Maarat al-Numan described a night of artillery fire, and aid groups in Aleppo "
         "said they were preparing blankets and food for those who fled the fighting.")


def article(title: str, day: str = "Tuesday", town: str = "Sarmin", marker: str = "") -> str:
    paragraphs = "".join(f"<p>{STORY.format(day=day, town=town)} {marker}</p>" for _ in range(2))
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='2024-05-0{len(title) % 9 + 1}'>"
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def hostile(paragraphs: int) -> str:
    """An article of tens of thousands of tiny paragraphs: seconds of CPU to read."""
    body = "".join(f"<p>{' '.join(f'w{j}x{i % 97}' for j in range(8))}</p>"
                   for i in range(paragraphs))
    return ("<html><head><title>A page of many paragraphs</title><meta property='og:type' "
            "content='article'><meta property='article:published_time' content='2024-05-01'>"
            "</head><body><article><h1>A page of many paragraphs</h1>" + body
            + "</article></body></html>")


class Site:
    """A loopback site serving fixed pages and a sitemap of the article paths."""

    def __init__(self, pages: dict[str, str], host: str = "127.0.0.31"):
        self.pages = {path: body.encode("utf-8") for path, body in pages.items()}
        self.hold = threading.Event()  # /hang waits on it
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                if self.path == "/hang":
                    site.hold.wait(600)
                if self.path == "/robots.txt":
                    body = b"User-agent: *\nAllow: /\n"
                elif self.path == "/sitemap.xml":
                    body = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/"
                            "schemas/sitemap/0.9'>" + "".join(
                                f"<url><loc>{site.base}{p}</loc></url>" for p in site.pages)
                            + "</urlset>").encode()
                elif self.path in site.pages:
                    body = site.pages[self.path]
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml" if self.path.endswith(".xml")
                                 else "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sources(self, path: Path, extra: str = "") -> Path:
        path.write_text(f'[[source]]\nname = "loop"\ntitle = "Loop"\n'
                        f'sitemaps = ["{self.base}/sitemap.xml"]\nlanguage = "en"\n{extra}',
                        encoding="utf-8")
        return path

    def close(self):
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site_factory():
    sites = []

    def make(pages, host="127.0.0.31"):
        site = Site(pages, host)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.close()


def run_row(db) -> dict:
    return rows(db, "select * from crawl_runs order by id desc limit 1")[0]


# --- capture first, judge later ------------------------------------------------------------

def test_every_fetched_page_is_captured_and_its_judgement_recorded(sample_archive):
    db, _ = sample_archive
    pages = rows(db, "select * from pages")
    outcomes = {(p["outcome"], p["reason"]) for p in pages}
    assert {("stored", None), ("off_topic", "off-topic"), ("not_article", "listing")} <= outcomes
    assert all(p["warc_file"] and p["warc_offset"] is not None for p in pages)
    (run,) = rows(db, "select * from crawl_runs")
    # every page the run counted has its row (listings whose links were followed too)
    counted = run["stored"] + run["duplicate"] + run["off_topic"] + run["not_article"]
    assert len(pages) >= counted
    stored = {p["article_id"] for p in pages if p["outcome"] in ("stored", "duplicate")}
    assert stored == {a["id"] for a in rows(db, "select id from articles")}
    from newsarchive.archive import warc, warcfiles

    for page in pages[:10]:  # each capture reads back as the page it points at
        capture = warc.read_capture(warcfiles.resolve(db, page["warc_file"]), page["warc_offset"])
        assert capture["url"] == page["url"] and capture["status"] == 200


def test_a_strict_crawl_then_reprocess_gives_the_articles_of_a_normal_crawl(tmp_path):
    from newsarchive.crawler.fakeweb import SampleSite

    pinned = ("-s", "CONCURRENT_REQUESTS=1")
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        normal = crawl(sources, tmp_path / "normal.db", *pinned)
        strict = crawl(sources, tmp_path / "strict.db", *pinned,
                       "-s", "NEWSARCHIVE_TOPIC_THRESHOLD=1.1")
    assert normal.returncode == strict.returncode == 0, strict.stderr[-2000:]
    assert rows(tmp_path / "strict.db", "select count(*) n from articles")[0]["n"] == 0
    # the site is gone: everything comes from the captures
    done = run_cli("reprocess", "--db", tmp_path / "strict.db", "--sources", sources,
                   "--workers", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "recovered as articles" in done.stdout

    def archive(name):
        return sorted(tuple(r.values()) for r in rows(tmp_path / name, """
            select a.canonical_url, a.title, a.text, a.places, a.topic_score, a.published,
                   (select b.canonical_url from articles b where b.id = a.duplicate_of) original
            from articles a"""))

    assert archive("strict.db") == archive("normal.db") and len(archive("normal.db")) > 30
    # re-judged pages keep their first fetch time and their capture
    strict_pages = {p["url"]: p for p in rows(tmp_path / "strict.db", "select * from pages")}
    for article in rows(tmp_path / "strict.db", "select * from articles"):
        page = strict_pages[article["url"]]
        assert page["outcome"] in ("stored", "duplicate")
        assert (article["fetched_at"], article["warc_offset"]) == (page["fetched_at"],
                                                                  page["warc_offset"])
    again = run_cli("reprocess", "--db", tmp_path / "strict.db", "--sources", sources)
    assert "0 changed" in again.stdout and "0 recovered" in again.stdout


# --- honest status ------------------------------------------------------------------------

def test_a_page_that_kills_its_worker_fails_the_run_and_is_stored_by_the_next(
        tmp_path, site_factory):
    site = site_factory({"/a": article("Shelling hits Sarmin again", marker="KILLME"),
                         "/b": article("Water cut in Idlib city", day="Monday", town="Binnish")})
    sources = site.sources(tmp_path / "sources.toml")
    db = tmp_path / "news.db"
    first = crawl(sources, db, "-s", "NEWSARCHIVE_WORKERS=2",
                  env={"NEWSARCHIVE_TEST_CRASH": "KILLME"})
    assert first.returncode == 4, first.stderr[-2000:]  # degraded
    assert "1 page lost to errors (worker-died: 1)" in first.stderr
    (page,) = rows(db, "select * from pages where url like '%/a'")
    assert (page["outcome"], page["reason"]) == ("failed", "worker-died") and page["warc_file"]
    assert rows(db, "select count(*) n from articles")[0]["n"] == 1
    second = crawl(sources, db, "-s", "NEWSARCHIVE_WORKERS=2")
    assert second.returncode == 0, second.stderr[-2000:]
    assert {r["url"].rsplit("/", 1)[1] for r in rows(db, "select url from articles")} == {"a", "b"}


def test_a_worker_that_dies_once_loses_no_page(tmp_path, site_factory):
    site = site_factory({"/a": article("Shelling hits Sarmin again", marker="KILLONCE")})
    sources = site.sources(tmp_path / "sources.toml")
    done = crawl(sources, tmp_path / "news.db", "-s", "NEWSARCHIVE_WORKERS=2",
                 env={"NEWSARCHIVE_TEST_CRASH": f"KILLONCE@{tmp_path / 'died'}"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "died").exists(), "the worker did die on the first try"
    assert rows(tmp_path / "news.db", "select count(*) n from articles")[0]["n"] == 1


def test_a_page_over_its_cpu_budget_fails_alone_and_keeps_its_capture(tmp_path, site_factory):
    site = site_factory({"/slow": hostile(60_000),
                         "/a": article("Shelling hits Sarmin again"),
                         "/b": article("Water cut in Idlib city", day="Monday", town="Binnish")})
    sources = site.sources(tmp_path / "sources.toml")
    db = tmp_path / "news.db"
    done = crawl(sources, db, "-s", "NEWSARCHIVE_WORKERS=2", "-s",
                 "NEWSARCHIVE_PAGE_CPU_SECONDS=2", "-s", "DOWNLOAD_MAXSIZE=20000000",
                 timeout=600)
    assert done.returncode == 4, done.stderr[-2000:]
    assert "too-slow: 1" in done.stderr
    (page,) = rows(db, "select * from pages where url like '%/slow'")
    assert (page["outcome"], page["reason"]) == ("failed", "too-slow") and page["warc_file"]
    assert rows(db, "select count(*) n from articles")[0]["n"] == 2


def test_sigterm_ends_a_crawl_busy_on_a_slow_page_and_closes_its_run(tmp_path, site_factory):
    site = site_factory({"/slow": hostile(80_000)})
    sources = site.sources(tmp_path / "sources.toml")
    db = tmp_path / "news.db"
    log = tmp_path / "crawl.log"
    args = [sys.executable, "-m", "newsarchive.crawler.cli", "crawl", "--sources", str(sources),
            "--db", str(db), "--log-file", str(log), "-s", "NEWSARCHIVE_WORKERS=2",
            "-s", "DOWNLOAD_MAXSIZE=20000000", "-s", "NEWSARCHIVE_PAGE_CPU_SECONDS=3600"]
    for setting in FAST:
        args += ["-s", setting]
    args += ["-s", "LOG_LEVEL=DEBUG"]  # "Crawled (200) <GET .../slow>": the page arrived
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (
                log.exists() and "/slow>" in log.read_text(errors="replace")):
            time.sleep(0.2)  # waits for the event: the page reached the crawl
        assert "/slow>" in log.read_text(errors="replace")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)  # the page alone needs minutes of CPU
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 5, err[-2000:]  # interrupted
    run = run_row(db)
    assert run["status"] == "interrupted" and run["finished"]
    assert not rows(db, "select * from articles")


def test_a_crawl_with_no_progress_ends_degraded_on_its_own(tmp_path, site_factory):
    # a page its worker never finishes, with the per-page limits off: without the
    # watchdog the crawl would wait for it for many minutes, holding the archive's lock
    site = site_factory({"/slow": hostile(80_000), "/a": article("Shelling hits Sarmin again")})
    sources = site.sources(tmp_path / "sources.toml")
    db = tmp_path / "news.db"
    done = crawl(sources, db, "-s", "NEWSARCHIVE_STALL_SECONDS=5", "-s", "NEWSARCHIVE_WORKERS=2",
                 "-s", "NEWSARCHIVE_PAGE_CPU_SECONDS=0", "-s", "NEWSARCHIVE_PAGE_WALL_SECONDS=0",
                 "-s", "DOWNLOAD_MAXSIZE=20000000", timeout=280)
    assert done.returncode == 4, done.stderr[-2000:]
    run = run_row(db)
    assert run["status"] == "degraded" and "no progress" in run["message"] and run["finished"]
    assert rows(db, "select count(*) n from articles")[0]["n"] == 1


# --- the project's own folders are never shadowed -----------------------------------------

def test_a_crawl_from_a_folder_holding_archive_crawler_and_pipelines_stores_everything(
        tmp_path, site_factory):
    site = site_factory({"/a": article("Shelling hits Sarmin again"),
                         "/b": article("Water cut in Idlib city", day="Monday", town="Binnish")})
    for name in ("archive", "crawler", "pipelines"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    sources = site.sources(tmp_path / "sources.toml")
    # the default --db: archive/news.db in the working directory
    done = subprocess.run([str(Path(sys.executable).with_name("newsarchive")), "crawl",
                           "--sources", str(sources), "-s", "NEWSARCHIVE_WORKERS=2",
                           *sum((["-s", s] for s in FAST), [])],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert rows(tmp_path / "archive" / "news.db", "select count(*) n from articles")[0]["n"] == 2


def test_the_runs_pages_are_listed_by_outcome_and_reason(sample_archive):
    db, _ = sample_archive
    (run,) = rows(db, "select * from crawl_runs")
    by_reason = json.loads(run["reasons"])
    listed = rows(db, "select reason, count(*) n from pages where outcome = 'off_topic' "
                      "group by reason")
    assert {r["reason"]: r["n"] for r in listed} == {"off-topic": by_reason["off-topic"]}
    assert os.environ.get("NEWSARCHIVE_TEST_CRASH") is None


def test_a_start_page_that_reads_as_an_article_is_still_followed(tmp_path, site_factory):
    # a front page declaring og:type=article with a full lead story above its teasers: it
    # may be filed as an article, but the crawl must still follow its links
    lead = STORY.format(day="Sunday", town="Ariha")
    teasers = "".join(f'<div class="card"><h3><a href="/{p}">Story {p}</a></h3>'
                      f"<p>Short teaser {p}.</p></div>" for p in ("a", "b"))
    front = ("<html><head><meta charset='utf-8'><title>Front page</title>"
             "<meta property='og:type' content='article'>"
             "<meta property='article:published_time' content='2024-05-02'></head><body>"
             f"<article><h1>Lead story of the day</h1><p>{lead}</p><p>{lead}</p></article>"
             f"{teasers}</body></html>")
    site = site_factory({"/": front, "/a": article("Shelling hits Sarmin again"),
                         "/b": article("Water cut in Idlib city", day="Monday",
                                       town="Binnish")})
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "loop"\nstart_urls = ["{site.base}/"]\n'
                       f'language = "en"\n', encoding="utf-8")
    db = tmp_path / "news.db"
    done = crawl(sources, db)
    assert done.returncode == 0, done.stderr[-2000:]
    stored = {r["url"].rsplit("/", 1)[1] for r in rows(db, "select url from articles")}
    assert {"a", "b"} <= stored, stored
