"""Tokens with character spans, and sentences, for the incident extractor.

A token is a word (Latin or Arabic, harakat and tatweel kept inside it), a run of digits
(Western or Eastern Arabic, with thousands separators and a decimal point: "3,500", "١٤",
"1.2") or one punctuation character.  Its ``key`` is the word as the data files are keyed:
Latin lower-cased with a possessive 's dropped ("Tuesday's" -> "tuesday"), Arabic normalised
by ``pipelines.arabic`` ("قُتِلَ" -> "قتل"), digits as ASCII without separators; ``forms`` are
the key without the Arabic clitics و ف ب ك ل (``pipelines.arabic.prefix_forms``).  A word
that mixes letters and digits ("M4", "4th", "T4") is one word, never a number.

Sentences end at . ! ? ؟ (not after a single capital letter or a short abbreviation such as
"Mr." or "No.", and not before a lower-case word) and at every line break.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..arabic import normalize_arabic, prefix_forms

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_TOKEN = re.compile(
    rf"(?P<alnum>[A-Za-z{_DIGIT}]*[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f{_DIGIT}]*"
    r"(?:['’][A-Za-z]+)?)"
    rf"|(?P<num>[{_DIGIT}]+(?:[,٬][{_DIGIT}]{{3}}(?![{_DIGIT}]))*(?:[.٫][{_DIGIT}]+)?)"
    r"|(?P<ar>[\u0621-\u063a\u0641-\u064a\u064b-\u065f\u0670\u0640]+)"
    r"|(?P<punct>[^\s\w]|_)",
)
_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.", ",٬")
_POSSESSIVE = re.compile(r"['’]s?$")

ENDS = frozenset(".!?؟…")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no gen lt col maj capt sgt prof rev jan feb mar apr jun jul aug sep sept "
    "oct nov dec vs etc approx u.s".split())


class Token(NamedTuple):
    key: str  # lower case, Arabic normalised; a number's digits
    forms: tuple[str, ...]  # key, and the key without Arabic clitics
    start: int
    end: int
    kind: str  # "word", "num" or "punct"
    upper: bool  # a Latin word written with a capital letter
    first: frozenset = frozenset()  # ids of the phrase sets it may start (lexicon.tokens)
    last: frozenset = frozenset()  # ... and end


_CACHE: dict[str, tuple] = {}
_FLAGGED: dict[str, tuple] = {}


def _describe(text: str, kind: str) -> tuple:
    if kind == "num":
        key = text.translate(_WESTERN)
        return key, (key,), False
    if kind == "punct":
        return text, (text,), False
    if kind == "ar":
        key = normalize_arabic(text)
        return key, prefix_forms(key), False
    key = _POSSESSIVE.sub("", text.lower()) or text.lower()
    return key, (key,), text[0].isupper()


def tokenize(text: str, flags=None, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of *text* (from *start* to *end*), each with its character span in *text*;
    *flags(key, forms)* gives their ``first`` and ``last`` (``lexicon.tokens`` passes it)."""
    cache = _CACHE if flags is None else _FLAGGED
    out = []
    append = out.append
    new = tuple.__new__  # a NamedTuple's own __new__ costs twice as much
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        described = cache.get(word)
        if described is None:
            kind = m.lastgroup
            key, forms, upper = _describe(word, kind)
            kind = "num" if kind == "num" else "punct" if kind == "punct" else "word"
            first, last = flags(key, forms) if flags else (frozenset(), frozenset())
            described = (key, forms, kind, upper, first, last)
            if len(cache) < 100_000:
                cache[word] = described
        start, end = m.span()
        append(new(Token, (described[0], described[1], start, end) + described[2:]))
    return out


def clear_flags() -> None:
    """Forget the flags of words seen (the phrase sets changed)."""
    _FLAGGED.clear()


def number_value(token: Token) -> float:
    """The value of a number token ("3,500" -> 3500.0)."""
    return float(token.key)


_ENDS = re.compile(r"[.!?؟…]+|\n")
_WORD_BEFORE = re.compile(r"(\w+)$")
_NEXT = re.compile(r"[\s\"'“”‘’»«()]*(\S)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) character spans, without surrounding white space."""
    out = []
    first = 0
    for m in _ENDS.finditer(text):
        mark = m.group()
        if mark != "\n":
            if mark == "." and (_abbreviation(text, m.start()) or (
                    0 < m.start() and m.end() < len(text) and text[m.start() - 1].isdigit()
                    and text[m.end()].isdigit())):  # "U.S.", "Mr.", "3.1"
                continue
            after = _NEXT.match(text, m.end())
            if after and after.group(1).isascii() and after.group(1).islower():
                continue  # "3.1 per cent", "e.g. the", "U.S. forces" ...
        cut = m.start() if mark == "\n" else m.end()
        _add(text, first, cut, out)
        first = m.end()
    _add(text, first, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _abbreviation(text: str, dot: int) -> bool:
    """Is the "." at *dot* the end of an abbreviation ("U.S.", "Mr.", "No.")?"""
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if word is None:
        return False
    word = word.group(1)
    if len(word) == 1 and word.isupper():
        return True
    return word[0].isupper() and word.lower() in ABBREVIATIONS
