"""Offline re-processing of archived articles from their WARC captures
(crawler/reprocess.py, ``newsarchive reprocess``)."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys

import io

import pytest
from bombs import brotli_bomb, gzip_bomb
from helpers import ROOT, rows, run_cli_peak_rss
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.archive import captures, warcfiles
from newsarchive.archive.db import open_db
from newsarchive.crawler.reprocess import process_capture, reprocess


@pytest.fixture
def archive_copy(sample_archive, tmp_path):
    """A private copy of the session's sample crawl (database and WARC folder)."""
    db, _ = sample_archive
    conn = open_db(db)  # fold the WAL into the file before copying
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    shutil.copy(db, tmp_path / "sample.db")
    shutil.copytree(db.parent / "warc", tmp_path / "warc")
    return tmp_path / "sample.db"


def test_worker_function_is_pure_and_reads_the_capture(archive_copy):
    (article,) = rows(archive_copy, "select * from articles order by id limit 1")
    task = {"id": article["id"], "url": article["url"],
            "path": str(warcfiles.resolve(archive_copy, article["warc_file"])),
            "offset": article["warc_offset"], "options": {"name": article["source"]}}
    page = process_capture(task)["page"]
    assert page.title == article["title"]
    assert page.content_hash == article["content_hash"]
    assert len(page.bands) > 10 and isinstance(page.signature, bytes)
    missing = process_capture({**task, "path": str(archive_copy.parent / "gone.warc.gz")})
    assert missing["id"] == article["id"] and "FileNotFoundError" in missing["error"]


def test_reprocess_restores_stale_fields_then_changes_nothing(archive_copy, sample_sources):
    before = {r["id"]: r for r in rows(archive_copy, "select * from articles")}
    stale = sorted(before)[:5]
    db = open_db(archive_copy)
    with db.atomic():
        for article_id in stale:  # what an older extractor might have stored
            db.execute("update articles set title = 'old title', text = 'old text', "
                       "places = '[]', topic_score = 0, word_count = 2 where id = ?",
                       [article_id])
        # and an archive from before credits were kept (m015_article_credits: empty)
        credited = [i for i, r in before.items() if r["credits"] not in (None, "[]")]
        assert credited, "the sample crawl stores the credits of agency bylines"
        db.execute(f"update articles set credits = null where id in "
                   f"({', '.join('?' for _ in credited)})", credited)
    db.close()
    first = reprocess(archive_copy, sample_sources, workers=2)
    assert first["articles"] == len(before)
    # (at least) the stale rows are written; the others match what the crawl stored
    assert first["changed"] >= len(set(stale) | set(credited)) and first["failed"] == 0
    after = {r["id"]: r for r in rows(archive_copy, "select * from articles")}
    for article_id in stale:
        for column in ("title", "text", "places", "topic_score", "word_count",
                       "content_hash", "duplicate_of", "canonical_url", "fetched_at"):
            assert after[article_id][column] == before[article_id][column], column
    for article_id in credited:  # filled from the capture, as the crawl stored them
        assert after[article_id]["credits"] == before[article_id]["credits"]
    # the search index follows (the rewritten rows are searchable again, none pending)
    (counts,) = rows(archive_copy, "select (select count(*) from articles) a, "
                                   "(select count(*) from articles_search) s")
    assert counts["a"] == counts["s"]
    second = reprocess(archive_copy, sample_sources, workers=2)
    assert second["changed"] == 0 and second["unchanged"] == len(before)
    assert {r["id"]: r for r in rows(archive_copy, "select * from articles")} == after


def test_reprocess_filters_by_source_and_date(archive_copy, sample_sources):
    counts = rows(archive_copy, "select source, count(*) n from articles group by source "
                                "order by n desc")
    name, n = counts[0]["source"], counts[0]["n"]
    assert reprocess(archive_copy, sample_sources, source=name, workers=1)["articles"] == n
    assert reprocess(archive_copy, sample_sources, since="2999-01-01")["articles"] == 0


def test_cli_reprocess_with_a_progress_bar_on_a_terminal(archive_copy, sample_sources):
    db = open_db(archive_copy)
    with db.atomic():
        db.execute("update articles set title = 'x' where id = (select min(id) from articles)")
    db.close()
    master, slave = pty.openpty()  # stderr is a terminal: the bar is drawn there
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "newsarchive.crawler.cli", "reprocess", "--db", str(archive_copy),
             "--sources", str(sample_sources), "--workers", "2"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True, timeout=120)
        os.close(slave)
        terminal = b""
        while select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0, terminal.decode(errors="replace")
    assert re.search(r": [1-9]\d* changed, ", proc.stdout), proc.stdout
    assert " 0 failed" in proc.stdout
    assert b"reprocessing" in terminal and b"100%" in terminal


MB = 1024 * 1024


@pytest.mark.timeout(600)
def test_reprocess_refuses_decompression_bombs_and_says_so(archive_copy, sample_sources):
    """Two articles whose captures are a 2.4 KB brotli and a 1.5 MB gzip bomb (an archive
    made by an older version, or a WARC folder tampered with): counted as refused, their
    rows left as they are, the others reprocessed, the process's memory bounded."""
    bombs = archive_copy.parent / "warc" / "bombs.warc.gz"
    pointers = []
    with open(bombs, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for name, body, encoding in (("br", brotli_bomb(), "br"), ("gz", gzip_bomb(), "gzip")):
            offset = fh.tell()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                                  ("Content-Encoding", encoding)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"http://127.0.0.9/{name}", "response", payload=io.BytesIO(body),
                length=len(body), http_headers=headers))
            pointers.append({"warc_file": "warc/bombs.warc.gz", "warc_offset": offset,
                             "warc_length": fh.tell() - offset, "warc_digest": None})
    before = rows(archive_copy, "select * from articles order by id")
    victims = [before[0]["id"], before[1]["id"]]
    db = open_db(archive_copy)
    with db.atomic():
        for article_id, pointer in zip(victims, pointers):
            captures.link_article(db, article_id, pointer)
    db.close()
    before = rows(archive_copy, "select * from articles order by id")

    result, peak = run_cli_peak_rss("reprocess", "--db", archive_copy, "--sources",
                                    sample_sources, "--workers", "2", timeout=540)
    print(f"peak RSS of reprocess with two bombs: {peak / MB:.0f} MB")
    assert peak < 600 * MB, f"{peak / MB:.0f} MB"
    assert result.returncode == 4, result.stdout + result.stderr[-3000:]
    assert "2 refused (maxsize 2)" in result.stdout, result.stdout
    assert rows(archive_copy, "select * from articles order by id") == before
