"""Authors: person names from JSON-LD, meta tags, byline elements and byline lines.

Sources in order (the first that yields a person wins): JSON-LD ``author`` of the article
(string, Person, list, ``@id`` reference; organisations skipped), ``<meta>`` (author,
article:author unless a URL, dc.creator, parsely-author, sailthru.author), byline elements
(rel=author, itemprop=author, class author/byline; related lists and comments skipped),
byline lines at the start or end of the body ("Reporting by: ...", "Posted on ... by ...",
"بقلم ...", "كتب ...", "إعداد ...").  Every candidate goes through
:func:`normalize_authors`; ``pipelines/data/author_names.toml`` says what is not a person.
Agencies are credits, not authors: "AFP", "Reuters", "وكالات" never appear in ``authors``.
"""

from __future__ import annotations

import html
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from ..dates import INVISIBLE, english_calendar_words, western_digits
from .page import article_objects, in_noise, meta_values, name_key, node_text, types_of

DATA = Path(__file__).resolve().parent.parent / "data"
META_AUTHOR_KEYS = (
    "author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
    "sailthru.author", "byl",
)


@lru_cache(maxsize=1)
def _author_rules():
    with open(DATA / "author_names.toml", "rb") as fh:
        data = tomllib.load(fh)
    prefixes = sorted(data["prefixes"], key=len, reverse=True)
    prefix_re = re.compile(
        r"^\s*(?:" + "|".join(re.escape(p) for p in prefixes) + r")(?:\s*[:：\-–—]\s*|\s+)",
        re.I)
    latin_seps = [s for s in data["separators"] if s.isascii()]
    other_seps = [s for s in data["separators"] if not s.isascii()]
    split_re = re.compile(
        r"\s*(?:[,;،؛/]|" + "|".join(
            (r"\s" + re.escape(s) + r"\s") if s.isalpha() else re.escape(s) for s in latin_seps)
        + "".join(r"|\s" + re.escape(s) + r"\s" for s in other_seps) + r")\s*", re.I)
    junk = {name_key(j) for j in data["junk"] + data["prefixes"]}
    patterns = [re.compile(p, re.I) for p in data["patterns"]]
    roles = sorted(data["role_suffixes"], key=len, reverse=True)
    role_re = re.compile(r"[\s,]+(?:" + "|".join(re.escape(r) for r in roles) + r")\s*$", re.I)
    return prefix_re, split_re, junk, patterns, role_re


EDITOR_CLAUSE = re.compile(
    r"^\s*(?:editing|edited|translated|translation|graphics|photos?|video|production|"
    r"تحرير|ترجمة|تصوير)\b", re.I)
URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|(?<!\w)@\w+")
LEADING_JOIN = re.compile(r"^(?:and|&|with)\s+", re.I)
# "Minh Do on Monday", "Carrie Arnold November 15": a date glued to the name
WHEN_TAIL = re.compile(
    r"\s+(?:on\s+|published\s+|updated\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?:" + "|".join(english_calendar_words()) + r")\b\.?(?:\s.*)?$", re.I)
PLACE_TAIL = re.compile(r"\s+(?:(?i:in|from|at)|—|–)\s+[A-Z][\w\s'-]*$|\s+(?:من|في)\s+\S+$")


def is_junk_author(name: str) -> bool:
    """True if ``name`` is not a person's name (calls to action, agencies, dates, URLs...)."""
    _, _, junk, patterns, _ = _author_rules()
    name = (name or "").strip()
    if not name or len(name.split()) > 6 or len(name) < 2:
        return True
    if name_key(name) in junk:
        return True
    if not re.search(r"[^\W\d_]", name):
        return True
    if name.isascii() and not re.search(r"\b[A-Z]", name):  # Latin names are capitalised
        return True
    return any(p.search(name) for p in patterns)


def _tidy_name(name: str) -> str:
    _, _, _, _, role_re = _author_rules()
    name = re.sub(r"\s+", " ", name).strip(" \t\n,.;:-–—|·•()[]\"'")
    name = LEADING_JOIN.sub("", name)
    name = role_re.sub("", name).strip(" ,")
    name = PLACE_TAIL.sub("", name).strip(" ,")
    name = WHEN_TAIL.sub("", name).strip(" ,")
    if name.isupper() and name.isascii() and len(name) > 3:
        name = name.title()
    return name


def _split_attached_wa(text: str) -> list[str]:
    """"أحمد الدمشقي وسلمى العلي" -> two names, when both sides have two words or more
    (so that a compound first name such as "محمد وليد" is not cut)."""
    parts = re.split(r"\s+و(?=[\u0621-\u064a]{2,})", text)
    if len(parts) == 2 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [text]


def normalize_authors(raw: str | list | None) -> list[str]:
    """Person names in a byline: prefixes removed, split on "and" / "," / "و", junk dropped.

    >>> normalize_authors("By Jane Doe and John Roe")
    ['Jane Doe', 'John Roe']
    >>> normalize_authors("Email the author")
    []
    """
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        out: list[str] = []
        for item in raw:
            for name in normalize_authors(item):
                if name_key(name) not in {name_key(o) for o in out}:
                    out.append(name)
        return out
    prefix_re, split_re, junk, _, _ = _author_rules()
    text = INVISIBLE.sub("", western_digits(html.unescape(str(raw)))).replace("\xa0", " ")
    text = URLISH.sub(" ", text)  # links, e-mail addresses and handles are never names
    out = []
    for segment in re.split(r"[|\n•·]+|\s[-–—]\s", text):
        for clause in segment.split(";"):
            if EDITOR_CLAUSE.match(clause):
                continue
            clause = prefix_re.sub("", clause.strip(), count=1)
            for piece in (p for part in split_re.split(clause) for p in _split_attached_wa(part)):
                piece = prefix_re.sub("", piece.strip(), count=1)
                if name_key(piece) in junk:  # "our correspondent", "Staff Writer", "By"
                    continue
                name = _tidy_name(piece)
                if not is_junk_author(name) and name_key(name) not in {name_key(o) for o in out}:
                    out.append(name)
    return out


def _jsonld_authors(objects: list[dict]) -> list[str]:
    by_id = {o.get("@id"): o for o in objects if isinstance(o.get("@id"), str)}
    names: list[str] = []
    for obj in article_objects(objects) or objects[:0]:
        authors = obj.get("author") or obj.get("creator")
        if authors is None:
            continue
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, str):
                names.append(author)
            elif isinstance(author, dict):
                if set(author) <= {"@id"} and author.get("@id") in by_id:
                    author = by_id[author["@id"]]
                if types_of(author) & {"organization", "newsmediaorganization", "corporation"}:
                    continue
                name = author.get("name")
                if isinstance(name, list):
                    name = name[0] if name else None
                if isinstance(name, str):
                    names.append(name)
        if names:
            break
    return names


SKIP_TAGS = {"meta", "link", "img", "script", "style", "body", "html", "article", "main"}
MAX_AUTHORS = 8
BYLINE_SKIP = re.compile(
    r"avatar|image|img|photo|bio|desc|about|social|follow|more|box-?title", re.I)


def _is_byline_node(node) -> bool:
    """rel=author links, itemprop=author, class author/byline/writer, id byline."""
    if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
        return False
    cls = (node.get("class") or "").lower()
    return ("author" in cls or "byline" in cls or "writer" in cls
            or "byline" in (node.get("id") or "").lower()
            or node.get("itemprop") == "author"
            or (node.tag == "a" and "author" in (node.get("rel") or "").lower().split()))


def _byline_block(node):
    """The small element around a byline name (several ``rel=author`` links share one)."""
    block = node
    for _ in range(3):
        parent = block.getparent()
        if parent is None or len(node_text(parent)) > 300:
            break
        block = parent
    return block


def _byline_authors(tree) -> list[str]:
    """Names in the first byline on the page, outside related lists, comments and sidebars."""
    nodes = [n for n in tree.iter() if _is_byline_node(n)]
    # nodes with a matching node inside: the innermost match holds the name
    outer = {a for n in nodes for a in n.iterancestors()}
    block = None
    names: list[str] = []
    for node in nodes:
        if BYLINE_SKIP.search(node.get("class") or "") or in_noise(node):
            continue
        # prefer the innermost match (the name inside a byline box)
        if node in outer:
            continue
        if block is not None and block not in (node, *node.iterancestors()):
            continue
        inner = node.xpath('.//*[@itemprop="name"]/@content | .//*[@itemprop="name"]')
        if inner:
            values = [v if isinstance(v, str) else node_text(v) for v in inner]
        else:
            values = [node.get("content") or node_text(node)]
        found = normalize_authors(values)
        if found and block is None:
            block = _byline_block(node)
        for name in found:
            if name not in names:
                names.append(name)
    return names[:MAX_AUTHORS]


BYLINE_LINE = re.compile(
    r"^\s*(?:by|written by|reporting by|reported by|words by|story by|additional reporting by"
    r"|بقلم|كتب|كتبت|إعداد|اعداد)(?:\s*[:\-–—]\s*|\s+)\S", re.I)
POSTED_BY = re.compile(r"^\s*(?:posted|published|written)\b.{0,60}?\bby\s+(.+)$", re.I)


def _text_line_authors(tree) -> list[str]:
    """Byline lines at the start or end of the body ("By Jane Doe", "بقلم: ...")."""
    containers = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not containers:
        return []
    lines = [(n, node_text(n)) for n in containers[0].xpath(
        ".//p | .//div[not(.//p|.//div)] | .//span[not(*)]")]
    lines = [(n, t) for n, t in lines if t]
    edges = [t for n, t in lines[:6] if not in_noise(n)][:3] + \
        [t for n, t in lines[-10:] if not in_noise(n)][-4:]
    for text in edges:
        if len(text.split()) > 14:
            continue
        posted = POSTED_BY.match(text)
        if BYLINE_LINE.match(text) or posted:
            names = normalize_authors(posted[1] if posted else text)
            if names:
                return names
    return []


def extract_authors(tree, objects: list[dict], site_names: list[str] | None = None) -> list[str]:
    """Person names from JSON-LD, meta, byline elements, then byline lines in the body."""
    sites = {name_key(s) for s in site_names or []}

    def keep(names):
        return [n for n in names
                if not any(s and (s == name_key(n) or len(s) >= 4 and s in name_key(n))
                           for s in sites)]

    from_meta = [v for v in meta_values(tree, META_AUTHOR_KEYS)
                 if not re.match(r"https?://", v.strip())]
    for found in (lambda: normalize_authors(_jsonld_authors(objects)),
                  lambda: normalize_authors(from_meta),
                  lambda: _byline_authors(tree),
                  lambda: _text_line_authors(tree)):
        names = keep(found())
        if names:
            return names
    return []
