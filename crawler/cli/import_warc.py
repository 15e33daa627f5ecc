"""``newsarchive import-warc``."""

from __future__ import annotations

import click

from .base import cli, db_option, friendly_errors, sources_option, verbose_option


@cli.command("import-warc")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
@sources_option()
@db_option()
@click.option("--source", default=None, metavar="NAME",
              help="Store every article under this source name (default: the source of the "
                   "sources file that owns the page's host; pages of none are skipped).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a Scrapy setting for this run (repeatable).")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Append the log here instead of writing it to stderr.")
@verbose_option()
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when the run is ok.")
@friendly_errors
def import_warc(files, sources_path, db_path, source, overrides, log_file, quiet, verbose):
    """Import the HTML pages of WARC files made elsewhere as articles.

    Reads WARC (or ARC) files from another archiver or Common Crawl's news crawl; every
    response record of an HTML article goes through the same pipelines as a crawled page
    (extract, clean, tag, topic, dedup, store), with its capture time (WARC-Date) as the
    fetch time, and is copied into the archive's own WARC files.  Records as a crawl_runs
    row, like a crawl.

    Example:

    \b
        newsarchive import-warc CC-NEWS-20160302101500-00001.warc.gz --db archive/news.db
    """
    from newsarchive.crawler.run import parse_overrides, run_crawl
    from newsarchive.crawler.sources import NAME_RE

    from .crawl import report_run

    if source is not None and not NAME_RE.match(source):
        raise click.BadParameter("lower-case letters, digits, '-', '_' or '.'",
                                 param_hint="--source")
    try:
        settings = parse_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    if verbose:
        settings.setdefault("NEWSARCHIVE_VERBOSE", "1")
    run = run_crawl(sources_path, db_path, overrides=settings, log_file=log_file, quiet=quiet,
                    spider="warcfile",
                    spider_args={"files": [str(f) for f in files], "source": source})
    report_run(run, quiet)
