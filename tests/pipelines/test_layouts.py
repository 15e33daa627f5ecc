"""Layouts that made the crawl drop or mangle real articles (issue #14), judged as the crawl
judges them: the page function on a regression page, then ``pipelines.judge.judge`` with
the crawl's own thresholds (``crawler/settings.py``).  An article is kept, with its title,
and its text runs from the first paragraph to the last -- past in-story ads and widgets --
in order; a page that is no article is dropped as what it is.

The pages and their other expectations are in the regression set
(``tests/pipelines/regression``, see its README).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive.crawler import settings
from newsarchive.pipelines.judge import judge
from newsarchive.pipelines.page import process_page

HERE = Path(__file__).parent / "regression"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))

# slug -> sentences from the start, the middle and the end of the story, in order
KEPT = {
    "aspnet-form-wrapper": (
        "Engineers restarted two of the four pumps",
        "Residents of the al-Joura and al-Qusour districts",
        "asked for funding to replace the transformer altogether."),
    "wp-form-wrapper": (
        "A hailstorm that swept across the western countryside of Daraa",
        "One farmer near Muzayrib said he had borrowed money",
        "similar surveys after a frost two years ago led to nothing."),
    "wp-body-no-share": (
        "A maternity clinic in Azaz reopened on Wednesday",
        "Staff said the delivery room had been moved to the basement",
        "the clinic still needed a second generator."),
    "next-body-social-hidden": (
        "Camp committees in Atmeh, near the Turkish border",
        "Last January, flooding tore through several camps",
        "prices had risen again since the autumn."),
    # the second part of the body comes after an in-story ad
    "drupal-split-body-ad": (
        "Families who fled Qusayr during the fighting of 2013",
        "One returning farmer said a family from another province",
        "put the number at more than three hundred."),
    # short paragraphs of a few words, a third of them links
    "wire-inline-links": (
        "Armed factions backed by Turkey and the Kurdish-led Syrian Democratic Forces",
        "The Idlib front, further west, stayed largely quiet.",
        "Both sides blamed each other."),
    # a brief of 43 words: kept by NEWSARCHIVE_BRIEF_MIN_WORDS (page.story)
    "ar-news-brief": (
        "قُتل مدنيان وأصيب أربعة آخرون بقصف مدفعي",
        "بحسب الدفاع المدني السوري",
        "وإن عائلات نزحت نحو ريف إدلب."),
    # issue 16: a short headline beside a site name longer than it ("Headline – Site Name")
    "wp-long-site-name": (
        "What changed this week in Maarat Misrin?",
        "Flour for two weeks arrived from Idlib city",
        "We will report again when the second line opens."),
    "ar-news-long-site-name": (
        "عادت الكهرباء مساء السبت إلى حي الكلاسة",
        "وقال سكان إن التيار يصل ست ساعات يومياً",
        "تعتمد على المولدات الخاصة."),
    # the <h1> says more than the <title>; microdata marks it itemprop="headline"
    "plain-microdata-headline": (
        "The pump that feeds the western quarter of Binnish is working again.",
        "Residents said the tanker they had shared for three weeks",
        "The council asks neighbours to report leaks."),
    "ar-wp-microdata-headline": (
        "أعيد صباح الخميس فتح الطريق بين أريحا وإدلب",
        "رفعت فرق الدفاع المدني الركام من جسرين",
        "بدأت العودة إلى قرى جبل الزاوية."),
    # the headline is no heading (<p class="titulo">, a table cell) and the story bare text
    # after it, in its container, or in the next row; a sidebar of a hundred archive links
    "plain-title-box": (
        "Council workers on Monday finished clearing the rubble",
        "Farmers said they could now reach their fields",
        "until the verges are checked for unexploded shells."),
    "ar-plain-title-box": (
        "أعاد مجلس مدينة سراقب يوم الثلاثاء تشغيل البئر الشرقي",
        "وقال المكتب الخدمي إن المياه ستصل إلى الأحياء الشرقية",
        "ودعا المجلس الأهالي إلى الإبلاغ عن التسربات في الشبكة."),
}
# slug -> the verdict's reason: what the page is instead of an article
DROPPED = {
    # og:type article and NewsArticle JSON-LD, a logo <h1> its title names, six teaser cards
    "home-og-article": "listing",
    # a headline, "live updates will appear here" and the scripts that would fill it
    "liveblog-empty-shell": "empty",
    # "Checking your browser", "Accept cookies": next to no text
    "cookie-challenge": "empty",
    # issue 16, pages that share a signal of the layouts above and are listings:
    # a section's <h1> its title names, teaser cards each in its own box
    "ar-news-section-cards": "listing",
    # microdata teasers, each with itemprop="headline" on its headline link
    "plain-microdata-teasers": "listing",
    # a section's <h1> its title names beside a long site name, dated teaser cards under it
    # (og:type=article, as some themes set on every page)
    "wp-section-long-site-name": "listing",
    # a Japanese section page: its summaries count as words now
    "ja-section-cards": "listing",
    # a section name in a title box; rows led by a date line or a thumbnail, then a
    # headline link and a summary
    "plain-title-box-listing": "listing",
    "ar-plain-title-box-listing": "listing",
}


def _page(slug: str):
    spec = EXPECTED[slug]
    page = process_page((HERE / f"{slug}.html").read_bytes(), spec["url"],
                        hints=spec.get("hints"), min_words=settings.NEWSARCHIVE_MIN_WORDS)
    verdict = judge(page, settings.NEWSARCHIVE_MIN_WORDS, settings.NEWSARCHIVE_TOPIC_THRESHOLD,
                    settings.NEWSARCHIVE_BRIEF_MIN_WORDS)
    return page, verdict


@pytest.mark.parametrize("slug", sorted(KEPT))
def test_layout_article_is_kept_whole(slug):
    page, verdict = _page(slug)
    assert verdict.kept, verdict
    assert page.title == EXPECTED[slug]["title"]
    text = " ".join(page.text.split())
    at = [text.find(sentence) for sentence in KEPT[slug]]
    assert -1 not in at, [s for s, i in zip(KEPT[slug], at) if i < 0]
    assert at == sorted(at), "the story's parts are out of order"


@pytest.mark.parametrize("slug", sorted(DROPPED))
def test_layout_non_article_is_dropped(slug):
    page, verdict = _page(slug)
    assert not verdict.kept
    assert verdict.reason == DROPPED[slug] == EXPECTED[slug]["kind"]


# --- the rules, each with the page it must not break ----------------------------------------

STORY = "".join(f"<p>Paragraph {i} of the story from Idlib says what the rescuers saw on the "
                f"road to Saraqib that morning, and what the council said about it later.</p>"
                for i in range(5))


def _tree(html: str):
    from newsarchive.pipelines.html import parse

    return parse(f"<html><head><title>Shelling hits Idlib</title></head><body>{html}</body></html>")


def test_page_wide_form_is_the_page_but_a_comment_form_is_not():
    from newsarchive.pipelines.prune import page_forms

    comment = ('<form id="commentform"><p>Your email address will not be published.</p>'
               '<p>Comment</p><p>Name *</p><p>Email *</p><p>Save my name for next time.</p></form>')
    tree = _tree(f"<h1>Shelling hits Idlib</h1><div>{STORY}</div>{comment}")
    assert page_forms(tree) == []
    tree = _tree(f'<form id="aspnetForm"><div>{STORY}</div>{comment}</form>')
    assert [f.get("id") for f in page_forms(tree)] == ["aspnetForm"]
    search = '<form role="search"><p>Search the site</p><input name="q"></form>'
    tree = _tree(f"<h1>Shelling hits Idlib</h1>{search}<div>{STORY}</div>")
    assert page_forms(tree) == []


def test_layout_table_is_unwrapped_but_a_data_table_is_not():
    from newsarchive.pipelines.prune import layout_tables

    data = ("<table><tr><th>Town</th><th>Families</th></tr>"
            "<tr><td>Saraqib</td><td>120</td></tr></table>")
    tree = _tree(f'<table class="layout"><tr><td><h1>Shelling hits Idlib</h1>{STORY}{data}</td>'
                 '<td><a href="/">Home</a></td></tr></table>')
    assert [t.get("class") for t in layout_tables(tree)] == ["layout"]
    tree = _tree(f"<h1>Shelling hits Idlib</h1>{STORY}{data}")
    assert layout_tables(tree) == []


def test_a_class_token_that_switches_a_widget_off_names_nothing():
    from newsarchive.pipelines.prune import is_boilerplate_element

    for cls in ("entry-content no-share", "article-body social-hidden", "post hide-comments"):
        assert not is_boilerplate_element(_tree(f'<div class="{cls}">x</div>').find(".//div")), cls
    for cls in ("share-bar", "entry-share no-print", "sharedaddy sd-sharing"):
        assert is_boilerplate_element(_tree(f'<div class="{cls}">x</div>').find(".//div")), cls


def test_the_body_is_kept_whatever_its_class_and_a_share_row_still_goes():
    from newsarchive.pipelines.prune import prune_tree

    tree = _tree(f'<h1>Shelling hits Idlib</h1><div class="story-share-wrap">'
                 f'<div class="content social">{STORY}</div>'
                 f'<div class="social">Share on Facebook</div></div>')
    prune_tree(tree)
    text = " ".join(tree.text_content().split())
    assert "Paragraph 0 of the story" in text and "Paragraph 4 of the story" in text
    assert "Share on Facebook" not in text


def test_a_split_body_is_joined_in_order_and_the_ad_between_goes():
    from newsarchive.pipelines.prune import prune_tree

    tree = _tree('<h1>Shelling hits Idlib</h1><div class="story">'
                 f'<div class="article-body">{STORY[:STORY.index("<p>Paragraph 2")]}</div>'
                 '<div class="ad-slot">Advertisement</div>'
                 f'<div class="article-body">{STORY[STORY.index("<p>Paragraph 2"):]}</div>'
                 '<div class="article-footer">Filed under Idlib</div></div>')
    prune_tree(tree)
    bodies = tree.xpath('//div[@class="article-body"]')
    assert len(bodies) == 1
    text = " ".join(bodies[0].text_content().split())
    assert [text.find(f"Paragraph {i} ") >= 0 for i in range(5)] == [True] * 5
    assert text.find("Paragraph 1 ") < text.find("Paragraph 2 ") and "Advertisement" not in text
    assert tree.xpath('//div[@class="article-footer"]')  # after the last part: left alone


def test_inline_links_stay_text_but_a_read_more_link_stays_a_link():
    from newsarchive.pipelines.prune import prune_tree

    tree = _tree('<h1>Shelling hits Idlib</h1><div class="body">' + STORY +
                 '<p>Both sides blamed <a href="/a">each other</a>.</p>'
                 '<p>Read more: <a href="/b">Aid convoy reaches Atmeh camps after delay</a></p></div>')
    prune_tree(tree)
    assert [a.text for a in tree.iter("a")] == ["Aid convoy reaches Atmeh camps after delay"]


def test_a_brief_with_a_related_link_after_it_is_still_a_story():
    from newsarchive.pipelines.classify import classify_shape, is_story

    html = ('<html><head><title>Shelling hits Idlib villages - Daily</title>'
            '<meta property="og:type" content="article"></head><body>'
            '<h1>Shelling hits Idlib villages</h1><time datetime="2024-01-02">2 Jan</time>'
            '<div class="body"><p>Shelling hit two villages south of Idlib on Tuesday, rescuers '
            'said, and families left for the camps.</p><p>The civil defence said a school was '
            'damaged in the shelling.</p>'
            '<div class="related"><h3><a href="/x">Aid reaches Atmeh camps</a></h3></div>'
            '</div></body></html>')
    kind, shape = classify_shape(html)
    assert kind == "article" and is_story(shape)


def _kind(html: str, url: str = "https://example.org/news/1") -> str:
    from newsarchive.pipelines.classify import classify

    return classify(html, url)


BRIEF = ("<p>Families returned to the eastern quarter on Sunday, the council said.</p>"
         "<p>Water runs every second day until the pump is mended.</p>"
         "<p>The civil defence is still clearing two streets.</p>")
TEASERS = "".join(f'<div class="card"><h3><a href="/news/{i}">Council restores water to '
                  f'district {i}</a></h3><time datetime="2024-05-0{i}">{i} May</time>'
                  f"<p>Families returned to district {i} after the shelling stopped, the "
                  "council said, and asked for more water trucks.</p></div>" for i in range(1, 6))


def test_teaser_cards_under_a_headline_are_not_its_story():
    page = ("<html><head><title>Reports from Saraqib – Courier</title></head><body>"
            f"<main><h1>Reports from Saraqib</h1>{TEASERS}</main></body></html>")
    assert _kind(page) == "listing"
    # a story with related cards after it is still a story
    story = page.replace("<h1>Reports from Saraqib</h1>", f"<h1>Reports from Saraqib</h1>{BRIEF}")
    assert _kind(story) == "article"


def test_a_story_in_an_unspaced_script_has_words():
    # Japanese has no spaces between words: \w+ read each sentence as one word, so a story
    # had no paragraph of running text and no headline of three words (issue 16)
    from newsarchive.pipelines.classify import count_words

    spec = EXPECTED["ja-blog-article"]
    page = process_page((HERE / "ja-blog-article.html").read_bytes(), spec["url"])
    assert page.kind == "article" and page.title == spec["title"]
    assert count_words("避難民キャンプで学校が再開した") == 8  # 15 characters, two a word
    assert count_words("Idlib 2024年") == 3 and count_words("Idlib 2024") == 2


def test_a_headline_box_is_the_story_headline_but_not_the_sites_name_nor_a_menu():
    story = ("<html><head><title>Water returns to the eastern quarter of Saraqib</title>"
             '<meta property="og:site_name" content="Saraqib Council"></head><body>'
             '<div class="title">Water returns to the eastern quarter of Saraqib</div>'
             f'<div class="date">12 March 2024</div>{BRIEF}</body></html>')
    assert _kind(story) == "article"
    # the same words as a menu entry, as a link, or on the site's front page: no headline
    for box in ('<ul><li><span>Water returns to the eastern quarter of Saraqib</span></li></ul>',
                '<div class="title"><a href="/n/1">Water returns to the eastern quarter of '
                'Saraqib</a></div>'):
        assert _kind(story.replace('<div class="title">Water returns to the eastern quarter of '
                                   'Saraqib</div>', box)) != "article"
    assert _kind(story, "https://saraqib.example/") != "article"
    # a front page whose title is the site's name, set in a box above its teasers
    front = ("<html><head><title>Saraqib Local Council News</title>"
             '<meta property="og:site_name" content="Saraqib Local Council News"></head><body>'
             f'<div class="brand">Saraqib Local Council News</div>{TEASERS}</body></html>')
    assert _kind(front, "https://saraqib.example/news/") == "listing"


def test_links_marked_rel_tag_are_a_tag_list_but_not_in_a_sentence():
    from newsarchive.pipelines.prune import prune_tree

    tree = _tree('<h1>Shelling hits Idlib</h1><div class="body">' + STORY +
                 '<p>The council paid with <a rel="tag" href="/t/fees">crossing fees</a> '
                 'collected over the spring and summer.</p>'
                 '<strong>Tags<br><a rel="tag" href="/t/a">azaz</a>, '
                 '<a rel="category tag" href="/t/b">lorry drivers</a></strong></div>')
    prune_tree(tree)
    text = " ".join(tree.text_content().split())
    assert "paid with crossing fees collected" in text
    assert "azaz" not in text and "Tags" not in text and "lorry" not in text


def test_a_link_holding_a_heading_is_a_teaser_card_but_not_a_link_to_a_part_of_the_page():
    from newsarchive.pipelines.prune import prune_tree

    tree = _tree('<h1>Shelling hits Idlib</h1><div class="body">' + STORY +
                 '<a href="#costs"><h2>What the repairs cost</h2></a>' + STORY + '</div>'
                 '<div><a href="/2023/05/30/clock"><img src="/c.jpg" alt="">'
                 '<h3>The clock tower gets its hands back</h3></a></div>')
    prune_tree(tree)
    text = " ".join(tree.text_content().split())
    assert "What the repairs cost" in text and "clock tower" not in text


def test_a_line_repeating_a_pictures_alt_text_is_its_caption_but_not_a_heading_or_a_paragraph():
    from newsarchive.pipelines.prune import alt_captions

    para = ("The cheapest battery lost half its capacity in a week and the seller would not "
            "replace it")
    tree = _tree('<h1>Shelling hits Idlib</h1><div class="body">' + STORY +
                 '<div><div class="img"><img alt="Kits on a roof in Sarmada"></div><br>'
                 '<span class="small">Kits on a roof in Sarmada</span></div>'
                 '<div><img alt="How the panels were wired"></div><h2>How the panels were wired</h2>'
                 f'<div><img alt="{para}"></div><p>{para}</p>' + STORY + '</div>')
    assert [el.text for el in alt_captions(tree)] == ["Kits on a roof in Sarmada"]
