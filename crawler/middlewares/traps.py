"""Refuse links that lead into spider traps.

Only links found on pages (``kind == "link"``) and redirects are checked; URLs a source
lists in its feeds, sitemaps and start pages are trusted.  A link is a trap when:

* it is longer than ``NEWSARCHIVE_MAX_URL_LENGTH`` characters;
* one path segment repeats ``NEWSARCHIVE_TRAP_REPEATS`` times (``/a/b/a/b/a/b/``, the
  mark of relative links resolved against themselves);
* it has more than ``NEWSARCHIVE_MAX_QUERY_PARAMS`` query parameters, or its path already
  had ``NEWSARCHIVE_MAX_QUERY_VARIANTS`` distinct query strings this run (sort / filter /
  facet combinations);
* it is a calendar page (a year and month in a URL that says calendar, event,
  archive...) dated more than a month ahead or before ``NEWSARCHIVE_TRAP_MIN_YEAR``
  (an endless "next month" link).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from .faults import Refused

logger = logging.getLogger(__name__)

YEAR_MONTH = re.compile(r"(?<!\d)([12]\d{3})[/_-](\d{1,2})(?!\d)")
CALENDAR_WORDS = re.compile(r"calendar|event|agenda|archive|schedule|date|month|day", re.I)
YEAR_KEYS = ("year", "yr", "y")
MONTH_KEYS = ("month", "mon", "m")


def calendar_month(url: str) -> tuple[int, int] | None:
    """``(year, month)`` a calendar-like URL points at, or None."""
    parts = urlsplit(url)
    query = {k.lower(): v for k, v in parse_qsl(parts.query)}
    year = next((query[k] for k in YEAR_KEYS if k in query), None)
    month = next((query[k] for k in MONTH_KEYS if k in query), None)
    if year and month and year.isdigit() and month.isdigit():
        return int(year), int(month)
    if not CALENDAR_WORDS.search(url):
        return None
    for text in (parts.path, parts.query):
        match = YEAR_MONTH.search(text)
        if match and 1 <= int(match.group(2)) <= 12:
            return int(match.group(1)), int(match.group(2))
    return None


class TrapGuardMiddleware:
    def __init__(self, settings):
        self.max_length = settings.getint("NEWSARCHIVE_MAX_URL_LENGTH")
        self.repeats = settings.getint("NEWSARCHIVE_TRAP_REPEATS")
        self.max_params = settings.getint("NEWSARCHIVE_MAX_QUERY_PARAMS")
        self.max_variants = settings.getint("NEWSARCHIVE_MAX_QUERY_VARIANTS")
        self.min_year = settings.getint("NEWSARCHIVE_TRAP_MIN_YEAR")
        self._variants: dict[tuple, set] = defaultdict(set)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings)

    def process_request(self, request, spider=None):
        if request.meta.get("kind") != "link" and not request.meta.get("redirect_urls"):
            return None
        reason = self.trap(request.url)
        if reason:
            raise Refused("trap", f"spider trap ({reason})")
        return None

    def trap(self, url: str) -> str | None:
        """Why ``url`` looks like a spider trap, or None."""
        if len(url) > self.max_length:
            return f"URL of {len(url)} characters > {self.max_length}"
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        for segment in set(segments):
            if segments.count(segment) >= self.repeats:
                return f"path segment {segment[:40]!r} repeated {segments.count(segment)} times"
        if parts.query:
            params = parse_qsl(parts.query, keep_blank_values=True)
            if len(params) > self.max_params:
                return f"{len(params)} query parameters > {self.max_params}"
            variants = self._variants[(parts.netloc, parts.path)]
            variants.add(parts.query)
            if len(variants) > self.max_variants:
                return f"more than {self.max_variants} query strings for {parts.path}"
        month = calendar_month(url)
        if month:
            today = date.today()
            ahead = (month[0] - today.year) * 12 + month[1] - today.month
            if ahead > 1 or month[0] < self.min_year:
                return f"calendar page for {month[0]}-{month[1]:02d}"
        return None
