"""Drop the parts of a page that are never article text, before extraction.

:func:`prune_tree` works on the lxml tree of a page, in place, generically (no site rules):
share/follow rows, comment sections and forms, newsletter and cookie boxes, related/recent
lists, captions and credits, read-time labels, tag lists -- recognised by class/id/role/aria
words (the ``[page]`` table of ``pipelines/data/boilerplate.toml``) and by structure.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from lxml import etree

from .body import (BODY_PARAGRAPH_WORDS, SPLIT_CLASS, body_container, inline_links,
                   join_split_body, lift_embedded_posts, section_headings)
from .body import element_text as _text
from .body import remove as _remove
from .metadata.page import jsonld_texts
from .phrases import WORD, _data, boilerplate_family, line_key

logger = logging.getLogger(__name__)

# ----------------------------------------------------------------------- prune_tree
# What names a page part that is never article text: see [page] in boilerplate.toml.
_PAGE = _data()["page"]
PRUNE_WORDS = frozenset(_PAGE["words"])
PRUNE_PAIRS = frozenset(tuple(pair.split()) for pair in _PAGE["pairs"])
PRUNE_TAGS = frozenset(_PAGE["tags"])
PRUNE_ROLES = frozenset(_PAGE["roles"])
DECK_WORDS = frozenset(_PAGE["deck_words"])
NEGATIONS = frozenset(_PAGE["negations"])
# WordPress marks an article with "tag-<slug>" / "category-<slug>" classes: not tag lists.
WP_TERM_CLASS = re.compile(r"^(?:tag|category|format|post)-[\w-]+$")
PROTECTED_TAGS = {"html", "body", "main", "article", "h1"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
STOP_HEADING_FAMILIES = {"read_more", "comment_prompt", "tags", "newsletter", "follow_share"}


@lru_cache(maxsize=8192)
def _tokens(value: str) -> tuple[str, ...]:
    """The words of a class/id value, each class token split ("share-bar" -> share, bar);
    a class token that switches something off ("no-share", "social-hidden") has none."""
    words: list[str] = []
    for token in value.split():
        if WP_TERM_CLASS.match(token):
            continue
        parts = [t.lower() for t in SPLIT_CLASS.split(token) if t]
        if NEGATIONS.isdisjoint(parts):
            words.extend(parts)
    return tuple(words)


@lru_cache(maxsize=8192)
def _names_boilerplate(value: str) -> bool:
    tokens = _tokens(value)
    return any(t in PRUNE_WORDS for t in tokens) or any(
        pair in PRUNE_PAIRS for pair in zip(tokens, tokens[1:]))


@lru_cache(maxsize=8192)
def _names_deck(value: str) -> bool:
    return any(t in DECK_WORDS for t in _tokens(value))


def is_boilerplate_element(el) -> bool:
    """True if ``el``'s tag, role, aria label, class or id names a non-article page part."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in PRUNE_TAGS:
        return True
    attrib = el.attrib
    if not attrib:
        return False
    if (attrib.get("role") or "").lower() in PRUNE_ROLES:
        return True
    value = " ".join(filter(None, (attrib.get("class"), attrib.get("id"), attrib.get("aria-label"))))
    return bool(value) and _names_boilerplate(value)


LIVE_BLOG = re.compile(r"live-?blog|live-?updates?|live-?coverage|LiveBlogPosting", re.IGNORECASE)
# every LIVE_BLOG match holds a "v" and no space, so only class values with a "v" can match
LIVE_BLOG_CLASSES = etree.XPath('(//@class)[position() <= 2000][contains(translate(., "V", "v"), "v")]')


def _is_live_blog(tree) -> bool:
    # the JSON-LD as written (a LiveBlogPosting, a ".../live-updates/" URL), of the scripts
    # still in the tree
    scripts = " ".join(jsonld_texts(tree))
    return bool(LIVE_BLOG.search(scripts) or LIVE_BLOG.search(" ".join(LIVE_BLOG_CLASSES(tree))))


# A <form> that holds the page itself is no form to drop: ASP.NET wraps every page in one
# (``<form id="aspnetForm">``: header, story, sidebar and footer), as do some WordPress
# themes and portals.  It holds the headline (an <h1>), or most of the page's paragraph
# text in paragraphs of running text -- a comment, search or newsletter form holds neither.
PAGE_FORM_LONG_PARAGRAPHS = 2
LONG_PARAGRAPH_WORDS = 20


def page_forms(tree) -> list:
    """The ``<form>``s of ``tree`` that hold the page itself (see above), outermost first."""
    forms = list(tree.iter("form"))
    if not forms:
        return []
    words = {p: len(WORD.findall(_text(p))) for p in tree.iter("p")}
    total = sum(words.values())
    found = []
    for form in forms:
        if form.find(".//h1") is not None:
            found.append(form)
            continue
        mine = [words[p] for p in form.iter("p")]
        if sum(1 for n in mine if n >= LONG_PARAGRAPH_WORDS) >= PAGE_FORM_LONG_PARAGRAPHS \
                and sum(mine) > 0.5 * total:
            found.append(form)
    return found


def _unmark(el) -> None:
    """Take the tokens that name boilerplate off ``el``'s class and id (the body and what
    holds it: the extractor matches class substrings like "social" and "share-")."""
    for name in ("class", "id"):
        value = el.get(name)
        if not value:
            continue
        kept = [t for t in value.split()
                if not _names_boilerplate(t) and not (NEGATIONS & set(
                    w.lower() for w in SPLIT_CLASS.split(t) if w))]
        if len(kept) != len(value.split()):
            if kept:
                el.set(name, " ".join(kept))
            else:
                del el.attrib[name]


def layout_tables(tree) -> list:
    """The ``<table>``s that lay the page out rather than hold data (old portals, ASP.NET
    pages): a table holding the headline (an <h1>), or a cell holding running text
    (PAGE_FORM_LONG_PARAGRAPHS paragraphs of LONG_PARAGRAPH_WORDS words or more).  A data
    table nested in the story is none of these."""
    found = []
    for table in tree.iter("table"):
        if table.find(".//h1") is not None or any(
                sum(1 for p in cell.iter("p")
                    if len(WORD.findall(_text(p))) >= LONG_PARAGRAPH_WORDS)
                >= PAGE_FORM_LONG_PARAGRAPHS
                for cell in table.xpath("./tr/td | ./*/tr/td")):
            found.append(table)
    return found


def _unwrap_table(table) -> None:
    """``table`` as nested <div>s (its own rows and cells only, not nested tables')."""
    for part in table.xpath("./thead | ./tbody | ./tfoot | ./tr | ./*/tr | ./tr/* | ./*/tr/*"):
        part.tag = "div"
    table.tag = "div"


class _Paragraphs:
    """Text length (spaces collapsed) and word count of <p>s, each measured once and
    measured again after an element inside it was removed (so remove through here)."""

    def __init__(self):
        self._lengths: dict = {}
        self._words: dict = {}

    @staticmethod
    def _text(p) -> str:
        try:
            return p.text_content() or ""
        except ValueError:
            return ""

    def length(self, p) -> int:
        found = self._lengths.get(p)
        if found is None:
            found = self._lengths[p] = len(" ".join(self._text(p).split()))
        return found

    def words(self, p) -> int:
        found = self._words.get(p)
        if found is None:
            found = self._words[p] = len(WORD.findall(self._text(p)))
        return found

    def remove(self, el) -> None:
        for p in el.iterancestors("p"):
            self._lengths.pop(p, None)
            self._words.pop(p, None)
        _remove(el)


def _article_words(article, paragraphs: _Paragraphs, nested: bool = False) -> int:
    """Words of <p> text in ``article`` (outside the <article>s nested in it, unless
    ``nested``)."""
    return sum(paragraphs.words(p) for p in article.iter("p")
               if nested or next(p.iterancestors("article")) is article)


def _is_link_list(lst) -> bool:
    items = [li for li in lst if isinstance(li.tag, str) and li.tag == "li"]
    if len(items) < 2:
        return False
    for li in items:
        if next(li.iter("a"), None) is None:  # no link: not a link's item
            return False
        text = " ".join((li.text_content() or "").split())
        links = " ".join(" ".join((a.text_content() or "").split()) for a in li.iter("a"))
        if not text or len(links) < 0.9 * len(text):
            return False
    return True


# an alt text of fewer words is a label ("Map", "Photo"), not a caption to look for
CAPTION_MIN_WORDS = 2


def alt_captions(tree) -> list:
    """The captions of pictures set as plain text: the first element with words before or
    after an ``<img>`` and the elements around it that hold no words, when its whole text
    is the image's alt text.  Never a heading, an element holding a picture, nor a
    paragraph of running text (a site whose alt texts repeat the story's sentences)."""
    found = []
    for img in tree.iter("img"):
        alt = line_key(img.get("alt") or "")
        if len(alt.split()) < CAPTION_MIN_WORDS:
            continue
        top = img
        while top.getparent() is not None and not WORD.search(_text(top.getparent())):
            top = top.getparent()
        for siblings in (top.itersiblings(preceding=True), top.itersiblings()):
            near = next((s for s in siblings if isinstance(s.tag, str)
                         and WORD.search(_text(s))), None)
            if near is None or near.tag in HEADINGS or near.tag == "h1" \
                    or next(near.iter("img"), None) is not None \
                    or near.tag == "p" and len(WORD.findall(_text(near))) >= BODY_PARAGRAPH_WORDS:
                continue
            if line_key(_text(near)) == alt:
                found.append(near)
    return found


REL_TAG = etree.XPath('//a[@rel][contains(concat(" ", normalize-space('
                      'translate(@rel, "TAG", "tag")), " "), " tag ")]')


def _is_rel_tag(el) -> bool:
    return el.tag == "a" and "tag" in (el.get("rel") or "").lower().split()


def _is_deck(el) -> bool:
    value = " ".join(filter(None, (el.get("class"), el.get("id"))))
    return bool(value) and _names_deck(value)


def _text_len(el) -> int:
    try:
        return len(" ".join((el.text_content() or "").split()))
    except ValueError:
        return 0


# What prune_tree looks at, in document order: the <p>s, the elements of PRUNE_TAGS and the
# attribute values that may name a part to drop (an element comes before its attributes,
# its attributes before its children).
PRUNE_SCAN = etree.XPath(" | ".join(
    [f"descendant-or-self::node()/@{name}" for name in ("class", "id", "aria-label", "role")]
    + [f"descendant-or-self::{tag}" for tag in sorted(PRUNE_TAGS | {"p"})]))
# a class/id/aria value without any of these tokens names neither boilerplate nor a deck
HINT_WORDS = PRUNE_WORDS | DECK_WORDS | {word for pair in PRUNE_PAIRS for word in pair}
NEVER_PRUNED = {"script", "style", "head", "meta", "link", "title"}


@lru_cache(maxsize=8192)
def _may_name_part(value: str) -> bool:
    return value.lower() in PRUNE_ROLES or not HINT_WORDS.isdisjoint(_tokens(value))


def prune_tree(tree, options: dict | None = None) -> None:
    """Pure: drop page parts that are never article text from the lxml ``tree``, in place.

    Generic: by tag (forms, captions, buttons, nav), ARIA role, words in class/id/aria
    (share, comments, newsletter, cookie, related, caption, credit, read-time, tags, ads)
    and structure (other stories' ``<article>``s and link lists, teaser cards that are a
    link holding a heading, a caption repeating its picture's alt text, a ``rel="tag"``
    tag list, a "Related" / "Comments" heading and what follows it).  A part that holds
    the headline or most of the page's paragraph text is never dropped, so a page-wide
    ``<form>`` or an article tagged ``class="… social …"`` survives; the body is shaped
    for the extractor first (``pipelines/body.py``).  ``options["drop_selectors"]`` (CSS)
    are dropped first, unconditionally.
    """
    if tree is None:
        return
    for selector in (options or {}).get("drop_selectors") or ():
        try:
            found = tree.cssselect(selector)
        except Exception:  # a bad selector in sources.toml must not stop extraction
            logger.warning("bad drop_selector %r", selector)
            continue
        for el in found:
            _remove(el)
    # a page-wide form is the page: a <div> from here on (trafilatura drops every <form>)
    for form in page_forms(tree):
        form.tag = "div"
    # so is a table that lays the page out: trafilatura would print it as one table row
    for table in layout_tables(tree):
        _unwrap_table(table)
    scan = PRUNE_SCAN(tree)
    paragraphs = _Paragraphs()
    total = sum(paragraphs.length(p) for p in scan if not isinstance(p, str) and p.tag == "p") or 1
    # the article body and every element holding it are never dropped, whatever their
    # class says ("entry-content no-share", "article-body social-hidden")
    body = body_container(tree, paragraphs)
    if body is not None:
        body = join_split_body(body)
        lift_embedded_posts(body)
        section_headings(body)
        inline_links(body)
        paragraphs = _Paragraphs()  # (paragraphs moved, and lost their links)
    around_body = set() if body is None else {body, *body.iterancestors()}
    for el in around_body:
        _unmark(el)

    def protected(el) -> bool:
        if el.tag in PROTECTED_TAGS or el.getparent() is None or el in around_body:
            return True
        if el.tag in ("form", "div", "section", "span") and next(el.iter("h1"), None) is not None:
            return True
        p_text = sum(paragraphs.length(p) for p in el.iter("p"))
        return p_text > 0.5 * total and p_text > 600

    # Which parts go depends only on the page as it is now (a part's own content, the
    # page's paragraph text, and for decks: whether it comes before the first long
    # paragraph), so all are chosen first, in document order, and then removed.
    in_body = False  # past the first long paragraph of the page
    doomed: dict = {}  # an ordered set
    seen = set()
    for found in scan:
        if isinstance(found, str):
            if not _may_name_part(str(found)):  # (a plain str: the XPath result holds its tree)
                continue
            el = found.getparent()
        else:
            el = found
            if el.tag == "p":
                in_body = in_body or paragraphs.words(el) >= 30
                continue
        if el in seen or el.getparent() is None or el.tag in NEVER_PRUNED:
            continue
        seen.add(el)
        if doomed and any(a in doomed for a in el.iterancestors()):
            continue  # goes with a part already chosen
        if (is_boilerplate_element(el) or not in_body and _is_deck(el)) and not protected(el):
            doomed[el] = None
    for el in doomed:
        paragraphs.remove(el)
    # structure: when the <article> holding the headline has a body of its own, every
    # other <article> of the page is another story (a card, the next story of an
    # endless scroll, or broken markup that swallowed them); an <article> nested in a
    # story and shorter than it is a card too.  Not on live blogs, whose updates are
    # <article>s of one story.
    articles = tree.xpath("//article[not(ancestor::article)]")
    if articles and _is_live_blog(tree):
        articles = []
    main = [a for a in articles
            if next(a.iter("h1"), None) is not None and _article_words(a, paragraphs) >= 80]
    for outer in articles:
        own = _article_words(outer, paragraphs)
        for el in outer.xpath(".//article"):
            if el.getparent() is not None and own >= 50 \
                    and _article_words(el, paragraphs, nested=True) < own:
                paragraphs.remove(el)
        if main and outer is not main[0] and outer.getparent() is not None:
            paragraphs.remove(outer)
    # structure: a list whose every item is one link is a list of other stories
    for lst in list(tree.iter("ul", "ol")):
        if lst.getparent() is not None and _is_link_list(lst) and not protected(lst):
            paragraphs.remove(lst)
    # structure: a link wrapping a heading is a teaser card of another story (HTML lets a
    # link hold blocks: <a href><img><h3>Its headline</h3></a>); a link to a part of this
    # page ("#section") is not
    for card in [a for a in tree.iter("a") if next(a.iter(*HEADINGS), None) is not None]:
        if card.getparent() is not None and not (card.get("href") or "#").startswith("#") \
                and not protected(card):
            paragraphs.remove(card)
    # structure: a line beside a picture that repeats its alt text is its caption, set in a
    # plain <span>, <p> or <div> with no class saying so
    for el in alt_captions(tree):
        if not protected(el):
            paragraphs.remove(el)
    # structure: links marked rel="tag" (HTML's "a tag of this page") that make up most of
    # what holds them are a tag list, label and all ("Tags: <a rel=tag>..</a>, ..."); in a
    # sentence they are words of it
    for holder in {a.getparent(): None for a in REL_TAG(tree)}:
        if holder is None or holder.getparent() is None:
            continue
        tags = sum(len(WORD.findall(_text(a))) for a in holder if _is_rel_tag(a))
        if len(WORD.findall(_text(holder))) - tags > tags:
            continue
        if protected(holder):
            for a in [a for a in holder if _is_rel_tag(a)]:
                paragraphs.remove(a)
        else:
            paragraphs.remove(holder)
    # structure: a "Related" / "Comments" / "Tags" heading ends the article part it sits in
    for head in list(tree.iter(*HEADINGS)):
        if head.getparent() is None:
            continue
        text = " ".join((head.text_content() or "").split())
        if not text or len(text) > 60 or boilerplate_family(text) not in STOP_HEADING_FAMILIES:
            continue
        following = list(head.itersiblings())
        if sum(_text_len(s) for s in following) > 0.3 * total and total > 1000:
            _remove(head)
            continue
        for sibling in following:
            _remove(sibling)
        _remove(head)

