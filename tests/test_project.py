"""Checks of the project itself: the README, --help and the two newcomer commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_readme_gives_the_two_newcomer_commands():
    quick = README[README.index("## Quick start"):]
    block = re.search(r"```\n(.*?)```", quick, re.S).group(1).split()
    assert block == ["make", "demo", "make", "test"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_in_the_readme(name):
    assert f"newsarchive {name}" in README, f"README does not mention `newsarchive {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"newsarchive {name}" in result.output


def test_makefile_targets_named_in_the_readme_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"make ([a-z-]+)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_exit_codes_match_the_cli():
    from crawler.cli import base
    from crawler.cli.crawl import EXIT_BY_STATUS

    table = dict(re.findall(r"^\| (\d) \| (.+?) \|$", README, re.M))
    assert table["3"].startswith("another crawl holds") and base.EXIT_LOCKED == 3
    assert table["4"].startswith("degraded") and EXIT_BY_STATUS["degraded"] == 4
    assert table["5"].startswith("interrupted") and EXIT_BY_STATUS["interrupted"] == 5
    assert EXIT_BY_STATUS["failed"] == 1 and EXIT_BY_STATUS["ok"] == 0
