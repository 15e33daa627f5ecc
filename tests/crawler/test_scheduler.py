"""The scheduler (crawler/scheduler.py): requests wait on disk for the run, then go; what
killed crawls left is removed by the next."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile

from helpers import crawl, project_crawler, rows

from newsarchive.crawler.scheduler import PREFIX, Scheduler


def _stat(log: str, name: str) -> int:
    found = re.search(rf"'scheduler/{name}': (\d+)", log)
    return int(found.group(1)) if found else 0


def test_requests_wait_on_disk_for_the_run_and_the_crawl_is_the_same(sample_sources, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    on_disk = crawl(sample_sources, tmp_path / "disk.db", "--log-file", tmp_path / "disk.log",
                    env={"TMPDIR": str(temp)})
    assert on_disk.returncode == 0, on_disk.stderr[-2000:]
    log = (tmp_path / "disk.log").read_text()
    assert _stat(log, "enqueued/disk") >= 50 and _stat(log, "enqueued/memory") == 0
    assert _stat(log, "dequeued/disk") == _stat(log, "enqueued/disk")
    assert not [p for p in temp.iterdir() if p.name.startswith("newsarchive-queue-")]

    in_memory = crawl(sample_sources, tmp_path / "memory.db", "--log-file",
                      tmp_path / "memory.log", "-s", "NEWSARCHIVE_DISK_QUEUE=0")
    assert in_memory.returncode == 0, in_memory.stderr[-2000:]
    log = (tmp_path / "memory.log").read_text()
    assert _stat(log, "enqueued/memory") >= 50 and _stat(log, "enqueued/disk") == 0
    query = ("select canonical_url, title, published "
             "from articles order by canonical_url")
    assert rows(tmp_path / "disk.db", query) == rows(tmp_path / "memory.db", query)
    assert on_disk.stdout.splitlines()[-1] == in_memory.stdout.splitlines()[-1]


def test_a_crawl_removes_the_queues_killed_crawls_left(tmp_path, monkeypatch):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"{PREFIX}{gone}-abcd"
    (stale / "requests.queue" / "p5").mkdir(parents=True)
    (stale / "requests.queue" / "p5" / "q").write_bytes(b"x" * 100)
    running = tmp_path / f"{PREFIX}{os.getpid()}-efgh"  # a crawl still running
    running.mkdir()
    other = tmp_path / "newsarchive-queue-notes"  # not a queue of ours: no process id
    other.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep").write_text("x")
    (tmp_path / f"{PREFIX}{gone}-link").symlink_to(target)

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    crawler = project_crawler(tmp_path / "a.db")
    scheduler = Scheduler.from_crawler(crawler)
    own = scheduler.queue_dir
    assert own.startswith(str(tmp_path / f"{PREFIX}{os.getpid()}-"))
    assert not stale.exists() and running.exists() and other.exists()
    assert (target / "keep").exists()  # a link is not followed
