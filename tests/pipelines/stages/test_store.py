"""The store stage's archive-wide steps (pipelines/stages/store.py) on real SQLite files."""

from __future__ import annotations

from newsarchive.archive import incidents as archive_incidents
from newsarchive.archive import store
from newsarchive.archive.db import open_db
from newsarchive.pipelines.incidents import group_incidents
from newsarchive.pipelines.stages.store import regroup_events


def _archive(path):
    """Forty articles over twenty days: each day two outlets tell of a strike on one of two
    towns, the second a day late without a stated day on some days; two undated reports."""
    db = open_db(path)
    towns = ("Ariha", "Sarmin")
    for n in range(40):
        day = f"2024-03-{1 + n // 2:02d}"
        with db.atomic():
            article_id = store.insert_article(db, {
                "url": f"https://s.example/{n}", "canonical_url": f"https://s.example/{n}",
                "source": "s", "title": "t", "text": "x",
                "published": f"{day}T{8 + n % 2:02d}:00:00+00:00",
                "fetched_at": "2024-03-30T00:00:00Z"})
        late = n % 2 and n % 6 == 1
        incidents = [{
            "event_type": "air/drone strike", "place": towns[n // 2 % 2],
            "governorate": "Idlib Governorate",
            "date": f"2024-03-{2 + n // 2:02d}" if late else day,
            "date_source": "published" if late else "text", "actors": [], "killed": n}]
        if n in (5, 6):
            incidents.append({"event_type": "armed clash", "place": "Binnish",
                              "governorate": "Idlib Governorate", "date": None,
                              "actors": [], "killed": 1})
        archive_incidents.replace_incidents(db, article_id, incidents)
    return db


def test_regroup_events_stores_the_events_of_grouping_the_whole_archive(tmp_path):
    db = _archive(tmp_path / "a.db")
    reports = archive_incidents.incident_reports(db)
    expected = group_incidents(reports)
    assert regroup_events(db) == len(expected)
    rows = list(db.query("select * from incident_events order by id"))
    assert [row["id"] for row in rows] == list(range(1, len(expected) + 1))
    for row, event in zip(rows, expected):
        assert (row["place"], row["first_date"], row["last_date"], row["report_count"],
                row["killed_min"], row["killed_max"]) == (
            event["place"], event["first_date"], event["last_date"], event["report_count"],
            event["killed_min"], event["killed_max"])
    linked = {r["id"]: r["event_id"] for r in db.query("select id, event_id from incidents")}
    assert linked == {reports[i]["id"]: n for n, event in enumerate(expected, 1)
                      for i in event["reports"]}
    assert any(event["first_date"] != event["last_date"] for event in expected)  # late joins
    assert any(event["first_date"] is None for event in expected)  # undated
    # again: the same rows
    regroup_events(db)
    assert list(db.query("select * from incident_events order by id")) == rows
