"""Article metadata with provenance: title, authors, published date, language, canonical link.

:func:`extract_metadata` is pure (an lxml tree and strings in, a dict out); the extract
stage calls it.  Each field has an ordered list of places to look; the first that gives a
plausible value wins:

- title: og:title, JSON-LD headline, ``<h1>``, ``<title>``; a site-name prefix or suffix
  ("Headline | Outlet") is removed when it matches og:site_name, the JSON-LD publisher, the
  host name, or when another title source carries the headline without it.
- authors: JSON-LD persons, ``<meta>`` (author, article:author, dc.creator, parsely-author,
  sailthru.author), byline elements (rel=author, itemprop/class author or byline), byline
  lines at the start or end of the body ("Reporting by: ...", "بقلم ...").  Names pass
  through :func:`normalize_authors`; ``pipelines/data/author_names.toml`` lists what is not
  a person (agencies are credits, not authors).
- published: JSON-LD datePublished, meta, ``<time datetime>``, the feed/sitemap hint, the
  URL, visible text; dates before 1990 or after tomorrow fall through to the next source;
  modified/updated dates, copyright years and dates of related articles are never read.
  ``published_source`` names the source used.
- language: declared (``lang``, og:locale, content-language) checked against the script of
  the body text: more than half Arabic letters is ``"ar"`` whatever the page says.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .dates import (
    date_from_url,
    find_text_dates,
    normalize_arabic,
    parse_machine_date,
    plausible,
    western_digits,
)

DATA = Path(__file__).parent / "data"

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "socialmediaposting", "report", "scholarlyarticle", "techarticle",
}
META_DATE_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "article.published", "date", "dc.date.issued", "dcterms.issued",
    "parsely-pub-date", "sailthru.date", "dc.date", "dcterms.date", "dcterms.created",
)
META_AUTHOR_KEYS = (
    "author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
    "sailthru.author", "byl",
)
# class/id tokens of page parts whose dates and names are not the article's
NOISE_TOKENS = {
    "related", "recent", "popular", "trending", "sidebar", "widget", "widgets", "comment",
    "comments", "respond", "recommended", "recommendations", "newsletter", "nav",
    "navigation", "menu", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
    "promo", "teaser", "teasers", "copyright", "more", "also", "readmore", "mostread",
    "most", "latest", "ticker", "outbrain", "taboola", "ad", "ads", "advert", "today",
    "topbar",
}
MODIFIED = re.compile(r"modif|updat|edited|revis|تحديث|تعديل", re.I)
PUBLISHED = re.compile(r"publish|posted|entry-date|pubdate|created|date-pub|نشر", re.I)
DATEISH = re.compile(r"date|time|publish|posted|byline|dateline|meta|info|tarikh|تاريخ", re.I)
DATE_LABEL = re.compile(
    r"(?:published|posted|date|on|نشر|بتاريخ|تاريخ النشر|تاريخ)\s*(?:on|في|:)?", re.I)
MODIFIED_CLAUSE = re.compile(
    r"(?:last\s+)?(?:updated|modified|edited|revised|آخر\s+تحديث|تم\s+التحديث|تحديث|تعديل)"
    r"[^|\n•·]{0,60}", re.I)
SEPARATORS = re.compile(r"\s+[|\-–—:·»«/•]\s+|\s*\|\s*|\s+::\s+")
ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


# ---------------------------------------------------------------------------------------
# Helpers


def _text(node) -> str:
    try:
        return re.sub(r"\s+", " ", node.text_content()).strip()
    except (AttributeError, ValueError):
        return ""


def _tokens(node) -> set[str]:
    value = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return {t for t in re.split(r"[\s_-]+", value) if t}


def _in_noise(node) -> bool:
    """True if ``node`` sits in navigation, a sidebar, comments, related lists, a footer..."""
    inside_article = bool(node.xpath("ancestor::article"))
    current = node
    while current is not None and isinstance(current.tag, str):
        tag = current.tag.lower()
        if tag in ("aside", "nav", "form"):
            return True
        tokens = _tokens(current)
        if tokens & NOISE_TOKENS:
            return True
        if (tag == "footer" or "footer" in tokens) and not inside_article:
            return True
        current = current.getparent()
    return False


def _modified(node, depth: int = 2) -> bool:
    """True if ``node`` (or a near ancestor) is marked as a modified / updated date."""
    current = node
    for _ in range(depth + 1):
        if current is None or not isinstance(current.tag, str):
            break
        marks = " ".join(current.get(a) or "" for a in ("class", "id", "itemprop", "property"))
        if MODIFIED.search(marks) and not PUBLISHED.search(marks):
            return True
        current = current.getparent()
    return False


def _norm_key(text: str) -> str:
    """Lower case, Arabic folded, letters and digits only (for comparing names)."""
    return re.sub(r"[\W_]+", "", normalize_arabic((text or "").lower()))


def _meta(tree, keys) -> list[str]:
    """Values of ``<meta>`` tags whose name/property/itemprop is one of ``keys``, in key order."""
    found: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        content = (node.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (node.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, []).append(content)
    return [value for key in keys for value in found.get(key, [])]


# ---------------------------------------------------------------------------------------
# JSON-LD


def _load_json(raw: str):
    raw = raw.strip()
    raw = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", raw)
    raw = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", raw)
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def jsonld_objects(tree) -> list[dict]:
    """Every JSON-LD object on the page, flattened (lists, @graph, mainEntity)."""
    out: list[dict] = []

    def walk(value, depth=0):
        if depth > 4:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            out.append(value)
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                if isinstance(value.get(key), (dict, list)):
                    walk(value[key], depth + 1)

    for node in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _load_json(node.text or "")
        if data is not None:
            walk(data)
    return out


def _types(obj: dict) -> set[str]:
    value = obj.get("@type") or []
    if isinstance(value, str):
        value = [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in value}


def _article_objects(objects: list[dict]) -> list[dict]:
    return [o for o in objects if _types(o) & ARTICLE_TYPES]


# ---------------------------------------------------------------------------------------
# Title


def _site_names(tree, objects: list[dict], url: str, with_host: bool = True) -> list[str]:
    names = _meta(tree, ("og:site_name", "application-name", "apple-mobile-web-app-title",
                         "twitter:site"))
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
        if _types(obj) & {"website", "organization", "newsmediaorganization"}:
            if isinstance(obj.get("name"), str):
                names.append(obj["name"])
    host = urlsplit(url or "").hostname or "" if with_host else ""
    labels = [p for p in host.split(".") if p not in ("www", "m", "amp", "english", "arabic", "ar", "en")]
    if labels:
        names.append(max(labels[:-1] or labels, key=len))
    return [n.lstrip("@") for n in names if n and n.strip()]


def _is_site_name(part: str, sites: list[str]) -> bool:
    key = _norm_key(part)
    if not key:
        return True
    for site in sites:
        site_key = _norm_key(site)
        if len(site_key) < 3:
            continue
        if key == site_key or (len(key) >= 4 and (key in site_key or site_key in key)
                               and len(part.split()) <= 5):
            return True
    return False


def _strip_site(title: str, sites: list[str]) -> str:
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = SEPARATORS.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and _is_site_name(parts[end - 1], sites):
        end -= 1
    while end - start > 1 and _is_site_name(parts[start], sites):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    pieces = [parts[start]]
    for i in range(start + 1, end):
        pieces.append(seps[i - 1])
        pieces.append(parts[i])
    return "".join(pieces).strip()


def _shared_part(title: str, others: list[str]) -> str:
    """If another title source is a leading or trailing run of ``title``'s parts, use it."""
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = SEPARATORS.findall(title)
    keys = {_norm_key(o): o for o in others if o}
    for i in range(1, len(parts)):
        head = "".join(p + (seps[j] if j < i - 1 else "") for j, p in enumerate(parts[:i]))
        tail = "".join(p + (seps[i + j] if i + j < len(seps) else "") for j, p in enumerate(parts[i:]))
        for candidate in (head, tail):
            if _norm_key(candidate) in keys and _norm_key(candidate) != _norm_key(title):
                return keys[_norm_key(candidate)]
    return title


def extract_title(tree, objects: list[dict], url: str) -> str | None:
    """The headline without the outlet's name."""
    candidates: list[str] = []
    candidates += _meta(tree, ("og:title", "twitter:title"))[:1]
    for obj in _article_objects(objects):
        if isinstance(obj.get("headline"), str):
            candidates.append(obj["headline"])
            break
    h1s = tree.xpath("//article//h1 | //main//h1") or tree.xpath("//h1")
    h1s = [h for h in h1s if not _in_noise(h) and _text(h)]
    if h1s:
        candidates.append(_text(h1s[0]))
    titles = tree.xpath("//head/title | //title")
    if titles:
        candidates.append(_text(titles[0]))
    candidates = [re.sub(r"\s+", " ", c).strip() for c in candidates if c and c.strip()]
    if not candidates:
        return None
    sites = _site_names(tree, objects, url)
    cleaned = [_strip_site(c, sites) for c in candidates]
    # pages without <h1> often set the headline in the first <h2>: evidence, not a source
    evidence = [] if h1s else [_text(h) for h in tree.xpath("//h2")[:3] if not _in_noise(h)]
    best = cleaned[0]
    return _shared_part(best, cleaned[1:] + evidence) or best


# ---------------------------------------------------------------------------------------
# Authors


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
    junk = {_norm_key(j) for j in data["junk"]}
    patterns = [re.compile(p, re.I) for p in data["patterns"]]
    roles = sorted(data["role_suffixes"], key=len, reverse=True)
    role_re = re.compile(r"[\s,]+(?:" + "|".join(re.escape(r) for r in roles) + r")\s*$", re.I)
    return prefix_re, split_re, junk, patterns, role_re


EDITOR_CLAUSE = re.compile(
    r"^\s*(?:editing|edited|translated|translation|graphics|photos?|video|production|"
    r"تحرير|ترجمة|تصوير)\b", re.I)
URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|(?<!\w)@\w+")
PLACE_TAIL = re.compile(r"\s+(?:in|from|at|—|–)\s+[A-Z][\w\s'-]*$|\s+(?:من|في)\s+\S+$")


def is_junk_author(name: str) -> bool:
    """True if ``name`` is not a person's name (calls to action, agencies, dates, URLs...)."""
    _, _, junk, patterns, _ = _author_rules()
    name = (name or "").strip()
    if not name or len(name.split()) > 6 or len(name) < 2:
        return True
    if _norm_key(name) in junk:
        return True
    if not re.search(r"[^\W\d_]", name):
        return True
    if name.isascii() and not re.search(r"\b[A-Z]", name):  # Latin names are capitalised
        return True
    return any(p.search(name) for p in patterns)


def _tidy_name(name: str) -> str:
    _, _, _, _, role_re = _author_rules()
    name = re.sub(r"\s+", " ", name).strip(" \t\n,.;:-–—|·•()[]\"'")
    name = role_re.sub("", name).strip(" ,")
    name = PLACE_TAIL.sub("", name).strip(" ,")
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
                if _norm_key(name) not in {_norm_key(o) for o in out}:
                    out.append(name)
        return out
    prefix_re, split_re, _, _, _ = _author_rules()
    text = western_digits(str(raw)).replace("\xa0", " ")
    text = URLISH.sub(" ", text)  # links, e-mail addresses and handles are never names
    out = []
    for segment in re.split(r"[|\n•·]+|\s[-–—]\s", text):
        for clause in segment.split(";"):
            if EDITOR_CLAUSE.match(clause):
                continue
            clause = prefix_re.sub("", clause.strip(), count=1)
            for piece in (p for part in split_re.split(clause) for p in _split_attached_wa(part)):
                piece = prefix_re.sub("", piece.strip(), count=1)
                if is_junk_author(piece.strip(" ,.;:")):  # "our correspondent", "Staff Writer"
                    continue
                name = _tidy_name(piece)
                if not is_junk_author(name) and _norm_key(name) not in {_norm_key(o) for o in out}:
                    out.append(name)
    return out


def _jsonld_authors(objects: list[dict]) -> list[str]:
    by_id = {o.get("@id"): o for o in objects if isinstance(o.get("@id"), str)}
    names: list[str] = []
    for obj in _article_objects(objects) or objects[:0]:
        authors = obj.get("author") or obj.get("creator")
        if authors is None:
            continue
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, str):
                names.append(author)
            elif isinstance(author, dict):
                if set(author) <= {"@id"} and author.get("@id") in by_id:
                    author = by_id[author["@id"]]
                if _types(author) & {"organization", "newsmediaorganization", "corporation"}:
                    continue
                name = author.get("name")
                if isinstance(name, list):
                    name = name[0] if name else None
                if isinstance(name, str):
                    names.append(name)
        if names:
            break
    return names


BYLINE_XPATH = (
    '//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]'
    ' | //*[@itemprop="author"]'
    ' | //*[contains(translate(@class, "AUTHORBYLINE", "authorbyline"), "author")'
    '   or contains(translate(@class, "AUTHORBYLINE", "authorbyline"), "byline")'
    '   or contains(translate(@id, "AUTHORBYLINE", "authorbyline"), "byline")'
    '   or contains(@class, "writer")]'
)
BYLINE_SKIP = re.compile(r"avatar|image|img|photo|bio|desc|about|social|follow|more|box-?title", re.I)


def _byline_authors(tree) -> list[str]:
    nodes = [n for n in tree.xpath(BYLINE_XPATH)
             if isinstance(n.tag, str) and n.tag not in ("meta", "link", "img", "script", "body", "html", "article", "main")]
    names: list[str] = []
    node_set = set(nodes)
    for node in nodes:
        if BYLINE_SKIP.search(node.get("class") or "") or _in_noise(node):
            continue
        # prefer the innermost match (the name inside a byline box)
        if any(d in node_set for d in node.iterdescendants()):
            continue
        inner = node.xpath('.//*[@itemprop="name"]/@content | .//*[@itemprop="name"]')
        if inner:
            values = [v if isinstance(v, str) else _text(v) for v in inner]
        else:
            values = [node.get("content") or _text(node)]
        for value in values:
            for name in normalize_authors(value):
                if name not in names:
                    names.append(name)
    return names


BYLINE_LINE = re.compile(
    r"^\s*(?:by|written by|reporting by|reported by|words by|story by|additional reporting by"
    r"|بقلم|كتب|كتبت|إعداد|اعداد)(?:\s*[:\-–—]\s*|\s+)\S", re.I)
POSTED_BY = re.compile(r"^\s*(?:posted|published|written)\b.{0,60}?\bby\s+(.+)$", re.I)


def _text_line_authors(tree) -> list[str]:
    """Byline lines at the start or end of the body ("By Jane Doe", "بقلم: ...")."""
    containers = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not containers:
        return []
    lines = [n for n in containers[0].xpath(".//p | .//div[not(.//p|.//div)] | .//span[not(*)]")
             if not _in_noise(n)]
    texts = [_text(n) for n in lines]
    texts = [t for t in texts if t]
    for text in texts[:3] + texts[-4:]:
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
    sites = {_norm_key(s) for s in site_names or []}

    def keep(names):
        return [n for n in names
                if not any(s and (s == _norm_key(n) or len(s) >= 4 and s in _norm_key(n))
                           for s in sites)]

    meta_values = [v for v in _meta(tree, META_AUTHOR_KEYS)
                   if not re.match(r"https?://", v.strip())]
    for found in (lambda: normalize_authors(_jsonld_authors(objects)),
                  lambda: normalize_authors(meta_values),
                  lambda: _byline_authors(tree),
                  lambda: _text_line_authors(tree)):
        names = keep(found())
        if names:
            return names
    return []


# ---------------------------------------------------------------------------------------
# Published date


def _time_candidates(tree) -> list[str]:
    scored = []
    nodes = tree.xpath('//time[@datetime] | //*[@itemprop="datePublished"][not(self::meta)]')
    for order, node in enumerate(nodes):
        if _in_noise(node) or _modified(node):
            continue
        value = node.get("datetime") or node.get("content") or _text(node)
        marks = " ".join(node.get(a) or "" for a in ("class", "itemprop", "id"))
        score = 0
        if node.get("itemprop") == "datePublished" or node.get("pubdate") is not None \
                or PUBLISHED.search(marks):
            score = 2
        elif node.xpath("ancestor::article | ancestor::header | ancestor::main"):
            score = 1
        scored.append((-score, order, value))
    return [value for _, _, value in sorted(scored)]


def _text_candidates(tree) -> list[str]:
    """Dates printed in date/byline elements, then short labelled lines in the article."""
    out: list[str] = []
    seen = set()
    body = tree.xpath("//body")
    root = body[0] if body else tree
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "time"):
            continue
        marks = " ".join(node.get(a) or "" for a in ("class", "id", "itemprop"))
        if not DATEISH.search(marks) or MODIFIED.search(marks) and not PUBLISHED.search(marks):
            continue
        text = _text(node)
        if not text or len(text) > 200 or _in_noise(node) or id(node) in seen:
            continue
        seen.add(id(node))
        out += find_text_dates(MODIFIED_CLAUSE.sub(" ", text))
    containers = root.xpath(".//article") or root.xpath(".//main") or [
        h.getparent() for h in root.xpath(".//h1 | .//h2")[:1] if h.getparent() is not None]
    if not containers:
        return out
    for node in containers[0].iter("p", "span", "div", "li", "small", "em", "strong"):
        if any(isinstance(c.tag, str) and c.tag in ("p", "div") for c in node):
            continue
        text = _text(node)
        if not text or len(text) > 120 or _in_noise(node):
            continue
        text = MODIFIED_CLAUSE.sub(" ", text)
        dates = find_text_dates(text)
        if dates and (DATE_LABEL.search(text) or len(text) < 40):
            out += dates
    return out


def extract_published(tree, objects: list[dict], url: str, hints: dict | None = None,
                      now: datetime | None = None) -> tuple[str | None, str | None]:
    """``(ISO date, source)``: the first plausible date in the documented order."""
    hints = hints or {}

    def first(values, parse=parse_machine_date):
        for value in values:
            parsed = parse(value) if isinstance(value, str) else None
            if parsed and plausible(parsed, now):
                return parsed
        return None

    articles = _article_objects(objects)
    jsonld = [o.get("datePublished") for o in articles] + \
             [o.get("datePublished") for o in objects if o not in articles]
    found = first(jsonld)
    if found:
        return found, "json-ld"
    found = first(_meta(tree, META_DATE_KEYS))
    if found:
        return found, "meta"
    found = first(_time_candidates(tree))
    if found:
        return found, "time"
    found = first([hints.get("published")])
    if found:
        source = hints.get("published_source")
        return found, source if source in ("feed", "sitemap") else "feed"
    from_url = date_from_url(url)
    if from_url and not plausible(from_url, now):
        from_url = None
    text_dates = [d for d in _text_candidates(tree) if plausible(d, now)]
    if from_url:
        if len(from_url) == 7:  # only the month: a printed date in that month is finer
            for value in text_dates:
                if value.startswith(from_url):
                    return value, "text"
        return from_url, "url"
    if text_dates:
        return text_dates[0], "text"
    return None, None


# ---------------------------------------------------------------------------------------
# Language


def _language_code(value: str | None) -> str | None:
    if not value or not isinstance(value, str):
        return None
    code = re.split(r"[-_,;\s]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def arabic_share(text: str) -> tuple[float, int]:
    """(share of letters that are Arabic script, number of letters) in ``text``."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0, 0
    arabic = sum(1 for c in letters if ARABIC_LETTER.match(c))
    return arabic / len(letters), len(letters)


def _body_text(tree) -> str:
    containers = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not containers:
        return ""
    paragraphs = [_text(p) for p in containers[0].xpath(".//p | .//h1")]
    return " ".join(paragraphs) or _text(containers[0])


def extract_language(tree, objects: list[dict], hints: dict | None = None,
                     source_language: str | None = None) -> str | None:
    """ISO 639-1 code: the page's declaration checked against the script of the body."""
    hints = hints or {}
    declared = None
    roots = tree.xpath("/html") or tree.xpath("//html")
    if roots:
        declared = _language_code(roots[0].get("lang") or roots[0].get(
            "{http://www.w3.org/XML/1998/namespace}lang"))
    declared = declared or next(filter(None, map(_language_code, _meta(
        tree, ("og:locale", "content-language", "language", "dc.language")))), None)
    if not declared:
        for obj in _article_objects(objects):
            declared = _language_code(obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None)
            if declared:
                break
    fallbacks = [_language_code(hints.get("language")), _language_code(source_language)]
    share, letters = arabic_share(_body_text(tree))
    if letters >= 40:
        if share > 0.5:
            return "ar"
        # Latin (or other) script: a declaration of Arabic cannot be right
        for code in (declared, *fallbacks):
            if code and code != "ar":
                return code
        return "en" if share < 0.2 else None
    return declared or next(filter(None, fallbacks), None)


# ---------------------------------------------------------------------------------------
# Canonical link and the whole record


def extract_canonical(tree, url: str) -> str | None:
    """rel=canonical (else og:url) as found on the page, made absolute."""
    for href in tree.xpath('//link[contains(concat(" ", normalize-space(translate(@rel, '
                           '"CANONICAL", "canonical")), " "), " canonical ")]/@href'):
        if href.strip():
            return urljoin(url, href.strip())
    for value in _meta(tree, ("og:url",)):
        return urljoin(url, value)
    return None


def extract_metadata(tree, html: str, url: str, hints: dict | None = None, *,
                     source_language: str | None = None, now: datetime | None = None) -> dict:
    """Pure: title, authors, published (+ published_source), language, canonical_link.

    ``tree`` is the page parsed with ``lxml.html``; ``hints`` come from the feed or sitemap
    entry that led to the page ({"title", "published", "published_source", "language"});
    ``source_language`` is the source's configured language (last fallback).
    """
    hints = hints or {}
    objects = jsonld_objects(tree)
    title = extract_title(tree, objects, url)
    if not title and hints.get("title"):
        title = re.sub(r"\s+", " ", hints["title"]).strip()
    published, published_source = extract_published(tree, objects, url, hints, now)
    return {
        "title": title or None,
        "authors": extract_authors(tree, objects, _site_names(tree, objects, url, with_host=False)),
        "published": published,
        "published_source": published_source,
        "language": extract_language(tree, objects, hints, source_language),
        "canonical_link": extract_canonical(tree, url),
    }
