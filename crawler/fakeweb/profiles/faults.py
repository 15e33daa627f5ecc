"""The ``faults`` profile: every fault case an unattended crawl must survive, one per path.

``FaultSite`` serves a fictional outlet on ``127.0.0.20`` (its feed lists one article
candidate per fault case, its listing page links to the spider traps), a second host
whose robots.txt answers 503, and a canary on ``127.0.0.1`` (redirects point there: it must
never be reached).  Every request is logged.  Each case is a route built with the server's
fault options (:class:`~..server.Response`): wrong lengths, trickling, bombs, redirect
loops and chains, hostile XML, wrong charsets.  HTTP/1.0, one request per connection, so a
truncated body shows.  Texts are our own words.  Example::

    with FaultSite() as site:
        site.write_sources(tmp_path / "sources.toml")
        ...
        assert site.hits["/flaky"] == 2
"""

from __future__ import annotations

import gzip
import json
import zlib
from datetime import datetime, timezone

import brotli

from .. import discovery
from ..markup import HTML, RSS, TEXT, XML, e
from ..prose import story
from ..server import Response, redirect
from ..site import Site

BOMB = 8 * 1024 * 1024  # decompressed bytes of each compression bomb (cap in tests: 1 MiB)
MB = 1024 * 1024
PUBLISHED = datetime(2026, 3, 4, 8, 0, tzinfo=timezone.utc)
ARABIC_MARK = "وقال شهود في المخيمات إن الأوضاع تزداد سوءا مع اقتراب الشتاء"


def article(title: str, marker: str, *, arabic: bool = False, published: str = "2026-03-04",
            charset: str | None = "utf-8", extra_head: str = "", body_prefix: str = "") -> str:
    """An article page: a JSON-LD NewsArticle with six paragraphs and a marker sentence."""
    paragraphs = story(title + marker, arabic)
    meta = f'<meta charset="{charset}">' if charset else ""
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": published}, ensure_ascii=False)
    body = "".join(f"<p>{e(p)}</p>\n" for p in paragraphs)
    lang, direction = ("ar", "rtl") if arabic else ("en", "ltr")
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}"><head>{meta}'
            f'<title>{e(title)}</title><meta property="og:type" content="article">'
            f'<script type="application/ld+json">{ld}</script>{extra_head}</head>'
            f'<body>{body_prefix}<article><h1>{e(title)}</h1>'
            f'<time datetime="{published}">{published}</time>\n{body}<p>{e(marker)}</p>'
            f'</article></body></html>\n')


def listing(links) -> str:
    items = "".join(f'<li><a href="{e(href)}">Story {i}</a></li>\n' for i, href in enumerate(links))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Latest</title></head>'
            f'<body><h1>Latest news</h1><ul>{items}</ul></body></html>')


def feed(base: str, paths) -> bytes:
    """A feed with one item per case path."""
    items = [discovery.FeedItem(f"Case {p}", base + p, PUBLISHED) for p in paths]
    return discovery.rss("Fault Wire", base + "/", items).encode("utf-8")


def page(body, status: int = 200, ctype: str = HTML, **headers) -> Response:
    """A fixed answer (``body`` as text or bytes)."""
    body = body.encode("utf-8") if isinstance(body, str) else body
    return Response(body, status, ctype, tuple(headers.items()))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n'
              for i in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    '<item><title>&lol9;</title><link>{base}/laughs-article</link></item></channel></rss>\n'
)
XXE_FEED = (
    '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>'
    '<link>{base}/xxe-article</link></item></channel></rss>\n'
)
XXE_SITEMAP = (
    '<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/hostname">'
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    '<url><loc>{base}/sitemap-article</loc><lastmod>&b;</lastmod></url>'
    '<url><loc>&xxe;</loc></url></urlset>\n'
)


class FaultSite(Site):
    """All fault cases; ``hits`` counts requests per path (query included when present)."""

    profile = "faults"
    protocol = "HTTP/1.0"  # one request per connection: truncation is visible
    headers = ()
    log_requests = True
    MAIN, ROBOTS_DOWN, CANARY = "127.0.0.20", "127.0.0.21", "127.0.0.1"
    feed_etag = '"feed-v1"'

    # (path, expectation): "stored" cases must end up in the archive exactly once
    STORED = ("/good-1", "/good-2", "/flaky", "/busy", "/ar-mislabelled", "/ar-unlabelled",
              "/bom", "/nul", "/bad-dates", "/session-story")
    NOT_STORED = ("/bomb-gzip", "/bomb-deflate", "/bomb-br", "/bomb-gzip-raw", "/bomb-br-raw",
                  "/big", "/big-chunked", "/trickle", "/truncated", "/busy-long", "/gone-404",
                  "/gone-410", "/loop-a", "/chain/0", "/to-offsite", "/to-private",
                  "/to-loopback", "/to-file", "/to-data", "/to-ftp", "/to-s3", "/nested",
                  "/pdf", "/png", "/empty")

    def hosts(self):
        return [("main", self.MAIN), ("down", self.ROBOTS_DOWN), ("canary", self.CANARY)]

    def canary_hits(self) -> list:
        return [r for r in self.requests if r[0] == self.CANARY]

    def source_entries(self) -> list[dict]:
        b, d = self.base, self.down_base
        return [{"name": "faults", "language": "en", "follow_depth": 1,
                 "feeds": [f"{b}/feed.xml", f"{b}/billion.xml", f"{b}/xxe.xml"],
                 "sitemaps": [f"{b}/sitemap-evil.xml", f"{b}/sitemap-bomb.xml.gz"],
                 "start_urls": [f"{b}/listing/"]},
                {"name": "steady", "language": "en", "feeds": [f"{b}/steady.xml"]},
                {"name": "robots-down", "language": "en", "feeds": [f"{d}/feed.xml"]}]

    def bind(self, bases):
        self.base, self.down_base, self.canary_base = bases["main"], bases["down"], bases["canary"]
        self.routes = {"main": self.main_routes(), "down": self.down_routes(),
                       "canary": {"/secret": page("<html>internal admin</html>")}}
        return self

    def down_routes(self) -> dict:
        """A host whose robots.txt fails: nothing else there may be fetched."""
        return {"/robots.txt": page("<html>maintenance</html>", 503),
                "/feed.xml": page(feed(self.down_base, ["/hidden"]), ctype=RSS),
                "/hidden": good("hidden")}

    def main_routes(self) -> dict:
        r, base = {}, self.base
        r["/robots.txt"] = page(discovery.robots_txt(allow=["/"]), ctype=TEXT)
        for path in self.STORED:
            r[path] = good(path.strip("/"))
        r["/feed.xml"] = page(feed(base, self.STORED + self.NOT_STORED), ctype=RSS)

        def steady(request):  # a feed with an ETag, of a source with no faults
            if request.headers.get("if-none-match") == self.feed_etag:
                return Response(b"", 304, length=False)
            return page(feed(base, ["/steady-1"]), ctype=RSS, ETag=self.feed_etag)
        r["/steady.xml"] = steady
        r["/steady-1"] = good("steady-1")
        r["/billion.xml"] = page(BILLION_LAUGHS.replace("{base}", base), ctype=RSS)
        r["/xxe.xml"] = page(XXE_FEED.replace("{base}", base), ctype=RSS)
        r["/sitemap-evil.xml"] = page(XXE_SITEMAP.replace("{base}", base), ctype=XML)
        for path in ("/laughs-article", "/xxe-article", "/sitemap-article"):
            r[path] = good(path.strip("/"))

        # compression bombs, with and without Content-Encoding
        zeros = b"<html><body>" + b" " * BOMB
        gz = gzip.compress(zeros, 6)
        r["/bomb-gzip"] = page(gz, **{"Content-Encoding": "gzip"})
        r["/bomb-deflate"] = page(zlib.compress(zeros, 6), **{"Content-Encoding": "deflate"})
        r["/bomb-br"] = page(brotli.compress(zeros, quality=5), **{"Content-Encoding": "br"})
        r["/bomb-gzip-raw"] = page(gz)
        # a gzipped sitemap (no Content-Encoding: the spider unpacks it) that explodes
        sitemap_bomb = b'<?xml version="1.0"?><urlset>' + b" " * BOMB
        r["/sitemap-bomb.xml.gz"] = page(gzip.compress(sitemap_bomb, 6), ctype="application/x-gzip")
        r["/bomb-br-raw"] = page(brotli.compress(zeros, quality=5) * 50)
        # over the size cap, announced and not
        r["/big"] = page(article("Big", "Marker big.").encode() + b"<!--" + b"x" * (2 * MB) + b"-->")
        r["/big-chunked"] = Response(b"y" * (2 * MB + 2 * 65536), length=False)
        # a byte a second, of 100,000 announced; half a page, then the connection closes
        r["/trickle"] = Response(b"<" * 60, length=100_000, trickle=1.0)
        truncated = article("Truncated", "Marker truncated.").encode()
        r["/truncated"] = Response(truncated, length=len(truncated) + 5000, cut=len(truncated) // 2)
        # answers that work the second time
        r["/flaky"] = once(page("<html>busy</html>", 503), good("flaky"))
        r["/busy"] = once(page("slow down", 429, **{"Retry-After": "1"}), good("busy"))
        r["/busy-long"] = page("later", 429, **{"Retry-After": "3600"})
        r["/gone-404"] = page("<html>not here</html>", 404)
        r["/gone-410"] = page("<html>gone</html>", 410)
        # redirects: a loop, a chain longer than the crawl follows, and forbidden targets
        r["/loop-a"] = redirect("/loop-b")
        r["/loop-b"] = redirect("/loop-a")
        for i in range(25):
            r[f"/chain/{i}"] = redirect(f"/chain/{i + 1}")
        r["/chain/25"] = good("chain-end")
        r["/to-offsite"] = redirect("http://offsite.invalid/story")
        r["/to-private"] = redirect("http://10.255.255.1/admin")
        r["/to-loopback"] = redirect(f"{self.canary_base}/secret")
        r["/to-file"] = redirect("file:///etc/passwd")
        r["/to-data"] = redirect("data:text/html,<p>hello</p>")
        r["/to-ftp"] = redirect("ftp://127.0.0.1/pub/file")
        r["/to-s3"] = redirect("s3://bucket/key")
        # hostile markup and labels
        win = article("Mislabelled", ARABIC_MARK + " (1).", arabic=True, charset=None)
        r["/ar-mislabelled"] = page(win.encode("cp1256"))
        unl = article("Unlabelled", ARABIC_MARK + " (2).", arabic=True, charset=None)
        r["/ar-unlabelled"] = page(unl.encode("cp1256"), ctype="text/html")
        bom = article("Café BOM", "Marker bom café naïve.", charset=None)
        r["/bom"] = page(b"\xef\xbb\xbf" + bom.encode(), ctype="text/html; charset=windows-1252")
        nul = article("NUL", "Marker nul.").replace("<p>", "<p>\x00", 2)
        r["/nul"] = page(nul)
        r["/nested"] = page("<html><body>" + "<div>" * 20_000 + "deep" + "</div>" * 20_000
                            + "</body></html>")
        r["/pdf"] = page(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 20)
        r["/png"] = page(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        r["/empty"] = page(b"")
        r["/bad-dates"] = page(article("Dates", "Marker dates.", published="2026-02-31",
                                       extra_head='<meta property="article:published_time" '
                                                  'content="2199-01-01T00:00:00Z">'))
        # spider traps and session ids, linked from the listing page
        traps = ["/calendar/2099/01/", "/calendar/1200/01/", "/a/b/a/b/a/b/",
                 "/long/" + "x" * 1500,
                 "/params?" + "&".join(f"p{i}={i}" for i in range(12))]
        traps += [f"/filter?sort={i}&page=1" for i in range(60)]
        sessions = [f"/session-story?PHPSESSID={i:032x}" for i in range(5)]
        self.trap_links = traps
        r["/listing/"] = page(listing(traps + sessions + ["/good-1"]))
        for path in ("/calendar/2099/01/", "/calendar/1200/01/", "/a/b/a/b/a/b/", "/params",
                     "/filter"):
            r[path] = page(listing([]))
        return r


def good(name: str) -> Response:
    """A good article, different for every ``name``."""
    return page(article(f"Story {name}", f"Marker {name}."))


def once(first: Response, then: Response):
    """A route answering ``first`` to the first request for it, ``then`` afterwards."""
    return lambda request: first if request.count == 1 else then
