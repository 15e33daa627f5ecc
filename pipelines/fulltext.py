"""The full-text search forms of an article: its title and text as the search index holds
them (Arabic spelling variants folded, clitics taken off), made by the page function so
the archive only stores them.  Pure."""

from __future__ import annotations

import re

from .arabic import normalize_arabic, prefix_forms

_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")


def normalize(text: str | None) -> str:
    """The text as it is indexed: Arabic alef forms, ta marbuta, diacritics and tatweel
    folded; other scripts untouched (FTS5 itself folds Latin case and accents)."""
    return normalize_arabic(text) if text else ""


def clitic_forms(normalised: str) -> str:
    """Arabic words of an already normalised text with their attached clitics removed
    (وادلب, بادلب -> ادلب), each once: indexed in the ``forms`` column so a search for a
    bare word also finds it with و ف ب ك ل in front."""
    seen: dict[str, None] = {}
    for word in _ARABIC_WORD.findall(normalised or ""):
        for form in prefix_forms(word)[1:]:
            seen.setdefault(form, None)
    return " ".join(seen)


def search_fields(title: str | None, text: str | None) -> tuple[str, str, str]:
    """An article's search row without its id: normalised title, normalised text, clitic
    forms."""
    title, text = normalize(title), normalize(text)
    return (title, text, clitic_forms(f"{title}\n{text}"))
