"""Decide what a fetched HTML page is, with no per-site code.

``classify(html, url)`` returns one of:

* ``"article"``  - one story with a body of running text;
* ``"listing"``  - a section, tag, archive or front page: many headline links, little prose;
* ``"liveblog"`` - a live-blog shell: many short timestamped entries, no body of its own;
* ``"empty"``    - hardly any text at all (error pages, stubs, pages built by JavaScript).

Signals, strongest first: schema.org types in JSON-LD, ``og:type``, then the shape of the
text: how many words sit in long, link-poor paragraphs versus in link anchors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "report"}
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}
LIVE_TYPES = {"liveblogposting"}
WORD = re.compile(r"\w+")
SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "header", "form",
        "aside", "select", "button"}


@dataclass
class PageShape:
    prose_words: int  # words in link-poor paragraphs of >= 20 words
    block_words: int  # prose words of the richest single container (the article body)
    block_paragraphs: int
    long_paragraphs: int
    short_paragraphs: int
    link_words: int  # words inside <a> elements
    links: int
    times: int  # <time> elements
    ld_types: set
    og_type: str


def _jsonld_types(tree) -> set:
    types: set = set()
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                for k in kind if isinstance(kind, list) else [kind]:
                    if isinstance(k, str):
                        types.add(k.lower())
                stack.extend(v for key, v in node.items() if key in ("@graph", "mainEntity"))
    return types


BLOCKS = {"p", "div", "td", "th", "li", "section", "article", "main", "blockquote", "dd",
          "body", "pre", "center"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _opens_with_link(unit) -> bool:
    """True if the first thing in ``unit`` is a link of three or more words (a headline)."""
    if unit.text and unit.text.strip():
        return False
    first = next((c for c in unit if isinstance(c.tag, str)), None)
    while first is not None and first.tag != "a":
        if first.text and first.text.strip():
            return False
        first = next((c for c in first if isinstance(c.tag, str)), None)
    return first is not None and len(WORD.findall(first.text_content())) >= 3


NOT_PROSE = SKIP | HEADINGS | {"a"}  # text inside these is not paragraph text


def shape(tree) -> PageShape:
    """Measure the page in one pass: prose versus links."""
    og = tree.xpath('string(//meta[@property="og:type"]/@content)').strip().lower()
    units: dict = {}  # paragraph (nearest block element) -> words of text outside links
    link_words = links = 0
    # element -> (its nearest block element, itself included, or None; inside NOT_PROSE?;
    # inside SKIP?)
    context: dict = {}
    outside = (None, False, False)
    for el in tree.iter(etree.Element):  # parents first; comments' text and tails are skipped
        parent = context.get(el.getparent(), outside)
        tag = el.tag
        mine = context[el] = (el if tag in BLOCKS else parent[0], parent[1] or tag in NOT_PROSE,
                              parent[2] or tag in SKIP)
        if tag == "a" and not parent[2]:
            links += 1
            link_words += len(WORD.findall(el.text_content()))
        text = el.text
        if text and mine[0] is not None and not mine[1]:
            units[mine[0]] = units.get(mine[0], 0) + len(WORD.findall(text))
        text = el.tail
        if text and parent[0] is not None and not parent[1]:
            units[parent[0]] = units.get(parent[0], 0) + len(WORD.findall(text))
    prose = long_p = short_p = 0
    blocks: dict = {}
    for unit, words in units.items():
        if words >= 20:
            prose += words
            long_p += 1
            container = unit.getparent() if unit.tag in ("p", "li", "blockquote", "dd") else unit
            if container is None:
                continue
            block = blocks.setdefault(container, [0, 0])
            block[0] += words
            block[1] += 1 if unit is not container else max(1, words // 60)
        elif words:
            short_p += 1
    # A container whose paragraphs alternate with headline links, or whose items each open
    # with a headline link, is a listing of excerpts, not an article body.
    for container in list(blocks):
        heading_links = sum(1 for h in container if isinstance(h.tag, str) and (
            (h.tag in HEADINGS and h.find(".//a") is not None)
            or (h.tag == "a" and h.find(".//h2") is not None)))
        led = sum(1 for unit in container if isinstance(unit.tag, str)
                  and units.get(unit, 0) >= 20 and _opens_with_link(unit))
        if heading_links >= 3 or (led >= 3 and led * 2 >= blocks[container][1]):
            del blocks[container]
    best = max(blocks.values(), default=[0, 0])
    return PageShape(prose, best[0], best[1], long_p, short_p, link_words, links,
                     int(tree.xpath("count(//time)")), _jsonld_types(tree), og)


def parse(html: str):
    """Parse HTML leniently; None when there is nothing to parse."""
    html = html.replace("\x00", "")
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def classify(html: str, url: str = "") -> str:
    tree = parse(html) if isinstance(html, str) else html
    if tree is None:
        return "empty"
    s = shape(tree)
    if s.ld_types & LIVE_TYPES:
        return "liveblog"
    if s.prose_words < 40 and s.links < 5:
        return "empty"
    declared_article = bool(s.ld_types & ARTICLE_TYPES) or s.og_type == "article"
    declared_listing = bool(s.ld_types & LISTING_TYPES)
    # Many timestamped one-liners and little prose: a live-blog shell.
    if s.times >= 8 and s.short_paragraphs >= 8 and s.long_paragraphs <= 2:
        return "liveblog"
    # One container holding running text is an article body; a listing's excerpts sit one
    # to a container, or alternate with headline links (see shape()).
    body = s.block_words >= 150 or (s.block_paragraphs >= 2 and s.block_words >= 80)
    if body and not declared_listing:
        return "article"
    if declared_article and s.prose_words >= 40:
        return "article"
    if s.links >= 5:
        return "listing"
    return "empty"
