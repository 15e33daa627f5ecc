"""Stage 3: tag places, actors, events and a Syria-conflict topic score.

``tag(title, text, language=None)`` is pure and fast: the text is tokenised once, then
one walk over the tokens finds event triggers and one finds places, actors and terms, each
with dictionary look-ups in a token trie (about 2-4 ms for a 1,000-word article; the data is
loaded once per process).  It returns::

    {"places": [...], "actors": [...], "events": [...], "topic_score": 0.0-1.0}

Data (all in ``pipelines/data``, each file says where its facts come from):

* ``places.csv``   the Syria gazetteer (built by ``build_places.py`` from GeoNames and
  ``places_curated.csv``); ``load_gazetteer()`` returns its rows.
* ``actors.toml``  conflict actors with English and Arabic aliases.
* ``events.toml``  ACLED-style event types and their trigger phrases.
* ``topic_terms.toml``  Syria and conflict vocabulary for the topic score.

Matching
    Text is folded once (accents, apostrophes, possessive 's, Arabic normalisation from
    ``pipelines.arabic``) and cut into tokens; Latin tokens are lower-cased and the article
    forms al-/el-/ad-/as-/ash-/ar-/at-/az-/an- become "al".  A trie over token sequences
    finds the longest alias starting at each token, so "Hamas" never yields Hama and "Homs"
    is never found inside a word.  Arabic tokens are also tried without the attached clitics
    و ف ب ك ل / وال بال لل (``وإدلب``, ``بحلب``, ``للرقة``).
    Rules against false hits:
      - a Latin place name must have a capital letter in the text ("tell" is not Tell);
      - short one-word place names (up to five Latin or three Arabic letters, except cities)
        count only when the article has other Syrian evidence;
      - spellings that are also common words are either blocked in the data ("Bab",
        "الثورة") or marked "~" and then need a place word before them ("مدينة الباب",
        "town of al-Bab");
      - actor acronyms (SDF, HTS, SAA ...) must be written in capitals, and like the short
        place names they count only next to other Syrian evidence (the FSA is also the UK
        Food Standards Agency, the SDF also Japan's Self-Defense Forces);
      - phrases that contain a Syrian name but are about something else ("Wadi Hauran" in
        Iraq, "Aleppo soap", "حماة الديار") are read as one phrase that counts for nothing;
      - names and triggers that mean something else too ("دوما" is also "always",
        "التحالف الدولي" also the coalition in Yemen, "السيطرة على الوباء" controls an
        epidemic, "موسكو 1958" is a biography's city) count only in the context that
        ``data/ambiguous.toml`` gives each of them, with its reason.

Topic score
    Every hit carries a weight: Syrian places, Syria-specific actors and Syria terms
    ("Syria", "Syrian", "Assad", "سوريا", "سورية" ...) count 1; international actors
    (Russia, Iran, the UN ...) and general conflict words count 0.3, and together at most
    half of the Syrian evidence, so an article about another war is not lifted by them.
    Hits in the title count three times.  The evidence per 100 words (texts shorter than
    150 words count as 150) gives ``score = 1 - exp(-density / 2)``; a long report that
    names at least three different Syrian places/actors/terms scores at least
    ``1 - exp(-syrian_evidence / 10)`` however long it is.  The score is then
    multiplied by 0.55 when only one distinct Syrian entity is named (a passing "Syria") and
    by 0.5 when nothing conflict-related is present (no event, no conflict word, no actor
    other than a state's bare name: "Syria beat Iran" is a football result).  An article
    whose only Syrian evidence is the word "Syria" and that is not about conflict therefore
    stays below 0.55 * 0.5 = 0.275 however often it says "Syria".

    The crawl keeps an article scoring at least ``NEWSARCHIVE_TOPIC_THRESHOLD`` (default 0.3;
    crawler/settings.py).  README wording: *An article is
    archived when its topic score is at least 0.3.  A 150-word report naming one Syrian
    place and one armed group scores about 0.55; an article on another war that mentions
    Syria once in passing scores under 0.2 (under 0.1 past 500 words); a match report
    on Syria's football team stays under 0.275; sports, business and technology stories
    without Syrian places or actors score 0.*
"""

from __future__ import annotations

import csv
import logging
import math
import re
import tomllib
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .arabic import REMOVED, normalize_arabic, prefix_forms

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
TITLE_WEIGHT = 3.0
GENERIC_WEIGHT = 0.3

# --- text folding and tokens ------------------------------------------------------------------

_APOSTROPHES = "'’‘`ʿʾ´ʼ"
_POSSESSIVE = re.compile(f"[{_APOSTROPHES}](?:s\\b)?")


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFKD", chr(cp))
        base = "".join(ch for ch in base if not unicodedata.combining(ch))
        if base.isascii() and base.isalpha() and base != chr(cp):
            table[cp] = base
    table.update({ord("ı"): "i", ord("ß"): "ss", ord("æ"): "ae", ord("ø"): "o", ord("đ"): "d"})
    return table


_FOLD = _fold_table()
# runs of letters _FOLD changes: translated on their own, as a dict translate of the whole
# text costs a dict look-up per character of text that is mostly without accents
_FOLDABLE = re.compile("[%s]+" % "".join(map(chr, sorted(_FOLD))))
# Latin words keep a trailing hyphen mark so "ash-" can be told from the English "as".
_TOKENS = re.compile(r"([A-Za-z0-9]+)(-?)|([\u0621-\u063a\u0641-\u064a]+)")
# always the Arabic article (the English-looking as/at/an/ad/ar only when hyphenated)
_ARTICLES = {"al", "el", "ul", "ez", "ash", "adh", "ath", "az", "esh", "ech", "ej", "ed",
             "es", "er"}
_HYPHEN_ARTICLES = {"ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en",
                    "er", "es", "esh", "et", "ez", "ech", "ej", "ad", "ud"}


def fold(text: str) -> str:
    """Accents off, apostrophes and possessive 's off, Arabic normalised; case kept."""
    return _FOLDABLE.sub(_fold_run, normalize_arabic(_POSSESSIVE.sub("", text)))


def _fold_run(m: re.Match) -> str:
    return m.group().translate(_FOLD)


class _Tok:
    __slots__ = ("key", "forms", "upper", "latin", "starts")

    def __init__(self, key, forms, upper, latin):
        self.key, self.forms, self.upper, self.latin = key, forms, upper, latin
        # (entity trie nodes, event trie nodes) this token leads to from the root: set by
        # _scan, empty when it starts nothing
        self.starts = None


_TOK_CACHE: dict[tuple, _Tok] = {}


def _make_tok(found: tuple) -> _Tok:
    latin, hyphen, arabic = found
    if latin:
        key = latin.lower()
        if key in _ARTICLES or (hyphen and key in _HYPHEN_ARTICLES):
            key = "al"
        tok = _Tok(key, (key,), latin[0].isupper(), True)
    else:
        tok = _Tok(arabic, prefix_forms(arabic), False, False)
    if len(_TOK_CACHE) < 100_000:
        _TOK_CACHE[found] = tok
    return tok


def tokens(text: str) -> list[_Tok]:
    """Tokens of *text* (folded here) as the tagger sees them."""
    return _toks(_TOKENS.findall(fold(text)))


def _toks(found: list[tuple]) -> list[_Tok]:
    toks = list(map(_TOK_CACHE.get, found))  # most tokens were seen before
    if None in toks:
        toks = [tok or _make_tok(f) for tok, f in zip(toks, found)]
    return toks


def key_of(phrase: str) -> tuple[str, ...]:
    """The token sequence a data-file alias is stored under (``*`` wildcard kept)."""
    star = phrase.rstrip().endswith("*")
    keys = [t.key for t in tokens(phrase.rstrip().rstrip("*"))]
    if star and keys:
        keys[-1] += "*"
    return tuple(keys)


# --- the trie ---------------------------------------------------------------------------------

_END = 0  # payload list
_WILD = 1  # {first three letters of prefix: [(prefix, child)]}


class _Hit:
    __slots__ = ("cat", "name", "weight", "group", "case", "context", "weak", "conflict")

    def __init__(self, cat, name, weight=1.0, group="", case=None, context=False, weak=False,
                 conflict=False):
        self.cat, self.name, self.weight, self.group = cat, name, weight, group
        self.case, self.context, self.weak = case, context, weak
        self.conflict = conflict  # evidence of armed conflict (not just a country's name)


def _insert(trie: dict, key: tuple[str, ...], hit: _Hit) -> None:
    node = trie
    for tok in key:
        if tok.endswith("*") and len(tok) > 3:
            wild = node.setdefault(_WILD, {}).setdefault(tok[:3], [])
            for prefix, child in wild:
                if prefix == tok[:-1]:
                    node = child
                    break
            else:
                child = {}
                wild.append((tok[:-1], child))
                node = child
        else:
            node = node.setdefault(tok, {})
    node.setdefault(_END, []).append(hit)


def _first(trie: dict, tok: _Tok) -> list:
    """The nodes *tok* leads to from the root of *trie*: its forms, then wildcard prefixes."""
    nodes = [trie[form] for form in tok.forms if form in trie]
    wild = trie.get(_WILD)
    if wild:
        nodes += [child for prefix, child in wild.get(tok.key[:3], ()) if tok.key.startswith(prefix)]
    return nodes


def _longest(states: list, toks: list[_Tok], i: int):
    """Longest alias starting at token *i*, given the trie nodes token *i* leads to:
    (end index, [hits]) or None."""
    best = None
    j = i + 1
    for node in states:
        if _END in node:
            best = (j, node[_END])
    n = len(toks)
    while states and j < n:
        key = toks[j].key
        new = []
        for node in states:
            child = node.get(key)
            if child is not None:
                new.append(child)
            wild = node.get(_WILD)
            if wild:
                for prefix, child in wild.get(key[:3], ()):
                    if key.startswith(prefix):
                        new.append(child)
        j += 1
        for node in new:
            if _END in node:
                best = (j, node[_END])
        states = new
    return best


# --- data -------------------------------------------------------------------------------------

_PLACE_WORDS = {
    # English (the token before the name, or the one before "of")
    "town", "city", "village", "villages", "towns", "camp", "area", "district", "outskirts",
    "countryside", "near", "neighbourhood", "neighborhood", "suburb",
    # Arabic, normalised
    "مدينه", "بلده", "قريه", "منطقه", "ريف", "مخيم", "ناحيه", "حي", "بلدات", "قري", "مدن",
    "مدينتي", "بلدتي", "قريتي", "اطراف", "محيط", "مدخل", "معبر", "جبل",
}


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict, ...]:
    rows = []
    with open(DATA / "places.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in reader:
            row["latitude"] = float(row["latitude"])
            row["longitude"] = float(row["longitude"])
            row["variants"] = _split(row["variants"])
            rows.append(row)
    return tuple(rows)


def load_gazetteer() -> list[dict]:
    """Rows of ``data/places.csv`` (read once per process; each call returns fresh copies):
    name, name_ar, governorate, kind, latitude, longitude, geonameid ("" if none),
    variants (every spelling matched, name included; "~" = needs a place word before it),
    source."""
    return [dict(row, variants=list(row["variants"])) for row in _gazetteer()]


@lru_cache(maxsize=1)
def load_actors() -> list[dict]:
    return tomllib.loads((DATA / "actors.toml").read_text(encoding="utf-8"))["actor"]


@lru_cache(maxsize=1)
def load_events() -> list[dict]:
    return tomllib.loads((DATA / "events.toml").read_text(encoding="utf-8"))["event"]


@lru_cache(maxsize=1)
def load_topic_terms() -> list[dict]:
    return tomllib.loads((DATA / "topic_terms.toml").read_text(encoding="utf-8"))["group"]


class _Ambiguous(NamedTuple):
    key: tuple[str, ...]  # the form's tokens (key_of)
    kind: str  # "place", "actor" or "event"
    needs_context: bool
    unless_near: tuple[str, ...]  # token keys; "x*" = starting with x
    unless_next: frozenset
    unless_before: frozenset
    unless_year_before: int | None


CONTEXT_WINDOW = 12  # tokens either side where context is looked for
YEAR_WINDOW = 3


@lru_cache(maxsize=1)
def load_ambiguous() -> dict[str, list[_Ambiguous]]:
    """The ambiguous forms of ``data/ambiguous.toml``, by the key of their first token."""
    out: dict[str, list[_Ambiguous]] = {}
    data = tomllib.loads((DATA / "ambiguous.toml").read_text(encoding="utf-8"))
    for form in data["form"]:
        near = []
        for word in form.get("unless_near", []):
            star = word.endswith("*")
            keys = key_of(word.rstrip("*"))
            near += [k + ("*" if star else "") for k in keys[:1]] if len(keys) == 1 else \
                [" ".join(keys)]
        nxt = set()
        for word in form.get("unless_next", []):
            for k in key_of(word)[:1]:
                nxt.update({k, k[2:] if k.startswith("ال") else "ال" + k})
        before = frozenset(k for word in form.get("unless_before", []) for k in key_of(word))
        for text in form["forms"]:
            key = key_of(text)
            if key:
                out.setdefault(key[0], []).append(_Ambiguous(
                    key, form["kind"], form.get("needs") == "context", tuple(near),
                    frozenset(nxt), before, form.get("unless_year_before")))
    return out


def _span_is(toks: list, i: int, j: int, key: tuple[str, ...]) -> bool:
    return j - i == len(key) and all(
        k == t.key or k in t.forms for k, t in zip(key, toks[i:j]))


def _word_near(toks: list, i: int, j: int, words: tuple[str, ...]) -> bool:
    keys = [form for t in toks[max(0, i - CONTEXT_WINDOW):j + CONTEXT_WINDOW]
            for form in (t.key, *t.forms)]
    text = " " + " ".join(t.key for t in toks[max(0, i - CONTEXT_WINDOW):j + CONTEXT_WINDOW]) + " "
    for word in words:
        if " " in word:
            if f" {word} " in text:
                return True
        elif word.endswith("*"):
            if any(k.startswith(word[:-1]) for k in keys):
                return True
        elif word in keys:
            return True
    return False


def _old_year_near(toks: list, i: int, j: int, before: int) -> bool:
    return any(t.key.isdigit() and len(t.key) == 4 and 1800 <= int(t.key) < before
               for t in toks[max(0, i - YEAR_WINDOW):j + YEAR_WINDOW])


def _evidence(hit: _Hit) -> bool:
    """Syrian or conflict evidence that settles an ambiguous name near it."""
    return (hit.cat == "place" and not hit.weak) or hit.group == "syria" or \
        (hit.cat == "term" and hit.name in ("syria", "conflict"))


def _disambiguate(toks: list, found: list, triggers: list) -> tuple[list, list]:
    """``found`` and ``triggers`` without the hits on ambiguous forms whose condition
    (data/ambiguous.toml) does not hold."""
    rules = load_ambiguous()

    def rule_of(hit, i, j):
        for form in (toks[i].key, *toks[i].forms):
            for rule in rules.get(form, ()):
                kind = "event" if hit.cat == "event" else hit.cat
                if rule.kind == kind and _span_is(toks, i, j, rule.key):
                    return rule
        return None

    def keep(hit, i, j) -> bool:
        rule = rule_of(hit, i, j)
        if rule is None:
            return True
        if rule.unless_near and _word_near(toks, i, j, rule.unless_near):
            return False
        if rule.unless_next and j < len(toks) and (
                toks[j].key in rule.unless_next or not rule.unless_next.isdisjoint(toks[j].forms)):
            return False
        if rule.unless_before and any(
                not rule.unless_before.isdisjoint((t.key, *t.forms)) for t in toks[max(0, i - 3):i]):
            return False
        if rule.unless_year_before and _old_year_near(toks, i, j, rule.unless_year_before):
            return False
        if rule.needs_context:
            if _after_place_word(toks, i):
                return True
            lo, hi = i - CONTEXT_WINDOW, j + CONTEXT_WINDOW
            return any(lo <= a and b <= hi and (a, b) != (i, j) and _evidence(h)
                       and rule_of(h, a, b) is None for h, a, b in found) or \
                any(lo <= a and b <= hi for _h, a, b in triggers)
        return True

    if not any(form in rules for _h, i, _j in found + triggers
               for form in (toks[i].key, *toks[i].forms)):
        return found, triggers
    return ([f for f in found if keep(*f)], [t for t in triggers if keep(*t)])


@lru_cache(maxsize=1)
def _tries() -> tuple[dict, dict]:
    """(entity trie: places, actors, terms; event trie)."""
    entities: dict = {}
    for row in _gazetteer():
        for alias in row["variants"]:
            context = alias.startswith("~")
            key = key_of(alias.lstrip("~"))
            if not key:
                continue
            latin = key[0].isascii()
            weak = (len(key) == 1 and row["kind"] not in ("city", "governorate")
                    and len(key[0]) <= (5 if latin else 3))
            _insert(entities, key, _Hit("place", row["name"], context=context, weak=weak))
    for actor in load_actors():
        weight = 1.0 if actor.get("scope", "syria") == "syria" else GENERIC_WEIGHT
        group = "syria" if weight == 1.0 else "generic"
        conflict = actor.get("kind") != "state"  # "Turkey" may be a football team
        name = actor["name"]
        for alias in [name, *actor.get("aliases", []), *actor.get("ar", [])]:
            _insert(entities, key_of(alias), _Hit("actor", name, weight, group,
                                                  conflict=conflict))
        for alias in actor.get("generic", []):
            _insert(entities, key_of(alias), _Hit("actor", name, GENERIC_WEIGHT, "generic",
                                                  conflict=conflict))
        for alias in actor.get("exact", []):
            _insert(entities, key_of(alias), _Hit("actor", name, weight, group,
                                                  case=_surface(alias), weak=True,
                                                  conflict=conflict))
    for group in load_topic_terms():
        for term in group["terms"]:
            _insert(entities, key_of(term),
                    _Hit("term", group["name"], group["weight"], group["name"],
                         conflict=group["name"] == "conflict"))
    events: dict = {}
    for event in load_events():
        for trigger in [*event.get("en", []), *event.get("ar", [])]:
            _insert(events, key_of(trigger), _Hit("event", event["name"]))
    return entities, events


# --- hits with character spans ---------------------------------------------------------------

class Match(NamedTuple):
    """One hit of ``find``: what was found and where, as a character span of the text given."""

    cat: str  # "place", "actor", "term" or "event"
    name: str  # canonical place or actor name, topic-term group, or event type
    start: int
    end: int
    weak: bool  # short place name or acronym: tag() counts it only next to other Syrian evidence


# Latin letters whose folded form is longer than one letter (ß -> ss)
_EXPANDING = re.compile("[%s]" % "".join(chr(cp) for cp, base in _FOLD.items() if len(base) > 1))


def _origin(text: str):
    """A function from offsets in ``fold(text)`` to offsets in *text*.  Folding deletes
    apostrophes with a possessive s and Arabic marks, and writes a few letters as two; every
    other change is one character for one."""
    edits = [(m.start(), m.end() - m.start(), 0) for m in _POSSESSIVE.finditer(text)]
    if text and normalize_arabic(text) is not text:  # Arabic marks are deleted only there
        edits += [(m.start(), m.end() - m.start(), 0) for m in REMOVED.finditer(text)]
    edits += [(m.start(), 1, len(_FOLD[ord(m.group())])) for m in _EXPANDING.finditer(text)]
    if not edits:
        return lambda offset: offset
    edits.sort()
    starts, deltas = [], []
    delta = 0
    for pos, old, new in edits:
        folded = pos - delta  # where the edit's output starts in the folded text
        delta += old - new
        starts.append(folded + new)
        deltas.append(delta)

    def origin(offset: int) -> int:
        k = bisect_right(starts, offset)
        return offset + (deltas[k - 1] if k else 0)

    return origin


def find(text: str) -> list[Match]:
    """Every place, actor, topic-term and event-trigger hit in *text*, with its character
    span, in order of position.  The matching is ``tag()``'s (same data, same rules for case,
    place words and phrases that count for nothing) on this text alone, except the
    article-level rule for weak hits, which ``Match.weak`` leaves to the caller."""
    text = text or ""
    spans, ents, triggers = _read(text)
    origin = _origin(text)
    out = []
    for hit, i, j in ents + triggers:
        end = origin(spans[j - 1][1] - 1) + 1
        marks = REMOVED.match(text, end)  # a word's last harakat belong to it
        out.append(Match(hit.cat, hit.name, origin(spans[i][0]), marks.end() if marks else end,
                         hit.weak))
    out.sort(key=lambda m: (m.start, m.cat == "event"))
    return out


# --- tagging ----------------------------------------------------------------------------------

def _surface(text: str) -> list[str]:
    """Folded original-case Latin/Arabic words, aligned with ``tokens``."""
    return [a or b for a, _h, b in _TOKENS.findall(fold(text))]


# the last text read and what was found in it: the page function tags a page's text
# (tag()), then the incident reader asks where its hits are (find()), the same matching
# (kept with the tables it was read with: a test may load other tables; one tuple, read
# and replaced whole, so that two threads tagging at once never mix two texts' hits)
_LAST_READ: list = [(None, None, None)]


def _read(text: str):
    """(the character span of each token, entity hits, event trigger hits) of *text*, hits
    as ``_matches`` gives them."""
    tables = _tries()
    last_text, last_tables, last_read = _LAST_READ[0]
    if last_text is text and last_tables is tables:
        return last_read
    entities, events = tables
    found, spans = [], []
    for m in _TOKENS.finditer(fold(text)):
        found.append(m.groups())
        spans.append((m.start(), m.end(1) if m.group(1) else m.end()))
    read = (spans, *_matches(text, _toks(found), entities, events))
    _LAST_READ[0] = (text, tables, read)
    return read


def _scan(text: str):
    """(entity hits in order, event type names in order) for one text."""
    _spans, found, triggers = _read(text)
    return [hit for hit, _i, _j in found], [hit.name for hit, _i, _j in triggers]


def _matches(text: str, toks: list[_Tok], entities: dict, events: dict):
    """(entity hits, event trigger hits) in *toks* (the tokens of *text*), each as
    (hit, first token, end token), in order."""
    for tok in [tok for tok in toks if tok.starts is None]:
        tok.starts = (_first(entities, tok), _first(events, tok))
    # events: their own pass, so a trigger may overlap an actor ("warplanes struck")
    triggers = []
    end = 0
    for i in [i for i, tok in enumerate(toks) if tok.starts[1]]:
        if i < end:  # inside the trigger found before
            continue
        match = _longest(toks[i].starts[1], toks, i)
        if match:
            triggers.extend((hit, i, match[0]) for hit in match[1])
            end = match[0]
    found = []
    surface = None
    end = 0
    for i in [i for i, tok in enumerate(toks) if tok.starts[0]]:
        if i < end:
            continue
        match = _longest(toks[i].starts[0], toks, i)
        if not match:
            continue
        kept = []
        for hit in match[1]:
            if hit.case is not None:
                if surface is None:
                    surface = _surface(text)
                if surface[i:match[0]] != hit.case:
                    continue
            if hit.cat == "place":
                if toks[i].latin and not any(t.upper for t in toks[i:match[0]] if t.key != "al"):
                    continue
                if hit.context and not _after_place_word(toks, i):
                    continue
            kept.append(hit)
        if kept:
            found.append((kept[0] if len(kept) == 1 else _prefer(kept), i, match[0]))
            end = match[0]
    return _disambiguate(toks, found, triggers)


def _prefer(hits: list[_Hit]) -> _Hit:
    for cat in ("actor", "place", "term"):
        for hit in hits:
            if hit.cat == cat:
                return hit
    return hits[0]


def _after_place_word(toks: list[_Tok], i: int) -> bool:
    before = toks[max(0, i - 2):i]
    if before and before[-1].key in ("of", "al") and len(before) == 2:
        before = before[:1]
    elif before:
        before = before[-1:]
    return any(form in _PLACE_WORDS for t in before for form in t.forms)


def _unique(names):
    return list(dict.fromkeys(names))


def tag(title: str, text: str, language: str | None = None) -> dict:
    """Places, actors, events (canonical names, first mention first, title before text)
    and topic_score.  ``language`` is part of the stage contract but not needed: English
    and Arabic names are matched in any article, since articles mix scripts."""
    title_hits, title_events = _scan(title or "")
    body_hits, body_events = _scan(text or "")
    hits = title_hits + body_hits
    strong = any(not h.weak and (h.cat == "place" or h.group == "syria") for h in hits)
    if not strong:
        title_hits = [h for h in title_hits if not h.weak]
        body_hits = [h for h in body_hits if not h.weak]
        hits = title_hits + body_hits
    places = _unique(h.name for h in hits if h.cat == "place")
    actors = _unique(h.name for h in hits if h.cat == "actor")
    event_types = _unique(title_events + body_events)
    words = len((text or "").split())
    score = _score(title_hits, body_hits, bool(event_types), words)
    return {"places": places, "actors": actors, "events": event_types,
            "topic_score": round(score, 3)}


def _score(title_hits, body_hits, has_events: bool, words: int) -> float:
    syria = generic = 0.0
    distinct = set()
    conflict = has_events
    for factor, hits in ((TITLE_WEIGHT, title_hits), (1.0, body_hits)):
        for hit in hits:
            conflict = conflict or hit.conflict
            if hit.cat == "place" or hit.group == "syria":
                syria += factor
                distinct.add((hit.cat, hit.name))
            else:
                generic += factor * hit.weight
    if not syria:
        return 0.0
    evidence = syria + min(generic, syria / 2)
    density = evidence * 100 / max(words, 150)
    score = 1 - math.exp(-density / 2)
    if len(distinct) >= 3:  # long reports: many different Syrian names, however diluted
        score = max(score, 1 - math.exp(-syria / 10))
    if len(distinct) < 2:
        score *= 0.55
    if not conflict:
        score *= 0.5
    return min(score, 1.0)
