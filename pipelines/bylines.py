"""Who wrote a story and who is credited: the one set of byline, credit and dateline rules.

Used for author metadata (``pipelines/metadata/authors.py`` reads JSON-LD, meta tags and
byline elements, and passes their strings here) and for lines of the text
(``pipelines/clean.py``: a byline or credit line leaves the text, its names become
metadata).  The rules are data: ``pipelines/data/author_names.toml`` says which words start
a byline, which a credit and for what role, what joins two names, what is never a person,
which names are news agencies and outlets.

- :func:`read_names` reads a byline value ("By Jane Doe and John Roe", "كتبت: ريم حسن -
  دمشق", "Reporting by A; Editing by B", "(أبوظبي - البيان)") into a :class:`Byline`:
  ``authors`` (people who wrote or reported it) and ``credits`` (everyone else credited,
  each ``{"name": ..., "role": ...}``; roles: ``agency``, ``outlet``, ``organisation``,
  ``editing``, ``additional-reporting``, ``translation``, ``photo``, ``graphics``,
  ``compiled``, ``source``).
- :func:`read_line` does the same for a line of the text, and says None when the line is
  not a byline or credit line at all ("By the end of the week, ...").
- :func:`normalize_authors` is the persons of a byline value; :func:`is_junk_author` says a
  name is no person's; :func:`same_person` tells a misspelt repeat of a name.
- :func:`is_date_line`: a line that is only a date/time stamp.
- :data:`DATELINE_RE` and :func:`find_dateline`: the one dateline rule ("ALEPPO –",
  "IDLIB, Syria (Reuters) —", "Beirut (Agency) -", "دمشق (سانا) -"), for the clean stage's
  ``dateline`` field and the de-duplication fingerprint alike.

Pure.
"""

from __future__ import annotations

import html
import re
import tomllib
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .arabic import normalize_arabic
from .dates import INVISIBLE, calendar_words, english_calendar_words, month_words, western_digits
from .phrases import BULLETS, WORD, _more_words_than

DATA = Path(__file__).parent / "data" / "author_names.toml"
MAX_NAME_WORDS = 5
AUTHOR_ROLE = "author"


class Byline(NamedTuple):
    """The people who wrote a story and the other credits of a byline or credit line."""

    authors: list[str]
    credits: list[dict]  # {"name": str, "role": str}


def name_key(text: str) -> str:
    """Lower case, Arabic folded, letters and digits only (for comparing names)."""
    return re.sub(r"[\W_]+", "", normalize_arabic((text or "").lower()))


# ----------------------------------------------------------------------- the data
class _Rules(NamedTuple):
    prefix: re.Pattern  # an author prefix at the start ("By", "بقلم", "Von")
    role: re.Pattern  # a credit role phrase at the start ("Editing by", "تحرير:")
    roles: dict  # phrase key -> role
    split: re.Pattern
    junk: frozenset
    agencies: frozenset
    outlets: frozenset
    org_words: frozenset
    agency_words: frozenset
    patterns: tuple
    role_suffix: re.Pattern
    particles: frozenset


def _alternation(phrases) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+")
                    for p in sorted(set(phrases), key=len, reverse=True))


# a weak prefix ("Von", "Par", "Text") is a byline's only before a capitalised name
WEAK_PREFIXES = {"von", "par", "por", "text", "texte", "author", "authors", "reporter",
                 "correspondent", "byline"}


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    names = data["names"]
    strong = [p for p in data["prefixes"] if p.lower() not in WEAK_PREFIXES]
    weak = [p for p in data["prefixes"] if p.lower() in WEAK_PREFIXES]
    particles = frozenset(data["names"]["particles"])
    prefix = re.compile(
        r"^\s*(?:(?:" + _alternation(strong) + r")(?:\s*[:：\-–—]\s*|\s+)"
        r"|(?:" + _alternation(weak) + r")(?:\s*[:：\-–—]\s*|\s+(?=(?-i:[A-Z])(?!(?:"
        + "|".join(particles) + r")\b)[\w.'’-]*\s+(?-i:[A-Z]))))", re.I)
    roles: dict[str, str] = {}
    by_phrases, colon_phrases = [], []
    for role, phrases in data["credit_roles"].items():
        for phrase in phrases:
            roles[" ".join(phrase.lower().split())] = role
            (by_phrases if phrase.lower().endswith((" by", " from")) else colon_phrases).append(phrase)
    role = re.compile(
        r"^\s*(?P<phrase>" + _alternation(by_phrases) + r")(?:\s*[:：\-–—]\s*|\s+)"
        r"|^\s*(?P<labelled>" + _alternation(colon_phrases) + r")\s*[:：\-–—]\s*", re.I)
    latin_seps = [s for s in names["separators"] if s.isascii()]
    other_seps = [s for s in names["separators"] if not s.isascii()]
    split = re.compile(
        r"\s*(?:[,;،؛/]|" + "|".join(
            (r"\s" + re.escape(s) + r"\s") if s.isalpha() else re.escape(s) for s in latin_seps)
        + "".join(r"|\s" + re.escape(s) + r"\s" for s in other_seps) + r")\s*", re.I)
    suffixes = sorted(names["role_suffixes"], key=len, reverse=True)
    role_suffix = re.compile(r"[\s,]+(?:" + "|".join(map(re.escape, suffixes)) + r")\s*$", re.I)
    return _Rules(
        prefix=prefix, role=role, roles=roles, split=split,
        junk=frozenset(name_key(j) for j in names["junk"] + data["prefixes"]),
        agencies=frozenset(name_key(a) for a in names["agencies"]),
        outlets=frozenset(name_key(o) for o in names["outlets"]),
        org_words=frozenset(normalize_arabic(w.lower()) for w in names["organisation_words"]),
        agency_words=frozenset(normalize_arabic(w.lower()) for w in names["agency_words"]),
        patterns=tuple(re.compile(p, re.I) for p in names["patterns"]),
        role_suffix=role_suffix, particles=particles,
    )


# ----------------------------------------------------------------------- one name
URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|(?<!\w)@\w+")
LEADING_JOIN = re.compile(r"^(?:and|&|with|und|et)\s+", re.I)
# "Minh Do on Monday", "Carrie Arnold November 15": a date glued to the name
WHEN_TAIL = re.compile(
    r"\s+(?:on\s+|published\s+|updated\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?:" + "|".join(english_calendar_words()) + r")\b\.?(?:\s.*)?$", re.I)
# "Jane Doe in Beirut", "Jane Doe at the border", "أحمد العلي من دمشق"
PLACE_TAIL = re.compile(r"\s+(?:(?i:in|from|at)|—|–)\s+[A-Z][\w\s'.-]*$|\s+(?:من|في)\s+.+$")
FOR_TAIL = re.compile(r"\s+(?i:for)\s+(?:the\s+)?(?P<org>[A-Z\u0600-\u06ff].*)$")
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "our", "its", "their", "his",
               "her", "all", "some", "most", "many", "each", "every"}
MONTH_SET = month_words()
DATE_WORDS = set(calendar_words()) | set(
    "feira am pm a m p gmt utc est edt pst pdt cst cdt bst cet cest ist et pt "
    "published updated posted last modified on at de às a the date time ago hours hour minutes "
    "min mins h hrs day days today yesterday st nd rd th "
    "نشر تم النشر في تاريخ آخر اخر تحديث منذ ساعة ساعات دقيقة دقائق يوم صباحا مساء ص م".split()
)
ARABIC_WORD = re.compile(r"[\u0600-\u06ff.]+")


def _tidy(name: str) -> str:
    rules = _rules()
    name = re.sub(r"\s+", " ", name).strip(" \t\n,.;:-–—|·•()[]\"'«»")
    name = LEADING_JOIN.sub("", name)
    name = rules.prefix.sub("", name, count=1)
    name = rules.role_suffix.sub("", name).strip(" ,")
    name = PLACE_TAIL.sub("", name).strip(" ,")
    name = WHEN_TAIL.sub("", name).strip(" ,")
    if name.isupper() and name.isascii() and len(name) > 3 and " " in name:
        name = name.title()
    return name.strip(" \t,.;:-–—|()\"'")


def is_junk_author(name: str) -> bool:
    """True if ``name`` is not a person's name (calls to action, desks, dates, URLs, agencies,
    a web developer's credit...)."""
    rules = _rules()
    name = (name or "").strip()
    if not name or len(name.split()) > 6 or len(name) < 2:
        return True
    key = name_key(name)
    if key in rules.junk or key in rules.agencies:
        return True
    if not re.search(r"[^\W\d_]", name):
        return True
    if name.isascii() and not re.search(r"\b[A-Z]", name):  # Latin names are capitalised
        return True
    return any(p.search(name) for p in rules.patterns)


def _organisation(name: str, sites: frozenset) -> str | None:
    """"agency", "outlet" or "organisation" if ``name`` names one, else None."""
    rules = _rules()
    key = name_key(name)
    if not key:
        return None
    if key in rules.agencies:
        return "agency"
    if key in rules.outlets or any(s and (s == key or len(s) >= 4 and (s in key or key in s))
                                   for s in sites):
        return "outlet"
    words = {normalize_arabic(w.lower()) for w in re.findall(r"[^\W_]+", name)}
    if words & rules.agency_words:
        return "agency"
    if words & rules.org_words:
        return "organisation"
    return None


def _person(name: str, strict: bool) -> bool:
    """A person's name: 1-5 words (2-5 when ``strict``), capitalised Latin words (name
    particles aside) or Arabic words, no calendar word, no determiner first."""
    rules = _rules()
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or (strict and len(words) < 2):
        return False
    if words[0].casefold() in DETERMINERS:
        return False
    folded = [w.casefold() for w in WORD.findall(name)]
    # "Tuesday Morning", "March Update": a weekday, or nothing but calendar words ("Jan
    # Weber" and "May Ghanem" are names)
    if any(w.endswith("day") and w in DATE_WORDS for w in folded) or \
            all(w in DATE_WORDS or w in MONTH_SET for w in folded):
        return False
    if re.search(r"[\u0600-\u06ff]", name):
        return all(ARABIC_WORD.fullmatch(w) for w in words)
    if not strict:
        return True
    for w in words:
        bare = w.strip(".'’")
        if bare.casefold() in rules.particles or re.fullmatch(r"(?:al|el)-\w+", bare, re.I):
            continue
        if not bare or not bare[0].isupper():
            return False
    return True


def _classify(piece: str, strict: bool, sites: frozenset) -> tuple[str, str] | None:
    """What one name slot of a byline holds: ("person" | "agency" | "outlet" |
    "organisation" | "junk", name), or None when it is no name at all (a sentence)."""
    if name_key(piece) in _rules().junk:  # "our correspondent", "Staff Writer"
        return "junk", piece.strip()
    name = _tidy(piece)
    if not name:
        return None
    kind = _organisation(name, sites)
    if kind:
        return kind, name
    if is_junk_author(name):
        if any(ch.isdigit() for ch in name) or name_key(name) in _rules().junk or \
                any(p.search(name) for p in _rules().patterns):
            return "junk", name
        return None
    if _person(name, strict):
        return "person", name
    return None


def _split_attached_wa(text: str) -> list[str]:
    """"أحمد الدمشقي وسلمى العلي" -> two names, when both sides have two words or more
    (so that a compound first name such as "محمد وليد" is not cut)."""
    parts = re.split(r"\s+و(?=[\u0621-\u064a]{2,})", text)
    if len(parts) == 2 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [text]


def split_names(text: str) -> list[str]:
    """The name slots of a byline: split on "," "and" "&" "و" "und" "et" ..."""
    return [p for part in _rules().split.split(text) for p in _split_attached_wa(part)
            if p and p.strip()]


# ----------------------------------------------------------------------- a byline
PARENS = re.compile(r"[(（]([^()（）]{2,60})[)）]")
SEGMENTS = re.compile(r"[|\n•·]+")
DASH_PIECES = re.compile(r"\s[-–—]\s|\s*[–—]\s*|\s+-\s*")
# "Jane Doe contributed to this report", "Ali Kassem contributed reporting from Idlib"
CONTRIBUTED = re.compile(
    r"^(?P<names>.{3,200}?)\s+(?:also\s+)?contributed\b(?:\s+(?:to|reporting|additional)\b.*)?$",
    re.I)
# "Posted on 3 November 2013 by Maya Ghanem", "5:45 AM PST 11/19/2019 by Jane Roe"
POSTED_BY = re.compile(r"^\s*(?P<head>(?:posted|published|written|updated)\b.{0,60}?|.{0,60}?)"
                       r"\s+by\s+(?P<names>.+)$", re.I)


def _role_of(clause: str) -> tuple[str | None, str]:
    """(role, the clause without its lead phrase): AUTHOR_ROLE for a byline prefix, a credit
    role, or None when the clause starts with neither."""
    rules = _rules()
    m = rules.role.match(clause)
    if m:
        phrase = " ".join((m.group("phrase") or m.group("labelled")).lower().split())
        return rules.roles.get(phrase, "contributor"), clause[m.end():]
    m = rules.prefix.match(clause)
    if m:
        return AUTHOR_ROLE, clause[m.end():]
    return None, clause


def _clean_text(raw) -> str:
    text = INVISIBLE.sub("", western_digits(html.unescape(str(raw)))).replace("\xa0", " ")
    return URLISH.sub(" ", text)  # links, e-mail addresses and handles are never names


def _add_credit(credits: list[dict], name: str, role: str) -> None:
    key = name_key(name)
    if key and not any(name_key(c["name"]) == key for c in credits):
        credits.append({"name": name, "role": role})


def _add_author(authors: list[str], name: str) -> None:
    if not any(same_person(name, other) for other in authors):
        authors.append(name)


def _read(text: str, *, line: bool, sites: frozenset) -> Byline | None:
    """The byline in ``text``; with ``line``, None unless the text is a byline or credit
    line (it starts with a byline or credit phrase, or is a "... contributed" credit)."""
    strict = line
    authors: list[str] = []
    credits: list[dict] = []
    found_any = False

    def organisations_in(fragment: str) -> None:
        for part in re.split(r"\s*[-–—/،,]\s*", fragment):
            got = _classify(part, False, sites)
            if got and got[0] in ("agency", "outlet", "organisation"):
                _add_credit(credits, got[1], got[0])

    # "(أبوظبي - البيان)", "(Reuters)": a dateline city and a source, never a person
    for inner in PARENS.findall(text):
        organisations_in(inner)
    text = PARENS.sub(" ", text)
    for s_index, segment in enumerate(SEGMENTS.split(text)):
        pieces = [p for p in DASH_PIECES.split(segment) if p.strip()]
        if not pieces:
            continue
        for later in pieces[1:]:  # "X - Damascus", "Jane Doe — Levant Wire": not people
            organisations_in(later)
        role = AUTHOR_ROLE
        for c_index, clause in enumerate(c for c in pieces[0].split(";") if c.strip()):
            lead, rest = _role_of(clause)
            first = s_index == 0 and c_index == 0
            if lead is None and line:
                contributed = CONTRIBUTED.match(clause.strip())
                posted = POSTED_BY.match(clause) if first else None
                if contributed:
                    lead, rest = "additional-reporting", contributed.group("names")
                elif posted and (posted.group("head").lower().startswith(
                        ("posted", "published", "written", "updated"))
                        or is_date_line(posted.group("head"))):
                    lead, rest = AUTHOR_ROLE, posted.group("names")
                elif first:
                    return None
            role = lead or role
            outlet = FOR_TAIL.search(rest)
            if outlet:
                organisations_in(outlet.group("org"))
                rest = rest[:outlet.start()]
            if line and len(WORD.findall(rest)) > 14:
                return None
            for piece in split_names(rest):
                got = _classify(piece, strict, sites)
                if got is None:  # no name: a sentence ("By the end of the week, ...")
                    if line and (first and not found_any or len(piece.split()) > 3):
                        return None
                    continue
                found_any = True
                kind, name = got
                if kind == "person":
                    if role == AUTHOR_ROLE:
                        _add_author(authors, name)
                    else:
                        _add_credit(credits, name, role)
                elif kind != "junk":  # an agency's photos are a photo credit
                    _add_credit(credits, name,
                                kind if role in (AUTHOR_ROLE, "source") else role)
    if line and not (found_any or authors or credits):
        return None
    if any(len(a.split()) > 1 for a in authors):  # "Jane Doe, Beirut": a place, not a person
        authors = [a for a in authors if len(a.split()) > 1]
    return Byline(authors, credits)


def read_names(raw, sites=()) -> Byline:
    """Authors and credits in a byline value (a meta tag, a JSON-LD name, a byline element);
    ``raw`` may be a list.  ``sites``: the page's own names (its outlet)."""
    site_keys = frozenset(name_key(s) for s in sites if s)
    authors: list[str] = []
    credits: list[dict] = []
    for value in raw if isinstance(raw, (list, tuple)) else [raw]:
        if value is None:
            continue
        got = _read(_clean_text(value), line=False, sites=site_keys)
        for name in got.authors:
            _add_author(authors, name)
        for credit in got.credits:
            _add_credit(credits, credit["name"], credit["role"])
    return Byline(authors, credits)


def normalize_authors(raw: str | list | None) -> list[str]:
    """Person names in a byline: prefixes removed, split on "and" / "," / "و", junk,
    agencies and outlets dropped.

    >>> normalize_authors("By Jane Doe and John Roe")
    ['Jane Doe', 'John Roe']
    >>> normalize_authors("Email the author")
    []
    """
    return read_names(raw).authors


def read_line(line: str, sites=()) -> Byline | None:
    """The byline or credit line ``line`` ("By A and B", "Reporting by A; Editing by B",
    "بقلم ...", "Additional reporting by C", "D contributed to this report"), or None when
    it is text."""
    if _more_words_than(line, 40):  # text (most paragraphs end here, at no cost)
        return None
    head = line.lstrip(BULLETS + "\u200f\u200e")
    lower = head[:300].lower()
    rules = _rules()
    if not (rules.prefix.match(head) or rules.role.match(head) or head.startswith(("(", "（"))
            or " by " in lower or "contributed" in lower):
        return None  # no byline or credit can start so
    text = " ".join(_clean_text(line).split()).strip(BULLETS).strip()
    if not text or _more_words_than(text, 30):
        return None
    return _read(text, line=True, sites=frozenset(name_key(s) for s in sites if s))


def same_person(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` written again, perhaps misspelt ("Jane Doe" / "Jnae Doe",
    "Ali Kassem" / "ali kassem"): the same number of words, each starting with the same
    letter, and the two names alike overall."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    wa, wb = name_key_words(a), name_key_words(b)
    if len(wa) != len(wb) or any(x[0] != y[0] for x, y in zip(wa, wb)):
        return False
    if any(SequenceMatcher(None, x, y).ratio() < 0.6 for x, y in zip(wa, wb)):
        return False
    return SequenceMatcher(None, ka, kb).ratio() >= 0.8


def name_key_words(name: str) -> list[str]:
    return [k for k in (name_key(w) for w in name.split()) if k]


# ----------------------------------------------------------------------- date stamps
YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\d{1,2}:\d{2}")
DATE_SHAPE = re.compile(r"\d{1,2}:\d{2}|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(19|20)\d{2}\b")


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


# ----------------------------------------------------------------------- datelines
# The one dateline rule: a place opening a story's first paragraph (or a wire copy's
# paragraph), before a dash.  Three forms:
#   ALEPPO –  /  IDLIB, Syria (Reuters) —  /  DAMASCUS, March 3 (AFP) –  /  HOMS:
#        a place in capitals, perhaps a region or date after a comma and a source in
#        brackets, then a dash (or a colon);
#   Beirut (Agency) -  /  Idlib, Syria (Levant Wire) —
#        a place in title case, only with a source in brackets;
#   دمشق -  /  دمشق (سانا) –
#        one to three Arabic words, perhaps a source in brackets, then a dash.
# A hyphen needs a space on one side ("DEIR EZ-ZOR" is one place).  What follows starts
# like a sentence.
_CAPS = r"[A-Z][A-Z.'’\-]+(?:[ \t]+[A-Z][A-Z.'’\-]+){0,3}"
_TITLE = r"[A-Z][A-Za-z.'’\-]+(?:[ \t]+[A-Z][A-Za-z.'’\-]+){0,3}"
_REGION = r"(?:[ \t]*,[ \t]*[A-Z][\w.'’\-]*(?:[ \t]+[A-Z\d][\w.'’\-]*){0,2})?"
_SOURCE = r"[ \t]*\([^()\n]{1,40}\)"
_ARABIC = r"[\u0600-\u06ff]+(?:[ \t]+[\u0600-\u06ff]+){0,2}"
_DASH = r"(?:[ \t]*[—–][ \t]*|[ \t]+--?[ \t]*|[ \t]*--?[ \t]+)"
DATELINE_RE = re.compile(
    r"^[ \t]*(?:"
    rf"(?P<caps>{_CAPS}{_REGION}(?:{_SOURCE})?)(?:{_DASH}|[ \t]*:[ \t]+)"
    rf"|(?P<title>{_TITLE}{_REGION}{_SOURCE}){_DASH}"
    rf"|(?P<arabic>{_ARABIC}(?:{_SOURCE})?){_DASH}"
    r")(?=[A-Z0-9\"“‘'(\u0600-\u06ff])", re.MULTILINE)


def find_dateline(paragraph: str) -> str | None:
    """The dateline opening ``paragraph`` as printed ("ALEPPO –", "IDLIB, Syria (Reuters) —",
    "دمشق -"), or None.  A place in capitals needs three capital letters; an Arabic one a
    paragraph of more than eight words after it."""
    m = DATELINE_RE.match(paragraph)
    if not m:
        return None
    if m.group("caps"):
        head = m.group("caps").split(",")[0].split("(")[0]
        if len(re.sub(r"[^A-Z]", "", head)) < 3:
            return None
    elif m.group("arabic") and len(WORD.findall(paragraph)) <= 8:
        return None
    return m.group(0).strip()


def strip_datelines(text: str) -> str:
    """``text`` without the datelines opening its lines (another outlet may put an editor's
    note above the wire copy, so every line is looked at)."""
    return DATELINE_RE.sub("", text or "")
