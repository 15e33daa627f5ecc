"""The process stage: one page-function call per page, the Page put on the item."""

from __future__ import annotations

import pytest
from helpers import project_crawler, run_stages
from scrapy.exceptions import DropItem

from newsarchive.archive import runs
from newsarchive.crawler.context import archive_of
from newsarchive.crawler.items import ArticleItem
from newsarchive.pipelines.stages.judge import JudgePipeline
from newsarchive.pipelines.stages.process import ProcessPipeline
from newsarchive.pipelines.stages.store import StorePipeline

URL = "https://levant-desk.example/2024/03/02/water-trucks-reach-camps/"
TEXT = ("Water trucks reached several displacement camps near the town of Atmeh on Saturday "
        "for the first time in two weeks, camp managers said, after a dispute over fuel "
        "prices halted deliveries across the border area of Idlib. ")
MORE = ("Families in the camps had been rationing what little water they had left, and some "
        "had started buying from private sellers at three times the usual price, according to "
        "residents who spoke by phone from the camps on Sunday evening.")
PAGE = ("<html><head><meta charset='utf-8'><title>Water trucks reach camps</title></head><body>"
        "<article><h1>Water trucks reach camps</h1>{body}</article></body></html>")


def item(html: str, **fields) -> ArticleItem:
    return ArticleItem(url=URL, source="levant-desk", body=html.encode("utf-8"),
                       content_type="text/html; charset=utf-8",
                       fetched_at="2024-03-02T12:00:00Z", **fields)


def page(*paragraphs: str) -> str:
    return PAGE.format(body="".join(f"<p>{p}</p>" for p in paragraphs))


@pytest.fixture
def crawler(tmp_path):
    return project_crawler(tmp_path / "a.db", NEWSARCHIVE_SOURCES=str(tmp_path / "none.toml"),
                           NEWSARCHIVE_MIN_WORDS=20)


def test_the_page_is_put_on_the_item_and_the_bytes_let_go(crawler):
    out = run_stages(crawler, item(page(TEXT, MORE)), ProcessPipeline)
    assert out.page.kind == "article" and out.page.title == "Water trucks reach camps"
    assert "Water trucks reached" in out.page.text and "Atmeh" in out.page.places
    assert out.body == b""
    assert crawler.stats.get_value("newsarchive/pages/article") == 1


def test_a_page_the_function_cannot_read_is_kept_as_a_failure_to_record(crawler, monkeypatch):
    from newsarchive.crawler import tasks

    def hostile(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(tasks, "process", hostile)
    out = run_stages(crawler, item(page(TEXT)), ProcessPipeline)
    # not dropped here: captured and recorded as failed by the later stages
    assert out.page is None and out.failure == "unparseable" and "RecursionError" in out.failure_detail
    archive_of(crawler).run_id = runs.start_run(archive_of(crawler).db)
    with pytest.raises(DropItem, match="unparseable"):
        run_stages(crawler, out, JudgePipeline, StorePipeline)
    assert crawler.stats.get_value("newsarchive/outcome/failed") == 1
    assert crawler.stats.get_value("newsarchive/reason/unparseable") == 1


def test_the_sources_file_options_apply(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "levant-desk"\nfeeds = ["https://levant-desk.example/feed/"]\n'
                       'drop_selectors = [".lvd-donate"]\n', encoding="utf-8")
    crawler = project_crawler(tmp_path / "a.db", NEWSARCHIVE_SOURCES=str(sources))
    html = page(TEXT, MORE).replace("</article>", '<div class="lvd-donate">Support our '
                                                  'reporting from Idlib today.</div></article>')
    assert "Support our reporting" not in run_stages(crawler, item(html), ProcessPipeline).page.text


def test_the_spiders_own_sources_win_over_the_file(crawler):
    from scrapy import Spider

    from newsarchive.crawler.sources import parse_source

    spider = Spider(name="news")
    spider.sources = {"levant-desk": parse_source({
        "name": "levant-desk", "feeds": ["https://levant-desk.example/feed/"],
        "drop_lines": ["^Support our reporting"]})}
    crawler.spider = spider
    html = page(TEXT, MORE, "Support our reporting from Idlib today.")
    assert "Support our reporting" not in run_stages(crawler, item(html), ProcessPipeline).page.text


def test_a_mislabelled_charset_is_read_right_and_counted(crawler):
    arabic = "قال سكان في مدينة إدلب إن صهاريج المياه وصلت إلى المخيمات صباح اليوم بعد انقطاع طويل. "
    html = PAGE.format(body=f"<p>{arabic * 5}</p><p>{arabic * 4}</p>")
    it = ArticleItem(url=URL, source="levant-desk", body=html.encode("cp1256"),
                     content_type="text/html; charset=utf-8", fetched_at="2024-03-02T12:00:00Z")
    out = run_stages(crawler, it, ProcessPipeline)
    assert "إدلب" in out.page.text and "\ufffd" not in out.page.text
    assert crawler.stats.get_value("newsarchive/reason/charset-mislabelled") == 1
