"""Cleaning: phrase families (English and Arabic, with near misses that must stay),
title, dateline, bylines, per-source options, learned lines and prune_tree.

All text is written for these tests.
"""

from __future__ import annotations

import re

import lxml.html
import pytest

from newsarchive.pipelines.clean import clean
from newsarchive.pipelines.phrases import boilerplate_family, families, line_key
from newsarchive.pipelines.prune import prune_tree

BODY = [
    "Residents of the eastern districts said the shelling began shortly after dawn and "
    "continued for most of the morning, forcing families into basements.",
    "A local council member said two schools had been closed and that water deliveries "
    "had been suspended until the roads were judged safe again.",
    "Aid groups working in the area said they had enough stock for a week at most.",
]


def run(*lines, title="Shelling closes schools in eastern districts", **kw):
    doc = {"title": title, "text": "\n\n".join(lines), "authors": kw.pop("authors", [])}
    return clean(doc, **kw)


def paragraphs(doc):
    return doc["text"].split("\n\n") if doc["text"] else []


# --------------------------------------------------------------------- phrase families
DROPPED = {
    "comment_prompt": ["Leave a comment", "Leave a Reply", "Comments are closed.",
                       "3 Comments", "Your email address will not be published.",
                       "اترك تعليقاً", "التعليقات مغلقة", "أضف تعليق"],
    "captcha": ["fifteen + 6 =", "seven × 3 =", "12 - 4 = ?", "nine = 4 + _",
                "Time limit is exhausted. Please reload CAPTCHA."],
    "follow_share": ["Follow us on Twitter and Instagram to stay connected",
                     "Follow Levant Desk on Facebook for the latest updates",
                     "Share this article", "Facebook Twitter WhatsApp Email",
                     "تابعونا على تلغرام", "تابعونا على فيسبوك وتويتر",
                     "Like this story? Share it with a friend!",
                     "For the latest on the war in Syria, follow us on Twitter :",
                     "For breaking news from the north-west, join our WhatsApp channel :",
                     "لمزيد من الأخبار تابعونا على تويتر :"],
    "short_link": ["• Short link :", "Short link: https://example.org/?p=1234",
                   "رابط مختصر", "الرابط المختصر: https://example.org/?p=77"],
    "source_credit": ["Source: Syrian Observatory", "[Getty]", "File photo", "Photo: AFP",
                      "(Image credit: Levant Desk)", "Photo by Sami Haddad/AFP",
                      "المصدر: وكالات", "صورة أرشيفية", "A man walks past rubble (AFP)"],
    "contributors": ["Maya Rahal contributed reporting from Beirut.",
                     "Editing by Tom Brand"],
    "read_more": ["Read more: Aid convoy reaches Douma after weeks of delay",
                  "READ MORE: Talks in Astana end without a deal", "Related:",
                  "Related: Five things to know about the ceasefire", "You may also like",
                  "Also read: Water shortages hit Hasakah", "اقرأ أيضاً: انقطاع المياه في الحسكة",
                  "إقرأ أيضا: عودة التيار الكهربائي إلى حلب",
                  "مواضيع ذات صلة", "Advertisement",
                  "Ceasefire talks collapse as shelling resumes [VIDEO]",
                  "[Related: Aid convoy reaches Douma after weeks of delay]"],
    "copyright": ["© 2024 Levant Desk. All rights reserved.", "Copyright 2023 Example News",
                  "جميع الحقوق محفوظة © 2024"],
    "read_time": ["4 min read", "Reading time: 3 minutes", "5 دقائق للقراءة"],
    "newsletter": ["Sign up for our newsletter", "Subscribe to our daily briefing",
                   "Daily newsletter", "Get our Syria newsletter every Friday",
                   "Get the latest headlines in your inbox every morning.",
                   "Sign up for the Syria Weekly newsletter, a round-up of the week's events "
                   "in the country delivered to your inbox every Friday morning, free of charge.",
                   "Sign up here to get our daily briefing on the conflict, straight to your inbox."],
    "comment_policy": [
        "Comments are moderated and will appear after review. Please keep comments civil.",
        "Our comment policy: we remove comments that contain abuse or personal attacks.",
        "The views expressed in the comments are those of their authors alone.",
        "التعليقات تعبر عن رأي أصحابها ولا تعبر بالضرورة عن رأي الموقع",
        "الآراء الواردة في التعليقات تعبر عن آراء أصحابها ولا تعبر عن رأي الموقع",
        "يرجى الالتزام بآداب الحوار وعدم الإساءة، وسيتم حذف أي تعليق يتضمن شتائم"],
    "tags": ["Tags: Idlib, displacement, aid", "Filed under: Syria", "الوسوم: إدلب، النزوح",
             "12/03/2024 - Posted by: Press office - Category: Services - Tags: roads rubble",
             "05/10/2018 - Publicado por: Ana Lima - Categoria: Saúde - Tags: obras",
             "١٢/٠٣/٢٠٢٤ | نشر بواسطة: المكتب الإعلامي | التصنيف: خدمات"],
    "contact": ["editor@example.org", "@levantdesk", "Email the author",
                "Write to Rana Jaber at rana.jaber@example.org"],
    "timestamp": ["3 hours ago", "Updated 20 minutes ago", "منذ ساعتين", "منذ 3 ساعات"],
}

# sentences that look like a family but are article text and must stay
KEPT = [
    "Source: a local official said on Monday that at least twelve families had left the "
    "village overnight, most of them heading north toward the border crossing.",
    "Comments made by the governor on Sunday were widely criticised by residents who had "
    "lost their homes in the fighting.",
    "Follow-up talks are expected in Geneva next month, diplomats said.",
    "The minister said he would share the report with parliament before the vote.",
    "Read more carefully, the agreement leaves the status of the highway unresolved.",
    "The photo, taken by a resident, shows smoke rising over the old market.",
    "Related to the fighting, prices of bread doubled in two weeks, traders said.",
    "قال مصدر محلي إن المصدر الرئيسي للمياه توقف عن العمل منذ ثلاثة أيام.",
    "وتابع المسؤول أن الطريق سيبقى مغلقاً حتى نهاية الأسبوع.",
    "The copyright dispute between the two broadcasters went to court in 2019.",
    "It took the convoy 45 minutes to cross the checkpoint.",
    "Seven plus three families were moved to the camp on Tuesday, officials said.",
    "Three hours ago the checkpoint was still closed, a driver told Levant Desk.",
    "قبل ثلاثة أيام قال مسؤول محلي إن الطريق أغلق أمام المدنيين بسبب القصف.",
    "Write to the council, residents were told, if their homes were damaged.",
    "The ministry's newsletter said 40 people had been detained in Hama.",
    "Copyright lawyers in Damascus said the ruling would be appealed.",
    "Source: a local official said twelve families left.",
    "Video by a resident shows the strike hitting the market.",
    "Translated by the army's media office, the statement gave no figures.",
    "The activists said they would follow the army on Twitter: the accounts post every hour.",
    "The opinions expressed by the delegates were split on the question of aid.",
    "قال المسؤول إن التعليقات التي نشرها الوزير تعبر عن موقف الحكومة من المفاوضات.",
    "Residents said they signed up for the aid list but never received a parcel.",
    "The aid went to two groups - category A families and the newly displaced - the council said.",
    "وقسمت المساعدات على فئتين - التصنيف حسب عدد أفراد الأسرة - بحسب المجلس المحلي.",
]


@pytest.mark.parametrize("family,line", [(f, line) for f, lines in DROPPED.items() for line in lines])
def test_family_line_is_dropped(family, line):
    assert boilerplate_family(line) == family
    doc = run(BODY[0], line, BODY[1])
    assert paragraphs(doc) == BODY[:2]


@pytest.mark.parametrize("line", KEPT)
def test_near_miss_is_kept(line):
    assert boilerplate_family(line) is None
    assert paragraphs(run(BODY[0], line)) == [BODY[0], line]


def test_every_family_is_documented_and_tested():
    data = families()
    assert set(data) == set(DROPPED)
    import tomllib

    from newsarchive.pipelines.phrases import DATA

    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    assert all(fam.get("about") for fam in raw["lines"].values())
    assert raw["page"]["about"] and raw["page"]["words"]


def test_click_to_tweet_suffix_is_removed_not_the_line():
    doc = run("Every checkpoint on the road was a negotiation.Click To Tweet", BODY[0])
    assert paragraphs(doc)[0] == "Every checkpoint on the road was a negotiation."


def test_list_after_a_teaser_goes_with_it():
    doc = run(BODY[0], "Related stories:", "- Aid reaches Douma", "- Talks stall in Astana",
              BODY[1])
    assert paragraphs(doc) == BODY[:2]


def test_date_only_lines_are_dropped():
    doc = run("Updated 5:45 AM GMT, 19 November 2019", BODY[0],
              "Published on Tuesday, March 3, 2020", "12 killed", "March 15 protests",
              "Damascus, 3 March 2019", "الأحد 12 آذار 2023", BODY[1])
    assert paragraphs(doc) == [BODY[0], "12 killed", "March 15 protests", BODY[1]]


# --------------------------------------------------------------------- title, dateline
def test_title_never_appears_in_text():
    title = "Shelling closes schools in eastern districts"
    doc = run(title, BODY[0], title + ".", BODY[1], title=title)
    assert title not in doc["text"]
    assert paragraphs(doc) == BODY[:2]


def test_dateline_is_kept_in_text_and_returned():
    first = "ALEPPO – " + BODY[0]
    doc = run(first, BODY[1])
    assert doc["dateline"] == "ALEPPO –"
    assert paragraphs(doc)[0] == first
    doc = run("IDLIB, Syria (Reuters) — Air strikes hit a market in the city on Sunday.")
    assert doc["dateline"] == "IDLIB, Syria (Reuters) —"
    doc = run("حلب – " + "قال سكان في الأحياء الشرقية إن القصف بدأ بعد الفجر واستمر معظم ساعات الصباح.")
    assert doc["dateline"] == "حلب –"
    assert run(*BODY)["dateline"] is None
    assert run("NATO - the alliance - met in Brussels on Monday.")["dateline"] is None


# --------------------------------------------------------------------- bylines
@pytest.mark.parametrize("line,names", [
    ("Reporting by: Taim Khalil", ["Taim Khalil"]),
    ("By Rana Jaber and Sami Haddad", ["Rana Jaber", "Sami Haddad"]),
    ("Written by Hassan al-Masri in Damascus", ["Hassan al-Masri"]),
    ("Reporting by Nour Said; additional reporting by Ali Kassem; Editing by Tom Brand",
     ["Nour Said"]),
    ("بقلم أحمد العلي", ["أحمد العلي"]),
    ("By Staff", []),
    ("By AFP", []),
    ("by our correspondent", []),
    ("By SAMI HADDAD", ["Sami Haddad"]),
    ("كتب مراسلنا", []),
])
def test_byline_moves_to_authors(line, names):
    doc = run(line, BODY[0], BODY[1], authors=["Rana Jaber"])
    assert paragraphs(doc) == BODY[:2]
    expected = ["Rana Jaber"] + [n for n in names if n != "Rana Jaber"]
    assert doc["authors"] == expected


@pytest.mark.parametrize("line,authors,credits", [
    ("Reporting by Nour Said; additional reporting by Ali Kassem; Editing by Tom Brand",
     ["Nour Said"], [("Ali Kassem", "additional-reporting"), ("Tom Brand", "editing")]),
    ("Writing by Maya Ghanem; Editing by Tom Brand and Lea Roth", ["Maya Ghanem"],
     [("Tom Brand", "editing"), ("Lea Roth", "editing")]),
    ("Additional reporting by Ali Kassem in Gaziantep", [], [("Ali Kassem", "additional-reporting")]),
    ("Ali Kassem and Rima Hallak contributed to this report.", [],
     [("Ali Kassem", "additional-reporting"), ("Rima Hallak", "additional-reporting")]),
    ("By AFP", [], [("AFP", "agency")]),
    ("Source: Reuters", [], [("Reuters", "agency")]),
    ("Von Anna Schmidt und Jan Weber", ["Anna Schmidt", "Jan Weber"], []),
    ("By Hala Nasser for Levant News Network", ["Hala Nasser"],
     [("Levant News Network", "organisation")]),
    ("كتبت: ريم الحسن - دمشق", ["ريم الحسن"], []),
    ("(أبوظبي - البيان)", [], [("البيان", "outlet")]),
    ("تحرير: سامر الأحمد", [], [("سامر الأحمد", "editing")]),
])
def test_credit_lines_leave_the_text_and_keep_their_names(line, authors, credits):
    doc = run(BODY[0], BODY[1], line)
    assert paragraphs(doc) == BODY[:2]
    assert doc["authors"] == authors
    assert [(c["name"], c["role"]) for c in doc["credits"]] == credits


def test_a_misspelt_sign_off_adds_no_author():
    doc = run(BODY[0], BODY[1], "By Jnae Doe", authors=["Jane Doe"])
    assert doc["authors"] == ["Jane Doe"]
    doc = run(BODY[0], BODY[1], "By Sami Haddad", authors=["Rami Haddad"])
    assert doc["authors"] == ["Rami Haddad", "Sami Haddad"]


@pytest.mark.parametrize("line", [
    "Translated by the army's media office, the statement gave no figures.",
    "By the end of the week, most of the families had returned to their villages.",
    "By Tuesday Morning",
    "By The Numbers",
])
def test_sentence_starting_with_by_is_not_a_byline(line):
    doc = run(BODY[0], line)
    assert line in paragraphs(doc)
    assert doc["authors"] == []


def test_junk_is_never_an_author():
    for line in ("Email the author", "By Staff", "By 10:45 AM"):
        assert run(line, BODY[0])["authors"] == []


# --------------------------------------------------------------------- options, learned
def test_drop_lines_option():
    doc = run(BODY[0], "Levant Desk is an independent newsroom.", BODY[1],
              options={"drop_lines": [r"^Levant Desk is an independent"]})
    assert paragraphs(doc) == BODY[:2]


def test_learned_lines_are_dropped_and_reported():
    promo = "Support independent journalism from Syria with a monthly donation."
    doc = run(BODY[0], promo, BODY[1], learned_lines=frozenset({line_key(promo)}))
    assert paragraphs(doc) == BODY[:2]
    assert line_key(promo) in doc["line_keys"]  # still counted, so it stays learned


def test_learned_lines_never_empty_an_article():
    doc = run(*BODY, learned_lines=frozenset(line_key(p) for p in BODY))
    assert paragraphs(doc) == BODY


def test_line_key_normalises():
    assert line_key("  Follow us on TELEGRAM! ") == line_key("follow us on telegram")
    assert line_key("تابعونا على تلغرام") == line_key("تَابِعُونَا عَلى تلغرام")
    assert line_key("12 killed in Idlib") != line_key("15 killed in Idlib")


def test_word_count_and_empty_input():
    assert run(*BODY)["word_count"] == sum(len(p.split()) for p in BODY)
    doc = clean({"title": None, "text": None})
    assert doc["text"] == "" and doc["word_count"] == 0 and doc["authors"] == []


# --------------------------------------------------------------------- prune_tree
PAGE = """<html><body>
<header><nav><a href="/">Home</a><a href="/syria">Syria</a></nav></header>
<article class="post tag-idlib category-news">
 <h1>Shelling closes schools in eastern districts</h1>
 <div class="share-buttons"><a>Facebook</a><a>Twitter</a></div>
 <span class="reading-time">4 min read</span>
 <figure><img src="a.jpg"><figcaption>Smoke over the district. [Getty]</figcaption></figure>
 <p>{0}</p><p>{1}</p>
 <div class="photo-credit">Photo: Levant Desk</div>
 <p>{2}</p>
 <ul class="post-tags"><li><a rel="tag">Idlib</a></li><li><a rel="tag">Aid</a></li></ul>
 <div class="newsletter-box"><p>Sign up for the morning briefing.</p></div>
 <h3>Related articles</h3>
 <ul><li><a href="/1">Aid convoy reaches Douma</a></li><li><a href="/2">Talks stall</a></li></ul>
</article>
<div id="cookie-consent">We use cookies.</div>
<section id="comments"><h3>2 Comments</h3><p>Great piece, thank you for writing it.</p>
 <form id="commentform"><p>fifteen + 6 = <input name="captcha"></p><textarea></textarea></form>
</section>
<aside role="complementary"><h4>Most read</h4><p>Other story entirely.</p></aside>
</body></html>""".format(*BODY)


def test_prune_tree_drops_non_article_parts():
    tree = lxml.html.fromstring(PAGE)
    prune_tree(tree)
    text = " ".join(tree.text_content().split())
    for para in BODY:
        assert para in text
    assert "Shelling closes schools" in text  # the headline is metadata's, not pruned
    for gone in ("Facebook", "4 min read", "Smoke over the district", "Photo: Levant Desk",
                 "Idlib Aid", "Sign up", "Aid convoy", "cookies", "Great piece", "fifteen",
                 "Other story", "Home"):
        assert gone not in text, gone


def test_prune_tree_keeps_page_wide_form_and_article_classes():
    page = ('<html><body><form id="aspnetForm"><div class="social-article">'
            '<h1>Headline</h1><p>{0}</p><p>{1}</p></div>'
            '<div class="comments">One reader wrote in.</div></form></body></html>').format(*BODY)
    tree = lxml.html.fromstring(page)
    prune_tree(tree)
    text = tree.text_content()
    assert BODY[0] in text and BODY[1] in text
    assert "One reader" not in text


def test_prune_tree_drop_selectors_and_bad_selector():
    page = '<html><body><p>{0}</p><div class="x-promo-7">Buy now</div></body></html>'.format(BODY[0])
    tree = lxml.html.fromstring(page)
    prune_tree(tree, {"drop_selectors": ["div.x-promo-7", "p[[[bad"]})
    assert "Buy now" not in tree.text_content() and BODY[0] in tree.text_content()


def test_prune_tree_keeps_tail_text():
    tree = lxml.html.fromstring('<html><body><p>Before <button>Share</button>after.</p></body></html>')
    prune_tree(tree)
    assert " ".join(tree.text_content().split()) == "Before after."


CARD = ('<article class="card"><h2><a href="/other">Another story</a></h2>'
        '<p>A teaser for another story about prices in the markets of Hama …</p></article>')


def test_prune_tree_drops_other_stories_but_not_live_blog_updates():
    page = ('<html><body><article><h1>Headline</h1><p class="standfirst">A short summary.</p>'
            '<p>{0} {1}</p><p>{2}</p><p>{1} {0}</p>{card}</article>{card}</body></html>'
            ).format(*BODY, card=CARD)
    tree = lxml.html.fromstring(page)
    prune_tree(tree)
    text = tree.text_content()
    assert all(p in text for p in BODY)
    assert "teaser" not in text and "A short summary" not in text
    live = page.replace("<article>", '<article class="liveblog">', 1)
    tree = lxml.html.fromstring(live)
    prune_tree(tree)
    assert "teaser" in tree.text_content()
    # told by its JSON-LD, whatever the case of the script's type
    live = page.replace("<body>", '<head><script type="application/LD+JSON">'
                        '{"@type": "LiveBlogPosting"}</script></head><body>', 1)
    tree = lxml.html.fromstring(live)
    prune_tree(tree)
    assert "teaser" in tree.text_content()


def test_prune_tree_link_lists_go_lists_of_facts_stay():
    page = ('<html><body><p>{0} {2}</p><ul><li><a href="/a">Story one</a></li>'
            '<li><a href="/b">Story two</a></li></ul><ul><li>Two schools closed</li>'
            '<li>Water deliveries <a href="/w">suspended</a> until Friday</li></ul>'
            '<h2 class="subhead">What happens next</h2><p>{1}</p></body></html>').format(*BODY)
    tree = lxml.html.fromstring(page)
    prune_tree(tree)
    text = " ".join(tree.text_content().split())
    assert "Story one" not in text
    assert "Two schools closed" in text and "Water deliveries suspended until Friday" in text
    assert "What happens next" in text  # a crosshead after the first paragraph stays


def test_prune_tree_keeps_a_story_body_nested_in_its_own_article():
    body = "".join(f"<p>{p} {p}</p>" for p in BODY)
    page = (f'<html><body><article><h1>Headline</h1><p>{BODY[0]} {BODY[1]}</p>'
            f'<article class="story-body">{body}</article></article></body></html>')
    tree = lxml.html.fromstring(page)
    prune_tree(tree)
    assert tree.text_content().count(BODY[2]) == 2


def test_word_count_adds_up_over_paragraphs():
    text = "\n\n".join(["Shelling hit Sarmin.", "قصف على إدلب — ١٢ قتيلا", "½ of it_is here"])
    doc = clean({"title": "", "text": text})
    assert doc["word_count"] == len(re.findall(r"\w+", doc["text"]))
