"""``newsarchive reprocess``."""

from __future__ import annotations

import sys

import click

from .base import cli, db_option, friendly_errors, sources_option
from .filtering import _since, check_range, date_options, resolve_tags


@cli.command()
@db_option(exists=True)
@sources_option()
@click.option("--source", default=None, metavar="NAME", help="Only this source's articles.")
@date_options
@click.option("--fetched-since", default=None, metavar="DATE", callback=_since,
              help="Only articles fetched (crawled) on or after this date.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a setting for this run, e.g. NEWSARCHIVE_TOPIC_THRESHOLD=0.2 "
                   "(repeatable).")
@friendly_errors
def reprocess(db_path, sources_path, source, since, until, fetched_since, workers, overrides):
    """Re-read archived articles and judge dropped pages again, from their WARC captures.

    Needs no network: every article is re-read from the capture its row points at, with
    the sources file's per-source options; then every page a crawl did not keep (not an
    article, off-topic, failed: the `pages` table) is judged again with today's rules and
    thresholds, and filed as an article if it now is one.  Uses every core; only what
    changes is written, so running it twice changes nothing the second time.  Takes the
    archive's lock (not while a crawl runs).  With --source, --since, --until or
    --fetched-since only the chosen articles are re-read (dropped pages are judged again
    by a run without them, or with --source alone).

    Example:

    \b
        newsarchive reprocess --db archive/news.db --source enab-baladi-en --since 2026-01-01
    """
    check_range(since, until)
    from newsarchive.crawler.lock import ArchiveLock
    from newsarchive.crawler.reprocess import reprocess as run
    from newsarchive.crawler.run import parse_overrides, project_settings

    try:
        settings = project_settings(parse_overrides(overrides))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None

    ids = None
    if source or since or until:
        from newsarchive.archive.db import open_readonly
        from newsarchive.archive.export import article_ids

        db = open_readonly(db_path)
        try:
            names = resolve_tags(db, source=[source] if source else ())
            ids = article_ids(db, since=since, until=until, source=names["source"],
                              include_duplicates=True)
        finally:
            db.close()
    with ArchiveLock(db_path):
        bar = None
        if sys.stderr.isatty():
            from newsarchive.archive import warc
            from newsarchive.archive.db import open_readonly

            db = open_readonly(db_path)
            try:
                total = len(warc.captured_articles(db, since=fetched_since, ids=ids))
            finally:
                db.close()
            bar = click.progressbar(length=total, label="reprocessing", file=sys.stderr)
            bar.__enter__()
        try:
            counts = run(db_path, sources_path, since=fetched_since, ids=ids,
                         source=source, workers=workers, settings=settings,
                         dropped=not (since or until or fetched_since),
                         progress=bar.update if bar else None)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    line = (f"{counts['articles']} articles: {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed")
    if counts.get("pages"):
        line += (f"; {counts['pages']} dropped pages judged again: {counts['recovered']} "
                 f"recovered as articles, {counts['rejudged']} judged otherwise")
    click.echo(f"{line} ({counts['pages_per_s']} pages/s)")
