"""Distributed crawling (issue 9): workers on scrapy-redis, one writer, a real redis-server.

Two workers and one writer crawl the sample site; the archive must equal the single-process
reference crawl (``sample_archive``) row for row, also when a worker is killed (SIGKILL)
mid-crawl.  Skipped where Debian's ``redis-server`` is not installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FAST, ROOT, rows, run_cli

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (Debian: apt-get install "
                                 "redis-server; .ci/run installs it)")

# heartbeats that expire fast, so a killed worker's requests come back within a second
WORKER = ("--idle-exit", "2", "-s", "NEWSARCHIVE_REDIS_WORKER_TTL=1.5", "-s",
          "LOGSTATS_INTERVAL=0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A real, empty redis-server on 127.0.0.1 (no persistence), for one test."""
    port = _free_port()
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:  # pragma: no cover
        proc.kill()
        pytest.fail("redis-server did not start")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(10)


def _start(log, *args) -> subprocess.Popen:
    """A command in a process group of its own (so a kill takes its page-processing pool
    too, as when a machine dies), its log in ``log`` (a pipe nobody reads would fill)."""
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive.crawler.cli", *map(str, args)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=open(log, "w"),
                            text=True, env={**os.environ}, start_new_session=True)
    proc.log = log
    return proc


def _worker(sources, db, redis_url, *extra) -> subprocess.Popen:
    fast = [a for s in FAST for a in ("-s", s)]
    return _start(f"{db}.log", "crawl", "--sources", sources, "--db", db, "--redis",
                  redis_url, *WORKER, *fast, *extra)


# Paced so the small sample site outlasts a worker's start-up (its process pool takes a
# second or two): otherwise on an idle machine the first worker may do every page.
PACED = ("-s", "DOWNLOAD_DELAY=0.25", "-s", "RANDOMIZE_DOWNLOAD_DELAY=0")


def _writer(db, redis_url) -> subprocess.Popen:
    return _start(f"{db}.ingest.log", "ingest", "--redis", redis_url, "--db", db,
                  "--idle-exit", "2", "-s", "NEWSARCHIVE_REDIS_WORKER_TTL=1.5")


def _finish(proc, what: str, timeout=60) -> str:
    out, _ = proc.communicate(timeout=timeout)
    log = open(proc.log).read()
    assert proc.returncode == 0, f"{what} exited {proc.returncode}:\n{log[-3000:]}"
    return out


def archived(db) -> dict:
    """The order-independent content of an archive, by canonical URL."""
    found = rows(db, "select a.canonical_url, a.source, a.title, a.text, a.content_hash, "
                     "d.canonical_url as duplicate_of from articles a "
                     "left join articles d on d.id = a.duplicate_of")
    return {r["canonical_url"]: r for r in found}


def stories(table: dict) -> set:
    """Which articles are one story.  Which copy is the original depends on which arrived
    first (in a distributed crawl: which worker was faster), so compare the groups."""
    groups: dict = {}
    for url, row in table.items():
        groups.setdefault(row["duplicate_of"] or url, set()).add(url)
    return {frozenset(g) for g in groups.values()}


def assert_same_archive(db, reference) -> None:
    got, want = archived(db), archived(reference)
    assert sorted(got) == sorted(want)
    for url, row in want.items():
        for column in ("source", "title", "text", "content_hash"):
            assert got[url][column] == row[column], (url, column)
    assert stories(got) == stories(want)
    # the incidents travelled with their pages and were filed and grouped by the writer
    got, want = incidents(db), incidents(reference)
    assert got == want and want["incidents"]


def incidents(db) -> dict:
    """Each article's incidents and the articles whose incidents share an event, by the
    articles' canonical URLs (the URL fetched may be a feed's or a link's)."""
    found = rows(db, "select articles.canonical_url as url, incidents.event_type, incidents.date, "
                     "incidents.place, incidents.killed, incidents.wounded, incidents.evidence, "
                     "incidents.event_id from incidents join articles on articles.id = "
                     "incidents.article_id order by articles.url, incidents.ordinal")
    events = {}
    for row in found:
        events.setdefault(row.pop("event_id"), set()).add(row["url"])
    return {"incidents": found,
            "events": sorted(sorted(urls) for key, urls in events.items() if key is not None),
            "ungrouped": sorted(events.get(None, ()))}


@needs_redis
def test_two_workers_and_a_writer_archive_what_one_crawl_does(
        redis_url, sample_sources, sample_archive, tmp_path):
    reference, _ = sample_archive
    seeded = run_cli("seed", "--sources", sample_sources, "--redis", redis_url)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    assert "new cycle" in seeded.stdout
    db = tmp_path / "news.db"
    writer = _writer(db, redis_url)
    workers = [_worker(sample_sources, tmp_path / f"worker{i}.db", redis_url, *PACED)
               for i in (1, 2)]
    for i, worker in enumerate(workers, 1):
        assert "queued for the writer" in _finish(worker, f"worker {i}", timeout=120)
    assert "ingested from Redis" in _finish(writer, "writer")
    assert_same_archive(db, reference)
    # both workers took part, and nothing is left in Redis but the shared state
    queued = [rows(tmp_path / f"worker{i}.db", "select message from crawl_runs")[0]["message"]
              for i in (1, 2)]
    assert all(not m.startswith("0 ") for m in queued), queued
    import redis

    client = redis.Redis.from_url(redis_url)
    assert client.llen("newsarchive:items") == 0
    assert client.llen("newsarchive:items:processing") == 0
    assert client.zcard("newsarchive:news:requests") == 0
    assert not list(client.scan_iter("newsarchive:inflight:*"))
    assert client.hlen("newsarchive:seen") >= len(archived(db))

    # a second cycle skips what is archived (seen through Redis) and stores nothing twice
    again = run_cli("seed", "--sources", sample_sources, "--redis", redis_url)
    assert "new cycle" in again.stdout
    writer = _writer(db, redis_url)
    pages_before = rows(db, "select url, fetched_at from pages where outcome in "
                            "('stored', 'duplicate')")
    _finish(_worker(sample_sources, tmp_path / "worker1.db", redis_url), "worker again")
    out = _finish(writer, "writer again")
    assert "0 stored, 0 duplicate" in out, out
    assert_same_archive(db, reference)
    # the workers skipped the archived articles (only start and listing pages travel again,
    # for their links): no article page was fetched again
    assert rows(db, "select url, fetched_at from pages where outcome in "
                    "('stored', 'duplicate')") == pages_before
    second = rows(db, "select * from pages where crawl_run = (select max(id) from crawl_runs)")
    assert second and all(p["outcome"] == "not_article" for p in second), second


@needs_redis
def test_a_worker_killed_mid_crawl_loses_nothing(
        redis_url, sample_sources, sample_archive, tmp_path):
    import redis

    reference, _ = sample_archive
    client = redis.Redis.from_url(redis_url)
    assert run_cli("seed", "--sources", sample_sources, "--redis", redis_url).returncode == 0
    db = tmp_path / "news.db"
    writer = _writer(db, redis_url)
    victim = _worker(sample_sources, tmp_path / "victim.db", redis_url, *PACED)
    survivor = _worker(sample_sources, tmp_path / "survivor.db", redis_url, *PACED)
    # kill the victim while it holds requests and has already handed items over
    deadline = time.monotonic() + 60
    killed_holding = 0
    while time.monotonic() < deadline and victim.poll() is None:
        keys = list(client.scan_iter(f"newsarchive:inflight:*-{victim.pid}-*"))
        held = sum(client.hlen(k) for k in keys)
        if held and client.llen("newsarchive:items") + client.llen(
                "newsarchive:items:processing") + client.hlen("newsarchive:seen") >= 3:
            os.killpg(victim.pid, signal.SIGKILL)
            killed_holding = held
            break
        time.sleep(0.01)
    victim.wait(timeout=10)
    assert killed_holding, "the victim finished before it could be killed mid-crawl"
    left = sum(client.hlen(k) for k in client.scan_iter(
        f"newsarchive:inflight:*-{victim.pid}-*"))
    _finish(survivor, "survivor", timeout=120)
    if left:  # what the victim held went back to the queue, and the survivor did it
        assert f"{left} request(s) it had taken are queued again" in open(survivor.log).read()
    _finish(writer, "writer")
    assert_same_archive(db, reference)
    assert not list(client.scan_iter("newsarchive:inflight:*"))


def test_requests_and_items_travel_as_json():
    """Request meta (source, kind, hops, hints) and bytes (a capture body) survive."""
    import scrapy
    from scrapy.utils.request import request_from_dict

    from newsarchive.crawler.items import ArticleItem
    from newsarchive.crawler.redis import serialize
    from newsarchive.pipelines.page import process_page
    from newsarchive.pipelines.stages.queue import decode_item, encode_item

    class Spider(scrapy.Spider):
        name = "news"

        def parse_page(self, response):  # pragma: no cover
            pass

        def fetch_failed(self, failure):  # pragma: no cover
            pass

    spider = Spider()
    hints = {"title": "قصف على إدلب", "published": "2024-03-01",
             "published_source": "feed", "language": "ar"}
    request = scrapy.Request("http://127.0.0.2/a", spider.parse_page,
                             errback=spider.fetch_failed, priority=5,
                             headers={"If-None-Match": '"x"'},
                             meta={"source": "s", "kind": "feed", "hops": 1, "hints": hints,
                                   "capture": {"body": b"\x1f\x8b\x00", "headers": []}})
    data = serialize.dumps(request.to_dict(spider=spider))
    assert "pickle" not in data and b"\x1f".decode() not in data
    back = request_from_dict(serialize.loads(data), spider=spider)
    assert back.callback == spider.parse_page and back.errback == spider.fetch_failed
    assert back.meta == request.meta and back.priority == 5
    assert back.headers.get("If-None-Match") == b'"x"'

    html = ("<html><head><title>قصف على إدلب</title></head><body><h1>قصف على إدلب</h1><p>"
            + "قصفت قوات النظام مدينة إدلب صباح اليوم وقال الدفاع المدني إن ثلاثة مدنيين أصيبوا. " * 4
            + "</p></body></html>")
    page = process_page(html.encode(), "http://127.0.0.2/a", hints=hints)
    assert page.kind == "article" and page.signature
    item = ArticleItem(url="http://127.0.0.2/a", source="s", body=html.encode(),
                       fetched_at="2024-03-01T00:00:00+00:00", hints=hints, page=page,
                       capture={"body": b"\x00\xff", "status": 200, "records": {"x": b"y"}})
    kind, back = decode_item(encode_item(item).encode())
    # the writer's stages never read the page's bytes, and make their own WARC records
    assert kind == "item" and back.body == b"" and "records" not in back.capture
    assert back.page == page
    back.body, back.capture = item.body, item.capture
    assert back == item


@needs_redis
def test_the_writer_killed_and_items_replayed_store_each_article_once(
        redis_url, sample_sources, sample_archive, tmp_path):
    import redis

    reference, _ = sample_archive
    client = redis.Redis.from_url(redis_url)
    assert run_cli("seed", "--sources", sample_sources, "--redis", redis_url).returncode == 0
    # a worker stopped early (as by SIGTERM) puts back what it had taken; the queue and the
    # duplicate filter stay in Redis, and the next worker resumes where it stopped
    # paced: unpaced, a worker can take the sample's every URL before its fifth item is
    # through the pipeline, and there is nothing left to put back
    fast = [a for s in FAST for a in ("-s", s)]
    stopped = run_cli("crawl", "--sources", sample_sources, "--db", tmp_path / "worker.db",
                      "--redis", redis_url, *WORKER, *fast, *PACED,
                      "-s", "CLOSESPIDER_ITEMCOUNT=5")
    assert stopped.returncode == 5, stopped.stderr[-3000:]  # interrupted
    assert client.zcard("newsarchive:news:requests") > 0
    assert not list(client.scan_iter("newsarchive:inflight:*"))
    _finish(_worker(sample_sources, tmp_path / "worker.db", redis_url), "worker")
    queued = client.lrange("newsarchive:items", 0, -1)
    assert len(queued) >= 10
    db = tmp_path / "news.db"
    writer = _writer(db, redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and writer.poll() is None:
        try:
            stored = rows(db, "select count(*) as n from articles")[0]["n"]
        except sqlite3.Error:  # not created yet
            stored = 0
        if stored >= 3:
            os.killpg(writer.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL, "the writer finished before it was killed"
    # the next writer takes back what the killed one had taken, and finishes the rest
    _finish(_writer(db, redis_url), "writer again")
    assert_same_archive(db, reference)
    # every item delivered twice more (a worker replaying after a restart): nothing new
    client.rpush("newsarchive:items", *queued)
    out = _finish(_writer(db, redis_url), "writer on replayed items")
    assert "ingested from Redis; 0 stored" in out, out
    assert_same_archive(db, reference)
    assert len(archived(db)) == rows(db, "select count(*) as n from articles")[0]["n"]


@needs_redis
def test_malformed_entries_go_to_the_dead_letter_list_and_ingest_goes_on(redis_url, tmp_path):
    import json

    import redis

    client = redis.Redis.from_url(redis_url)
    malformed = [b"not json at all", b'{"item": 5}', b'{"nothing": 1}', b'{"item": {}}',
                 b'{"item": {"url": 5, "source": "s", "html": "", "fetched_at": "x"}}',
                 b'{"judgment": {}}', b'{"judgment": {"canonical_url": ["x"]}}',
                 b'[1, 2]', b'{"item": {"url": "http://a/", "source": "s", "html": "",'
                            b' "fetched_at": "2026-01-01", "capture": {"$b64": "!!"}}}',
                 b"\xff\xfe"]
    judgment = {"judgment": {"canonical_url": "https://outlet.example/off-topic",
                             "source": "outlet", "outcome": "off-topic",
                             "when": "2026-01-01T00:00:00+00:00"}}
    client.rpush("newsarchive:items", *malformed, json.dumps(judgment))
    db = tmp_path / "news.db"
    writer = _writer(db, redis_url)
    writer.communicate(timeout=120)
    log = open(writer.log).read()
    assert writer.returncode == 4, log[-3000:]  # degraded: something could not be stored
    # every malformed entry is on the dead-letter list, with why; nothing is left behind
    dead = [json.loads(d) for d in client.lrange("newsarchive:items:dead", 0, -1)]
    assert [d["entry"] for d in dead] == [m.decode("utf-8", "replace") for m in malformed]
    assert all(d["error"] and d["when"] for d in dead)
    assert client.llen("newsarchive:items") == client.llen("newsarchive:items:processing") == 0
    # the good entry after them went through
    assert rows(db, "select outcome from seen_urls where canonical_url = ?",
                ["https://outlet.example/off-topic"]) == [{"outcome": "off-topic"}]
    (run,) = rows(db, "select * from crawl_runs")
    assert json.loads(run["reasons"])["malformed-item"] == len(malformed)
    assert run["status"] == "degraded" and "newsarchive:items:dead" in run["message"]


@needs_redis
def test_two_workers_with_the_default_db_in_a_folder_shadowing_the_project(
        redis_url, sample_sources, sample_archive, tmp_path):
    # a user's folder with archive/, crawler/ and pipelines/ of its own: neither the
    # workers nor their page-processing pools may import them; two workers started there
    # with the default --db each get a database of their own (archive/worker-N.db)
    reference, _ = sample_archive
    for name in ("archive", "crawler", "pipelines"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    assert run_cli("seed", "--sources", sample_sources, "--redis", redis_url).returncode == 0
    db = tmp_path / "news.db"
    writer = _writer(db, redis_url)
    command = str(Path(sys.executable).with_name("newsarchive"))
    fast = [a for s in FAST for a in ("-s", s)]
    workers = []
    for i in (1, 2):
        log = tmp_path / f"worker{i}.log"
        proc = subprocess.Popen(
            [command, "crawl", "--sources", str(sample_sources), "--redis", redis_url,
             "-s", "NEWSARCHIVE_WORKERS=2", *WORKER, *fast, *PACED],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=open(log, "w"), text=True,
            start_new_session=True)
        proc.log = log
        workers.append(proc)
    for i, worker in enumerate(workers, 1):
        assert "queued for the writer" in _finish(worker, f"worker {i}", timeout=180)
    _finish(writer, "writer")
    assert_same_archive(db, reference)
    own = sorted(p.name for p in (tmp_path / "archive").glob("worker-*.db"))
    assert own == ["worker-1.db", "worker-2.db"]
    for name in own:
        (run,) = rows(tmp_path / "archive" / name, "select status, message from crawl_runs")
        assert run["status"] == "ok", run
    assert "unparseable" not in open(workers[0].log).read() + open(workers[1].log).read()
