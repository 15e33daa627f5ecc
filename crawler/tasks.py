"""What a worker process does for the crawl: one call per page.

:func:`process` runs the page function on the page's bytes and, when the page is to be
captured, makes the gzipped WARC records of its capture too (the CPU part of writing it;
the crawl process only appends them to the file).  Bytes in, a slim result out: the
crawl process neither decodes nor parses a page.
"""

from __future__ import annotations

from newsarchive.archive import warc
from newsarchive.pipelines.page import Page, process_page


def process(body: bytes, url: str, *, content_type: str | None = None,
            options: dict | None = None, hints: dict | None = None,
            learned: frozenset = frozenset(), links: bool = False, min_words: int = 0,
            capture: dict | None = None, warcinfo_id: str | None = None,
            max_body: int | None = None) -> tuple[Page, dict | None]:
    """``(page, records)``: :func:`~newsarchive.pipelines.page.process_page` of the bytes,
    and what :func:`archive.warc.encode` makes of ``capture`` for the WARC file whose
    warcinfo record is ``warcinfo_id`` (None when there is no capture; ``max_body``: the
    cap on a body it decodes, ``DOWNLOAD_MAXSIZE``)."""
    page = process_page(body, url, content_type=content_type, options=options, hints=hints,
                        learned=learned, links=links, min_words=min_words)
    records = warc.encode(capture, warcinfo_id, max_body) if capture else None
    return page, records
