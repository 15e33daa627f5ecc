"""The capture middleware keeps what came over the wire (crawler/middlewares/capture.py)."""

from __future__ import annotations

import gzip

from scrapy import Request
from scrapy.http import HtmlResponse, Response
from helpers import project_crawler

from newsarchive.crawler.middlewares.capture import CaptureMiddleware, capture_of


def middleware(**settings):
    return CaptureMiddleware.from_crawler(project_crawler("unused.db", **settings))


def test_capture_keeps_raw_body_headers_and_request():
    body = gzip.compress(b"<html><body><p>Raqqa</p></body></html>")
    request = Request("http://127.0.0.2/2016/03/x/", headers={"User-Agent": "na-test",
                                                             "Accept-Encoding": "gzip"})
    response = Response(request.url, status=200, body=body, request=request,
                        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
                        protocol="HTTP/1.1")
    out = middleware().process_response(request, response)
    assert out is response
    capture = request.meta["capture"]
    assert capture["body"] == body, "still content-encoded, as transferred"
    assert ("Content-Encoding", "gzip") in capture["headers"]
    assert capture["status"] == 200 and capture["reason"] == "OK"
    assert capture["protocol"] == "HTTP/1.1"
    assert ("User-Agent", "na-test") in capture["request"]["headers"]
    assert capture["request"]["method"] == "GET"
    assert capture == {**capture_of(request, response), "date": capture["date"]}


def test_redirects_and_errors_carry_no_capture():
    mw = middleware()
    request = Request("http://127.0.0.2/old/", meta={"capture": {"body": b"stale"}})
    moved = HtmlResponse(request.url, status=301, headers={"Location": "/new/"},
                         request=request)
    mw.process_response(request, moved)
    assert "capture" not in request.meta
    request = Request("http://127.0.0.2/gone/")
    mw.process_response(request, HtmlResponse(request.url, status=404, request=request))
    assert "capture" not in request.meta
    request = Request("http://127.0.0.2/cdx", meta={"dont_capture": True})
    mw.process_response(request, HtmlResponse(request.url, status=200, request=request))
    assert "capture" not in request.meta


def test_servers_are_asked_for_encodings_warcio_can_check():
    mw = middleware(NEWSARCHIVE_WARC_ACCEPT_ENCODING="gzip, deflate")
    request = Request("http://127.0.0.2/", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    mw.process_request(request)
    assert request.headers[b"Accept-Encoding"] == b"gzip, deflate"
    plain = Request("http://127.0.0.2/", headers={"Accept-Encoding": "gzip"})
    mw.process_request(plain)
    assert plain.headers[b"Accept-Encoding"] == b"gzip"
