"""The ``newsarchive`` click group and the options its commands share."""

from __future__ import annotations

import functools
import socket

import click

from newsarchive.archive import DEFAULT_DB
from newsarchive.crawler.exceptions import LockedError, NewsarchiveError

EXIT_OK = 0
EXIT_ERROR = 1  # a one-line reason is printed on stderr
EXIT_USAGE = 2  # click's own usage errors
EXIT_LOCKED = 3  # another crawl holds the archive's lock


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli():
    """Crawl, clean, de-duplicate and archive Syria-conflict news into SQLite.

    Exit codes: 0 success; 1 error or failed run (one-line reason on stderr);
    2 usage error; 3 another crawl holds the archive's lock; 4 degraded run (a
    source that yielded articles before yielded none, or part of the input was
    lost: refused or unreadable records); 5 interrupted run.

    Example:

    \b
        newsarchive demo
    """


def db_option(default: str = DEFAULT_DB, exists: bool = False):
    """``--db PATH``: the SQLite archive."""
    return click.option(
        "--db", "db_path", default=default, show_default=True,
        type=click.Path(dir_okay=False, exists=exists), help="SQLite archive file.",
    )


def sources_option(default: str = "sources.toml"):
    """``--sources FILE``: the sources file."""
    return click.option(
        "--sources", "sources_path", default=default, show_default=True,
        type=click.Path(dir_okay=False), help="TOML sources file.",
    )


def verbose_option():
    """``-v``: the whole log on the terminal (sets NEWSARCHIVE_VERBOSE, crawler/logs.py)."""
    return click.option(
        "-v", "--verbose", is_flag=True,
        help="Show the whole log on the terminal (Scrapy's start-up, each item, the stats); "
             "without it the terminal shows warnings, the progress and the summary.")


SET_HELP = "Override a Scrapy setting for this run (repeatable)."


def set_option(help: str = SET_HELP):
    """``-s/--set KEY=VALUE``: a setting for this run (repeatable), passed as ``overrides``."""
    return click.option("-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
                        help=help)


def run_options(verbose: bool = True):
    """The options of a command that runs a crawl and reports its run: ``-s/--set``,
    ``--log-file``, ``-v/--verbose`` (unless ``verbose=False``) and ``-q/--quiet``, passed
    as ``overrides``, ``log_file``, ``verbose`` and ``quiet``."""
    options = [
        set_option(),
        click.option("--log-file", type=click.Path(dir_okay=False), default=None,
                     help="Append the log here, one timestamped (UTC) line per record, "
                          "instead of writing it to stderr."),
        *([verbose_option()] if verbose else []),
        click.option("-q", "--quiet", is_flag=True,
                     help="Print nothing when the run is ok; one line on stderr otherwise "
                          "(for cron)."),
    ]

    def decorate(func):
        for option in reversed(options):  # as if written top to bottom above ``func``
            func = option(func)
        return func

    return decorate


def port_in_use(host: str, port: int) -> bool:
    """True when nothing can listen on ``host:port`` (another server holds it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def check_port(host: str, port: int) -> None:
    """Refuse, before any work, a port another server holds (exit 2, with a free one)."""
    if not port_in_use(host, port):
        return
    free = next((p for p in range(port + 1, min(port + 100, 65536))
                 if not port_in_use(host, p)), None)
    hint = f"; try --port {free}" if free else ""
    error = click.ClickException(f"port {port} is in use{hint}")
    error.exit_code = EXIT_USAGE
    raise error


def friendly_errors(func):
    """Turn library errors into a one-line ``click.ClickException`` at the CLI edge."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except LockedError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = EXIT_LOCKED
            raise error from None
        except NewsarchiveError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper
