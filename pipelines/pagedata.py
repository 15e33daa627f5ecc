"""The :class:`Page`: what the page function (``pipelines/page.py``) makes of a page.

Plain data in a module of its own, so that what only carries a page (the crawl's item,
``crawler/items.py``; the distributed item queue) imports the dataclass and not the page
function's chain (trafilatura, lxml, the classifier, the tagger...), which only the
worker processes run.  ``pipelines.page`` re-exports it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass
class Page:
    """What one page is and says.  Plain data (it travels between processes)."""

    url: str
    # what the page is: "article", "listing", "liveblog" (a live-blog shell) or "empty"
    kind: str = "empty"
    # it has the parts of a story: its own headline, a date and text under the headline
    # (a news brief is an article however few its words: pipelines/judge.py)
    story: bool = False
    encoding: str | None = None
    # what was noticed while reading it (counted by the crawl): "charset-mislabelled",
    # "charset-guessed", "incidents-failed"
    notes: list[str] = field(default_factory=list)
    # its links (absolute), read only when the caller asks for them (a page whose links
    # the crawl may follow)
    links: list[str] = field(default_factory=list)
    # --- metadata, with provenance
    title: str | None = None
    authors: list[str] = field(default_factory=list)  # people who wrote or reported it
    # everyone else its bylines and credit lines name: [{"name": ..., "role": ...}], role
    # "agency" / "outlet" / "organisation" (who it came from), "editing",
    # "additional-reporting", "translation", "photo", "graphics", "compiled", "source"
    # (pipelines.bylines)
    credits: list[dict] = field(default_factory=list)
    published: str | None = None
    published_source: str | None = None  # where the date came from: page, feed, url...
    language: str | None = None
    canonical_link: str | None = None  # rel=canonical / og:url as found on the page
    canonical_url: str | None = None  # the article's identity (pipelines.urls)
    # --- the text
    body_words: int = 0  # words of the extracted body, before cleaning
    text: str = ""
    dateline: str | None = None
    word_count: int = 0
    # the keys of its lines that count towards the source's learned boilerplate, and an
    # example line for each key (pipelines.clean.learnable)
    line_keys: list[str] = field(default_factory=list)
    line_examples: dict = field(default_factory=dict)
    # --- tags
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    topic_score: float = 0.0
    # --- finding it again: de-duplication fingerprint and full-text search forms
    content_hash: str | None = None
    signature: bytes | None = None  # MinHash signature
    bands: list[int] = field(default_factory=list)  # LSH band keys
    shingled_words: int = 0
    # the full-text search forms (folded title, folded text, (stem, term) pairs) as the
    # search index holds them (pipelines.fulltext.search_forms)
    search: tuple | None = None
    # --- the incidents it reports (pipelines.incidents.extract_incidents: event type,
    # date, place, actors, figures, each with its evidence sentence and span), plain dicts
    incidents: list[dict] = field(default_factory=list)
    # how far processing went: "classified" (not an article), "extracted" (too few words
    # of body), "cleaned" (too few words left), "complete"
    reached: str = "classified"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Page":
        known = {f.name for f in fields(cls)}
        page = cls(**{k: v for k, v in data.items() if k in known})
        if page.search is not None:  # JSON has lists where the forms have tuples
            title, text, pairs = page.search
            page.search = (title, text, tuple(tuple(pair) for pair in pairs))
        return page
