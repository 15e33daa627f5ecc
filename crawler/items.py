"""Items passed from the spider through the pipelines.

The spider fills the *fetch* fields; every later field is filled by one pipeline stage
(named in the comment).  Pipelines read and write items through ``ItemAdapter``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    # --- filled by the spider -------------------------------------------------------
    url: str  # final URL, after redirects
    source: str  # name of the source whose feed / sitemap / start page led here
    html: str  # decoded response body (response.text)
    fetched_at: str  # ISO 8601 UTC, when the response arrived
    request_url: str = ""  # URL as first requested (before redirects)
    status: int = 200
    # hints from the feed or sitemap entry that led here: title, published,
    # published_source ("feed" / "sitemap"), language
    hints: dict = field(default_factory=dict)
    # --- extract (pipelines/extract.py) ---------------------------------------------
    title: str | None = None
    authors: list = field(default_factory=list)
    published: str | None = None
    published_source: str | None = None
    language: str | None = None
    text: str | None = None
    canonical_link: str | None = None  # rel=canonical / og:url as found on the page
    # --- clean (pipelines/clean.py) --------------------------------------------------
    dateline: str | None = None
    word_count: int = 0
    # --- tag (pipelines/tag.py) ------------------------------------------------------
    places: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    events: list = field(default_factory=list)
    topic_score: float = 0.0
    # --- dedup (pipelines/dedup.py) --------------------------------------------------
    canonical_url: str | None = None
    content_hash: str | None = None
    duplicate_of: int | None = None
    dedup: dict = field(default_factory=dict)  # dedup stage's working data (signatures)
    # --- capture (pipelines/capture.py): the raw HTTP exchange from the spider, replaced
    # by its WARC pointer {warc_file, warc_offset, warc_length, warc_digest} ----------
    capture: dict = field(default_factory=dict)
    # --- store (pipelines/store.py) --------------------------------------------------
    crawl_run: int | None = None
    id: int | None = None
    # --- analyse (pipelines/analyse.py) ------------------------------------------------
    # what the spider's classifier said the page is; None: not classified yet (a page
    # that cannot lead to more links is classified by the analyse stage, in the same
    # worker call that extracts it, instead of in a call of its own)
    page_kind: str | None = "article"
    # the later stages' results, computed ahead in that one worker call; each stage
    # takes its own (pipelines.analyse.take) or, when it is missing, computes it itself
    ahead: dict = field(default_factory=dict)
