"""``newsarchive export`` / ``reprocess`` / ``search`` filters over the sample archive: every
spelling the data knows is accepted, every nonsense value refused (exit 2) saying why."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from newsarchive.crawler.cli import cli
from newsarchive.pipelines.filters import DATE_FORMATS


@pytest.fixture(scope="module")
def archive(sample_archive, tmp_path_factory):
    path = tmp_path_factory.mktemp("filters") / "news.db"
    shutil.copy(sample_archive[0], path)
    return path


def export(archive, *args):
    result = CliRunner().invoke(cli, ["export", "--db", str(archive), "--format", "jsonl",
                                      "--include-duplicates", *args])
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()} \
        if result.exit_code == 0 else None
    return result, ids


def ids(archive, *args) -> set[int]:
    result, found = export(archive, *args)
    assert result.exit_code == 0, result.output
    return found


@pytest.mark.parametrize("option, spellings", [
    ("--place", ["Idlib", "Idleb", "idleb", "إدلب", "ادلب", "Edlib"]),
    ("--place", ["Idlib Governorate", "Idleb province", "idlib governorate"]),
    ("--place", ["Aleppo", "Halab", "حلب"]),
    ("--actor", ["Hayat Tahrir al-Sham", "HTS", "هيئة تحرير الشام", "hayat tahrir al sham"]),
    ("--event", ["displacement", "Displacement", "نزوح"]),
    ("--event", ["air/drone strike", "airstrike", "air strikes"]),
])
def test_every_spelling_finds_the_same_articles(archive, option, spellings):
    first = ids(archive, option, spellings[0])
    assert first, f"the sample archive has articles for {spellings[0]}"
    for spelling in spellings[1:]:
        assert ids(archive, option, spelling) == first, spelling


def test_source_names_any_case(archive):
    assert ids(archive, "--source", "LEVANT-WIRE") == ids(archive, "--source", "levant-wire")


@pytest.mark.parametrize("option, value, closest", [
    ("--place", "Idlbi", "Idlib"),
    ("--place", "Aleppoo", "Aleppo"),
    ("--source", "levant-wir", "levant-wire"),
    ("--actor", "Hayat Tahrir al-Shem", "Hayat Tahrir al-Sham"),
    ("--event", "displacment", "displacement"),
])
def test_unknown_names_are_usage_errors_naming_the_closest(archive, option, value, closest):
    result, _ = export(archive, option, value)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {option}: unknown" in result.output
    assert f"'{value}'; closest known: {closest}" in result.output
    assert not result.stdout.strip().startswith("{")


@pytest.mark.parametrize("value, why", [
    ("2024-13-45", "is not a real date"), ("yesterday", "is not a date"),
    ("01/02/2024", "day and month order is ambiguous"),
])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_bad_dates_are_usage_errors_with_the_formats(archive, option, value, why):
    result, _ = export(archive, option, value)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"Invalid value for '{option}'" in text and why in text
    assert " ".join(DATE_FORMATS.split()) in text


def test_dates_filter_the_publication_date(archive):
    every = ids(archive)
    y2024 = ids(archive, "--since", "2024", "--until", "2024")
    assert y2024 and y2024 < every
    assert ids(archive, "--since", "2024-01-01", "--until", "2024-12-31") == y2024
    assert ids(archive, "--since", "2024-10", "--until", "2024-10") <= y2024
    result, _ = export(archive, "--since", "2025", "--until", "2024")
    assert result.exit_code == 2 and "is after --until" in result.output
    for command in ("export", "reprocess"):
        help_text = " ".join(CliRunner().invoke(cli, [command, "--help"]).output.split())
        assert "--since DATE Published on or after this date (the article's publication date)" \
            in help_text, command


def test_search_option_and_its_errors(archive):
    assert ids(archive, "--search", "strikes") == ids(archive, "--search", "strike")
    result, _ = export(archive, "--search", '"air strike')
    assert result.exit_code == 2 and "a quote is not closed" in result.output


def test_reprocess_refuses_the_same_nonsense(archive):
    for args, message in ((["--since", "yesterday"], "is not a date"),
                          (["--source", "nobody"], "unknown source 'nobody'")):
        result = CliRunner().invoke(cli, ["reprocess", "--db", str(archive), *args])
        assert result.exit_code == 2 and message in result.output, result.output


def test_search_command(archive):
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "--db", str(archive), "--limit", "2", "displaced"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    total = int(first.split()[0])
    assert total == len(ids(archive, "--search", "displacement"))
    assert first.endswith("; the first 2:") and "[displace" in result.output
    result = runner.invoke(cli, ["search", "--db", str(archive), "--match", "strike"])
    assert result.output.strip() == '("strike" OR "strikes" OR "striking")'
    result = runner.invoke(cli, ["search", "--db", str(archive), "Idlib OR"])
    assert result.exit_code == 2 and "OR needs a word on each side" in result.output
