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
