"""The page function: one pure path from a page's bytes to everything the archive keeps."""

from __future__ import annotations

import json
import pickle
import re

from newsarchive.pipelines.page import Page, process_page

PARAGRAPHS = [
    "Shelling hit the southern edge of Idlib city on Tuesday morning, local rescuers said, "
    "and two families left their homes for camps near the Turkish border.",
    "The civil defence teams counted damage to a bakery and a school, and said that water "
    "supplies to three neighbourhoods had been cut since the weekend.",
    "Residents of Maarat al-Numan described a night of artillery fire. Aid groups in "
    "Aleppo said they were preparing blankets and food for those who fled.",
]
URL = "http://127.0.0.9/2024/05/shelling/"
ARTICLE = ("<html><head><title>Shelling hits southern Idlib</title>"
           '<meta property="og:type" content="article"></head><body><nav><a href="/">Home</a>'
           '</nav><article><h1>Shelling hits southern Idlib</h1>'
           + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
           + "</article><footer>Share this article</footer></body></html>")
LISTING = ("<html><head><title>Syria news</title></head><body>" + "".join(
    f"<h2><a href='/story-{i}'>Headline number {i} about the north</a></h2>"
    f"<p>A teaser for story {i} about the water supply in the north of the country.</p>"
    for i in range(12)) + "</body></html>")


def test_an_article_goes_the_whole_way():
    page = process_page(ARTICLE.encode("utf-8"), URL, content_type="text/html; charset=utf-8")
    assert page.kind == "article" and page.reached == "complete"
    assert page.title == "Shelling hits southern Idlib"
    assert page.text.split("\n\n") == PARAGRAPHS
    assert {"Idlib", "Maarat al-Numan", "Aleppo"} <= set(page.places)
    assert page.topic_score >= 0.3 and page.events == ["shelling/artillery/missile attack"]
    assert page.canonical_url == URL.rstrip("/") and page.content_hash and page.bands
    assert page.search[0] == page.title and page.line_keys
    assert page.word_count == sum(len(re.findall(r"\w+", p)) for p in PARAGRAPHS)


def test_bytes_and_text_give_the_same_page():
    assert process_page(ARTICLE.encode(), URL).as_dict() == {
        **process_page(ARTICLE, URL).as_dict(), "encoding": process_page(ARTICLE.encode(), URL).encoding}


def test_a_listing_stops_after_classifying_and_gives_its_links_when_asked():
    page = process_page(LISTING, "http://127.0.0.9/syria/", links=True)
    assert page.kind == "listing" and page.text == "" and page.reached == "classified"
    assert page.links[:2] == ["http://127.0.0.9/story-0", "http://127.0.0.9/story-1"]
    assert process_page(LISTING, "http://127.0.0.9/syria/").links == []


def test_a_page_with_too_few_words_stops_early_unless_it_is_a_story():
    story = process_page(ARTICLE, URL, min_words=500)
    assert story.story and story.reached == "complete"  # its parts make it an article
    plain = ARTICLE.replace("<title>Shelling hits southern Idlib</title>", "<title>News</title>")
    plain = plain.replace('<meta property="og:type" content="article">', "").replace(
        "</article>", f"<p>{PARAGRAPHS[1]} Families were told to wait.</p></article>")
    page = process_page(plain, URL, min_words=500)
    assert not page.story and page.kind == "article"
    assert page.reached == "extracted" and page.places == [] and page.content_hash is None
    assert page.body_words < 500


def test_nothing_to_parse_is_an_empty_page():
    for body in (b"", b"   ", b"\x00\x00", "plain text, not a page"):
        assert process_page(body, URL).kind == "empty"


def test_lone_surrogates_in_json_ld_never_reach_the_page():
    ld = json.dumps({"@type": "NewsArticle", "headline": "Shelling hits \ud800 southern Idlib",
                     "author": {"@type": "Person", "name": "Rana \udfff Jaber"}})
    html = ARTICLE.replace("</title>", f'</title><script type="application/ld+json">{ld}</script>')
    page = process_page(html.replace("<title>Shelling hits southern Idlib", "<title>"), URL)
    for value in (page.title, *page.authors, page.text):
        value.encode("utf-8")  # would raise on a lone surrogate


def test_a_page_is_plain_data_that_survives_pickle_and_json():
    page = process_page(ARTICLE, URL)
    assert pickle.loads(pickle.dumps(page)) == page
    from newsarchive.crawler.redis import serialize

    assert Page.from_dict(serialize.loads(serialize.dumps(page.as_dict()))) == page


def test_the_source_options_and_learned_lines_apply():
    promo = "Support independent journalism from Syria with a monthly donation."
    html = ARTICLE.replace("</article>", f"<p>{promo}</p><div class='promo-x'>Buy our mugs today "
                                         "for your kitchen at home.</div></article>")
    plain = process_page(html, URL)
    assert promo in plain.text
    from newsarchive.pipelines.phrases import line_key

    learned = process_page(html, URL, learned=frozenset({line_key(promo)}),
                           options={"drop_selectors": [".promo-x"]})
    assert promo not in learned.text and "mugs" not in learned.text


def test_a_back_filled_page_folds_its_canonical_link_with_the_rewrite_rules():
    html = ARTICLE.replace("</title>", '</title><link rel="canonical" '
                                       'href="http://127.0.0.9/files/2024/05/shelling/">')
    page = process_page(html, URL, options={"rewrite": [["^/files/", "/"]]})
    assert page.canonical_url == URL.rstrip("/")
