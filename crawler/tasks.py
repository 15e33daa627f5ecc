"""What a worker process does for the crawl: one call per page.

:func:`process` runs the page function on the page's bytes and, when the page is to be
captured, makes the gzipped WARC records of its capture too (the CPU part of writing it;
the crawl process only appends them to the file).  Bytes in, a slim result out: the
crawl process neither decodes nor parses a page, and never imports this module (it names
the call ``"newsarchive.crawler.tasks.process"``, ``pipelines/stages/process.py``).

The pool's forkserver imports this module, and loads every table the page function
reads, before it forks the workers (``crawler/pool_preload.py``); importing it has no
other effect.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsarchive.archive import warc
from newsarchive.pipelines.page import Page, process_page

# A test hook (tests/e2e): a worker given a page holding this marker dies on it, as a worker
# killed by the kernel would -- "MARKER" every time, "MARKER@PATH" only while PATH does not
# exist (it is made first: the page's second try, in a fresh worker, succeeds).
CRASH = "NEWSARCHIVE_TEST_CRASH"


def _crash_hook(body: bytes) -> None:
    marker, _, once = os.environ.get(CRASH, "").partition("@")
    if marker and marker.encode() in body:
        if once:
            if Path(once).exists():
                return
            Path(once).touch()
        os._exit(70)


def process(body: bytes, url: str, *, content_type: str | None = None,
            options: dict | None = None, hints: dict | None = None,
            learned: frozenset = frozenset(), links: bool = False, min_words: int = 0,
            capture: dict | None = None, warcinfo_id: str | None = None,
            max_body: int | None = None) -> tuple[Page, dict | None]:
    """``(page, records)``: :func:`~newsarchive.pipelines.page.process_page` of the bytes,
    and what :func:`archive.warc.encode` makes of ``capture`` for the WARC file whose
    warcinfo record is ``warcinfo_id`` (None when there is no capture; ``max_body``: the
    cap on a body it decodes, ``DOWNLOAD_MAXSIZE``)."""
    if CRASH in os.environ:
        _crash_hook(body)
    page = process_page(body, url, content_type=content_type, options=options, hints=hints,
                        learned=learned, links=links, min_words=min_words)
    records = warc.encode(capture, warcinfo_id, max_body) if capture else None
    return page, records
