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
events equally well.  An event keeps the type most of its reports give (the first
reported of types as frequent; "attack on civilians" only when no report names another),
the most specific place its reports give, its first and last date, the union of actors,
its reports, and for
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


class _Report:
    """What of a report its fit to an event depends on, read once."""

    __slots__ = ("article_id", "kind", "place", "day", "stated", "actors")

    def __init__(self, report: dict):
        self.article_id = report.get("article_id")
        self.kind = report.get("event_type")
        self.place = (report.get("place"), report.get("governorate"))
        self.day = _day(report.get("date"))
        self.stated = report.get("date_source") != "published"
        self.actors = set(report.get("actors") or ())


class _Event:
    def __init__(self, index: int, report: dict):
        self.reports: list[int] = []
        self.types: set[str] = set()
        self.days: list[tuple[date, bool]] = []  # (day, stated in the text)
        self.actors: dict[str, None] = {}
        self.articles: set = set()
        # the most specific place of the reports (a town over its governorate): (place,
        # governorate)
        self.place: tuple[str, str] | None = None
        self.add(index, report)

    def add(self, index: int, report: dict):
        self.reports.append(index)
        self.types.add(report.get("event_type"))
        where = (report.get("place"), report.get("governorate"))
        if self.place is None or (self.place[0] == self.place[1] and where[0] != where[1]):
            self.place = where  # the most specific place: the first town, else the first
        day = _day(report.get("date"))
        if day is not None:
            self.days.append((day, report.get("date_source") != "published"))
        for actor in report.get("actors") or ():
            self.actors.setdefault(actor)
        self.articles.add(report.get("article_id"))

    def fit(self, report: "_Report"):
        """How well *report* fits (a tuple to maximise), or None when it does not."""
        name, governorate = report.place
        here, here_governorate = self.place
        if name == here:
            place_score = 2
        elif name == here_governorate or here == governorate:  # one is the other's governorate
            place_score = 1
        else:
            return None
        if report.article_id in self.articles:
            return None
        kind = report.kind
        if kind not in self.types and GENERIC not in self.types and kind != GENERIC:
            return None
        day, stated = report.day, report.stated
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
        actors = report.actors
        common = len(actors & self.actors.keys())
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
    # day -> place name -> the events with a report of that day, filed under their place
    # and its governorate (the names a report's place may match: candidates are a day apart)
    by_day: dict = {}
    filed: dict = {}  # event -> the days it is filed under
    undated: list[_Event] = []

    def file(event: _Event, days) -> None:
        for day in days:
            names = by_day.setdefault(day, {})
            for name in event.place:
                names.setdefault(name, {})[event] = None

    for i in order:
        report = reports[i]
        key = _Report(report)
        day = key.day
        name, governorate = key.place
        if day is None:
            candidates = events
        else:
            candidates = dict.fromkeys(undated)
            for near in (day - timedelta(days=1), day, day + timedelta(days=1)):
                names = by_day.get(near)
                if names:
                    candidates.update(names.get(name, ()))
                    candidates.update(names.get(governorate, ()))
        best, best_fit, tied = None, None, False
        for event in dict.fromkeys(candidates):
            fit = event.fit(key)
            if fit is not None and (best_fit is None or fit > best_fit):
                best, best_fit, tied = event, fit, False
            elif fit is not None and fit == best_fit:
                tied = True
        if tied:  # fits two events equally (a governorate, two of its towns hit): not guessed
            best = None
        if best is None:
            best = _Event(i, report)
            events.append(best)
            filed[best] = set()
        else:
            place = best.place
            best.add(i, report)
            if best.place != place:  # a town now: filed under its names on every day
                file(best, filed[best])
        if day is None:
            undated.append(best)
        elif day not in filed[best]:
            filed[best].add(day)
            file(best, (day,))
    return [_summary(event, reports) for event in events]


def _summary(event: _Event, reports: list[dict]) -> dict:
    rows = [reports[i] for i in event.reports]
    place, governorate = event.place
    where = next(r for r in rows if r.get("place") == place)
    types = [r.get("event_type") for r in rows if r.get("event_type") != GENERIC]
    days = sorted(d for d, _stated in event.days)
    out = {
        # the type most reports give; of types as frequent, the first reported
        "event_type": max(dict.fromkeys(types), key=types.count) if types else GENERIC,
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
