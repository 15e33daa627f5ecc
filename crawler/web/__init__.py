"""The newsarchive Datasette plugin: the archive as a journalist opens it.

Registered through the ``datasette`` entry point in pyproject.toml, so stock ``datasette``
loads it (``datasette archive/news.db``), as do ``newsarchive serve``, ``datasette
publish`` and ``datasette package`` (with the newsarchive package installed).  Datasette
finds its ``templates/`` and ``static/`` folders next to this file (static files are
served at ``/-/static-plugins/newsarchive/``).

* hooks.py: search (the project's query syntax through SQL functions), the canned
  queries' parameter checks, how cells render;
* site.py: which databases are archives, their metadata (archive/datasette/metadata.yaml),
  CSS/JS, template variables, routes;
* pages.py: the home page's and the article page's data, the map page, the raw capture.

It lives in ``crawler/`` (the user-facing layer), not in ``archive/``, because it reads
search queries and filters with ``pipelines/fulltext.py`` and ``pipelines/filters.py``.
"""

from .hooks import prepare_connection, render_cell  # noqa: F401
from .site import (  # noqa: F401
    extra_css_urls,
    extra_js_urls,
    extra_template_vars,
    get_metadata,
    menu_links,
    register_routes,
    startup,
)
