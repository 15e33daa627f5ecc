"""The ``incidents`` and ``incident_events`` tables: writers and readers, no processing.

Incidents come from ``pipelines.incidents.extract_incidents`` and events from
``pipelines.incidents.group_incidents``; this module only stores what it is given.

* ``replace_incidents(db, article_id, incidents)``: an article's incidents, replacing the
  ones it had (re-extraction after a change of rules gives the same rows; the same
  incidents again write nothing: ``same_incidents``);
* ``incident_dates(db)`` and ``incident_reports_on(db, dates)``: the stored incidents
  (what grouping reads of them) with their article's publication time, in the shape
  ``group_incidents`` reads, a few dates at a time (the regrouping of a whole archive);
  ``incident_reports(db)`` all of them at once;
* ``clear_events(db)``, then ``add_events(db, events)`` as often as needed: the events, each
  with its id and the ids of its incidents (``incident_ids``), in place of all events,
  setting ``incidents.event_id``; ``replace_events(db, events)`` both, numbering the events
  1, 2, ... in the order given.

Writers run inside the caller's transaction when there is one (``db.atomic()`` nests).
"""

from __future__ import annotations

import json

FIGURES = ("killed", "wounded", "children", "women", "detained", "displaced")
INCIDENT_COLUMNS = (
    "article_id", "ordinal", "event_type", "date", "date_source", "month", "place",
    "governorate", "latitude", "longitude", "actors", *FIGURES, "qualifiers", "figures",
    "evidence", "evidence_in", "evidence_start", "evidence_end", "evidence_fields",
)
# what grouping reads of an incident (not its evidence: the sentences are most of a row)
REPORT_COLUMNS = (
    "id", "article_id", "event_type", "date", "date_source", "place", "governorate",
    "latitude", "longitude", "actors", *FIGURES, "qualifiers",
)
EVENT_COLUMNS = (
    "event_type", "place", "governorate", "latitude", "longitude", "first_date", "last_date",
    "month", "actors", "report_count",
    *(f"{figure}_{part}" for figure in FIGURES for part in ("min", "max", "latest")),
)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def incident_row(article_id: int, ordinal: int, incident: dict) -> dict:
    """The ``incidents`` row for one incident dict of ``extract_incidents``."""
    sentence = incident.get("sentence") or {}
    day = incident.get("date")
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        "event_type": incident["event_type"],
        "date": day,
        "date_source": incident.get("date_source"),
        "month": day[:7] if day else None,
        "place": incident.get("place"),
        "governorate": incident.get("governorate"),
        "latitude": incident.get("latitude"),
        "longitude": incident.get("longitude"),
        "actors": _json(list(incident.get("actors") or [])),
        **{figure: incident.get(figure) for figure in FIGURES},
        "qualifiers": _json(incident.get("qualifiers") or {}),
        "figures": _json(incident.get("figures") or {}),
        "evidence": sentence.get("sentence"),
        "evidence_in": sentence.get("in"),
        "evidence_start": sentence.get("start"),
        "evidence_end": sentence.get("end"),
        "evidence_fields": _json(incident.get("evidence") or {}),
    }


def _stored(db, article_id: int) -> list[tuple[int, dict]]:
    """The article's stored incidents as (id, row), in ordinal order."""
    return [(row["id"], {c: row[c] for c in INCIDENT_COLUMNS}) for row in db.query(
        f"select id, {', '.join(INCIDENT_COLUMNS)} from incidents where article_id = ? "
        "order by ordinal", [article_id])]


def same_incidents(db, article_id: int, incidents: list[dict]) -> bool:
    """Whether the article's stored incidents are already exactly *incidents*."""
    rows = [incident_row(article_id, n, incident) for n, incident in enumerate(incidents)]
    return [row for _id, row in _stored(db, article_id)] == rows


def replace_incidents(db, article_id: int, incidents: list[dict]) -> list[int]:
    """Store an article's incidents in place of the ones it had; return their ids.  The
    article's old incidents leave their events (the next regrouping replaces them).  When
    the stored ones are already these, nothing is written (their ids and events stay)."""
    rows = [incident_row(article_id, n, incident) for n, incident in enumerate(incidents)]
    stored = _stored(db, article_id)
    if [row for _id, row in stored] == rows:
        return [row_id for row_id, _row in stored]
    with db.atomic():
        db.execute("delete from incidents where article_id = ?", [article_id])
        ids = []
        for row in rows:
            cursor = db.execute(
                f"insert into incidents ({', '.join(INCIDENT_COLUMNS)}) "
                f"values ({', '.join('?' for _ in INCIDENT_COLUMNS)})",
                [row[c] for c in INCIDENT_COLUMNS])
            ids.append(cursor.lastrowid)
    return ids


def _report(row) -> dict:
    row = dict(row)
    row["actors"] = json.loads(row["actors"] or "[]")
    row["qualifiers"] = json.loads(row["qualifiers"] or "{}")
    return row


_REPORT_SELECT = (
    f"select {', '.join(f'incidents.{column}' for column in REPORT_COLUMNS)}, "
    "articles.published from incidents join articles on articles.id = incidents.article_id")


def incident_reports(db) -> list[dict]:
    """Every incident as a report for grouping: its ``REPORT_COLUMNS`` (actors and
    qualifiers decoded; not its evidence) and the article's ``published`` time, in id
    order."""
    return [_report(row) for row in db.query(f"{_REPORT_SELECT} order by incidents.id")]


def incident_dates(db) -> list:
    """The distinct dates of the stored incidents (None among them when some have none)."""
    return [row[0] for row in db.execute("select distinct date from incidents order by date")]


def incident_reports_on(db, dates) -> list[dict]:
    """The reports of ``incident_reports`` whose date is one of *dates* (None: no date), in
    id order; each date is found by the ``date`` index, so a whole archive can be read a
    few dates at a time."""
    dates = list(dates)
    known = [d for d in dates if d is not None]
    where = []
    if None in dates:
        where.append("incidents.date is null")
    if known:
        where.append(f"incidents.date in ({', '.join('?' for _ in known)})")
    if not where:
        return []
    return [_report(row) for row in db.query(
        f"{_REPORT_SELECT} where {' or '.join(where)} order by incidents.id", known)]


def event_row(event: dict) -> dict:
    """The ``incident_events`` row for one event dict of ``group_incidents``."""
    row = {column: event.get(column) for column in EVENT_COLUMNS}
    row["actors"] = _json(list(event.get("actors") or []))
    row["report_count"] = event.get("report_count", len(event.get("incident_ids") or ()))
    first = event.get("first_date")
    row["month"] = first[:7] if first else None
    return row


def clear_events(db) -> None:
    """Remove every event (incidents keep no ``event_id``)."""
    with db.atomic():
        db.execute("update incidents set event_id = null")
        db.execute("delete from incident_events")


def add_events(db, events) -> int:
    """Store *events*: each has its ``id`` and ``incident_ids``, the ids of the incidents it
    groups, whose ``event_id`` is set to it.  Return how many.  One statement for the
    events, one for the links (a whole archive's regrouping writes tens of thousands)."""
    rows, links = [], []
    for event in events:
        row = event_row(event)
        rows.append([event["id"], *(row[c] for c in EVENT_COLUMNS)])
        links += [(event["id"], incident) for incident in event.get("incident_ids") or ()]
    with db.atomic():
        db.conn.executemany(
            f"insert into incident_events (id, {', '.join(EVENT_COLUMNS)}) "
            f"values (?, {', '.join('?' for _ in EVENT_COLUMNS)})", rows)
        db.conn.executemany("update incidents set event_id = ? where id = ?", links)
    return len(rows)


def replace_events(db, events: list[dict]) -> int:
    """Store *events* in place of all events (``clear_events``, then ``add_events``), each
    numbered by its place in *events* (1, 2, ...).  Return how many were stored."""
    with db.atomic():
        clear_events(db)
        return add_events(db, [dict(event, id=n) for n, event in enumerate(events, 1)])
