"""Incidents end to end (issue 20): a real crawl of the sample site files each article's
incidents with it and groups them into events; ``reprocess`` fills an archive that has none;
``export --table incidents`` writes them with their evidence.

The expectations come from the sample site's own fixture data (crawler/fakeweb/data):
an article whose text says "killing at least five" or "six people were killed" reports
casualties; the figures below are the ones its text states.
"""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from helpers import rows, run_cli

from newsarchive.crawler.fakeweb.content import load_articles

NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty)"
CASUALTIES = re.compile(
    rf"\b(?:killing|killed|wounding|wounded)\s+(?:at least\s+|more than\s+)?{NUMBER}\b"
    rf"|\b{NUMBER}\s+(?:\w+\s+){{0,2}}(?:were|was)\s+(?:killed|wounded)", re.I)
# the tolls the fixture texts state (title -> killed, wounded)
STATED = {
    "Shelling hits Idlib market as government retaliates for Homs academy attack": (5, 20),
    "Five killed as shells strike busy Idlib market, rescuers say": (5, 20),
    "Drone strike near Jisr al-Shughur bakery kills two": (2, 4),
    "Jordanian strikes hit smugglers' homes in Sweida countryside": (10, None),
}


def _text(article) -> str:
    paragraphs = article["paragraphs"]
    return " ".join(paragraphs) if isinstance(paragraphs, list) else str(paragraphs)


@pytest.fixture(scope="module")
def archived(sample_archive):
    db, _result = sample_archive
    incidents = rows(db, "select incidents.*, articles.title as article_title, "
                         "articles.text as article_text from incidents "
                         "join articles on articles.id = incidents.article_id")
    return db, incidents


def test_articles_that_report_casualties_have_incidents(archived):
    db, incidents = archived
    kept = {a["title"] for a in load_articles() if a["expect"] in ("stored", "duplicate")}
    reporting = {a["title"] for a in load_articles()
                 if a["title"] in kept and CASUALTIES.search(_text(a))}
    assert set(STATED) <= reporting, "the fixture changed: update STATED"
    with_incidents = {i["article_title"] for i in incidents}
    assert reporting <= with_incidents
    for title, (killed, wounded) in STATED.items():
        found = [i for i in incidents if i["article_title"] == title]
        assert any(i["killed"] == killed and i["wounded"] == wounded for i in found), \
            (title, [(i["killed"], i["wounded"]) for i in found])
    # off-topic articles are not stored, nor are their incidents (Kharkiv's six killed)
    off_topic = {a["title"] for a in load_articles() if a["expect"] == "off_topic"}
    assert not off_topic & with_incidents


def test_evidence_is_a_sentence_of_the_articles_own_text(archived):
    _db, incidents = archived
    assert incidents
    for incident in incidents:
        assert incident["evidence"], incident
        if incident["evidence_in"] == "text":
            source = incident["article_text"]
        else:
            source = incident["article_title"]
        assert incident["evidence"] in source
        assert source[incident["evidence_start"]:incident["evidence_end"]] \
            == incident["evidence"]


def test_incidents_are_grouped_into_events(archived):
    db, incidents = archived
    events = rows(db, "select * from incident_events")
    assert events and len(events) <= len(incidents)
    assert all(i["event_id"] is not None for i in incidents)
    assert sum(e["report_count"] for e in events) == len(incidents)
    # the wire copy of the Idlib market story is the same event as the original
    market = [i for i in incidents if i["article_title"] in (
        "Shelling hits Idlib market as government retaliates for Homs academy attack",
        "Five killed as shells strike busy Idlib market, rescuers say")]
    assert len(market) == 2 and len({i["event_id"] for i in market}) == 1
    (event,) = [e for e in events if e["id"] == market[0]["event_id"]]
    assert (event["report_count"], event["killed_max"], event["wounded_max"]) == (2, 5, 20)
    # the run counted them
    (run,) = rows(db, "select * from crawl_runs")
    assert run["status"] == "ok", run["message"]


@pytest.fixture()
def copied(sample_archive, tmp_path):
    """A copy of the sample archive (its WARC files with it)."""
    db, _ = sample_archive
    folder = tmp_path / "archive"
    shutil.copytree(db.parent, folder)
    return folder / db.name


def test_reprocess_fills_an_archive_without_incidents(sample_archive, copied, sample_sources):
    before = rows(copied, "select article_id, event_type, date, place, killed, wounded, "
                          "evidence from incidents order by article_id, ordinal")
    assert before
    import sqlite3

    conn = sqlite3.connect(copied)
    with conn:
        conn.execute("delete from incidents")
        conn.execute("delete from incident_events")
    conn.close()
    result = run_cli("reprocess", "--db", copied, "--sources", sample_sources, "--workers", "1",
                     timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    after = rows(copied, "select article_id, event_type, date, place, killed, wounded, "
                         "evidence from incidents order by article_id, ordinal")
    assert after == before
    events = rows(copied, "select * from incident_events")
    assert events
    assert not rows(copied, "select id from incidents where event_id is null")
    # a second run writes nothing new
    again = run_cli("reprocess", "--db", copied, "--sources", sample_sources, "--workers", "1",
                    timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert " 0 changed" in again.stdout, again.stdout


def test_export_incidents_csv_with_evidence(archived, tmp_path):
    db, incidents = archived
    out = tmp_path / "incidents.csv"
    result = run_cli("export", "--db", db, "--table", "incidents", "-o", out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{len(incidents)} incidents written" in result.stderr
    exported = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(exported) == len(incidents)
    by_id = {i["id"]: i for i in incidents}
    for row in exported:
        incident = by_id[int(row["id"])]
        assert row["evidence"] == incident["evidence"]
        assert row["evidence"] in incident["article_text"] + incident["article_title"]
        assert row["killed"] == ("" if incident["killed"] is None else str(incident["killed"]))
    # filters that only select articles are refused
    refused = run_cli("export", "--db", db, "--table", "incidents", "--place", "Idlib")
    assert refused.returncode == 2
