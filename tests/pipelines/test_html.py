"""Decoding, parsing and the links of a page (pipelines/html.py)."""

from __future__ import annotations

import codecs

from scrapy.http import HtmlResponse

from newsarchive.pipelines.html import bad_decode, decode_html, page_links, parse

ARABIC = "قال سكان في حلب إن صهاريج المياه وصلت إلى الأحياء الشرقية صباح اليوم. "


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><p>{body}</p></body></html>"


def test_bad_decode_sees_windows_1256_labelled_utf8():
    arabic = (ARABIC * 20).encode("cp1256")
    assert bad_decode(arabic, "utf-8")
    assert not bad_decode(arabic, "cp1256")
    assert not bad_decode("café".encode(), "utf-8")


def test_a_page_labelled_utf8_but_written_in_windows_1256_is_read_right():
    body = page(ARABIC * 20).encode("cp1256")
    text, encoding, notes = decode_html(body, "text/html; charset=utf-8")
    assert "حلب" in text and "\ufffd" not in text
    assert notes == ["charset-mislabelled"]
    assert encoding != "utf-8"


def test_the_label_is_trusted_when_it_decodes_the_page():
    body = page(ARABIC * 5).encode("utf-8")
    text, encoding, notes = decode_html(body, "text/html; charset=utf-8")
    assert "حلب" in text and notes == [] and encoding == "utf-8"


def test_a_meta_charset_counts_when_the_header_says_nothing():
    body = page("Caf\xe9 in Damascus", '<meta charset="windows-1252">').encode("cp1252")
    text, encoding, _ = decode_html(body, "text/html")
    assert "Café" in text and encoding == "cp1252"


def test_the_byte_order_mark_wins_over_the_header():
    body = codecs.BOM_UTF8 + page("Café").encode("utf-8")
    text, encoding, notes = decode_html(body, "text/html; charset=iso-8859-1")
    assert "Café" in text and encoding == "utf-8" and notes == []


def test_an_unlabelled_page_is_decoded_as_scrapy_decodes_it():
    for body in (page("plain ascii").encode(), page(ARABIC * 3).encode("utf-8"),
                 page(ARABIC * 10).encode("cp1256")):
        text, _, _ = decode_html(body, "text/html")
        assert text == HtmlResponse("http://x.example/", body=body,
                                    headers={"Content-Type": "text/html"}).text


def test_a_guessed_encoding_is_noted():
    body = page(ARABIC * 10).encode("cp1256")
    assert decode_html(body, None)[2] == ["charset-guessed"]


def test_links_are_absolute_once_each_without_fragments_and_honour_base():
    html = ('<html><head><base href="http://x.example/news/"></head><body>'
            '<a href="a.html#top">a</a><a href="a.html">again</a><a href="#only">frag</a>'
            '<a href="mailto:x@y">mail</a><a href="/b">b</a><a href="  ">blank</a>'
            '<a href="https://other.example/c">c</a></body></html>')
    assert page_links(parse(html), "http://x.example/index") == [
        "http://x.example/news/a.html", "http://x.example/b", "https://other.example/c"]


def test_parse_gives_none_for_text_that_is_no_page():
    assert parse("") is None
    assert parse("   ") is None
    assert parse(b"\x00\x00") is None
