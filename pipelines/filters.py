"""Filter values a researcher types, checked before they reach a query.  Pure (no SQL).

A filter that matches nothing because of a typo looks exactly like a filter that matches
nothing because there is nothing: so a place, actor or event type is looked up in the
tagger's own data (``pipelines/data``: the gazetteer with every spelling it matches, the
actors' and event types' names and aliases), and one it does not know is an error naming
the closest known names.  Dates are read in a few unambiguous formats only.

Used by ``newsarchive export``/``reprocess``/``search`` and by the Datasette plugin (the
canned queries' parameters), so both say the same thing about the same value.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable

from .tag import key_of, load_actors, load_events, load_gazetteer

__all__ = ["FilterError", "Names", "places", "actors", "events", "sources", "parse_date",
           "date_range", "DATE_FORMATS"]

DATE_FORMATS = ("YYYY-MM-DD (2024-03-05), YYYY-MM (a whole month), YYYY (a whole year) "
                "or an ISO 8601 date-time (2024-03-05T14:00:00Z)")
CLOSEST = 5


class FilterError(ValueError):
    """Raised when a filter value is unknown or malformed; the message says what is known
    or accepted instead."""


def _key(value: str) -> str:
    """How a typed name is compared: the tagger's token keys (case, accents, Arabic
    spelling, al-/el-/ash- all folded), else the lower-cased text."""
    keys = key_of(value)
    return " ".join(keys) if keys else " ".join(value.lower().split())


@dataclass
class Names:
    """The canonical names of one kind of thing and every spelling that stands for them."""

    kind: str  # "place", "actor", "event type", "source"
    names: list[str] = field(default_factory=list)
    spellings: dict[str, list[str]] = field(default_factory=dict)  # _key -> canonical names
    # spellings written with a final "*" in the data ("air strike*"): any ending
    stems: list[tuple[str, str]] = field(default_factory=list)  # (_key, canonical name)

    def add(self, name: str, *spellings: str) -> None:
        if name not in self.spellings.get(_key(name), ()):
            self.names.append(name)
        for spelling in (name, *spellings):
            spelling = spelling.lstrip("~").strip()
            if spelling.endswith("*"):
                spelling = spelling.rstrip("*").strip()
                if spelling:
                    self.stems.append((_key(spelling), name))
            if spelling:
                canon = self.spellings.setdefault(_key(spelling), [])
                if name not in canon:
                    canon.append(name)

    def with_names(self, names: Iterable[str]) -> "Names":
        """A copy that also knows ``names`` (e.g. tags already in the archive)."""
        copy = Names(self.kind, list(self.names), {k: list(v) for k, v in self.spellings.items()},
                     list(self.stems))
        for name in names:
            if name and _key(name) not in copy.spellings:
                copy.add(name)
        return copy

    def resolve(self, value: str) -> list[str]:
        """The canonical names ``value`` stands for (usually one).

        Raises :class:`FilterError` listing the closest known names.
        """
        key = _key(value or "")
        found = self.spellings.get(key)
        if found:
            return list(found)
        found = list(dict.fromkeys(name for stem, name in self.stems if key.startswith(stem)))
        if found:
            return found
        raise FilterError(f"unknown {self.kind} {value!r}; {self.closest_text(value)}")

    def closest(self, value: str, n: int = CLOSEST) -> list[str]:
        key = _key(value or "")
        keys = difflib.get_close_matches(key, list(self.spellings), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for match in keys:
            for name in self.spellings[match]:
                if name not in out:
                    out.append(name)
        return out[:n]

    def closest_text(self, value: str) -> str:
        near = self.closest(value)
        if near:
            return "closest known: " + ", ".join(near)
        sample = ", ".join(self.names[:CLOSEST])
        return f"known {self.kind}s include: {sample}" if sample else f"no {self.kind}s known"

    def resolve_all(self, values: Iterable[str]) -> list[str]:
        out: list[str] = []
        for value in values:
            for name in self.resolve(value):
                if name not in out:
                    out.append(name)
        return out


@lru_cache(maxsize=1)
def _places() -> Names:
    names = Names("place")
    for row in load_gazetteer():
        names.add(row["name"], row.get("name_ar") or "", *row.get("variants", ()))
    return names


@lru_cache(maxsize=1)
def _actors() -> Names:
    names = Names("actor")
    for row in load_actors():
        names.add(row["name"], *row.get("aliases", ()), *row.get("exact", ()),
                  *row.get("ar", ()))
    return names


@lru_cache(maxsize=1)
def _events() -> Names:
    names = Names("event type")
    for row in load_events():
        names.add(row["name"], *row.get("en", ()), *row.get("ar", ()))
    return names


def places() -> Names:
    """Places of the gazetteer: canonical name, Arabic name, every variant it matches."""
    return _places().with_names(())


def actors() -> Names:
    """Actors of ``data/actors.toml``: name, aliases, acronyms, Arabic names."""
    return _actors().with_names(())


def events() -> Names:
    """Event types of ``data/events.toml``: name and trigger phrases."""
    return _events().with_names(())


def sources(known: Iterable[str]) -> Names:
    """Sources, as named in the archive (``known``); matched case-insensitively."""
    names = Names("source")
    for name in sorted(set(known)):
        names.add(name)
    return names


# --- dates ------------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_SLASHED = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")


def parse_date(value: str, end: bool = False, label: str = "date") -> str:
    """An ISO date or date-time from a typed bound, validated.

    ``end``: the value is an inclusive upper bound, so a month or a year stands for its
    last day (2024-02 -> 2024-02-29).  A day stays a day (the caller includes all of it);
    a date-time is returned as ISO 8601.  Raises :class:`FilterError` with the accepted
    formats for anything else (01/02/2024 is refused: 1 February or 2 January?).
    """
    text = (value or "").strip()
    try:
        if _DATETIME.fullmatch(text[:16]) and len(text) > 10:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        if _DAY.fullmatch(text):
            return date.fromisoformat(text).isoformat()
        if _MONTH.fullmatch(text):
            year, month = int(text[:4]), int(text[5:])
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day).isoformat()
        if _YEAR.fullmatch(text):
            return date(int(text), 12, 31).isoformat() if end else f"{text}-01-01"
    except ValueError as exc:
        raise FilterError(f"{label} {value!r} is not a real date ({exc}); use {DATE_FORMATS}")\
            from None
    why = " (day and month order is ambiguous)" if _SLASHED.fullmatch(text) else ""
    raise FilterError(f"{label} {value!r} is not a date{why}; use {DATE_FORMATS}")


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Both bounds parsed (either may be empty); raises if ``since`` is after ``until``."""
    start = parse_date(since, label="since") if since else None
    stop = parse_date(until, end=True, label="until") if until else None
    if start and stop and start[:10] > stop[:10]:
        raise FilterError(f"since {since!r} is after until {until!r}")
    return start, stop
