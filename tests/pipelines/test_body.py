"""The article body shaped for the extractor (``pipelines/body.py``), on small trees; whole
pages of each layout are in the regression set (``tests/pipelines/regression``)."""

from __future__ import annotations

from newsarchive.pipelines.body import body_container, lift_embedded_posts
from newsarchive.pipelines.html import parse

STORY = "".join(f"<p>Paragraph {i} of the story from Idlib says what the rescuers saw on the "
                f"road to Saraqib that morning, and what the council said about it later.</p>"
                for i in range(4))
TWEET = ('<blockquote class="twitter-tweet"><p lang="en">Roads to Saraqib are open again '
         'from this morning.</p>&mdash; Town Council (@council) <a href="https://t.co/x">'
         'May 2, 2024</a></blockquote><script async src="https://platform.example/w.js"></script>')


def _body(html: str):
    tree = parse(f"<html><body><h1>Shelling hits Idlib</h1>{html}</body></html>")
    return tree, body_container(tree)


def test_an_embedded_post_takes_the_place_of_the_widget_boxes_around_it():
    tree, body = _body(f'<div class="story">{STORY[:300]}<div class="social-embed">'
                       f'<div class="embed-inner">{TWEET}</div></div>{STORY[300:]}</div>')
    lift_embedded_posts(body)
    quote = tree.find(".//blockquote")
    assert quote.getparent() is body
    assert tree.xpath('//div[@class="social-embed"]') == []


def test_a_box_holding_more_than_the_post_stays_round_it_and_asides_are_not_the_body():
    tree, body = _body(f'<div class="story">{STORY}<div class="follow-box"><p>Follow us</p>'
                       f'<div class="embed">{TWEET}</div></div></div>'
                       f'<aside class="widget">{TWEET}</aside>')
    lift_embedded_posts(body)
    inside, aside = tree.findall(".//blockquote")
    assert inside.getparent().get("class") == "follow-box"  # out of its own box only
    assert aside.getparent().tag == "aside"


def test_subheadings_keep_their_words_where_the_extractor_dropped_them():
    from newsarchive.pipelines.body import section_headings

    tree, body = _body(
        '<div class="story"><p>Paragraph one of the story from Idlib says what the rescuers '
        'saw on the road.</p>'
        '<h2><strong><div class="spacer"></div>Heating fuel<div class="spacer"></div></strong></h2>'
        '<h3><a href="https://aid.example/kits">Blanket kits</a></h3>'
        '<p>The coalition gives one kit for every three members of a household in the camp.</p>'
        '<div class="pf_subheadline">Cash for <em>new</em> families</div>'
        '<p>Families who arrived after the summer can ask for a one-time cash payment.</p>'
        '<h3><a href="/newsletter">Get our updates by email</a></h3>'
        '<div class="subheadline"><p>A block, not a line of text</p></div></div>')
    section_headings(body)
    h2, first, last = tree.find(".//h2"), *tree.findall(".//h3")[::2]
    assert h2.find(".//div") is None and "Heating fuel" in h2.text_content()
    assert [h.text_content() for h in tree.findall(".//h3")] == [
        "Blanket kits", "Cash for new families", "Get our updates by email"]
    assert first.find("a") is None  # heads a paragraph: its words, not its link
    assert last.find("a") is not None  # heads nothing: a link it stays
    assert tree.xpath('//div[@class="subheadline"]')  # holds a block: not one line
