from newsarchive.pipelines.classify import classify

PARA = ("Displaced families arrived in the camps near the border on Monday after a week of "
        "shelling in the countryside south of the city, aid workers said, adding that tents "
        "and water were in short supply. ")


def page(body, head=""):
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_article_with_paragraphs():
    html = page("<nav>" + "".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(30))
                + "</nav><article><h1>Title</h1>" + f"<p>{PARA}</p>" * 5 + "</article>")
    assert classify(html) == "article"


def test_article_with_br_separated_text():
    html = page("<div class='story'>" + f"{PARA}<br><br>" * 4 + "</div>")
    assert classify(html) == "article"


def test_listing_of_excerpts_is_not_an_article():
    items = "".join(
        f"<div class='post'><h2><a href='/story-{i}'>Headline number {i} about the war</a></h2>"
        f"<p>{PARA}</p></div>" for i in range(10))
    assert classify(page(items)) == "listing"


def test_listing_with_excerpts_in_one_container():
    items = "".join(f"<h3><a href='/story-{i}'>Headline {i}</a></h3><p>{PARA}</p>"
                    for i in range(8))
    assert classify(page(f"<main>{items}</main>")) == "listing"


def test_liveblog_shell():
    entries = "".join(f"<li><time datetime='2024-01-01T1{i % 10}:00'>1{i % 10}:00</time> "
                      f"<a href='/live/{i}'>Update {i} from the front</a></li>" for i in range(12))
    assert classify(page(f"<h1>Live</h1><ul>{entries}</ul>")) == "liveblog"


def test_liveblog_declared_in_jsonld():
    head = '<script type="application/ld+json">{"@type": "LiveBlogPosting"}</script>'
    assert classify(page(f"<p>{PARA}</p>" * 5, head)) == "liveblog"


def test_empty_pages():
    assert classify("") == "empty"
    assert classify("\x00\x00") == "empty"
    assert classify(page("<p>Page not found.</p>")) == "empty"


def test_deeply_nested_html_does_not_crash():
    html = "<div>" * 5000 + PARA * 3 + "</div>" * 5000
    assert classify(page(html)) in {"article", "empty", "listing"}


def test_list_items_that_open_with_headline_links_are_a_listing():
    items = "".join(f"<li><a href='/story-{i}'>Headline number {i} on the war</a> {PARA}</li>"
                    for i in range(8))
    assert classify(page(f"<ul class='river'>{items}</ul>")) == "listing"


def test_article_paragraphs_with_inline_links_stay_an_article():
    body = "".join(f"<p>{PARA} See <a href='/r{i}'>the earlier report on this</a>.</p>"
                   for i in range(6))
    assert classify(page(f"<article>{body}</article>")) == "article"
