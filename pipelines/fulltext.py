"""Full-text search, the text side: what an article is indexed under, and what a user's
query means.  Pure: no SQL, no Scrapy, no network (archive/search.py stores and queries).

**Spelling.**  The index holds the article's title and text *folded*
(``pipelines.arabic.normalize_arabic``: alef forms, ta marbuta, alef maqsura, diacritics,
tatweel), so إدلب, ادلب and إِدْلِب are one word.  SQLite's FTS5 ``unicode61`` tokenizer
then lower-cases and takes the accents off Latin letters.

**Word forms.**  Each indexed word (a *term*) is also filed under its *stems*: the
Snowball stemmer of its script (PyStemmer: English for Latin letters, Arabic for Arabic
letters), whatever the article's language: a French or Turkish word is stemmed by the same
rules when it is indexed and when it is searched for, so it is found as typed (the rules
only decide which of its forms share a stem), and Persian words share the Arabic rules.  Arabic words are stemmed as they are and without their attached clitics
(و ف ب ك ل, ``pipelines.arabic.prefix_forms``) and article (ال), because the Arabic
stemmer strips those only in some word shapes; a word may so have several stems.  A query
word is stemmed the same way, and matches every indexed word sharing a stem with it:
``strike`` -> ``("strike" OR "strikes" OR "striking")``, ``بحلب`` -> ``("حلب" OR "بحلب"
OR "وحلب" ...)``.  Expanding the query instead of indexing stems keeps the index on the
words as written, so ``"exact phrases"`` and ``prefix*`` match the words themselves and
FTS5's ``snippet()`` and ``bm25()`` work on them unchanged.

**Query syntax** (:func:`parse`; :func:`match_expression` returns the FTS5 MATCH text)::

    Idlib Aleppo           both words (any form of each)
    Idlib OR Aleppo        either
    Idlib -Aleppo          Idlib, not Aleppo (also: Idlib NOT Aleppo)
    "air strike"           the exact words in that order, not stemmed
    displac*               words starting with "displac" (as written, not stemmed)
    (Idlib OR Hama) -Aleppo  grouping
    al-Bab, F-16           a word written with a hyphen is an exact phrase ("al bab")

``OR``, ``AND`` and ``NOT`` are operators only in capitals.  A query that cannot be read
raises :class:`QueryError` with a message for the person who typed it.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

import Stemmer

from .arabic import normalize_arabic, prefix_forms

__all__ = ["SearchForms", "QueryError", "fold", "terms", "stems", "search_forms", "parse",
           "match_expression", "NOTHING"]

# FTS5's unicode61 tokenizer keeps letters and digits (categories L*, N*) and splits on
# everything else; Python's \w less "_" is the same set (\w+ then a split on "_" is the
# faster way to find them).
_TOKEN = re.compile(r"\w+")
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN = re.compile("[A-Za-z]")
_STEMMERS: dict[str, Stemmer.Stemmer] = {}
# words a worker keeps the forms of: the common words of its pages (a word's forms cost
# microseconds to make again).  Not more: a worker reads hundreds of thousands of distinct
# words (names, numbers, misspellings) over a long crawl, each entry ~200 bytes a cache.
WORD_CACHE = 2**15

NOTHING = '""'  # a MATCH expression that is valid and matches no row


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmer = _STEMMERS.get(language)
    if stemmer is None:
        stemmer = _STEMMERS[language] = Stemmer.Stemmer(language)
    return stemmer


def fold(text: str | None) -> str:
    """Text as it is indexed: NFC, Arabic spelling variants folded (never lower-cased:
    FTS5 folds case itself, and the folded copy is what search snippets show)."""
    if not text:
        return ""
    return normalize_arabic(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=WORD_CACHE)
def _term(token: str) -> str:
    """One token as FTS5 indexes it: lower-cased, accents off Latin letters."""
    token = token.lower()
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFD", token)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _tokens(folded: str) -> list[str]:
    found = _TOKEN.findall(folded)
    if "_" in folded:
        found = [part for token in found for part in token.split("_") if part]
    return found


def terms(folded: str) -> list[str]:
    """The terms of a folded text, in order, as FTS5's tokenizer makes them."""
    return [_term(token) for token in _tokens(folded)]


@lru_cache(maxsize=WORD_CACHE)
def stems(term: str) -> tuple[str, ...]:
    """The stems a term is filed under (the term itself when it has no language's letters).

    >>> stems("strikes"), stems("displacement") == stems("displaced")
    (('strike',), True)
    >>> set(stems("بحلب")) >= set(stems("حلب"))
    True
    """
    if _ARABIC.search(term):
        bases = list(prefix_forms(term))
        for base in list(bases):
            if base.startswith("ال") and len(base) >= 5:  # the article, leaving 3 letters
                bases.append(base[2:])
        stemmer = _stemmer("arabic")
        return tuple(dict.fromkeys(stemmer.stemWord(base) for base in bases))
    if _LATIN.search(term) and len(term) > 2:
        return (_stemmer("english").stemWord(term),)
    return (term,)


# An article as the search index stores it (``archive.search.index_article``): folded
# title, folded text, (stem, term) for every word of both.  A plain tuple, so it travels
# through pickle (the process pool) and JSON (Redis: then as a list) alike.
SearchForms = tuple[str, str, tuple[tuple[str, str], ...]]


def search_forms(title: str | None, text: str | None) -> SearchForms:
    """Pure: the search index's row for an article with this title and text."""
    title, text = fold(title), fold(text)
    distinct = sorted(set(map(_term, set(_tokens(title)) | set(_tokens(text)))))
    return (title, text, tuple(chain.from_iterable(map(_pairs, distinct))))


@lru_cache(maxsize=WORD_CACHE)
def _pairs(term: str) -> tuple[tuple[str, str], ...]:
    return tuple((stem, term) for stem in stems(term))


# --- queries ----------------------------------------------------------------------------

class QueryError(ValueError):
    """Raised when a search query cannot be read; the message says why, for its author."""


@dataclass(frozen=True)
class Term:
    """Words to match: one word in any of its forms, or (``exact``) these words in this
    order as written; ``prefix``: the last word may continue."""

    words: tuple[str, ...]
    exact: bool = False
    prefix: bool = False
    source: str = ""


@dataclass(frozen=True)
class All:
    """Every one of ``include`` and none of ``exclude``."""

    include: tuple
    exclude: tuple = ()


@dataclass(frozen=True)
class Any:
    """At least one of ``items``."""

    items: tuple


_OPERATORS = {"OR", "AND", "NOT"}
_SPECIAL = '()"'


def _lex(query: str) -> list[tuple[str, object]]:
    """(kind, value) tokens: ( ) OR AND NOT - word phrase."""
    out: list[tuple[str, object]] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            out.append((char, char))
            i += 1
        elif char == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError(f"a quote is not closed: {query[i:].strip()} "
                                 '(put a " after the last word of the phrase)')
            text = query[i + 1:end]
            i = end + 1
            prefix = i < n and query[i] == "*"
            i += prefix
            out.append(("phrase", (text, prefix)))
        elif char == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != "-":
            # (a "-" inside a word, as in al-Bab, is read with the word below)
            out.append(("-", "-"))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _SPECIAL:
                j += 1
            run = query[i:j]
            i = j
            if run in _OPERATORS:
                out.append((run, run))
                continue
            prefix = run.endswith("*")
            body = run.rstrip("*")
            if prefix and not terms(body):
                raise QueryError(f"{run}: * goes at the end of the start of a word, "
                                 "as in displac*")
            out.append(("word", (body, prefix)))
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0

    def peek(self):
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.at]
        self.at += 1
        return token

    def any(self):
        items = [self.all()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError("OR needs a word on each side, as in Idlib OR Aleppo")
            items.append(self.all())
        items = [item for item in items if item is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Any(tuple(items))

    def all(self):
        include, exclude = [], []
        start = self.at
        while self.peek() not in (None, ")", "OR"):
            kind = self.peek()
            if kind == "AND":
                self.take()
                if self.at == start + 1 or self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError("AND needs a word on each side, as in Idlib AND Aleppo")
                continue
            if kind in ("NOT", "-"):
                self.take()
                if self.peek() not in ("word", "phrase", "("):
                    raise QueryError(
                        "NOT needs a word after it, as in Idlib NOT Aleppo" if kind == "NOT"
                        else "- goes right before the word to leave out, as in Idlib -Aleppo")
                node = self.atom()
                if node is not None:
                    exclude.append(node)
                continue
            node = self.atom()
            if node is not None:
                include.append(node)
        if self.at == start:
            if self.peek() == "OR":
                raise QueryError("OR needs a word on each side, as in Idlib OR Aleppo")
            return None
        if exclude and not include:
            left_out = " ".join(f'"{v[0]}"' if kind == "phrase" else
                                str(v[0]) if isinstance(v, tuple) else str(v)
                                for kind, v in self.tokens[start:self.at])
            raise QueryError(f"{left_out.replace('- ', '-')} only leaves words out; add a "
                             "word to search for, as in Idlib -Aleppo")
        if not include:
            return None
        if not exclude and len(include) == 1:
            return include[0]
        return All(tuple(include), tuple(exclude))

    def atom(self):
        kind, value = self.take()
        if kind == "(":
            node = self.any()
            if self.peek() != ")":
                raise QueryError("a parenthesis is not closed: add a )")
            self.take()
            return node
        if kind == ")":
            raise QueryError("a ) has no ( before it")
        text, prefix = value
        words = tuple(terms(fold(text)))
        if not words:
            if kind == "phrase" and not text.strip():
                raise QueryError('empty quotes "": put the words of a phrase between them')
            return None  # punctuation only: nothing to match
        exact = kind == "phrase" or len(words) > 1
        return Term(words, exact=exact, prefix=prefix,
                    source=f'"{text}"' if kind == "phrase" else text)


def parse(query: str) -> object:
    """The query as a tree of :class:`Term`, :class:`All` and :class:`Any`.

    Raises :class:`QueryError` for a query that cannot be read or has nothing to search for.
    """
    parser = _Parser(_lex(fold(query or "")))
    node = parser.any()
    if parser.peek() == ")":
        raise QueryError("a ) has no ( before it")
    if node is None:
        raise QueryError("nothing to search for: type a word")
    return node


def _stems_wanted(node, out: set) -> set:
    if isinstance(node, Term):
        if not node.exact and not node.prefix:
            out.update(stems(node.words[0]))
    else:
        for child in (node.items if isinstance(node, Any) else node.include + node.exclude):
            _stems_wanted(child, out)
    return out


def _quote(words: Iterable[str]) -> str:
    return '"' + " ".join(words) + '"'  # terms are letters and digits: nothing to escape


def _expression(node, forms: dict[str, set]) -> str:
    if isinstance(node, Term):
        if node.exact or node.prefix:
            return _quote(node.words) + ("*" if node.prefix else "")
        word = node.words[0]
        found = {word}
        for stem in stems(word):
            found.update(forms.get(stem, ()))
        if len(found) == 1:
            return _quote(found)
        return "(" + " OR ".join(_quote([w]) for w in sorted(found)) + ")"
    if isinstance(node, Any):
        return "(" + " OR ".join(_expression(item, forms) for item in node.items) + ")"
    text = " AND ".join(_expression(item, forms) for item in node.include)
    if len(node.include) > 1:
        text = f"({text})"
    if node.exclude:
        text += " NOT (" + " OR ".join(_expression(item, forms) for item in node.exclude) + ")"
        text = f"({text})"
    return text


def match_expression(query: str,
                     lookup: Callable[[list[str]], Iterable[tuple[str, str]]]) -> str:
    """The FTS5 MATCH expression for a user's ``query``.

    ``lookup(stems)`` gives the (stem, term) pairs the index holds for those stems
    (``archive.search.terms_for``).  Raises :class:`QueryError` (see :func:`parse`).
    """
    node = parse(query)
    wanted = sorted(_stems_wanted(node, set()))
    forms: dict[str, set] = {}
    if wanted:
        for stem, term in lookup(wanted):
            forms.setdefault(stem, set()).add(term)
    return _expression(node, forms)
