"""Figures in one sentence: how many were killed, wounded, detained, displaced, and of the
killed how many children and women.

A number (``numbers.read_number``) becomes a figure only when all of these hold:

* it counts people: the noun after it is a word for people ("civilians", "أطفال") or none at
  all ("killing 12"), never a thing or a time ("12 vehicles", "14 years", "20 غارة");
* it is not an age, a time, a date, a year, a price, a percentage, a page or a score
  ("a 12-year-old", "at 4 pm", "3 March", "in 2019", "$5", "40 percent", "page 12", "3-1");
* a cue says what it counts: right before it ("killing 12", "مقتل 12", "arrested 23"), as the
  noun itself ("12 dead", "15 قتيلاً", "قتيلان"), after the noun past auxiliaries ("12 people
  were killed", "5 killed and 12 wounded"), or a rising toll ("the death toll rose to 17");
* its clause tells no earlier event, warning or old year ("last month", "could be displaced",
  "in 2013"), and for displaced people the sentence is not about people going home.

"a"/"an" before a word for people is one ("killing a civilian", "a woman was killed"), and
so is an Arabic singular after a cue ("استشهد طفل").  A sub-count ("including four children",
"five of them children", "بينهم طفلان") gives the children or women of the figure before it;
they are kept only for the killed.  When a sentence gives two figures of one kind, a rising
toll wins, then the first number, then a vague amount.  All words are in
``pipelines/data/incidents.toml``.
"""

from __future__ import annotations

from datetime import date

from .lexicon import lexicon
from .numbers import Number, read_number
from .text import Token
from .when import is_month

SUB_CLASSES = ("child", "woman")


class Figure:
    """One figure as written: its kind, value and where it is."""

    __slots__ = ("kind", "value", "vague", "qualifiers", "start", "end", "cls", "update",
                 "subs")

    def __init__(self, kind, value, vague, qualifiers, start, end, cls, update):
        self.kind = kind  # killed / wounded / detained / displaced
        self.value = value  # int, or None for a vague amount
        self.vague = vague
        self.qualifiers = qualifiers  # ["at least"], ["more than", "families"], ["dozens"]
        self.start, self.end = start, end  # token span, qualifier included
        self.cls = cls  # "child", "woman", "other" or None: whom the noun counts
        self.update = update  # a rising toll
        self.subs: dict[str, tuple] = {}  # "child"/"woman" -> (value, start, end)


def clause_bounds(toks: list[Token], i: int, start: int, end: int) -> tuple[int, int]:
    """The clause (between punctuation marks) of token *i* within start..end."""
    ends = lexicon().clause_ends
    a = i
    while a > start and toks[a - 1].key not in ends:
        a -= 1
    b = i
    while b < end and toks[b].key not in ends:
        b += 1
    return a, b


def old_clause(toks, a: int, b: int, published: date | None) -> bool:
    """Does the clause a..b tell an earlier event, a warning or name an old year?"""
    lex = lexicon()
    if lex.earlier.within(toks, a, b) or lex.hypothetical.within(toks, a, b):
        return True
    return published is not None and old_year(toks, a, b, published)


def old_year(toks, a: int, b: int, published: date) -> bool:
    """Do tokens a..b name a year before the publication year ("in 2013", "the 2016 siege")?"""
    for k in range(a, b):
        tok = toks[k]
        if tok.kind == "num" and len(tok.key) == 4 and tok.key.isdigit() \
                and 1950 <= int(tok.key) < published.year:
            return True
    return False


def figures_in(toks: list[Token], start: int, end: int, published: date | None,
               returns: bool, actor_spans=()) -> tuple[list[Figure], list[tuple[int, int]]]:
    """The figures of the sentence start..end, in order (sub-counts sit on their figure), and
    the token spans of every number of people, figure or not (their noun phrases name
    victims).  *returns*: the sentence is about people going home (no displaced figure);
    *actor_spans*: token spans of the actors it names (a subject between a verb and its
    number: "اعتقلت قوات النظام 15 شاباً")."""
    lex = lexicon()
    found: list[Figure] = []
    people: list[tuple[int, int]] = []
    last = None  # the figure a sub-count belongs to
    including_until = -1  # inside "including ..." up to this token
    numberish = lex.numberish
    i = start
    while i < end:
        tok = toks[i]
        if tok.kind != "num" and not (numberish & tok.first):
            i += 1
            continue
        if lex.including_before.at(toks, i, end) and tok.kind == "word":
            including_until = clause_bounds(toks, i, start, end)[1]
        elif i < including_until and lex.cue_any.at(toks, i, end):
            including_until = -1  # "بينهم طفلان وأصيب خمسة": the list ended at the cue
        number = read_number(toks, i, end)
        if number is None:
            number = _one_person(toks, i, start, end, i < including_until)
            if number is None:
                i += 1
                continue
        j = number.end
        if _not_a_count(toks, number, start, end):
            i = j
            continue
        qualifiers = []
        q_start = number.start
        qualifier = lex.qualifier.before(toks, number.start, start)
        if qualifier:
            q_start = qualifier[0]
            qualifiers.append(qualifier[1])
        cls, k = _head(toks, number, end)
        if cls == "unit":
            i = k
            continue
        if cls is not None or number.dual:
            people.append((number.start, max(k, j)))
        families = lex.families.at(toks, j, end)
        if families:
            k = families[0]
            qualifiers.append("families")
        for pos in range(j, min(end, k + 6)):  # "12 مدنياً على الأقل", "37 عنصراً من ... على الأقل"
            if toks[pos].kind != "word":
                break
            after = lex.qualifier_after.at(toks, pos, end)
            if after:
                if "at least" not in qualifiers:
                    qualifiers.append("at least")
                if pos == k:
                    k = after[0]
                break
        if number.vague:
            qualifiers.append(number.vague)
        # a sub-count: "including four children", "five of them children", "بينهم طفلان"
        sub_after = lex.including_after.at(toks, j, end)
        if sub_after:
            cls, k = _head(toks, Number(j, sub_after[0], None, None, False), end)
            people.append((number.start, max(k, j)))
        if (lex.including_before.before(toks, q_start, start) or sub_after
                or q_start < including_until):
            if last is not None and cls in SUB_CLASSES and number.value is not None \
                    and cls not in last.subs:
                last.subs[cls] = (number.value, q_start, k)
            i = max(k, j)
            continue
        kind, update = _kind(toks, number, q_start, j, k, start, end, actor_spans)
        if kind is None or (kind == "displaced" and returns):
            i = max(k, j)
            continue
        a, b = clause_bounds(toks, number.start, start, end)
        if old_clause(toks, a, b, published):
            i = max(k, j)
            continue
        figure = Figure(kind, number.value, number.vague, qualifiers, q_start, max(k, j), cls,
                        update)
        found.append(figure)
        last = figure
        i = max(k, j)
    return found, people


def _one_person(toks, i: int, start: int, end: int, listing: bool) -> Number | None:
    """"a civilian", "an officer": one person (the noun is found by ``_head``); an Arabic
    singular noun after a cue or in a list of victims ("استشهد طفل", "بينهم ... وطفل")."""
    lex = lexicon()
    tok = toks[i]
    if tok.kind != "word":
        return None
    if lex.one.at(toks, i, i + 1):
        number = Number(i, i + 1, 1, None, False)
        cls, _k = _head(toks, number, end)
        return number if cls in ("child", "woman", "other") else None
    if lex.singular.at(toks, i, i + 1) and (listing or lex.cue_before.before(toks, i, start)):
        return Number(i, i, 1, None, False)  # the noun itself is the head
    return None


def _not_a_count(toks, number: Number, start: int, end: int) -> bool:
    """Ages, times, dates, years, prices, percentages, pages, scores, ordinals."""
    lex = lexicon()
    i, j = number.start, number.end
    if i > start:
        before = toks[i - 1]
        if lex.not_before.before(toks, i, start) or before.key in ("$", "£", "€"):
            return True
        if is_month(toks, i - 1) and toks[i].kind == "num":  # March 3
            return True
        if before.key in ("-", ":", "/") and before.end == toks[i].start:  # 3-1, 10:30
            return True
    if j < end:
        after = toks[j]
        if lex.not_after.at(toks, j, end):
            return True
        if after.key in ("-", ":", "/", "%", "٪") and after.start == toks[j - 1].end:
            return True
        if toks[i].kind == "num" and (is_month(toks, j) or
                                      (after.key == "of" and j + 1 < end and is_month(toks, j + 1))):
            return True
    tok = toks[i]
    if tok.kind == "num" and number.value is not None and 1900 <= number.value <= 2099 \
            and j - i == 1 and "," not in tok.key:
        cls, _k = _head(toks, number, end)
        return cls not in ("child", "woman", "other")
    return False


def _head(toks, number: Number, end: int) -> tuple[str | None, int]:
    """Whom the number counts: ("child" / "woman" / "other" / "unit" / None, token after the
    noun).  A dual noun is its own head; up to three unknown words (adjectives, names) may
    stand before the noun; "of"/"من" may too ("dozens of people")."""
    lex = lexicon()
    if number.dual:
        found = lex.people.at(toks, number.start, number.end)
        return (found[1] if found else "other"), number.end
    j = number.end
    unknown = 0
    while j < end and unknown <= 5:
        tok = toks[j]
        if tok.kind == "num" and j + 2 < end and toks[j + 1].key == "-":
            age = lex.not_after.at(toks, j + 2, end)  # "a 12-year-old boy"
            if age:
                j = age[0]
                continue
        if tok.key == "-" and j > 0 and toks[j - 1].end == tok.start and j + 1 < end \
                and toks[j + 1].start == tok.end:  # "al-Din", "Turkish-backed"
            j += 1
            continue
        if tok.kind != "word":
            return None, number.end
        people = lex.people.at(toks, j, end)
        if people:
            return people[1], people[0]
        if lex.units.at(toks, j, end):
            return "unit", j + 1
        if lex.of.at(toks, j, j + 1):
            j += 1
            continue
        if lex.cue_any.at(toks, j, end) or lex.noun_phrase_ends.at(toks, j, j + 1) \
                or lex.families.at(toks, j, end) or lex.auxiliaries.at(toks, j, end) \
                or lex.qualifier_after.at(toks, j, end) or read_number(toks, j, end) \
                or not tok.key.isascii():  # Arabic: the noun comes right after the number
            return None, number.end
        unknown += 1
        j += 1
    return None, number.end


def _cue_before(toks, q_start: int, start: int, actor_spans):
    """The cue right before a number: adjacent ("killing 12"), past a pronoun ("قُتل فيها
    37"), or past the subject of the verb ("اعتقلت قوات النظام 15")."""
    lex = lexicon()
    before = lex.cue_before.before(toks, q_start, start)
    if before:
        return before
    gap = lex.cue_gap.before(toks, q_start, start)
    if gap:
        return lex.cue_before.before(toks, gap[0], start)
    for a, b in actor_spans:
        if b <= q_start <= b + 1 and a > start and all(t.kind == "word" for t in toks[b:q_start]):
            for p in range(a, max(start, a - 2) - 1, -1):
                if p < a and toks[p].kind != "word":
                    break
                found = lex.cue_before.before(toks, p, start)
                if found:
                    return found
    return None


def _kind(toks, number: Number, q_start: int, j: int, k: int, start: int, end: int,
          actor_spans=()):
    """(kind, is a rising toll) of a number, or (None, False)."""
    lex = lexicon()
    update = bool(lex.update_before.before(toks, q_start, start)
                  and lex.update_markers.within(toks, start, q_start))
    before = _cue_before(toks, q_start, start, actor_spans)
    if before:
        return before[1], update
    # the noun is the cue: "12 dead", "15 قتيلاً", "قتيلان"
    noun = lex.cue_noun.at(toks, number.start if number.dual else j, end)
    if noun:
        return noun[1], update
    # after the noun: "12 people were killed", "Twelve civilians, including ..., were killed"
    # past a sub-count or an apposition between commas ("Twelve civilians, including four
    # children, were killed", "Two people, a mother and her son, lost their lives")
    pos = k
    if pos < end and toks[pos].key in (",", "،") and number.value is not None:
        close = pos + 1
        while close < end and close < pos + 10 and toks[close].key not in (",", "،") \
                and not lex.cue_any.at(toks, close, end):
            close += 1
        if close < end and toks[close].key in (",", "،"):
            pos = close + 1
    # past a few words ("two boys herding sheep were killed", "three members of the General
    # Security Service were killed") up to punctuation, a number, a conjunction or a cue
    for _ in range(8):
        if pos >= end:
            break
        after = lex.cue_after.at(toks, pos, end)
        if after and not lex.articles.before(toks, pos, start):  # "the wounded" is a noun
            return after[1], update
        aux = lex.auxiliaries.at(toks, pos, end)
        if aux:
            pos = aux[0]
            continue
        tok = toks[pos]
        if tok.kind != "word" or lex.cue_any.at(toks, pos, end) \
                or lex.conjunctions.at(toks, pos, pos + 1):
            break
        pos += 1
    # a rising toll: "the death toll ... has risen to 17", "ارتفعت الحصيلة إلى 16 قتيلاً"
    if update:
        for p in range(q_start - 1, start - 1, -1):
            found = lex.update_kind.at(toks, p, q_start) or lex.cue_any.at(toks, p, q_start)
            if found:
                return found[1], True
    return None, False


def choose(figures: list[Figure]) -> dict[str, Figure]:
    """One figure per kind: a rising toll, else the first number, else a vague amount."""
    chosen: dict[str, Figure] = {}
    for figure in figures:
        have = chosen.get(figure.kind)
        if have is None or (figure.update and not have.update) or \
                (have.value is None and figure.value is not None and not have.update):
            chosen[figure.kind] = figure
    return chosen
