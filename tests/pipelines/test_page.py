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


STRIKE = ("<html><head><title>Drone strike kills four in Ariha</title>"
          '<meta property="og:type" content="article">'
          '<meta property="article:published_time" content="2024-03-14T09:00:00+00:00">'
          "</head><body><article><h1>Drone strike kills four in Ariha</h1>"
          "<p>A drone strike hit a market in the town of Ariha in southern Idlib on Tuesday, "
          "killing four civilians and wounding nine, local rescuers said.</p>"
          "<p>Residents said the market had been crowded with shoppers buying bread and "
          "vegetables before the evening, and that ambulances took the wounded to hospitals "
          "in Idlib city.</p></article></body></html>")


def test_an_article_reporting_casualties_has_its_incidents_with_their_evidence():
    page = process_page(STRIKE, "http://127.0.0.9/2024/03/ariha/")
    assert page.reached == "complete" and page.published.startswith("2024-03-14")
    (incident,) = page.incidents
    assert (incident["killed"], incident["wounded"], incident["place"]) == (4, 9, "Ariha")
    assert incident["date"] == "2024-03-12"  # "on Tuesday", from the chosen publication date
    sentence = incident["sentence"]
    assert page.text[sentence["start"]:sentence["end"]] == sentence["sentence"]
    assert process_page(LISTING, URL).incidents == []  # only an article has incidents


def test_incidents_travel_with_the_page_through_the_item_queue():
    from newsarchive.crawler.items import ArticleItem
    from newsarchive.pipelines.stages.queue import decode_item, encode_item

    page = process_page(STRIKE, "http://127.0.0.9/2024/03/ariha/")
    item = ArticleItem(url=page.url, source="s", fetched_at="2024-03-14T10:00:00Z", page=page)
    kind, back = decode_item(encode_item(item))
    assert kind == "item" and back.page.incidents == page.incidents and page.incidents


def test_a_failing_incident_reader_costs_the_page_nothing_but_its_incidents(monkeypatch):
    import newsarchive.pipelines.page as page_module

    def broken(*args, **kwargs):
        raise ValueError("a rule that does not hold")

    monkeypatch.setattr(page_module, "extract_incidents", broken)
    page = process_page(STRIKE, "http://127.0.0.9/2024/03/ariha/")
    assert page.reached == "complete" and page.text and page.content_hash
    assert page.incidents == [] and "incidents-failed" in page.notes


def _tables() -> dict:
    """Every table the pure pipelines load lazily: their functions of no argument cached
    with ``lru_cache``, by name."""
    import inspect
    import sys

    found = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("newsarchive.pipelines") or module is None:
            continue
        for attr, value in vars(module).items():
            wrapped = getattr(value, "__wrapped__", None)
            if (hasattr(value, "cache_info") and getattr(value, "__module__", None) == name
                    and wrapped is not None and not inspect.signature(wrapped).parameters):
                found[f"{name}.{attr}"] = value
    return found


def test_load_tables_leaves_no_table_for_a_page_to_load():
    # what the pool's forkserver loads once for every worker (crawler/pool_preload.py): a page
    # processed after it loads nothing more, whatever its language
    from pathlib import Path

    from newsarchive.pipelines.page import load_tables

    for table in _tables().values():  # as in a fresh process, whatever ran before
        table.cache_clear()
    load_tables()
    before = {name: table.cache_info().misses for name, table in _tables().items()}
    regression = Path(__file__).parent / "regression"
    for path in sorted(regression.glob("*.html")):
        process_page(path.read_bytes(), "https://example.com/news/2024/05/story-1",
                     options={"name": "t"})
    process_page(ARTICLE.encode("utf-8"), URL)
    loaded = {name for name, table in _tables().items()
              if table.cache_info().misses != before.get(name, 0)}
    assert loaded == set(), "load_tables() should load these too"
    assert len(before) >= 20  # the finder finds them (gazetteer, tries, lexicon...)


def test_load_tables_builds_the_stop_words_of_trafilaturas_fallback():
    # trafilatura builds them (every language's, ~27 MB) on its first justext fallback, in
    # each process that reaches one: built once in the forkserver, the workers share them
    from justext.core import define_stoplist
    from trafilatura import external

    from newsarchive.pipelines.page import load_tables

    load_tables()
    assert external.JT_STOPLIST and len(external.JT_STOPLIST) > 10_000
    misses = define_stoplist.cache_info().misses
    define_stoplist(external.JT_STOPLIST)
    assert define_stoplist.cache_info().misses == misses


def _live_documents() -> int:
    """How many parsed pages (lxml documents) something in this process still holds."""
    import gc

    from lxml import etree

    gc.collect()
    return len({el.getroottree().getroot()
                for el in gc.get_objects() if isinstance(el, etree._Element)})


def test_a_worker_keeps_no_tree_of_the_pages_it_processed():
    # A worker processes thousands of pages: what it caches between pages (class names
    # seen, say) must be plain strings, never lxml's "smart" strings, each of which holds
    # the whole tree it was read from.  Each page here has class names of its own.
    def page(n: int) -> bytes:
        return ARTICLE.replace("<article>", f'<article class="story-{n} theme-{n}x">').replace(
            "<nav>", f'<nav id="menu-{n}" class="top-{n}">').encode("utf-8")

    process_page(page(0), URL)
    before = _live_documents()
    for n in range(1, 30):
        assert process_page(page(n), URL).kind == "article"
    # (the metadata readers keep the last few roots they read: a bounded number)
    assert _live_documents() <= max(before, 4)
