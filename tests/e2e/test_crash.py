"""Crash safety: SIGTERM, kill -9 at random moments, readers during a crawl, a full disk.

Every crawl here is a real ``newsarchive crawl`` subprocess against the bundled sample site;
the expected articles are those of one undisturbed crawl of the same site
(``sample_archive``).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest
from helpers import ROOT, crawl, rows

# slow enough that a signal lands in the middle of the crawl
SLOW = ("DOWNLOAD_DELAY=1.0", "RANDOMIZE_DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1", "LOG_LEVEL=INFO")
PACED = ("DOWNLOAD_DELAY=0.05", *SLOW[1:])  # a few seconds for the whole sample site


def start_crawl(sources, db, log: Path, settings=SLOW) -> subprocess.Popen:
    """A crawl in the background, its output in ``log``.

    A file, not a pipe: after ``kill -9`` a helper process of the crawl (the pipelines'
    process pool) may keep an inherited pipe open for a while, and reading the pipe to
    its end would wait for it.
    """
    args = [sys.executable, "-m", "newsarchive.crawler.cli", "crawl", "--sources", str(sources),
            "--db", str(db)]
    for setting in settings:
        args += ["-s", setting]
    with open(log, "ab") as out:
        return subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def descendants(pid: int) -> dict[int, bytes]:
    """The processes below ``pid`` (Linux /proc), with their command lines."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            found[child] = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        todo.extend(children.get(child, []))
    return found


def reap_orphans(processes: dict[int, bytes]) -> list[int]:
    """Kill the helpers a killed crawl left behind; return their pids."""
    left = []
    for pid, cmdline in processes.items():
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes() == cmdline:
                os.kill(pid, signal.SIGKILL)
                left.append(pid)
        except OSError:
            pass
    return left


def count_articles(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("select count(*) from articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created or not migrated yet


def last_run(db) -> tuple | None:
    """(id, status) of the newest crawl_runs row (None before the first row exists)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute(
                "select id, status from crawl_runs order by id desc limit 1").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return None
    return tuple(row) if row else None


def wait_for_articles(db, at_least: int, process, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        found = count_articles(db)
        if found >= at_least:
            return found
        time.sleep(0.05)
    return count_articles(db)


def paths(db) -> list[str]:
    """Canonical URLs without scheme and host (the link that led to an article first, with
    or without tracking parameters, may differ between runs; its canonical URL may not)."""
    return sorted(r["canonical_url"].split("/", 3)[3]
                  for r in rows(db, "select canonical_url from articles"))


def assert_archive_sound(db, expected: list[str]) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
    finally:
        conn.close()
    assert paths(db) == expected
    assert not rows(db, "select canonical_url from articles group by canonical_url "
                        "having count(*) > 1")
    # no half-written rows: every article complete and tied to a recorded run
    assert not rows(db, "select id from articles where text is null or text = '' or "
                        "fetched_at is null or crawl_run not in (select id from crawl_runs)")
    assert not rows(db, "select canonical_url from seen_urls where outcome = 'stored' and "
                        "canonical_url not in (select canonical_url from articles)")
    assert not rows(db, "select id from crawl_runs where status = 'running'")


@pytest.fixture(scope="module")
def expected(sample_archive):
    db, _ = sample_archive
    found = paths(db)
    assert len(found) >= 10
    return found


def test_sigterm_stores_what_was_extracted_and_a_later_run_resumes(
        sample_sources, expected, tmp_path):
    db = tmp_path / "term.db"
    log = tmp_path / "term.log"
    crawl_process = start_crawl(sample_sources, db, log)
    before = wait_for_articles(db, 3, crawl_process)
    assert crawl_process.poll() is None, "the crawl ended before it could be stopped"
    second = crawl(sample_sources, db, "--quiet")  # while the first one runs
    assert second.returncode == 3 and "another crawl" in second.stderr
    assert crawl_process.poll() is None, "the crawl ended before it could be stopped"
    crawl_process.send_signal(signal.SIGTERM)
    crawl_process.wait(timeout=60)
    err = log.read_text()
    assert crawl_process.returncode == 5, err[-2000:]
    assert "interrupted" in err.splitlines()[-1]
    (run,) = rows(db, "select * from crawl_runs")
    assert run["status"] == "interrupted" and run["finished"]
    stored = count_articles(db)
    assert before <= stored == run["stored"] + run["duplicate"] < len(expected)
    assert err.count("] INFO: stored ") == stored  # every item in flight was written
    result = crawl(sample_sources, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_archive_sound(db, expected)
    runs = rows(db, "select status, reasons from crawl_runs order by id")
    assert runs[1]["status"] == "ok" and '"already-seen"' in runs[1]["reasons"]


def test_kill_9_ten_times_then_one_clean_run(sample_sources, expected, tmp_path):
    db = tmp_path / "killed.db"
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 10**6))
    rng = random.Random(seed)
    moments = []  # (how the moment was chosen, articles in the archive when killed)
    orphans: list[int] = []
    for i in range(10):
        crawl_process = start_crawl(sample_sources, db, tmp_path / f"kill-{i}.log",
                                    settings=PACED)
        have = count_articles(db)
        # at a random moment: while starting or migrating, or just after an article commit
        if rng.random() < 0.4:
            time.sleep(rng.uniform(0.2, 2.0))
            how = "timed"
        else:
            wait_for_articles(db, have + 1, crawl_process, timeout=20)
            time.sleep(rng.uniform(0, 0.2))
            how = "writing"
        # the run row still 'running' at the kill: the next run must mark it interrupted
        # (a crawl that has nothing left to do may finish its row before the kill lands)
        moments.append((how, count_articles(db), crawl_process.poll(), last_run(db)))
        helpers = descendants(crawl_process.pid)
        crawl_process.kill()  # SIGKILL: no handler runs, the lock dies with the process
        crawl_process.wait(timeout=30)
        time.sleep(0.5)
        orphans += reap_orphans(helpers)
    result = crawl(sample_sources, db)
    context = f"seed {seed}: {moments}"
    assert result.returncode == 0, (context, result.stderr[-3000:])
    assert_archive_sound(db, expected)
    statuses = [r["status"] for r in rows(db, "select status from crawl_runs order by id")]
    # runs whose row was still 'running' when a kill landed (a kill during start-up sees
    # the previous run's row: count each run once)
    killed_running = len({run[0] for *_, ended, run in moments
                          if ended is None and run and run[1] == "running"})
    assert statuses[-1] == "ok", (context, statuses)
    assert statuses.count("interrupted") >= killed_running, (context, statuses)
    assert "running" not in statuses, (context, statuses)
    if any(ended is None and run and run[1] == "running" for *_, ended, run in moments[-1:]):
        assert "marked interrupted" in result.stderr  # the last killed run, by this one
    if orphans:
        # not this test's subject (the archive is sound), but worth knowing: the pipelines'
        # process pool (pipelines/pool.py) outlives a crawl killed with SIGKILL
        warnings.warn(f"{len(orphans)} helper process(es) of killed crawls were still "
                      f"running half a second later (reaped by the test)")


def test_readers_see_no_errors_while_a_crawl_writes(sample_sources, expected, tmp_path):
    from datasette.app import Datasette

    db = tmp_path / "busy.db"
    log = tmp_path / "busy.log"
    # paced, so the readers overlap the writes even on a loaded machine
    crawl_process = start_crawl(sample_sources, db, log, settings=PACED)
    errors: list = []
    reads = {"sqlite": 0, "datasette": 0}

    def sqlite_reader():
        while crawl_process.poll() is None:
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                conn.execute("select count(*), max(id) from articles").fetchone()
                conn.execute("select * from crawl_runs").fetchall()
                conn.close()
                reads["sqlite"] += 1
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc) and "unable to open" not in str(exc):
                    errors.append(repr(exc))
            time.sleep(0.01)

    async def datasette_reader():
        while not Path(db).exists() or not count_articles(db):
            if crawl_process.poll() is not None:
                return
            await asyncio.sleep(0.05)
        ds = Datasette([str(db)])
        name = Path(db).stem
        while crawl_process.poll() is None:
            response = await ds.client.get(f"/{name}/articles.json?_size=5&_shape=objects")
            if crawl_process.poll() is None:
                reads["datasette"] += 1  # a read that overlapped the crawl
            # an error (a locked database among them) is a status and an "error" key,
            # never a word in the articles' text ("blocked", "locked down")
            body = response.json() if response.headers.get("content-type", "").startswith(
                "application/json") else {}
            if response.status_code != 200 or "rows" not in body or body.get("error"):
                errors.append(response.text[:300])
            await asyncio.sleep(0.02)

    thread = threading.Thread(target=sqlite_reader)
    thread.start()
    asyncio.run(datasette_reader())
    thread.join()
    crawl_process.wait(timeout=60)
    err = log.read_text()
    assert crawl_process.returncode == 0, err[-2000:]
    assert errors == []
    assert reads["sqlite"] > 5 and reads["datasette"] > 0, reads
    assert "database is locked" not in err
    assert_archive_sound(db, expected)


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs the test can resize to fill up; skips if it cannot mount one (not root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up ({done.stderr.strip()}); "
                    "needs root or CAP_SYS_ADMIN")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def used_bytes(mount: Path) -> int:
    return sum(f.stat().st_size for f in mount.rglob("*") if f.is_file())


def test_a_full_disk_stops_the_crawl_cleanly_and_the_archive_stays_intact(
        sample_sources, expected, small_disk):
    db = small_disk / "news.db"
    # first some articles, with room to spare (one outlet) ...
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    first = crawl(sample_sources, db, "--quiet", "--source", "levant-wire")
    assert first.returncode == 0, first.stderr[-2000:]
    before = count_articles(db)
    assert 0 < before < len(expected)
    # ... then a disk that fills up during the next run, wherever its writes fall
    room = used_bytes(small_disk) + 256 * 1024
    subprocess.run(["mount", "-o", f"remount,size={room}", str(small_disk)], check=True)
    result = crawl(sample_sources, db, "--quiet")
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "disk full" in result.stderr and "Traceback" not in result.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        partial = conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()
    assert before <= partial < len(expected)
    # room again: the next run records the stopped one and completes the archive
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    result = crawl(sample_sources, db, "--quiet")
    assert result.returncode == 0, result.stderr[-2000:]
    assert_archive_sound(db, expected)
