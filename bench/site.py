"""The throughput benchmark's synthetic news site, and a loopback server for it.

``BenchSite(pages, outlets)`` generates N article pages spread over a few fictional outlets
(each served on its own loopback address, as a crawl of several outlets is), plus what the
crawler meets on a real outlet: a home page and numbered listing pages, section pages, an
RSS feed, a sitemap index with its sitemaps, and robots.txt.  Every article page is 30-120
KB, of which the story is a small part: inline CSS and analytics scripts, a cookie banner,
a mega-menu, a breaking-news ticker, share rows, an author box, related and most-read
lists, a newsletter box, reader comments with a comment form, a footer link farm and a
JSON state blob, as real outlets carry.

The stories are Syria-conflict reports written from word lists and sentence parts (places,
armed groups, events, numbers, dates all drawn at random), so the topic filter keeps them
and no two are near-copies the dedup stage would fold.  Everything is fictional.

Pages are rendered once into bytes (status line and headers included) and served from
memory by a single asyncio process: on loopback it answers far faster than a crawler with
a parser can ask.  Run it as a process of its own (the benchmark does)::

    python bench/site.py --pages 5000        # prints {"bases": {...}, "pages": N} and serves

(``--port 80`` when it may: news-please cannot crawl a site whose URLs carry a port).

and it stops when its stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
import threading
from datetime import datetime, timedelta, timezone
from html import escape

SECTIONS = ["syria", "middle-east", "world", "politics", "economy", "humanitarian",
            "opinion", "investigations", "video", "culture"]
PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Raqqa", "Deir ez-Zor", "Daraa", "Douma",
          "Manbij", "Afrin", "Kobani", "Qamishli", "Hasakah", "Palmyra", "Latakia", "Tartus",
          "Saraqib", "Ariha", "Jisr al-Shughur", "Maarat al-Numan", "Khan Shaykhun",
          "Azaz", "al-Bab", "Jarabulus", "Tal Abyad", "Ras al-Ain", "Mayadin", "Abu Kamal",
          "Suwayda", "Quneitra", "Darayya", "Harasta", "Zabadani", "Qusayr", "Rastan",
          "Talbiseh", "Salamiyah", "Masyaf", "Jableh", "Atarib", "Dana", "Sarmada",
          "Harem", "Binnish", "Taftanaz", "Kafr Nabl", "Busra al-Sham", "Nawa", "Tafas",
          "Inkhil", "Jasim", "Deir Hafer", "Maskanah", "Tabqa", "Shaddadi", "Hajin"]
ACTORS = ["the Syrian Observatory for Human Rights", "the Syrian Democratic Forces",
          "Hayat Tahrir al-Sham", "the Syrian National Army", "Syrian government forces",
          "the Russian air force", "the White Helmets", "Islamic State fighters",
          "Turkish-backed factions", "local council officials", "the UN refugee agency",
          "the World Food Programme", "the Syrian Network for Human Rights",
          "Hezbollah units", "the Fourth Division", "National Defence Forces"]
EVENTS = ["an airstrike", "artillery shelling", "a drone strike", "mortar fire",
          "a car bomb", "armed clashes", "a rocket attack", "barrel bombs", "a landmine",
          "an air raid", "sniper fire", "a missile strike"]
EVENT_VERBS = ["hit", "struck", "targeted", "killed people in", "damaged homes in",
               "shook", "tore through", "reached"]
PEOPLE = ["civilians", "children", "fighters", "aid workers", "farmers", "students",
          "displaced families", "medics", "residents", "shop owners", "teachers", "drivers"]
ADJ = ["eastern", "western", "northern", "southern", "old", "crowded", "rural", "besieged",
       "rebel-held", "government-held", "damaged", "contested", "frontline", "quiet",
       "rain-soaked", "dusty", "ruined", "rebuilt", "makeshift", "abandoned"]
PLACE_NOUNS = ["market", "hospital", "school", "bakery", "camp", "checkpoint", "mosque",
               "water station", "bridge", "field clinic", "olive grove", "grain silo",
               "bus station", "power plant", "courthouse", "neighbourhood", "village",
               "road", "warehouse", "orphanage", "fuel depot", "cemetery"]
SOURCES = ["a local journalist", "a medic at the scene", "a spokesman", "two witnesses",
           "a civil defence volunteer", "a council member", "a displaced teacher",
           "a monitor based in the area", "a nurse", "a truck driver", "an imam",
           "a shopkeeper", "a former detainee", "a farmer from the area"]
SAY = ["said", "told reporters", "reported", "confirmed", "wrote on social media",
       "told our correspondent", "said by telephone", "added", "insisted", "recalled"]
WHEN = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
        "on Saturday", "on Sunday", "overnight", "at dawn", "late on {day}",
        "early on {day}", "in the afternoon", "after midnight", "before sunrise"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NEEDS = ["bread", "fuel", "clean water", "insulin", "blankets", "baby formula", "tents",
         "heating oil", "antibiotics", "flour", "diesel", "school books", "generators"]
FIRST = ["Ahmad", "Rania", "Khaled", "Lina", "Omar", "Hiba", "Yusuf", "Samar", "Tariq",
         "Nour", "Fadi", "Maya", "Bilal", "Dima", "Hassan", "Reem", "Karim", "Salma"]
LAST = ["Haddad", "Khatib", "Mansour", "Sabbagh", "Darwish", "Halabi", "Nasser", "Qassem",
        "Shami", "Youssef", "Hamdan", "Aziz", "Barakat", "Saleh", "Jaber", "Rahal"]
CHATTER = ["Thank you for reporting this", "Where is the world", "My family is from there",
           "This needs more attention", "Praying for everyone", "Great reporting as always",
           "The numbers are surely higher", "Who will rebuild the town", "Stay safe",
           "Please follow up on the hospital", "I was there last year", "Heartbreaking",
           "Why is nobody talking about this", "Good piece but the map is outdated"]
LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua").split()


def e(text) -> str:
    return escape(str(text), quote=True)


# ------------------------------------------------------------------------------- stories
class Writer:
    """Writes Syria-conflict stories from sentence parts; each call draws anew."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def when(self) -> str:
        return self.pick(WHEN).replace("{day}", self.pick(DAYS))

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return str(self.rng.randint(2, 95))
        if r < 0.8:
            return f"{self.rng.randint(1, 40) * 25:,}"
        return self.pick(["dozens of", "hundreds of", "at least a dozen", "several"])

    def place_np(self) -> str:
        return f"the {self.pick(ADJ)} {self.pick(PLACE_NOUNS)} of {self.pick(PLACES)}"

    def sentence(self) -> str:
        p, r = self.pick, self.rng
        kind = int(r.random() * 12)
        if kind == 0:
            s = (f"{p(EVENTS)} {p(EVENT_VERBS)} {self.place_np()} {self.when()}, "
                 f"killing {self.number()} {p(PEOPLE)} and wounding {self.number()} more, "
                 f"{p(ACTORS)} {p(SAY)}")
        elif kind == 1:
            s = (f"{p(SOURCES)} {p(SAY)} that {self.number()} {p(PEOPLE)} had "
                 f"fled towards {p(PLACES)} since {p(MONTHS)} {r.randint(1, 28)}")
        elif kind == 2:
            s = (f"The {p(PLACE_NOUNS)} in {p(PLACES)} has been without {p(NEEDS)} for "
                 f"{r.randint(2, 60)} days, and the nearest {p(PLACE_NOUNS)} is "
                 f"{r.randint(3, 90)} kilometres away in {p(PLACES)}")
        elif kind == 3:
            s = (f"{p(ACTORS)} accused {p(ACTORS)} of {p(EVENTS)} near "
                 f"{p(PLACES)}, a charge that could not be independently verified")
        elif kind == 4:
            s = (f"\u201c{p(CHATTER)},\u201d {p(SOURCES)} from {p(PLACES)} {p(SAY)}, asking "
                 f"not to be named for fear of reprisals")
        elif kind == 5:
            s = (f"A convoy of {r.randint(4, 120)} trucks carrying {p(NEEDS)} and {p(NEEDS)} "
                 f"crossed at {p(PLACES)} {self.when()}, the first since {p(MONTHS)}")
        elif kind == 6:
            s = (f"Prices of {p(NEEDS)} in {p(PLACES)} rose by {r.randint(5, 300)} percent "
                 f"in {p(MONTHS)}, {p(SOURCES)} {p(SAY)}")
        elif kind == 7:
            s = (f"{p(ACTORS)} said {self.number()} of its members were "
                 f"arrested at a checkpoint outside {p(PLACES)} in {r.randint(2012, 2025)}")
        elif kind == 8:
            s = (f"Fighting around {self.place_np()} has displaced {self.number()} families, "
                 f"according to {p(ACTORS)}")
        elif kind == 9:
            s = (f"The road between {p(PLACES)} and {p(PLACES)} reopened {self.when()} after "
                 f"{r.randint(2, 30)} weeks of {p(EVENTS)}")
        elif kind == 10:
            s = (f"{p(FIRST)} {p(LAST)}, {r.randint(19, 78)}, {p(SAY)} that the "
                 f"{p(PLACE_NOUNS)} where {p(['she', 'he'])} worked in {p(PLACES)} was "
                 f"{p(['hit twice', 'looted', 'shelled', 'turned into a barracks', 'reopened'])}")
        else:
            s = (f"Syrian {p(PEOPLE)} in {p(PLACES)} and {p(PLACES)} described "
                 f"{p(['long queues', 'power cuts', 'night raids', 'closed schools', 'empty shelves'])} "
                 f"and {p(['fear', 'exhaustion', 'anger', 'uncertainty', 'hope'])} {self.when()}")
        return s[0].upper() + s[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def title(self) -> str:
        p, r = self.pick, self.rng
        return p([
            f"{p(EVENTS).capitalize()} kills {r.randint(2, 60)} in {p(PLACES)}, monitor says",
            f"Families flee {p(PLACES)} as {p(EVENTS)} intensifies",
            f"{p(NEEDS).capitalize()} runs short in {p(PLACES)} after {r.randint(2, 40)} days",
            f"Aid convoy reaches {p(PLACES)} for the first time since {p(MONTHS)}",
            f"Clashes near {p(PLACES)} leave {r.randint(3, 90)} dead in northern Syria",
            f"In {p(PLACES)}, the {p(PLACE_NOUNS)} reopens amid {p(EVENTS)}",
        ])


# --------------------------------------------------------------------------------- pages
HEX = "0123456789abcdef"


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


class BenchSite:
    """N article pages over ``outlets`` outlets; ``routes[outlet][path] = (ctype, body)``.

    ``bind(bases)`` renders the pages for the given base URLs (the server's addresses).
    Deterministic for a seed.  ``sizes`` holds every article page's byte size.
    """

    def __init__(self, pages: int = 5000, outlets: int = 4, seed: int = 8):
        self.pages = pages
        self.rng = random.Random(seed)
        self.outlets = [Outlet(i, random.Random(seed * 100 + i)) for i in range(outlets)]
        self.routes: dict[str, dict[str, tuple[str, bytes]]] = {}
        self.sizes: list[int] = []

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
                self.routes[outlet.name][story["path"]] = ("text/html; charset=utf-8", body)
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
            f'{story["when"]:%-d %B %Y}</time> <span class="reading-time">'
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
                          f'</a></h2><time>{s["when"]:%-d %B %Y}</time></li>' for s in items)
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
            routes[path] = ("text/html; charset=utf-8",
                            page(f"{outlet.title}: latest news", base + path, items, nxt))
        for section in SECTIONS:
            items = [s for s in mine if s["section"] == section][:per]
            path = f"/section/{section}/"
            routes[path] = ("text/html; charset=utf-8",
                            page(section.replace("-", " ").title(), base + path, items, None))

    def feeds(self, outlet: Outlet, mine: list) -> None:
        base = outlet.base
        routes = self.routes[outlet.name]
        items = "".join(
            f"<item><title>{e(s['title'])}</title><link>{base}{s['path']}</link>"
            f"<guid>{base}{s['path']}</guid><pubDate>{s['when']:%a, %d %b %Y %H:%M:%S} +0000"
            f"</pubDate></item>" for s in mine[:50])
        routes["/feed/"] = ("application/rss+xml; charset=utf-8", (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>'
            f'{e(outlet.title)}</title><link>{base}/</link><description>Latest</description>'
            f'{items}</channel></rss>').encode("utf-8"))
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        maps = []
        for k in range(0, max(len(mine), 1), 1000):
            urls = "".join(f"<url><loc>{base}{s['path']}</loc><lastmod>{s['when'].isoformat()}"
                           f"</lastmod></url>" for s in mine[k:k + 1000])
            path = f"/sitemap-posts-{k // 1000 + 1}.xml"
            routes[path] = ("application/xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                                               f'<urlset {ns}>{urls}</urlset>'.encode("utf-8"))
            maps.append(path)
        index = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in maps)
        routes["/sitemap.xml"] = ("application/xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                                                     f'<sitemapindex {ns}>{index}</sitemapindex>'
                                                     .encode("utf-8"))
        routes["/robots.txt"] = ("text/plain", (
            f"User-agent: *\nDisallow: /wp-admin/\nDisallow: /search/\nAllow: /\n\n"
            f"Sitemap: {base}/sitemap.xml\n").encode("utf-8"))

    # ------------------------------------------------------------------ sources
    def sources_toml(self, feeds: bool = True) -> str:
        """A newsarchive sources file: each outlet's sitemap index (and feed)."""
        out = ["# Sources of the throughput benchmark's synthetic site (bench/site.py).", ""]
        for o in self.outlets:
            out += ["[[source]]", f'name = "{o.name}"', f'title = "{o.title}"',
                    f'sitemaps = ["{o.base}/sitemap.xml"]',
                    f'feeds = ["{o.base}/feed/"]' if feeds else "feeds = []",
                    'language = "en"', ""]
        return "\n".join(out)

    def sitemaps(self) -> list[str]:
        return [o.base + "/sitemap.xml" for o in self.outlets]


# -------------------------------------------------------------------------------- server
NOT_FOUND = b"<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>\n"


def _response(status: str, ctype: str, body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\nServer: benchsite\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\nCache-Control: max-age=60\r\n\r\n"
            ).encode("latin-1") + body


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, GET and HEAD, answers from pre-rendered bytes."""

    def __init__(self, table: dict[bytes, bytes], head_len: dict[bytes, int], counter: list):
        self.table, self.head_len, self.counter = table, head_len, counter
        self.buffer = b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            request, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            line, _, headers = request.partition(b"\r\n")
            parts = line.split(b" ")
            if len(parts) != 3:
                self.transport.close()
                return
            method, target = parts[0], parts[1].split(b"?", 1)[0]
            answer = self.table.get(target) or self.table[b"\x00404"]
            self.counter[0] += 1
            if method == b"HEAD":
                answer = answer[:self.head_len.get(target, self.head_len[b"\x00404"])]
            self.transport.write(answer)
            if b"connection: close" in headers.lower():
                self.transport.close()
                return


def _tables(site: BenchSite, outlet: str):
    table, head_len = {}, {}
    for path, (ctype, body) in site.routes[outlet].items():
        full = _response("200 OK", ctype, body)
        key = path.encode("utf-8")
        table[key], head_len[key] = full, len(full) - len(body)
    full = _response("404 Not Found", "text/html; charset=utf-8", NOT_FOUND)
    table[b"\x00404"], head_len[b"\x00404"] = full, len(full) - len(NOT_FOUND)
    site.routes[outlet] = {}  # keep one copy of the bytes only
    return table, head_len


async def serve(pages: int, outlets: int, seed: int, host_prefix: str, first: int,
                port: int = 0) -> None:
    loop = asyncio.get_running_loop()
    site = BenchSite(pages, outlets, seed)
    counter = [0]
    servers, bases, protocols = [], {}, {}
    for i, outlet in enumerate(site.outlets):
        holder: dict = {}
        factory = (lambda h=holder: _Protocol(h["table"], h["head_len"], counter))
        server = None
        for host, want in ((f"{host_prefix}.{first + i}", port), (f"{host_prefix}.{first + i}", 0),
                           ("127.0.0.1", 0)):  # no 127/8 routing: one address, a port each
            try:
                server = await loop.create_server(factory, host, want, backlog=1024)
                break
            except OSError:
                continue
        host, bound = server.sockets[0].getsockname()[:2]
        bases[outlet.name] = f"http://{host}" + (f":{bound}" if bound != 80 else "")
        servers.append(server)
        protocols[outlet.name] = holder
    site.bind(bases)
    sizes = sorted(site.sizes)
    sources = site.sources_toml()
    sitemaps = site.sitemaps()
    for outlet in site.outlets:
        table, head_len = _tables(site, outlet.name)
        protocols[outlet.name].update(table=table, head_len=head_len)
    print(json.dumps({"bases": bases, "pages": pages, "sources_toml": sources,
                      "sitemaps": sitemaps, "bytes": sum(sizes),
                      "size_min": sizes[0] if sizes else 0,
                      "size_median": sizes[len(sizes) // 2] if sizes else 0,
                      "size_max": sizes[-1] if sizes else 0}), flush=True)
    stop = asyncio.Event()

    def watch_stdin():  # the benchmark closes our stdin (or dies): stop
        while sys.stdin.buffer.read(65536):
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    for server in servers:
        server.close()
    print(json.dumps({"requests": counter[0]}), file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--outlets", type=int, default=4)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--host-prefix", default="127.0.0")
    parser.add_argument("--first", type=int, default=60)
    parser.add_argument("--port", type=int, default=0,
                        help="port to try first on every outlet's address (0: any free port)")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.pages, args.outlets, args.seed, args.host_prefix, args.first,
                      args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
