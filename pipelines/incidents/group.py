"""Incidents of many articles grouped into events: ``group_incidents(reports)``.

A report is one incident as ``extract_incidents`` gives it, plus the article it came from:
``article_id`` and ``published`` (ISO).  Two reports tell the same event when all of these
hold (the keys):

* **event type**: the same, or one of them is "attack on civilians" (a generic label for
  a strike another outlet names by its weapon);
* **place**: the same gazetteer place, or one is the governorate the other lies in
  ("southern Idlib" and Kansafra); two different towns are two events;
* **date**: the same day when both dates come from the text; one day apart at most when
  one of them is a publication date standing in for an unstated day (a report is
  published the day of the event or the day after) and that date is the later one;
* **actors**: when both name actors, at least one in common;
* **articles**: two incidents of one article are never one event (the extractor already
  told them apart).

Figures are not a key: a toll that rises ("12 killed", then "17 killed") is the same event,
and outlets disagree.  Reports are taken in date order (then publication, then article);
each joins the event it fits best (same place before a governorate match, same day before a
day apart, more actors in common), or starts a new one, as it also does when it fits two
events equally well.  An event keeps the most specific
place its reports give, its first and last date, the union of actors, its reports, and for
each figure the lowest, the highest and the latest reported value (latest by publication
time), kept apart.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

FIGURES = ("killed", "wounded", "children", "women", "detained", "displaced")
GENERIC = "attack on civilians"
PLACE_RANK = {"governorate": 0}


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _moment(value) -> str:
    """A publication time as a sortable UTC string ("" when unknown; a bare date as 00:00)."""
    try:
        moment = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value or "")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


class _Event:
    def __init__(self, index: int, report: dict):
        self.reports: list[int] = []
        self.types: set[str] = set()
        self.places: list[tuple[str, str]] = []  # (place, governorate)
        self.days: list[tuple[date, bool]] = []  # (day, stated in the text)
        self.actors: dict[str, None] = {}
        self.articles: set = set()
        self.add(index, report)

    def add(self, index: int, report: dict):
        self.reports.append(index)
        self.types.add(report.get("event_type"))
        self.places.append((report.get("place"), report.get("governorate")))
        day = _day(report.get("date"))
        if day is not None:
            self.days.append((day, report.get("date_source") != "published"))
        for actor in report.get("actors") or ():
            self.actors.setdefault(actor)
        self.articles.add(report.get("article_id"))

    @property
    def place(self) -> tuple[str, str]:
        """The most specific place of the reports (a town over its governorate)."""
        towns = [p for p in self.places if p[0] != p[1]]
        return (towns or self.places)[0]

    def fit(self, report: dict):
        """How well *report* fits (a tuple to maximise), or None when it does not."""
        if report.get("article_id") in self.articles:
            return None
        kind = report.get("event_type")
        if kind not in self.types and GENERIC not in self.types and kind != GENERIC:
            return None
        name, governorate = report.get("place"), report.get("governorate")
        here, here_governorate = self.place
        if name == here:
            place_score = 2
        elif name == here_governorate or here == governorate:  # one is the other's governorate
            place_score = 1
        else:
            return None
        day = _day(report.get("date"))
        stated = report.get("date_source") != "published"
        day_score = None
        for other, other_stated in self.days:
            if day is None:
                day_score = 0
                break
            gap = (day - other).days
            if gap == 0:
                day_score = 2
                break
            if (abs(gap) == 1 and not (stated and other_stated)
                    and ((gap == 1 and not stated) or (gap == -1 and not other_stated))):
                day_score = max(day_score or 0, 1)
        if day_score is None and self.days:
            return None
        actors = set(report.get("actors") or ())
        common = len(actors & set(self.actors))
        if actors and self.actors and not common:
            return None
        return (place_score, day_score or 0, common)


def group_incidents(reports: list[dict]) -> list[dict]:
    """Events of *reports* (see the module docstring), in order of their first date.  Each
    event: event_type, place, governorate, latitude, longitude, first_date, last_date,
    actors, reports (indexes into *reports*), report_count, and for each figure
    ``<figure>_min``, ``<figure>_max``, ``<figure>_latest``."""
    order = sorted(range(len(reports)), key=lambda i: (
        str(reports[i].get("date") or ""), _moment(reports[i].get("published")),
        str(reports[i].get("article_id")), i))
    events: list[_Event] = []
    by_day: dict = {}  # day -> events with a report of that day (candidates are a day apart)
    undated: list[_Event] = []
    for i in order:
        report = reports[i]
        day = _day(report.get("date"))
        if day is None:
            candidates = events
        else:
            candidates = undated + [e for d in (-1, 0, 1)
                                    for e in by_day.get(day + timedelta(days=d), ())]
        best, best_fit, tied = None, None, False
        for event in dict.fromkeys(candidates):
            fit = event.fit(report)
            if fit is not None and (best_fit is None or fit > best_fit):
                best, best_fit, tied = event, fit, False
            elif fit is not None and fit == best_fit:
                tied = True
        if tied:  # fits two events equally (a governorate, two of its towns hit): not guessed
            best = None
        if best is None:
            best = _Event(i, report)
            events.append(best)
        else:
            best.add(i, report)
        if day is None:
            undated.append(best)
        elif best not in by_day.setdefault(day, []):
            by_day[day].append(best)
    return [_summary(event, reports) for event in events]


def _summary(event: _Event, reports: list[dict]) -> dict:
    rows = [reports[i] for i in event.reports]
    place, governorate = event.place
    where = next(r for r in rows if r.get("place") == place)
    types = [r.get("event_type") for r in rows if r.get("event_type") != GENERIC]
    days = sorted(d for d, _stated in event.days)
    out = {
        "event_type": max(set(types), key=types.count) if types else GENERIC,
        "place": place,
        "governorate": governorate,
        "latitude": where.get("latitude"),
        "longitude": where.get("longitude"),
        "first_date": days[0].isoformat() if days else None,
        "last_date": days[-1].isoformat() if days else None,
        "actors": list(event.actors),
        "reports": list(event.reports),
        "report_count": len(event.reports),
    }
    latest_first = sorted(rows, key=lambda r: (_moment(r.get("published")),
                                               str(r.get("article_id"))), reverse=True)
    for figure in FIGURES:
        values = [r[figure] for r in rows if r.get(figure) is not None]
        out[f"{figure}_min"] = min(values) if values else None
        out[f"{figure}_max"] = max(values) if values else None
        out[f"{figure}_latest"] = next((r[figure] for r in latest_first
                                        if r.get(figure) is not None), None)
    return out
