"""Stage 2: clean the extracted text.

Two pure functions do the work, both generic (no site-specific rules):

* :func:`prune_tree` runs *before* extraction (called by ``pipelines.extract``) and drops
  page parts that are never article text: share/follow rows, comment sections and forms,
  newsletter and cookie boxes, related/recent lists, captions and credits, read-time
  labels, tag lists — recognised by class/id/role/aria words and by structure.
* :func:`clean` runs *after* extraction, line by line: it drops boilerplate lines by the
  phrase families in ``pipelines/data/boilerplate.toml`` (English and Arabic), the title
  repeated in the text, date-only lines and the source's learned repeated lines; it moves
  in-text bylines to ``authors`` and records the dateline (which stays in the text).

:class:`CleanPipeline` also *learns* each source's repeated lines: it counts every
paragraph's :func:`line_key` per source in the archive (``archive/boilerplate.py``) and
drops the keys that recur in many of that source's articles.
"""

from __future__ import annotations

import logging
import re
import weakref
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from itemadapter import ItemAdapter
from lxml import etree

from .base import drop
from .ahead import take
from .pool import Pool, call

try:  # the metadata stage's list of what is not a person's name ("Email the author", ...)
    from .metadata import is_junk_author
except ImportError:  # pragma: no cover - depends on the other module's progress
    def is_junk_author(name: str) -> bool:
        return False

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data" / "boilerplate.toml"
WORD = re.compile(r"\w+")


@lru_cache(maxsize=None)
def _more_than(limit: int) -> re.Pattern:
    # matches (at the start) a text of more than ``limit`` WORDs: possessive, so each word
    # is taken whole and the text is read only as far as word limit + 1
    return re.compile(r"(?:\W*+\w++){%d}" % (limit + 1))


def _more_words_than(text: str, limit: int) -> bool:
    """``len(WORD.findall(text)) > limit``, without making the words of a long text."""
    return _more_than(limit).match(text) is not None


# ----------------------------------------------------------------------- phrase families
@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def families() -> dict:
    """The phrase families of boilerplate.toml, compiled: name -> (max_words, full, start, suffix)."""
    out = {}
    for name, fam in _data()["lines"].items():
        flags = re.IGNORECASE
        # Arabic diacritics and tatweel are ignored on both sides ("تعليقاً" = "تعليقا")
        full = [re.compile(f"(?:{_plain(p)})", flags) for p in fam.get("full", [])]
        start = [re.compile(f"(?:{_plain(p)})", flags) for p in fam.get("start", [])]
        suffix = [re.compile(rf"\s*(?:{p})\s*$", flags) for p in fam.get("suffix", [])]
        out[name] = (int(fam.get("max_words", 12)), full, start, suffix)
    return out


@lru_cache(maxsize=1)
def _most_words() -> int:
    """No phrase family is looked for in a line of more words than this."""
    return max((max_words for max_words, _f, _s, _x in families().values()), default=0)


@lru_cache(maxsize=None)
def _any_family(words: int) -> tuple[re.Pattern, re.Pattern]:
    """The full and the start patterns of the families that look at lines of ``words``
    words, each as one alternation (which matches where one of its parts does): most lines
    are told apart from them all at once."""
    fams = [fam for fam in families().values() if words <= fam[0]]
    return _alternation(tuple(p.pattern for _m, full, _s, _x in fams for p in full)), \
        _alternation(tuple(p.pattern for _m, _f, start, _x in fams for p in start))


@lru_cache(maxsize=None)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _suffixes() -> tuple[tuple[re.Pattern, re.Pattern], ...]:
    """(the suffix without its leading spaces, the suffix) for every family's suffixes: a
    line the first is not found in cannot end in the second, which is slower to look for."""
    # (families() compiles each suffix as \s*(?:...)\s*$)
    return tuple((re.compile(p.pattern.removeprefix(r"\s*"), p.flags), p)
                 for _max, _full, _start, suffix in families().values() for p in suffix)


BULLETS = " \t\u00a0•·▪►▶»>|*-–—:;,.![]"


def _plain(text: str) -> str:
    """Arabic diacritics and tatweel removed and alef/ta marbuta/ya forms folded."""
    if not ARABIC_BLOCK.search(text):  # most lines of English articles
        return text
    text = ARABIC_MARKS.sub("", text)
    for old, new in ARABIC_FOLD:  # (no output is itself folded: the order does not matter)
        if old in text:
            text = text.replace(old, new)
    return text


def _trimmed(line: str) -> str:
    return _plain(" ".join(line.split())).strip(BULLETS).strip()


def boilerplate_family(line: str) -> str | None:
    """The name of the phrase family ``line`` belongs to, or None if it is article text."""
    text = _trimmed(line)
    if not text:
        return "empty"
    if _more_words_than(text, _most_words()):  # article text, too long for any family
        return None
    words = len(WORD.findall(text))
    any_full, any_start = _any_family(words)
    if not (any_full.fullmatch(text) or any_start.match(text)):
        return None
    for name, (max_words, full, start, _suffix) in families().items():
        if words > max_words:
            continue
        if any(p.fullmatch(text) for p in full) or any(p.match(text) for p in start):
            return name
    return None


def strip_suffixes(line: str) -> str:
    """Remove widget text glued to the end of a line ("… Click To Tweet")."""
    for bare, pattern in _suffixes():
        if bare.search(line):
            line = pattern.sub("", line)
    return line


# ----------------------------------------------------------------------- prune_tree
# What names a page part that is never article text: see [page] in boilerplate.toml.
_PAGE = _data()["page"]
PRUNE_WORDS = frozenset(_PAGE["words"])
PRUNE_PAIRS = frozenset(tuple(pair.split()) for pair in _PAGE["pairs"])
PRUNE_TAGS = frozenset(_PAGE["tags"])
PRUNE_ROLES = frozenset(_PAGE["roles"])
DECK_WORDS = frozenset(_PAGE["deck_words"])
# WordPress marks an article with "tag-<slug>" / "category-<slug>" classes: not tag lists.
WP_TERM_CLASS = re.compile(r"^(?:tag|category|format|post)-[\w-]+$")
SPLIT_CLASS = re.compile(r"(?<=[a-z])(?=[A-Z])|[\s_\-:]+")
PROTECTED_TAGS = {"html", "body", "main", "article", "h1"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
STOP_HEADING_FAMILIES = {"read_more", "comment_prompt", "tags", "newsletter", "follow_share"}


@lru_cache(maxsize=8192)
def _tokens(value: str) -> tuple[str, ...]:
    value = " ".join(v for v in value.split() if not WP_TERM_CLASS.match(v))
    return tuple(t.lower() for t in SPLIT_CLASS.split(value) if t)


@lru_cache(maxsize=8192)
def _names_boilerplate(value: str) -> bool:
    tokens = _tokens(value)
    return any(t in PRUNE_WORDS for t in tokens) or any(
        pair in PRUNE_PAIRS for pair in zip(tokens, tokens[1:]))


@lru_cache(maxsize=8192)
def _names_deck(value: str) -> bool:
    return any(t in DECK_WORDS for t in _tokens(value))


def is_boilerplate_element(el) -> bool:
    """True if ``el``'s tag, role, aria label, class or id names a non-article page part."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in PRUNE_TAGS:
        return True
    attrib = el.attrib
    if not attrib:
        return False
    if (attrib.get("role") or "").lower() in PRUNE_ROLES:
        return True
    value = " ".join(filter(None, (attrib.get("class"), attrib.get("id"), attrib.get("aria-label"))))
    return bool(value) and _names_boilerplate(value)


LIVE_BLOG = re.compile(r"live-?blog|live-?updates?|live-?coverage|LiveBlogPosting", re.IGNORECASE)
# every LIVE_BLOG match holds a "v" and no space, so only class values with a "v" can match
LIVE_BLOG_CLASSES = etree.XPath('(//@class)[position() <= 2000][contains(translate(., "V", "v"), "v")]')


def _is_live_blog(tree) -> bool:
    scripts = " ".join(tree.xpath('//script[contains(@type, "ld+json")]/text()'))
    return bool(LIVE_BLOG.search(scripts) or LIVE_BLOG.search(" ".join(LIVE_BLOG_CLASSES(tree))))


class _Paragraphs:
    """Text length (spaces collapsed) and word count of <p>s, each measured once and
    measured again after an element inside it was removed (so remove through here)."""

    def __init__(self):
        self._lengths: dict = {}
        self._words: dict = {}

    @staticmethod
    def _text(p) -> str:
        try:
            return p.text_content() or ""
        except ValueError:
            return ""

    def length(self, p) -> int:
        found = self._lengths.get(p)
        if found is None:
            found = self._lengths[p] = len(" ".join(self._text(p).split()))
        return found

    def words(self, p) -> int:
        found = self._words.get(p)
        if found is None:
            found = self._words[p] = len(WORD.findall(self._text(p)))
        return found

    def remove(self, el) -> None:
        for p in el.iterancestors("p"):
            self._lengths.pop(p, None)
            self._words.pop(p, None)
        _remove(el)


def _article_words(article, paragraphs: _Paragraphs, nested: bool = False) -> int:
    """Words of <p> text in ``article`` (outside the <article>s nested in it, unless
    ``nested``)."""
    return sum(paragraphs.words(p) for p in article.iter("p")
               if nested or next(p.iterancestors("article")) is article)


def _is_link_list(lst) -> bool:
    items = [li for li in lst if isinstance(li.tag, str) and li.tag == "li"]
    if len(items) < 2:
        return False
    for li in items:
        if next(li.iter("a"), None) is None:  # no link: not a link's item
            return False
        text = " ".join((li.text_content() or "").split())
        links = " ".join(" ".join((a.text_content() or "").split()) for a in li.iter("a"))
        if not text or len(links) < 0.9 * len(text):
            return False
    return True


def _is_deck(el) -> bool:
    value = " ".join(filter(None, (el.get("class"), el.get("id"))))
    return bool(value) and _names_deck(value)


def _text_len(el) -> int:
    try:
        return len(" ".join((el.text_content() or "").split()))
    except ValueError:
        return 0


def _remove(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# What prune_tree looks at, in document order: the <p>s, the elements of PRUNE_TAGS and the
# attribute values that may name a part to drop (an element comes before its attributes,
# its attributes before its children).
PRUNE_SCAN = etree.XPath(" | ".join(
    [f"descendant-or-self::node()/@{name}" for name in ("class", "id", "aria-label", "role")]
    + [f"descendant-or-self::{tag}" for tag in sorted(PRUNE_TAGS | {"p"})]))
# a class/id/aria value without any of these tokens names neither boilerplate nor a deck
HINT_WORDS = PRUNE_WORDS | DECK_WORDS | {word for pair in PRUNE_PAIRS for word in pair}
NEVER_PRUNED = {"script", "style", "head", "meta", "link", "title"}


@lru_cache(maxsize=8192)
def _may_name_part(value: str) -> bool:
    return value.lower() in PRUNE_ROLES or not HINT_WORDS.isdisjoint(_tokens(value))


def prune_tree(tree, options: dict | None = None) -> None:
    """Pure: drop page parts that are never article text from the lxml ``tree``, in place.

    Generic: by tag (forms, captions, buttons, nav), ARIA role, words in class/id/aria
    (share, comments, newsletter, cookie, related, caption, credit, read-time, tags, ads)
    and structure (a "Related" / "Comments" heading and what follows it).  A part that
    holds the headline or most of the page's paragraph text is never dropped, so a
    page-wide ``<form>`` or an article tagged ``class="… social …"`` survives.
    ``options["drop_selectors"]`` (CSS) are dropped first, unconditionally.
    """
    if tree is None:
        return
    for selector in (options or {}).get("drop_selectors") or ():
        try:
            found = tree.cssselect(selector)
        except Exception:  # a bad selector in sources.toml must not stop extraction
            logger.warning("bad drop_selector %r", selector)
            continue
        for el in found:
            _remove(el)
    scan = PRUNE_SCAN(tree)
    paragraphs = _Paragraphs()
    total = sum(paragraphs.length(p) for p in scan if not isinstance(p, str) and p.tag == "p") or 1

    def protected(el) -> bool:
        if el.tag in PROTECTED_TAGS or el.getparent() is None:
            return True
        if el.tag in ("form", "div", "section", "span") and next(el.iter("h1"), None) is not None:
            return True
        p_text = sum(paragraphs.length(p) for p in el.iter("p"))
        return p_text > 0.5 * total and p_text > 600

    # Which parts go depends only on the page as it is now (a part's own content, the
    # page's paragraph text, and for decks: whether it comes before the first long
    # paragraph), so all are chosen first, in document order, and then removed.
    in_body = False  # past the first long paragraph of the page
    doomed: dict = {}  # an ordered set
    seen = set()
    for found in scan:
        if isinstance(found, str):
            if not _may_name_part(found):
                continue
            el = found.getparent()
        else:
            el = found
            if el.tag == "p":
                in_body = in_body or paragraphs.words(el) >= 30
                continue
        if el in seen or el.getparent() is None or el.tag in NEVER_PRUNED:
            continue
        seen.add(el)
        if doomed and any(a in doomed for a in el.iterancestors()):
            continue  # goes with a part already chosen
        if (is_boilerplate_element(el) or not in_body and _is_deck(el)) and not protected(el):
            doomed[el] = None
    for el in doomed:
        paragraphs.remove(el)
    # structure: when the <article> holding the headline has a body of its own, every
    # other <article> of the page is another story (a card, the next story of an
    # endless scroll, or broken markup that swallowed them); an <article> nested in a
    # story and shorter than it is a card too.  Not on live blogs, whose updates are
    # <article>s of one story.
    articles = tree.xpath("//article[not(ancestor::article)]")
    if articles and _is_live_blog(tree):
        articles = []
    main = [a for a in articles
            if next(a.iter("h1"), None) is not None and _article_words(a, paragraphs) >= 80]
    for outer in articles:
        own = _article_words(outer, paragraphs)
        for el in outer.xpath(".//article"):
            if el.getparent() is not None and own >= 50 \
                    and _article_words(el, paragraphs, nested=True) < own:
                paragraphs.remove(el)
        if main and outer is not main[0] and outer.getparent() is not None:
            paragraphs.remove(outer)
    # structure: a list whose every item is one link is a list of other stories
    for lst in list(tree.iter("ul", "ol")):
        if lst.getparent() is not None and _is_link_list(lst) and not protected(lst):
            paragraphs.remove(lst)
    # structure: a "Related" / "Comments" / "Tags" heading ends the article part it sits in
    for head in list(tree.iter(*HEADINGS)):
        if head.getparent() is None:
            continue
        text = " ".join((head.text_content() or "").split())
        if not text or len(text) > 60 or boilerplate_family(text) not in STOP_HEADING_FAMILIES:
            continue
        following = list(head.itersiblings())
        if sum(_text_len(s) for s in following) > 0.3 * total and total > 1000:
            _remove(head)
            continue
        for sibling in following:
            _remove(sibling)
        _remove(head)


# ----------------------------------------------------------------------- line keys
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
ARABIC_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"))
ARABIC_BLOCK = re.compile("[\u0610-\u06ff]")  # holds every mark and letter above


def line_key(line: str) -> str:
    """A normalised key of a line, equal for lines that differ only in case, punctuation,
    spacing or Arabic diacritics/letter variants.  Used to learn a source's repeated lines.
    (Digits are kept: "12 killed in Idlib" and "15 killed in Idlib" are different news.)"""
    text = _plain(unicodedata.normalize("NFKC", line or "").casefold())
    return " ".join(WORD.findall(text))[:300]


# ----------------------------------------------------------------------- dates, bylines
MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro "
    "enero febrero marzo mayo junio julio septiembre octubre noviembre diciembre "
    "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الثاني الأول الاول"
).split()
MONTH_SET = frozenset(MONTHS)
DATE_WORDS = set(MONTHS) | set(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun segunda terça quarta quinta sexta feira sábado domingo "
    "am pm a m p gmt utc est edt pst pdt cst cdt bst cet cest ist et pt "
    "published updated posted last modified on at de às a the date time ago hours hour minutes "
    "min mins h hrs day days today yesterday st nd rd th "
    "الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت الأحد الاحد "
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


# ----------------------------------------------------------------------- clean
TEASER_FAMILIES = {"read_more"}


def _same_as_title(key: str, title_key: str) -> bool:
    if not key or not title_key:
        return False
    if key == title_key:
        return True
    shorter, longer = sorted((key, title_key), key=len)
    return len(shorter) >= 0.7 * len(longer) and longer.startswith(shorter)


def clean(doc: dict, options: dict | None = None, learned_lines: frozenset = frozenset()) -> dict:
    """Pure: a copy of ``doc`` with boilerplate lines removed.

    Sets ``text`` (paragraphs joined by blank lines), ``authors`` (plus in-text bylines),
    ``dateline`` (kept in the text too), ``word_count`` and ``line_keys`` (the keys of the
    article's lines that survived the phrase families, learned ones included, for learning).
    """
    options = options or {}
    out = dict(doc)
    drop_lines = [re.compile(p) for p in options.get("drop_lines") or ()]
    title_key = line_key(doc.get("title") or "")
    authors = list(doc.get("authors") or [])
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", doc.get("text") or "") if p.strip()]
    kept: list[str] = []
    keys: list[str] = []
    after_teaser = False
    for index, para in enumerate(paragraphs):
        para = strip_suffixes(para)
        key = line_key(para)
        if not key:
            continue
        is_item = para.startswith(("- ", "• ", "* "))
        if after_teaser and is_item:
            continue
        after_teaser = False
        if _same_as_title(key, title_key) and (index < 4 or key == title_key):
            continue
        family = boilerplate_family(para)
        if family:
            after_teaser = family in TEASER_FAMILIES
            continue
        names = byline_names(para)
        if names is not None:  # a byline: its people become authors, the line goes
            authors.extend(names)
            continue
        if is_date_line(para):
            continue
        if any(p.search(para) for p in drop_lines):
            continue
        keys.append(key)
        kept.append(para)
    # words per paragraph: the words of paragraphs joined by spaces or blank lines add up
    counts = [len(WORD.findall(p)) for p in kept]
    if learned_lines:
        # a source's repeated lines go, unless they are most of the article (the same
        # story fetched again, or a source whose pages are all alike): then keep all
        unlearned = [(p, n) for p, k, n in zip(kept, keys, counts) if k not in learned_lines]
        if sum(n for _p, n in unlearned) >= 0.5 * sum(counts):
            kept = [p for p, _n in unlearned]
            counts = [n for _p, n in unlearned]
    seen, unique = set(), []
    for name in authors:
        folded = " ".join(name.casefold().split())
        if folded and folded not in seen:
            seen.add(folded)
            unique.append(name)
    out["authors"] = unique
    out["text"] = "\n\n".join(kept)
    out["dateline"] = next(filter(None, map(find_dateline, kept[:2])), None)
    out["word_count"] = sum(counts)
    out["line_keys"] = keys
    return out


# ----------------------------------------------------------------------- pipeline
# lines longer than this are never counted as a source's template text
LEARN_MAX_WORDS = 60


def learnable(doc: dict) -> tuple[list[str], dict[str, str]]:
    """Pure: the keys of a cleaned article's lines that count towards its source's
    boilerplate, and an example line for each key (what the clean stage records)."""
    examples = {}
    for line in re.split(r"\n\s*\n", doc.get("text") or ""):
        if len(WORD.findall(line)) <= LEARN_MAX_WORDS:
            examples.setdefault(line_key(line), line)
    keys = [k for k in doc.get("line_keys") or () if len(k.split()) <= LEARN_MAX_WORDS]
    return keys, examples


class LearnedLines:
    """Each source's learned boilerplate keys, read from the archive: cached, re-read
    every ``refresh`` look-ups of that source (this is a hot path).  One per crawl
    (:meth:`for_crawler`), shared by the clean stage and the analyse stage, which passes
    them to :func:`clean` in its worker call."""

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, db, min_articles: int = 20, share: float = 0.3, refresh: int = 25):
        self.db = db
        self.min_articles = max(1, min_articles)
        self.share = share
        self.refresh = max(1, refresh)
        self._learned: dict[str, frozenset] = {}
        self._until_refresh: dict[str, int] = {}

    @classmethod
    def for_crawler(cls, crawler) -> "LearnedLines":
        learned = cls._by_crawler.get(crawler)
        if learned is None:
            from newsarchive.archive.access import Archive

            settings = crawler.settings
            learned = cls(Archive.for_crawler(crawler).db,
                          min_articles=settings.getint("NEWSARCHIVE_LEARN_MIN_ARTICLES", 20),
                          share=settings.getfloat("NEWSARCHIVE_LEARN_SHARE", 0.3),
                          refresh=settings.getint("NEWSARCHIVE_LEARN_REFRESH", 25))
            cls._by_crawler[crawler] = learned
        return learned

    def get(self, source: str) -> frozenset:
        """The learned boilerplate keys of ``source``."""
        from newsarchive.archive import boilerplate

        left = self._until_refresh.get(source, 0)
        if source not in self._learned or left <= 0:
            try:
                learned = boilerplate.learned_keys(self.db, source, self.min_articles, self.share)
                if len(learned) != len(self._learned.get(source, ())):
                    logger.info("%s: %d learned boilerplate lines", source, len(learned))
                self._learned[source] = learned
            except Exception:  # learning is an optimisation; never lose the article over it
                logger.warning("could not read learned lines of %s", source, exc_info=True)
                self._learned.setdefault(source, frozenset())
            left = self.refresh
        self._until_refresh[source] = left - 1
        return self._learned[source]


class CleanPipeline:
    """Clean each item's text; learn each source's repeated lines in the archive.

    After cleaning, the keys of the article's lines are counted per source
    (``archive/boilerplate.py``); keys recurring in at least ``NEWSARCHIVE_LEARN_SHARE``
    of a source's articles, once ``NEWSARCHIVE_LEARN_MIN_ARTICLES`` were seen, are passed
    to :func:`clean` as ``learned_lines`` (:class:`LearnedLines`).  An item the analyse
    stage cleaned ahead (``pipelines/analyse.py``) is only checked and learned from here.
    """

    def __init__(self, db, min_articles: int = 20, share: float = 0.3, refresh: int = 25,
                 source_options: dict | None = None, stats=None, min_words: int = 0,
                 learned: LearnedLines | None = None):
        self.db = db
        self.stats = stats
        self.min_words = min_words
        self.source_options = source_options or {}
        self.learned = learned or LearnedLines(db, min_articles, share, refresh)
        self.pool = None  # pipelines.pool.Pool (from_crawler sets it): clean() runs there

    @classmethod
    def from_crawler(cls, crawler):
        from newsarchive.archive.access import Archive

        from .extract import SourceOptions

        settings = crawler.settings
        pipeline = cls(
            Archive.for_crawler(crawler).db,
            source_options=SourceOptions(crawler),
            stats=crawler.stats,
            min_words=settings.getint("NEWSARCHIVE_MIN_WORDS", 0),
            learned=LearnedLines.for_crawler(crawler),
        )
        pipeline.pool = Pool.for_crawler(crawler)
        return pipeline

    def close_spider(self):
        from newsarchive.archive import boilerplate

        try:
            forgotten = boilerplate.forget_rare_lines(self.db)
            logger.debug("forgot %d one-off lines", forgotten)
        except Exception:  # housekeeping only
            logger.warning("could not forget one-off boilerplate lines", exc_info=True)

    def learned_lines(self, source: str) -> frozenset:
        """The learned boilerplate keys of ``source`` (cached, refreshed every K items)."""
        return self.learned.get(source)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        source = adapter.get("source") or ""
        options = self.source_options.get(source) or {"name": source}
        ahead = take(adapter, "clean")
        if ahead is not None:
            return self._learn(item, ahead)
        doc = {k: adapter.get(k) for k in ("title", "text", "authors", "dateline", "language")}

        def failed(exc):  # a cleaning bug must not stop the crawl
            logger.warning("cleaning failed for %s: %r", adapter.get("url"), exc)
            raise drop(self.stats, source, "failed", "clean-error", adapter.get("url") or "") from None

        # clean() in a worker process when the crawl has them (then this returns an
        # awaitable); learning -- the archive's line counts -- stays here, on the connection
        return call(self.pool, clean, (doc, options, self.learned_lines(source)),
                    lambda cleaned: self._learn(item, cleaned), failed)

    def _learn(self, item, doc: dict):
        from newsarchive.archive import boilerplate

        adapter = ItemAdapter(item)
        source = adapter.get("source") or ""
        if doc["word_count"] < self.min_words:  # the page was mostly boilerplate
            raise drop(self.stats, source, "not_article", "not-article",
                       f"{doc['word_count']} words left after cleaning {adapter.get('url')}")
        for key in ("text", "authors", "dateline", "word_count"):
            adapter[key] = doc[key]
        keys, examples = doc.get("learn") or learnable(doc)
        try:
            boilerplate.record_lines(self.db, source, keys, examples)
        except Exception:  # learning is an optimisation; never lose the article over it
            logger.warning("could not record the lines of %s", adapter.get("url"), exc_info=True)
        return item
