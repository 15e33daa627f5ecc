"""Datasette hooks of the newsarchive plugin: search rewriting and how cells render.

* Search reads the project's query syntax (``pipelines/fulltext.py``: word forms, Arabic
  spelling folded, OR, -word, "phrase", prefix*): on the archive, the ``escape_fts()``
  Datasette wraps ``_search`` in becomes ``newsarchive_match()``, so the search box keeps
  what was typed; a query that cannot be read matches nothing and the page says why.
* SQL functions for the canned queries: ``newsarchive_match(query)``,
  ``newsarchive_places(name)`` (a JSON array of the canonical places a spelling stands
  for), ``newsarchive_date(text, end)``, ``normalize_arabic(text)``.
* The canned queries' parameters are checked (``pipelines/filters.py``): an unknown place,
  a date that is not one, an unreadable query is said on the page.
* Search snippets show the matched words highlighted (``<mark>``).
* Article text is shown as paragraphs; crawled HTML is always escaped, never rendered.
* In ``places``, the article count links to the articles mentioning the place.
* In ``articles``, the places, actors and events arrays show as links to the articles
  sharing that tag; authors as a plain list; ``duplicate_of`` links to the original.
* In the stories-across-outlets query, ``copies`` (JSON) shows as a link to each article;
  in the ``stories`` view, the outlets as a plain list and the story id as a link.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import markupsafe
from datasette import hookimpl
from datasette.utils import escape_fts as datasette_escape_fts

from newsarchive.archive import search
from newsarchive.archive.places import articles_link
from newsarchive.pipelines import filters, fulltext

from .pages import human_date
from .site import is_archive

TAG_COLUMNS = ("places", "actors", "events")
HIGHLIGHT = ("⟦", "⟧")  # what archive/queries.py's snippet() puts around matched words


# --- search and the canned queries' parameters (issue 17) ------------------------------

def match_function(conn):
    """``query -> FTS5 MATCH expression`` over ``conn``'s search index; an empty or
    unreadable query gives an expression that matches nothing (the page says why).  On a
    database without the archive's index, Datasette's own escaping."""
    state = {}

    def match(query):
        if "archive" not in state:
            state["archive"] = conn.execute(
                "select 1 from sqlite_master where name = ?", [search.TERMS_TABLE]
            ).fetchone() is not None
        if not state["archive"]:
            return datasette_escape_fts(query or "")
        if not query or not str(query).strip():
            return fulltext.NOTHING
        try:
            return fulltext.match_expression(
                str(query), lambda stems: search.terms_for(conn, stems))
        except fulltext.QueryError:
            return fulltext.NOTHING

    return match


def places_json(name):
    """The canonical places a typed spelling stands for, as a JSON array ([] if none)."""
    try:
        return json.dumps(filters.places().resolve(str(name or "")), ensure_ascii=False)
    except filters.FilterError:
        return "[]"


def date_or_null(value, end=0):
    """A typed date bound as ISO, or NULL when it is not a date (the page says why)."""
    try:
        return filters.parse_date(str(value or ""), end=bool(end))
    except filters.FilterError:
        return None


def register_functions(conn) -> None:
    """The SQL functions the archive's canned queries use (tests call this too)."""
    match = match_function(conn)
    conn.create_function("newsarchive_match", 1, match)
    conn.create_function("escape_fts", 1, match)  # what Datasette wraps _search in
    conn.create_function("newsarchive_places", 1, places_json, deterministic=True)
    conn.create_function("newsarchive_date", 2, date_or_null, deterministic=True)
    conn.create_function("normalize_arabic", 1, fulltext.fold, deterministic=True)


@hookimpl(trylast=True)  # after Datasette's own escape_fts, which this one replaces
def prepare_connection(conn):
    register_functions(conn)


def problems(name: str | None, args) -> list[str]:
    """What is wrong with the parameters of a request for table or canned query ``name``."""
    out = []
    query = args.get("_search") if name == "articles" else \
        args.get("term") if name == "search" else None
    if query and query.strip():
        try:
            fulltext.parse(query)
        except fulltext.QueryError as exc:
            out.append(f"Search {query!r}: {exc}.  Nothing was searched.")
    if name == "search" and args.get("order") not in (None, "", "relevance", "date"):
        out.append(f"order {args.get('order')!r}: use relevance (the default) or date.")
    if name == "articles_mentioning_place":
        place = (args.get("place") or "").strip()
        if place:
            try:
                filters.places().resolve(place)
            except filters.FilterError as exc:
                out.append(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        for key in ("since", "until"):
            if (args.get(key) or "").strip():
                try:
                    filters.parse_date(args[key], label=key)
                except filters.FilterError as exc:
                    out.append(f"{exc}.")
    return out


def report_problems(request, datasette) -> None:
    """Say on the page what is wrong with a canned query's parameters (called by the
    plugin's ``extra_template_vars``, site.py)."""
    if request is None:
        return
    for message in problems(request.url_vars.get("table"), request.args):
        datasette.add_message(request, message, datasette.ERROR)


def snippet_html(value: str) -> markupsafe.Markup:
    """A search snippet, escaped, with its matched words in <mark>."""
    start, end = HIGHLIGHT
    html = str(markupsafe.escape(value))
    return markupsafe.Markup(html.replace(start, "<mark>").replace(end, "</mark>"))


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
    if table is None and column == "snippet" and isinstance(value, str):
        return snippet_html(value)
    if table in ("articles", "article_versions") and column == "text":
        return paragraphs_html(value)
    if table == "articles" and column == "published":
        return markupsafe.Markup('<time datetime="{}">{}</time>').format(
            value, human_date(str(value)))
    if table == "articles" and column in TAG_COLUMNS + ("authors",):
        items = _json_list(value)
        if items is None:
            return None  # not a JSON list: Datasette shows it as it is
        if column == "authors":
            return ", ".join(str(i) for i in items)  # plain text, escaped by Datasette
        return tags_html(items, column, database, datasette)
    if table == "articles" and column == "credits":  # "Levant Press Agency (agency)"
        items = _json_list(value)
        if items is None or not all(isinstance(i, dict) and i.get("name") for i in items):
            return None
        return ", ".join(f"{i['name']} ({i['role']})" if i.get("role") else str(i["name"])
                         for i in items)  # plain text, escaped by Datasette
    if table is None and column == "copies":  # stories across outlets: one link per copy
        return copies_html(value, database, datasette)
    if table is None and column in ("first_published", "last_published") and value:
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
