"""The small facts every fake page shares: escaping and date formats (written once here).

``e`` escapes text for HTML (attributes included); ``xml_text`` escapes element text in
XML (feeds, sitemaps), where quotes stay as they are.  ``human_date`` is the date a page
prints under a headline ("4 March 2026", or Arabic month names); ``rfc822`` is the date
of an RSS ``pubDate``.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from html import escape

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
             "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


def e(text) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return escape(str(text), quote=True)


def xml_text(text) -> str:
    """``text`` escaped for XML element content (``&``, ``<``, ``>``)."""
    return escape(str(text), quote=False)


def when(value) -> datetime:
    """A datetime from a datetime or an ISO 8601 string."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def human_date(value, language: str = "en") -> str:
    """The date as a page prints it: ``4 March 2026`` (``4 مارس 2026`` in Arabic)."""
    moment = when(value)
    months = AR_MONTHS if language == "ar" else EN_MONTHS
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def rfc822(value) -> str:
    """The date of an RSS ``pubDate``: ``Wed, 04 Mar 2026 08:00:00 +0000``."""
    return format_datetime(when(value))


# Content types of the pages the fake web serves.
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
SVG = "image/svg+xml; charset=utf-8"
