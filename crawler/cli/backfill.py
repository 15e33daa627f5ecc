"""``newsarchive backfill``."""

from __future__ import annotations

import re

import click

from .base import cli, db_option, friendly_errors, sources_option, verbose_option


def _timestamp(ctx, param, value):
    if value is None:
        return None
    digits = re.sub(r"[-:T ]", "", value)
    if not re.fullmatch(r"\d{4,14}", digits):
        raise click.BadParameter("a date: YYYY, YYYY-MM-DD or a 4-14 digit timestamp")
    return digits


@cli.command()
@sources_option()
@db_option()
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Back-fill only this source (repeatable; default: every source with a "
                   "[source.wayback] table).")
@click.option("--from", "from_", callback=_timestamp, default=None, metavar="DATE",
              help="Only captures from this date on (overrides the source's `from`).")
@click.option("--to", callback=_timestamp, default=None, metavar="DATE",
              help="Only captures up to this date (overrides the source's `to`).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a Scrapy setting for this run (repeatable).")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Append the log here instead of writing it to stderr.")
@verbose_option()
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when the run is ok.")
@friendly_errors
def backfill(sources_path, db_path, only, from_, to, overrides, log_file, quiet, verbose):
    """Archive an outlet that no longer exists from its Wayback Machine captures.

    Lists the captures of every source with a [source.wayback] table through the CDX API
    (resume keys followed), fetches each page as archived (the raw id_ form, no toolbar),
    slowly (NEWSARCHIVE_WAYBACK_DELAY), and stores the articles under the outlet's name with
    their original URLs and capture times, through the same pipelines as a crawl (their
    captures go to WARC too).  Articles already archived are not fetched again.  Same lock,
    crawl_runs row and exit codes as `newsarchive crawl`.

    Example:

    \b
        newsarchive backfill --sources sources.toml --db archive/news.db --source aranews-en
    """
    from newsarchive.crawler.run import parse_overrides, run_crawl

    from .crawl import report_run

    try:
        settings = parse_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    if verbose:
        settings.setdefault("NEWSARCHIVE_VERBOSE", "1")
    run = run_crawl(sources_path, db_path, only=list(only), overrides=settings,
                    log_file=log_file, quiet=quiet, spider="wayback",
                    spider_args={"from_": from_, "to": to})
    report_run(run, quiet)
