"""``python -m newsarchive.crawler.cli`` runs the ``newsarchive`` command."""

from . import cli

cli(prog_name="newsarchive")
