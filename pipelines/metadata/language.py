"""The article's language (ISO 639-1), the declaration checked against the text's script.

Declared: ``<html lang>`` (or xml:lang), og:locale, content-language / language meta,
JSON-LD inLanguage.  When the body has enough letters, more than half of them in Arabic
script means ``"ar"`` whatever the page says; a body in another script is never ``"ar"``
(the declaration, the feed hint or the source's language if not Arabic, else ``"en"`` for
Latin script and unknown for others).  With
too little text, the declaration, then the hint, then the source's language.
"""

from __future__ import annotations

import re

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


def extract_language(tree, objects: list[dict], hints: dict | None = None,
                     source_language: str | None = None) -> str | None:
    """ISO 639-1 code: the page's declaration checked against the script of the body."""
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
    body = _body_text(tree)
    share, letters = arabic_share(body)
    if letters >= 40:
        if share > 0.5:
            return "ar"
        # Latin (or other) script: a declaration of Arabic cannot be right
        for code in (declared, *fallbacks):
            if code and code != "ar":
                return code
        # nothing declared: Latin script is taken as English (the archive's other
        # language); another script (Cyrillic, CJK...) is left unknown
        return "en" if latin_share(body) > 0.5 else None
    return declared or next(filter(None, fallbacks), None)
