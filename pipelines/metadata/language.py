"""The article's language (ISO 639-1), identified on its text, its declaration as a hint.

Declared: ``<html lang>`` (or xml:lang), og:locale, content-language / language meta,
JSON-LD inLanguage.  When the body has enough letters (40), a language identifier
(py3langid, the langid.py model: 97 languages, ISO 639-1 codes) reads it and its answer is
stored whatever the language (``fa``, ``fr``, ``tr``...); the declaration (else the feed
hint, else the source's language) is taken instead when the identifier ranks it among its
likely answers, so a page's own word settles close calls.  A text mostly in Arabic script
is never given a language of another script, and the other way round.  With too little
text: the declaration, then the hint, then the source's language.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .page import article_objects, meta_values, node_text

LETTER = re.compile(r"[^\W\d_]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _language_code(value: str | None) -> str | None:
    if not value or not isinstance(value, str):
        return None
    code = re.split(r"[-_,;\s]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


# counting by deleting the runs of everything else: no list of one-letter strings (the
# findall of each class would make one; ~35 times slower on a long body)
_NOT_LETTERS = re.compile(r"[\W\d_]+")  # exactly the complement of LETTER
_NOT_LATIN = re.compile("[^A-Za-z\u00c0-\u024f]+")
_NOT_ARABIC = re.compile("[^\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")


def _count(others: re.Pattern, text: str) -> int:
    return len(others.sub("", text))


def arabic_share(text: str) -> tuple[float, int]:
    """(share of letters that are Arabic script, number of letters) in ``text``."""
    letters = _count(_NOT_LETTERS, text)
    if not letters:
        return 0.0, 0
    return _count(_NOT_ARABIC, text) / letters, letters


def latin_share(text: str) -> float:
    """Share of the letters in ``text`` that are basic or extended Latin."""
    letters = _count(_NOT_LETTERS, text)
    return _count(_NOT_LATIN, text) / letters if letters else 0.0


def _body_text(tree) -> str:
    containers = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not containers:
        return ""
    # iter(): document order in one pass (an XPath union sorts its nodes, quadratic on a
    # page of tens of thousands of paragraphs); only the first 20,000 characters count
    paragraphs, size = [], 0
    for node in containers[0].iter("p", "h1"):
        if node is containers[0]:
            continue
        text = node_text(node)
        paragraphs.append(text)
        size += len(text) + 1
        if size > 20000:
            break
    return (" ".join(paragraphs) or node_text(containers[0]))[:20000]


# scripts: a language identified on a text in another script is not taken
ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ku", "ug", "sd"})
MIN_LETTERS = 40  # fewer letters of body text: the declaration is all there is to go on
IDENTIFY_CHARS = 1500  # the identifier reads this much of the body (plenty, and its cost)
HINT_PROBABILITY = 0.01  # the declaration wins when the identifier gives it this much


@lru_cache(maxsize=1)
def _identifier():
    # imported here: loading the model costs ~0.4 s, paid once per process on first use
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def _rank(text: str) -> list[tuple[str, float]]:
    """(language, probability) for every language of the model, most likely first: the
    identifier's naive Bayes scores, summed over the text's features only.  (Its own
    ``rank`` multiplies the whole feature vector through BLAS, whose idle threads then spin
    on the other cores: a third of a core per process, on a machine whose cores the crawl
    keeps busy.)"""
    ident = _identifier()
    fv = ident.instance2fv(text)
    present = np.flatnonzero(fv)
    scores = (ident.nb_ptc[present] * fv[present, None]).sum(axis=0) + ident.nb_pc
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    order = np.argsort(-probs, kind="stable")
    return [(ident.nb_classes[i], float(probs[i])) for i in order]


def identify(text: str, hint: str | None = None) -> str | None:
    """The ISO 639-1 code of ``text``'s language: the identifier's answer, or ``hint`` when
    the identifier gives it a fair chance too.  None for a text without letters."""
    share, letters = arabic_share(text)
    if not letters:
        return None
    ranked = _rank(text[:IDENTIFY_CHARS])[:5]
    arabic_script = share > 0.5
    ranked = [(c, p) for c, p in ranked if (c in ARABIC_SCRIPT_LANGUAGES) == arabic_script]
    if not ranked:
        return "ar" if arabic_script else None
    if hint and any(code == hint and p >= HINT_PROBABILITY for code, p in ranked):
        return hint
    return ranked[0][0]


def extract_language(tree, objects: list[dict], hints: dict | None = None,
                     source_language: str | None = None) -> str | None:
    """ISO 639-1 code: the language identified on the body, the declaration as a hint."""
    hints = hints or {}
    declared = None
    roots = tree.xpath("/html") or tree.xpath("//html")
    if roots:
        declared = _language_code(roots[0].get("lang") or roots[0].get(
            "{http://www.w3.org/XML/1998/namespace}lang"))
    declared = declared or next(filter(None, map(_language_code, meta_values(
        tree, ("og:locale", "content-language", "language", "dc.language")))), None)
    if not declared:
        for obj in article_objects(objects):
            value = obj.get("inLanguage")
            declared = _language_code(value if isinstance(value, str) else None)
            if declared:
                break
    fallbacks = [_language_code(hints.get("language")), _language_code(source_language)]
    hint = declared or next(filter(None, fallbacks), None)
    body = _body_text(tree)
    if _count(_NOT_LETTERS, body) >= MIN_LETTERS:
        found = identify(body, hint)
        if found:
            return found
    return hint
