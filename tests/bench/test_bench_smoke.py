"""The benchmarks run end to end on a small site (bench/throughput.py, bench/writes.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from newsarchive.crawler.fakeweb.profiles.bench_synthetic import BenchSite

ROOT = Path(__file__).resolve().parents[2]


def test_site_pages_are_news_sized_and_all_different():
    site = BenchSite(pages=40, outlets=2, seed=3)
    site.bind({"bench-a": "http://127.0.0.9:1", "bench-b": "http://127.0.0.10:1"})
    assert len(site.sizes) == 40
    assert all(30_000 <= size <= 125_000 for size in site.sizes)
    articles = [body for routes in site.routes.values()
                for path, (_, body) in routes.items() if path.startswith("/news/")]
    assert len(set(articles)) == 40
    assert {"/", "/feed/", "/sitemap.xml", "/robots.txt"} <= set(site.routes["bench-a"])


def test_benchmark_smoke(tmp_path):
    env = {**os.environ, "BENCH_PROFILE": "bench-synthetic", "BENCH_PAGES": "50", "BENCH_REPEAT": "1", "BENCH_RSS_PAGES": "0",
           "BENCH_VARIANTS": "raw,plain,full", "BENCH_RESULTS": str(tmp_path / "RESULTS.md"),
           "BENCH_STARTUP": "2"}
    result = subprocess.run([sys.executable, "bench/throughput.py"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"full/plain ratio: \d+\.\d\d", lines[-1])
    assert re.search(r"^\| full +\| [\d.]+ ", result.stdout, re.MULTILINE)
    assert "stored=50" in result.stdout  # every page kept: on topic, no false duplicates
    report = (tmp_path / "RESULTS.md").read_text()
    assert "## Machine" in report and "trafilatura" in report and "| plain" in report
    assert re.search(r"^Start-up \(.*median of 2\): plain [\d.]+ s CPU \([\d.]+-[\d.]+\)",
                     report, re.MULTILINE)
    assert re.search(r"^start-up cpu full/plain: \d+\.\d\d", result.stdout, re.MULTILINE)


def test_writes_benchmark_smoke():
    """bench/writes.py: the WARC writer before #19 and now, and the store stage."""
    result = subprocess.run([sys.executable, "bench/writes.py", "--generated", "--pages", "4",
                             "--rounds", "1"], cwd=ROOT, capture_output=True, text=True,
                            timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"^WARC, identity bodies: [\d.]+ -> [\d.]+ CPU ms/page", result.stdout,
                     re.MULTILINE)
    assert re.search(r"^SQLite, store stage: [\d.]+ CPU ms/page .*stored=4", result.stdout,
                     re.MULTILINE)
