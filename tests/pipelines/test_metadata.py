"""Unit tests for pipelines/metadata.py and pipelines/dates.py (pages written for the tests)."""

from __future__ import annotations

from datetime import datetime, timezone

import lxml.html
import pytest

from newsarchive.pipelines.dates import date_from_url, find_text_dates, parse_machine_date, plausible
from newsarchive.pipelines.metadata import extract_metadata, is_junk_author, normalize_authors
from newsarchive.pipelines.metadata.page import (canonical_link, canonical_links, jsonld_objects,
                                                 jsonld_texts)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
URL = "https://news.example.org/news/shelling-report/"


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f"<body>{body}</body></html>")


def meta(html: str, url: str = URL, hints: dict | None = None, **kwargs) -> dict:
    return extract_metadata(lxml.html.fromstring(html), html, url, hints, now=NOW, **kwargs)


JSONLD = ('<script type="application/ld+json">{"@context": "https://schema.org", '
          '"@type": "NewsArticle", "headline": "Headline", "datePublished": "%s"}</script>')
BODY = "<article><h1>Headline</h1><p>" + "Residents of the town described the night. " * 8 + "</p></article>"


# --- dates: the readers ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2019-03-14T09:30:00Z", "2019-03-14T09:30:00+00:00"),
    ("2019-03-14T09:30:00.000+0300", "2019-03-14T09:30:00+03:00"),
    ("2019-03-14 09:30", "2019-03-14T09:30:00"),
    ("2019-03-14", "2019-03-14"),
    ("20190314", "2019-03-14"),
    ("2019/3/14", "2019-03-14"),
    ("Thu, 14 Mar 2019 09:30:00 +0200", "2019-03-14T09:30:00+02:00"),
    ("٢٠١٩-٠٣-١٤", "2019-03-14"),
    ("2019-02-30", None),
    ("not a date", None),
])
def test_machine_dates(value, expected):
    assert parse_machine_date(value) == expected


@pytest.mark.parametrize("text, expected", [
    ("March 14, 2019", "2019-03-14"),
    ("Mar. 4 2019", "2019-03-04"),
    ("14 March 2019", "2019-03-14"),
    ("14th Sept 2019", "2019-09-14"),
    ("14 آذار 2019", "2019-03-14"),
    ("١٤ مارس ٢٠١٩", "2019-03-14"),
    ("الأحد 5 كانون الثاني/يناير 2020", "2020-01-05"),
    ("نشر في 3 تشرين الأول 2020", "2020-10-03"),
    ("11 تشرين الثاني 2018", "2018-11-11"),
    ("25 كانون الأول 2017", "2017-12-25"),
    ("2 أيار، 2018", "2018-05-02"),
    ("2 ايار 2018", "2018-05-02"),
    ("7 آب 2016", "2016-08-07"),
    ("7 اب 2016", "2016-08-07"),
    ("9 أيلول 2015", "2015-09-09"),
    ("1 شباط 2021", "2021-02-01"),
    ("1 نيسان 2021", "2021-04-01"),
    ("30 حزيران 2021", "2021-06-30"),
    ("4 تموز 2021", "2021-07-04"),
    ("4 ابريل 2021", "2021-04-04"),
    ("4 أبريل 2021", "2021-04-04"),
    ("١٠ يونيه ٢٠٢١", "2021-06-10"),
    ("١٠ يوليه ٢٠٢١", "2021-07-10"),
    ("١٠ أغسطس ٢٠٢١", "2021-08-10"),
    ("3 فبراير 2022", "2022-02-03"),
    ("3 مايو 2022", "2022-05-03"),
    ("3 سبتمبر 2022", "2022-09-03"),
    ("3 أكتوبر 2022", "2022-10-03"),
    ("3 نوفمبر 2022", "2022-11-03"),
    ("3 ديسمبر 2022", "2022-12-03"),
    ("3 يناير 2022", "2022-01-03"),
    ("Posted 14/03/2019", "2019-03-14"),
    ("Posted 03/14/2019", "2019-03-14"),
    ("الخميس 14-03-2019", "2019-03-14"),
    ("the 14th of March, 2019", "2019-03-14"),
    ("14 من شهر آذار 2019", "2019-03-14"),
    ("نشر بتاريخ 2019/03/14", "2019-03-14"),
    ("2019.3.4 10:30", "2019-03-04"),
    ("١٤/٠٣/٢٠١٩", "2019-03-14"),
    ("© 2024 The Outlet", None),
    ("Marwan 14 said 2019", None),
])
def test_text_dates(text, expected):
    assert (find_text_dates(text) or [None])[0] == expected


@pytest.mark.parametrize("url, expected", [
    ("https://x.org/2019/03/14/slug/", "2019-03-14"),
    ("https://x.org/news/2019-03-14-slug", "2019-03-14"),
    ("https://x.org/20190314/slug", "2019-03-14"),
    ("https://x.org/news/2019/03/slug", "2019-03"),
    ("https://x.org/archives/123456", None),
    ("https://x.org/2019/13/40/slug", None),
])
def test_url_dates(url, expected):
    assert date_from_url(url) == expected


def test_plausible_rejects_future_and_before_1990():
    assert plausible("2026-11-23", NOW)  # within now + 1 day
    assert not plausible("2026-11-25", NOW)
    assert not plausible("2026-11-24T00:00:00+00:00", NOW)
    assert not plausible("1989-12-31", NOW)
    assert plausible("1990-01-01", NOW)


# --- published: order of sources ---------------------------------------------------------

ALL_SOURCES = dict(
    jsonld=JSONLD % "2019-03-10T08:00:00+02:00",
    meta='<meta property="article:published_time" content="2019-03-11T08:00:00+02:00">',
    time='<time class="published" datetime="2019-03-12">12 March 2019</time>',
    text='<div class="post-date">13 March 2019</div>',
)
HINTS = {"published": "Sat, 09 Mar 2019 10:00:00 +0000", "published_source": "feed"}
URL_DATED = "https://news.example.org/2019/03/08/shelling-report/"


def build(parts):
    head = "".join(ALL_SOURCES[p] for p in parts if p in ("jsonld", "meta"))
    body = "<article><h1>Headline</h1>" + "".join(
        ALL_SOURCES[p] for p in parts if p in ("time", "text")) + BODY[9:]
    return page(head, body)


@pytest.mark.parametrize("parts, hints, url, expected", [
    (["jsonld", "meta", "time", "text"], HINTS, URL_DATED, ("2019-03-10T08:00:00+02:00", "json-ld")),
    (["meta", "time", "text"], HINTS, URL_DATED, ("2019-03-11T08:00:00+02:00", "meta")),
    (["time", "text"], HINTS, URL_DATED, ("2019-03-12", "time")),
    (["text"], HINTS, URL_DATED, ("2019-03-09T10:00:00+00:00", "feed")),
    (["text"], {"published": "2019-03-09", "published_source": "sitemap"}, URL_DATED,
     ("2019-03-09", "sitemap")),
    (["text"], None, URL_DATED, ("2019-03-08", "url")),
    (["text"], None, URL, ("2019-03-13", "text")),
    ([], None, URL, (None, None)),
])
def test_date_source_order(parts, hints, url, expected):
    got = meta(build(parts), url, hints)
    assert (got["published"], got["published_source"]) == expected


def test_future_and_ancient_dates_fall_through():
    head = (JSONLD % "2031-01-01T00:00:00Z"
            + '<meta property="article:published_time" content="1985-05-05">'
            + '<meta name="pubdate" content="2019-03-11">')
    got = meta(page(head, BODY))
    assert (got["published"], got["published_source"]) == ("2019-03-11", "meta")


@pytest.mark.parametrize("tag", [
    '<meta name="parsely-page" content=\'{"title": "H", "pub_date": "2019-03-11T08:00:00Z"}\'>',
    '<meta name="sailthru.date" content="2019-03-11 08:00:00">',
    '<meta name="DC.date.issued" content="2019-03-11">',
    '<meta itemprop="datePublished" content="2019-03-11">',
    '<meta name="OriginalPublicationDate" content="2019/03/11 08:00:00">',
])
def test_meta_date_forms(tag):
    got = meta(page(tag, BODY))
    assert (got["published"][:10], got["published_source"]) == ("2019-03-11", "meta")


def test_modified_dates_are_never_published():
    head = ('<meta property="article:modified_time" content="2021-01-01T00:00:00Z">'
            '<meta property="og:updated_time" content="2021-01-01T00:00:00Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"dateModified": "2021-01-01"}</script>')
    body = ('<article><h1>Headline</h1><time class="updated" datetime="2021-01-02">2 Jan 2021</time>'
            '<div class="meta">Published 14 March 2019 | Updated 2 January 2021</div>'
            + BODY[9:])
    got = meta(page(head, body))
    assert (got["published"], got["published_source"]) == ("2019-03-14", "text")


def test_related_and_copyright_dates_are_ignored():
    body = (BODY + '<aside class="related-posts"><time datetime="2024-01-01">1 Jan 2024</time>'
            '<div class="post-date">2 January 2024</div></aside>'
            '<footer class="site-footer">© 2024 Outlet. 1 January 2024</footer>')
    got = meta(page("", body))
    assert got["published"] is None


def test_time_without_datetime_is_read_as_text():
    body = '<article><h1>Headline</h1><time class="entry-date">14 آذار 2019</time>' + BODY[9:]
    got = meta(page("", body))
    assert (got["published"], got["published_source"]) == ("2019-03-14", "text")


def test_wordpress_published_updated_time():
    body = ('<article><header class="entry-header"><time class="entry-date published updated" '
            'datetime="2019-03-14T10:00:00+00:00">March 14, 2019</time></header>' + BODY[9:])
    assert meta(page("", body))["published"] == "2019-03-14T10:00:00+00:00"


def test_url_month_is_refined_by_printed_date():
    body = '<article><h1>Headline</h1><span class="date">14 آذار 2019</span>' + BODY[9:]
    got = meta(page("", body, "ar"), "https://x.org/news/2019/03/item-1")
    assert (got["published"], got["published_source"]) == ("2019-03-14", "text")
    got = meta(page("", BODY), "https://x.org/news/2019/03/item-1")
    assert (got["published"], got["published_source"]) == ("2019-03", "url")


def test_jsonld_graph_and_broken_json():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "WebSite", "name": "Outlet"}, {"@type": ["NewsArticle"], "headline": "H",'
            '"datePublished": "2019-03-14T10:00:00Z",}]}</script>')
    got = meta(page(head, BODY))
    assert (got["published"], got["published_source"]) == ("2019-03-14T10:00:00+00:00", "json-ld")


def test_jsonld_of_related_articles_does_not_date_the_page():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "url": '
            '"https://news.example.org/news/older-story/", "headline": "Older", '
            '"datePublished": "2018-01-01T00:00:00Z", "author": {"@type": "Person", "name": "Ann Other"}}'
            '</script><script type="application/ld+json">{"@type": "NewsArticle", '
            '"mainEntityOfPage": {"@id": "https://news.example.org/news/shelling-report/"}, '
            '"headline": "Headline", "datePublished": "2019-03-14T10:00:00Z", '
            '"author": {"@type": "Person", "name": "Jane Doe"}}</script>')
    got = meta(page(head, BODY))
    assert (got["published"], got["authors"]) == ("2019-03-14T10:00:00+00:00", ["Jane Doe"])


# --- authors ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Written by Jane Doe", ["Jane Doe"]),
    ("Reporting by: Taim Khalil", ["Taim Khalil"]),
    ("Reported by Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Reporting by Jane Doe; Editing by John Roe", ["Jane Doe"]),
    ("BY JANE DOE", ["Jane Doe"]),
    ("Jane Doe, John Roe & Sami Haddad", ["Jane Doe", "John Roe", "Sami Haddad"]),
    ("By Jane Doe in Beirut", ["Jane Doe"]),
    ("بقلم: سامر الأحمد", ["سامر الأحمد"]),
    ("كتب سامر الأحمد", ["سامر الأحمد"]),
    ("إعداد: ريم حسن و سامر الأحمد", ["ريم حسن", "سامر الأحمد"]),
    ("Email the author", []),
    ("Staff", []),
    ("Admin", []),
    ("Editor", []),
    ("Agencies", []),
    ("AFP", []),
    ("وكالات", []),
    ("March 14, 2019 10:30", []),
    ("https://twitter.com/janedoe", []),
    ("jane@example.org", []),
    ("@janedoe", []),
    ("Jane Doe is a reporter covering northern Syria for us", []),
    (["Jane Doe", "jane doe", "John Roe"], ["Jane Doe", "John Roe"]),
])
def test_normalize_authors(raw, expected):
    assert normalize_authors(raw) == expected


def test_junk_list_is_data_driven():
    assert is_junk_author("News Desk")
    assert is_junk_author("هيئة التحرير")
    assert not is_junk_author("Lina Haddad")


def test_authors_jsonld_forms():
    head = ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"author": [{"@id": "#p1"}, {"@type": "Person", "name": "John Roe"}, '
            '{"@type": "Organization", "name": "Outlet"}]}, '
            '{"@type": "Person", "@id": "#p1", "name": "Jane Doe"}]}</script>')
    assert meta(page(head, BODY))["authors"] == ["Jane Doe", "John Roe"]
    head = '<script type="application/ld+json">{"@type": "BlogPosting", "author": "By Jane Doe"}</script>'
    assert meta(page(head, BODY))["authors"] == ["Jane Doe"]


def test_authors_meta_skips_urls_and_site_name():
    head = ('<meta property="og:site_name" content="Outlet News">'
            '<meta property="article:author" content="https://www.facebook.com/outlet">'
            '<meta name="author" content="Outlet News">'
            '<meta name="parsely-author" content="Jane Doe">')
    assert meta(page(head, BODY))["authors"] == ["Jane Doe"]


def test_authors_byline_elements_not_related():
    body = ('<article><h1>Headline</h1><div class="byline">By <span class="author-name">'
            'Jane Doe</span></div><div class="author-bio">Jane Doe writes about water policy '
            'and agriculture in the region.</div>' + BODY[9:]
            + '<div class="related"><span class="author">Someone Else</span></div>')
    assert meta(page("", body))["authors"] == ["Jane Doe"]


def test_authors_byline_line_at_end_of_body():
    body = (BODY[:-10] + "</p><p>Reporting by: Taim Khalil</p></article>")
    assert meta(page("", body))["authors"] == ["Taim Khalil"]
    body = (BODY[:-10] + "</p><p>Email the author</p></article>")
    assert meta(page("", body))["authors"] == []


# --- title -----------------------------------------------------------------------------

@pytest.mark.parametrize("head, body, url, expected", [
    ('<title>Water runs out in Daraa | The Levant Post</title>'
     '<meta property="og:site_name" content="The Levant Post">', "", URL,
     "Water runs out in Daraa"),
    ('<title>The Levant Post – Water runs out in Daraa</title>'
     '<meta property="og:site_name" content="The Levant Post">', "", URL,
     "Water runs out in Daraa"),
    ('<title>Water runs out in Daraa - Levantpost</title>', "", "https://www.levantpost.com/a",
     "Water runs out in Daraa"),
    ('<meta property="og:title" content="Water runs out in Daraa :: LP">',
     "<h1>Water runs out in Daraa</h1>", URL, "Water runs out in Daraa"),
    ('<title>Idlib - a city waiting</title>', "", URL, "Idlib - a city waiting"),
    ('<title>انقطاع المياه في درعا - عنب بلدي</title>'
     '<meta property="og:site_name" content="عنب بلدي">', "", URL, "انقطاع المياه في درعا"),
])
def test_title_suffixes(head, body, url, expected):
    assert meta(page(head, body), url)["title"] == expected


def test_escaped_entities_in_jsonld_are_decoded():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Syria&#8217;s bread &amp; fuel", "author": {"@type": "Person", "name": "Sam O&#039;Neil"}}'
            "</script>")
    got = meta(page(head, BODY))
    assert (got["title"], got["authors"]) == ("Syria\u2019s bread & fuel", ["Sam O'Neil"])


def test_bidi_and_zero_width_marks_are_ignored():
    head = '<meta property="og:title" content="\u200fانقطاع المياه في درعا\u200f">'
    body = ('<article><h1>x</h1><span class="date">14\u200f آذار\u200f 2019</span>'
            '<span class="author">بقلم:\u200f سامر الأحمد\u200e</span>' + AR_BODY[9:])
    got = meta(page(head, body, "ar"))
    assert got["title"] == "انقطاع المياه في درعا"
    assert (got["published"], got["authors"]) == ("2019-03-14", ["سامر الأحمد"])


def test_title_is_never_just_the_outlet_name():
    head = ('<meta property="og:title" content="The Levant Post">'
            '<meta property="og:site_name" content="The Levant Post">'
            "<title>Water runs out in Daraa | The Levant Post</title>")
    body = '<header><h1 class="site-title">The Levant Post</h1></header><h2>Water runs out in Daraa</h2>'
    assert meta(page(head, body))["title"] == "Water runs out in Daraa"


def test_title_from_hints_when_page_has_none():
    assert meta(page("", "<p>x</p>"), hints={"title": "From the feed"})["title"] == "From the feed"


# --- language ----------------------------------------------------------------------------

AR_BODY = "<article><p>" + "قال سكان في المدينة إن القصف استمر طوال الليل. " * 6 + "</p></article>"


FR_BODY = ("<article><p>Les habitants de la ville ont raconté une nuit de bombardements. Les "
           "familles se sont réfugiées dans les caves, et les écoles resteront fermées jusqu'à "
           "la fin de la semaine, selon le conseil local.</p></article>")
FA_BODY = ("<article><p>ساکنان شهر گفتند که گلوله باران تمام شب ادامه داشت و خانواده ها به "
           "زیرزمین ها پناه بردند. شورای محلی اعلام کرد که مدارس تا پایان هفته تعطیل خواهند "
           "بود و آب رسانی متوقف شده است.</p></article>")
TR_BODY = ("<article><p>Kentin sakinleri bombardımanın bütün gece sürdüğünü söyledi. Aileler "
           "bodrumlara sığındı; yerel meclis okulların hafta sonuna kadar kapalı kalacağını "
           "açıkladı.</p></article>")


def test_language_identified_on_the_text_with_the_declaration_as_a_hint():
    assert meta(page("", BODY, "en-GB"))["language"] == "en"
    assert meta(page("", AR_BODY, "en"))["language"] == "ar"  # page says en, text is Arabic
    assert meta(page("", BODY, "ar"))["language"] == "en"  # page says ar, text is Latin
    html = page('<meta property="og:locale" content="fr_FR">', BODY, "").replace(' lang=""', "")
    assert meta(html)["language"] == "en"  # says French, is English
    assert meta(page("", FR_BODY, "en"))["language"] == "fr"
    assert meta(page("", FA_BODY, "ar"))["language"] == "fa"  # Persian is not Arabic
    assert meta(page("", FA_BODY, "fa"))["language"] == "fa"
    assert meta(page("", TR_BODY, "").replace(' lang=""', ""))["language"] == "tr"


def test_language_of_other_scripts_is_stored_as_identified():
    body = ("<article><p>Жители города рассказали, что обстрелы продолжались всю ночь, а "
            "семьи укрылись в подвалах. Местный совет сообщил, что школы будут закрыты до "
            "конца недели.</p></article>")
    html = page("", body, "").replace(' lang=""', "")
    assert meta(html)["language"] == "ru"
    assert meta(page("", body, "ru"))["language"] == "ru"
    assert meta(page("", body, "uk"))["language"] in ("ru", "uk")  # the hint may settle it


def test_language_fallbacks():
    html = page("", "<p>short</p>", "").replace(' lang=""', "")
    assert meta(html, hints={"language": "ar"})["language"] == "ar"
    assert meta(html, source_language="en")["language"] == "en"


def test_canonical_link():
    head = '<link rel="canonical" href="/news/a-1"><meta property="og:url" content="https://o/b">'
    assert meta(page(head, BODY))["canonical_link"] == "https://news.example.org/news/a-1"
    assert meta(page('<meta property="og:url" content="https://o.org/b">', BODY))[
        "canonical_link"] == "https://o.org/b"


# --- the one JSON-LD reader and the one canonical link reader (metadata.page) ------------

def tree_of(head: str = "", body: str = ""):
    return lxml.html.fromstring(page(head, body))


def ld(text: str, type_: str = "application/ld+json") -> str:
    return f'<script type="{type_}">{text}</script>'


def test_jsonld_type_in_any_case_and_with_parameters():
    head = (ld('{"@type": "NewsArticle", "headline": "A"}', "Application/LD+JSON; charset=utf-8")
            + ld('{"@type": "WebSite", "name": "Outlet"}', "APPLICATION/LD+JSON")
            + '<script type="application/json">{"@type": "Thing"}</script>')
    assert [o["@type"] for o in jsonld_objects(tree_of(head))] == ["NewsArticle", "WebSite"]


def test_jsonld_graph_lists_and_main_entity_are_flattened_in_page_order():
    head = (ld('{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", '
               '"mainEntity": {"@type": "NewsArticle", "headline": "A"}}, '
               '{"@type": "Organization", "name": "Outlet"}]}')
            + ld('[{"@type": "BreadcrumbList"}, [{"@type": "Person", "name": "Jane Doe"}]]'))
    types = [o.get("@type") for o in jsonld_objects(tree_of(head))]
    assert types == [None, "WebPage", "NewsArticle", "Organization", "BreadcrumbList", "Person"]


@pytest.mark.parametrize("raw", [
    '{"@type": "NewsArticle", "headline": "A",}',  # a trailing comma
    '<!-- {"@type": "NewsArticle", "headline": "A"} -->',  # an HTML comment around it
    '//<![CDATA[\n{"@type": "NewsArticle", "headline": "A"}\n//]]>',  # a CDATA section
    '{"@type": "NewsArticle", "headline": "A", "articleBody": "line one\nline\ttwo"}',
])
def test_jsonld_reader_accepts_what_pages_get_wrong(raw):
    objects = jsonld_objects(tree_of(ld(raw)))
    assert [(o["@type"], o["headline"]) for o in objects] == [("NewsArticle", "A")]


def test_jsonld_reader_skips_what_is_not_json():
    head = ld("window.dataLayer = [];") + ld("") + ld('{"@type": "NewsArticle"}')
    assert [o["@type"] for o in jsonld_objects(tree_of(head))] == ["NewsArticle"]
    assert jsonld_texts(tree_of(head)) == ["window.dataLayer = [];", "", '{"@type": "NewsArticle"}']


def test_jsonld_nested_deeper_than_python_recurses_is_skipped_not_a_failed_page():
    head = ld("[" * 50_000 + "]" * 50_000) + ld('{"@type": "NewsArticle"}')
    assert [o["@type"] for o in jsonld_objects(tree_of(head))] == ["NewsArticle"]


def test_canonical_link_rel_tokens_in_any_case_relative_href_and_og_url():
    head = ('<link rel="alternate" href="/amp/a-1"><link rel="Canonical alternate" href=" a-1 ">'
            '<meta property="og:url" content="https://news.example.org/news/a-1/">')
    tree = tree_of(head)
    assert canonical_link(tree) == "a-1"  # as written
    assert canonical_link(tree, URL) == "https://news.example.org/news/shelling-report/a-1"
    assert canonical_links(tree, URL) == ["https://news.example.org/news/shelling-report/a-1",
                                          "https://news.example.org/news/a-1/"]
    assert canonical_link(tree_of('<link rel="CANONICAL" href="/news/a-1">'), URL) == \
        "https://news.example.org/news/a-1"


def test_canonical_link_skips_what_names_no_page():
    head = ('<link rel="canonical" href=""><link rel="canonical" href="javascript:void(0)">'
            '<link rel="canonical" href="#top"><link rel="canonical" href="http://[broken/">'
            '<meta property="og:url" content="/news/a-1">')
    assert canonical_link(tree_of(head), URL) == "https://news.example.org/news/a-1"
    assert canonical_link(tree_of("<title>No link</title>"), URL) is None


# --- found on real pages (rebuilt here in our own words) ------------------------------

def test_text_of_adjacent_elements_is_not_glued():
    body = ('<article><h1>Headline</h1><div class="post__author-date"><span>By Carrie Stone'
            '</span><em>November 15, 2019</em></div>' + BODY[9:])
    got = meta(page("", body))
    assert (got["published"], got["published_source"]) == ("2019-11-15", "text")


def test_byline_text_around_inline_markup_and_comments():
    body = ('<article><h1>Headline</h1><p class="byline">By <b>Jane</b> Doe<!-- x --> and '
            '<b>John</b> Roe</p>' + BODY[9:])
    assert meta(page("", body))["authors"] == ["Jane Doe", "John Roe"]


def test_only_the_first_byline_block_counts():
    body = ('<article><h1>Headline</h1><div class="byline"><a rel="author" href="/a">Jane Doe</a>'
            ' and <a rel="author" href="/b">John Roe</a></div>' + BODY[9:]
            + '<div class="widget-list"><div class="card"><span class="author">Other Writer'
            '</span></div><div class="card"><span class="author">Third Person</span></div></div>')
    assert meta(page("", body))["authors"] == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize("raw, expected", [
    ("By", []),
    ("and Caroline Ghosn", ["Caroline Ghosn"]),
    ("Louis Jacobson on Monday", ["Louis Jacobson"]),
    ("Carrie Stone November 15", ["Carrie Stone"]),
    ("By Jane Doe 14 March 2019", ["Jane Doe"]),
    ("BY JANE DOE IN BEIRUT", ["Jane Doe"]),
    ("AP National Security Writer", []),
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("محمد وليد الأحمد", ["محمد وليد الأحمد"]),
    ("أحمد الدمشقي وسلمى العلي", ["أحمد الدمشقي", "سلمى العلي"]),
])
def test_normalize_authors_real_world_forms(raw, expected):
    assert normalize_authors(raw) == expected


def test_page_wrapper_named_like_an_ad_is_not_noise():
    body = ('<div id="ad_body"><div class="story"><h1>Headline</h1>'
            '<div class="article_date">November 20, 2019 - 11:28</div>'
            "<p>" + "Residents of the town described the night. " * 8 + "</p></div>"
            '<div class="ad"><span class="date">1 January 2024</span></div></div>')
    got = meta(page("", body))
    assert (got["published"], got["published_source"]) == ("2019-11-20", "text")


def test_dates_near_the_headline_come_before_header_dates():
    body = ('<div class="header"><div class="header-date">Sunday 24 November 2024</div></div>'
            '<div class="content"><div class="story"><h1>Headline</h1><span class="post-date">'
            "March 3, 2019</span><p>" + "Residents of the town described the night. " * 8
            + "</p></div></div>")
    got = meta(page("", body))
    assert (got["published"], got["published_source"]) == ("2019-03-03", "text")


def test_today_in_the_top_bar_is_not_the_date():
    body = ('<div class="top-bar"><span class="today date">الأحد 24 تشرين الثاني 2024</span></div>'
            '<div class="post"><h1>عنوان</h1><span class="post-date">3 شباط 2019</span>'
            + AR_BODY.replace("<article>", "").replace("</article>", "") + "</div>")
    got = meta(page("", body, "ar"))
    assert (got["published"], got["published_source"]) == ("2019-02-03", "text")


def test_script_shares_count_exactly_what_the_letter_classes_match():
    # the counts delete the other characters instead of listing the letters: same numbers
    import random

    from newsarchive.pipelines.metadata.language import (ARABIC_LETTER, LATIN_LETTER, LETTER,
                                             arabic_share, latin_share)

    rng = random.Random(8)
    chars = [chr(c) for c in [*range(32, 0x250), *range(0x600, 0x700), *range(0x750, 0x780),
                              *range(0x8a0, 0x900), *range(0xfb50, 0xfe00),
                              *range(0xfe70, 0xff00), 0x5d0, 0x430, 0x4e00, 0xb2, 0xbd,
                              0x200c, 0x200f, 0x1f600, 0x660, 0xff10]]
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 200)))
        letters = len(LETTER.findall(text))
        assert arabic_share(text) == ((len(ARABIC_LETTER.findall(text)) / letters, letters)
                                      if letters else (0.0, 0))
        assert latin_share(text) == (len(LATIN_LETTER.findall(text)) / letters if letters else 0.0)
