"""A hostile web site on loopback: every fault case the crawler must survive, one per path.

``FaultSite`` serves a fictional outlet on ``127.0.0.20`` (its feed lists one article
candidate per fault case, its listing page links to the spider traps), a second host
whose robots.txt answers 503, and a canary on ``127.0.0.1`` that records every request
(redirects point there: it must never be reached).  Texts are our own words.

Example::

    with FaultSite() as site:
        site.write_sources(tmp_path / "sources.toml")
        ...
        assert site.hits["/flaky"] == 2
"""

from __future__ import annotations

import brotli
import gzip
import hashlib
import json
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

BOMB = 8 * 1024 * 1024  # decompressed bytes of each compression bomb (cap in tests: 1 MiB)
MB = 1024 * 1024

# Articles are built from these parts, chosen by the case's name, so that no two cases'
# texts are near-duplicates of each other (the dedup stage would fold them together).
EN_WHO = ["Residents", "Aid workers", "Local officials", "Teachers", "Farmers", "Doctors",
          "Shopkeepers", "Volunteers", "Displaced families", "Engineers", "Students", "Drivers"]
EN_PLACE = ["Aleppo", "Idlib", "Hama", "Homs", "Damascus", "Daraa", "Raqqa", "Deir ez-Zor",
            "Latakia", "Qamishli", "Afrin", "Manbij"]
EN_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EN_WHAT = ["water trucks", "bread deliveries", "fuel convoys", "medical supplies",
           "repair crews", "school kits", "generators", "winter blankets", "seed stocks",
           "vaccination teams", "mobile clinics", "food baskets"]
EN_HOW = ["reached", "bypassed", "were delayed outside", "finally returned to",
          "were turned back from", "were rationed across"]
EN_WHY = ["after weeks of shelling on the front line", "because checkpoints closed overnight",
          "as the Syrian government and opposition factions traded accusations",
          "while the ceasefire brokered last spring held only in part",
          "since airstrikes damaged the main road",
          "because the Syrian conflict cut the power grid"]
AR_WHO = ["سكان", "عمال إغاثة", "مسؤولون محليون", "معلمون", "مزارعون", "أطباء", "متطوعون", "نازحون"]
AR_PLACE = ["حلب", "إدلب", "حماة", "حمص", "دمشق", "درعا", "الرقة", "دير الزور"]
AR_WHAT = ["صهاريج المياه", "شحنات الخبز", "قوافل الوقود", "الإمدادات الطبية", "فرق الصيانة",
           "المولدات", "البطانيات", "السلال الغذائية"]
AR_WHY = ["بعد أسابيع من القصف على خطوط الجبهة", "بسبب إغلاق الحواجز ليلا",
          "في ظل اتهامات متبادلة بين الحكومة السورية وفصائل المعارضة",
          "رغم وقف إطلاق النار الهش", "بعد أن ألحقت الغارات الجوية أضرارا بالطريق الرئيسي"]
ARABIC_MARK = "وقال شهود في المخيمات إن الأوضاع تزداد سوءا مع اقتراب الشتاء"


def _pick(options, seed: int, i: int):
    return options[(seed // (i + 1) + i * 7 + seed % (i + 3)) % len(options)]


def story(name: str, arabic: bool = False) -> list[str]:
    """Six paragraphs of news-like prose about Syria, different for every ``name``."""
    seed = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    out = []
    for i in range(6):
        n = seed % 900 + 37 * i + 12
        if arabic:
            out.append(f"قال {_pick(AR_WHO, seed, i)} في {_pick(AR_PLACE, seed, i + 1)} إن "
                       f"{_pick(AR_WHAT, seed, i + 2)} وصلت إلى {n} عائلة "
                       f"{_pick(AR_WHY, seed, i + 3)}، وإن المجالس المحلية في "
                       f"{_pick(AR_PLACE, seed, i + 4)} تطالب بممرات آمنة قبل نهاية الشهر، "
                       f"فيما يستمر النزاع في سوريا منذ سنوات.")
        else:
            out.append(f"{_pick(EN_WHO, seed, i)} in {_pick(EN_PLACE, seed, i + 1)} said on "
                       f"{_pick(EN_DAY, seed, i + 2)} that {_pick(EN_WHAT, seed, i + 3)} "
                       f"{_pick(EN_HOW, seed, i + 4)} {n} households "
                       f"{_pick(EN_WHY, seed, i + 5)}. Councils in "
                       f"{_pick(EN_PLACE, seed, i + 6)} asked for safe passage for "
                       f"{seed % 50 + i} more convoys before the end of the month.")
    return out


def article(title: str, marker: str, *, arabic: bool = False, published: str = "2026-03-04",
            charset: str | None = "utf-8", extra_head: str = "", body_prefix: str = "") -> str:
    """An article page: a JSON-LD NewsArticle with four paragraphs and a marker sentence."""
    paragraphs = story(title + marker, arabic)
    meta = f'<meta charset="{charset}">' if charset else ""
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": published}, ensure_ascii=False)
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    lang, direction = ("ar", "rtl") if arabic else ("en", "ltr")
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}"><head>{meta}'
            f'<title>{title}</title><meta property="og:type" content="article">'
            f'<script type="application/ld+json">{ld}</script>{extra_head}</head>'
            f'<body>{body_prefix}<article><h1>{title}</h1>'
            f'<time datetime="{published}">{published}</time>\n{body}<p>{marker}</p>'
            f'</article></body></html>\n')


def listing(links) -> str:
    items = "".join(f'<li><a href="{href}">Story {i}</a></li>\n' for i, href in enumerate(links))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Latest</title></head>'
            f'<body><h1>Latest news</h1><ul>{items}</ul></body></html>')


def rss(base: str, paths) -> bytes:
    items = "".join(f"<item><title>Case {p}</title><link>{base}{p}</link>"
                    f"<pubDate>Wed, 04 Mar 2026 08:00:00 GMT</pubDate></item>\n" for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f'<title>Fault Wire</title><link>{base}/</link>{items}</channel></rss>\n').encode()


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


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the crawl opens many connections at once


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: truncation is visible

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        site = self.server.site
        path = self.path if "?" in self.path else urlsplit(self.path).path
        with site.lock:
            site.hits[path] += 1
            site.requests.append((self.server.server_address[0], self.path))
            count = site.hits[path]
        route = self.server.routes.get(path) or self.server.routes.get(urlsplit(path).path)
        if route is None:
            self.send(404, b"<html><body>not found</body></html>")
            return
        try:
            route(self, count)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
             headers: dict | None = None, length: int | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if length is not False:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)


def html(status=200, ctype="text/html; charset=utf-8", **headers):
    def make(body):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return lambda h, n: h.send(status, body, ctype, headers)
    return make


def redirect(location: str, status: int = 302):
    return lambda h, n: h.send(status, b"", headers={"Location": location})


class FaultSite:
    """All fault cases; ``hits`` counts requests per path (query included when present)."""

    MAIN, ROBOTS_DOWN, CANARY = "127.0.0.20", "127.0.0.21", "127.0.0.1"

    def __init__(self):
        self.hits: Counter = Counter()
        self.requests: list = []
        self.lock = threading.Lock()
        self.servers = []
        self.main = self._serve(self.MAIN)
        self.down = self._serve(self.ROBOTS_DOWN)
        self.canary = self._serve(self.CANARY)
        self.base = self.url(self.main)
        self.down_base = self.url(self.down)
        self.canary_base = self.url(self.canary)
        self.feed_etag = '"feed-v1"'
        self._routes()

    # ------------------------------------------------------------------ plumbing
    def _serve(self, host):
        server = Server((host, 0), Handler)
        server.site = self
        server.routes = {}
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  daemon=True)
        thread.start()
        self.servers.append(server)
        return server

    @staticmethod
    def url(server) -> str:
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def canary_hits(self) -> list:
        return [r for r in self.requests if r[0] == self.CANARY]

    # ------------------------------------------------------------------ cases
    # (path, expectation): "stored" cases must end up in the archive exactly once
    STORED = ("/good-1", "/good-2", "/flaky", "/busy", "/ar-mislabelled", "/ar-unlabelled",
              "/bom", "/nul", "/bad-dates", "/session-story")
    NOT_STORED = ("/bomb-gzip", "/bomb-deflate", "/bomb-br", "/bomb-gzip-raw", "/bomb-br-raw",
                  "/big", "/big-chunked", "/trickle", "/truncated", "/busy-long", "/gone-404",
                  "/gone-410", "/loop-a", "/chain/0", "/to-offsite", "/to-private",
                  "/to-loopback", "/to-file", "/to-data", "/to-ftp", "/to-s3", "/nested",
                  "/pdf", "/png", "/empty")

    def _routes(self):
        r = self.main.routes
        base = self.base
        good = lambda name: html()(article(f"Story {name}", f"Marker {name}."))  # noqa: E731
        r["/robots.txt"] = html(ctype="text/plain")("User-agent: *\nAllow: /\n")
        for path in self.STORED:
            r[path] = good(path.strip("/"))

        r["/feed.xml"] = html(ctype="application/rss+xml")(rss(base, self.STORED + self.NOT_STORED))

        def steady(h, n):  # a feed with an ETag, of a source with no faults
            if h.headers.get("If-None-Match") == self.feed_etag:
                h.send(304, b"", length=False)
                return
            h.send(200, rss(base, ["/steady-1"]), "application/rss+xml",
                   {"ETag": self.feed_etag})
        r["/steady.xml"] = steady
        r["/steady-1"] = good("steady-1")
        r["/billion.xml"] = html(ctype="application/rss+xml")(
            BILLION_LAUGHS.replace("{base}", base))
        r["/xxe.xml"] = html(ctype="application/rss+xml")(XXE_FEED.replace("{base}", base))
        r["/sitemap-evil.xml"] = html(ctype="application/xml")(XXE_SITEMAP.replace("{base}", base))
        for path in ("/laughs-article", "/xxe-article", "/sitemap-article"):
            r[path] = good(path.strip("/"))

        # compression bombs, with and without Content-Encoding
        zeros = b"<html><body>" + b" " * BOMB
        gz = gzip.compress(zeros, 6)
        r["/bomb-gzip"] = html(**{"Content-Encoding": "gzip"})(gz)
        r["/bomb-deflate"] = html(**{"Content-Encoding": "deflate"})(zlib.compress(zeros, 6))
        r["/bomb-br"] = html(**{"Content-Encoding": "br"})(brotli.compress(zeros, quality=5))
        r["/bomb-gzip-raw"] = html()(gz)
        # a gzipped sitemap (no Content-Encoding: the spider unpacks it) that explodes
        sitemap_bomb = b'<?xml version="1.0"?><urlset>' + b" " * BOMB
        r["/sitemap-bomb.xml.gz"] = html(ctype="application/x-gzip")(
            gzip.compress(sitemap_bomb, 6))
        r["/bomb-br-raw"] = html()(brotli.compress(zeros, quality=5) * 50)
        # over the size cap, announced and not
        big = article("Big", "Marker big.").encode() + b"<!--" + b"x" * (2 * MB) + b"-->"
        r["/big"] = html()(big)

        def chunked(h, n):
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.end_headers()
            for _ in range(2 * MB // 65536 + 2):
                h.wfile.write(b"y" * 65536)
        r["/big-chunked"] = chunked

        def trickle(h, n):
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(60):
                h.wfile.write(b"<")
                h.wfile.flush()
                time.sleep(1)
        r["/trickle"] = trickle

        def truncated(h, n):
            body = article("Truncated", "Marker truncated.").encode()
            h.send(200, body[: len(body) // 2], length=len(body) + 5000)
        r["/truncated"] = truncated

        def flaky(h, n):
            if n == 1:
                h.send(503, b"<html>busy</html>")
            else:
                good("flaky")(h, n)
        r["/flaky"] = flaky

        def busy(h, n):
            if n == 1:
                h.send(429, b"slow down", headers={"Retry-After": "1"})
            else:
                good("busy")(h, n)
        r["/busy"] = busy
        r["/busy-long"] = lambda h, n: h.send(429, b"later", headers={"Retry-After": "3600"})
        r["/gone-404"] = lambda h, n: h.send(404, b"<html>not here</html>")
        r["/gone-410"] = lambda h, n: h.send(410, b"<html>gone</html>")
        # redirects
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
        self.canary.routes["/secret"] = html()("<html>internal admin</html>")
        # hostile markup and labels
        win = article("Mislabelled", ARABIC_MARK + " (1).", arabic=True, charset=None)
        r["/ar-mislabelled"] = html()(win.encode("cp1256"))
        unl = article("Unlabelled", ARABIC_MARK + " (2).", arabic=True, charset=None)
        r["/ar-unlabelled"] = html(ctype="text/html")(unl.encode("cp1256"))
        bom = article("Café BOM", "Marker bom café naïve.", charset=None)
        r["/bom"] = html(ctype="text/html; charset=windows-1252")(b"\xef\xbb\xbf" + bom.encode())
        nul = article("NUL", "Marker nul.").replace("<p>", "<p>\x00", 2)
        r["/nul"] = html()(nul.encode())
        r["/nested"] = html()("<html><body>" + "<div>" * 20_000 + "deep" + "</div>" * 20_000
                              + "</body></html>")
        r["/pdf"] = html()(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << /Type /Catalog >> "
                                                                    b"endobj\n" * 20)
        r["/png"] = html()(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        r["/empty"] = html()(b"")
        r["/bad-dates"] = html()(article("Dates", "Marker dates.", published="2026-02-31",
                                         extra_head='<meta property="article:published_time" '
                                                    'content="2199-01-01T00:00:00Z">'))
        # spider traps and session ids, linked from the listing page
        traps = ["/calendar/2099/01/", "/calendar/1200/01/", "/a/b/a/b/a/b/",
                 "/long/" + "x" * 1500,
                 "/params?" + "&".join(f"p{i}={i}" for i in range(12))]
        traps += [f"/filter?sort={i}&page=1" for i in range(60)]
        sessions = [f"/session-story?PHPSESSID={i:032x}" for i in range(5)]
        self.trap_links = traps
        r["/listing/"] = html()(listing(traps + sessions + ["/good-1"]))
        for path in ("/calendar/2099/01/", "/calendar/1200/01/", "/a/b/a/b/a/b/", "/params",
                     "/filter"):
            r[path] = html()(listing([]))
        # a host whose robots.txt fails: nothing else there may be fetched
        d = self.down.routes
        d["/robots.txt"] = lambda h, n: h.send(503, b"<html>maintenance</html>")
        d["/feed.xml"] = lambda h, n: h.send(200, rss(self.down_base, ["/hidden"]),
                                             "application/rss+xml")
        d["/hidden"] = good("hidden")

    def sources_toml(self) -> str:
        b, d = self.base, self.down_base
        return (
            "[[source]]\nname = \"faults\"\nlanguage = \"en\"\nfollow_depth = 1\n"
            f"feeds = [\"{b}/feed.xml\", \"{b}/billion.xml\", \"{b}/xxe.xml\"]\n"
            f"sitemaps = [\"{b}/sitemap-evil.xml\", \"{b}/sitemap-bomb.xml.gz\"]\n"
            f"start_urls = [\"{b}/listing/\"]\n\n"
            "[[source]]\nname = \"steady\"\nlanguage = \"en\"\n"
            f"feeds = [\"{b}/steady.xml\"]\n\n"
            "[[source]]\nname = \"robots-down\"\nlanguage = \"en\"\n"
            f"feeds = [\"{d}/feed.xml\"]\n"
        )

    def write_sources(self, path) -> Path:
        path = Path(path)
        path.write_text(self.sources_toml(), encoding="utf-8")
        return path
