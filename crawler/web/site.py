"""Datasette hooks of the newsarchive plugin: which databases are archives, their metadata,
the plugin's CSS and JS, the template variables of the home and article pages, its routes.

A database is an archive when it has an ``articles`` table; the plugin finds them when
Datasette starts (``startup``) and applies the archive's configuration file
(archive/datasette/metadata.yaml) to each, under its own name (``get_metadata``).  A
Datasette serving no archive is left as it is.
"""

from __future__ import annotations

import copy
import weakref

from datasette import hookimpl

from newsarchive.archive import metadata

from . import pages

# Datasette instance -> {archive database name: its table names}, filled at startup
ARCHIVES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_METADATA: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def archives(datasette) -> dict[str, list[str]]:
    """The archive databases of ``datasette`` (empty before startup)."""
    return ARCHIVES.get(datasette, {})


def is_archive(datasette, database: str | None) -> bool:
    return database is not None and database in archives(datasette)


@hookimpl
def startup(datasette):
    async def find_archives():
        found = {}
        for name, db in datasette.databases.items():
            if name.startswith("_"):
                continue
            tables = await db.table_names()
            if "articles" in tables:
                found[name] = tables
        ARCHIVES[datasette] = found
        _METADATA[datasette] = metadata.for_databases(found)

    return find_archives


@hookimpl
def get_metadata(datasette, key, database, table):
    # a copy: Datasette merges other sources into what a hook returns
    return copy.deepcopy(_METADATA.get(datasette, {}))


@hookimpl
def extra_css_urls(datasette):
    if not archives(datasette):
        return []
    return [datasette.urls.static_plugins("newsarchive", "archive.css")]


@hookimpl
def extra_js_urls(datasette):
    if not archives(datasette):
        return []
    return [datasette.urls.static_plugins("newsarchive", "archive.js")]


@hookimpl
def extra_template_vars(template, database, table, request, datasette):
    from .hooks import report_problems

    report_problems(request, datasette)
    if not archives(datasette):
        return {}
    if template == "index.html":
        return pages.front_door_vars(datasette, archives(datasette))
    if template == "row.html" and table == "articles" and is_archive(datasette, database):
        return pages.article_vars(datasette, database, request,
                                  archives(datasette)[database])
    return {}


@hookimpl
def register_routes():
    return [
        (r"^/-/map$", pages.map_redirect),
        (r"^/(?P<database>[^/]+)/-/map$", pages.map_page),
        (r"^/(?P<database>[^/]+)/-/capture/(?P<id>\d+)$", pages.capture),
    ]


@hookimpl
def menu_links(datasette):
    if not archives(datasette):
        return []
    name = next(iter(archives(datasette)))
    return [
        {"href": datasette.urls.instance(), "label": "Start page"},
        {"href": datasette.urls.database(name) + "/-/map", "label": "Map"},
        {"href": datasette.urls.path("-/dashboards/archive"), "label": "Charts"},
    ]
