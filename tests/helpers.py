"""Helpers for tests: run the ``newsarchive`` CLI and real crawls as subprocesses."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Loopback needs no politeness delay.
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "LOG_LEVEL=INFO")


def run_cli(*args, timeout=300, env=None, cwd=None) -> subprocess.CompletedProcess:
    """Run ``newsarchive ARGS`` as a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.crawler.cli", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
    )


PEAK_RSS = """import resource, subprocess, sys
done = subprocess.run(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(done.returncode)
"""


def run_cli_peak_rss(*args, timeout=300, env=None) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``newsarchive ARGS`` like :func:`run_cli`; also return the peak resident memory
    (bytes) of that process and of the worker processes it waited for (Linux folds a
    waited-for child's peak into its parent's ``RUSAGE_CHILDREN``)."""
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        done = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, report.name,
             sys.executable, "-m", "newsarchive.crawler.cli", *map(str, args)],
            capture_output=True, text=True, timeout=timeout, cwd=ROOT,
            env={**os.environ, **(env or {})})
        return done, int(report.read() or 0) * 1024  # ru_maxrss is in KiB


def crawl(sources, db, *extra, fast=True, **kwargs) -> subprocess.CompletedProcess:
    """A real crawl of ``sources`` into ``db`` in a subprocess."""
    args = ["crawl", "--sources", sources, "--db", db, *extra]
    if fast:
        for setting in FAST:
            args += ["-s", setting]
    return run_cli(*args, **kwargs)


def rows(db, sql, params=()) -> list[dict]:
    """Rows of a query on a SQLite file, as dicts."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()
