"""When a sentence says something happened, resolved against the publication date.

* a day name ("on Tuesday", "Tuesday's strike", "يوم الثلاثاء", "فجر الأربعاء"): the most
  recent such day on or before the publication date (a Tuesday article's "Tuesday" is that
  day);
* a relative day ("yesterday", "last night", "today", "أمس", "صباح اليوم");
* a date: "3 March", "March 3", "3 March 2023", "18 كانون الأول", "3 آذار/مارس 2023"; without
  a year, the most recent such date on or before the publication date.

Day and month names are the archive's one calendar table (``pipelines/data/calendar.toml``,
read through ``pipelines.dates``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .lexicon import lexicon
from .text import Token

RECENT = 30  # days: a date further back than this before publication is an earlier event


class When(NamedTuple):
    day: date
    start: int  # token span of the expression
    end: int


def publication_day(published) -> date | None:
    """The day of an ISO date or date-time string (or a date), or None."""
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published)[:10])
    except (TypeError, ValueError):
        return None


def is_month(toks: list[Token], i: int) -> bool:
    """Is token *i* (the first word of) a month name ("March" capitalised, not "march")?"""
    tok = toks[i]
    if tok.kind != "word" or (tok.key.isascii() and not tok.upper):
        return False
    return lexicon().months.at(toks, i) is not None


def dates_in(toks: list[Token], start: int, end: int, published: date | None) -> list[When]:
    """Every day a sentence (tokens start..end) names, in order."""
    if published is None:
        return []
    lex = lexicon()
    months = lexicon().months
    wanted = frozenset((lex.weekdays.id, lex.relative_days.id, months.id))
    found = []
    i = start
    while i < end:
        tok = toks[i]
        if tok.kind == "word" and not (wanted & tok.first):
            i += 1
            continue
        if tok.kind == "word":
            day = lex.weekdays.at(toks, i, end)
            if day and (not tok.key.isascii() or tok.upper):
                back = (published.weekday() - day[1]) % 7
                found.append(When(published - timedelta(days=back), i, day[0]))
                i = day[0]
                continue
            rel = lex.relative_days.at(toks, i, end)
            if rel:
                found.append(When(published - timedelta(days=rel[1]), i, rel[0]))
                i = rel[0]
                continue
            month = months.at(toks, i, end) if is_month(toks, i) else None
            if month and month[0] < end and toks[month[0]].kind == "num":  # March 3(, 2023)
                explicit = _explicit(toks, month[0], month[0] + 1, month[1], end, published)
                if explicit:
                    found.append(When(explicit[0], i, explicit[1]))
                    i = explicit[1]
                    continue
        elif tok.kind == "num" and i + 1 < end:  # 3 March (2023)
            j = i + 1
            if j < end and toks[j].key == "of":
                j += 1
            month = months.at(toks, j, end) if j < end and is_month(toks, j) else None
            if month:
                j = month[0]
                if j + 1 < end and toks[j].key == "/" and months.at(toks, j + 1, end):
                    j = months.at(toks, j + 1, end)[0]  # آذار/مارس
                explicit = _explicit(toks, i, j, month[1], end, published)
                if explicit:
                    found.append(When(explicit[0], i, explicit[1]))
                    i = explicit[1]
                    continue
        i += 1
    return found


def _explicit(toks, day_at: int, after: int, month: int, end: int, published: date):
    """(date, end token) for day token *day_at* of *month*, with a year at *after* or not."""
    try:
        day = int(toks[day_at].key)
    except ValueError:
        return None
    j = after
    if j < end and toks[j].key == ",":
        j += 1
    year = None
    if j < end and toks[j].kind == "num" and len(toks[j].key) == 4:
        year = int(toks[j].key)
        j += 1
    try:
        if year is not None:
            return date(year, month, day), j
        found = date(published.year, month, day)
        if found > published:
            found = date(published.year - 1, month, day)
        return found, after
    except ValueError:
        return None
