"""The incident extractor's word lists, loaded once and matched against tokens.

Data files (``pipelines/data``; each says what it is for and where its words come from):

* ``incidents.toml``  cues (what a number counts), people and unit words, qualifiers, the
  parts of a sentence that make a figure background, actor roles, incident types.
* ``numbers.toml``    number words, English and Arabic.
* ``calendar.toml``  month and day names and relative days, the archive's one calendar
  table, read through ``pipelines.dates``.

A phrase is a sequence of token keys (``text.tokenize`` of the phrase as written); a token
matches a word of a phrase when one of its forms (its key, or the key without Arabic
clitics) is that word, or starts with it when the word ends in "*".
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from ..arabic import normalize_arabic
from ..dates import month_names, relative_days, weekday_names
from ..numbers import number_table
from .text import Token, clear_flags, tokenize

DATA = Path(__file__).resolve().parent.parent / "data"


# Which phrase sets a word can start or end a phrase of, worked out once per distinct word
# and carried by its tokens (``Token.first``, ``Token.last``): most tokens start nothing,
# and a look-up in a set of ids is cheaper than trying every set.
_FIRST: dict[str, set[int]] = {}
_LAST: dict[str, set[int]] = {}
_WILD: list[tuple[str, int, bool]] = []  # (prefix, set id, is first word)


def _flags(key: str, forms: tuple[str, ...]) -> tuple[frozenset, frozenset]:
    """(ids of the sets a phrase of which may start with the word, ... may end with it)."""
    first, last = set(), set()
    for form in forms:
        first |= _FIRST.get(form, set())
        last |= _LAST.get(form, set())
    for prefix, ident, is_first in _WILD:
        if any(form.startswith(prefix) for form in forms):
            (first if is_first else last).add(ident)
    return frozenset(first), frozenset(last)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """``text.tokenize`` with the phrase sets each token may start or end."""
    lexicon()  # every phrase set is known
    return tokenize(text, _flags, start, end)


_WORDS = re.compile(r"[^\W\d_]+")
_CLITICS = [c + p for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل")]


class Gate:
    """Says whether a text may hold a phrase of some phrase sets, from the set of its words:
    a phrase's longest word must be among them (Arabic with or without clitics before it)."""

    def __init__(self, phrase_sets):
        words = set()
        for phrases in phrase_sets:
            for entries in phrases.by_first.values():
                for phrase, _v in entries:
                    word = max(phrase, key=len)
                    if word.isascii():
                        words.add(word)
                    else:
                        words.update(c + word for c in _CLITICS)
                        if word.startswith("ال"):
                            words.update(("لل" + word[2:], "ولل" + word[2:], "فلل" + word[2:]))
            if phrases.wild_first:
                raise ValueError("a gate cannot hold phrases with a wildcard")
        self.words = frozenset(words)

    def open(self, text: str) -> bool:
        """May *text* hold one of the phrases?"""
        return not self.words.isdisjoint(_WORDS.findall(normalize_arabic(text).lower()))


_PRESENT: list = [None, frozenset()]  # (token list, ids of the sets its tokens may start)


class Phrases:
    """A set of phrases with a value each, matched forwards or backwards over tokens."""

    def __init__(self, items):
        self.id = id(self)
        self._scanned, self._found = None, []  # see within()
        self.by_first: dict[str, list] = {}
        self.by_last: dict[str, list] = {}
        self.wild_first: list = []
        self.wild_last: list = []
        for phrase, value in items:
            words = tuple(t.key for t in tokenize(phrase.rstrip("*")))
            if not words:
                continue
            if phrase.endswith("*"):
                words = words[:-1] + (words[-1] + "*",)
            entry = (words, value)
            (self.wild_first if words[0].endswith("*") else
             self.by_first.setdefault(words[0], [])).append(entry)
            (self.wild_last if words[-1].endswith("*") else
             self.by_last.setdefault(words[-1], [])).append(entry)
        for table in (self.by_first, self.by_last):
            for entries in table.values():
                entries.sort(key=lambda e: -len(e[0]))
        for word in self.by_first:
            _FIRST.setdefault(word, set()).add(self.id)
        for word in self.by_last:
            _LAST.setdefault(word, set()).add(self.id)
        _WILD.extend((words[0][:-1], self.id, True) for words, _v in self.wild_first)
        _WILD.extend((words[-1][:-1], self.id, False) for words, _v in self.wild_last)
        clear_flags()

    def _candidates(self, table, wild, tok: Token):
        found = []
        for form in tok.forms:
            found.extend(table.get(form, ()))
        return found + wild if wild else found

    def at(self, toks: list[Token], i: int, end: int | None = None):
        """The longest phrase starting at token *i* (and ending by *end*):
        (end index, value) or None."""
        if i >= len(toks) or self.id not in toks[i].first:
            return None
        end = len(toks) if end is None else end
        best = None
        for words, value in self._candidates(self.by_first, self.wild_first, toks[i]):
            j = i + len(words)
            if j <= end and (best is None or j > best[0]) and \
                    all(_word_matches(w, toks[i + k]) for k, w in enumerate(words)):
                best = (j, value)
        return best

    def before(self, toks: list[Token], i: int, start: int = 0):
        """The longest phrase ending right before token *i* (and starting at *start* or
        later): (start index, value) or None."""
        if i <= start or self.id not in toks[i - 1].last:
            return None
        best = None
        for words, value in self._candidates(self.by_last, self.wild_last, toks[i - 1]):
            j = i - len(words)
            if j >= start and (best is None or j < best[0]) and \
                    all(_word_matches(w, toks[j + k]) for k, w in enumerate(words)):
                best = (j, value)
        return best

    def within(self, toks: list[Token], start: int, end: int) -> bool:
        """Does any phrase occur in tokens start..end?  (The phrases of a token list are
        found once, on the first question about it, and kept until another list is asked
        about: the extractor asks about one sentence's clauses in turn.)"""
        if self._scanned is not toks:
            ident = self.id
            found = []
            if _PRESENT[0] is not toks:  # the sets any token of the list may start
                _PRESENT[0], _PRESENT[1] = toks, frozenset().union(*(t.first for t in toks))
            if ident not in _PRESENT[1]:
                self._scanned, self._found = toks, found
                return False
            for i, tok in enumerate(toks):
                if ident in tok.first:
                    for words, _value in self._candidates(self.by_first, self.wild_first, tok):
                        j = i + len(words)
                        if j <= len(toks) and all(_word_matches(w, toks[i + k])
                                                  for k, w in enumerate(words)):
                            found.append((i, j))
            self._scanned, self._found = toks, found
        return any(start <= i and j <= end for i, j in self._found)


def _word_matches(word: str, tok: Token) -> bool:
    if word.endswith("*"):
        return any(form.startswith(word[:-1]) for form in tok.forms)
    return word in tok.forms


def _load(name: str) -> dict:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def _flag(words, value=True) -> list:
    return [(w, value) for w in words]


class Lexicon:
    """Everything the extractor looks words up in (built once per process: ``lexicon()``)."""

    def __init__(self):
        data = _load("incidents.toml")
        numbers = number_table()  # the one number table, shared with de-duplication
        self.kinds = ("killed", "wounded", "detained", "displaced")
        self.cue_before = Phrases([(w, k) for k in self.kinds for w in data["cue"][k]["before"]])
        self.cue_after = Phrases([(w, k) for k in self.kinds for w in data["cue"][k]["after"]])
        self.cue_noun = Phrases([(w, k) for k in self.kinds for w in data["cue"][k]["noun"]])
        self.cue_any = Phrases([(w, k) for k in self.kinds
                                for part in ("before", "after", "noun")
                                for w in data["cue"][k][part]])
        update = data["update"]
        self.update_before = Phrases(_flag(update["before"]))
        self.update_markers = Phrases(_flag(update["markers"]))
        self.update_kind = Phrases([(w, "killed") for w in update["killed"]]
                                   + [(w, "wounded") for w in update["wounded"]])
        people = data["people"]
        self.people = Phrases([(w, c) for c in ("child", "woman", "other") for w in people[c]])
        self.dual = Phrases(_flag(people["dual"]))
        self.one = Phrases(_flag(people["one"]))
        classes = {w: c for c in ("other", "woman", "child") for w in people[c]}
        self.singular = Phrases([(w, classes.get(w, "other")) for w in people["singular"]])
        grammar = data["grammar"]
        self.auxiliaries = Phrases(_flag(grammar["auxiliaries"]))
        self.noun_phrase_ends = Phrases(_flag(grammar["noun_phrase_ends"]))
        self.of = Phrases(_flag(grammar["of"]))
        self.cue_gap = Phrases(_flag(grammar["cue_gap"]))
        self.conjunctions = Phrases(_flag(grammar["conjunctions"]))
        self.articles = Phrases(_flag(grammar["articles"]))
        self.sources = Phrases(_flag(data["sources"]["words"]))
        self.clause_ends = frozenset(grammar["clause_ends"])
        self.families = Phrases(_flag(people["families"]))
        self.units = Phrases(_flag(data["units"]["words"]))
        self.not_before = Phrases(_flag(data["not_counts"]["before"]))
        self.not_after = Phrases(_flag(data["not_counts"]["after"]))
        qualifiers = data["qualifier"]
        self.qualifier_after = Phrases(_flag(qualifiers.pop("after"), "at least"))
        self.qualifier = Phrases([(w, q) for q, words in qualifiers.items() for w in words])
        self.including_before = Phrases(_flag(data["including"]["before"]))
        self.including_after = Phrases(_flag(data["including"]["after"]))
        self.victims_through = frozenset(
            t.key for w in data["victims"]["through"] for t in tokenize(w))
        roles = data["not_responsible"]
        self.not_responsible_before = Phrases(_flag(roles["before"]))
        self.not_responsible_after = Phrases(_flag(roles["after"]))
        background = data["background"]
        self.cumulative = Phrases(_flag(background["cumulative"]))
        self.earlier = Phrases(_flag(background["earlier"]))
        self.hypothetical = Phrases(_flag(background["hypothetical"]))
        self.returns = Phrases(_flag(background["returns"]))
        incident = data["incident"]
        self.type_order = {name: i for i, name in enumerate(incident["types"])}
        self.without_figures = frozenset(incident["without_figures"])
        self.new_incident = Phrases(_flag(incident["new"]))
        self.actor_kinds = frozenset(incident["actor_kinds"])
        # numbers
        self.number_words = Phrases(
            [(w, v) for lang in ("en", "ar") for w, v in numbers[lang]["word"].items()])
        self.number_scales = Phrases(
            [(w, v) for lang in ("en", "ar") for w, v in numbers[lang]["scale"].items()])
        self.number_joiners = frozenset(numbers["en"]["joiners"] + numbers["ar"]["joiners"])
        self.number_teens = frozenset(tokenize(w)[0].key for w in numbers["ar"]["teen"])
        self.vague = Phrases(list(numbers["vague"].items()))
        # days
        self.months = Phrases(list(month_names().items()))
        self.weekdays = Phrases(list(weekday_names().items()))
        self.relative_days = Phrases(list(relative_days().items()))
        # a sentence without one of these words gives no figure (every figure needs a cue)
        self.cue_gate = Gate([self.cue_any, self.update_kind])
        # sets whose phrases a number (or what stands for one) may start with
        self.numberish = frozenset(p.id for p in (
            self.number_words, self.number_scales, self.vague, self.dual, self.one,
            self.singular, self.including_before, self.cue_any))




@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()
