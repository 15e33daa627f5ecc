"""Cron operation end to end: the crontab line runs as printed, the lock, --quiet, the log
file, exit codes, and a source going silent makes the run degraded."""

from __future__ import annotations

import json
import re
import subprocess
import time

from helpers import crawl, rows, run_cli

from newsarchive.crawler.lock import ArchiveLock


def test_cron_prints_a_crontab_line_that_runs_quietly(sample_sources, tmp_path):
    db = tmp_path / "cron" / "news.db"
    result = run_cli("cron", "--sources", sample_sources, "--db", db, "--every", "6h")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("17 */6 * * *"))
    assert "/.venv/bin/newsarchive crawl" in line or "newsarchive crawl" in line
    assert "--quiet" in line and f"--log-file {db}.log" in line and f"--db {db}" in line
    assert re.search(rf"^{re.escape(str(db))}.log \{{", result.stdout, re.M)  # logrotate
    assert "copytruncate" not in result.stdout
    db.parent.mkdir(parents=True)
    command = line.split(" ", 5)[5]  # what cron would run, after the five time fields
    command += " -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=0"
    ran = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and ran.stdout == "" and ran.stderr == "", ran.stderr[-2000:]
    log = (db.parent / "news.db.log").read_text()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    assert re.search(rf"^{stamp} \[newsarchive.crawler.extensions\] INFO: crawl run 1 ok", log, re.M)
    assert rows(db, "select status from crawl_runs") == [{"status": "ok"}]


def test_cron_rejects_an_unusable_interval():
    result = run_cli("cron", "--every", "7h")
    assert result.returncode == 2 and "must divide 24" in result.stderr


def test_a_second_crawl_on_a_locked_archive_exits_3_at_once(sample_sources, tmp_path):
    db = tmp_path / "locked.db"
    with ArchiveLock(db):
        started = time.monotonic()
        result = crawl(sample_sources, db, "--quiet")
        elapsed = time.monotonic() - started
    assert result.returncode == 3
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "another crawl" in result.stderr
    assert elapsed < 10 and not db.exists()  # nothing was touched


def test_quiet_failure_prints_one_line(tmp_path):
    sources = tmp_path / "dead.toml"
    sources.write_text('[[source]]\nname = "dead"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    result = crawl(sources, tmp_path / "dead.db", "--quiet", "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "failed" in result.stderr


def test_a_source_gone_silent_makes_the_run_degraded(tmp_path):
    from newsarchive.crawler.fakeweb import SampleSite

    with SampleSite(first=40, outlets=["levant-wire", "orontes-monitor"]) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        db = tmp_path / "news.db"
        first = crawl(sources, db, "--quiet", "--log-file", tmp_path / "crawl.log")
        assert first.returncode == 0 and first.stdout == first.stderr == "", first.stderr
        # levant-wire changes its layout: an empty feed, section pages without links
        routes = site.sites["levant-wire"].routes
        empty = ("application/rss+xml; charset=utf-8",
                 b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                 b"</channel></rss>")
        for path in list(routes):
            if path.startswith("/feed"):
                routes[path] = empty
            elif path.startswith("/category/"):
                routes[path] = ("text/html; charset=utf-8",
                                b"<html><body><div id='app'></div></body></html>")
        second = crawl(sources, db, "--quiet", "--log-file", tmp_path / "crawl.log")
    assert second.returncode == 4, second.stderr
    assert second.stdout == "" and len(second.stderr.strip().splitlines()) == 1
    assert "degraded" in second.stderr and "levant-wire" in second.stderr
    assert "orontes-monitor" not in second.stderr
    runs = rows(db, "select status, message, per_source from crawl_runs order by id")
    assert [r["status"] for r in runs] == ["ok", "degraded"]
    assert "levant-wire" in runs[1]["message"]
    # the other outlet is quiet only because everything it lists is archived already
    assert json.loads(runs[1]["per_source"])["orontes-monitor"]["already_seen"] > 0
    log = (tmp_path / "crawl.log").read_text()
    assert "crawl run 2 degraded" in log


def test_crawl_help_documents_the_exit_codes():
    result = run_cli("crawl", "--help")
    for text in ("3  another crawl holds", "4  degraded", "5  interrupted", "--log-file",
                 "--quiet"):
        assert text in result.stdout


def test_revisit_window_fetches_archived_articles_again(tmp_path):
    from newsarchive.crawler.fakeweb import SampleSite

    with SampleSite(first=50, outlets=["orontes-monitor"]) as site:
        text = site.sources_toml()
        db = tmp_path / "news.db"
        sources = tmp_path / "sources.toml"
        sources.write_text(text.replace('name = "orontes-monitor"',
                                        'name = "orontes-monitor"\nrevisit_hours = 0'))
        first = crawl(sources, db)
        again = crawl(sources, db)
    assert first.returncode == again.returncode == 0, again.stderr[-2000:]
    runs = rows(db, "select stored, reasons, per_source from crawl_runs order by id")
    stored = runs[0]["stored"]
    assert stored > 0
    assert again.stderr.count("re-visiting ") >= stored
    # only stored articles are re-visited; the off-topic ones and the pages that are not
    # articles (but for listings) stay judged
    first_counts = json.loads(runs[0]["per_source"])["orontes-monitor"]
    assert json.loads(runs[1]["reasons"]).get("already-seen", 0) <= \
        first_counts.get("off_topic", 0) + first_counts.get("duplicate", 0) + \
        first_counts.get("not_article", 0)
    # the texts did not change: the store stage counts them as the same article again
    assert json.loads(runs[1]["reasons"]).get("same-url", 0) >= stored
    # (inside the window nothing is fetched again: tests/crawler/test_middlewares.py)
