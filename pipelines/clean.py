"""Clean the extracted text, line by line.

:func:`clean` runs after extraction: it drops boilerplate lines by the phrase families
(``pipelines/phrases.py``), the title repeated in the text, date-only lines and the
source's learned repeated lines; it moves in-text bylines and credit lines out of the text
(their people to ``authors``, agencies, outlets, editors and other credits to ``credits``)
and records the dateline (which stays in the text) (``pipelines/bylines.py``).  Page parts that are never
article text were already pruned from the tree before extraction (``pipelines/prune.py``).

A source's repeated lines are *learned*: the crawl counts every paragraph's
:func:`~pipelines.phrases.line_key` per source in the archive (``archive/boilerplate.py``)
and passes back the keys that recur in many of that source's articles as
``learned_lines``; :func:`learnable` says which keys of an article count.
"""

from __future__ import annotations

import re

from .bylines import find_dateline, is_date_line, read_line, read_names, same_person
from .phrases import WORD, boilerplate_family, line_key, strip_suffixes

# ----------------------------------------------------------------------- clean
TEASER_FAMILIES = {"read_more"}
# the label of a source credit line, before its names
SOURCE_LABEL = re.compile(r"^\W*(?:source|sources|credit|credits|via|المصدر|مصدر)\s*[:：]?\s*",
                          re.IGNORECASE)


def _unique_credits(credits: list[dict]) -> list[dict]:
    """One credit per name and role (the first kept)."""
    seen, out = set(), []
    for credit in credits:
        key = (" ".join(credit["name"].casefold().split()), credit["role"])
        if credit["name"].strip() and key not in seen:
            seen.add(key)
            out.append(credit)
    return out


def _same_as_title(key: str, title_key: str) -> bool:
    if not key or not title_key:
        return False
    if key == title_key:
        return True
    shorter, longer = sorted((key, title_key), key=len)
    return len(shorter) >= 0.7 * len(longer) and longer.startswith(shorter)


def clean(doc: dict, options: dict | None = None, learned_lines: frozenset = frozenset()) -> dict:
    """Pure: a copy of ``doc`` with boilerplate lines removed.

    Sets ``text`` (paragraphs joined by blank lines), ``authors`` (plus in-text bylines;
    a misspelt repeat of a name is not added), ``credits`` (plus in-text credit lines),
    ``dateline`` (kept in the text too), ``word_count`` and ``line_keys`` (the keys of the
    article's lines that survived the phrase families, learned ones included, for learning).
    """
    options = options or {}
    out = dict(doc)
    drop_lines = [re.compile(p) for p in options.get("drop_lines") or ()]
    title_key = line_key(doc.get("title") or "")
    authors = list(doc.get("authors") or [])
    credits = [dict(c) for c in doc.get("credits") or []]
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
        byline = read_line(para)
        if byline is not None:  # a byline or credit line: its names are metadata
            authors.extend(byline.authors)
            credits.extend(byline.credits)
            continue
        family = boilerplate_family(para)
        if family:
            after_teaser = family in TEASER_FAMILIES
            if family == "source_credit":  # "Source: AFP", "المصدر: وكالات"
                credits.extend(read_names(SOURCE_LABEL.sub("", para)).credits)
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
    unique: list[str] = []
    for name in authors:  # a sign-off repeating a name, perhaps misspelt, adds nobody
        if name.strip() and not any(same_person(name, other) for other in unique):
            unique.append(name)
    out["authors"] = unique
    out["credits"] = _unique_credits(credits)
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

