"""The ``bench-synthetic`` profile: the throughput benchmark's synthetic news site.

``BenchSite(pages, outlets)`` generates N article pages spread over a few fictional outlets
(each served on its own loopback address, as a crawl of several outlets is), plus what the
crawler meets on a real outlet: a home page and numbered listing pages, section pages, an
RSS feed, a sitemap index with its sitemaps, and robots.txt.  Every article page is 30-120
KB, of which the story is a small part: inline CSS and analytics scripts, a cookie banner,
a mega-menu, a breaking-news ticker, share rows, an author box, related and most-read
lists, a newsletter box, reader comments with a comment form, a footer link farm and a
JSON state blob, as real outlets carry.

The stories come from :class:`~..prose.Writer` (random Syria-conflict reports), so the
topic filter keeps them and no two are near-copies the dedup stage would fold.  Everything
is fictional.  Deterministic for a seed.  The benchmark serves it in a process of its own::

    python -m newsarchive.crawler.fakeweb --profile bench-synthetic --pages 5000 --json

(``--port 80`` when it may: news-please cannot crawl a site whose URLs carry a port).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

from .. import discovery
from ..markup import HTML, RSS, TEXT, XML, e, human_date
from ..prose import CHATTER, FIRST, LAST, LOREM, PLACE_NOUNS, PLACES, Writer
from ..site import Site

SECTIONS = ["syria", "middle-east", "world", "politics", "economy", "humanitarian",
            "opinion", "investigations", "video", "culture"]


def _css(rng: random.Random, kb: int) -> str:
    rules = []
    for i in range(kb * 12):
        rules.append(f".c{i:x}-{rng.choice(LOREM)}{{margin:{i % 17}px {i % 9}px;"
                     f"color:#{rng.randrange(4096):03x};font-size:{12 + i % 9}px}}")
    return "\n".join(rules)


def _script(rng: random.Random, kb: int) -> str:
    parts = ["window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"]
    for i in range(kb * 10):
        parts.append(f"gtag('config','UA-{rng.randrange(10**8)}-{i}',{{'{rng.choice(LOREM)}':"
                     f"{rng.randrange(1000)}}});")
    return "\n".join(parts)


class Outlet:
    """One fictional outlet: its constant page furniture, rendered once."""

    def __init__(self, index: int, rng: random.Random):
        self.index = index
        self.name = f"bench-{chr(ord('a') + index)}"
        self.title = ["The Levant Ledger", "Euphrates Courier", "Orontes Daily",
                      "Qasioun Monitor", "Barada Post", "Khabur Herald"][index % 6]
        self.base = ""
        self.rng = rng
        self.css = _css(rng, 4)
        self.js = _script(rng, 3)

    def chrome(self, base: str) -> None:
        """Render the parts every page of the outlet shares (needs the base URL)."""
        self.base = base
        rng = self.rng
        menu = []
        for section in SECTIONS:
            subs = "".join(
                f'<li><a href="{base}/section/{section}/?topic={rng.choice(LOREM)}-{j}">'
                f'{e(rng.choice(PLACES))} {e(rng.choice(PLACE_NOUNS))}</a></li>'
                for j in range(10))
            menu.append(f'<li class="menu-item has-children"><a href="{base}/section/{section}/">'
                        f'{section.replace("-", " ").title()}</a><ul class="sub-menu">{subs}</ul></li>')
        self.header = (
            f'<div id="cookie-notice" class="cookie-banner" role="dialog"><p>We use cookies to '
            f'improve your experience and to measure our audience. By continuing to browse you '
            f'accept our cookie policy.</p><button class="accept">Accept all</button> '
            f'<a href="{base}/privacy/">Manage preferences</a></div>\n'
            f'<header id="masthead" class="site-header"><div class="top-bar"><a href="{base}/subscribe/">'
            f'Subscribe</a> <a href="{base}/login/">Log in</a> <span class="date-today"></span></div>'
            f'<p class="site-title"><a href="{base}/" rel="home">{e(self.title)}</a></p>'
            f'<nav id="site-navigation" class="main-navigation mega-menu"><ul class="menu">'
            f'{"".join(menu)}</ul></nav><form role="search" class="search-form" action="{base}/">'
            f'<input type="search" name="s" placeholder="Search"><button>Search</button></form>'
            f'</header>\n')
        links = "".join(f'<li><a href="{base}/page/{rng.randrange(2, 400)}/?ref=footer-{j}">'
                        f'{e(rng.choice(LOREM).title())} {e(rng.choice(PLACES))}</a></li>'
                        for j in range(60))
        self.footer = (
            f'<footer id="colophon" class="site-footer"><div class="footer-widgets"><ul class="footer-links">'
            f'{links}</ul></div><nav class="footer-navigation"><a href="{base}/about/">About us</a> '
            f'<a href="{base}/contact/">Contact</a> <a href="{base}/privacy/">Privacy policy</a> '
            f'<a href="{base}/terms/">Terms of use</a> <a href="{base}/advertise/">Advertise</a></nav>'
            f'<div class="site-info">&copy; 2026 {e(self.title)}. All rights reserved. '
            f'Reproduction without permission is prohibited.</div></footer>\n')
        self.newsletter = (
            '<section class="widget widget_newsletter"><h2 class="widget-title">Newsletter</h2>'
            '<p>Get our morning briefing on Syria and the region in your inbox.</p><form>'
            '<input type="email" name="email" placeholder="Your email"><button>Sign up</button>'
            '</form></section>')

    def head(self, title: str, url: str, extra: str = "") -> str:
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{e(title)} - {e(self.title)}</title><link rel="canonical" href="{e(url)}">'
                f'{extra}<style>{self.css}</style><script>{self.js}</script></head>\n'
                f'<body class="wp-theme">\n')


class BenchSite(Site):
    """N article pages over ``outlets`` outlets; ``routes[outlet][path] = (ctype, body)``.

    ``bind(bases)`` renders the pages for the given base URLs (the server's addresses).
    Deterministic for a seed.  ``sizes`` holds every article page's byte size.
    """

    profile = "bench-synthetic"
    first = 60
    prepare = True  # served at the cost of pre-rendered responses (the site never changes)
    sources_header = "# Sources of the throughput benchmark's synthetic site (crawler/fakeweb, bench-synthetic)."

    def __init__(self, pages: int = 5000, outlets: int = 4, seed: int = 8,
                 host_prefix: str = "127.0.0", first: int | None = None, port: int = 0):
        super().__init__(host_prefix, first, port)
        self.pages = pages
        self.rng = random.Random(seed)
        self.outlets = [Outlet(i, random.Random(seed * 100 + i)) for i in range(outlets)]
        self.sizes: list[int] = []

    def hosts(self):
        return [(o.name, self.address(i)) for i, o in enumerate(self.outlets)]

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--pages", type=int, default=5000, help="article pages (default 5000)")
        parser.add_argument("--outlets", type=int, default=4, help="outlets, one address each (default 4)")
        parser.add_argument("--seed", type=int, default=8)

    # ------------------------------------------------------------------ rendering
    def bind(self, bases: dict[str, str]) -> "BenchSite":
        rng = self.rng
        writer = Writer(rng)
        start = datetime(2026, 10, 31, 22, 0, tzinfo=timezone.utc)
        stories = {o.name: [] for o in self.outlets}
        for outlet in self.outlets:
            outlet.chrome(bases[outlet.name])
            self.routes[outlet.name] = {}
        for n in range(self.pages):
            outlet = self.outlets[n % len(self.outlets)]
            when = start - timedelta(minutes=17 * n + rng.randrange(15))
            title = writer.title()
            slug = "-".join(w.strip(",").lower() for w in title.split()[:6])
            path = f"/news/{when:%Y/%m/%d}/{slug}-{100000 + n}/"
            stories[outlet.name].append({"title": title, "path": path, "when": when,
                                         "section": rng.choice(SECTIONS[:6])})
        for outlet in self.outlets:
            mine = stories[outlet.name]
            for i, story in enumerate(mine):
                body = self.article(outlet, story, mine, i, writer).encode("utf-8")
                self.sizes.append(len(body))
                self.routes[outlet.name][story["path"]] = (HTML, body)
            self.listings(outlet, mine)
            self.feeds(outlet, mine)
        return self

    def article(self, outlet: Outlet, story: dict, mine: list, i: int, writer: Writer) -> str:
        rng, base = self.rng, outlet.base
        url = base + story["path"]
        target = rng.randrange(30_000, 120_000)
        authors = [f"{writer.pick(FIRST)} {writer.pick(LAST)}"
                   for _ in range(1 if rng.random() < 0.8 else 2)]
        published = story["when"].isoformat()
        paragraphs = [writer.paragraph() for _ in range(rng.randint(7, 22))]
        place = next((p for p in PLACES if p in story["title"]), "Syria")
        paragraphs[0] = f"{place.upper()}, Syria \u2014 " + paragraphs[0]
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": story["title"], "datePublished": published,
                         "author": [{"@type": "Person", "name": a} for a in authors],
                         "publisher": {"@type": "Organization", "name": outlet.title},
                         "mainEntityOfPage": url})
        extra = (f'<meta property="og:type" content="article"><meta property="og:title" '
                 f'content="{e(story["title"])}"><meta property="og:url" content="{e(url)}">'
                 f'<meta property="article:published_time" content="{published}">'
                 f'<meta name="author" content="{e(", ".join(authors))}">'
                 f'<link rel="alternate" type="application/rss+xml" href="{base}/feed/">'
                 f'<script type="application/ld+json">{ld}</script>')
        others = [mine[(i + k * 7 + 1) % len(mine)] for k in range(24)]
        ticker = "".join(f'<li><a href="{base}{o["path"]}">{e(o["title"])}</a></li>'
                         for o in others[:8])
        body = []
        for k, para in enumerate(paragraphs):
            body.append(f"<p>{e(para)}</p>")
            if k == 2:
                o = others[8]
                body.append(f'<p class="read-also"><strong>Read also: <a href="{base}{o["path"]}">'
                            f'{e(o["title"])}</a></strong></p>')
            if k == 5:
                body.append('<div class="ad ad-inline" data-slot="mid-article"><span>Advertisement'
                            '</span><div id="div-gpt-ad-1"></div></div>')
        share = "".join(f'<li><a class="share-{s}" href="https://{s}.example/share?u={e(url)}">'
                        f'Share on {s.title()}</a></li>'
                        for s in ("facebook", "twitter", "whatsapp", "telegram", "email"))
        related = "".join(f'<li class="related-post"><a href="{base}{o["path"]}"><img src="{base}'
                          f'/img/{rng.randrange(10**6)}.jpg" alt=""><span>{e(o["title"])}</span>'
                          f'</a></li>' for o in others[9:15])
        most_read = "".join(f'<li><a href="{base}{o["path"]}">{e(o["title"])}</a></li>'
                            for o in others[15:24])
        author_box = (f'<div class="author-box"><img src="{base}/img/author.jpg" alt=""><p>'
                      f'{e(authors[0])} covers northern Syria for {e(outlet.title)}. Follow '
                      f'{e(authors[0].split()[0])} on social media.</p></div>')
        head = outlet.head(story["title"], url, extra)
        article = (
            f'<div id="content" class="site-content"><ul class="breaking-ticker">{ticker}</ul>\n'
            f'<main id="main" class="site-main"><article class="post type-post">'
            f'<header class="entry-header"><span class="cat-links"><a href="{base}/section/'
            f'{story["section"]}/">{story["section"].title()}</a></span><h1 class="entry-title">'
            f'{e(story["title"])}</h1><div class="entry-meta"><span class="byline">By '
            f'{", ".join(e(a) for a in authors)}</span> <time datetime="{published}">'
            f'{human_date(story["when"])}</time> <span class="reading-time">'
            f'{len(paragraphs) // 3 + 1} min read</span></div></header>'
            f'<figure class="wp-block-image"><img src="{base}/img/{rng.randrange(10**6)}.jpg" '
            f'alt=""><figcaption>A street in {e(place)}. Photo: {e(writer.pick(FIRST))} '
            f'{e(writer.pick(LAST))}/{e(outlet.title)}</figcaption></figure>'
            f'<div class="entry-content">\n' + "\n".join(body) + '\n</div>'
            f'<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><ul>{share}</ul></div>'
            f'<footer class="entry-footer"><span class="tags-links">Tags: '
            + " ".join(f'<a href="{base}/tag/{p.lower().replace(" ", "-")}/" rel="tag">{e(p)}</a>'
                       for p in rng.sample(PLACES, 4))
            + f'</span></footer>{author_box}</article>'
            f'<div class="jp-relatedposts"><h3>Related</h3><ul>{related}</ul></div>')
        tail_fixed = (f'</main><aside id="secondary" class="widget-area"><section class="widget '
                      f'most-read"><h2>Most read</h2><ol>{most_read}</ol></section>'
                      f'{outlet.newsletter}</aside></div>\n' + outlet.footer)
        size = len(head) + len(outlet.header) + len(article) + len(tail_fixed) + 400
        comments = []
        n_comments = rng.randrange(0, 60)
        for c in range(n_comments):
            if size > target - 2000:
                break
            text = " ".join(writer.pick(CHATTER) + "." for _ in range(rng.randint(1, 3)))
            chunk = (f'<li class="comment" id="comment-{rng.randrange(10**7)}"><div class="comment-author">'
                     f'<img src="{base}/img/avatar.png" alt=""><b>{e(writer.pick(FIRST))}'
                     f'{rng.randrange(100)}</b> <time>{rng.randint(1, 23)} hours ago</time></div>'
                     f'<p>{e(text)}</p><a class="comment-reply-link" href="#respond">Reply</a></li>')
            comments.append(chunk)
            size += len(chunk)
        comment_html = (
            f'<div id="comments" class="comments-area"><h2 class="comments-title">'
            f'{len(comments)} comments</h2><ol class="comment-list">{"".join(comments)}</ol>'
            f'<div id="respond" class="comment-respond"><h3>Leave a reply</h3><form action="'
            f'{base}/wp-comments-post.php" method="post" class="comment-form"><p>Your email '
            f'address will not be published. Required fields are marked *</p><textarea '
            f'name="comment"></textarea><input name="author" placeholder="Name *"><input '
            f'name="email" placeholder="Email *"><input type="submit" value="Post comment">'
            f'</form></div></div>')
        blob = ""
        missing = target - size - len(comment_html)
        if missing > 100:
            blob = (f'<script id="__STATE__" type="application/json">{{"ads":"'
                    f'{rng.randbytes(missing // 2).hex()}"}}</script>')
        return (head + outlet.header + article + comment_html + tail_fixed + blob
                + "</body></html>\n")

    def listings(self, outlet: Outlet, mine: list) -> None:
        base, per = outlet.base, 30

        def page(title: str, url: str, items: list, next_url: str | None) -> bytes:
            ld = json.dumps({"@context": "https://schema.org", "@type": "CollectionPage",
                             "name": title})
            lis = "".join(f'<li class="teaser"><h2><a href="{base}{s["path"]}">{e(s["title"])}'
                          f'</a></h2><time>{human_date(s["when"])}</time></li>' for s in items)
            more = f'<a class="next" href="{next_url}">Older stories</a>' if next_url else ""
            html = (outlet.head(title, url, f'<script type="application/ld+json">{ld}</script>')
                    + outlet.header + f'<main class="archive"><h1>{e(title)}</h1><ul>{lis}</ul>'
                    f'{more}</main>' + outlet.footer + "</body></html>\n")
            return html.encode("utf-8")

        routes = self.routes[outlet.name]
        chunks = [mine[k:k + per] for k in range(0, len(mine), per)] or [[]]
        for n, items in enumerate(chunks, start=1):
            path = "/" if n == 1 else f"/page/{n}/"
            nxt = f"{base}/page/{n + 1}/" if n < len(chunks) else None
            routes[path] = (HTML, page(f"{outlet.title}: latest news", base + path, items, nxt))
        for section in SECTIONS:
            items = [s for s in mine if s["section"] == section][:per]
            path = f"/section/{section}/"
            routes[path] = (HTML, page(section.replace("-", " ").title(), base + path, items, None))

    def feeds(self, outlet: Outlet, mine: list) -> None:
        base = outlet.base
        routes = self.routes[outlet.name]
        items = [discovery.FeedItem(s["title"], base + s["path"], s["when"]) for s in mine[:50]]
        routes["/feed/"] = (RSS, discovery.rss(outlet.title, base + "/", items,
                                               description="Latest").encode("utf-8"))
        maps = []
        for k in range(0, max(len(mine), 1), 1000):
            path = f"/sitemap-posts-{k // 1000 + 1}.xml"
            routes[path] = (XML, discovery.urlset((base + s["path"], s["when"].isoformat())
                                                  for s in mine[k:k + 1000]).encode("utf-8"))
            maps.append(base + path)
        routes["/sitemap.xml"] = (XML, discovery.sitemap_index(maps).encode("utf-8"))
        routes["/robots.txt"] = (TEXT, discovery.robots_txt(
            disallow=["/wp-admin/", "/search/"], allow=["/"],
            sitemaps=[base + "/sitemap.xml"]).encode("utf-8"))

    # ------------------------------------------------------------------ sources
    def source_entries(self) -> list[dict]:
        """Each outlet's sitemap index and feed."""
        return [{"name": o.name, "title": o.title, "sitemaps": [o.base + "/sitemap.xml"],
                 "feeds": [o.base + "/feed/"], "language": "en"} for o in self.outlets]

    def sitemaps(self) -> list[str]:
        return [o.base + "/sitemap.xml" for o in self.outlets]

    def describe(self) -> dict:
        sizes = sorted(self.sizes)
        return {**super().describe(), "pages": self.pages, "sitemaps": self.sitemaps(),
                "bytes": sum(sizes), "size_min": sizes[0] if sizes else 0,
                "size_median": sizes[len(sizes) // 2] if sizes else 0,
                "size_max": sizes[-1] if sizes else 0}
