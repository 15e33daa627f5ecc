"""Distributed-crawl benchmark (issue 9): 1 vs 2 workers, the writer's insert rate, and
Redis round trips per page, on a real redis-server and the synthetic loopback site.

    .venv/bin/python bench/distributed.py                 # 1,000 pages, 1 and 2 workers
    BENCH_PAGES=3000 BENCH_WORKERS=1,2,3 .venv/bin/python bench/distributed.py

Serves the fake web's ``bench-synthetic`` profile (N article pages of 30-120 KB over four
loopback outlets; ``BENCH_PROFILE`` names another, see bench/throughput.py) and
starts a private ``redis-server`` (no persistence).  For each worker count: empty Redis,
``newsarchive seed``, start the workers (``newsarchive crawl --redis``) with no writer, and
time them until the crawl is done (queue empty, nothing in flight, every worker idle),
start-up included; the items wait in Redis.  CPU is the sum over each process tree
(page-processing pools included), start-up included.  Then ``newsarchive ingest`` alone drains them
into a fresh archive: its sustained insert rate is items / time from the first item taken
to the last committed (start-up excluded).  Round trips are ``INFO commandstats`` call
counts, before and after each phase, per fetched page (workers) and per item (writer).

Prints a Markdown report (also to BENCH_DISTRIBUTED_OUT if set).  BENCH_WRITER_SETTINGS:
space-separated KEY=VALUE settings for the writer (e.g. NEWSARCHIVE_WARC_FSYNC=0);
BENCH_KEEP=1 keeps the logs and archives.  Figures depend on the
machine: on 2 cores, two workers share the cores with the site server and Redis.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from throughput import Site  # noqa: E402 (bench/throughput.py, beside this script)

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=INFO"]
IDLE_EXIT = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(work: Path):
    import redis

    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(work)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return proc, client, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def calls(client) -> dict:
    stats = client.info("commandstats")
    return {k.removeprefix("cmdstat_"): v["calls"] for k, v in stats.items()}


def delta(before: dict, after: dict) -> dict:
    out = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    out.pop("info", None)  # the benchmark's own
    return {k: v for k, v in out.items() if v}


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "newsarchive.crawler.cli", *map(str, args)]


class Polls:
    """The benchmark's own Redis calls, counted so they can be taken out of the figures."""

    def __init__(self, client):
        self.client = client
        self.count: dict = {}

    def __getattr__(self, name):
        method = getattr(self.client, name)

        def call(*args, **kwargs):
            self.count[name] = self.count.get(name, 0) + 1
            return method(*args, **kwargs)

        return call

    def minus(self, used: dict) -> dict:
        out = {k: v - self.count.get(k, 0) for k, v in used.items()}
        self.count.clear()
        return {k: v for k, v in out.items() if v > 0}


def crawl_done(polls: Polls) -> bool:
    if polls.zcard("newsarchive:news:requests"):
        return False
    if any(polls.hlen(k) for k in polls.keys("newsarchive:inflight:*")):
        return False
    states = [polls.get(k) for k in polls.keys("newsarchive:worker:*")]
    return bool(states) and all(s == b"idle" for s in states)


class TreeCpu(threading.Thread):
    """CPU seconds of processes and all their descendants (page-processing pools too,
    reaped or not), sampled from /proc every 0.1 s: the last reading of each process."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = list(pids)
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.start()

    def run(self):
        while not self.done.is_set():
            todo = list(self.pids)
            while todo:
                pid = todo.pop()
                self.seen[pid] = max(self.seen.get(pid, 0.0), _own_cpu(pid))
                todo += _children(pid)
            self.done.wait(0.1)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return sum(self.seen.values())


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _own_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def stat(log: Path, name: str) -> int:
    found = re.findall(rf"'{re.escape(name)}': (\d+)", log.read_text(errors="replace"))
    return int(found[-1]) if found else 0


def run_workers(n: int, client, url: str, sources: Path, work: Path) -> dict:
    client.flushall()
    subprocess.run(cli("seed", "--sources", sources, "--redis", url), check=True,
                   cwd=REPO, capture_output=True)
    polls = Polls(client)
    load = os.getloadavg()[0]
    before = calls(client)
    t0 = time.monotonic()
    logs = [work / f"w{n}-{i}.log" for i in range(n)]
    procs = [subprocess.Popen(cli("crawl", "--sources", sources, "--db", work / f"w{n}-{i}.db",
                                  "--redis", url, "--idle-exit", IDLE_EXIT, "--log-file",
                                  logs[i], *FAST), cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for i in range(n)]
    sampler = TreeCpu(p.pid for p in procs)
    time.sleep(1.0)
    while not crawl_done(polls):
        time.sleep(0.05)
    elapsed = time.monotonic() - t0
    for p in procs:
        p.wait(120)
    cpu = sampler.stop()  # start-up and the idle wait included
    used = polls.minus(delta(before, calls(client)))
    pages = sum(stat(log, "response_received_count") for log in logs)
    items = client.llen("newsarchive:items")
    sample = client.lrange("newsarchive:items", 0, 99)
    item_bytes = sum(map(len, sample)) / max(1, len(sample))
    return {"item_bytes": item_bytes, "workers": n, "seconds": elapsed, "pages": pages,
            "items": items,
            "per_worker": [stat(log, "response_received_count") for log in logs],
            "calls": used, "cpu": cpu, "load": load}


def run_writer(client, url: str, work: Path, n: int) -> dict:
    db = work / f"archive-{n}.db"
    total = client.llen("newsarchive:items")
    polls = Polls(client)
    before = calls(client)
    extra = [a for pair in os.environ.get("BENCH_WRITER_SETTINGS", "").split()
             for a in ("-s", pair)]
    proc = subprocess.Popen(cli("ingest", *extra, "--redis", url, "--db", db, "--idle-exit",
                                IDLE_EXIT, "--log-file", work / f"ingest-{n}.log",
                                "-s", "LOG_LEVEL=INFO"),
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeCpu([proc.pid])
    first = last = None
    while proc.poll() is None:
        left = polls.llen("newsarchive:items") + polls.llen("newsarchive:items:processing")
        now = time.monotonic()
        if first is None and left < total:
            first = now
        if first is not None and left == 0 and last is None:
            last = now
        time.sleep(0.01)
    out, err = proc.communicate()
    cpu = sampler.stop()  # start-up included
    used = polls.minus(delta(before, calls(client)))
    seconds = (last or time.monotonic()) - (first or time.monotonic())
    return {"items": total, "seconds": seconds, "rate": total / seconds if seconds else 0,
            "calls": used, "cpu": cpu, "run": out.strip() or err.strip()[-300:]}


# Commands that are not round trips of their own: the ones a Lua script runs (the worker's
# pop: ZRANGE, ZREM, HSET) and the ones queued inside a MULTI ... EXEC pipeline (a push:
# ZADD; an off-topic judgment: HSET, RPUSH; the writer's commit: HSET, LREM), which
# travel with their EXEC.
WORKER_INNER = ("zrange", "zrem", "hset", "zadd", "multi")
WRITER_INNER = ("hset", "lrem", "multi")


def round_trips(calls_: dict, inner) -> int:
    return sum(v for k, v in calls_.items() if k not in inner)


def top(calls_: dict, k: int = 12) -> str:
    return ", ".join(f"{c} {n}" for c, n in sorted(calls_.items(), key=lambda x: -x[1])[:k])


def main() -> int:
    if not shutil.which("redis-server"):
        print("redis-server is not installed", file=sys.stderr)
        return 1
    pages = int(os.environ.get("BENCH_PAGES", "1000"))
    counts = [int(x) for x in os.environ.get("BENCH_WORKERS", "1,2").split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-distributed-"))
    redis_proc, client, url = start_redis(work)
    site = Site(pages)
    info = site.info
    sources = work / "sources.toml"
    sources.write_text(info["sources_toml"], encoding="utf-8")
    lines = [f"# Distributed crawl: {pages} article pages, {os.cpu_count()} CPU(s)"
             + (f", writer with {os.environ['BENCH_WRITER_SETTINGS']}"
                if os.environ.get("BENCH_WRITER_SETTINGS") else ""), "",
             "| workers | load avg | pages fetched | items | seconds | pages/s | "
             "pages per worker | worker CPU s/page | Redis commands (round trips) per page | "
             "writer items/s | writer CPU s/item | writer commands (round trips) per item |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    details = []
    try:
        for n in counts:
            w = run_workers(n, client, url, sources, work)
            r = run_writer(client, url, work, n)
            pages_, items_ = max(1, w["pages"]), max(1, r["items"])
            per_page = sum(w["calls"].values()) / pages_
            per_item = sum(r["calls"].values()) / items_
            rt_page = round_trips(w["calls"], WORKER_INNER) / pages_
            rt_item = round_trips(r["calls"], WRITER_INNER) / items_
            lines.append(
                f"| {n} | {w['load']:.1f} | {w['pages']} | {w['items']} | {w['seconds']:.1f} | "
                f"{w['pages'] / w['seconds']:.1f} | {'/'.join(map(str, w['per_worker']))} | "
                f"{w['cpu'] / pages_:.3f} | {per_page:.1f} ({rt_page:.1f}) | {r['rate']:.0f} | "
                f"{r['cpu'] / items_:.3f} | {per_item:.1f} ({rt_item:.1f}) |")
            details.append(f"- {n} worker(s): {w['item_bytes'] / 1024:.0f} KiB per queued item; "
                           f"workers' calls: {top(w['calls'])}; "
                           f"writer's calls: {top(r['calls'])}; writer run: {r['run']}")
            print(lines[-1], file=sys.stderr, flush=True)
    finally:
        site.stop()
        redis_proc.terminate()
        redis_proc.wait(10)
    report = "\n".join(lines + ["", *details, ""])
    print(report)
    if os.environ.get("BENCH_DISTRIBUTED_OUT"):
        Path(os.environ["BENCH_DISTRIBUTED_OUT"]).write_text(report, encoding="utf-8")
    if os.environ.get("BENCH_KEEP"):
        print(f"logs and archives kept in {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
