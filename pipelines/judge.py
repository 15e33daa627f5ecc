"""Whether a page is kept: the archive's rules, in one place.

:func:`judge` reads a :class:`~newsarchive.pipelines.page.Page` against the thresholds of
the crawl (``NEWSARCHIVE_MIN_WORDS``, ``NEWSARCHIVE_BRIEF_MIN_WORDS`` for a page with the
parts of a story, ``NEWSARCHIVE_TOPIC_THRESHOLD``) and says what it is: an article to
keep, or not an article (with what it is instead), or off-topic.  The
crawl's judge stage, ``reprocess`` and ``import-warc`` all judge through here.  Pure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "article" (keep it), "not_article" or "off_topic"
    reason: str | None = None  # what it is instead: "listing", "not-article", "off-topic"...
    detail: str = ""  # one line for the log

    @property
    def kept(self) -> bool:
        return self.outcome == "article"


def judge(page, min_words: int, topic_threshold: float, brief_words: int = 0) -> Verdict:
    """The verdict on ``page`` (see the module docstring).  A page needs ``min_words``
    words of text to be an article, or -- a news brief: its own headline, a date and
    text under it (``page.story``) -- ``brief_words``."""
    if page.kind != "article":
        return Verdict("not_article", page.kind, f"a page of kind {page.kind}")
    least = min(min_words, brief_words) if page.story else min_words
    if page.body_words < least:
        return Verdict("not_article", "not-article", f"{page.body_words} words of body text")
    if page.word_count < least:
        return Verdict("not_article", "not-article",
                       f"{page.word_count} words left after cleaning")
    if page.topic_score < topic_threshold:
        return Verdict("off_topic", "off-topic",
                       f"score {page.topic_score:.2f} < {topic_threshold}")
    return Verdict("article")
