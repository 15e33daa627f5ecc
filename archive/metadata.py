"""Datasette metadata for the archive: titles, licences, descriptions, facets, hidden tables.

``build_metadata(db_name, tables)`` returns the metadata dict ``newsarchive serve`` passes to
Datasette (``datasette_instance`` in archive/serve.py).  It is built per database name,
because canned queries and charts name the database.

Adding a table?  Describe it and its columns in ``TABLES`` below, or, if it is internal
(crawler bookkeeping, an index), add its name to ``HIDDEN_TABLES`` or start it with "_".
tests/archive/test_metadata.py fails for a visible table or column without a description.
"""

from __future__ import annotations

import html
from urllib.parse import quote

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
    # incidents and their events (issue #20): hidden until they are filled by the crawl and
    # described here with their facets, map and charts
    "incidents", "incident_events",
}
HIDDEN_PREFIXES = ("_", "articles_search_fts", "sqlite_")

SQL_TIME_LIMIT_MS = 3000

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

TABLES = {
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


def dashboards(db_name: str) -> dict:
    """datasette-dashboards configuration: the charts page at /-/dashboards/archive."""
    # one bar per week (queries return the Monday; utc so no timezone shifts a day)
    week_axis = {"field": "week", "type": "temporal", "timeUnit": "utcyearweek",
                 "title": "Week"}
    return {
        "archive": {
            "title": "Archive over time",
            "description": "Articles per week by source, and events per week by type "
                           "(originals only, duplicates left out).",
            "layout": [["articles-per-week"], ["events-per-week"]],
            "charts": {
                "articles-per-week": {
                    "title": "Articles per week by source",
                    "db": db_name,
                    "query": queries.ARTICLES_PER_WEEK,
                    "library": "vega-lite",
                    "display": {
                        "mark": {"type": "bar", "tooltip": True},
                        "encoding": {
                            "x": week_axis,
                            "y": {"field": "articles", "type": "quantitative",
                                  "aggregate": "sum", "title": "Articles"},
                            "color": {"field": "source", "type": "nominal", "title": "Source"},
                        },
                    },
                },
                "events-per-week": {
                    "title": "Events per week by type",
                    "db": db_name,
                    "query": queries.EVENTS_PER_WEEK,
                    "library": "vega-lite",
                    "display": {
                        "mark": {"type": "bar", "tooltip": True},
                        "encoding": {
                            "x": week_axis,
                            "y": {"field": "articles", "type": "quantitative",
                                  "aggregate": "sum", "title": "Articles mentioning"},
                            "color": {"field": "event", "type": "nominal", "title": "Event"},
                        },
                    },
                },
            },
        }
    }


def build_metadata(db_name: str, tables: list[str] | tuple = ()) -> dict:
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
        "extra_css_urls": ["/newsarchive-static/archive.css"],
        "extra_js_urls": ["/newsarchive-static/archive.js"],
        "databases": {
            db_name: {
                "description_html": (
                    f"<p>{html.escape(DESCRIPTION)}</p><p>"
                    '<a href="/-/dashboards/archive">Charts: articles and events per week</a>'
                    f' · <a href="/{quote(db_name)}/map">Map of places</a>'
                    f' · <a href="/{quote(db_name)}/articles">Search the articles</a></p>'
                ),
                "tables": table_meta,
                "queries": queries.CANNED_QUERIES,
            }
        },
        "plugins": {
            "datasette-dashboards": dashboards(db_name),
            "datasette-cluster-map": {"latitude_column": "latitude",
                                      "longitude_column": "longitude"},
        },
    }
