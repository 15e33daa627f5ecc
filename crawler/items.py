"""The item that carries a fetched page through the stages.

The spider (or the WARC import, or the Wayback back-fill) fills the *fetch* fields; the
process stage adds the :class:`~newsarchive.pipelines.page.Page` the page function made
of the bytes (and empties ``body``), or why it could not; the judge stage says what the
page is; the capture stage replaces the raw exchange by its WARC pointer; the store stage
files it and adds what filing did.  Stages read and write items through ``ItemAdapter``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsarchive.pipelines.pagedata import Page


@dataclass
class ArticleItem:
    # --- filled by the spider -----------------------------------------------------------
    url: str  # final URL, after redirects
    source: str  # name of the source whose feed / sitemap / start page led here
    fetched_at: str  # ISO 8601 UTC, when the response arrived (or was captured)
    body: bytes = b""  # the page's bytes, content encoding undone; emptied once processed
    content_type: str | None = None  # the response's Content-Type header
    request_url: str = ""  # URL as first requested (before redirects)
    status: int = 200
    # hints from the feed or sitemap entry that led here: title, published,
    # published_source ("feed" / "sitemap"), language
    hints: dict = field(default_factory=dict)
    # how the page was reached: "start", "link", "feed", "sitemap", "wayback", "import"
    via: str = "link"
    hops: int = 0  # listing-page hops from a start page
    # its links may be followed (a start page, or a listing page short of the source's
    # follow_depth): the page function then reads them, and the spider follows them
    follow: bool = False
    # the raw HTTP exchange for the WARC capture, replaced by its pointer
    # {warc_file, warc_offset, warc_length, warc_digest} once written
    capture: dict = field(default_factory=dict)
    # --- process (pipelines/stages/process.py) ------------------------------------------
    page: Page | None = None
    # why the page could not be processed ("too-slow", "worker-died", "unparseable"...);
    # it is captured and recorded all the same, as failed
    failure: str | None = None
    failure_detail: str = ""
    # --- judge (pipelines/stages/judge.py): what the page is judged to be
    # {"outcome": "article" | "not_article" | "off_topic" | "failed", "reason", "detail"}
    verdict: dict = field(default_factory=dict)
    # --- store (pipelines/stages/store.py) ----------------------------------------------
    id: int | None = None
    duplicate_of: int | None = None
    crawl_run: int | None = None
