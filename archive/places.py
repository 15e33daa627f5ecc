"""The ``places`` table: every gazetteer place with its coordinates and article count.

Rebuilt whole by ``refresh_places(db, gazetteer)`` (cheap: a few hundred places) at the end
of a crawl, by ``newsarchive serve`` and by ``publish-snapshot``.  Rows come from the
gazetteer its caller passes (``pipelines.tag.load_gazetteer()``, GeoNames data, CC BY 4.0;
without one, the places already in the table) and the counts from the JSON arrays in
``articles.places``; a name found in articles but missing from the gazetteer is kept,
without coordinates, so no count is lost.

``popup`` is the JSON datasette-cluster-map shows when a marker is clicked; its link is
relative (``articles?places__arraycontains=...``), so it works under any database name.
"""

from __future__ import annotations

import json
from urllib.parse import quote

PLACE_COLUMNS = (
    "name", "name_ar", "governorate", "kind", "latitude", "longitude", "article_count",
    "geonameid", "source", "popup",
)


def articles_link(name: str) -> str:
    """Relative link, from any page of the database, to the articles mentioning ``name``."""
    return "articles?places__arraycontains=" + quote(name, safe="")


def place_counts(db) -> dict[str, int]:
    """How many articles (duplicates included) mention each place."""
    return {
        row[0]: row[1]
        for row in db.execute(
            "select value, count(distinct articles.id) from articles, json_each(articles.places) "
            "where json_valid(articles.places) group by value"
        )
    }


def _number(value, kind):
    try:
        return kind(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _popup(row: dict) -> str:
    title = row["name"] + (f" ({row['name_ar']})" if row.get("name_ar") else "")
    where = ", ".join(x for x in (row.get("kind"), row.get("governorate")) if x)
    count = row["article_count"]
    description = f"{count} article{'' if count == 1 else 's'}" + (f" · {where}" if where else "")
    return json.dumps({"title": title, "description": description,
                       "link": articles_link(row["name"])}, ensure_ascii=False)


def refresh_places(db, gazetteer: list[dict] | None = None) -> int:
    """Rebuild ``places``; returns the number of rows.  One short write transaction.

    ``gazetteer``: place dicts (name, name_ar, governorate, kind, latitude, longitude,
    geonameid, source), ``pipelines.tag.load_gazetteer()``; None: the places already in
    the table, with their counts brought up to date.
    """
    if gazetteer is None:
        gazetteer = [dict(row) for row in db.query("select * from places")]
    counts = place_counts(db)
    rows: dict[str, dict] = {}
    for place in gazetteer:
        name = place.get("name")
        if not name or name in rows:
            continue
        row = {col: place.get(col) for col in PLACE_COLUMNS}
        row["geonameid"] = _number(row["geonameid"], int)
        row["latitude"] = _number(row["latitude"], float)
        row["longitude"] = _number(row["longitude"], float)
        rows[name] = row
    for name in counts:
        rows.setdefault(name, {col: None for col in PLACE_COLUMNS} | {"name": name})
    for row in rows.values():
        row["article_count"] = counts.get(row["name"], 0)
        row["popup"] = _popup(row)
    with db.atomic():
        db.execute("delete from places")
        db.conn.executemany(
            f"insert into places ({', '.join(PLACE_COLUMNS)}) "
            f"values ({', '.join('?' for _ in PLACE_COLUMNS)})",
            [[row[col] for col in PLACE_COLUMNS] for row in rows.values()],
        )
    return len(rows)
