"""The worker processes the page function runs in (crawler/pool.py)."""

from __future__ import annotations

import asyncio
import os

import pytest

from newsarchive.crawler.pool import Pool, PoolClosed, TooSlow, WorkerDied, pool_size
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


def test_a_call_may_name_its_function_by_its_path(workers):
    # imported where the call runs: the crawl process names the page task this way
    assert asyncio.run(workers.run("os.getpid")) != os.getpid()
    assert asyncio.run(Pool(0).run("os.getpid")) == os.getpid()
    assert list(workers.map("builtins.abs", [-3, 2])) == [3, 2]


def test_the_workers_import_neither_scrapy_nor_sqlite_utils():
    # what the forkserver imports before it forks the workers: the page function and its
    # tables, nothing of the crawl process (Scrapy, Twisted) or of the database layer
    import subprocess
    import sys

    from newsarchive.crawler.pool import PRELOAD

    code = (f"import importlib, sys\nfor m in {PRELOAD!r}: importlib.import_module(m)\n"
            "print(' '.join(sorted(m for m in ('scrapy', 'twisted', 'sqlite_utils', "
            "'newsarchive.archive.db') if m in sys.modules)))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert found == []


def test_map_keeps_the_order_inline_and_with_workers(workers):
    assert list(workers.map(abs, [-3, 2, -1])) == [3, 2, 1]
    assert list(Pool(0).map(abs, [-3, 2, -1])) == [3, 2, 1]


def test_errors_of_the_function_reach_the_caller(workers):
    with pytest.raises(ValueError):
        asyncio.run(workers.run(int, "not a number"))


def test_a_dead_worker_fails_one_call_and_the_pool_comes_back(workers):
    with pytest.raises(WorkerDied):
        asyncio.run(workers.run(os._exit, 3))
    assert asyncio.run(workers.run(pool_size, "2")) == 2
    assert workers.failed["worker-died"] == 1


# a Python-level loop (a signal stops it) and a loop in C (only a kill stops it)
PYTHON_BURN = "sum(i for i in range(10 ** 12))"


def test_a_call_over_its_cpu_budget_fails_and_the_worker_lives_on():
    pool = Pool(1, budget=1)
    try:
        with pytest.raises(TooSlow, match="CPU"):
            asyncio.run(pool.run(eval, PYTHON_BURN))
        worker = pool._workers[0].process.pid
        assert asyncio.run(pool.run(os.getpid)) == worker
    finally:
        pool.close()


def test_a_call_stuck_in_c_code_past_its_budget_is_killed_with_its_worker():
    pool = Pool(1, budget=1)
    try:
        before = pool._workers[0].process.pid
        with pytest.raises(TooSlow, match="killed"):
            asyncio.run(pool.run(sum, range(10 ** 13)))
        assert asyncio.run(pool.run(os.getpid)) != before  # a fresh worker
    finally:
        pool.close()


def test_abort_fails_every_pending_and_running_call_at_once():
    pool = Pool(1)

    async def go():
        running = asyncio.ensure_future(pool.run(eval, PYTHON_BURN))
        pending = asyncio.ensure_future(pool.run(os.getpid))
        await asyncio.sleep(0)  # both handed to the pool
        asyncio.get_running_loop().call_soon(pool.abort, "test")
        return await asyncio.gather(running, pending, return_exceptions=True)

    results = asyncio.run(go())
    assert [type(r) for r in results] == [PoolClosed, PoolClosed]
    with pytest.raises(PoolClosed):
        asyncio.run(pool.run(os.getpid))


def test_map_yields_a_failure_in_its_place(workers):
    results = list(workers.map(int, ["1", "x", "3"]))
    assert results[0] == 1 and isinstance(results[1], ValueError) and results[2] == 3


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
