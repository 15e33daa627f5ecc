"""``newsarchive export`` and archive/export.py: CSV/JSON/JSONL, filters, atomic output."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.archive import search
from newsarchive.archive.db import open_readonly
from newsarchive.archive.export import EXPORT_COLUMNS, export_articles, export_to_path
from newsarchive.crawler.cli import cli
from newsarchive.pipelines.fulltext import match_expression

_spec = importlib.util.spec_from_file_location(
    "_archive_sample", Path(__file__).with_name("test_serve.py"))
_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sample)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "news.db"
    ids = _sample.build_archive(path)
    db = open_readonly(path)
    yield path, db, ids
    db.close()


def export(db, fmt="csv", **kwargs) -> str:
    out = io.StringIO(newline="")
    export_articles(db, fmt, out, **kwargs)
    return out.getvalue()


def csv_rows(text) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_columns_documented_and_stable(sample):
    _, db, _ = sample
    header = next(csv.reader(io.StringIO(export(db))))
    assert tuple(header) == EXPORT_COLUMNS
    import newsarchive.archive.export as module
    from newsarchive.crawler.cli.export import COLUMNS_HELP

    assert ", ".join(EXPORT_COLUMNS) in " ".join(module.__doc__.split())
    assert ", ".join(EXPORT_COLUMNS) in COLUMNS_HELP


def test_csv_round_trip_arabic_newlines_quotes(sample):
    _, db, ids = sample
    rows = {int(r["id"]): r for r in csv_rows(export(db))}
    arabic = rows[ids["ar_plain"]]
    assert arabic["title"] == "قصف على ادلب"
    assert arabic["text"] == "سقطت قذائف على مدينة ادلب صباح اليوم.\n\nوقال الدفاع المدني إن الأضرار كبيرة."
    formula = rows[ids["formula"]]
    assert formula["text"] == 'He said "no comment", then left.\nA second line.\n\n+1 more, -3 fewer, @all'
    assert rows[ids["market"]]["places"] == "Idlib"
    assert rows[ids["market"]]["authors"] == "Lina Haddad"
    assert rows[ids["xss"]]["text"] == _sample.XSS_TEXT


def test_csv_formula_cells_neutralised_unless_raw(sample):
    _, db, ids = sample
    safe = {int(r["id"]): r for r in csv_rows(export(db))}[ids["formula"]]
    assert safe["title"] == '\'=HYPERLINK("http://bad.example","click")'
    assert safe["authors"] == "'@reporter"
    raw = {int(r["id"]): r for r in csv_rows(export(db, raw=True))}[ids["formula"]]
    assert raw["title"] == '=HYPERLINK("http://bad.example","click")'
    assert raw["authors"] == "@reporter"


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2+3", "'-2+3"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), (5, 5), (-0.5, -0.5), ("-", "'-"),
    ("--2", "'--2"), ("-2e", "'-2e"),
    # a plain number is a number, never a formula (and CSV text cannot tell it from one)
    ("-2", "-2"), ("+1.5e3", "+1.5e3"), ("-.5", "-.5"),
])
def test_safe_cell(value, expected):
    from newsarchive.archive.export import safe_cell

    assert safe_cell(value) == expected


def test_excel_bom(sample):
    _, db, _ = sample
    text = export(db, excel=True)
    assert text.startswith("\ufeffid,published")
    assert not export(db).startswith("\ufeff")


def test_json_and_jsonl(sample):
    _, db, ids = sample
    as_json = json.loads(export(db, "json"))
    as_jsonl = [json.loads(line) for line in export(db, "jsonl").splitlines()]
    assert as_json == as_jsonl
    assert list(as_json[0]) == list(EXPORT_COLUMNS)
    by_id = {r["id"]: r for r in as_json}
    assert by_id[ids["market"]]["places"] == ["Idlib"]
    assert by_id[ids["ar_hamza"]]["title"] == "نازحون في إِدْلِب"
    assert by_id[ids["talks"]]["dateline"] is None
    published = [r["published"] for r in as_json]
    assert published == sorted(published)  # chronological
    assert json.loads(export(db, "json", source="nobody")) == []


def test_filters(sample):
    _, db, ids = sample

    def got(**filters):
        return {r["id"] for r in json.loads(export(db, "json", **filters))}

    originals = set(ids.values()) - {ids["dup"]}
    assert got() == originals
    assert got(include_duplicates=True) == set(ids.values())
    assert got(since="2026-03-05") == {ids["xss"], ids["ar_plain"], ids["ar_hamza"]}
    assert got(until="2026-02-20") == {ids["talks"], ids["formula"]}  # whole day included
    assert got(since="2026-03-02", until="2026-03-02") == {ids["market"]}
    assert got(source=["beta"]) == {ids["ar_plain"]}
    assert got(source=["beta", "gamma"]) == {ids["ar_plain"], ids["ar_hamza"], ids["xss"]}
    assert got(place="Aleppo") == {ids["talks"], ids["formula"]}
    assert got(place=["Homs", "Aleppo"]) == {ids["talks"], ids["formula"], ids["xss"]}
    assert got(actor="United Nations") == {ids["talks"]}
    assert got(event="displacement") == {ids["ar_hamza"]}
    assert got(event=["displacement", "negotiations"]) == {ids["ar_hamza"], ids["talks"]}

    def match(query):
        return match_expression(query, lambda stems: search.terms_for(db, stems))

    assert got(match=match("إدلب")) == {ids["ar_plain"], ids["ar_hamza"]}
    assert got(match=match("market"), include_duplicates=True) == {ids["market"], ids["dup"]}
    assert got(match=match("market"), source="beta") == set()
    assert got(match=match("markets")) == {ids["market"]}  # word forms


def test_export_to_path_is_atomic(sample, tmp_path):
    _, db, _ = sample
    target = tmp_path / "out" / "articles.csv"
    assert export_to_path(db, "csv", target) == 6
    good = target.read_bytes()
    assert (target.stat().st_mode & 0o777) != 0o600

    def fail(done):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        export_to_path(db, "json", target, progress=fail)
    assert target.read_bytes() == good  # untouched
    assert [p.name for p in target.parent.iterdir()] == ["articles.csv"]  # no temp left
    with pytest.raises(OSError):
        export_to_path(db, "csv", tmp_path / "new.csv", progress=fail)
    assert not (tmp_path / "new.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_stdout_and_file(sample, tmp_path):
    path, _, ids = sample
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--db", str(path), "--format", "jsonl",
                                 "--place", "Idlib", "--since", "2026-03-10"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["id"] for r in lines} == {ids["ar_plain"], ids["ar_hamza"]}
    out = tmp_path / "x.csv"
    result = runner.invoke(cli, ["export", "--db", str(path), "-o", str(out), "--excel",
                                 "--include-duplicates", "--search", "market"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,")
    assert len(csv_rows(data.decode("utf-8-sig"))) == 2
    assert "2 articles written" in result.stderr


def test_cli_help_lists_columns():
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "crawl_run, text" in " ".join(result.output.split())


def test_cli_missing_archive(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2


def test_progress_only_on_a_terminal(sample, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    path = sample[0]
    master, slave = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "newsarchive.crawler.cli", "export", "--db", str(path), "--format", "json",
             "-o", str(tmp_path / "a.json")],
            stderr=slave, stdout=subprocess.PIPE, timeout=60, cwd=Path(__file__).parents[2],
        )
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert result.returncode == 0
    assert b"exported 6/6 articles" in seen
    assert len(json.loads((tmp_path / "a.json").read_text())) == 6


def test_incidents_csv_has_the_evidence_and_is_formula_safe(tmp_path):
    from newsarchive.archive import incidents as archive_incidents
    from newsarchive.archive.db import open_db
    from newsarchive.archive.export import INCIDENT_EXPORT_COLUMNS, export_incidents

    path = tmp_path / "news.db"
    ids = _sample.build_archive(path)
    db = open_db(path)
    evidence = "=HYPERLINK(\"http://x\") Shells fell on the vegetable market of Idlib city."
    archive_incidents.replace_incidents(db, ids["market"], [{
        "event_type": "shelling/artillery/missile attack", "date": "2026-03-02",
        "date_source": "text", "place": "Idlib", "governorate": "Idlib Governorate",
        "latitude": 35.9, "longitude": 36.6, "actors": ["Syrian Arab Army", "-x"],
        "killed": 3, "qualifiers": {"killed": ["at least"]},
        "sentence": {"in": "text", "start": 0, "end": len(evidence), "sentence": evidence}}])
    out = io.StringIO(newline="")
    assert export_incidents(db, "csv", out) == 1
    (row,) = csv_rows(out.getvalue())
    assert tuple(row) == INCIDENT_EXPORT_COLUMNS
    assert row["evidence"] == "'" + evidence and row["killed"] == "3"
    assert row["actors"] == "Syrian Arab Army; -x" and row["qualifiers"] == "killed: at least"
    assert row["title"] == "Shelling hits a market in Idlib" and row["source"] == "alpha"
    raw = io.StringIO(newline="")
    export_incidents(db, "csv", raw, raw=True)
    assert csv_rows(raw.getvalue())[0]["evidence"] == evidence
    jsonl = io.StringIO()
    export_incidents(db, "jsonl", jsonl, since="2026-03-01", until="2026-03-02",
                     source=["alpha"])
    (record,) = [json.loads(line) for line in jsonl.getvalue().splitlines()]
    assert record["actors"] == ["Syrian Arab Army", "-x"] and record["evidence"] == evidence
    none = io.StringIO()
    assert export_incidents(db, "jsonl", none, since="2026-03-03") == 0
    db.close()
    result = CliRunner().invoke(cli, ["export", "--db", str(path), "--table", "incidents"])
    assert result.exit_code == 0, result.output
    assert "'=HYPERLINK" in result.stdout
