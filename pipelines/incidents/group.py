"""Incidents of many articles grouped into events: ``group_incidents(reports)``, or
``EventGrouper`` fed one date at a time (a whole archive without holding all of it).

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
and outlets disagree.  Reports are taken in date order (those without a day first; then
publication, then article); each joins the event it fits best (same place before a
governorate match, same day before a day apart, more actors in common), or starts a new
one, as it also does when it fits two events equally well.  An event keeps the type most of
its reports give (the first reported of types as frequent; "attack on civilians" only when
no report names another), the most specific place its reports give, its first and last
date, the union of actors, its reports, and for each figure the lowest, the highest and the
latest reported value (latest by publication time), kept apart.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import groupby

FIGURES = ("killed", "wounded", "children", "women", "detained", "displaced")
GENERIC = "attack on civilians"
PLACE_RANK = {"governorate": 0}


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def date_order(value) -> tuple:
    """Where a report's stored date puts it in the order reports are taken: no day (none, or
    a date that is not one) first, then by day, then as written (one day may be written two
    ways: "2024-03-12", "2024-03-12T10:00")."""
    day = _day(value)
    return (0, date.min, "") if day is None else (1, day, str(value))


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
    def __init__(self, number: int, ref, report: dict):
        self.number = number  # the order events were started in
        self.refs: list = []  # the caller's names of its reports
        self.rows: list[dict] = []
        self.types: set[str] = set()
        self.days: list[tuple[date, bool]] = []  # (day, stated in the text)
        self.last: date | None = None
        self.actors: dict[str, None] = {}
        self.articles: set = set()
        # the most specific place of the reports (a town over its governorate): (place,
        # governorate)
        self.place: tuple[str, str] | None = None
        self.add(ref, report)

    def add(self, ref, report: dict):
        self.refs.append(ref)
        self.rows.append(report)
        self.types.add(report.get("event_type"))
        where = (report.get("place"), report.get("governorate"))
        if self.place is None or (self.place[0] == self.place[1] and where[0] != where[1]):
            self.place = where  # the most specific place: the first town, else the first
        day = _day(report.get("date"))
        if day is not None:
            self.days.append((day, report.get("date_source") != "published"))
            self.last = day if self.last is None else max(self.last, day)
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


class EventGrouper:
    """Events of reports fed one date at a time, holding only the events a later report
    can still join.

    ``add(reports)`` takes the reports of one stored date, as ``(ref, report)`` pairs
    (*ref* names the report to the caller: it comes back in the event's ``reports``);
    dates are fed in ``date_order``, all the reports without a day in the first batch (as
    ``group_incidents`` sorts them: an undated report may join any event).  It
    returns the events no later report can join (their last day is two days behind), and
    ``finish()`` the rest: each as ``(number, event)``, *number* being the order the event
    was started in (``group_incidents``' order).  A long archive is grouped with a few
    days of reports in memory, not all of them."""

    def __init__(self):
        self._number = 0
        self._open: dict[_Event, None] = {}  # in the order they were started
        # day -> place name -> the events with a report of that day, filed under their place
        # and its governorate (the names a report's place may match: candidates are a day
        # apart)
        self._by_day: dict = {}
        self._filed: dict = {}  # event -> the days it is filed under
        self._undated: dict[_Event, None] = {}  # joined by an undated report: never closed
        self._latest: date | None = None  # the latest day fed

    def add(self, reports) -> list[tuple[int, dict]]:
        batch = list(reports)
        # one date: then by publication time, then article, then the order given
        order = sorted(range(len(batch)), key=lambda n: (
            _moment(batch[n][1].get("published")), str(batch[n][1].get("article_id")), n))
        closed = []
        day = _day(batch[0][1].get("date")) if batch else None
        if day is not None and (self._latest is None or day > self._latest):
            closed = self._close_before(day - timedelta(days=1))
            self._latest = day
        for n in order:
            self._add(*batch[n])
        return closed

    def finish(self) -> list[tuple[int, dict]]:
        closed = [(event.number, _summary(event)) for event in self._open]
        self._open, self._by_day, self._filed, self._undated = {}, {}, {}, {}
        return closed

    def _close_before(self, first: date) -> list[tuple[int, dict]]:
        """Close the events whose last day is before *first* (no later report can reach
        them)."""
        closed = [event for event in self._open
                  if event not in self._undated and event.last is not None
                  and event.last < first]
        for event in closed:
            del self._open[event]
            del self._filed[event]
        for day in [day for day in self._by_day if day < first]:
            del self._by_day[day]
        return [(event.number, _summary(event)) for event in closed]

    def _file(self, event: _Event, days) -> None:
        for day in days:
            names = self._by_day.setdefault(day, {})
            for name in event.place:
                names.setdefault(name, {})[event] = None

    def _add(self, ref, report: dict) -> None:
        key = _Report(report)
        day = key.day
        name, governorate = key.place
        if day is None:
            candidates = self._open
        else:
            candidates = dict(self._undated)
            for near in (day - timedelta(days=1), day, day + timedelta(days=1)):
                names = self._by_day.get(near)
                if names:
                    candidates.update(names.get(name, ()))
                    candidates.update(names.get(governorate, ()))
        best, best_fit, tied = None, None, False
        for event in candidates:
            fit = event.fit(key)
            if fit is not None and (best_fit is None or fit > best_fit):
                best, best_fit, tied = event, fit, False
            elif fit is not None and fit == best_fit:
                tied = True
        if tied:  # fits two events equally (a governorate, two of its towns hit): not guessed
            best = None
        if best is None:
            best = _Event(self._number, ref, report)
            self._number += 1
            self._open[best] = None
            self._filed[best] = set()
        else:
            place = best.place
            best.add(ref, report)
            if best.place != place:  # a town now: filed under its names on every day
                self._file(best, self._filed[best])
        if day is None:
            self._undated[best] = None
        elif day not in self._filed[best]:
            self._filed[best].add(day)
            self._file(best, (day,))


def group_incidents(reports: list[dict]) -> list[dict]:
    """Events of *reports* (see the module docstring), in the order they were started
    (reports are taken in date order).  Each event: event_type, place, governorate,
    latitude, longitude, first_date, last_date, actors, reports (indexes into *reports*),
    report_count, and for each figure ``<figure>_min``, ``<figure>_max``,
    ``<figure>_latest``."""
    grouper = EventGrouper()
    events = []
    order = sorted(range(len(reports)), key=lambda i: (date_order(reports[i].get("date")), i))
    for _date, same_date in groupby(order, key=lambda i: date_order(reports[i].get("date"))):
        events.extend(grouper.add((i, reports[i]) for i in same_date))
    events.extend(grouper.finish())
    return [event for _number, event in sorted(events, key=lambda pair: pair[0])]


def _summary(event: _Event) -> dict:
    rows = event.rows
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
        "reports": list(event.refs),
        "report_count": len(event.refs),
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
