"""Meta-refresh redirects (crawler/middlewares/refresh.py): the same answers as Scrapy's
middleware, without decoding the pages that cannot hold the tag."""

from __future__ import annotations

import itertools

import pytest
from helpers import project_crawler
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler

from newsarchive.crawler.middlewares.refresh import MetaRefreshMiddleware, may_refresh

URL = "https://levant-desk.example/2024/03/02/old-address/"
TARGET = "https://levant-desk.example/2024/03/02/water-trucks-reach-camps/"
FILLER = "<p>Water trucks reached the camps near Atmeh on Saturday, camp managers said.</p>"


def page(tag: str, before: int = 0, arabic: bool = False) -> str:
    """A page with *tag* in its head, or after *before* paragraphs (around and past the
    4,096 characters Scrapy looks at, in one and two bytes a letter)."""
    if not before:
        return f"<html><head><title>Camps</title>{tag}</head><body>{FILLER}</body></html>"
    text = ("<p>وصلت صهاريج المياه إلى المخيمات قرب أطمة يوم السبت.</p>" if arabic
            else FILLER) * before
    return f"<html><head><title>Camps</title></head><body>{text}{tag}{FILLER}</body></html>"


TAGS = [
    "",
    '<meta charset="utf-8">',
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    f'<meta http-equiv="refresh" content="0; url={TARGET}">',
    f'<META HTTP-EQUIV="REFRESH" CONTENT="0;URL={TARGET}">',
    f'<meta http-equiv="&#82;efresh" content="0; url={TARGET}">',
    f'<meta http&#45;equiv="refresh" content="0; url={TARGET}">',  # w3lib reads these too
    f'<meta &#x68;ttp-equiv="refresh" content="0; url={TARGET}">',
    '<p>&#8220;Refresh&#8221; the page, the http-equiv header says</p>',
    f'<meta http-equiv="refresh" content="600; url={TARGET}">',  # too slow to follow
    f'<noscript><meta http-equiv="refresh" content="0; url={TARGET}"></noscript>',
    f'<meta name="refresh" content="0; url={TARGET}">',  # not http-equiv
    '<script>var autoRefresh = true; // http-equiv</script>',
]


def _crawler(tmp_path):
    return project_crawler(tmp_path / "a.db")


def _answer(middleware, body: bytes, encoding: str):
    response = HtmlResponse(URL, body=body, headers={
        "Content-Type": f"text/html; charset={encoding}"} if encoding else {})
    out = middleware.process_response(Request(URL), response)
    return (out.url if isinstance(out, Request) else None), response


def test_the_same_redirects_as_scrapys_middleware(tmp_path):
    crawler = _crawler(tmp_path)
    ours = build_from_crawler(MetaRefreshMiddleware, crawler)
    scrapys = build_from_crawler(ScrapyMetaRefresh, crawler)
    followed = 0
    for tag, before, arabic, encoding in itertools.product(
            TAGS, (0, 30, 60, 250), (False, True), ("utf-8", "windows-1256", "utf-16", "cp500", None)):
        html = page(tag, before, arabic)
        if encoding is None:
            body = html.encode("utf-8")
        else:
            try:
                body = html.encode(encoding)
            except UnicodeEncodeError:
                continue
        expected, _ = _answer(scrapys, body, encoding)
        got, response = _answer(ours, body, encoding)
        assert got == expected, (tag, before, arabic, encoding)
        followed += expected is not None
        if not may_refresh(body, f"text/html; charset={encoding}" if encoding else None):
            assert response._cached_ubody is None  # never decoded
    assert followed >= 20  # the cases that redirect do (small pages and each encoding)


@pytest.mark.parametrize("tag, expected", [
    ("", False), ('<meta charset="utf-8">', False),
    ('<meta http-equiv="Content-Type" content="text/html">', False),
    (f'<meta http-equiv="refresh" content="0; url={TARGET}">', True),
    (f'<meta HTTP-EQUIV="Refresh" content="0; url={TARGET}">', True),
    (f'<meta http-equiv="&#x52;efresh" content="0; url={TARGET}">', True),
    (f'<meta http-e&#113;uiv="refresh" content="0; url={TARGET}">', True),
    ('<title>Idlib &#8211; camps</title><meta http-equiv="X-UA-Compatible">', False),
])
def test_only_pages_whose_first_bytes_could_hold_the_tag_are_decoded(tag, expected):
    assert may_refresh(page(tag).encode("utf-8")) is expected
    assert may_refresh(page(tag).encode("utf-16")) is True  # NUL bytes: letters not bytes
    # EBCDIC, declared: letters are not their ASCII bytes, always asked about
    assert may_refresh(page(tag).encode("cp500"), "text/html; charset=cp500") is True


def test_the_project_uses_this_middleware_in_place_of_scrapys(tmp_path):
    middlewares = _crawler(tmp_path).settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert middlewares["newsarchive.crawler.middlewares.refresh.MetaRefreshMiddleware"] == 580
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
