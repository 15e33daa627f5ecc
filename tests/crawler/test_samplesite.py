"""The bundled sample site: content facts, and every page served over real HTTP on loopback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import lxml.etree
import lxml.html
import pytest

from newsarchive.crawler.fakeweb import SampleSite, load_articles, load_outlets, load_pages
from newsarchive.crawler.sources import load_sources

REPO = Path(__file__).resolve().parents[2]
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
ARTICLES = load_articles()
BY_SLUG = {a["slug"]: a for a in ARTICLES}


@pytest.fixture(scope="module")
def site():
    with SampleSite() as running:
        yield running


def fetch(url, method="GET"):
    req = urllib.request.Request(url, method=method, headers={"User-Agent": "newsarchive-tests"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, dict(resp.headers), resp.read()


def page_text(body: bytes) -> str:
    doc = lxml.html.fromstring(body)
    for bad in doc.xpath("//style|//script"):
        bad.drop_tree()
    return " ".join(doc.text_content().split())


def bare(url: str) -> str:
    """Drop query and fragment (the RSS links carry utm_* parameters)."""
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path, "", ""))


def article_url(site, art):
    url = site.article_url(art)
    assert url == site.bases[art["outlet"]] + art["path"]
    return url


# ------------------------------------------------------------------------------ content
def test_counts_and_languages():
    expect = Counter(a["expect"] for a in ARTICLES)
    on_topic = [a for a in ARTICLES if a["expect"] != "off_topic"]
    assert expect["stored"] >= 42
    assert len(on_topic) >= 42
    assert expect["off_topic"] >= 6
    assert expect["duplicate"] == 1
    assert sum(1 for a in on_topic if a["language"] == "ar") >= 6
    assert {o["layout"] for o in load_outlets()} >= {"wordpress", "drupal", "plain"}
    assert any(o["dir"] == "rtl" and o["language"] == "ar" for o in load_outlets())


def test_article_records_carry_the_facts_tests_assert():
    outlets = {o["name"] for o in load_outlets()}
    for a in ARTICLES:
        assert a["outlet"] in outlets
        assert a["expect"] in ("stored", "off_topic", "duplicate")
        assert a["title"] and a["authors"] and re.fullmatch(r"[a-z]{2}", a["language"])
        for credit in a.get("credits", []):  # the agencies and outlets a byline names
            assert credit["name"] in a["authors"] and credit["role"] in ("agency", "outlet")
        assert 250 <= a["word_count"] <= 700, (a["slug"], a["word_count"])
        assert len(a["paragraphs"]) >= 4, a["slug"]
        published = datetime.fromisoformat(a["published"])
        assert published.tzinfo is not None and 2016 <= published.year <= 2025
        assert a["path"].startswith("/") and a["path"].endswith("/")
        assert a["must_keep"] and a["must_drop"]
        body = " ".join(a["paragraphs"])
        assert all(s in body for s in a["must_keep"]), a["slug"]
        if a["expect"] != "off_topic":
            assert a["places"] and a["actors"], a["slug"]


# Spellings under which the fixture text names each canonical place / actor (checks that the
# expected facts are honest: every listed place and actor is really mentioned in the text).
# Canonical names are those of pipelines/data (actors.toml, places.csv), so end-to-end tests
# can compare them with what the tagger stores.
ALIASES = {
    "Hayat Tahrir al-Sham": ["HTS", "هيئة تحرير الشام"],
    "Islamic State": ["ISIS"],
    "Syrian Democratic Forces": ["SDF"],
    "al-Busayrah": ["Busayrah"], "Hmeimim Air Base": ["Hmeimim"], "Jarabulus": ["Jarablus"],
    "Nasib": ["Nassib"], "al-Qusayr": ["Qusayr"], "al-Rastan": ["Rastan", "الرستن"],
    "Saraqib": ["Saraqeb"], "Saydnaya": ["Sednaya"], "Suwayda": ["Sweida"], "al-Bab": ["الباب"],
    "White Helmets": ["Syria Civil Defence", "civil defence", "الدفاع المدني"],
    "IRGC": ["Revolutionary Guards"],
    "Syrian government forces": ["government forces", "government troops", "Syrian army", "قوات الحكومة"],
    "Syrian transitional government": ["transitional government", "الحكومة الانتقالية"],
    "Syrian Interim Government": ["الحكومة السورية المؤقتة"],
    "Syrian National Army": ["الجيش الوطني"],
    "United Nations": ["الأمم المتحدة"],
    "United States": ["US ", "American", "Washington"],
    "Turkey": ["Turkish", "Ankara", "ترك"],
    "Russia": ["Russian", "روس"],
    "Iran": ["Iranian"],
    "Jisr al-Shughur": ["جسر الشغور"], "Idlib": ["إدلب"], "Sahl al-Ghab": ["سهل الغاب"],
    "Hama": ["حماة"], "Qalaat al-Madiq": ["قلعة المضيق"], "Atmeh": ["أطمة"],
    "Bab al-Hawa": ["باب الهوى"], "Sarmada": ["سرمدا"], "Al-Bab": ["الباب"], "Afrin": ["عفرين"],
    "Azaz": ["أعزاز"], "Aleppo": ["حلب"], "Homs": ["حمص"], "Talbiseh": ["تلبيسة"],
"Jabal al-Akrad": ["جبل الأكراد"], "Kabana": ["كبانة"],
    "Latakia": ["اللاذقية"],
}


def test_expected_places_and_actors_are_in_the_text():
    for a in ARTICLES:
        text = (a["title"] + " " + " ".join(a["paragraphs"])).lower()
        for name in a["places"] + a["actors"]:
            base = name.removesuffix(" Governorate")  # "Idlib province", "ريف حلب"
            spellings = [name, base, *ALIASES.get(name, []), *ALIASES.get(base, [])]
            assert any(s.lower() in text for s in spellings), (a["slug"], name)


def test_slugs_and_urls_are_unique():
    slugs = [a["slug"] for a in ARTICLES]
    assert len(slugs) == len(set(slugs))
    paths = [(a["outlet"], a["path"]) for a in ARTICLES]
    assert len(paths) == len(set(paths))


def test_syndicated_copy_names_its_original():
    dupes = [a for a in ARTICLES if a["expect"] == "duplicate"]
    for dup in dupes:
        orig = BY_SLUG[dup["duplicate_of"]]
        assert orig["expect"] == "stored" and orig["outlet"] != dup["outlet"]
        assert orig["title"] != dup["title"]
        assert orig["paragraphs"] == dup["paragraphs"]
        assert dup["dateline"] and re.match(r"^[A-Z]+, Syria \(\w+\) —$", dup["dateline"])


def test_off_topic_includes_another_war_mentioning_syria_once():
    wars = [a for a in ARTICLES if a["expect"] == "off_topic" and " ".join(a["paragraphs"]).count("Syria") == 1]
    assert len(wars) >= 1


# ------------------------------------------------------------------------------ server
def test_one_loopback_address_per_outlet(site):
    hosts = [urlsplit(b).hostname for b in site.bases.values()]
    netlocs = [urlsplit(b).netloc for b in site.bases.values()]
    assert len(set(netlocs)) == len(netlocs) == len(load_outlets())
    assert all(h.startswith("127.0.0.") for h in hosts)


def test_falls_back_to_127_0_0_1_when_address_cannot_be_bound():
    with SampleSite(host_prefix="192.0.2", first=10, outlets=["northern-dispatch"]) as other:
        base = other.bases["northern-dispatch"]
        assert urlsplit(base).hostname == "127.0.0.1"
        assert fetch(base + "/robots.txt")[0] == 200


def test_robots(site):
    for outlet in load_outlets():
        status, headers, body = fetch(site.url(outlet["name"], "/robots.txt"))
        assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
        text = body.decode()
        assert "User-agent: *" in text and "Disallow: " in text
        if "sitemap" in outlet["discovery"]:
            assert f"Sitemap: {site.url(outlet['name'], '/sitemap.xml')}" in text


def test_rss_feed(site):
    status, headers, body = fetch(site.url("levant-wire", "/feed/"))
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = lxml.etree.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    lw = [a for a in ARTICLES if a["outlet"] == "levant-wire"]
    assert len(items) == len(lw) + 1  # + the live blog
    for item in items:
        assert item.findtext("pubDate") and item.findtext("title")
        assert item.findtext("link").endswith("?utm_source=rss&utm_medium=feed")


def test_sitemap_index_and_news_sitemap(site):
    _, headers, body = fetch(site.url("orontes-monitor", "/sitemap.xml"))
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    index = lxml.etree.fromstring(body)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    children = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    assert len(children) == 2
    news = lxml.etree.fromstring(fetch(next(c for c in children if "news" in c))[2])
    rows = news.xpath("//sm:url", namespaces=NS)
    assert rows
    for row in rows:
        assert row.xpath("news:news/news:publication_date/text()", namespaces=NS)
        assert row.xpath("news:news/news:title/text()", namespaces=NS)
    pages = lxml.etree.fromstring(fetch(next(c for c in children if "news" not in c))[2])
    locs = set(pages.xpath("//sm:loc/text()", namespaces=NS))
    for a in ARTICLES:
        if a["outlet"] == "orontes-monitor":
            assert article_url(site, a) in locs


def test_listing_pages_paginate(site):
    body = fetch(site.url("northern-dispatch", "/syria/"))[2]
    doc = lxml.html.fromstring(body)
    assert doc.xpath("//a[normalize-space()='page 2']/@href") == [site.url("northern-dispatch", "/syria/page/2/")]
    assert fetch(site.url("northern-dispatch", "/syria/page/2/"))[0] == 200
    drupal = lxml.html.fromstring(fetch(site.url("orontes-monitor", "/news/"))[2])
    assert drupal.xpath("//ul[contains(@class,'pager__items')]//a/@href")
    assert drupal.xpath("//div[contains(@class,'view-content')]//h2/a")


def test_every_article_reachable_from_discovery(site):
    """From the generated sources: feed items, sitemap URLs, and links on start pages."""
    def sitemap_urls(url):
        root = lxml.etree.fromstring(fetch(url)[2])
        found = set()
        for loc in root.xpath("//sm:loc/text()", namespaces=NS):
            found |= sitemap_urls(loc) if root.tag.endswith("sitemapindex") else {loc}
        return found

    reached = set()
    for src in site.source_entries():
        for feed in src.get("feeds", []):
            root = lxml.etree.fromstring(fetch(feed)[2])
            reached |= {bare(link) for link in root.xpath("//item/link/text()")}
        for sm in src.get("sitemaps", []):
            reached |= {bare(u) for u in sitemap_urls(sm)}
        for start in src.get("start_urls", []):
            doc = lxml.html.fromstring(fetch(start)[2], base_url=start)
            doc.make_links_absolute(start)
            reached |= {bare(h) for h in doc.xpath("//a/@href")}
    missing = [a["slug"] for a in ARTICLES if article_url(site, a) not in reached]
    assert missing == []
    for page in load_pages():  # non-articles are discoverable too, so the crawl meets them
        assert site.url(page["outlet"], page["path"]) in reached, page["path"]


@pytest.mark.parametrize("slug", ["kabana-hill-assault-repelled", "hama-falls-to-opposition-fighters",
                                  "sednaya-families-search-for-names", "awdat-nazihin-kabana-2025",
                                  "wire-idlib-market-shelled-five-killed"])
def test_article_page(site, slug):
    art = BY_SLUG[slug]
    url = article_url(site, art)
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    doc = lxml.html.fromstring(body)
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert doc.xpath("//html/@lang") == [art["language"]]
    text = page_text(body)
    for sentence in art["must_keep"]:
        assert sentence in text
    for junk in art["must_drop"]:
        assert junk in text, junk
    assert text.count(art["title"]) >= 2  # headline + share widget / <title>
    if art["language"] == "ar":
        assert doc.xpath("//html/@dir") == ["rtl"]
    if art["dateline"]:
        assert art["dateline"] in text


def test_date_and_byline_styles(site):
    lw = BY_SLUG["kabana-hill-assault-repelled"]
    doc = lxml.html.fromstring(fetch(article_url(site, lw))[2])
    assert doc.xpath("//meta[@property='article:published_time']/@content") == [lw["published"]]
    assert doc.xpath("normalize-space(//span[@class='byline'])") == "By Omar Hallak"
    om = BY_SLUG["hama-falls-to-opposition-fighters"]
    doc = lxml.html.fromstring(fetch(article_url(site, om))[2])
    ld = json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == om["published"]
    assert [p["name"] for p in ld["author"]] == om["authors"]
    nd = BY_SLUG["sednaya-families-search-for-names"]
    doc = lxml.html.fromstring(fetch(article_url(site, nd))[2])
    assert doc.xpath("//time/@datetime") == [nd["published"]]
    last = doc.xpath("//div[@id='story']/p")[-1].text_content()
    assert last == "Reporting by: " + ", ".join(nd["authors"])


def test_amp_variant_linked_from_a_listing(site):
    amp_articles = [a for a in ARTICLES if a["amp"]]
    assert amp_articles
    art = amp_articles[0]
    url = article_url(site, art)
    status, _, body = fetch(url + "amp/")
    doc = lxml.html.fromstring(body)
    assert status == 200 and doc.xpath("//html/@amp") is not None
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert art["must_keep"][0] in page_text(body)
    listing = lxml.html.fromstring(fetch(site.url(art["outlet"], f"/category/{art['section']}/"))[2])
    assert url + "amp/" in listing.xpath("//a/@href")


def test_non_article_pages(site):
    for page in load_pages():
        status, _, body = fetch(site.url(page["outlet"], page["path"]))
        assert status == 200
        doc = lxml.html.fromstring(body)
        paras = [p.text_content() for p in doc.xpath("//p")]
        assert not any(len(p.split()) > 40 for p in paras), page["path"]  # no article body
    live = next(p for p in load_pages() if p["kind"] == "liveblog")
    doc = lxml.html.fromstring(fetch(site.url(live["outlet"], live["path"]))[2])
    assert len(doc.xpath("//li[contains(@class,'live-entry')]")) == len(live["entries"])


def test_404_head_and_query_strings(site):
    base = site.bases["levant-wire"]
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(base + "/no/such/page/")
    assert err.value.code == 404
    art = BY_SLUG["kabana-hill-assault-repelled"]
    status, headers, body = fetch(article_url(site, art), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert fetch(article_url(site, art) + "?utm_source=rss&utm_medium=feed")[0] == 200


def test_generated_sources_file_parses(site, tmp_path):
    path = site.write_sources(tmp_path / "sources.toml")
    sources = {s.name: s for s in load_sources(path)}
    assert set(sources) == set(site.bases)
    assert sources["levant-wire"].feeds and sources["orontes-monitor"].sitemaps
    nd = sources["northern-dispatch"]
    assert not nd.feeds and not nd.sitemaps and nd.follow_depth == 1
    assert site.url("northern-dispatch", "/syria/page/2/") in nd.start_urls
    assert sources["sada-alshamal"].language == "ar"
    for src in sources.values():
        assert all(src.owns(u) for u in (*src.feeds, *src.sitemaps, *src.start_urls))


def test_module_entry_point_serves_and_writes_sources(tmp_path):
    out = tmp_path / "sources.toml"
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive.crawler.fakeweb", "--sources-out", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Serving"):
                break
        base = next(line.split()[1] for line in lines if line.startswith("levant-wire"))
        assert fetch(base + "robots.txt")[0] == 200
        names = [s["name"] for s in tomllib.loads(out.read_text(encoding="utf-8"))["source"]]
        assert "levant-wire" in names
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "GET" not in err  # requests are logged at debug, never printed to stderr
