"""``newsarchive demo``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from newsarchive.pipelines.fulltext import search_forms

from .base import check_port, cli, friendly_errors

# Loopback needs no politeness delay; the demo should take seconds, not minutes.
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "LOG_LEVEL=WARNING")


@cli.command()
@click.option("--db", "db_path", default="archive/demo.db", show_default=True,
              type=click.Path(dir_okay=False), help="Where to build the demo archive.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Datasette host.")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port.")
@click.option("--no-serve", is_flag=True, help="Build the demo archive, then exit.")
@friendly_errors
def demo(db_path, host, port, no_serve):
    """Crawl the bundled sample site on loopback and browse it in Datasette.

    Starts the fictional sample outlets on 127.0.0.x, crawls them into a fresh
    archive (a real Scrapy crawl over HTTP), then serves Datasette and prints the
    URL to open.  Ctrl-C stops it.  A port already in use is refused before the
    crawl (exit 2).

    Example:

    \b
        newsarchive demo --port 8001
    """
    # deferred: start-up cost of the CLI (asyncio server, the sample site's pages)
    from newsarchive.crawler.fakeweb import SampleSite

    if not no_serve:
        check_port(host, port)  # before the crawl, not after it
    db = Path(db_path)
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    with SampleSite() as site:
        sources = db.with_name(db.stem + "-sources.toml")
        site.write_sources(sources)
        click.echo(f"Sample site: {', '.join(site.bases.values())}", err=True)
        click.echo(f"Crawling it into {db} ...", err=True)
        command = [sys.executable, "-m", "newsarchive.crawler.cli", "crawl", "--sources", str(sources),
                   "--db", str(db)]
        for setting in FAST:
            command += ["-s", setting]
        # stderr is the user's terminal (the progress display, warnings); the crawl prints
        # its one-line summary on stdout when it is ok, on stderr otherwise
        result = subprocess.run(command, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise click.ClickException("the demo crawl failed (see above)")
        summary = [line for line in result.stdout.splitlines() if line.startswith("run ")]
        click.echo(summary[-1] if summary else result.stdout[-500:], err=True)
        if no_serve:
            return
        from newsarchive.archive.serve import serve  # deferred: start-up cost of the CLI (yaml)

        click.echo(f"Open http://{host}:{port}/ in your browser (Ctrl-C to stop).", err=True)
        serve(db, host=host, port=port, forms_of=search_forms)
