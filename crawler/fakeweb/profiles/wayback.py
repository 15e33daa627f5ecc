"""The ``wayback`` profile: a local stand-in for the Wayback Machine's CDX API and captures.

Serves, on one loopback address:

* ``/cdx/search/cdx`` -- the CDX API's JSON output for the captures it holds: honours
  ``url`` + ``matchType`` (domain / prefix), ``from`` / ``to``, ``filter=statuscode:200``,
  ``filter=mimetype:...``, ``collapse=urlkey``, ``limit`` and, with ``showResumeKey=true``,
  ends a page that has more after it with ``[]`` and ``[<resume key>]``; ``resumeKey``
  continues there;
* ``/web/<timestamp>id_/<original>`` -- the capture as archived; without ``id_`` the
  page comes wrapped in a replay toolbar (what the back-fill must never store);
* anything else: 404 (robots.txt included: everything is allowed).

Every request's path is kept in ``requests``.  The captures are fictional pages written for
the tests (an outlet "ARA News" reporting from north-east Syria).  Example::

    with WaybackSite() as wb:               # wb.base is http://127.0.0.9:<port>
        ...
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

from ..server import Response
from ..site import Site

TOOLBAR = "<div id='wm-ipp'>WAYBACK TOOLBAR</div>"


def article(title: str, place: str, paragraphs: list[str]) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | "
            f"ARA News</title><meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='2016-03-02T09:00:00+00:00'>"
            f"</head><body><header><nav><a href='/'>Home</a> <a href='/category/syria/'>Syria"
            f"</a></nav></header><article><h1>{title}</h1><p class='byline'>By ARA News staff"
            f"</p><div class='entry-content'><p>{place.upper()}, Syria – {paragraphs[0]}</p>"
            f"{''.join(f'<p>{p}</p>' for p in paragraphs[1:])}</div></article>"
            f"<footer>ARA News, all rights reserved.</footer></body></html>")


QAMISHLI = article("Water returns to eastern Qamishli after pumping station repairs", "Qamishli", [
    "Residents of the eastern neighbourhoods of Qamishli received running water on Tuesday "
    "for the first time in eleven days, after engineers replaced two damaged pumps at the "
    "Alouk station that serves the city and the surrounding villages of Hasakah province.",
    "Local council members said the station had stopped after fighting near Ras al-Ain cut "
    "the power line feeding it, and that families had been buying water from private "
    "tankers at prices most could not afford for long.",
    "A council engineer told ARA News that the repaired pumps can supply about two thirds "
    "of the usual flow, and that crews will keep working on the power line this week so the "
    "station can run through the night as it did before the clashes began.",
    "Aid groups in Hasakah warned that the supply remains fragile as long as the line "
    "crosses an area where shelling continues, and asked both sides to leave the station "
    "and its workers out of the fighting around the Syrian border town.",
])
KOBANE = article("Kobane schools reopen classrooms rebuilt after the siege", "Kobane", [
    "Three schools in the centre of Kobane opened their doors to pupils on Sunday, more "
    "than a year after the siege by Islamic State fighters left most of the town's "
    "buildings damaged, teachers and local officials in the Syrian town said.",
    "Parents walked children through streets still lined with rubble to classrooms that "
    "volunteers had rebuilt with donated cement, windows and desks over the winter months, "
    "while the Kurdish-led local administration paid the teachers' salaries.",
    "A headteacher said about four hundred pupils had registered in the first week and "
    "that more families were expected as they returned from camps across the Turkish "
    "border, although many homes in Kobane are still not fit to live in.",
    "Officials in the town said mines left in the eastern districts remain the main danger "
    "for children, and that demining teams would visit each school to explain which areas "
    "must still be avoided.",
])
TAG_PAGE = ("<!DOCTYPE html><html><head><title>Syria | ARA News</title></head><body><h1>Syria"
            "</h1><ul>" + "".join(f"<li><a href='/2016/03/story-{i}/'>Story {i}</a></li>"
                                  for i in range(30)) + "</ul></body></html>")

# (timestamp, original URL, status, mime type, body)
CAPTURES = [
    ("20160302101500", "http://aranews.net/2016/03/water-returns-to-eastern-qamishli/", 200,
     "text/html", QAMISHLI),
    # the same article under its /files/ alias, captured later: folded into the first
    ("20160410080000", "http://aranews.net/files/2016/03/water-returns-to-eastern-qamishli/",
     200, "text/html", QAMISHLI),
    ("20160305120000", "http://aranews.net/category/syria/", 200, "text/html", TAG_PAGE),
    ("20160306130000", "http://aranews.net/2016/03/broken-link/", 404, "text/html", ""),
    ("20160307140000", "http://aranews.net/wp-content/logo.png", 200, "image/png", "PNG"),
    ("20160308150000", "http://aranews.net/files/2016/03/kobane-schools-reopen/", 200,
     "text/html", KOBANE),
    ("20160309160000", "http://www.other-outlet.example/2016/03/unrelated/", 200,
     "text/html", QAMISHLI),
    # outside the from/to window of the test source
    ("20200101000000", "http://aranews.net/2020/01/late-story/", 200, "text/html", KOBANE),
]


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _urlkey(url: str) -> str:
    parts = urlsplit(url)
    return f"{_host(url)}{parts.path}".lower()


def digest(body: str) -> str:
    """A capture's content digest, as the CDX API gives it (base32 SHA-1)."""
    return base64.b32encode(hashlib.sha1(body.encode("utf-8")).digest()).decode("ascii")


class WaybackSite(Site):
    """``with WaybackSite() as wb:`` -- ``wb.base`` is ``http://127.0.0.9:<port>``."""

    profile = "wayback"
    headers = ()
    log_requests = True

    def __init__(self, host: str = "127.0.0.9", captures=None, **options):
        super().__init__(**options)
        self.host = host
        self.captures = list(captures or CAPTURES)

    def hosts(self):
        return [("wayback", self.host)]

    @property
    def requests(self) -> list[str]:
        """The path (and query) of every request, in order."""
        return [target for _, target in self.log]

    def bind(self, bases):
        self.base = bases["wayback"]
        routes = {"/cdx/search/cdx": lambda request: Response(
            self.cdx(parse_qs(request.query)), content_type="application/json")}
        for ts, url, status, mime, body in self.captures:
            ctype = f"{mime}; charset=utf-8" if mime == "text/html" else mime
            memento = (("Memento-Datetime", ts), ("X-Archive-Orig-Server", "nginx"))
            routes[f"/web/{ts}id_/{url}"] = Response(body.encode("utf-8"), status, ctype, memento)
            replay = body.replace("<body>", "<body>" + TOOLBAR, 1)
            routes[f"/web/{ts}/{url}"] = Response(replay.encode("utf-8"), status, ctype, memento)
        self.routes = {"wayback": routes}
        return self

    def cdx(self, query: dict) -> bytes:
        """One page of CDX JSON for ``query`` (a parse_qs dict)."""
        want = query.get("url", [""])[0]
        match = query.get("matchType", ["exact"])[0]
        start = query.get("from", ["0"])[0]
        end = query.get("to", ["99999999999999"])[0]
        filters = query.get("filter", [])
        fields = query.get("fl", ["urlkey,timestamp,original,mimetype,statuscode,digest,length"]
                           )[0].split(",")
        limit = int(query.get("limit", ["100000"])[0])
        offset = int(query.get("resumeKey", ["0"])[0] or 0)
        rows, seen = [], set()
        for ts, url, status, mime, body in sorted(self.captures, key=lambda c: _urlkey(c[1])):
            if match == "domain" and _host(url) != want.removeprefix("www.") and \
                    not _host(url).endswith("." + want):
                continue
            if match == "prefix" and not url.split("://", 1)[-1].startswith(want):
                continue
            if match == "exact" and url != want:
                continue
            if not (ts[:len(start)] >= start and ts[:len(end)] <= end):
                continue
            if "statuscode:200" in filters and status != 200:
                continue
            if any(f.startswith("mimetype:") and f != f"mimetype:{mime}" for f in filters):
                continue
            if "urlkey" in query.get("collapse", []):
                if _urlkey(url) in seen:
                    continue
                seen.add(_urlkey(url))
            values = {"urlkey": _urlkey(url), "timestamp": ts, "original": url,
                      "mimetype": mime, "statuscode": str(status),
                      "digest": digest(body), "length": str(len(body))}
            rows.append([values[f] for f in fields])
        page = rows[offset:offset + limit]
        out = [fields, *page]
        if query.get("showResumeKey") == ["true"] and offset + limit < len(rows):
            out += [[], [str(offset + limit)]]
        return json.dumps(out).encode()
