"""The pages the newsarchive plugin adds to Datasette, and the data of the pages it changes.

* the home page (template ``index.html``): search box, latest articles, counts by source
  and month, one link to each view of the archive;
* the article page (template ``row.html``): the original of a duplicate, the story's
  other copies, the earlier versions, the link to the raw capture;
* ``/<db>/-/map``: articles counted by place on an offline basemap, filtered by date,
  source and event type (template ``newsarchive_map.html``, script ``map.js``); with
  ``?show=killed``, incident events by place sized by the deaths reported;
* ``/<db>/-/capture/<id>``: the article's WARC record (HTTP headers and body) as text.

All SQL comes from archive/queries.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response

from newsarchive.archive import queries, warc, warcfiles
from newsarchive.archive.decoding import BodyTooLarge
from newsarchive.crawler import settings as crawl_settings  # the crawl's DOWNLOAD_MAXSIZE


# articles.published_source -> where the date was read, in words
DATE_PROVENANCE = {
    "json-ld": "the page's structured data (JSON-LD)",
    "meta": "the page's meta tags",
    "time": "a <time> element of the page",
    "text": "the article's text",
    "url": "the article's URL",
    "feed": "the RSS/Atom feed",
    "sitemap": "the news sitemap",
    "page": "the page",
}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ku", "ckb"})
LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fr": "French", "tr": "Turkish",
                  "ku": "Kurdish", "de": "German"}
MAP_FILTERS = ("since", "until", "source", "event")
# the columns of the home page's search results (the articles table, ``_col``)
SEARCH_COLUMNS = ("title", "source", "published", "language", "places", "text")


def human_date(value: str | None) -> str:
    """``2025-03-10T12:00:00+03:00`` -> ``10 Mar 2025, 12:00 +03:00``; unparsed as is."""
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    out = f"{when.day} {when:%b %Y}"
    if len(value) > 10:
        out += f", {when:%H:%M}"
        offset = when.strftime("%z")
        if offset:
            out += f" {offset[:3]}:{offset[3:5]}"
    return out


def _rows(result) -> list[dict]:
    return [dict(row) for row in result.rows]


def dropped_link(datasette, database: str, tables) -> dict:
    if "pages" in tables:  # every fetched page with its judgement (archive/pages.py)
        return {"href": datasette.urls.table(database, "pages")
                + "?outcome__notin=stored,duplicate",  # (faceted by outcome and reason)
                "label": "Dropped pages", "note": "pages fetched and not kept, by reason"}
    # an archive from before the pages table: the counts by reason of every run
    return {"href": datasette.urls.database(database) + "/dropped_pages",
            "label": "Dropped pages", "note": "by reason, over every crawl run"}


def front_door_vars(datasette, archives: dict):
    async def inner():
        database, tables = next(iter(archives.items()))
        db = datasette.get_database(database)
        latest = _rows(await db.execute(queries.FRONT_LATEST))
        for row in latest:
            row["date"] = human_date(row["published"])
            row["rtl"] = row["language"] in RTL_LANGUAGES
        totals = _rows(await db.execute(queries.SOURCE_TOTALS))
        by_month: dict = {}
        months: set = set()
        for row in _rows(await db.execute(queries.SOURCE_MONTHS)):
            by_month[(row["source"], row["month"])] = row["articles"]
            months.add(row["month"])
        newest = max(months) if months else None
        if newest:  # the six months back from the newest article, zero where none
            year, month = map(int, newest.split("-"))
            columns = []
            for _ in range(6):
                columns.append(f"{year:04d}-{month:02d}")
                year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            columns.reverse()
        else:
            columns = []
        base = datasette.urls.database(database)
        links = [
            {"href": base + "/-/map", "label": "Map",
             "note": "articles by place, on a map that works offline"},
            {"href": datasette.urls.path("-/dashboards/archive"), "label": "Charts",
             "note": "articles per month by source, event type and place"},
            {"href": base + "/story_across_outlets", "label": "Stories across outlets",
             "note": "one story, every outlet that ran it"},
            dropped_link(datasette, database, tables),
            *([{"href": datasette.urls.table(database, "incidents"), "label": "Incidents",
                "note": "killed, wounded, detained, displaced: where, when, by whom, with "
                        "the sentence that says so"}] if "incidents" in tables else []),
            {"href": base + "/source_health", "label": "Source health",
             "note": "last success and failures of each source"},
            {"href": datasette.urls.table(database, "articles"), "label": "All articles",
             "note": "filter, facet, export CSV or JSON"},
            {"href": datasette.urls.table(database, "crawl_runs"), "label": "Crawl runs",
             "note": "every crawl and what it found"},
        ]
        return {
            "archive": {
                "database": database,
                "articles_url": datasette.urls.table(database, "articles"),
                "search_columns": SEARCH_COLUMNS,
                "latest": latest,
                "sources": totals,
                "months": columns,
                "by_month": {f"{s}|{m}": n for (s, m), n in by_month.items()},
                "total": sum(row["articles"] for row in totals),
                "links": links,
            }
        }

    return inner


def article_vars(datasette, database: str, request, tables):
    async def inner():
        raw = (request.url_vars.get("pks") or "") if request else ""
        if not raw.isdigit():
            return {}
        article_id = int(raw)
        db = datasette.get_database(database)
        row = (await db.execute(
            "select id, duplicate_of, published, published_source, language, warc_file "
            "from articles where id = :id", {"id": article_id})).first()
        if row is None:
            return {}
        story = row["duplicate_of"] or row["id"]
        original = None
        if row["duplicate_of"]:
            found = (await db.execute(queries.ARTICLE_ORIGINAL,
                                      {"id": row["duplicate_of"]})).first()
            original = dict(found) if found else {"id": row["duplicate_of"], "title": None}
        copies = [copy for copy in _rows(await db.execute(
            queries.ARTICLE_STORY, {"story": story, "id": article_id}))
            if copy["id"] != row["duplicate_of"]]  # the original is shown on its own
        versions = (_rows(await db.execute(queries.ARTICLE_VERSIONS, {"id": article_id}))
                    if "article_versions" in tables else [])
        for item in [*copies, *([original] if original else [])]:
            item["date"] = human_date(item.get("published"))
        provenance = row["published_source"]
        return {"article": {
            "id": article_id,
            "date": human_date(row["published"]),
            "date_from": DATE_PROVENANCE.get(provenance, provenance),
            "rtl": row["language"] in RTL_LANGUAGES,
            "language_name": LANGUAGE_NAMES.get(row["language"], row["language"]),
            "original": original,
            "copies": copies,
            "versions": versions,
            "capture_url": (datasette.urls.database(database) + f"/-/capture/{article_id}"
                            if row["warc_file"] else None),
        }}

    return inner


async def _archive_database(datasette, request):
    from .site import archives  # deferred: cycle crawler.web.site <-> crawler.web.pages

    name = tilde_decode(request.url_vars["database"])
    found = archives(datasette)
    if name not in found:
        raise NotFound(f"no archive database named {name}")
    return name, datasette.get_database(name)


async def map_redirect(datasette):
    from .site import archives  # deferred: cycle crawler.web.site <-> crawler.web.pages

    found = archives(datasette)
    if not found:
        raise NotFound("no archive database is served")
    return Response.redirect(datasette.urls.database(next(iter(found))) + "/-/map")


async def map_page(datasette, request):
    """Articles counted by place: markers sized by count, popups with the newest articles."""
    database, db = await _archive_database(datasette, request)
    params = {key: (request.args.get(key) or "").strip() for key in MAP_FILTERS}
    errors = []
    for key in ("since", "until"):
        if params[key]:
            try:
                datetime.strptime(params[key], "%Y-%m-%d")
            except ValueError:
                errors.append(f"{key}: {params[key]!r} is not a date (YYYY-MM-DD)")
                params[key] = ""
    killed = request.args.get("show") == "killed"
    measure = "killed" if killed else "articles"
    places = _rows(await db.execute(queries.MAP_KILLED if killed else queries.MAP_PLACES,
                                    params))
    for place in places:
        latest = json.loads(place.pop("latest") or "[]")
        if killed:
            latest.sort(key=lambda e: (e.get("first_date") or "", e.get("id") or 0),
                        reverse=True)
            for item in latest:
                item["url"] = datasette.urls.row(database, "incident_events", str(item["id"]))
                item["title"] = f"{item['event_type']}: {item['killed']} killed"
                item["source"], item["date"] = "event", item.get("first_date") or ""
            place["url"] = (datasette.urls.table(database, "incident_events")
                            + "?place=" + _quote(place["name"])
                            + "".join(f"&{k}" for k in _event_filters(params)))
        else:
            latest.sort(key=lambda a: (a.get("published") or "", a.get("id") or 0),
                        reverse=True)
            for item in latest:
                item["url"] = datasette.urls.row(database, "articles", str(item["id"]))
                item["date"] = (item.get("published") or "")[:10]
            place["url"] = (datasette.urls.table(database, "articles")
                            + "?places__arraycontains=" + _quote(place["name"])
                            + "".join(f"&{k}" for k in _article_filters(params)))
        place["latest"] = latest
        place["count"] = place[measure]
    sources = [r[0] for r in (await db.execute(queries.MAP_SOURCES)).rows]
    events = [r[0] for r in (await db.execute(queries.MAP_EVENTS)).rows]
    on_map = [p for p in places if p["latitude"] is not None and p["longitude"] is not None]
    counted = sum(p["count"] for p in places)
    html = await datasette.render_template(
        "newsarchive_map.html",
        {
            "database": database,
            "params": params,
            "killed": killed,
            "errors": errors,
            "places": places,
            "on_map": on_map,
            "off_map": [p for p in places if p not in on_map],
            "mentions": counted,
            "sources": sources,
            "events": events,
            "map_json": json.dumps({
                "tiles": datasette.urls.path("-/tiles/basemap/{z}/{x}/{y}.png"),
                "options": _basemap_options(datasette, database),
                "measure": measure,
                "noun": (["person reported killed", "people reported killed"] if killed
                         else ["article", "articles"]),
                "places": [{k: p[k] for k in ("name", "name_ar", "latitude", "longitude",
                                              measure, "latest", "url")}
                           for p in on_map],
            }, ensure_ascii=False).replace("</", "<\\/"),
            "leaflet_js": datasette.urls.static_plugins("datasette-leaflet",
                                                        "leaflet-v1.7.1.js"),
            "leaflet_css": datasette.urls.static_plugins("datasette-leaflet",
                                                         "leaflet-v1.7.1.css"),
            "cluster_js": datasette.urls.static_plugins("datasette-cluster-map",
                                                        "leaflet.markercluster.js"),
            "cluster_css": datasette.urls.static_plugins("datasette-cluster-map",
                                                         "leaflet.markercluster.css"),
            "map_js": datasette.urls.static_plugins("newsarchive", "map.js"),
        },
        request=request,
    )
    return Response.html(html)


def _quote(value: str) -> str:
    return quote(str(value), safe="")


def _article_filters(params: dict) -> list[str]:
    """The map's filters as filters of the articles table (for a place's link)."""
    out = []
    if params["since"]:
        out.append("published__gte=" + _quote(params["since"]))
    if params["until"]:
        day = datetime.strptime(params["until"], "%Y-%m-%d") + timedelta(days=1)
        out.append("published__lt=" + day.strftime("%Y-%m-%d"))
    if params["source"]:
        out.append("source=" + _quote(params["source"]))
    if params["event"]:
        out.append("events__arraycontains=" + _quote(params["event"]))
    return out


def _event_filters(params: dict) -> list[str]:
    """The map's filters as filters of the incident_events table (for a place's link)."""
    out = []
    if params["since"]:
        out.append("first_date__gte=" + _quote(params["since"]))
    if params["until"]:
        out.append("first_date__lte=" + _quote(params["until"]))
    if params["event"]:
        out.append("event_type=" + _quote(params["event"]))
    return out


def _basemap_options(datasette, database) -> dict:
    config = datasette.plugin_config("datasette-cluster-map", database=database) or {}
    return config.get("tile_layer_options") or {}


async def capture(datasette, request):
    """The raw capture of an article: its WARC response record, as plain text."""
    database, db = await _archive_database(datasette, request)
    row = (await db.execute(queries.ARTICLE_CAPTURE,
                            {"id": int(request.url_vars["id"])})).first()
    if row is None:
        raise NotFound("no such article")
    if not row["warc_file"] or row["warc_offset"] is None:
        raise NotFound("this article has no capture in a WARC file")
    name = row["warc_file"]
    if not name.endswith((".warc", ".warc.gz")) or not db.path:
        raise NotFound("this article's capture is not in a WARC file")
    path = warcfiles.resolve(db.path, name)
    if not Path(path).is_file():
        raise NotFound(f"the WARC file {name} is not on this server")
    try:  # decoded under the crawl's own cap: a decompression bomb is never unpacked
        record = warc.read_capture(path, row["warc_offset"], with_metadata=False,
                                   max_size=crawl_settings.DOWNLOAD_MAXSIZE)
    except BodyTooLarge:
        raise NotFound("this capture's body passes DOWNLOAD_MAXSIZE once decoded: "
                       "not shown") from None
    lines = [
        f"# Capture of article {row['id']}: {name} at byte {row['warc_offset']}"
        f" (length {row['warc_length']})",
        "# Replay it with pywb: see the README (newsarchive cdxj).",
        "",
        f"WARC-Target-URI: {record['url']}",
        f"WARC-Date: {record['date']}",
        f"WARC-Record-ID: {record['record_id']}",
        f"WARC-Payload-Digest: {record['digest']}",
        "",
        f"HTTP status: {record['status']}",
        *[f"{key}: {value}" for key, value in record["headers"]],
        "",
        record["html"] if isinstance(record["html"], str) else "",
    ]
    return Response(
        "\n".join(lines), content_type="text/plain; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff",
                 "Content-Security-Policy": "sandbox; default-src 'none'"},
    )
