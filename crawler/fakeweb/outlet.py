"""The sample site's model of one outlet: every page of it for a base URL, ``{path: (content_type, bytes)}``.

Discovery pages (robots.txt, RSS feed, sitemap index, Google News sitemap, listing pages)
are generated from the same article records the tests read, so every article is reachable.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from . import discovery, layouts
from .content import load_articles, load_outlets, load_pages
from .markup import HTML, RSS, SVG, TEXT, XML

UTM = "?utm_source=rss&utm_medium=feed"
PER_PAGE = {"drupal": 6, "plain": 5}

PHOTO = ('<svg xmlns="http://www.w3.org/2000/svg" width="720" height="405" viewBox="0 0 720 405">'
         '<rect width="720" height="405" fill="#9a958a"/><text x="360" y="210" font-size="28" '
         'text-anchor="middle" fill="#eee" font-family="sans-serif">photo</text></svg>\n')


def _slugify(name: str) -> str:
    return name.lower().replace(" ", "-")


def _newest_first(arts):
    return sorted(arts, key=lambda a: datetime.fromisoformat(a["published"]), reverse=True)


def _chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


class OutletSite:
    """All pages of one outlet served under ``base`` (e.g. ``http://127.0.0.2:40123``)."""

    def __init__(self, outlet: dict, base: str, articles=None, pages=None):
        self.outlet = outlet
        self.base = base.rstrip("/")
        name = outlet["name"]
        arts = articles if articles is not None else load_articles()
        self.articles = [a for a in arts if a["outlet"] == name]
        self.pages = [p for p in (pages if pages is not None else load_pages()) if p["outlet"] == name]
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.listing_paths: list[str] = []  # listing pages (start URLs for listing-only outlets)
        self._build()

    # ------------------------------------------------------------------ helpers
    def url(self, path: str) -> str:
        return self.base + path

    def _add(self, path, body, ctype=HTML):
        self.routes[path] = (ctype, body.encode("utf-8"))

    def _item(self, art):
        return (art["title"], self.url(art["path"]), art["published"], art["summary"])

    def _related(self, art):
        pool = [a for a in self.articles if a["expect"] != "off_topic" and a is not art] or \
               [a for a in self.articles if a is not art]
        i = self.articles.index(art)
        picks = [pool[(i + k) % len(pool)] for k in range(3)] if pool else []
        unique = list({id(a): a for a in picks}.values())
        return [(a["title"], self.url(a["path"])) for a in unique]

    # ------------------------------------------------------------------ build
    def _build(self):
        o = self.outlet
        layout = o["layout"]
        self._add("/media/photo.svg", PHOTO, SVG)
        by_id = 1000 + 100 * load_outlet_index(o["name"])
        for n, art in enumerate(self.articles):
            related = self._related(art)
            if layout == "wordpress":
                html = layouts.wordpress_article(o, art, self.base, related, by_id + n)
            elif layout == "drupal":
                html = layouts.drupal_article(o, art, self.base, related, by_id + n)
            else:
                html = layouts.plain_article(o, art, self.base, related, by_id + n)
            self._add(art["path"], html)
            if art["amp"]:
                self._add(art["path"] + "amp/", layouts.amp_article(o, art, self.base))
        getattr(self, f"_build_{layout}")()
        self._add("/robots.txt", self.robots_txt(), TEXT)

    def _by_section(self):
        out = defaultdict(list)
        for a in _newest_first(self.articles):
            out[a["section"]].append(a)
        return out

    def _build_wordpress(self):
        o, base = self.outlet, self.base
        newest = _newest_first(self.articles)
        amp_links = [(a["title"], self.url(a["path"] + "amp/")) for a in newest if a["amp"]]
        tag_pages = [p for p in self.pages if p["kind"] == "tag"]
        tag_links = [(p["title"].split(":")[-1].strip(), self.url(p["path"])) for p in tag_pages]
        live = [p for p in self.pages if p["kind"] == "liveblog"]
        front = [self._item(a) for a in newest[:10]]
        self._add("/", layouts.wordpress_listing(o, base, o["tagline"], front, canonical=self.url("/"),
                                                 sidebar_links=amp_links, tag_links=tag_links))
        self.listing_paths.append("/")
        for key, label in o["sections"].items():
            items = [self._item(a) for a in self._by_section().get(key, [])]
            if key == next(iter(o["sections"])):
                items = [(p["title"], self.url(p["path"]), p["published"], p["title"]) for p in live] + items
            path = f"/category/{key}/"
            self._add(path, layouts.wordpress_listing(o, base, label, items, canonical=self.url(path),
                                                      sidebar_links=amp_links, tag_links=tag_links))
            self.listing_paths.append(path)
        tags, authors = defaultdict(list), defaultdict(list)
        for a in newest:
            for t in a["tags"]:
                tags[t].append(self._item(a))
            for au in a["authors"]:
                authors[_slugify(au)].append((au, self._item(a)))
        for t, items in tags.items():
            self._add(f"/tag/{t}/", layouts.wordpress_listing(o, base, f'{o["strings"]["tags"]} {t}', items,
                                                             canonical=self.url(f"/tag/{t}/")))
        for slug, pairs in authors.items():
            self._add(f"/author/{slug}/", layouts.wordpress_listing(o, base, pairs[0][0], [i for _, i in pairs],
                                                                   canonical=self.url(f"/author/{slug}/")))
        for p in self.pages:
            if p["kind"] == "tag":
                self._add(p["path"], layouts.wordpress_listing(o, base, p["title"], [], canonical=self.url(p["path"])))
            elif p["kind"] == "liveblog":
                self._add(p["path"], layouts.liveblog(o, base, p))
        self._add("/feed/", self.rss(live), RSS)
        if "sitemap" in o["discovery"]:
            self._add("/sitemap.xml", self.urlset(self.articles), XML)

    def _build_drupal(self):
        o, base = self.outlet, self.base
        newest = _newest_first(self.articles)
        most_read = [(a["title"], self.url(a["path"])) for a in newest if a["expect"] == "stored"][:5]
        per = PER_PAGE["drupal"]

        def views(path, title, arts, intro=""):
            chunks = _chunks([self._item(a) for a in arts], per)
            urls = [self.url(path)] + [self.url(f"{path}?page={i}") for i in range(1, len(chunks))]
            for i, chunk in enumerate(chunks):
                pager = [(str(j + 1), u, j == i) for j, u in enumerate(urls)] if len(chunks) > 1 else []
                if pager and i + 1 < len(chunks):
                    pager.append((o["strings"]["next_page"], urls[i + 1], False))
                key = path if i == 0 else f"{path}?page={i}"
                self._add(key, layouts.drupal_listing(o, base, title, chunk, canonical=urls[i], pager=pager,
                                                      most_read=most_read, intro=intro))
                self.listing_paths.append(key)

        views("/", o["tagline"], newest[:per])
        views("/news/", "Latest news", newest)
        for key, label in o["sections"].items():
            views(f"/news/{key}/", label, self._by_section().get(key, []))
        tags, authors = defaultdict(list), defaultdict(list)
        for a in newest:
            for t in a["tags"]:
                tags[t].append(a)
            for au in a["authors"]:
                authors[_slugify(au)].append(a)
        for t, arts in tags.items():
            views(f"/tags/{t}/", t.replace("-", " "), arts)
        bios = {p["path"]: p for p in self.pages if p["kind"] == "author"}
        for slug, arts in authors.items():
            path = f"/author/{slug}/"
            page = bios.get(path)
            views(path, arts[0]["authors"][[_slugify(x) for x in arts[0]["authors"]].index(slug)],
                  arts, intro=page["bio"] if page else "")
        for p in self.pages:
            if p["kind"] == "about":
                self._add(p["path"], layouts.drupal_simple(o, base, p, most_read))
        self._add("/sitemap.xml", self.sitemap_index(["/sitemaps/pages.xml", "/sitemaps/news.xml"]), XML)
        extra = [p["path"] for p in self.pages] + ["/news/"]
        self._add("/sitemaps/pages.xml", self.urlset(self.articles, extra), XML)
        recent = [a for a in newest if a["published"] >= "2024-01-01"]
        self._add("/sitemaps/news.xml", self.news_sitemap(recent), XML)

    def _build_plain(self):
        o, base = self.outlet, self.base
        newest = _newest_first(self.articles)
        per = PER_PAGE["plain"]
        sections = [(label, self.url(f"/{key}/")) for key, label in o["sections"].items()]
        extras = [(p["title"], self.url(p["path"])) for p in self.pages]
        self._add("/", layouts.plain_listing(o, base, "Latest stories", [self._item(a) for a in newest[:5]],
                                             canonical=self.url("/"), sections=sections + extras))
        self.listing_paths.append("/")
        for key, label in o["sections"].items():
            chunks = _chunks([self._item(a) for a in self._by_section().get(key, [])], per)
            for i, chunk in enumerate(chunks):
                path = f"/{key}/" if i == 0 else f"/{key}/page/{i + 1}/"
                nxt = self.url(f"/{key}/page/{i + 2}/") if i + 1 < len(chunks) else None
                title = label if i == 0 else f"{label} ({o['strings']['page']} {i + 1})"
                self._add(path, layouts.plain_listing(o, base, title, chunk, canonical=self.url(path),
                                                      next_url=nxt, next_num=i + 2))
                self.listing_paths.append(path)
        for p in self.pages:
            if p["kind"] == "about":
                self._add(p["path"], layouts.plain_simple(o, base, p))

    # ------------------------------------------------------------------ XML and text
    def robots_txt(self) -> str:
        sitemaps = [self.url("/sitemap.xml")] if "/sitemap.xml" in self.routes else []
        return discovery.robots_txt(self.outlet.get("robots_disallow", []), sitemaps=sitemaps)

    def rss(self, live=()) -> str:
        o = self.outlet
        items = [discovery.FeedItem(a["title"], self.url(a["path"]) + UTM, a["published"],
                                    guid=self.url(a["path"]), authors=a["authors"],
                                    category=o["sections"][a["section"]], summary=a["summary"])
                 for a in self.articles]
        items += [discovery.FeedItem(p["title"], self.url(p["path"]) + UTM, p["published"],
                                     guid=self.url(p["path"]), category="Live", summary=p["title"])
                  for p in live]
        items.sort(key=lambda item: datetime.fromisoformat(item.published), reverse=True)
        return discovery.rss(o["title"], self.url("/"), items, description=o["tagline"],
                             self_url=self.url("/feed/"), language=o["language"])

    def urlset(self, articles, extra_paths=()) -> str:
        return discovery.urlset([(self.url(a["path"]), a["published"]) for a in articles]
                                + [(self.url(p), None) for p in extra_paths])

    def sitemap_index(self, paths) -> str:
        return discovery.sitemap_index(self.url(p) for p in paths)

    def news_sitemap(self, articles) -> str:
        return discovery.news_sitemap(self.outlet["title"], [
            (self.url(a["path"]), a["language"], a["published"], a["title"]) for a in articles])

    # ------------------------------------------------------------------ discovery for sources
    def source_entry(self) -> dict:
        o = self.outlet
        entry = {"name": o["name"], "title": o.get("title_latin", o["title"]), "language": o["language"],
                 "follow_depth": 1}
        if o["layout"] == "wordpress":
            entry["feeds"] = [self.url("/feed/")]
            entry["start_urls"] = [self.url(p) for p in self.listing_paths if p != "/"]
            entry["deny"] = ["/wp-admin/", r"\?s="]
        elif o["layout"] == "drupal":
            entry["sitemaps"] = [self.url("/sitemap.xml")]
            entry["deny"] = ["/user/", "/admin/"]
        else:
            entry["start_urls"] = [self.url(p) for p in self.listing_paths]
        return entry


def load_outlet_index(name: str) -> int:
    return [o["name"] for o in load_outlets()].index(name)
