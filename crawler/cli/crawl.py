"""``newsarchive crawl``."""

from __future__ import annotations

import click

from .base import (EXIT_ERROR, EXIT_OK, cli, db_option, friendly_errors, run_options,
                   sources_option)

EXIT_DEGRADED = 4  # the run finished, but a source that yielded articles before yielded none
EXIT_INTERRUPTED = 5  # stopped early (SIGTERM, Ctrl-C); the next run resumes
# --redis without --db: this worker's own database, the first of these no other worker on
# this machine holds (several workers, one folder)
WORKER_DB = "archive/worker-{}.db"
EXIT_BY_STATUS = {"ok": EXIT_OK, "degraded": EXIT_DEGRADED, "failed": EXIT_ERROR,
                  "interrupted": EXIT_INTERRUPTED}


def report_run(run: dict, quiet: bool) -> None:
    """Print a run's one-line summary; exit with the code its status maps to."""
    line = f"run {run['id']} {run['status']}: {run['message']}"
    code = EXIT_BY_STATUS.get(run["status"], EXIT_ERROR)
    if code != EXIT_OK:
        click.echo(line, err=True)
        raise SystemExit(code)
    if not quiet:
        click.echo(line)


@cli.command()
@sources_option()
@db_option()
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable).")
@run_options()
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="Run as one of many workers sharing this Redis (scrapy-redis): requests "
                   "from `newsarchive seed`, items to `newsarchive ingest`; --db is then "
                   "this worker's own database (default archive/worker-N.db: the first "
                   "N no other worker on this machine holds).")
@click.option("--idle-exit", type=float, default=None, metavar="SECONDS",
              help="With --redis: stop once the shared queue was empty and every other "
                   "worker idle this long (default 60; 0: never).")
@friendly_errors
def crawl(sources_path, db_path, only, overrides, log_file, quiet, verbose, redis_url,
          idle_exit):
    """Crawl the sources into the archive.

    Fetches every source's feeds, sitemaps and start pages, skips articles already
    archived, keeps the Syria-conflict articles and records the run in the crawl_runs
    table.  Only one crawl runs per archive at a time (a lock file next to it).

    \b
    Exit codes:
      0  ok
      1  the run failed (nothing fetched) or an error stopped it (disk full, bad sources)
      3  another crawl holds the archive's lock; nothing was done
      4  degraded: the run finished, but a source that yielded articles before yielded
         none (changed layout? empty feed?); the line on stderr names the source(s)
      5  interrupted (SIGTERM or Ctrl-C); what was extracted is stored, the next run resumes

    Example:

    \b
        newsarchive crawl --sources sources.toml --db archive/news.db --log-file crawl.log --quiet
    """
    # deferred: start-up cost of the CLI (Scrapy)
    from newsarchive.crawler.run import parse_overrides, run_crawl

    if redis_url and click.get_current_context().get_parameter_source(
            "db_path") == click.core.ParameterSource.DEFAULT:
        db_path = None  # a worker keeps its own runs; the archive is the writer's

    try:
        settings = parse_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    if verbose:
        settings.setdefault("NEWSARCHIVE_VERBOSE", "1")
    run = run_crawl(sources_path, db_path or WORKER_DB, only=list(only), overrides=settings,
                    log_file=log_file, quiet=quiet, redis_url=redis_url, idle_exit=idle_exit)
    report_run(run, quiet)
