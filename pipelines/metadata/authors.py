"""Authors and credits: person names and the agencies, outlets and other credits of a page.

Sources in order (the first that yields a person wins): JSON-LD ``author`` of the article
(string, Person, list, ``@id`` reference; an Organization is a credit), ``<meta>`` (author,
article:author unless a URL, dc.creator, parsely-author, sailthru.author), byline elements
(rel=author, itemprop=author, class author/byline; related lists, comments and a
fact-check's claim skipped), byline lines at the start or end of the body ("Reporting by:
...", "Posted on ... by ...", "بقلم ...", "كتبت ...", "إعداد ...").  The names are read by
the one set of byline rules, :mod:`pipelines.bylines` (data:
``pipelines/data/author_names.toml``): agencies and outlets are credits, never authors;
the page's own site name and its menu's section names are never authors either.
"""

from __future__ import annotations

import re

from ..bylines import Byline, is_junk_author, name_key, normalize_authors, read_line, read_names
from .page import article_objects, in_noise, meta_values, node_text, types_of

__all__ = ["extract_authors", "extract_byline", "is_junk_author", "normalize_authors"]

META_AUTHOR_KEYS = (
    "author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
    "sailthru.author", "byl",
)
ORGANISATION_TYPES = {"organization", "newsmediaorganization", "corporation", "newsagency",
                      "governmentorganization", "ngo"}


def _jsonld_authors(objects: list[dict]) -> tuple[list[str], list[str]]:
    """(names of the article's authors, names of organisations given as its author)."""
    by_id = {o.get("@id"): o for o in objects if isinstance(o.get("@id"), str)}
    names: list[str] = []
    organisations: list[str] = []
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
                name = author.get("name")
                if isinstance(name, list):
                    name = name[0] if name else None
                if not isinstance(name, str):
                    continue
                if types_of(author) & ORGANISATION_TYPES:
                    organisations.append(name)
                else:
                    names.append(name)
        if names:
            break
    return names, organisations


SKIP_TAGS = {"meta", "link", "img", "script", "style", "body", "html", "article", "main"}
MAX_AUTHORS = 8
BYLINE_SKIP = re.compile(
    r"avatar|image|img|photo|bio|desc|about|social|follow|more|box-?title", re.I)
# a fact-check's claim: who made the claim (the claimant) is not who wrote the check
CLAIM = re.compile(r"claim|verdict|rating|ادعاء|الادعاء", re.I)


def _is_byline_node(node) -> bool:
    """rel=author links, itemprop=author, class author/byline/writer, id byline."""
    if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
        return False
    cls = (node.get("class") or "").lower()
    return ("author" in cls or "byline" in cls or "writer" in cls
            or "byline" in (node.get("id") or "").lower()
            or node.get("itemprop") == "author"
            or (node.tag == "a" and "author" in (node.get("rel") or "").lower().split()))


def _in_claim(node) -> bool:
    """True if ``node`` sits in a fact-check's claim box (its claimant, rating, verdict)."""
    for current in (node, *node.iterancestors()):
        if not isinstance(current.tag, str):
            continue
        marks = f"{current.get('class') or ''} {current.get('id') or ''} {current.get('itemprop') or ''}"
        if CLAIM.search(marks) or (current.get("itemtype") or "").lower().endswith("/claim"):
            return True
    return False


def _byline_block(node):
    """The small element around a byline name (several ``rel=author`` links share one)."""
    block = node
    for _ in range(3):
        parent = block.getparent()
        if parent is None or len(node_text(parent)) > 300:
            break
        block = parent
    return block


def _byline_names(tree, sites) -> Byline:
    """Names in the first byline on the page, outside related lists, comments, sidebars and
    a fact-check's claim."""
    nodes = [n for n in tree.iter() if _is_byline_node(n)]
    # nodes with a matching node inside: the innermost match holds the name
    outer = {a for n in nodes for a in n.iterancestors()}
    block = None
    names: list[str] = []
    credits: list[dict] = []
    for node in nodes:
        if BYLINE_SKIP.search(node.get("class") or "") or in_noise(node) or _in_claim(node):
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
        found = read_names(values, sites)
        if (found.authors or found.credits) and block is None:
            block = _byline_block(node)
        for name in found.authors:
            if name not in names:
                names.append(name)
        credits += found.credits
    return Byline(names[:MAX_AUTHORS], credits)


def _text_line_names(tree, sites) -> Byline:
    """Byline lines at the start or end of the body ("By Jane Doe", "بقلم: ...")."""
    containers = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not containers:
        return Byline([], [])
    lines = [(n, node_text(n)) for n in containers[0].xpath(
        ".//p | .//div[not(.//p|.//div)] | .//span[not(*)]")]
    lines = [(n, t) for n, t in lines if t]
    edges = [t for n, t in lines[:6] if not in_noise(n) and not _in_claim(n)][:3] + \
        [t for n, t in lines[-10:] if not in_noise(n) and not _in_claim(n)][-4:]
    for text in edges:
        if len(text.split()) > 30:  # a wire credit names several people and roles
            continue
        found = read_line(text, sites)
        if found and found.authors:
            return found
    return Byline([], [])


# links of a site's menu, tag lists and section pages: their texts name sections, not people
SECTION_HREF = re.compile(r"/(?:category|categories|section|sections|tag|tags|topic|topics|"
                          r"news|world|politics|opinion|arabic|english)(?:/|$)", re.I)
MENU_TOKENS = {"menu", "nav", "navbar", "navigation", "mainmenu", "megamenu", "breadcrumb",
               "breadcrumbs", "sections"}
AUTHOR_HREF = re.compile(r"author|writer|columnist|profile|contributor|kuttab|people", re.I)


def _in_menu(link) -> bool:
    return any(isinstance(a.tag, str) and (a.tag == "nav" or MENU_TOKENS & set(
        re.split(r"[\s_-]+", f"{a.get('class') or ''} {a.get('id') or ''}".lower())))
        for a in link.iterancestors())


def is_section_name(tree, name: str) -> bool:
    """True if ``name`` is the text of a menu or section link of the page (never of a link
    to an author's page): "Levant Affairs" in the menu is a section, not a person."""
    key = name_key(name)
    words = name.split()
    if not key or len(words) > 4:
        return False
    # the links whose text has the name's words (XPath, in C), then the exact check
    for link in tree.xpath("//a[contains(normalize-space(.), $first)]", first=words[0]):
        href = link.get("href") or ""
        if AUTHOR_HREF.search(href) or name_key(node_text(link)) != key:
            continue
        if _in_menu(link) or SECTION_HREF.search(href):
            return True
    return False


def extract_byline(tree, objects: list[dict], site_names: list[str] | None = None) -> Byline:
    """Authors (people) and credits (agencies, outlets...) from JSON-LD, meta, byline
    elements, then byline lines in the body: the first source with a person gives the
    authors; the credits of the sources read are kept."""
    sites = [s for s in site_names or [] if s]
    credits: list[dict] = []

    def keep(byline: Byline) -> list[str]:
        for credit in byline.credits:
            if not any(name_key(c["name"]) == name_key(credit["name"]) for c in credits):
                credits.append(credit)
        return [n for n in byline.authors if not is_section_name(tree, n)]

    names, organisations = _jsonld_authors(objects)
    org_credits = read_names(organisations, sites)
    for name in org_credits.authors:  # an Organization that looks like a person's name
        org_credits.credits.append({"name": name, "role": "organisation"})
    keep(Byline([], org_credits.credits))
    from_meta = [v for v in meta_values(tree, META_AUTHOR_KEYS)
                 if not re.match(r"https?://", v.strip())]
    for found in (lambda: read_names(names, sites),
                  lambda: read_names(from_meta, sites),
                  lambda: _byline_names(tree, sites),
                  lambda: _text_line_names(tree, sites)):
        authors = keep(found())
        if authors:
            return Byline(authors, credits)
    return Byline([], credits)


def extract_authors(tree, objects: list[dict], site_names: list[str] | None = None) -> list[str]:
    """Person names from JSON-LD, meta, byline elements, then byline lines in the body."""
    return extract_byline(tree, objects, site_names).authors
