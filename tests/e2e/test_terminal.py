"""What a person sees in a terminal: the progress display above which log lines scroll
(never on its line), the one-line summary last, a busy port refused before any crawl, an
unreachable host named in the summary.

The terminal is real: tmux runs the crawl in a pane (a pty), and its screen history is
read back as the lines a person saw, after tmux applied every carriage return and cursor
movement the program wrote.
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from helpers import ROOT, run_cli

TMUX = shutil.which("tmux")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[[\w.]+\] [A-Z]+: ")
PROGRESS = re.compile(r"fetched [\d,]+ · queued [\d,]+ · [\d.]+ pages/s")


def in_tmux(command: list[str], tmp_path: Path, timeout: float = 300) -> list[str]:
    """Run ``command`` in a fresh tmux session (a 200x50 terminal); return the lines of
    the pane's whole history once it exits."""
    session = f"na-{uuid.uuid4().hex[:8]}"
    done = tmp_path / "exit-code"
    socket_path = tmp_path / "tmux.sock"
    tmux = [TMUX, "-S", str(socket_path)]
    script = (f"cd {shlex.quote(str(ROOT))} && {shlex.join(command)}; "
              f"echo $? > {shlex.quote(str(done))}; sleep 600")
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                    "bash", "-c", script], check=True)
    try:
        subprocess.run([*tmux, "set-option", "-t", session, "history-limit", "50000"],
                       check=True)
        deadline = time.monotonic() + timeout
        while not done.exists() or not done.read_text().strip():
            assert time.monotonic() < deadline, "the command did not finish in the terminal"
            time.sleep(0.2)
        captured = subprocess.run(
            [*tmux, "capture-pane", "-p", "-J", "-S", "-", "-t", session],
            check=True, capture_output=True, text=True).stdout
        return [line.rstrip() for line in captured.splitlines()]
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_progress_and_log_lines_never_share_a_line(sample_sources, tmp_path):
    # -v: the whole log (a few hundred lines) scrolls while the progress display is live
    command = [sys.executable, "-m", "newsarchive.crawler.cli", "crawl", "-v",
               "--sources", str(sample_sources), "--db", str(tmp_path / "t.db"),
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
               "-s", "NEWSARCHIVE_PROGRESS_INTERVAL=0.05"]
    lines = [line for line in in_tmux(command, tmp_path) if line.strip()]
    log_lines = [line for line in lines if LOG_LINE.search(line)]
    progress = [i for i, line in enumerate(lines) if PROGRESS.search(line)]
    assert len(log_lines) > 50, lines[-20:]  # the log did scroll
    assert progress, "no progress display in the terminal"
    for line in lines:
        # a log record starts its own line; the progress text is alone on its line
        assert not (PROGRESS.search(line) and re.search(r"\[[\w.]+\] [A-Z]+: ", line)), line
        if re.search(r"\[(scrapy|newsarchive)[\w.]*\] [A-Z]+: ", line):
            assert LOG_LINE.match(line), f"torn log line: {line!r}"
    # the summary comes last, after the display's final state
    assert re.match(r"run 1 ok: \d+ stored", lines[-1]), lines[-3:]
    assert progress[-1] < len(lines) - 1


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_quiet_terminal_without_verbose(sample_sources, tmp_path):
    command = [sys.executable, "-m", "newsarchive.crawler.cli", "crawl",
               "--sources", str(sample_sources), "--db", str(tmp_path / "t.db"),
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0"]
    lines = [line for line in in_tmux(command, tmp_path) if line.strip()]
    assert not [line for line in lines if " INFO: " in line], lines[:10]  # no start-up noise
    assert re.match(r"run 1 ok: \d+ stored", lines[-1]), lines[-3:]
    assert len(lines) < 40, lines


def test_demo_refuses_a_busy_port_before_crawling(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("demo", "--db", tmp_path / "demo.db", "--port", port, timeout=60)
    assert result.returncode == 2, result.stderr
    assert re.search(rf"port {port} is in use; try --port \d+", result.stderr), result.stderr
    assert not (tmp_path / "demo.db").exists()  # nothing was crawled
    assert "Crawling" not in result.stderr


def test_serve_refuses_a_busy_port(tmp_path):
    from newsarchive.archive.db import open_db

    open_db(tmp_path / "news.db").close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--db", tmp_path / "news.db", "--port", port, timeout=60)
    assert result.returncode == 2 and f"port {port} is in use" in result.stderr


def test_unreachable_host_named_in_the_summary(sample_site, tmp_path):
    with socket.socket() as closed:  # a port nobody listens on: connection refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_site.sources_toml() + (
        '\n[[source]]\nname = "gone"\nfeeds = ["http://127.0.0.1:%d/feed/"]\n' % port),
        encoding="utf-8")
    result = run_cli("crawl", "--sources", sources, "--db", tmp_path / "u.db",
                     "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
                     "-s", "RETRY_TIMES=0")
    summary = [line for line in (result.stdout + result.stderr).splitlines()
               if line.startswith("run 1 ")]
    assert summary, result.stderr[-2000:]
    summary = summary[-1]
    assert f"could not reach 127.0.0.1:{port} (connection refused)" in summary
