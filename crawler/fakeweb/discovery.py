"""The pages a crawler discovers articles from: robots.txt, RSS feeds and sitemaps.

One writer per format, shared by every profile.  Each takes plain values (URLs, dates as
ISO strings or datetimes) and returns the text of the file; the caller serves it with the
matching content type from :mod:`.markup` (``TEXT``, ``RSS``, ``XML``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .markup import rfc822, xml_text

XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def robots_txt(disallow: Iterable[str] = (), allow: Iterable[str] = (),
               sitemaps: Iterable[str] = ()) -> str:
    """A robots.txt for every user agent, with its sitemaps listed at the end."""
    lines = ["User-agent: *"] + [f"Disallow: {d}" for d in disallow] + [f"Allow: {a}" for a in allow]
    sitemaps = list(sitemaps)
    if sitemaps:
        lines += [""] + [f"Sitemap: {url}" for url in sitemaps]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class FeedItem:
    """One ``<item>`` of an RSS feed; ``guid`` defaults to the link."""

    title: str
    link: str
    published: object  # datetime or ISO 8601 string
    guid: str | None = None
    authors: Sequence[str] = ()
    category: str | None = None
    summary: str | None = None

    def xml(self) -> str:
        creators = "".join(f"<dc:creator><![CDATA[{a}]]></dc:creator>" for a in self.authors)
        category = f"<category><![CDATA[{self.category}]]></category>" if self.category else ""
        summary = f"<description><![CDATA[{self.summary}]]></description>" if self.summary else ""
        return (f"<item><title>{xml_text(self.title)}</title><link>{xml_text(self.link)}</link>"
                f'<guid isPermaLink="false">{xml_text(self.guid or self.link)}</guid>'
                f"<pubDate>{rfc822(self.published)}</pubDate>{creators}{category}{summary}</item>")


def rss(title: str, link: str, items: Sequence[FeedItem], *, description: str = "",
        self_url: str | None = None, language: str | None = None) -> str:
    """An RSS 2.0 feed of ``items`` in the order given (newest first, as outlets do)."""
    channel = [f"<title>{xml_text(title)}</title>"]
    if self_url:
        channel.append(f'<atom:link href="{self_url}" rel="self" type="application/rss+xml"/>')
    channel += [f"<link>{link}</link>", f"<description>{xml_text(description)}</description>"]
    if items:
        channel.append(f"<lastBuildDate>{rfc822(items[0].published)}</lastBuildDate>")
    if language:
        channel.append(f"<language>{language}</language>")
    return (XML_DECL + '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n' + "\n".join(channel) + "\n"
            + "\n".join(item.xml() for item in items) + "\n</channel>\n</rss>\n")


def urlset(urls: Iterable[tuple[str, str | None]]) -> str:
    """A sitemap of ``(url, lastmod or None)`` pairs."""
    rows = [f"<url><loc>{xml_text(loc)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</url>" for loc, lastmod in urls]
    return XML_DECL + f'<urlset xmlns="{SITEMAP_NS}">\n' + "\n".join(rows) + "\n</urlset>\n"


def sitemap_index(urls: Iterable[str]) -> str:
    """A sitemap index pointing at the sitemaps ``urls``."""
    rows = [f"<sitemap><loc>{xml_text(loc)}</loc></sitemap>" for loc in urls]
    return XML_DECL + f'<sitemapindex xmlns="{SITEMAP_NS}">\n' + "\n".join(rows) + "\n</sitemapindex>\n"


def news_sitemap(publication: str, rows: Iterable[tuple[str, str, str, str]]) -> str:
    """A Google News sitemap of ``(url, language, published, title)`` rows."""
    out = [f"<url><loc>{xml_text(loc)}</loc><news:news><news:publication><news:name>"
           f"{xml_text(publication)}</news:name><news:language>{language}</news:language>"
           f"</news:publication><news:publication_date>{published}</news:publication_date>"
           f"<news:title>{xml_text(title)}</news:title></news:news></url>"
           for loc, language, published, title in rows]
    return (XML_DECL + f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n' + "\n".join(out)
            + "\n</urlset>\n")
