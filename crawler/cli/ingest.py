"""``newsarchive ingest``."""

from __future__ import annotations

import click

from .base import EXIT_OK, cli, db_option, friendly_errors, run_options
from .crawl import report_run


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL",
              help="The Redis the workers push items to, e.g. redis://10.0.0.5:6379/0.")
@db_option()
@click.option("--idle-exit", type=float, default=None, metavar="SECONDS",
              help="Stop once no item came and no worker was busy this long "
                   "(default 60; 0: never, run as a service).")
@run_options(verbose=False)
@friendly_errors
def ingest(redis_url, db_path, idle_exit, overrides, log_file, quiet):
    """Write the items distributed workers queued into the archive.

    The one writer of a distributed crawl (SQLite has one writer): takes the items that
    `newsarchive crawl --redis URL` workers queue, de-duplicates them against the archive,
    writes their WARC captures and stores them, each exactly once.  Shares the archive's
    already-judged URLs with the workers when it starts.  A malformed entry is set aside
    on the dead-letter list (<prefix>:items:dead, with the error) and the run goes on.

    \b
    Exit codes: 0 ok; 1 failed; 4 degraded (malformed entries were set aside);
    5 interrupted.

    Example:

    \b
        newsarchive ingest --redis redis://127.0.0.1:6379/0 --db archive/news.db
    """
    import redis  # deferred: start-up cost of the CLI (redis)

    # deferred: start-up cost of the CLI (Scrapy, redis)
    from newsarchive.crawler.redis.writer import run_ingest
    # deferred: start-up cost of the CLI (Scrapy)
    from newsarchive.crawler.run import parse_overrides

    try:
        settings = parse_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    try:
        run = run_ingest(redis_url, db_path, idle_exit=idle_exit, overrides=settings,
                         log_file=log_file, quiet=quiet)
    except redis.RedisError as exc:
        raise click.ClickException(f"Redis at {redis_url}: {exc}") from None
    report_run(run, quiet)
    return EXIT_OK
