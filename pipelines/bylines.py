"""Lines of a body that are not its text but its metadata: date stamps, bylines, datelines.

:func:`is_date_line` recognises a line that is only a date/time stamp, :func:`byline_names`
a byline ("By A and B", "Reporting by A; Editing by B", "بقلم ...") and the names in it, and
:func:`find_dateline` the dateline opening a story ("ALEPPO --", "دمشق -").  Pure.
"""

from __future__ import annotations

import re

from .dates import calendar_words, month_words
from .metadata import is_junk_author
from .phrases import BULLETS, WORD, _more_words_than

# ----------------------------------------------------------------------- dates, bylines
MONTH_SET = month_words()
DATE_WORDS = set(calendar_words()) | set(
    "feira am pm a m p gmt utc est edt pst pdt cst cdt bst cet cest ist et pt "
    "published updated posted last modified on at de às a the date time ago hours hour minutes "
    "min mins h hrs day days today yesterday st nd rd th "
    "نشر تم النشر في تاريخ آخر اخر تحديث منذ ساعة ساعات دقيقة دقائق يوم صباحا مساء ص م".split()
)
YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\d{1,2}:\d{2}")
DATE_SHAPE = re.compile(r"\d{1,2}:\d{2}|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(19|20)\d{2}\b")
JUNK_AUTHOR = re.compile(
    r"^((our|a|the|by)\s+(own\s+)?(special\s+)?(correspondents?|reporters?|staff|team|editors?|desk)|"
    r"مراسلنا|مراسلينا|مراسل .{2,30}|"
    r"reuters|afp|ap|associated press|anadolu|sana|dpa|efe|xinhua|[\w.]+ staff|"
    r"email|e-mail|contact|follow|staff|staff writer|editor|editors|admin|administrator|"
    r"reporter|correspondent|news desk|newsdesk|web desk|desk|agencies|agency|the author|"
    r"author|team|guest|anonymous|unknown|وكالات|المحرر|محرر|فريق التحرير|هيئة التحرير|"
    r"مراسل|المراسل)\b", re.IGNORECASE)
BYLINE = re.compile(
    r"^\s*(?:(?:written|reported|reporting|words|story|text|interview|writing)\s+by|by|"
    r"بقلم|كتب|كتبت|إعداد|اعداد|تقرير)\s*[:\-–—]?\s+(?P<names>.+?)\s*$", re.IGNORECASE)
NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\s+و\s*|،)\s*", re.IGNORECASE)
NAME_TAIL = re.compile(
    r"\s*(?:\s[|/–—-]\s.*|\|.*|\bin\s+[A-Z][\w-]+.*|\bfor\s+.*|\bfrom\s+.*|\(.*\)|\bat\s+.*|"
    r"\b(?:reuters|afp|ap|associated press)\b.*|\bمن\s+.*|\bفي\s+.*)$")
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "our", "its", "their", "his", "her"}
NAME_PARTICLE = {"al", "el", "bin", "ibn", "abu", "de", "da", "van", "von", "der", "la", "le", "du", "di"}


def is_date_line(line: str) -> bool:
    """True for a short line that is only a date/time stamp ("Updated 5:45 AM PST 11/19/2019")."""
    folded = line.casefold()
    if _more_words_than(folded, 16):
        return False
    tokens = WORD.findall(folded)
    if not tokens:
        return False
    has_month = not MONTH_SET.isdisjoint(tokens)
    if not (has_month or DATE_SHAPE.search(line)):
        return False
    other = [t for t in tokens if not t.isdigit() and t not in DATE_WORDS]
    # one other word ("Damascus, 3 March 2019", "11:28 AMT") only next to a full stamp
    full_stamp = bool(YEAR_OR_TIME.search(line))
    return len(other) <= (1 if full_stamp and (has_month or ":" in line) else 0)


def _clean_name(name: str) -> str | None:
    name = NAME_TAIL.sub("", name.strip(" .:-–—|")).strip(" .,:-–—|")
    if not name or any(ch.isdigit() for ch in name) or "@" in name or "http" in name:
        return None
    if JUNK_AUTHOR.match(name) or is_junk_author(name) or any(t in DATE_WORDS and t not in NAME_PARTICLE
                                       for t in WORD.findall(name.casefold())
                                       if t in MONTH_SET or t.endswith("day")):
        return None
    words = name.split()
    if not 1 <= len(words) <= 5 or words[0].casefold() in DETERMINERS:
        return None
    if name.isupper() and name.isascii():
        name = name.title()
        words = name.split()
    if re.search(r"[\u0600-\u06ff]", name):
        return name if len(words) >= 2 and all(re.fullmatch(r"[\u0600-\u06ff.]+", w) for w in words) else None
    for w in words:
        bare = w.strip(".'’")
        if bare.casefold() in NAME_PARTICLE or re.fullmatch(r"(?:al|el)-\w+", bare, re.IGNORECASE):
            continue
        if not bare or not bare[0].isupper():
            return None
    return name if len(words) >= 2 else None


CLAUSE_SPLIT = re.compile(r"\s*;\s*")
OTHER_CREDIT = re.compile(
    r"(?:editing|edited|compiled|graphics|translated|translation|design|photos?)\s+by\b",
    re.IGNORECASE)
ADDITIONAL = re.compile(r"^(?:with\s+)?additional\s+", re.IGNORECASE)


def byline_names(line: str) -> list[str] | None:
    """Author names if ``line`` is a byline ("By A and B", "Reporting by: Taim Khalil",
    "Reporting by A; additional reporting by B; Editing by C"), else None."""
    text = " ".join(line.split()).strip(BULLETS).strip()
    if _more_words_than(text, 30):
        return None
    names: list[str] = []
    clauses = [c for c in CLAUSE_SPLIT.split(text) if c]
    for i, clause in enumerate(clauses):
        if OTHER_CREDIT.match(clause):
            continue
        clause = ADDITIONAL.sub("", clause)
        m = BYLINE.match(clause)
        if not m:
            if i == 0:
                # a date stamp followed by "by Name" ("5:45 AM PST 11/19/2019 by Jane Roe")
                head, sep, tail = clause.rpartition(" by ")
                if sep and is_date_line(head):
                    m = BYLINE.match("by " + tail)
            if not m:
                return None
        parts = NAME_SPLIT.split(m.group("names"))
        if len(WORD.findall(m.group("names"))) > 14:
            return None
        credit = False
        for part in parts:
            name = _clean_name(part)
            if name is None:
                if JUNK_AUTHOR.match(part.strip(" .:-–—|")):
                    credit = True  # "By Reuters Staff": a byline, but no person in it
                    continue
                if part.strip() and i == 0 and not names:
                    return None
                continue
            names.append(name)
        if credit and not names and i == 0 and len(clauses) == 1:
            return []
    return names or None


DATELINE_LATIN = re.compile(
    r"^(?P<dl>[A-Z][A-Z.'’\- ]{2,40}(?:,\s*[A-Z][\w.’' -]{1,30}?)?(?:\s*\([\w .&/-]{2,30}\))?)"
    r"\s*(?:[-–—:]{1,2}|\s-\s)\s*(?=[A-Z0-9\"“‘'(\u0600-\u06ff])")
DATELINE_ARABIC = re.compile(
    r"^(?P<dl>[\u0600-\u06ff]+(?:\s[\u0600-\u06ff]+){0,2}(?:\s*[(（][^)）]{2,30}[)）])?)\s*[-–—:]\s*(?=\S)")


def find_dateline(paragraph: str) -> str | None:
    """The dateline opening ``paragraph`` as printed ("ALEPPO –", "IDLIB, Syria (Reuters) —",
    "دمشق -"), or None."""
    m = DATELINE_LATIN.match(paragraph)
    if m and len(re.sub(r"[^A-Z]", "", m.group("dl").split(",")[0])) >= 3:
        head = m.group("dl").split(",")[0].split("(")[0]
        if head.strip() == head.strip().upper():
            return m.group(0).strip()
    m = DATELINE_ARABIC.match(paragraph)
    if m and len(WORD.findall(paragraph)) > 8:
        return m.group(0).strip()
    return None

