"""Datasette hooks of the newsarchive plugin: search rewriting and how cells render.

* The search box folds Arabic spelling variants: ``_search`` and ``_search_<column>`` are
  normalised like the index (archive/search.py) before Datasette sees them.
* ``normalize_arabic(text)`` and ``escape_fts(text)`` SQL functions, for canned queries.
* Article text is shown as paragraphs; crawled HTML is always escaped, never rendered.
* In ``places``, the article count links to the articles mentioning the place.
* In ``articles``, the places, actors and events arrays show as links to the articles
  sharing that tag; authors as a plain list; ``duplicate_of`` links to the original.
* In the stories-across-outlets query, ``copies`` (JSON) shows as a link to each article;
  in the ``stories`` view, the outlets as a plain list and the story id as a link.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, quote, urlencode

import markupsafe
from datasette import hookimpl

from newsarchive.archive import search
from newsarchive.archive.places import articles_link

from .site import is_archive

TAG_COLUMNS = ("places", "actors", "events")


@hookimpl
def prepare_connection(conn):
    conn.create_function("normalize_arabic", 1, search.normalize, deterministic=True)


def normalise_query_string(query_string: bytes) -> bytes:
    """``_search`` parameters normalised; the query string unchanged if there are none."""
    if b"_search" not in query_string:
        return query_string
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    changed = False
    out = []
    for key, value in pairs:
        if key == "_search" or key.startswith("_search_"):
            normal = search.normalize_query(value)
            changed = changed or normal != value
            value = normal
        out.append((key, value))
    return urlencode(out).encode() if changed else query_string


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def normalising_app(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = dict(scope, query_string=normalise_query_string(scope["query_string"]))
            await app(scope, receive, send)

        return normalising_app

    return wrap


def paragraphs_html(text: str) -> markupsafe.Markup:
    """Escaped text, blank-line-separated paragraphs as <p>, single newlines as <br>."""
    paras = [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = markupsafe.Markup("").join(
        markupsafe.Markup("<p dir=\"auto\">{}</p>").format(
            markupsafe.Markup("<br>").join(markupsafe.escape(line) for line in p.split("\n"))
        )
        for p in paras
    )
    return markupsafe.Markup('<div class="article-text">{}</div>').format(body)


def _json_list(value):
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return None
    return items if isinstance(items, list) else None


def copies_html(value, database, datasette):
    """A story's copies (JSON array of id, source, published, title) as a list of links."""
    items = _json_list(value)
    if items is None:
        return None
    links = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("id", "")).isdigit():
            continue
        day = str(item.get("published") or "")[:10]
        links.append(markupsafe.Markup(
            '<li><a href="{}"><bdi>{}</bdi></a> <span class="copy-meta">{}{}</span></li>'
        ).format(datasette.urls.row(database, "articles", str(item["id"])),
                 item.get("title") or f"article {item['id']}",
                 item.get("source") or "", f" · {day}" if day else ""))
    return markupsafe.Markup('<ul class="story-copies">{}</ul>').format(
        markupsafe.Markup("").join(links))


def tags_html(items, column, database, datasette) -> markupsafe.Markup:
    """Each tag a link to the articles with the same tag (an array facet filter)."""
    base = datasette.urls.table(database, "articles")
    return markupsafe.Markup(", ").join(
        markupsafe.Markup('<a href="{}">{}</a>').format(
            f"{base}?{column}__arraycontains={quote(str(item), safe='')}", item)
        for item in items
    )


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or not is_archive(datasette, database):
        return None
    if table in ("articles", "article_versions") and column == "text":
        return paragraphs_html(value)
    if table == "articles" and column == "published":
        from .pages import human_date

        return markupsafe.Markup('<time datetime="{}">{}</time>').format(
            value, human_date(str(value)))
    if table == "articles" and column in TAG_COLUMNS + ("authors",):
        items = _json_list(value)
        if items is None:
            return None  # not a JSON list: Datasette shows it as it is
        if column == "authors":
            return ", ".join(str(i) for i in items)  # plain text, escaped by Datasette
        return tags_html(items, column, database, datasette)
    if table is None and column == "copies":  # stories across outlets: one link per copy
        return copies_html(value, database, datasette)
    if table is None and column in ("first_published", "last_published") and value:
        from .pages import human_date

        return human_date(str(value))
    if table is None and column == "story":
        return markupsafe.Markup('<a href="{}">{}</a>').format(
            datasette.urls.row(database, "articles", str(value)), value)
    if table == "stories" and column == "outlets":
        items = _json_list(value)
        return ", ".join(str(i) for i in items) if items is not None else None
    if table == "stories" and column == "story_id":
        return markupsafe.Markup('<a href="{}?story={}">{}</a>').format(
            datasette.urls.database(database) + "/story_articles", value, value)
    if table is None and column == "popup":  # a query with popups: a link, not raw JSON
        try:
            popup = json.loads(value)
            if not str(popup["link"]).startswith("articles?"):
                return None  # only the links places.py writes
            return markupsafe.Markup('<a href="{}">{}</a>').format(
                popup["link"], popup.get("description") or "articles")
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
    if table == "places" and column in ("article_count", "popup"):
        query = articles_link(row["name"]).split("?", 1)[1]
        href = datasette.urls.table(database, "articles") + "?" + query
        if column == "article_count":
            label = str(value)
        else:
            try:
                label = json.loads(value).get("description") or "articles"
            except (ValueError, AttributeError):
                label = "articles"
        return markupsafe.Markup('<a href="{}">{}</a>').format(href, label)
    return None
