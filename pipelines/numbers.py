"""Number words, English and Arabic: the one table (``pipelines/data/numbers.toml``).

:func:`number_table` is the parsed file, read once per process: the incident extractor
(``pipelines/incidents/lexicon.py``) reads figures with it, and de-duplication
(``pipelines/dedup.py``) writes a story's numbers as digits with :func:`digits_for_words`,
so that "fourteen" and "14", "أربعة عشر" and "14" are the same word in two copies.  Pure.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .arabic import normalize_arabic

DATA = Path(__file__).parent / "data" / "numbers.toml"
THOUSANDS = re.compile(r"\d{1,3}(?:[,٬]\d{3})+")


@lru_cache(maxsize=1)
def number_table() -> dict:
    """``numbers.toml`` as parsed: per language ``word`` and ``scale`` values, ``joiners``,
    Arabic ``teen`` words, and the ``vague`` amounts."""
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


class _Words(NamedTuple):
    words: dict  # word (lower case, Arabic normalised) -> value
    scales: dict
    joiners: frozenset
    teens: frozenset
    vague: frozenset


@lru_cache(maxsize=1)
def _words() -> _Words:
    table = number_table()
    words, scales = {}, {}
    for lang in ("en", "ar"):
        words.update({normalize_arabic(w.lower()): v for w, v in table[lang]["word"].items()})
        scales.update({normalize_arabic(w.lower()): v for w, v in table[lang]["scale"].items()})
    joiners = frozenset(normalize_arabic(j) for lang in ("en", "ar") for j in table[lang]["joiners"])
    teens = frozenset(normalize_arabic(t) for t in table["ar"]["teen"])
    vague = frozenset(normalize_arabic(v.lower()) for v in table["vague"])
    return _Words(words, scales, joiners, teens, vague)


def _value(word: str, words: _Words) -> tuple[str, int] | None:
    """("word" | "scale", value) for a number word, also with an attached و ("وعشرون")."""
    for form in (word, word[1:] if word.startswith("و") and len(word) > 3 else None):
        if form is None:
            continue
        if form in words.words:
            return "word", words.words[form]
        if form in words.scales:
            return "scale", words.scales[form]
    return None


def _joins(before: int, value: int) -> bool:
    """Whether "<before> and <value>" is one number: units before tens ("ثلاثه وعشرون"),
    anything after hundreds ("one hundred and twelve")."""
    return before >= 100 or (0 < before < 10 and value % 10 == 0 and 20 <= value < 100)


def number_spans(words: list[str]) -> list[tuple[int, int, str]]:
    """Where ``words`` (lower case, Arabic normalised) write a number: ``(first, end,
    digits)`` for each number in words ("twenty three" -> "23", "اربعه عشر" -> "14", "one
    hundred and twelve" -> "112") and each number in digits with thousands separators
    ("1,500" -> "1500").  A vague amount ("hundreds", "الاف") is no number."""
    table = _words()
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word[:1].isdigit():
            if THOUSANDS.fullmatch(word):
                out.append((i, i + 1, word.replace(",", "").replace("٬", "")))
            i += 1
            continue
        first = _value(word, table)
        if first is None or word in table.vague:
            i += 1
            continue
        total = current = 0
        j = i
        while j < n:
            got = _value(words[j], table)
            if got is not None and j > i and words[j] not in table.words \
                    and words[j] not in table.scales and not _joins(current + total, got[1]):
                break  # "خمسه واربعه": two numbers, not one
            if got is not None and got[0] == "word":
                value = got[1]
                if value == 10 and 0 < current < 10 and words[j] in table.teens:
                    current += 10  # اربعه عشر
                else:
                    current += value
                j += 1
                continue
            if got is not None:  # a scale after a number: "three hundred", "ثلاثه الاف"
                current = max(current, 1) * got[1]
                if got[1] >= 1000:
                    total += current
                    current = 0
                j += 1
                continue
            # "one hundred and twelve", "مئه و عشرون": a joiner inside one number
            following = _value(words[j + 1], table) if j + 1 < n and words[j] in table.joiners \
                else None
            if following and _joins(current + total, following[1]):
                j += 1
                continue
            break
        out.append((i, j, str(total + current)))
        i = j
    return out


def digits_for_words(words: list[str]) -> list[str]:
    """``words`` with every number (:func:`number_spans`) written as its digits."""
    out: list[str] = []
    pos = 0
    for start, end, digits in number_spans(words):
        out += words[pos:start]
        out.append(digits)
        pos = end
    out += words[pos:]
    return out
