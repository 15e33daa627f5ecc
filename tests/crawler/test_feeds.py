from newsarchive.crawler.feeds import parse_feed, parse_sitemap, sniff

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><language>ar</language>
<item><title>Shelling near Kabana</title><link>https://ex.org/2024/05/kabana/?utm_source=rss</link>
<pubDate>Tue, 14 May 2024 09:30:00 +0300</pubDate></item>
<item><title>No link</title></item>
<item><title>Relative</title><link>/news/relative</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<entry><title>Atom story</title><link rel="alternate" href="https://ex.org/a"/>
<link rel="edit" href="https://ex.org/edit/a"/><published>2023-01-02T03:04:05Z</published></entry>
</feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
  xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ex.org/n1</loc><news:news><news:publication><news:name>Ex</news:name>
<news:language>en</news:language></news:publication>
<news:publication_date>2024-03-01T10:00:00+02:00</news:publication_date>
<news:title>News one</news:title></news:news></url>
<url><loc>https://ex.org/n2</loc><lastmod>2024-03-02</lastmod></url>
</urlset>"""

INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ex.org/sitemap-1.xml</loc></sitemap></sitemapindex>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><item><title>&lol3;</title><link>https://ex.org/&lol3;</link></item>
<item><title>fine</title><link>https://ex.org/fine</link></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://ex.org/&xxe;</loc></url><url><loc>https://ex.org/ok</loc></url></urlset>"""


def test_rss_entries_with_dates_and_language():
    entries = parse_feed(RSS, "https://ex.org/feed/")
    assert [e.url for e in entries] == [
        "https://ex.org/2024/05/kabana/?utm_source=rss", "https://ex.org/news/relative"]
    assert entries[0].published == "2024-05-14T09:30:00+03:00"
    assert entries[0].title == "Shelling near Kabana"
    assert entries[0].language == "ar"


def test_atom_takes_alternate_link():
    (entry,) = parse_feed(ATOM, "https://ex.org/atom")
    assert entry.url == "https://ex.org/a"
    assert entry.published == "2023-01-02T03:04:05+00:00"
    assert entry.language == "en"


def test_news_sitemap_fields():
    entries = parse_sitemap(NEWS_SITEMAP, "https://ex.org/news-sitemap.xml")
    assert entries[0].title == "News one"
    assert entries[0].published == "2024-03-01T10:00:00+02:00"
    assert entries[0].language == "en"
    # <lastmod> is a modification date: never taken as the publication date
    assert entries[1].published is None
    assert entries[1].modified == "2024-03-02T00:00:00"


def test_atom_updated_is_not_a_publication_date():
    body = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://ex.org/u"/>'
            b"<updated>2024-06-01T00:00:00Z</updated></entry></feed>")
    (entry,) = parse_feed(body, "https://ex.org/")
    assert entry.published is None


def test_sitemap_index_children_are_sitemaps():
    (entry,) = parse_sitemap(INDEX, "https://ex.org/sitemap.xml")
    assert entry.kind == "sitemap" and entry.url == "https://ex.org/sitemap-1.xml"


def test_sniff():
    assert sniff(RSS) == "rss" and sniff(ATOM) == "atom"
    assert sniff(INDEX) == "sitemapindex" and sniff(NEWS_SITEMAP) == "urlset"
    assert sniff(b"<html><body>hi</body></html>") is None
    assert sniff(b"") is None and sniff(b"\x00\xff garbage") is None


def test_entity_expansion_is_never_performed():
    entries = parse_feed(LAUGHS, "https://ex.org/")
    assert [e.url for e in entries] == ["https://ex.org/fine"]


def test_external_entities_are_not_loaded():
    assert [e.url for e in parse_sitemap(XXE, "https://ex.org/")] == ["https://ex.org/ok"]
