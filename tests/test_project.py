"""Checks of the project itself: the README, --help and the two newcomer commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.crawler.cli import cli

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
    from newsarchive.crawler.cli import base
    from newsarchive.crawler.cli.crawl import EXIT_BY_STATUS

    table = dict(re.findall(r"^\| (\d) \| (.+?) \|$", README, re.M))
    assert table["3"].startswith("another crawl holds") and base.EXIT_LOCKED == 3
    assert table["4"].startswith("degraded") and EXIT_BY_STATUS["degraded"] == 4
    assert table["5"].startswith("interrupted") and EXIT_BY_STATUS["interrupted"] == 5
    assert EXIT_BY_STATUS["failed"] == 1 and EXIT_BY_STATUS["ok"] == 0


def test_every_package_folder_is_installed_under_the_namespace():
    """pyproject lists each folder of crawler/, pipelines/ and archive/ as a package of the
    ``newsarchive`` namespace; a folder missing there would be left out of a wheel."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    for top in ("crawler", "pipelines", "archive"):
        assert config["package-dir"][f"newsarchive.{top}"] == top
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            parts = folder.relative_to(ROOT).parts
            if "__pycache__" in parts:
                continue
            assert "newsarchive." + ".".join(parts) in listed, folder


def test_a_folder_named_like_a_package_in_the_working_directory_is_not_imported(tmp_path):
    """A user's own archive/ (the default --db folder), crawler/ or pipelines/ folder beside
    them never stands in for the project's packages."""
    import subprocess
    import sys

    for name in ("archive", "crawler", "pipelines", "newsarchive"):
        (tmp_path / name).mkdir()
    (tmp_path / "archive" / "db.py").write_text("raise SystemExit('shadowed')\n")
    ran = subprocess.run([sys.executable, "-c", "import newsarchive.archive.db as m; print(m.__file__)"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().startswith(str(ROOT)), ran.stdout
