"""``newsarchive cdxj``."""

from __future__ import annotations

import click

from .base import cli, db_option


@cli.command()
@db_option(exists=True)
@click.option("--warc-dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder of the WARC files (default: warc/ next to the database, or "
                   "NEWSARCHIVE_WARC_DIR).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Index file to write (default: index.cdxj in the WARC folder).")
def cdxj(db_path, warc_dir, output):
    """Index the archive's WARC files (CDXJ), so pywb can replay every capture.

    The index is sorted and written atomically; the article page's "Capture" link
    shows one record as text, pywb replays the page with its images and styles
    (see the README for its config.yaml).

    Example:

    \b
        newsarchive cdxj --db archive/news.db
    """
    from newsarchive.archive.warc import warc_dir as default_dir
    from newsarchive.archive.warc import write_cdxj
    from newsarchive.crawler.run import project_settings

    folder = warc_dir or default_dir(db_path, project_settings().get("NEWSARCHIVE_WARC_DIR"))
    path, lines = write_cdxj(folder, output)
    click.echo(f"{lines} captures indexed in {path}", err=True)
