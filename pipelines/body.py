"""The article body in a page's tree, found and shaped for the extractor.

:func:`body_container` finds the element holding the story's paragraphs (before anything
is pruned: ``pipelines.prune`` never drops it or what holds it); :func:`join_split_body`
makes one body again of parts an in-story ad split; :func:`lift_embedded_posts` takes a
post the story quotes (an embedded tweet) out of the widget boxes that would get it pruned;
:func:`section_headings` keeps the story's subheadings where extractors drop them;
:func:`inline_links` keeps the links of running text as words.  Pure, in place, generic (no
site rules).
"""

from __future__ import annotations

import re

from lxml import etree

from .phrases import WORD, _data

# a class or id value in words: "pf_subheadline" -> pf, subheadline; "subHead" -> sub, head
SPLIT_CLASS = re.compile(r"(?<=[a-z])(?=[A-Z])|[\s_\-:]+")
# a bare-text block of the body whose class holds one of these is a subheading
SUBHEADING_WORDS = frozenset(_data()["page"]["subheading_words"])
SECTION_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# what a heading or a bare-text block may hold and still be one line of text
INLINE = frozenset({"a", "abbr", "b", "br", "cite", "code", "em", "i", "mark", "q", "s", "small",
                    "span", "strong", "sub", "sup", "time", "u"})


def element_text(el) -> str:
    try:
        return el.text_content() or ""
    except ValueError:
        return ""


# the body: the container with the most words in paragraphs of running text (at least
# BODY_PARAGRAPH_WORDS words each, BODY_PARAGRAPHS of them), outside the page's asides
BODY_PARAGRAPH_WORDS = 10
BODY_PARAGRAPHS = 2
NOT_BODY = {"aside", "nav", "footer"}


def _holder(p):
    """The element holding paragraph ``p`` among its siblings: its parent, or -- when the
    parent wraps this one paragraph alone (a "text-block" per paragraph) -- the first
    ancestor holding more than it."""
    holder = p.getparent()
    while holder is not None and holder.getparent() is not None and holder.tag != "body" \
            and sum(1 for c in holder if isinstance(c.tag, str)) == 1:
        holder = holder.getparent()
    return holder


def body_container(tree, paragraphs=None):
    """The element holding the article's paragraphs (see above), or None."""
    found: dict = {}
    for p in tree.iter("p"):
        words = paragraphs.words(p) if paragraphs is not None \
            else len(WORD.findall(element_text(p)))
        if words < BODY_PARAGRAPH_WORDS:
            continue
        holder = _holder(p)
        if holder is None:
            continue
        entry = found.setdefault(holder, [0, 0])
        entry[0] += words
        entry[1] += 1
    ranked = sorted(((w, n, el) for el, (w, n) in found.items() if n >= BODY_PARAGRAPHS
                     and el.tag not in NOT_BODY
                     and not any(a.tag in NOT_BODY for a in el.iterancestors())),
                    key=lambda item: item[:2], reverse=True)
    return ranked[0][2] if ranked else None


def _has_prose(el) -> bool:
    return any(len(WORD.findall(element_text(p))) >= BODY_PARAGRAPH_WORDS for p in el.iter("p"))


def join_split_body(body):
    """One body again where an in-story ad or widget split it into sibling containers of
    the same tag and class (``<div class="article-body">p p</div><div class="ad-slot">
    </div><div class="article-body">p p p</div>``): the parts' content, and what stands
    between them, moved in order into the first part, which is returned."""
    parent, cls = body.getparent(), (body.get("class") or "").strip()
    if parent is None or not cls:
        return body
    siblings = [el for el in parent if isinstance(el.tag, str)]
    parts = [el for el in siblings
             if el.tag == body.tag and (el.get("class") or "").strip() == cls and _has_prose(el)]
    if len(parts) < 2:
        return body
    head = parts[0]
    for el in siblings[siblings.index(head) + 1:siblings.index(parts[-1]) + 1]:
        if el not in parts:
            tail, el.tail = el.tail, None
            head.append(el)
            el.tail = tail
            continue
        last = head[-1] if len(head) else None
        if el.text:
            if last is not None:
                last.tail = (last.tail or "") + el.text
            else:
                head.text = (head.text or "") + el.text
        for child in list(el):
            head.append(child)
        remove(el)
    return head


def inline_links(body) -> None:
    """Links inside the body's paragraphs of running text are part of the sentence (wire
    stories link place names and earlier coverage): keep their text, drop the <a>, so no
    link-density rule takes the paragraph for a list of links; a ``<span>`` holding only
    such a link goes with it (``<span class="link">``: the extractor drops spans by class).
    A paragraph that is mostly link ("Read more: <a>headline</a>") keeps its link."""
    for p in body.iter("p"):
        anchors = [a for a in p.iter("a") if a is not p]
        if not anchors:
            continue
        words = len(WORD.findall(element_text(p)))
        linked = sum(len(WORD.findall(element_text(a))) for a in anchors if not any(
            b in anchors for b in a.iterancestors("a")))
        if words and linked <= 0.5 * words:
            for a in anchors:
                wrapper = a.getparent()
                if wrapper is None:
                    continue
                lone = wrapper.tag == "span" and wrapper is not p and len(wrapper) == 1 \
                    and not (wrapper.text or "").strip() and not (a.tail or "").strip()
                a.drop_tag()
                if lone:
                    wrapper.drop_tag()


# The embed code a platform hands out for one post: a <blockquote> holding the post's text
# and who posted it, which the platform's script turns into a widget.  (Instagram's and
# TikTok's blockquotes hold their widget's own lines -- "View this post on Instagram" --
# and are left to the extractor.)
EMBEDDED_POST_CLASSES = frozenset({"twitter-tweet"})
_OWN_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def _words(el) -> list[str]:
    """The words of ``el``'s text, not counting its scripts and styles."""
    return WORD.findall("".join(_OWN_TEXT(el)))


def lift_embedded_posts(body) -> None:
    """A post embedded in the story (a tweet it quotes: EMBEDDED_POST_CLASSES) is its text.
    Sites box it in widgets named "social-embed", "article-widget", which pruning and the
    extractor take for share rows: the blockquote takes the place of the boxes around it
    that hold nothing else."""
    for quote in list(body.iter("blockquote")):
        if EMBEDDED_POST_CLASSES.isdisjoint((quote.get("class") or "").split()):
            continue
        words = _words(quote)
        outer, parent = quote, quote.getparent()
        while parent is not None and parent is not body and _words(parent) == words:
            outer, parent = parent, parent.getparent()
        if outer is quote:
            continue
        tail, outer.tail = outer.tail, None
        quote.tail = None
        outer.addprevious(quote)
        quote.tail = tail
        parent.remove(outer)


def _class_words(el) -> set[str]:
    value = " ".join(filter(None, (el.get("class"), el.get("id"))))
    return {w.lower() for w in SPLIT_CLASS.split(value) if w}


def _is_text_line(el) -> bool:
    """``el`` holds words and nothing but inline markup."""
    return all(not isinstance(d.tag, str) or d.tag in INLINE for d in el.iterdescendants()) \
        and bool(WORD.search(element_text(el)))


def section_headings(body) -> None:
    """The story's own subheadings, as the extractor needs them to keep them:

    * the empty blocks in a heading (spacer ``<div>``s) go: the extractor drops or splits a
      heading holding a block;
    * a heading among the body's paragraphs that is one link (to a product, a profile)
      and heads a paragraph of running text keeps its words, not its link: the extractor
      drops headings that are mostly link;
    * a bare-text block among the body's paragraphs whose class names a subheading
      (SUBHEADING_WORDS: ``<div class="subheadline">``) is a heading: extractors take a
      bare ``<div>`` for layout.
    """
    for head in list(body.iter(*SECTION_HEADINGS)):
        for block in [d for d in head.iterdescendants() if isinstance(d.tag, str)
                      and d.tag not in INLINE and d.tag != "img"]:
            if block.getparent() is not None and not WORD.search(element_text(block)) \
                    and next(block.iter("img"), None) is None:
                remove(block)
    for el in body:
        if not isinstance(el.tag, str):
            continue
        if el.tag in SECTION_HEADINGS:
            anchors = list(el.iter("a"))
            following = el.getnext()
            if anchors and following is not None and following.tag == "p" \
                    and len(WORD.findall(element_text(following))) >= BODY_PARAGRAPH_WORDS \
                    and sum(len(" ".join(element_text(a).split())) for a in anchors) \
                    >= 0.9 * len(" ".join(element_text(el).split())):
                for a in anchors:
                    a.drop_tag()
        elif el.tag in ("div", "span") and SUBHEADING_WORDS & _class_words(el) \
                and _is_text_line(el):
            el.tag = "h3"


def remove(el) -> None:
    """Take ``el`` out of the tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
