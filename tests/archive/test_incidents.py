"""The incidents and incident_events tables (archive/incidents.py), on tmp_path databases.

The incident and event dicts are written here in the shape pipelines/incidents gives
(archive knows no processing); one test runs the real extractor and grouping end to end.
"""

from __future__ import annotations

import json

import pytest

from newsarchive.archive import incidents as store_incidents
from newsarchive.archive import store
from newsarchive.archive.db import open_db


def article(db, n, published="2024-03-12T10:00:00+03:00", text="x"):
    with db.atomic():
        return store.insert_article(db, {
            "url": f"https://i.example/{n}", "canonical_url": f"https://i.example/{n}",
            "source": "i", "title": "t", "text": text, "published": published,
            "fetched_at": "2024-03-12T10:00:00Z",
        })


def incident(place="Ariha", killed=12, **extra):
    out = {
        "event_type": "air/drone strike", "date": "2024-03-12", "date_source": "text",
        "place": place, "governorate": "Idlib Governorate", "latitude": 35.8,
        "longitude": 36.6, "actors": ["Russia"], "killed": killed, "wounded": 20,
        "children": 4, "women": None, "detained": None, "displaced": None,
        "qualifiers": {"killed": ["at least"]},
        "figures": {"killed": {"text": f"at least {killed} civilians", "value": killed,
                               "qualifiers": ["at least"], "start": 10, "end": 31}},
        "sentence": {"in": "text", "start": 0, "end": 40, "sentence": "Russian jets struck..."},
        "evidence": {"killed": {"in": "text", "start": 0, "end": 40,
                                "sentence": "Russian jets struck..."}},
    }
    out.update(extra)
    return out


def test_replace_incidents_stores_every_field_and_replaces_the_old_rows(tmp_path):
    db = open_db(tmp_path / "a.db")
    a = article(db, 1)
    first = store_incidents.replace_incidents(db, a, [incident(), incident("Sarmin", 4)])
    assert len(first) == 2
    rows = list(db.query("select * from incidents order by ordinal"))
    assert [r["place"] for r in rows] == ["Ariha", "Sarmin"]
    row = rows[0]
    assert row["article_id"] == a and row["killed"] == 12 and row["children"] == 4
    assert row["women"] is None and row["month"] == "2024-03"
    assert json.loads(row["actors"]) == ["Russia"]
    assert json.loads(row["qualifiers"]) == {"killed": ["at least"]}
    assert json.loads(row["figures"])["killed"]["text"] == "at least 12 civilians"
    assert (row["evidence"], row["evidence_in"], row["evidence_start"], row["evidence_end"]) \
        == ("Russian jets struck...", "text", 0, 40)
    # re-extraction: the article's rows are replaced, another article's stay
    b = article(db, 2)
    store_incidents.replace_incidents(db, b, [incident("Kansafra", 3)])
    store_incidents.replace_incidents(db, a, [incident(killed=17)])
    rows = list(db.query("select article_id, place, killed from incidents order by id"))
    assert rows == [{"article_id": b, "place": "Kansafra", "killed": 3},
                    {"article_id": a, "place": "Ariha", "killed": 17}]
    store_incidents.replace_incidents(db, a, [])
    assert db.execute("select count(*) from incidents where article_id = ?", [a]).fetchone()[0] == 0


def test_an_incident_must_belong_to_a_stored_article(tmp_path):
    db = open_db(tmp_path / "a.db")
    with pytest.raises(Exception):
        store_incidents.replace_incidents(db, 999, [incident()])
    assert db.execute("select count(*) from incidents").fetchone()[0] == 0


def test_reports_and_events_round_trip(tmp_path):
    db = open_db(tmp_path / "a.db")
    a, b = article(db, 1), article(db, 2, published="2024-03-13T18:00:00+03:00")
    (x,) = store_incidents.replace_incidents(db, a, [incident()])
    (y,) = store_incidents.replace_incidents(db, b, [incident(killed=17)])
    reports = store_incidents.incident_reports(db)
    assert [r["id"] for r in reports] == [x, y]
    assert reports[1]["published"] == "2024-03-13T18:00:00+03:00"
    assert reports[0]["actors"] == ["Russia"] and reports[0]["qualifiers"] == {"killed": ["at least"]}
    event = {"event_type": "air/drone strike", "place": "Ariha", "governorate": "Idlib Governorate",
             "latitude": 35.8, "longitude": 36.6, "first_date": "2024-03-12",
             "last_date": "2024-03-12", "actors": ["Russia"], "report_count": 2,
             "killed_min": 12, "killed_max": 17, "killed_latest": 17, "incident_ids": [x, y]}
    assert store_incidents.replace_events(db, [event]) == 1
    (row,) = db.query("select * from incident_events")
    assert (row["killed_min"], row["killed_max"], row["killed_latest"]) == (12, 17, 17)
    assert row["month"] == "2024-03" and json.loads(row["actors"]) == ["Russia"]
    assert row["wounded_max"] is None
    linked = {r["id"]: r["event_id"] for r in db.query("select id, event_id from incidents")}
    assert linked == {x: row["id"], y: row["id"]}
    # regrouping replaces every event and link
    store_incidents.replace_events(db, [dict(event, incident_ids=[x], report_count=1),
                                        dict(event, incident_ids=[y], report_count=1)])
    events = {r["id"] for r in db.query("select id from incident_events")}
    linked = {r["id"]: r["event_id"] for r in db.query("select id, event_id from incidents")}
    assert len(events) == 2 and set(linked.values()) == events


def test_extracted_and_grouped_incidents_are_stored(tmp_path):
    """The real pure functions feeding the writers, as the crawl will."""
    from newsarchive.pipelines.incidents import extract_incidents, group_incidents

    db = open_db(tmp_path / "a.db")
    texts = [
        ("2024-03-12T09:30:00+03:00", "Russian warplanes struck the town of Ariha on Tuesday, "
         "killing at least 12 civilians, among them four children."),
        ("2024-03-13T18:00:00+03:00", "The death toll from Tuesday's Russian air strike on the "
         "town of Ariha has risen to 17, the civil defence said."),
        ("2024-03-12T19:00:00+03:00", "Regime artillery shelled the village of Kansafra on "
         "Tuesday, killing three civilians."),
    ]
    for n, (published, text) in enumerate(texts):
        article_id = article(db, n, published, text)
        store_incidents.replace_incidents(db, article_id, extract_incidents("", text, published))
    reports = store_incidents.incident_reports(db)
    events = group_incidents(reports)
    for event in events:
        event["incident_ids"] = [reports[i]["id"] for i in event["reports"]]
    store_incidents.replace_events(db, events)
    rows = {r["place"]: r for r in db.query("select * from incident_events")}
    assert set(rows) == {"Ariha", "Kansafra"}
    assert (rows["Ariha"]["report_count"], rows["Ariha"]["killed_min"],
            rows["Ariha"]["killed_max"], rows["Ariha"]["killed_latest"]) == (2, 12, 17, 17)
    assert rows["Kansafra"]["killed_latest"] == 3
    stored = list(db.query("select evidence, evidence_start, evidence_end, article_id "
                           "from incidents"))
    for row in stored:
        text = texts[row["article_id"] - 1][1]
        assert text[row["evidence_start"]:row["evidence_end"]] == row["evidence"]


def _filed(db, n, incidents, text="Russian jets struck Ariha on Tuesday, killing 12."):
    from newsarchive.archive.filing import file_article
    from newsarchive.pipelines import dedup

    fingerprint = dedup.fingerprint(text)
    return file_article(db, {
        "url": f"https://f.example/{n}", "canonical_url": f"https://f.example/{n}",
        "source": "f", "title": "t", "text": text, "published": "2024-03-12T10:00:00Z",
        "fetched_at": "2024-03-12T10:00:00Z"}, fingerprint, dedup, incidents=incidents)


def test_file_article_stores_its_incidents_with_it(tmp_path):
    db = open_db(tmp_path / "a.db")
    filed = _filed(db, 1, [incident(), incident("Sarmin", 4)])
    stored = list(db.query("select article_id, place, killed from incidents order by ordinal"))
    assert stored == [{"article_id": filed.id, "place": "Ariha", "killed": 12},
                      {"article_id": filed.id, "place": "Sarmin", "killed": 4}]
    # an updated text under the same URL replaces them
    _filed(db, 1, [incident(killed=17)], text="The toll in Ariha rose to 17 on Wednesday.")
    assert [r["killed"] for r in db.query("select killed from incidents")] == [17]
    # a filing that fails leaves no incident behind (one transaction)
    with pytest.raises(Exception):
        _filed(db, 2, [incident(event_type=None)], text="Another text about Sarmin.")
    assert not list(db.query("select id from articles where canonical_url like '%/2'"))
    assert [r["killed"] for r in db.query("select killed from incidents")] == [17]


def test_the_same_incidents_again_write_nothing_and_refile_counts_a_change(tmp_path):
    from newsarchive.archive.filing import refile_article
    from newsarchive.pipelines import dedup

    db = open_db(tmp_path / "a.db")
    text = "Russian jets struck Ariha on Tuesday, killing 12."
    filed = _filed(db, 1, [incident()], text=text)
    (before,) = store_incidents.replace_incidents(db, filed.id, [incident()])
    assert [r["id"] for r in db.query("select id from incidents")] == [before]
    fields, fingerprint = {"text": text}, dedup.fingerprint(text)
    assert refile_article(db, filed.id, fields, fingerprint, dedup,
                          incidents=[incident()]) == "unchanged"
    assert refile_article(db, filed.id, fields, fingerprint, dedup,
                          incidents=[incident(killed=14)]) == "changed"
    assert [r["killed"] for r in db.query("select killed from incidents")] == [14]
    assert refile_article(db, filed.id, fields, fingerprint, dedup, incidents=None) \
        == "unchanged"
    assert [r["killed"] for r in db.query("select killed from incidents")] == [14]


def test_reports_are_read_a_few_dates_at_a_time(tmp_path):
    db = open_db(tmp_path / "a.db")
    a, b, c = article(db, 1), article(db, 2), article(db, 3)
    ids = store_incidents.replace_incidents(db, a, [
        incident(date="2024-03-14"), incident(date=None), incident(date="2024-03-12")])
    ids += store_incidents.replace_incidents(db, b, [
        incident(date="2024-03-12"), incident(date=""), incident(date="2024-03-13")])
    ids += store_incidents.replace_incidents(db, c, [incident(date="2024-03-14")])
    assert store_incidents.incident_dates(db) == [
        None, "", "2024-03-12", "2024-03-13", "2024-03-14"]
    on = store_incidents.incident_reports_on
    assert [r["id"] for r in on(db, ["2024-03-14"])] == [ids[0], ids[6]]
    assert [r["id"] for r in on(db, [None, ""])] == [ids[1], ids[4]]
    assert [r["id"] for r in on(db, iter(["2024-03-13", "2024-03-12"]))] == [
        ids[2], ids[3], ids[5]]
    assert on(db, []) == [] and on(db, ["2024-04-01"]) == []
    # the same reports as incident_reports, read whole
    every = {r["id"]: r for r in store_incidents.incident_reports(db)}
    dates = store_incidents.incident_dates(db)
    assert {r["id"]: r for d in dates for r in on(db, [d])} == every


def test_events_added_in_steps_keep_the_ids_they_are_given(tmp_path):
    db = open_db(tmp_path / "a.db")
    x, y = store_incidents.replace_incidents(db, article(db, 1), [incident(), incident()])
    event = {"event_type": "air/drone strike", "place": "Ariha", "first_date": "2024-03-12"}
    store_incidents.replace_events(db, [dict(event, incident_ids=[x, y])])
    with db.atomic():
        store_incidents.clear_events(db)
        assert store_incidents.add_events(db, [dict(event, id=2, incident_ids=[y])]) == 1
        assert store_incidents.add_events(db, iter([dict(event, id=1, incident_ids=[x])])) == 1
    assert [r["id"] for r in db.query("select id from incident_events order by id")] == [1, 2]
    linked = {r["id"]: r["event_id"] for r in db.query("select id, event_id from incidents")}
    assert linked == {x: 1, y: 2}
