"""``newsarchive seed``."""

from __future__ import annotations

import click

from newsarchive.crawler.redis.seed import seed as seed_requests

from .base import cli, friendly_errors, sources_option


@cli.command()
@sources_option()
@click.option("--redis", "redis_url", required=True, metavar="URL",
              help="The Redis the workers share, e.g. redis://10.0.0.5:6379/0.")
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Seed only this source (repeatable).")
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help="Also share this archive's already-judged URLs, so workers skip them "
                   "(`ingest` does this too when it starts).")
@friendly_errors
def seed(sources_path, redis_url, only, db_path):
    """Queue the sources' start requests for distributed workers.

    Pushes every source's feeds, sitemaps and start pages into the shared scrapy-redis
    queue that `newsarchive crawl --redis URL` workers take requests from.  Seeding when
    nothing is queued or in progress starts a new cycle (the shared duplicate filter is
    emptied, so listing pages are followed again).

    Example:

    \b
        newsarchive seed --sources sources.toml --redis redis://127.0.0.1:6379/0
    """
    import redis  # deferred: start-up cost of the CLI (redis)

    try:
        done = seed_requests(sources_path, redis_url, only=list(only), db_path=db_path)
    except redis.RedisError as exc:
        raise click.ClickException(f"Redis at {redis_url}: {exc}") from None
    click.echo(f"queued {done['requests']} start request(s)"
               + (" (new cycle)" if done["new_cycle"] else " (joined the running cycle)")
               + (f"; shared {done['seen']} archived URL(s)" if db_path else ""))
