"""Back-fill from the Wayback Machine: CDX paging, raw captures, original URLs and times
(crawler/spiders/wayback.py against the fake web's ``wayback`` profile)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import FAST, ROOT, rows, run_cli

from newsarchive.archive import warc, warcfiles
from newsarchive.crawler.fakeweb.profiles.wayback import WaybackSite
from newsarchive.crawler.exceptions import SourcesError
from newsarchive.crawler.sources import load_sources, parse_source, rewrite_url
from newsarchive.crawler.spiders.wayback import capture_time, parse_cdx

SOURCES = """
[[source]]
name = "aranews-en"
title = "ARA News (archived)"
language = "en"
hosts = ["aranews.net"]
allow = ['^https?://(www[.])?aranews[.]net/[0-9]{4}/[0-9]{2}/[^/]+/?$']
wayback = { url = "aranews.net", match = "domain", from = "2012", to = "2019", rewrite = [['^/files/', '/']], limit = 3 }
"""


def test_parse_cdx_page_with_resume_key():
    text = '[["timestamp","original"],["20160302101500","http://aranews.net/a/"],[],["3"]]'
    assert parse_cdx(text) == ([{"timestamp": "20160302101500",
                                 "original": "http://aranews.net/a/"}], "3")
    assert parse_cdx('[["timestamp","original"],["2016","http://x/"]]')[1] is None
    assert parse_cdx("[]") == ([], None)


def test_capture_time_and_rewrite():
    assert capture_time("20160302101500") == "2016-03-02T10:15:00+00:00"
    assert capture_time("201603") == "2016-03-01T00:00:00+00:00"
    rules = [("^/files/", "/")]
    assert rewrite_url("http://aranews.net/files/2016/03/x/", rules) == \
        "http://aranews.net/2016/03/x/"
    assert rewrite_url("http://aranews.net/2016/03/files/", rules) == \
        "http://aranews.net/2016/03/files/"


@pytest.mark.parametrize("table, message", [
    ({"match": "domain"}, "'url'"),
    ({"url": "aranews.net", "match": "everything"}, "'match'"),
    ({"url": "aranews.net", "from": "16"}, "'from'"),
    ({"url": "aranews.net", "rewrite": [["^/files/"]]}, "'rewrite'"),
    ({"url": "aranews.net", "rewrite": [["(", "/"]]}, "bad wayback rewrite"),
    ({"url": "aranews.net", "limit": 0}, "'limit'"),
    ({"url": "aranews.net", "collapse": "digest"}, "unknown wayback key"),
])
def test_bad_wayback_tables_are_refused(table, message):
    with pytest.raises(SourcesError, match=message):
        parse_source({"name": "ara", "wayback": table})


def test_default_sources_back_fill_ara_news():
    (ara,) = [s for s in load_sources(ROOT / "sources.toml") if s.wayback]
    assert ara.name == "aranews-en" and ara.wayback["url"] == "aranews.net"
    assert not (ara.feeds or ara.sitemaps or ara.start_urls)
    folded = rewrite_url("https://aranews.net/files/2016/05/some-story/", ara.wayback["rewrite"])
    assert folded == "https://aranews.net/2016/05/some-story/" and ara.allows(folded)


def test_backfill_archives_captures_under_original_urls(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    db = tmp_path / "news.db"
    with WaybackSite() as wb:
        args = ["backfill", "--sources", sources, "--db", db,
                "-s", f"NEWSARCHIVE_WAYBACK_CDX={wb.base}/cdx/search/cdx",
                "-s", f"NEWSARCHIVE_WAYBACK_BASE={wb.base}/web/"]
        for setting in FAST:
            args += ["-s", setting]
        result = run_cli(*args, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        first_requests = list(wb.requests)
        again = run_cli(*args, timeout=120)
        assert again.returncode == 0, again.stderr[-3000:]
        second_requests = wb.requests[len(first_requests):]
    # the CDX API was asked properly and its resume key followed to the second page
    cdx = [parse_qs(urlsplit(p).query) for p in first_requests if p.startswith("/cdx/")]
    assert len(cdx) == 2
    assert cdx[0]["matchType"] == ["domain"] and cdx[0]["url"] == ["aranews.net"]
    assert cdx[0]["from"] == ["2012"] and cdx[0]["to"] == ["2019"]
    assert "statuscode:200" in cdx[0]["filter"] and cdx[0]["collapse"] == ["urlkey"]
    assert cdx[0]["showResumeKey"] == ["true"] and cdx[0]["limit"] == ["3"]
    assert "resumeKey" not in cdx[0] and cdx[1]["resumeKey"] == ["3"]
    # captures fetched raw (id_), each article once: the /files/ alias is folded
    pages = [p for p in first_requests if p.startswith("/web/")]
    assert pages and all("id_/" in p for p in pages)
    assert sum("water-returns" in p for p in pages) == 1
    assert not any("category" in p or "2020" in p for p in pages)
    articles = rows(db, "select * from articles order by url")
    assert [(a["source"], a["url"], a["fetched_at"]) for a in articles] == [
        ("aranews-en", "http://aranews.net/2016/03/kobane-schools-reopen/",
         "2016-03-08T15:00:00+00:00"),
        ("aranews-en", "http://aranews.net/2016/03/water-returns-to-eastern-qamishli/",
         "2016-03-02T10:15:00+00:00"),
    ]
    assert all("WAYBACK" not in a["text"] for a in articles)
    assert "Alouk station" in articles[1]["text"]
    # the WARC record carries the original URL and the capture time
    for article in articles:
        capture = warc.read_capture(warcfiles.resolve(db, article["warc_file"]),
                                    article["warc_offset"])
        assert capture["url"] == article["url"]
        assert capture["date"] == warc.warc_date(article["fetched_at"])
        assert capture["metadata"]["via"].startswith(f"{wb.base}/web/")
    # a second back-fill lists the captures again but fetches none already archived
    assert [p for p in second_requests if p.startswith("/web/")] == []
    assert len(rows(db, "select id from articles")) == 2
    (run,) = rows(db, "select * from crawl_runs where id = 1")
    assert run["stored"] == 2


def test_news_crawl_skips_sources_that_only_back_fill(tmp_path):
    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.spiders.news import NewsSpider

    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES + '\n[[source]]\nname = "live"\nfeeds = ["https://example.org/'
                       'feed"]\n', encoding="utf-8")
    crawler = get_crawler(NewsSpider, {"NEWSARCHIVE_SOURCES": str(sources)})
    spider = NewsSpider.from_crawler(crawler, sources=str(sources))
    assert list(spider.sources) == ["live"]


def test_the_spider_declares_the_archive_hosts(tmp_path):
    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.run import project_settings
    from newsarchive.crawler.spiders.wayback import WaybackSpider

    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    settings = {k: v for k, v in project_settings().copy_to_dict().items()
                if k.startswith("NEWSARCHIVE_")}
    crawler = get_crawler(WaybackSpider, settings)
    spider = WaybackSpider.from_crawler(crawler, sources=str(sources))
    source = spider.sources["aranews-en"]
    assert "web.archive.org" in source.all_hosts
    assert source.owns("https://web.archive.org/web/2016id_/http://aranews.net/")
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 3.0
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert Path(spider.sources_path) == sources


def test_from_and_to_arguments_override_the_source(tmp_path):
    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.run import project_settings
    from newsarchive.crawler.spiders.wayback import WaybackSpider

    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    settings = {k: v for k, v in project_settings().copy_to_dict().items()
                if k.startswith("NEWSARCHIVE_")}
    settings["NEWSARCHIVE_DB"] = str(tmp_path / "news.db")  # asked what is archived
    crawler = get_crawler(WaybackSpider, settings)
    spider = WaybackSpider.from_crawler(crawler, sources=str(sources), from_="20160301",
                                        to="20160331")
    request = spider.cdx_request(spider.sources["aranews-en"], resume_key="abc")
    query = parse_qs(urlsplit(request.url).query)
    assert request.url.startswith("https://web.archive.org/cdx/search/cdx?")
    assert query["from"] == ["20160301"] and query["to"] == ["20160331"]
    assert query["resumeKey"] == ["abc"] and query["output"] == ["json"]
    assert request.meta["dont_capture"]
    row = {"timestamp": "20160310000000",
           "original": "http://www.aranews.net/files/2016/03/a-story/"}
    capture = spider.capture_request(spider.sources["aranews-en"], row)
    assert capture.url == ("https://web.archive.org/web/20160310000000id_/"
                           "http://www.aranews.net/files/2016/03/a-story/")
    assert capture.meta["original"] == "http://www.aranews.net/2016/03/a-story/"
    assert capture.meta["captured"] == "2016-03-10T00:00:00+00:00"
    assert spider.capture_request(spider.sources["aranews-en"], row) is None, "once per run"


class UntrustedCdx(WaybackSite):
    """A CDX listing that lists what it should not: rows for other hosts, a look-alike
    host, loopback and private addresses, and a garbage timestamp before good rows."""

    ROWS = [
        ["2016XX02101500", "http://aranews.net/2016/03/garbage-time/"],
        ["20160309160000", "http://other-outlet.example/2016/03/unrelated/"],
        ["20160309160000", "http://aranews.net.evil.example/2016/03/look-alike/"],
        ["20160309160000", "http://127.0.0.1/2016/03/admin/"],
        ["20160309160000", "http://[::1]:8080/2016/03/admin/"],
        ["20160309160000", "http://10.1.2.3/2016/03/intranet/"],
        ["20160302101500", "http://aranews.net/2016/03/water-returns-to-eastern-qamishli/"],
        "not a row",
        ["20160308150000", "http://www.aranews.net/files/2016/03/kobane-schools-reopen/"],
    ]

    def cdx(self, query):
        import json

        fields = ["timestamp", "original", "mimetype", "statuscode", "digest"]
        rows = [r if isinstance(r, str) else [*r, "text/html", "200", "D1"]
                for r in self.ROWS]
        return json.dumps([fields, *rows]).encode()


def test_backfill_trusts_only_rows_of_the_source_and_skips_bad_ones(tmp_path):
    import json

    from newsarchive.crawler.fakeweb.profiles.wayback import KOBANE, QAMISHLI

    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "aranews-en"\nlanguage = "en"\n'
                       'hosts = ["aranews.net"]\nwayback = { url = "aranews.net" }\n',
                       encoding="utf-8")
    db = tmp_path / "news.db"
    captures = [(r[0], r[1], 200, "text/html", KOBANE if "kobane" in r[1] else QAMISHLI)
                for r in UntrustedCdx.ROWS if not isinstance(r, str)]
    with UntrustedCdx(captures=captures) as wb:
        args = ["backfill", "--sources", sources, "--db", db,
                "-s", f"NEWSARCHIVE_WAYBACK_CDX={wb.base}/cdx/search/cdx",
                "-s", f"NEWSARCHIVE_WAYBACK_BASE={wb.base}/web/"]
        for setting in FAST:
            args += ["-s", setting]
        result = run_cli(*args, timeout=120)
        fetched = [p for p in wb.requests if p.startswith("/web/")]
    stored = sorted(r["url"] for r in rows(db, "select url from articles"))
    assert stored == ["http://aranews.net/2016/03/water-returns-to-eastern-qamishli/",
                      "http://www.aranews.net/files/2016/03/kobane-schools-reopen/"], \
        result.stderr[-3000:]
    assert len(fetched) == 2, fetched
    (run,) = rows(db, "select * from crawl_runs")
    reasons = json.loads(run["reasons"])
    assert reasons.get("wayback-offsite") == 2, reasons
    assert reasons.get("private-address") == 3, reasons
    assert reasons.get("bad-cdx-row") == 2, reasons
    # rows of the listing were lost: the run does not say ok
    assert run["status"] == "degraded" and result.returncode == 4, run["message"]
