"""The worker processes the page function runs in (crawler/pool.py)."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from newsarchive.crawler.pool import Pool, pool_size
from newsarchive.pipelines.page import process_page

PAGE = """<!DOCTYPE html><html><head><title>Bread queues return to Idlib</title>
<meta property="article:published_time" content="2024-02-06T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news/">News</a></nav><article>
<h1>Bread queues return to Idlib</h1>
<p>Families in Idlib waited for hours outside the last open bakery on Tuesday, after fuel
for the ovens ran out across the north-west of Syria, residents and a local council member
said in interviews.</p>
<p>The council said a delivery of flour was expected by the weekend, but shelling near the
road from the border crossing had delayed two convoys already this month.</p>
</article><footer>All rights reserved.</footer></body></html>"""


def test_pool_size_follows_the_machine_and_the_setting():
    assert pool_size("auto") == len(os.sched_getaffinity(0)) == pool_size("")
    assert pool_size("0") == 0
    assert pool_size(3) == 3
    assert pool_size(None) == 0  # a crawler without the project settings: inline


def test_inline_pool_runs_in_the_crawl_process():
    pool = Pool(0)
    assert pool.executor is None
    assert asyncio.run(pool.run(os.getpid)) == os.getpid()
    pool.close()


@pytest.fixture(scope="module")
def workers():
    pool = Pool(2)
    yield pool
    pool.close()


def test_workers_run_the_page_function_elsewhere(workers):
    async def go():
        pids = await asyncio.gather(*(workers.run(os.getpid) for _ in range(6)))
        page = await workers.run(process_page, PAGE.encode(), "http://127.0.0.1/bread",
                                 options={"name": "t"})
        return pids, page

    pids, page = asyncio.run(go())
    assert os.getpid() not in pids
    assert page == process_page(PAGE.encode(), "http://127.0.0.1/bread", options={"name": "t"})
    assert "last open bakery" in page.text


def test_map_keeps_the_order_inline_and_with_workers(workers):
    assert list(workers.map(abs, [-3, 2, -1])) == [3, 2, 1]
    assert list(Pool(0).map(abs, [-3, 2, -1])) == [3, 2, 1]


def test_errors_of_the_function_reach_the_caller(workers):
    with pytest.raises(ValueError):
        asyncio.run(workers.run(int, "not a number"))


def test_a_dead_worker_fails_one_call_and_the_pool_comes_back(workers):
    with pytest.raises(BrokenProcessPool):
        asyncio.run(workers.run(os._exit, 3))
    assert asyncio.run(workers.run(pool_size, "2")) == 2


def test_workers_exit_with_a_killed_crawl_process(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "crawl.py"
    script.write_text(
        "import asyncio, os, sys\n"
        "from newsarchive.crawler.pool import Pool\n"
        "async def main(pool):\n"
        "    return await asyncio.gather(*(pool.run(os.getpid) for _ in range(8)))\n"
        "if __name__ == '__main__':\n"
        "    pool = Pool(2)\n"
        "    pids = asyncio.run(main(pool))\n"
        "    print(' '.join(map(str, sorted(set(pids)))), flush=True)\n"
        "    import time; time.sleep(60)\n")
    crawl = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in crawl.stdout.readline().split()]
    assert workers
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in workers):
        time.sleep(0.1)
    assert not any(os.path.exists(f"/proc/{p}") and "Z" not in open(f"/proc/{p}/stat").read()
                   .rsplit(")", 1)[1].split()[0] for p in workers)
