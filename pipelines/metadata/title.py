"""The headline, without the outlet's name.

Sources in order: the visible ``<h1>`` of the article (when it has three words or more:
social and structured-data titles are often rewritten for sharing), og:title
(twitter:title), JSON-LD headline, ``<title>``.  A
leading or trailing part ("Headline | Outlet", "Outlet – Headline") is removed when it
matches og:site_name, the JSON-LD publisher, or the host name, or when another title
source (or, on pages without ``<h1>``, an ``<h2>``) carries the headline without it.
"""

from __future__ import annotations

import html
import re

from ..dates import INVISIBLE
from .page import article_objects, in_noise, meta_values, name_key, node_text, site_names

MIN_HEADLINE_WORDS = 3  # a shorter <h1> is a section label or a logo, not the headline
SEPARATORS = re.compile(r"\s+[|\-–—:·»«/•~]\s+|\s*[|｜]\s*|\s+::\s+")
# "Outlet: Headline", "Headline (Outlet)", "Headline [Outlet]", "Headline — Outlet.com"
LEADING_LABEL = re.compile(r"^\s*(?P<part>[^:：]{2,60}?)\s*[:：]\s+(?=\S)")
TRAILING_BRACKETS = re.compile(r"\s*[(\[（]\s*(?P<part>[^()\[\]（）]{2,60}?)\s*[)\]）]\s*$")


def _is_site_name(part: str, sites: list[str]) -> bool:
    key = name_key(part)
    if not key:
        return True
    for site in sites:
        site_key = name_key(site)
        if len(site_key) < 3:
            continue
        if key == site_key or (len(key) >= 4 and (key in site_key or site_key in key)
                               and len(part.split()) <= 5):
            return True
    return False


def strip_site(title: str, sites: list[str]) -> str:
    """``title`` without the outlet's name, however it is joined: "Headline | Outlet",
    "Outlet – Headline", "Outlet: Headline", "Headline (Outlet)"."""
    for pattern in (LEADING_LABEL, TRAILING_BRACKETS):
        m = pattern.search(title)
        if m and _is_site_name(m.group("part"), sites) and len(title) - len(m.group(0)) > 8:
            title = (title[:m.start()] + title[m.end():]).strip()
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
    keys = {name_key(o): o for o in others if o}
    for i in range(1, len(parts)):
        head = "".join(p + (seps[j] if j < i - 1 else "") for j, p in enumerate(parts[:i]))
        tail = "".join(p + (seps[i + j] if i + j < len(seps) else "") for j, p in enumerate(parts[i:]))
        for candidate in (head, tail):
            if name_key(candidate) in keys and name_key(candidate) != name_key(title):
                return keys[name_key(candidate)]
    return title


def extract_title(tree, objects: list[dict], url: str) -> str | None:
    """The headline without the outlet's name."""
    sites = site_names(tree, objects, url)
    site_keys = {name_key(s) for s in sites}

    def usable(text: str) -> bool:  # a logo in <h1> or og:title set to the outlet's name
        return bool(text) and name_key(text) not in site_keys

    candidates: list[str] = []
    candidates += meta_values(tree, ("og:title", "twitter:title"))[:1]
    for obj in article_objects(objects):
        if isinstance(obj.get("headline"), str):
            candidates.append(obj["headline"])
            break
    h1s = tree.xpath("//article//h1 | //main//h1") or tree.xpath("//h1")
    h1s = [t for t in (node_text(h) for h in h1s if not in_noise(h)) if usable(t)]
    if h1s:
        candidates.append(h1s[0])
    titles = tree.xpath("//head/title | //title")
    if titles:
        candidates.append(node_text(titles[0]))
    # html.unescape: JSON-LD and double-escaped meta carry "Syria&#8217;s", "&amp;"
    candidates = [re.sub(r"\s+", " ", INVISIBLE.sub("", html.unescape(c))).strip()
                  for c in candidates if isinstance(c, str)]
    candidates = [c for c in candidates if c]
    cleaned = [c for c in (strip_site(c, sites) for c in candidates) if usable(c)]
    if not cleaned:
        return None
    # pages without <h1> often set the headline in the first <h2>: evidence, not a source
    evidence = [] if h1s else [node_text(h) for h in tree.xpath("//h2")[:3] if not in_noise(h)]
    best = cleaned[0]
    if h1s:
        # the headline shown on the page wins over a social or structured-data title
        # rewritten for sharing, unless it is a section label ("News", "Opinion")
        shown = strip_site(re.sub(r"\s+", " ", INVISIBLE.sub("", html.unescape(h1s[0]))).strip(),
                            sites)
        if usable(shown) and len(shown.split()) >= MIN_HEADLINE_WORDS:
            best = shown
    return _shared_part(best, cleaned[1:] + evidence) or best
