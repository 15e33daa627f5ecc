"""One hop to a worker per stage, or one hop per page?  (issue 8, pipelines/pool.py)

    .venv/bin/python bench/hops.py [PAGES]

Feeds PAGES pages of the throughput benchmark's site (bench/site.py) to a pool of one worker
per core from an asyncio loop, 16 pages in flight (a crawl's CONCURRENT_REQUESTS), two ways:

    per-stage  extract, clean, tag and the dedup fingerprint each sent to the pool in turn
               (what the stages' process_item do, each stage on its own)
    combined   pipelines.analyse.analyse: the whole chain in one call

and prints pages/s and the CPU time the feeding process spent (it is the crawl's reactor
thread that pays it: pickling, the executor's bookkeeping).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.pipelines.clean import clean  # noqa: E402
from newsarchive.pipelines.dedup import fingerprint  # noqa: E402
from newsarchive.pipelines.extract import extract  # noqa: E402
from newsarchive.pipelines.analyse import analyse  # noqa: E402
from newsarchive.pipelines.pool import Pool, pool_size  # noqa: E402
from newsarchive.pipelines.tag import tag  # noqa: E402


def pages(n: int) -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("bench_site", REPO / "bench" / "site.py")
    site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site)
    built = site.BenchSite(n, 1).bind({"bench-a": "http://127.0.0.9"})
    return [("http://127.0.0.9" + path, body.decode("utf-8"))
            for path, (_, body) in built.routes["bench-a"].items() if path.startswith("/news/")]


async def per_stage(pool, url, html):
    options = {"name": "bench-a"}
    doc = await pool.run(extract, html, url, options, {})
    doc = await pool.run(clean, doc, options, frozenset())
    await pool.run(tag, doc["title"] or "", doc["text"] or "", doc.get("language"))
    await pool.run(fingerprint, doc["text"] or "")


async def combined(pool, url, html):
    await pool.run(analyse, html, url, {"name": "bench-a"}, {}, frozenset())


async def feed(pool, work, items, in_flight=16):
    queue = list(items)

    async def lane():
        while queue:
            url, html = queue.pop()
            await work(pool, url, html)

    await asyncio.gather(*(lane() for _ in range(in_flight)))


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    items = pages(n)
    pool = Pool(pool_size("auto"))
    asyncio.run(feed(pool, combined, items[:8]))  # start the workers
    print(f"{len(items)} pages, {pool.workers} workers")
    for name, work in (("per-stage", per_stage), ("combined", combined),
                       ("per-stage", per_stage), ("combined", combined)):
        wall, cpu = time.perf_counter(), time.process_time()
        asyncio.run(feed(pool, work, items))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name:<10} {len(items) / wall:6.1f} pages/s   feeding process CPU "
              f"{1000 * cpu / len(items):.2f} ms/page")
    pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
