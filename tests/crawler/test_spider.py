import scrapy
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from newsarchive.crawler.items import ArticleItem
from newsarchive.crawler.spiders.news import NewsSpider

SOURCES = """
[[source]]
name = "alpha"
title = "Alpha"
feeds = ["http://127.0.0.9:8001/feed.xml"]
start_urls = ["http://127.0.0.9:8001/"]
deny = ["/tag/"]
follow_depth = 1

[[source]]
name = "beta"
title = "Beta"
sitemaps = ["http://127.0.0.10:8002/sitemap.xml"]
"""

PARA = ("Government forces shelled villages in the countryside on Tuesday, monitors said, "
        "as families fled north towards the border crossing in search of shelter. ")
ARTICLE = ("<html><head><title>t</title></head><body><article><h1>Story</h1>"
           + f"<p>{PARA}</p>" * 5 + "</article></body></html>")


def make_spider(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES)
    crawler = get_crawler(NewsSpider, {"NEWSARCHIVE_SOURCES": str(path)})
    crawler.spider = NewsSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    return crawler.spider


def response(cls, url, body, **meta):
    return cls(url=url, body=body, encoding="utf-8",
               request=Request(url, meta=meta))


async def collect(agen):
    return [r async for r in agen]


def test_start_requests_cover_feeds_sitemaps_and_start_pages(tmp_path):
    import asyncio

    spider = make_spider(tmp_path)
    requests = asyncio.run(collect(spider.start()))
    assert {(r.url, r.meta["source"], r.meta["kind"]) for r in requests} == {
        ("http://127.0.0.9:8001/feed.xml", "alpha", "feed"),
        ("http://127.0.0.9:8001/", "alpha", "start"),
        ("http://127.0.0.10:8002/sitemap.xml", "beta", "sitemap"),
    }


def test_feed_entries_become_candidates_of_the_same_source(tmp_path):
    spider = make_spider(tmp_path)
    body = (b"<rss><channel><item><title>One</title><link>http://127.0.0.9:8001/a</link>"
            b"<pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate></item>"
            b"<item><link>http://elsewhere.example/b</link></item>"
            b"<item><link>http://127.0.0.9:8001/tag/x</link></item></channel></rss>")
    out = list(spider.parse_feed(response(XmlResponse, "http://127.0.0.9:8001/feed.xml", body,
                                          source="alpha")))
    assert [r.url for r in out] == ["http://127.0.0.9:8001/a"]
    assert out[0].meta["source"] == "alpha"
    assert out[0].meta["hints"] == {"title": "One", "published": "2024-05-14T09:30:00+00:00",
                                    "published_source": "feed", "language": None}


def test_sitemap_index_is_followed(tmp_path):
    spider = make_spider(tmp_path)
    body = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
            b"<loc>http://127.0.0.10:8002/s1.xml</loc></sitemap><sitemap>"
            b"<loc>http://evil.example/s2.xml</loc></sitemap></sitemapindex>")
    out = list(spider.parse_sitemap(response(XmlResponse, "http://127.0.0.10:8002/sitemap.xml",
                                             body, source="beta")))
    assert [(r.url, r.callback.__name__) for r in out] == [
        ("http://127.0.0.10:8002/s1.xml", "parse_sitemap")]


def test_article_page_yields_item(tmp_path):
    spider = make_spider(tmp_path)
    out = list(spider.parse_page(response(HtmlResponse, "http://127.0.0.9:8001/a",
                                          ARTICLE.encode(), source="alpha", hops=1,
                                          hints={"title": "One"})))
    assert len(out) == 1 and isinstance(out[0], ArticleItem)
    assert out[0].source == "alpha" and out[0].hints == {"title": "One"}
    assert out[0].body.startswith(b"<html>") and out[0].page is None
    assert out[0].hops == 1 and not out[0].follow  # at alpha's follow_depth


def test_listing_page_follows_own_links_once_within_depth(tmp_path):
    from newsarchive.pipelines.page import process_page

    spider = make_spider(tmp_path)
    links = "".join(f"<h2><a href='/story-{i}'>Headline {i}</a></h2>" for i in range(6))
    links += ("<a href='http://elsewhere.example/x'>off</a><a href='/tag/syria'>tag</a>"
              "<a href='/story-1#comments'>again</a><a href='/photo.jpg'>img</a>"
              "<a href='/wp-login.php'>login</a>")
    page = f"<html><body>{links}</body></html>".encode()
    (item,) = spider.parse_page(response(HtmlResponse, "http://127.0.0.9:8001/", page,
                                         source="alpha", hops=0))
    assert item.follow  # a start page: its links may be followed
    processed = process_page(item.body, item.url, links=item.follow)
    assert processed.kind == "listing"
    out = list(spider.follow(item, processed.links))
    assert [r.url for r in out] == [f"http://127.0.0.9:8001/story-{i}" for i in range(6)]
    assert all(r.meta["hops"] == 1 and r.meta["source"] == "alpha" for r in out)
    assert all(r.headers[b"Referer"] == b"http://127.0.0.9:8001/" for r in out)
    # at the depth limit a listing is not followed further
    (deeper,) = spider.parse_page(response(HtmlResponse, "http://127.0.0.9:8001/p2", page,
                                           source="alpha", hops=1))
    assert not deeper.follow and list(spider.follow(deeper, processed.links)) == []


def test_non_html_is_counted_not_archived(tmp_path):
    spider = make_spider(tmp_path)
    resp = scrapy.http.Response(url="http://127.0.0.9:8001/f.pdf", body=b"%PDF-1.4",
                                request=Request("http://127.0.0.9:8001/f.pdf",
                                                meta={"source": "alpha"}))
    assert list(spider.parse_page(resp)) == []
    stats = spider.crawler.stats
    assert stats.get_value("newsarchive/reason/not-html") == 1
    assert stats.get_value("newsarchive/source/alpha/not_article") == 1
