"""``newsarchive serve``."""

from __future__ import annotations

import click

from .base import check_port, cli, db_option


@cli.command()
@db_option(exists=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Host to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--immutable", is_flag=True,
              help="Serve as immutable (faster). Only for a snapshot made by "
                   "publish-snapshot, never for an archive a crawl may still write.")
@click.option("--open", "open_browser", is_flag=True, help="Open a browser at the archive.")
def serve(db_path, host, port, immutable, open_browser):
    """Browse, search and map the archive in Datasette.

    The archive is opened read-only, so it is safe to serve while a crawl writes to
    it.  Before serving, pending articles are added to the search index and the
    places table is refreshed (one short write); then it runs stock `datasette
    serve` with the project's settings (the newsarchive plugin and its
    configuration load by entry point).  A port already in use is refused (exit 2).

    Example:

    \b
        newsarchive serve --db archive/news.db --port 8001
    """
    import logging

    from newsarchive.archive.serve import serve as serve_archive
    from newsarchive.pipelines.fulltext import search_forms

    check_port(host, port)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        serve_archive(db_path, host=host, port=port, immutable=immutable,
                      open_browser=open_browser, forms_of=search_forms)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
