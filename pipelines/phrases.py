"""Boilerplate phrases: the line families of ``pipelines/data/boilerplate.toml``.

A line of a page is boilerplate when it belongs to one of the phrase families there
(English and Arabic: share prompts, read-more teasers, comment prompts, newsletter and
follow lines, copyright lines...).  :func:`boilerplate_family` names the family of a line,
:func:`strip_suffixes` removes widget text glued to the end of a line ("... Click To
Tweet"), and :func:`line_key` is the normalised key a source's repeated lines are learned
by.  Pure functions; the data is read once per process.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from .arabic import normalize_arabic

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
    return normalize_arabic(text)


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

# ----------------------------------------------------------------------- line keys
def line_key(line: str) -> str:
    """A normalised key of a line, equal for lines that differ only in case, punctuation,
    spacing or Arabic diacritics/letter variants.  Used to learn a source's repeated lines.
    (Digits are kept: "12 killed in Idlib" and "15 killed in Idlib" are different news.)"""
    text = _plain(unicodedata.normalize("NFKC", line or "").casefold())
    return " ".join(WORD.findall(text))[:300]

