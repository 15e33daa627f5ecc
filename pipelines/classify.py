"""Decide what a fetched HTML page is, with no per-site code.

``classify(tree, url)`` returns one of:

* ``"article"``  - one story: a body of running text, or a brief (its own headline, a
  date, a few short paragraphs under the headline);
* ``"listing"``  - a section, tag, archive or front page: many headline links, teasers;
* ``"liveblog"`` - a live-blog shell: many short timestamped entries, no body of its own;
* ``"empty"``    - hardly any text at all (error pages, stubs, pages built by JavaScript,
  cookie walls and bot challenges).

Signals: schema.org types in JSON-LD and ``og:type`` say what a page claims to be; the
shape of the page says what it is -- how many words sit in link-poor paragraphs and in one
container (a body), how many headline links and teasers there are (a listing, whatever
its meta says), and whether the page has a story headline of its own (the headline the
``<title>`` names, not a link) with a date and text under it (a brief is an article,
however short).  Teasers under a headline -- cards each holding a headline link, rows led
by one -- are not its story: a section page's title names its <h1> too.  Words are counted
in unspaced scripts (Chinese, Japanese) as in spaced ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from .dates import date_from_url, find_text_dates
from .metadata.page import jsonld_objects, meta_values, node_text, site_names, types_of
from .metadata.title import strip_site
from .metadata.published import META_DATE_KEYS
from .phrases import line_key
from .prune import page_forms as _page_forms

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "report"}
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}
LIVE_TYPES = {"liveblogposting"}
WORD = re.compile(r"\w+")
# Han ideographs and Japanese kana: scripts written without spaces between words, where \w+
# reads a whole sentence as one word.  Counted at two characters a word (Chinese words
# average under two characters, Japanese ones a little over), so that a story in them
# has as many words here as the same story in a spaced script.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """The number of words in ``text``, in spaced and unspaced scripts alike."""
    if not UNSPACED.search(text):
        return len(WORD.findall(text))
    return len(WORD.findall(UNSPACED.sub(" ", text))) + (len(UNSPACED.findall(text)) + 1) // 2


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
    # headings that are links, or links holding a heading, outside navigation: teasers
    heading_links: int = 0
    # words of text under the page's own story headline (see story_headline), in units of
    # at least BRIEF_UNIT words; 0 when the page has no story headline
    brief_words: int = 0
    brief_paragraphs: int = 0
    dated: bool = False  # the page gives a date (time, meta, JSON-LD, URL, near the headline)
    headline: bool = False  # the page has a story headline of its own
    # teaser cards (see _cards) that carry a date of their own
    dated_cards: int = 0


def _jsonld_types(objects: list[dict]) -> set:
    return {t for obj in objects for t in types_of(obj)}


BLOCKS = {"p", "div", "td", "th", "li", "section", "article", "main", "blockquote", "dd",
          "body", "pre", "center"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BRIEF_UNIT = 6  # a paragraph of a brief has at least this many words
BRIEF_WORDS = 25  # and a brief at least this many words under its headline


def _first_link(node, before: list) -> object:
    """The first link in ``node`` with words, in document order; the text before it is
    added to ``before`` (links without words -- a thumbnail -- are passed over)."""
    if node.text:
        before.append(node.text)
    for child in node:
        if isinstance(child.tag, str):
            if child.tag == "a":
                if count_words(child.text_content()):
                    return child
            else:
                found = _first_link(child, before)
                if found is not None:
                    return found
        if child.tail:
            before.append(child.tail)
    return None


def _opens_with_link(unit) -> bool:
    """True if the first thing in ``unit`` is a link of three or more words (a headline):
    after nothing but a thumbnail's link, or a teaser's date line ("05/10/2018 - <a>")."""
    before: list = []
    first = _first_link(unit, before)
    if first is None or count_words(first.text_content()) < 3:
        return False
    lead = " ".join(before).strip()
    return not lead or (count_words(lead) <= 6 and bool(find_text_dates(lead)))


NOT_PROSE = SKIP | HEADINGS | {"a"}  # text inside these is not paragraph text


def _teaser_link(a, heading) -> bool:
    """True if ``a`` (in or around ``heading``) is a teaser's headline link: it leads to
    another page (not "#section", not a script) and reads as a headline (three or more
    words), not a section label or an author's name."""
    href = (a.get("href") or "").strip().lower()
    return bool(href) and not href.startswith(("#", "javascript:")) \
        and count_words(heading.text_content()) >= 3


MARKED_HEADLINES = '//*[contains(concat(" ", normalize-space(@itemprop), " "), " headline ")]'


def _marked_headline(tree) -> list[str]:
    """The headline the page marks up as such in schema.org microdata
    (``itemprop="headline"``, the markup's JSON-LD ``headline``) -- when it marks one: a
    listing marks each teaser's (links, or several different ones)."""
    texts = set()
    for node in tree.xpath(MARKED_HEADLINES):
        if node.tag == "a" or node.find(".//a") is not None \
                or any(a.tag == "a" for a in node.iterancestors()):
            return []
        texts.add(line_key((node.get("content") or "") if node.tag == "meta"
                           else node.text_content()))
    return list(texts) if len(texts) == 1 else []


def _title_keys(tree, objects: list[dict], url: str = "") -> list[str]:
    """Keys of what the page says its headline is: <title>, og:title, JSON-LD headline,
    the microdata headline -- and the titles without the site's name ("Headline – Site
    Name": however long the name, what is left is the headline; ``metadata.title.strip_site``
    knows the site's names)."""
    titles = tree.xpath("//title/text()")[:1] + meta_values(tree, ("og:title", "twitter:title"))[:2]
    texts = titles + [o["headline"] for o in objects if isinstance(o.get("headline"), str)][:2]
    sites = site_names(tree, objects, url)
    texts += [strip_site(title, sites) for title in titles]
    keys = [key for key in map(line_key, texts) if key] + _marked_headline(tree)
    return list(dict.fromkeys(key for key in keys if key))


def _names_title(key: str, titles: list[str]) -> bool:
    """True if a heading's key is one of the page's titles (or that title without the
    site name around it, or with it)."""
    for title in titles:
        shorter, longer = sorted((key, title), key=len)
        if shorter == longer or (len(shorter) >= 0.5 * len(longer) and shorter in longer):
            return True
    return False


def _links_home(heading) -> bool:
    """True if ``heading`` is, or holds, a link to a site's front page ("/", "./",
    "https://host/"): a logo, on a front page that names itself in its <title>."""
    links = list(heading.iter("a")) + [a for a in heading.iterancestors("a")]
    for a in links:
        href = (a.get("href") or "").strip()
        if href in ("/", "./") or re.fullmatch(r"(?:https?:)?//[^/?#]+/?", href):
            return True
    return False


def story_headline(tree, objects: list[dict], url: str = ""):
    """The page's own story headline: the first <h1> (else <h2>) of three or more words
    that the page's <title>, og:title, JSON-LD or microdata headline names (see
    _title_keys).  An <h2> that is a link is a teaser's headline, not the page's (an <h1>
    linking to its own story is common).  An <h1> linking to the site's front page is its
    logo.  Failing a heading, a box whose whole text is a title (see _set_headline), except
    on a front page.  None when there is none: front and section pages."""
    titles = _title_keys(tree, objects, url)
    if not titles:
        return None
    for tag in ("h1", "h2"):
        for heading in list(tree.iter(tag))[:6]:
            if tag == "h2" and (heading.find(".//a") is not None or any(
                    a.tag == "a" for a in heading.iterancestors())):
                continue
            if _links_home(heading):  # the site's logo: <h1><a href="/">Site</a></h1>
                continue
            key = line_key(heading.text_content())
            if count_words(key) >= 3 and _names_title(key, titles):
                return heading
    if _front_page(url):  # (whose title is the site's name, often set in a box)
        return None
    return _set_headline(tree, titles, site_names(tree, objects, url))


# elements a headline is set in when it is not a heading (legacy CMSs: <p class="titulo">,
# <div class="title">, <td class="newsTitle">, <span id="lblTitle">)
HEADLINE_BOXES = ("p", "div", "td", "span", "strong", "b", "font")
# a headline there is never inside these (page furniture: the site's name, menus, links)
NOT_HEADLINE = SKIP - {"form"} | {"a", "li", "label", "option"}
FRONT_PAGE = re.compile(r"/?(?:index\.\w+|default\.\w+|home/?|[a-z]{2}(?:[-_][a-z]{2})?/?)?",
                        re.IGNORECASE)


def _front_page(url: str) -> bool:
    """True if ``url`` is a site's front page: its root, an index page, a language's root
    ("/ar/"), with no query (``index.php?id=12`` is a story)."""
    parts = urlsplit(url or "")
    return bool(parts.netloc) and not parts.query and bool(FRONT_PAGE.fullmatch(parts.path))


def _set_headline(tree, titles: list[str], site_names_: list[str]):
    """A story headline that is no heading: the first element whose whole text is one of
    the page's titles (exactly; three or more words), that is no link and holds none, is
    not the site's name, and sits outside the site's header, menus and footer."""
    sites = {line_key(n).replace(" ", "") for n in site_names_}
    longest = max(map(len, titles)) + 20
    body = tree.find(".//body")
    for node in (body.iter(*HEADLINE_BOXES) if body is not None else ()):
        text, size = [], 0
        for piece in node.itertext():
            size += len(piece)
            if size > longest:
                break
            text.append(piece)
        if size > longest or node.find(".//a") is not None:
            continue
        key = line_key(" ".join(text))
        if key in titles and key.replace(" ", "") not in sites and count_words(key) >= 3 \
                and not any(a.tag in NOT_HEADLINE for a in node.iterancestors()):
            return node
    return None


def _dated(tree, objects: list[dict], url: str, near: str, hints: dict) -> bool:
    """True if the page gives a date anywhere a date is given: a <time> element, a date
    meta tag, a JSON-LD date, the URL, the text near the headline -- or the feed or
    sitemap entry that led to it did."""
    if hints.get("published") or tree.find(".//time") is not None \
            or meta_values(tree, META_DATE_KEYS):
        return True
    if any(isinstance(o.get(k), str) for o in objects for k in ("datePublished", "dateCreated")):
        return True
    return bool(date_from_url(url) or find_text_dates(near))


def shape(tree, url: str = "", hints: dict | None = None,
          jsonld: list[dict] | None = None) -> PageShape:
    """Measure the page in one pass: prose versus links, and what sits under its headline.
    ``jsonld``: the page's JSON-LD objects when the caller has read them."""
    og = tree.xpath('string(//meta[@property="og:type"]/@content)').strip().lower()
    objects = jsonld_objects(tree) if jsonld is None else jsonld
    page_forms = set(_page_forms(tree))  # a page-wide <form> is the page, not a form
    units: dict = {}  # paragraph (nearest block element) -> words of text outside links
    position: dict = {}  # element -> its place in document order
    skipped: set = set()  # block elements inside skipped parts
    link_words = links = heading_links = 0
    teasers: list = []  # headline links to other pages, outside navigation (see _cards)
    # element -> (its nearest block element, itself included, or None; inside NOT_PROSE?;
    # inside SKIP?)
    context: dict = {}
    outside = (None, False, False)
    for el in tree.iter(etree.Element):  # parents first; comments' text and tails are skipped
        parent = context.get(el.getparent(), outside)
        tag = el.tag
        page_form = tag == "form" and el in page_forms
        skip = tag in SKIP and not page_form
        mine = context[el] = (el if tag in BLOCKS else parent[0],
                              parent[1] or (tag in NOT_PROSE and not page_form),
                              parent[2] or skip)
        position[el] = len(position)
        if mine[2] and mine[0] is el:
            skipped.add(el)
        if tag == "a" and not parent[2]:
            links += 1
            link_words += count_words(el.text_content())
            if el.find(".//h2") is not None or el.find(".//h3") is not None:
                heading_links += 1
                if _teaser_link(el, el):
                    teasers.append(el)
        elif tag in HEADINGS and not parent[2] and el.find(".//a") is not None:
            heading_links += 1
            if any(_teaser_link(a, el) for a in el.iter("a")):
                teasers.append(el)
        text = el.text
        if text and mine[0] is not None and not mine[1]:
            units[mine[0]] = units.get(mine[0], 0) + count_words(text)
        text = el.tail
        if text and parent[0] is not None and not parent[1]:
            units[parent[0]] = units.get(parent[0], 0) + count_words(text)
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
    listings = set()
    for container in list(blocks):
        in_heading_links = sum(1 for h in container if isinstance(h.tag, str) and (
            (h.tag in HEADINGS and h.find(".//a") is not None)
            or (h.tag == "a" and h.find(".//h2") is not None)))
        led = sum(1 for unit in container if isinstance(unit.tag, str)
                  and units.get(unit, 0) >= 20 and _opens_with_link(unit))
        if in_heading_links >= 3 or (led >= 3 and led * 2 >= blocks[container][1]):
            del blocks[container]
            listings.add(container)
    best = max(blocks.values(), default=[0, 0])
    shape_ = PageShape(prose, best[0], best[1], long_p, short_p, link_words, links,
                       int(tree.xpath("count(//time)")), _jsonld_types(objects), og,
                       heading_links)
    cards = _cards(teasers)
    shape_.dated_cards = sum(1 for card in cards if card.find(".//time") is not None
                             or find_text_dates(node_text(card)[:300]))
    headline = story_headline(tree, objects, url)
    if headline is not None:
        shape_.headline = True
        cards -= set(headline.iterancestors())  # (a story's column beside teasers)
        shape_.brief_words, shape_.brief_paragraphs, near = _under(
            headline, units, position, listings | cards, skipped, context)
        shape_.dated = _dated(tree, objects, url, near, hints or {})
    return shape_


def _cards(teasers: list) -> set:
    """Teaser cards: elements holding exactly one teaser headline link (``teasers``) with at
    least one sibling alike (same tag and class) that also holds exactly one -- a list of
    teasers, each in its own box."""
    held: dict = {}
    for teaser in teasers:
        for box in (teaser, *teaser.iterancestors()):
            held[box] = held.get(box, 0) + 1
    alike: dict = {}
    for box, n in held.items():
        parent = box.getparent()
        if n == 1 and parent is not None:
            alike.setdefault((parent, box.tag, box.get("class")), []).append(box)
    return {box for boxes in alike.values() if len(boxes) >= 2 for box in boxes}


def _own_after(node, context: dict, own: dict, texts: dict) -> None:
    """Add the text that follows ``node`` in its parent, outside the blocks there, to the
    parent's block (``own``: block -> words, ``texts``: block -> the text): a story set as
    bare text after its headline ("<div><p>Headline</p>Text...<br>Text...</div>") is
    text of the block that also holds the headline."""
    parent = node.getparent()
    block, not_prose, _ = context.get(parent, (None, True, True))
    if block is None or not_prose:
        return
    pieces = [node.tail]
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str):
            continue  # comments and their tails, as in shape()
        for el in sibling.iter(etree.Element):
            mine = context.get(el)
            if mine and mine[0] is block and not mine[1]:
                pieces.append(el.text)
            if el is not sibling:
                up = context.get(el.getparent())
                if up and up[0] is block and not up[1]:
                    pieces.append(el.tail)
        pieces.append(sibling.tail)
    text = " ".join(p for p in pieces if p and p.strip())
    if text:
        own[block] = own.get(block, 0) + count_words(text)
        texts[block] = (texts.get(block, "") + " " + text).strip()


def _under(headline, units: dict, position: dict, listings: set, skipped: set,
           context: dict):
    """(words, paragraphs, text) of the story under ``headline``: the text units after it
    in document order, inside its nearest ancestor that holds such text -- and the text
    the blocks holding the headline hold themselves after it (see _own_after); units of
    teaser lists and cards (``listings``: what follows a teaser's headline is that
    teaser's summary, not this story -- a section page's title over its teasers) and of
    skipped parts (navigation, asides...) do not count."""
    start = position[headline]
    after = sorted((position[u], u) for u, n in units.items()
                   if n and position[u] > start and u not in skipped)
    own: dict = {}
    texts: dict = {}
    node = headline
    for scope in headline.iterancestors():
        _own_after(node, context, own, texts)
        node = scope
        end = position[scope]
        for last in scope.iter(etree.Element):
            end = position.get(last, end)
        mine = [u for p, u in after if p <= end]
        if any(units[u] >= BRIEF_UNIT for u in mine):
            break
    else:  # no text unit after the headline: at most the text its blocks hold themselves
        if not own:
            return 0, 0, ""
        mine = []
    words = paragraphs = 0
    near: list[str] = []
    for block, n in own.items():  # (the text right under the headline)
        if block in skipped or block in listings \
                or any(a in listings for a in block.iterancestors()):
            continue
        near.append(texts[block][:300])
        if n >= BRIEF_UNIT:
            words += n
            paragraphs += 1
    for unit in mine:
        if unit in listings or any(a in listings for a in unit.iterancestors()) \
                or _opens_with_link(unit):
            continue
        if len(near) < 6:  # a date line under the headline, the first paragraphs
            near.append(node_text(unit)[:300])
        if units[unit] >= BRIEF_UNIT:
            words += units[unit]
            paragraphs += 1
    return words, paragraphs, " ".join(near)


LIVE_CLASSES = re.compile(r"live-?blog|live-?updates?|live-?coverage", re.IGNORECASE)
# this many headline links (headings that are links, or links holding headings) outside
# navigation make a page of teasers: a listing, whatever its meta says
TEASER_LINKS = 4


def classify(tree, url: str = "", hints: dict | None = None) -> str:
    """What the page in ``tree`` (an lxml tree, or HTML) is: "article", "listing",
    "liveblog" or "empty" (see the module docstring).  ``hints``: what the feed or
    sitemap entry that led to the page said of it (a date)."""
    return classify_shape(tree, url, hints)[0]


def is_story(s: PageShape) -> bool:
    """True if the page has the parts of a story: its own headline, a date, and text
    under the headline -- a news brief is an article however few its words."""
    declared = bool(s.ld_types & ARTICLE_TYPES) or s.og_type == "article"
    return s.headline and s.brief_words >= BRIEF_WORDS and (s.dated or declared)


def classify_shape(tree, url: str = "", hints: dict | None = None,
                   jsonld: list[dict] | None = None) -> tuple[str, PageShape | None]:
    """``(kind, shape)``: :func:`classify`, with the measures it decided on.  ``jsonld``:
    the page's JSON-LD objects (``metadata.page.jsonld_objects``) when the caller has
    read them."""
    if isinstance(tree, (str, bytes)):
        tree = parse(tree)
    if tree is None:
        return "empty", None
    s = shape(tree, url, hints, jsonld)
    return _kind(tree, s), s


def _kind(tree, s: PageShape) -> str:
    if s.ld_types & LIVE_TYPES:
        return "liveblog"
    declared_article = bool(s.ld_types & ARTICLE_TYPES) or s.og_type == "article"
    declared_listing = bool(s.ld_types & LISTING_TYPES)
    # One container holding running text is an article body; a listing's excerpts sit one
    # to a container, or alternate with headline links (see shape()).
    body = s.block_words >= 150 or (s.block_paragraphs >= 2 and s.block_words >= 80)
    # Many timestamped one-liners and little prose: a live-blog shell.
    if not body and (s.times >= 8 and s.short_paragraphs >= 8 and s.long_paragraphs <= 2
                     or LIVE_CLASSES.search(" ".join(tree.xpath("//body/@class | //article/@class")))):
        return "liveblog"
    if body and not declared_listing:
        return "article"
    # A brief: its own headline, a date, and a few short paragraphs under the headline.
    if is_story(s) and not declared_listing:
        return "article"
    # a page of teasers is a listing whatever its meta says, unless it has a story headline
    # of its own (a guide whose sections are headed by links is still one story) -- but a
    # list of dated teaser cards is a listing even under a headline its title names (a
    # section page; a guide's items carry no dates of their own)
    teasers = s.heading_links >= TEASER_LINKS and not s.headline \
        or s.dated_cards >= TEASER_LINKS
    if declared_article and s.prose_words >= 40 and not teasers:
        return "article"
    if s.links >= 5:
        return "listing"
    return "empty"


def parse(html):
    """The page's tree (the one parser of the page function), or None."""
    from .html import parse as parse_html  # (pipelines.html parses; this only re-exports)

    return parse_html(html)
