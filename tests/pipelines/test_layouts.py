"""Layouts that made the crawl drop or mangle real articles (issue #14), judged as the crawl
judges them: the page function on a regression page, then ``pipelines.judge.judge`` with
the crawl's own thresholds (``crawler/settings.py``).  An article is kept, with its title,
and its text runs from the first paragraph to the last -- past in-story ads and widgets --
in order; a page that is no article is dropped as what it is.

The pages and their other expectations are in the regression set
(``tests/pipelines/regression``, see its README).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive.crawler import settings
from newsarchive.pipelines.judge import judge
from newsarchive.pipelines.page import process_page

HERE = Path(__file__).parent / "regression"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))

# slug -> sentences from the start, the middle and the end of the story, in order
KEPT = {
    "aspnet-form-wrapper": (
        "Engineers restarted two of the four pumps",
        "Residents of the al-Joura and al-Qusour districts",
        "asked for funding to replace the transformer altogether."),
    "wp-form-wrapper": (
        "A hailstorm that swept across the western countryside of Daraa",
        "One farmer near Muzayrib said he had borrowed money",
        "similar surveys after a frost two years ago led to nothing."),
}
# slug -> the verdict's reason: what the page is instead of an article
DROPPED: dict[str, str] = {}


def _page(slug: str):
    spec = EXPECTED[slug]
    page = process_page((HERE / f"{slug}.html").read_bytes(), spec["url"],
                        hints=spec.get("hints"), min_words=settings.NEWSARCHIVE_MIN_WORDS)
    verdict = judge(page, settings.NEWSARCHIVE_MIN_WORDS, settings.NEWSARCHIVE_TOPIC_THRESHOLD,
                    settings.NEWSARCHIVE_BRIEF_MIN_WORDS)
    return page, verdict


@pytest.mark.parametrize("slug", sorted(KEPT))
def test_layout_article_is_kept_whole(slug):
    page, verdict = _page(slug)
    assert verdict.kept, verdict
    assert page.title == EXPECTED[slug]["title"]
    text = " ".join(page.text.split())
    at = [text.find(sentence) for sentence in KEPT[slug]]
    assert -1 not in at, [s for s, i in zip(KEPT[slug], at) if i < 0]
    assert at == sorted(at), "the story's parts are out of order"


@pytest.mark.parametrize("slug", sorted(DROPPED))
def test_layout_non_article_is_dropped(slug):
    page, verdict = _page(slug)
    assert not verdict.kept
    assert verdict.reason == DROPPED[slug] == EXPECTED[slug]["kind"]


# --- the rules, each with the page it must not break ----------------------------------------

STORY = "".join(f"<p>Paragraph {i} of the story from Idlib says what the rescuers saw on the "
                f"road to Saraqib that morning, and what the council said about it later.</p>"
                for i in range(5))


def _tree(html: str):
    from newsarchive.pipelines.html import parse

    return parse(f"<html><head><title>Shelling hits Idlib</title></head><body>{html}</body></html>")


def test_page_wide_form_is_the_page_but_a_comment_form_is_not():
    from newsarchive.pipelines.prune import page_forms

    comment = ('<form id="commentform"><p>Your email address will not be published.</p>'
               '<p>Comment</p><p>Name *</p><p>Email *</p><p>Save my name for next time.</p></form>')
    tree = _tree(f"<h1>Shelling hits Idlib</h1><div>{STORY}</div>{comment}")
    assert page_forms(tree) == []
    tree = _tree(f'<form id="aspnetForm"><div>{STORY}</div>{comment}</form>')
    assert [f.get("id") for f in page_forms(tree)] == ["aspnetForm"]
    search = '<form role="search"><p>Search the site</p><input name="q"></form>'
    tree = _tree(f"<h1>Shelling hits Idlib</h1>{search}<div>{STORY}</div>")
    assert page_forms(tree) == []


def test_layout_table_is_unwrapped_but_a_data_table_is_not():
    from newsarchive.pipelines.prune import layout_tables

    data = ("<table><tr><th>Town</th><th>Families</th></tr>"
            "<tr><td>Saraqib</td><td>120</td></tr></table>")
    tree = _tree(f'<table class="layout"><tr><td><h1>Shelling hits Idlib</h1>{STORY}{data}</td>'
                 '<td><a href="/">Home</a></td></tr></table>')
    assert [t.get("class") for t in layout_tables(tree)] == ["layout"]
    tree = _tree(f"<h1>Shelling hits Idlib</h1>{STORY}{data}")
    assert layout_tables(tree) == []
