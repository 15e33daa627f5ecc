"""Numbers as written: digits, number words (English, Arabic), Arabic duals, vague amounts.

``read_number(toks, i)`` reads the number that starts at token *i*, if any:

* digits, Western or Eastern Arabic, with thousands separators, and a scale word after them
  ("3,500", "١٤", "1.2 million", "300 ألف"); a decimal without a scale is not a count;
* number words, which add up ("twenty-three", "one hundred and twelve", "ثلاثة وعشرون",
  "مئة وعشرون"), make teens ("أربعة عشر") and are multiplied by a scale ("ثلاثة آلاف");
* an Arabic dual noun for people, which is two of them ("طفلان", "عنصرين");
* a vague amount ("dozens", "hundreds", "عشرات"): no integer, the word is kept.

``parse_number(text)`` reads a whole string ("fourteen" -> 14, "أربعة عشر" -> 14).
The words are in ``pipelines/data/numbers.toml``.
"""

from __future__ import annotations

from typing import NamedTuple

from .lexicon import lexicon, tokens
from .text import Token


class Number(NamedTuple):
    start: int  # token index of the first token
    end: int  # token index after the last one
    value: int | None  # None for a vague amount
    vague: str | None  # "dozens", "hundreds", ... (numbers.toml [vague])
    dual: bool  # an Arabic dual noun: the token is also the noun counted


def read_number(toks: list[Token], i: int, end: int | None = None) -> Number | None:
    """The number written at token *i* (up to token *end*), or None."""
    lex = lexicon()
    end = len(toks) if end is None else end
    tok = toks[i]
    if tok.kind == "num":
        value = float(tok.key)
        j = i + 1
        scale = lex.number_scales.at(toks, j, min(j + 1, end))
        if scale:
            value *= scale[1]
            j = scale[0]
        if value != int(value):
            return None
        return Number(i, j, int(value), None, False)
    if tok.kind != "word":
        return None
    if lex.dual.at(toks, i, i + 1):
        return Number(i, i + 1, 2, None, True)
    total = current = 0
    seen = False
    j = i
    while j < end:
        word = lex.number_words.at(toks, j, j + 1)
        if word:
            value = word[1]
            if value == 10 and 0 < current < 10 and toks[j].key in lex.number_teens:
                current += 10  # أربعة عشر
            else:
                current += value
            seen = True
            j += 1
            continue
        scale = lex.number_scales.at(toks, j, j + 1)
        if scale and (seen or not lex.vague.at(toks, j, j + 1)):  # "مئة" = 100, "آلاف" vague
            current = max(current, 1) * scale[1]
            if scale[1] >= 1000:
                total += current
                current = 0
            seen = True
            j += 1
            continue
        if seen and j + 1 < end and (toks[j].key in lex.number_joiners or toks[j].key == "-") \
                and (lex.number_words.at(toks, j + 1, j + 2)
                     or lex.number_scales.at(toks, j + 1, j + 2)):
            j += 1
            continue
        break
    if seen:
        return Number(i, j, total + current, None, False)
    vague = lex.vague.at(toks, i, end)
    if vague:
        j = vague[0]
        # "tens of thousands", "hundreds of thousands": one vague amount
        while j + 1 < end and toks[j].key == "of" and lex.vague.at(toks, j + 1, j + 2):
            j += 2
        return Number(i, j, None, vague[1], False)
    return None


def parse_number(text: str) -> int | None:
    """The integer a whole string writes ("fourteen", "at 12" -> None), or None."""
    toks = tokens(text)
    if not toks:
        return None
    number = read_number(toks, 0)
    if number is None or number.end != len(toks):
        return None
    return number.value
