"""The progress line for interactive crawls (crawler/progress.py)."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsarchive.crawler.progress import ProgressBar, render


def test_render_counts_requests_rate_and_outcomes():
    line = render({"downloader/response_count": 50, "scheduler/enqueued": 200,
                   "scheduler/dequeued": 60,
                   "response_received_count": 50, "newsarchive/outcome/stored": 40,
                   "newsarchive/outcome/duplicate": 3, "newsarchive/outcome/off_topic": 2,
                   "newsarchive/outcome/not_article": 1}, elapsed=10.0)
    assert line == ("fetched 50 · queued 140 · 5.0 pages/s · stored 40 · dup 3 · other 3")
    assert render({}, 0.0).startswith("fetched 0 · queued 0 · 0.0 pages/s")


def test_no_progress_bar_without_a_terminal(monkeypatch):
    # under pytest stderr is captured, as in cron and CI: the extension switches itself off
    with pytest.raises(NotConfigured):
        ProgressBar.from_crawler(get_crawler())


def test_progress_bar_can_be_switched_off(monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    with pytest.raises(NotConfigured):
        ProgressBar.from_crawler(get_crawler(settings_dict={"NEWSARCHIVE_PROGRESS": False}))


def test_switched_off_without_a_logged_warning():
    # NotConfigured without a message: Scrapy logs "Disabled ..." only when given one
    with pytest.raises(NotConfigured) as raised:
        ProgressBar.from_crawler(get_crawler())
    assert not raised.value.args
