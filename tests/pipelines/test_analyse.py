"""The analyse stage: one call for the pure chain, results taken by the later stages."""

from __future__ import annotations

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from newsarchive.crawler.items import ArticleItem
from newsarchive.pipelines.ahead import take
from newsarchive.pipelines.analyse import AnalysePipeline, analyse
from newsarchive.pipelines.clean import CleanPipeline
from newsarchive.pipelines.extract import ExtractPipeline
from newsarchive.pipelines.tag import TagPipeline

PARAGRAPHS = [
    "Shelling hit the southern edge of Idlib city on Tuesday morning, local rescuers said, "
    "and two families left their homes for camps near the Turkish border.",
    "The civil defence teams counted damage to a bakery and a school, and said that water "
    "supplies to three neighbourhoods had been cut since the weekend.",
    "Residents of Maarat al-Numan described a night of artillery fire. Aid groups in "
    "Aleppo said they were preparing blankets and food for those who fled.",
]
ARTICLE = ("<html><head><title>Shelling hits southern Idlib</title>"
           '<meta property="og:type" content="article"></head><body><nav><a href="/">Home</a>'
           '</nav><article><h1>Shelling hits southern Idlib</h1>'
           + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
           + "</article><footer>Share this article</footer></body></html>")
LISTING = ("<html><body>" + "".join(
    f"<h2><a href='/story-{i}'>Headline number {i} about the north</a></h2>" for i in range(12))
    + "</body></html>")


@pytest.fixture
def crawler(tmp_path):
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_DB": str(tmp_path / "a.db"),
                                         "NEWSARCHIVE_MIN_WORDS": 30})
    crawler.stats.open_spider()
    return crawler


def item(html: str, page_kind: str | None = None) -> ArticleItem:
    return ArticleItem(url="http://127.0.0.9/2024/05/shelling/", source="test", html=html,
                       fetched_at="2024-05-01T10:00:00+00:00", page_kind=page_kind)


def run(crawler, it, stages):
    for stage in stages:
        it = build_from_crawler(stage, crawler).process_item(it)
    return it


def test_a_page_the_spider_left_unclassified_is_classified_and_dropped_if_no_article(crawler):
    with pytest.raises(DropItem, match="listing"):
        run(crawler, item(LISTING), [AnalysePipeline])
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/outcome/not_article"] == 1
    assert stats["newsarchive/reason/listing"] == 1
    assert stats["newsarchive/pages/listing"] == 1


def test_the_stages_take_what_was_made_ahead_and_end_where_they_would_alone(crawler):
    stages = [ExtractPipeline, CleanPipeline, TagPipeline]
    alone = ItemAdapter(run(crawler, item(ARTICLE, "article"), stages))
    ahead = run(crawler, item(ARTICLE), [AnalysePipeline])
    assert ahead.page_kind == "article"
    assert set(ahead.ahead) >= {"extract", "clean", "tag", "fingerprint", "search"}
    together = ItemAdapter(run(crawler, ahead, stages))
    for key in ("title", "text", "authors", "language", "word_count", "dateline", "places",
                "actors", "events", "topic_score"):
        assert together[key] == alone[key], key
    assert {"Idlib", "Maarat al-Numan", "Aleppo"} <= set(together["places"])
    assert set(together["ahead"]) == {"fingerprint", "search", "inputs"}, "each stage took its own"


def test_a_result_made_stale_by_a_stage_in_between_is_not_taken(crawler):
    it = run(crawler, item(ARTICLE), [AnalysePipeline, ExtractPipeline, CleanPipeline])
    adapter = ItemAdapter(it)
    adapter["text"] = adapter["text"] + "\n\nA line another stage added."
    assert take(adapter, "tag") is None
    assert take(adapter, "fingerprint") is None


def test_analyse_stops_early_on_a_short_page():
    result = analyse("<html><body><p>Too short.</p></body></html>", "http://x/", {}, {},
                     frozenset(), classify_page=False, min_words=30)
    assert set(result) == {"extract"} and result["extract"]["words"] < 30


def test_a_page_that_breaks_the_analysis_is_counted_as_the_spider_would(crawler, monkeypatch):
    from newsarchive.pipelines import analyse as analyse_module

    def hostile(*args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(analyse_module, "analyse", hostile)
    # unclassified: what the spider says of a page it cannot parse
    with pytest.raises(DropItem, match="unparseable"):
        run(crawler, item(ARTICLE), [AnalysePipeline])
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/outcome/not_article"] == 1
    assert stats["newsarchive/reason/unparseable"] == 1
    # classified already: the stages compute their own results
    it = run(crawler, item(ARTICLE, "article"), [AnalysePipeline, ExtractPipeline])
    assert it.ahead == {} and "Idlib" in it.text
