"""Real crawls of the sample site keep every stored article's capture in WARC files,
and a crawl killed with SIGKILL leaves no half-written file passed off as whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import FAST, ROOT, crawl, rows

from newsarchive.archive import warc, warcfiles

WARCIO = Path(sys.executable).with_name("warcio")


def check_archive(db: Path) -> list[dict]:
    """Every pointer names an existing file whose record is the article's page; every
    WARC file passes ``warcio check``.  Returns the articles."""
    articles = rows(db, "select id, url, fetched_at, warc_file, warc_offset, warc_length, "
                        "warc_digest from articles")
    for article in articles:
        assert article["warc_file"], f"article {article['id']} has no capture"
        path = warcfiles.resolve(db, article["warc_file"])
        assert path.exists(), article["warc_file"]
        capture = warc.read_capture(path, article["warc_offset"])
        assert capture["url"] == article["url"]
        assert capture["digest"] == article["warc_digest"]
        assert capture["date"] == warc.warc_date(article["fetched_at"])
    for path in (db.parent / "warc").iterdir():
        result = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, f"{path.name}: {result.stdout}{result.stderr}"
    return articles


def test_kill_9_mid_crawl_then_recover_and_complete(sample_sources, tmp_path):
    """A crawl killed with SIGKILL mid-write, then a full crawl: every stored article
    points at its capture in a checked, completed WARC file; files rotate by size; the
    feeds and sitemaps are archived too."""
    db = tmp_path / "news.db"
    args = [sys.executable, "-m", "newsarchive.crawler.cli", "crawl", "--sources", str(sample_sources),
            "--db", str(db)]
    for setting in (*FAST, "DOWNLOAD_DELAY=0.15", "CONCURRENT_REQUESTS=1"):
        args += ["-s", setting]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 40
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if db.exists():
                try:
                    stored = rows(db, "select count(*) n from articles")[0]["n"]
                except Exception:  # noqa: BLE001 - schema not there yet
                    stored = 0
            if stored >= 2:
                break
        assert proc.poll() is None, "the crawl ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    open_files = list((tmp_path / "warc").glob("*.warc.gz.open"))
    assert open_files, "the killed crawl was writing a .open file"
    assert not list((tmp_path / "warc").glob("*.warc.gz")), "nothing passed off as whole"
    # a killed crawl's pointers name the .open file, which exists
    for article in rows(db, "select warc_file from articles"):
        assert warcfiles.resolve(db, article["warc_file"]).exists()
    # and half a record at its end (a kill in the middle of a write) is cut on recovery
    with open(open_files[0], "ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00" + os.urandom(300))
    killed = rows(db, "select count(*) n from articles")[0]["n"]
    result = crawl(sample_sources, db, "-s", "NEWSARCHIVE_WARC_MAX_BYTES=60000")
    assert result.returncode in (0, 4), result.stderr[-3000:]
    assert "left by a killed run" in result.stderr
    assert not list((tmp_path / "warc").glob("*.open"))
    articles = check_archive(db)
    assert len(articles) >= 20 and len(articles) > killed
    files = sorted(p.name for p in (tmp_path / "warc").iterdir())
    assert len(files) >= 3, "the killed run's file, then rotation by size"
    assert all(name.startswith("news-") and name.endswith(".warc.gz") for name in files)
    # the feeds and sitemaps of the run are archived too
    assert "'newsarchive/warc/feed'" in result.stderr
    assert "'newsarchive/warc/sitemap'" in result.stderr
