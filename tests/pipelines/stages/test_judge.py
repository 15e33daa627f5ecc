"""The judge stage says what a page is; the store stage keeps the articles, and records and
counts everything else by what it is (pipelines/stages/judge.py, store.py)."""

from __future__ import annotations

import pytest
from helpers import article_item, project_crawler, run_stages
from scrapy.exceptions import DropItem

from newsarchive.archive import boilerplate, runs, store
from newsarchive.crawler.context import archive_of, learned_lines
from newsarchive.crawler.items import ArticleItem
from newsarchive.pipelines.page import Page
from newsarchive.pipelines.phrases import line_key
from newsarchive.pipelines.stages.judge import JudgePipeline
from newsarchive.pipelines.stages.process import ProcessPipeline
from newsarchive.pipelines.stages.store import StorePipeline

SYRIA = ("Shelling hit the southern edge of Idlib city on Tuesday morning, local rescuers said, "
         "and two families left their homes for camps near the Turkish border. The civil defence "
         "teams counted damage to a bakery and a school in Maarat al-Numan, and said that water "
         "supplies to three neighbourhoods of Aleppo had been cut since the weekend by artillery.")
FOOTBALL = ("The national team won its qualifier on Sunday evening with two late goals from the "
            "substitutes, the coach said after the match, praising the fans who travelled to the "
            "stadium. The side now needs a draw in the last game to reach the finals next summer, "
            "a first for the federation in more than twenty years of trying.")


@pytest.fixture
def crawler(tmp_path):
    crawler = project_crawler(tmp_path / "a.db", NEWSARCHIVE_MIN_WORDS=20)
    archive_of(crawler).run_id = runs.start_run(archive_of(crawler).db)
    return crawler


def judge(crawler, item):
    return run_stages(crawler, item, JudgePipeline, StorePipeline)


def page_rows(crawler):
    return list(archive_of(crawler).db.query("select * from pages"))


def test_an_article_on_topic_is_stored_and_its_page_recorded(crawler):
    it = article_item("https://x.example/1", SYRIA)
    assert judge(crawler, it) is it and it.verdict["outcome"] == "article" and it.id
    (row,) = page_rows(crawler)
    assert (row["outcome"], row["article_id"]) == ("stored", it.id)


def test_what_is_not_an_article_is_dropped_with_what_it_is(crawler):
    it = ArticleItem(url="https://x.example/live", source="x", fetched_at="2024-01-01T00:00:00Z",
                     page=Page(url="https://x.example/live", kind="liveblog"))
    with pytest.raises(DropItem, match="liveblog"):
        judge(crawler, it)
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/outcome/not_article"] == 1
    assert stats["newsarchive/reason/liveblog"] == 1
    assert stats["newsarchive/source/x/not_article"] == 1
    (row,) = page_rows(crawler)
    assert (row["outcome"], row["reason"]) == ("not_article", "liveblog")
    # not fetched again by a later run
    assert store.seen_outcome(archive_of(crawler).db, "https://x.example/live") == "not-article"


def test_a_listing_whose_links_were_followed_is_not_counted(crawler):
    it = ArticleItem(url="https://x.example/", source="x", fetched_at="2024-01-01T00:00:00Z",
                     follow=True, page=Page(url="https://x.example/", kind="listing"))
    with pytest.raises(DropItem, match="links followed"):
        judge(crawler, it)
    assert crawler.stats.get_value("newsarchive/outcome/not_article") is None
    # recorded, and fetched again by the next run: it leads to new articles
    assert page_rows(crawler)[0]["reason"] == "listing"
    assert store.seen_outcome(archive_of(crawler).db, "https://x.example/") is None


def test_a_page_that_could_not_be_processed_is_recorded_failed_and_tried_again(crawler):
    it = ArticleItem(url="https://x.example/bad", source="x", fetched_at="2024-01-01T00:00:00Z",
                     failure="too-slow", failure_detail="used its 20 s of CPU")
    with pytest.raises(DropItem, match="too-slow"):
        judge(crawler, it)
    assert crawler.stats.get_value("newsarchive/outcome/failed") == 1
    assert page_rows(crawler)[0]["reason"] == "too-slow"
    assert store.seen_outcome(archive_of(crawler).db, "https://x.example/bad") is None


def test_a_brief_is_an_article_a_short_page_without_its_parts_is_not(crawler):
    brief = "Shelling hit Sarmin in the Idlib countryside on Tuesday, rescuers said, and two " \
            "people were wounded by artillery; the civil defence said roads were closed."
    short = article_item("https://x.example/short", brief, title="Shelling hits Sarmin")
    story = article_item("https://x.example/brief", brief, title="Shelling hits Sarmin")
    story.page.story = True
    crawler = project_crawler(archive_of(crawler).path, NEWSARCHIVE_MIN_WORDS=80)
    archive_of(crawler).run_id = runs.start_run(archive_of(crawler).db)
    with pytest.raises(DropItem, match="not-article"):
        judge(crawler, short)
    assert judge(crawler, story).id


def test_too_few_words_is_not_an_article(crawler):
    it = article_item("https://x.example/short", "Only a few words here.")
    with pytest.raises(DropItem, match="not-article"):
        judge(crawler, it)
    assert crawler.stats.get_value("newsarchive/reason/not-article") == 1


def test_off_topic_is_remembered_so_it_is_not_fetched_again(crawler):
    it = article_item("https://x.example/football?utm_source=rss", FOOTBALL)
    with pytest.raises(DropItem, match="off-topic"):
        judge(crawler, it)
    db = archive_of(crawler).db
    assert store.seen_outcome(db, "https://x.example/football") == "off-topic"
    assert page_rows(crawler)[0]["outcome"] == "off_topic"
    assert crawler.stats.get_value("newsarchive/source/test/off_topic") == 1
    # its lines still count towards the source's boilerplate: off-topic pages are pages too
    assert boilerplate.articles_seen(db, "test") == 1


def test_the_threshold_is_the_setting(tmp_path):
    crawler = project_crawler(tmp_path / "a.db", NEWSARCHIVE_TOPIC_THRESHOLD=1.1)
    archive_of(crawler).run_id = runs.start_run(archive_of(crawler).db)
    with pytest.raises(DropItem, match="off-topic"):
        judge(crawler, article_item("https://x.example/1", SYRIA * 3))


def test_repeated_lines_are_learned_and_then_dropped_by_the_page_function(tmp_path):
    crawler = project_crawler(tmp_path / "a.db", NEWSARCHIVE_LEARN_MIN_ARTICLES=4,
                              NEWSARCHIVE_LEARN_SHARE=0.5, NEWSARCHIVE_LEARN_REFRESH=2,
                              NEWSARCHIVE_MIN_WORDS=20,
                              NEWSARCHIVE_SOURCES=str(tmp_path / "none.toml"))
    archive_of(crawler).run_id = runs.start_run(archive_of(crawler).db)
    promo = "Support independent journalism from Syria with a monthly donation."
    texts = []
    for i in range(10):
        story = (f"Story number {i} reports on conditions in the camps near the border of Idlib, "
                 f"where families described shortages of fuel, bread and medicine after "
                 f"shelling. Aid workers in Atmeh said convoys were late again this week.")
        html = (f"<html><head><title>Report {i} from the camps</title><meta property="
                f"'article:published_time' content='2024-01-0{i % 9 + 1}'></head><body><article>"
                f"<h1>Report {i} from the camps</h1><p>{story}</p><p>{story}</p><p>{promo}</p>"
                f"<p>By Rana Jaber</p></article></body></html>")
        it = ArticleItem(url=f"https://example.org/{i}", source="levant-desk",
                         body=html.encode(), fetched_at="2024-01-01T00:00:00Z")
        out = run_stages(crawler, it, ProcessPipeline, JudgePipeline)
        texts.append(out.page.text)
        assert out.page.authors == ["Rana Jaber"]
    assert all(promo in t for t in texts[:4])  # nothing learned before 4 articles
    assert all(promo not in t for t in texts[6:])  # learned, refreshed every 2 items
    db = archive_of(crawler).db
    assert boilerplate.articles_seen(db, "levant-desk") == 10
    top = boilerplate.top_lines(db, "levant-desk", 1)[0]
    assert top["line_key"] == line_key(promo) and top["example"] == promo
    # another source with the same line is unaffected
    assert line_key(promo) not in learned_lines(crawler).get("other")
