"""Arabic text normalisation shared by tagging, full-text search and de-duplication.

``normalize_arabic(text)`` is the one public entry point other stages import.  It is the
"light" normalisation used in Arabic information retrieval (Larkey et al., *light10*),
cheap enough to run on every article (and on every search query):

* alef forms  أ إ آ ٱ  -> ا        (hamza/madda/wasla on alef)
* ta marbuta  ة       -> ه
* alef maqsura ى      -> ي;  Persian yeh ی -> ي, Persian kaf ک -> ك
* harakat and other diacritics (fathatan .. sukun, shadda, superscript alef, Quranic
  marks) are removed
* tatweel ـ is removed
* Eastern Arabic ٠-٩ and Persian ۰-۹ digits -> ASCII 0-9

Latin text passes through unchanged (no case folding: callers decide).

``prefix_forms(word)`` lists the forms of one *normalised* Arabic word with the attached
clitics و ف ب ك ل (and the article after them: وال بال فال كال لل) taken off, for
dictionary look-ups such as the gazetteer (``وإدلب`` -> ``ادلب``, ``للرقة`` -> ``الرقه``).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["normalize_arabic", "prefix_forms", "ARABIC_LETTERS", "REMOVED"]

# Letters of the Arabic block that survive normalisation (used by tokenisers).
ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a"

_TABLE: dict[int, str | None] = {
    ord("\u0623"): "\u0627",  # أ
    ord("\u0625"): "\u0627",  # إ
    ord("\u0622"): "\u0627",  # آ
    ord("\u0671"): "\u0627",  # ٱ alef wasla
    ord("\u0629"): "\u0647",  # ة -> ه
    ord("\u0649"): "\u064a",  # ى -> ي
    ord("\u06cc"): "\u064a",  # ی Persian yeh
    ord("\u06a9"): "\u0643",  # ک Persian kaf
    ord("\u0640"): None,  # tatweel
    ord("\u0670"): None,  # superscript alef
}
# harakat: fathatan .. sukun, and the extended marks up to U+065F
_TABLE.update({cp: None for cp in range(0x064B, 0x0660)})
# Quranic annotation marks
_TABLE.update({cp: None for cp in range(0x06D6, 0x06EE)})
_TABLE.update({cp: None for cp in range(0x0610, 0x061B)})
# digits
_TABLE.update({0x0660 + i: str(i) for i in range(10)})
_TABLE.update({0x06F0 + i: str(i) for i in range(10)})


# The same table as two cheap steps: one regex drops the removed marks, then str.replace
# (a C scan) for each replaced letter the text holds.  str.translate with a dict costs a
# dict look-up per character, about five times more on Arabic text; and no output of a
# replacement is itself replaced, so the order of the steps does not matter.
_ANY = re.compile("[\u0610-\u06ff]")  # every key of _TABLE is in this block
_REMOVE = re.compile("[%s]+" % "".join(chr(cp) for cp, new in _TABLE.items() if new is None))
_REPLACE = tuple((chr(cp), new) for cp, new in _TABLE.items() if new is not None)
# Runs of the characters normalize_arabic deletes (every other change is one letter for one),
# for callers that map offsets in normalised text back to the text they were given.
REMOVED = _REMOVE


def normalize_arabic(text: str) -> str:
    """Return *text* with Arabic spelling variation removed (see module docstring).

    >>> normalize_arabic("إِدْلِب")
    'ادلب'
    >>> normalize_arabic("حماة ـــ ٢٠٢٤")
    'حماه  2024'
    """
    if not text:
        return text or ""
    if not _ANY.search(text):  # nothing Arabic: most English articles
        return text
    text = _REMOVE.sub("", text)
    for old, new in _REPLACE:
        if old in text:
            text = text.replace(old, new)
    return text


_CONJ = ("و", "ف")  # wa-, fa-
_PREP = ("ب", "ك", "ل")  # bi-, ka-, li-


@lru_cache(maxsize=65536)
def prefix_forms(word: str) -> tuple[str, ...]:
    """Forms of a normalised Arabic *word* with attached clitics removed, longest first.

    The word itself always comes first.  Only clitics are removed, never the article
    ``ال`` itself (``الباب`` "the door" must stay distinct from ``باب``), except that
    ``لل`` (li- + al-) gives back ``ال``.  Stems shorter than two letters are not offered.
    """
    forms = [word]

    def add(form: str) -> None:
        if len(form) >= 2 and form not in forms:
            forms.append(form)

    rest = word
    if rest[:1] in _CONJ and len(rest) > 3:
        rest = rest[1:]
        add(rest)
    if rest.startswith("لل") and len(rest) > 4:
        add("ال" + rest[2:])
    elif rest[:1] in _PREP and len(rest) > 3:
        add(rest[1:])
    return tuple(forms)
