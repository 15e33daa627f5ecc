"""``newsarchive crawl``."""

from __future__ import annotations

import click

from .base import EXIT_ERROR, cli, db_option, friendly_errors, sources_option


@cli.command()
@sources_option()
@db_option()
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a Scrapy setting for this run (repeatable).")
@friendly_errors
def crawl(sources_path, db_path, only, overrides):
    """Crawl the sources into the archive.

    Fetches every source's feeds, sitemaps and start pages, keeps the Syria-conflict
    articles and records the run in the crawl_runs table.  Exits 1 if the run failed.

    Example:

        newsarchive crawl --sources sources.toml --db archive/news.db
    """
    from crawler.run import parse_overrides, run_crawl

    try:
        settings = parse_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    run = run_crawl(sources_path, db_path, only=list(only), overrides=settings)
    line = f"run {run['id']} {run['status']}: {run['message']}"
    if run["status"] == "failed":
        click.echo(line, err=True)
        raise SystemExit(EXIT_ERROR)
    click.echo(line, err=run["status"] != "ok")
