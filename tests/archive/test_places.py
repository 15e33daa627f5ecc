"""The places table behind the map (archive/places.py)."""

from __future__ import annotations

import json

from newsarchive.archive import places, store
from newsarchive.archive.db import open_db

GAZETTEER = [
    {"name": "Idlib", "name_ar": "إدلب", "governorate": "Idlib", "kind": "city",
     "latitude": 35.93, "longitude": 36.63, "geonameid": 169388, "source": "geonames"},
    {"name": "Ras al-Ayn", "name_ar": "رأس العين", "governorate": "Al-Hasakah", "kind": "town",
     "latitude": 36.85, "longitude": 40.07, "geonameid": 173193, "source": "geonames"},
]


def add(db, n, places_list, duplicate_of=None):
    with db.atomic():
        return store.insert_article(db, {
            "url": f"https://p.example/{n}", "canonical_url": f"https://p.example/{n}",
            "source": "p", "title": "t", "text": "x", "fetched_at": "2026-03-01T00:00:00Z",
            "places": places_list, "duplicate_of": duplicate_of,
        })


def test_refresh_counts_articles_per_place(tmp_path):
    db = open_db(tmp_path / "p.db")
    first = add(db, 1, ["Idlib", "Saraqib"])
    add(db, 2, ["Idlib"], duplicate_of=first)
    add(db, 3, [])
    assert places.refresh_places(db, GAZETTEER) == 3
    rows = {r["name"]: r for r in db.query("select * from places")}
    assert rows["Idlib"]["article_count"] == 2
    assert rows["Idlib"]["latitude"] == 35.93 and rows["Idlib"]["name_ar"] == "إدلب"
    assert rows["Ras al-Ayn"]["article_count"] == 0
    # a place tagged in articles but missing from the gazetteer keeps its count, no coordinates
    assert rows["Saraqib"]["article_count"] == 1 and rows["Saraqib"]["latitude"] is None
    popup = json.loads(rows["Ras al-Ayn"]["popup"])
    assert popup == {"title": "Ras al-Ayn (رأس العين)", "description": "0 articles · town, Al-Hasakah",
                     "link": "articles?places__arraycontains=Ras%20al-Ayn"}


def test_refresh_is_a_rebuild(tmp_path):
    db = open_db(tmp_path / "p.db")
    a = add(db, 1, ["Idlib"])
    places.refresh_places(db, GAZETTEER)
    db.execute("delete from articles where id = ?", [a])
    places.refresh_places(db, GAZETTEER)
    assert db.execute("select sum(article_count) from places").fetchone()[0] == 0


def test_refresh_without_gazetteer_keeps_coordinates(tmp_path):
    db = open_db(tmp_path / "p.db")
    add(db, 1, ["Idlib"])
    places.refresh_places(db, GAZETTEER)
    add(db, 2, ["Idlib"])
    places.refresh_places(db)  # (a caller without the gazetteer: serve of a snapshot)
    row = next(db.query("select * from places where name = 'Idlib'"))
    assert row["article_count"] == 2 and row["latitude"] == 35.93
    assert {g["name"] for g in GAZETTEER} <= {r["name"] for r in db.query("select name from places")}


def test_articles_link_quotes_names():
    assert places.articles_link("Deir ez-Zor") == "articles?places__arraycontains=Deir%20ez-Zor"
    assert places.articles_link("A&B") == "articles?places__arraycontains=A%26B"


def test_gazetteer_values_are_typed(tmp_path):
    db = open_db(tmp_path / "p.db")
    places.refresh_places(db, [{"name": "X", "latitude": "35.5", "longitude": "36",
                                "geonameid": ""}])
    row = next(db.query("select * from places"))
    assert (row["latitude"], row["longitude"], row["geonameid"]) == (35.5, 36.0, None)
