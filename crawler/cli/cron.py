"""``newsarchive cron``: print a ready crontab line and a logrotate snippet."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import click

from .base import cli, db_option, sources_option

EVERY_RE = re.compile(r"^(\d+)\s*([mhd])$")


def schedule(every: str) -> str:
    """``"30m"`` / ``"1h"`` / ``"6h"`` / ``"1d"`` -> the five crontab time fields."""
    match = EVERY_RE.match(every.strip().lower())
    if not match:
        raise click.BadParameter("use a number and m, h or d, e.g. 30m, 1h, 6h, 1d",
                                 param_hint="--every")
    n, unit = int(match.group(1)), match.group(2)
    # a fixed odd minute, so archives on one machine do not all start at :00
    if unit == "m" and 1 <= n < 60 and 60 % n == 0:
        return "*/%d * * * *" % n if n > 1 else "* * * * *"
    if unit == "h" and 1 <= n <= 24 and 24 % n == 0:
        return "17 * * * *" if n == 1 else f"17 */{n} * * *"
    if unit == "d" and n == 1:
        return "17 3 * * *"
    raise click.BadParameter("minutes must divide 60 and hours must divide 24 (or use 1d)",
                             param_hint="--every")


def executable() -> str:
    """Absolute path of this environment's ``newsarchive`` script."""
    here = Path(sys.executable).parent / "newsarchive"
    if here.exists():
        return str(here)
    found = shutil.which("newsarchive")
    return str(Path(found).resolve()) if found else f"{sys.executable} -m newsarchive.crawler.cli"


def crontab_line(sources: Path, db: Path, log: Path, every: str) -> str:
    # cd to the archive's directory: relative paths in the sources file resolve there
    return (f"{schedule(every)} cd {_q(db.parent)} && {executable()} crawl --sources "
            f"{_q(sources)} --db {_q(db)} --log-file {_q(log)} --quiet")


def logrotate_snippet(log: Path) -> str:
    # no copytruncate: the crawl reopens the log file when it is moved (WatchedFileHandler)
    return (f"{log} {{\n    weekly\n    rotate 12\n    compress\n    delaycompress\n"
            f"    missingok\n    notifempty\n}}")


def _q(path: Path) -> str:
    text = str(path)
    return f"'{text}'" if re.search(r"[^\w@%+=:,./-]", text) else text


@cli.command()
@sources_option()
@db_option()
@click.option("--every", default="1h", show_default=True,
              help="How often to crawl: 30m, 1h, 6h, 1d ...")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Log file [default: next to the archive, <db>.log].")
def cron(sources_path, db_path, every, log_file):
    """Print a crontab line and a logrotate snippet for unattended crawls.

    The line runs `newsarchive crawl --quiet` with absolute paths, logging to a file with
    timestamps.  cron mails whatever a job prints, and a quiet crawl prints nothing when
    all is well: one line when a source went silent (exit 4), the run failed (1) or was
    interrupted (5).  A crawl still running when the next one starts makes the new one
    exit at once (3) without touching the archive.

    Example:

    \b
        newsarchive cron --sources sources.toml --db archive/news.db --every 6h
    """
    sources = Path(sources_path).resolve()
    db = Path(db_path).resolve()
    log = Path(log_file).resolve() if log_file else db.with_name(db.name + ".log")
    line = crontab_line(sources, db, log, every)
    click.echo("# crontab -e, then add:")
    click.echo(line)
    click.echo("")
    click.echo("# /etc/logrotate.d/newsarchive (or: logrotate -s state.file this.conf):")
    click.echo(logrotate_snippet(log))
