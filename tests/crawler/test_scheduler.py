"""The scheduler (crawler/scheduler.py): requests wait on disk for the run, then go; what
killed crawls left is removed by the next."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers import crawl, project_crawler, rows

from newsarchive.crawler.scheduler import LOCK, PREFIX, Scheduler


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
    # a crawl killed with its queue on disk (SIGKILL: nothing of Python runs), one still
    # running (its lock held), a directory just made, a link, another name: only the
    # killed crawl's queue goes
    code = ("import sys, tempfile; from helpers import project_crawler; "
            "from newsarchive.crawler.scheduler import Scheduler; "
            f"tempfile.tempdir = {str(tmp_path)!r}; "
            f"s = Scheduler.from_crawler(project_crawler({str(tmp_path / 'k.db')!r})); "
            "print(s.queue_dir, flush=True); sys.stdin.read()")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}

    def queue_of_a_crawl():
        proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env)
        return proc, Path(proc.stdout.readline().strip())

    killed, stale = queue_of_a_crawl()
    (stale / "requests.queue" / "p5").mkdir(parents=True)
    (stale / "requests.queue" / "p5" / "q").write_bytes(b"x" * 100)
    killed.kill()
    killed.wait()
    running, live = queue_of_a_crawl()
    fresh = tmp_path / f"{PREFIX}justmade"  # no lock file yet: a crawl about to lock it
    fresh.mkdir()
    other = tmp_path / "newsarchive-notes"
    other.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / LOCK).write_text("")
    (tmp_path / f"{PREFIX}link").symlink_to(target)
    try:
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        scheduler = Scheduler.from_crawler(project_crawler(tmp_path / "a.db"))
        assert Path(scheduler.queue_dir).parent == tmp_path
        assert not stale.exists()
        assert live.exists() and fresh.exists() and other.exists()
        assert (target / LOCK).exists()  # a link is not followed
    finally:
        running.stdin.close()
        running.wait()
