"""Read publication dates: ISO / RFC strings, URLs and visible English or Arabic text.

Pure helpers for :mod:`pipelines.metadata`.  Every reader returns an ISO 8601 string
(``"2019-03-14"``, ``"2019-03-14T09:30:00+03:00"``, or ``"2019-03"`` when only the month
is known) or ``None``; :func:`plausible` says whether a date can be a publication date
(not before 1990, not after now + 1 day).

Month names come from ``pipelines/data/calendar.toml`` (English, Levantine Arabic such as
آذار, Egyptian/Gulf Arabic such as مارس, Maghreb Arabic such as جويلية); Eastern Arabic digits (١٤) are read too.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from .arabic import normalize_arabic

DATA = Path(__file__).parent / "data"
EARLIEST = date(1990, 1, 1)

# zero-width and bidi marks that Arabic pages put around numbers and names
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def western_digits(text: str) -> str:
    """``text`` with Eastern Arabic and Persian digits turned into 0-9."""
    return text.translate(DIGITS)


@lru_cache(maxsize=1)
def _calendar() -> dict:
    with open(DATA / "calendar.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Every known month name (normalised, lower case) -> month number."""
    names: dict[str, int] = {}
    for table in _calendar()["months"].values():
        for name, number in table.items():
            names[normalize_arabic(name.lower())] = number
    return names


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Every word of every month and weekday name, lower case, as written and normalised
    ("تشرين الأول" gives تشرين, الأول and الاول): what a date stamp is made of."""
    words = set()
    for kind in ("months", "weekdays"):
        for table in _calendar()[kind].values():
            for name in table:
                for word in name.lower().split():
                    words.update((word, normalize_arabic(word)))
    return frozenset(words)


@lru_cache(maxsize=1)
def month_words() -> frozenset[str]:
    """The words of month names only (as :func:`calendar_words`)."""
    return frozenset(w for table in _calendar()["months"].values() for name in table
                     for word in name.lower().split() for w in (word, normalize_arabic(word)))


@lru_cache(maxsize=1)
def weekday_names() -> dict[str, int]:
    """Full weekday names, English and Arabic, lower case as written -> Python's
    ``date.weekday()`` (Monday 0)."""
    calendar = _calendar()["weekdays"]
    return {name.lower(): number - 1 for key in ("en", "ar")
            for name, number in calendar[key].items()}


@lru_cache(maxsize=1)
def relative_days() -> dict[str, int]:
    """Words for a day relative to the publication date ("yesterday", "أمس") -> how many
    days before it."""
    return dict(_calendar()["relative_days"])


@lru_cache(maxsize=1)
def english_calendar_words() -> tuple[str, ...]:
    """English month names and abbreviations and weekday names (not their abbreviations:
    "Sun" and "Sat" are names too), longest first (for regexes)."""
    calendar = _calendar()
    words = {*calendar["months"]["en"], *calendar["months"]["en_abbr"],
             *calendar["weekdays"]["en"]}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def english_calendar_names() -> frozenset[str]:
    """The full English month and weekday names ("march", "monday"), lower case."""
    calendar = _calendar()
    return frozenset([*calendar["months"]["en"], *calendar["weekdays"]["en"]])


# ---------------------------------------------------------------------------------------
# Validity


def _as_date(value: str) -> date | None:
    try:
        if len(value) == 7:  # YYYY-MM
            return date(int(value[:4]), int(value[5:7]), 1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def plausible(value: str | None, now: datetime | None = None) -> bool:
    """True if ``value`` (ISO) is on or after 1990-01-01 and not after now + 1 day."""
    if not value:
        return False
    day = _as_date(value)
    if day is None:
        return False
    now = now or datetime.now(timezone.utc)
    if day < EARLIEST:
        return False
    if "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment <= now + timedelta(days=1)
    return day <= (now + timedelta(days=1)).date()


# ---------------------------------------------------------------------------------------
# Machine-readable strings (meta, JSON-LD, <time datetime>, feeds, sitemaps)

_ISO = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?\s*$",
    re.I,
)
_SLASHED_YMD = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


def _offset(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.upper()
    if text in ("Z", "UTC", "GMT"):
        return "+00:00"
    digits = text[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    return f"{text[0]}{digits[:2]}:{digits[2:4]}"


def _build(year, month, day, hour=None, minute=None, second=None, offset=None) -> str | None:
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None:
        return day_value.isoformat()
    try:
        moment = datetime(day_value.year, day_value.month, day_value.day, int(hour),
                          int(minute or 0), int(second or 0))
    except ValueError:
        return day_value.isoformat()
    out = moment.isoformat()
    return out + offset if offset else out


def parse_machine_date(value: str | None) -> str | None:
    """An ISO 8601 string for a machine-readable date (ISO, compact, RFC 2822) or None.

    >>> parse_machine_date("2019-03-14T09:30:00Z")
    '2019-03-14T09:30:00+00:00'
    >>> parse_machine_date("Thu, 14 Mar 2019 09:30:00 +0200")
    '2019-03-14T09:30:00+02:00'
    """
    if not value or not isinstance(value, str):
        return None
    value = western_digits(INVISIBLE.sub("", value).strip())
    match = _ISO.match(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        return _build(year, month, day, hour, minute, second, _offset(zone))
    match = _YEAR_MONTH.match(value)
    if match:
        year, month = int(match[1]), int(match[2])
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    match = _SLASHED_YMD.match(value)
    if match:
        return _build(*match.groups())
    if re.match(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", value):
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                return moment.replace(microsecond=0).isoformat()
            return moment.replace(microsecond=0).isoformat()
    return parse_text_date(value)


# ---------------------------------------------------------------------------------------
# URLs

_URL_PATTERNS = (
    # /2019/03/14/ or /2019-03-14/ or /2019_03_14
    re.compile(r"/((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    # /20190314/ or /20190314-slug
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    # /2013/middle_east/8/3/: the year, a section (one or two path segments), month, day
    re.compile(r"/((?:19|20)\d{2})/(?:[A-Za-z][\w-]*/){1,2}(0?[1-9]|1[0-2])/"
               r"(0?[1-9]|[12]\d|3[01])(?=/|$)"),
)
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})[/_-](0[1-9]|1[0-2])(?=/)")


def date_from_url(url: str) -> str | None:
    """The date in a URL path (``/2019/03/14/``, ``/20190314/``, ``/2013/middle_east/8/3/``)
    or the month (``/2019/03/``).

    >>> date_from_url("https://example.org/2019/03/14/slug/")
    '2019-03-14'
    >>> date_from_url("https://example.org/news/2019/03/slug")
    '2019-03'
    """
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.I).split("?")[0]
    for pattern in _URL_PATTERNS:
        match = pattern.search(path)
        if match:
            built = _build(*match.groups())
            if built:
                return built
    match = _URL_MONTH.search(path)
    if match:
        return f"{match[1]}-{match[2]}"
    return None


# ---------------------------------------------------------------------------------------
# Visible text


@lru_cache(maxsize=1)
def _text_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    names = sorted(month_names(), key=len, reverse=True)
    # "آذار/مارس": Syrian outlets print both month series; the second name is skipped.
    month = "(?P<month>" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + ")"
    alt = r"(?:\s*[/(-]\s*(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\s*\)?)?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d{2})"
    boundary_l = r"(?<![\w])"
    boundary_r = r"(?![\w])"
    # 14 March 2019, 14 آذار 2019, 14 آذار/مارس 2019, 14 Mar. 2019
    day_first = re.compile(
        boundary_l + day + r"\s*(?:of\s+|من\s+)?(?:شهر\s+)?" + month + r"\.?" + alt + r"[,،]?\s*" + year + boundary_r,
        re.I)
    # March 14, 2019 / Mar. 14 2019
    month_first = re.compile(
        boundary_l + month + r"\.?" + alt + r"\s+" + day + r"[,،]?\s+" + year + boundary_r, re.I)
    # 2019-03-14, 2019/03/14 or 2019.03.14; 14/03/2019, 14.03.2019 or 14-03-2019 (day first, as printed
    # in the region; 03/14/2019 is read month first because 14 cannot be a month)
    numeric = re.compile(
        boundary_l + r"(?:(?P<iso>(?:19|20)\d{2})[-/.](?P<imonth>[01]?\d)[-/.](?P<iday>[0-3]?\d)"
        r"|(?P<nday>[0-3]?\d)(?P<sep>[/.-])(?P<nmonth>[0-3]?\d)(?P=sep)(?P<nyear>(?:19|20)\d{2}))"
        + boundary_r)
    return day_first, month_first, numeric


def _month_number(name: str) -> int | None:
    return month_names().get(normalize_arabic(re.sub(r"\s+", " ", name.lower())))


def find_text_dates(text: str) -> list[str]:
    """Every full date written out in ``text``, in order of appearance, as ISO dates.

    >>> find_text_dates("Posted on 14 آذار 2019 and March 2, 2020")
    ['2019-03-14', '2020-03-02']
    """
    if not text:
        return []
    text = normalize_arabic(western_digits(INVISIBLE.sub("", text)))
    day_first, month_first, numeric = _text_patterns()
    found: list[tuple[int, str]] = []
    for pattern in (day_first, month_first):
        for match in pattern.finditer(text):
            month = _month_number(match["month"])
            built = _build(match["year"], month, match["day"]) if month else None
            if built:
                found.append((match.start(), built))
    for match in numeric.finditer(text):
        if match["iso"]:
            built = _build(match["iso"], match["imonth"], match["iday"])
        else:
            day, month = int(match["nday"]), int(match["nmonth"])
            if month > 12 >= day:  # US order: month/day/year
                day, month = month, day
            built = _build(match["nyear"], month, day)
        if built:
            found.append((match.start(), built))
    found.sort()
    out: list[str] = []
    for _, value in found:
        if value not in out:
            out.append(value)
    return out


def parse_text_date(text: str | None) -> str | None:
    """The first full date written out in ``text`` (English or Arabic), or None."""
    dates = find_text_dates(text or "")
    return dates[0] if dates else None
