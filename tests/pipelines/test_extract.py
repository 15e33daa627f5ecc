"""Extraction: the body of a realistic page, metadata and canonical link, the JSON-LD
fallback, and robustness against broken input.

All page text is written for these tests.
"""

from __future__ import annotations

import json
import pickle
import re

import pytest

from newsarchive.pipelines.clean import clean
from newsarchive.pipelines.extract import extract

URL = "https://levant-desk.example/2024/03/02/water-trucks-reach-camps/"
TITLE = "Water trucks reach camps near Atmeh after two-week gap"
BODY = [
    "IDLIB – Water trucks reached several displacement camps near the town of Atmeh on "
    "Saturday for the first time in two weeks, camp managers said, after a dispute over "
    "fuel prices halted deliveries across the border area.",
    "Families in the camps had been rationing what little water they had left, and some "
    "had started buying from private sellers at three times the usual price, according to "
    "residents who spoke by phone.",
    "A coordinator with a local relief group said the deliveries would continue daily "
    "while funding lasted, but warned that the money allocated for the month was already "
    "nearly spent and that no new pledges had arrived.",
    "Doctors at a clinic serving the camps said they had seen a rise in cases of diarrhoea "
    "among children, which they linked to people drinking water from open tanks that had "
    "not been treated.",
    "Local council officials said they were negotiating with suppliers to fix a price for "
    "the rest of the spring, and asked donors to cover the difference.",
]


def page(body_paragraphs=BODY, extra_head="", extra_body=""):
    paras = "".join(f"<p>{p}</p>" for p in body_paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8"><title>{TITLE} | Levant Desk</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="Levant Desk">
<meta property="article:published_time" content="2024-03-02T10:15:00+03:00">
<link rel="canonical" href="/2024/03/02/water-trucks-reach-camps/">
{extra_head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article class="post type-post tag-idlib">
<h1 class="entry-title">{TITLE}</h1>
<div class="byline">By <a rel="author" href="/author/rana">Rana Jaber</a></div>
<div class="social-share"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a></div>
<figure><img src="/trucks.jpg" alt=""><figcaption>A water truck at a camp near Atmeh. [Getty]</figcaption></figure>
<div class="entry-content">{paras}
<p>Follow us on Twitter and Instagram to stay connected</p>
<p>• Short link : https://levant-desk.example/?p=4411</p>
</div>
<div class="tags-links">Tags: <a rel="tag">Idlib</a>, <a rel="tag">water</a></div>
{extra_body}
</article></main>
<aside class="related-posts"><h3>Related</h3><ul>
<li><a href="/a">Fuel prices climb again in northern Syria</a></li>
<li><a href="/b">Clinics in Atmeh short of staff</a></li></ul></aside>
<div id="comments" class="comments-area"><h3>Leave a Reply</h3>
<form id="commentform"><p>Your email address will not be published.</p>
<p>fifteen + 6 = <input name="captcha"></p><textarea name="comment"></textarea>
<button>Post Comment</button></form></div>
<footer><p>© 2024 Levant Desk. All rights reserved.</p></footer>
</body></html>"""


def stored(html, url=URL, **kw):
    return clean(extract(html, url, **kw))


def test_body_is_the_article_and_nothing_else():
    doc = stored(page())
    assert doc["text"].split("\n\n") == BODY
    assert doc["title"] == TITLE
    assert doc["dateline"] == "IDLIB –"
    assert doc["canonical_link"] == "https://levant-desk.example/2024/03/02/water-trucks-reach-camps/"
    assert doc["published"].startswith("2024-03-02")
    assert "Rana Jaber" in doc["authors"]
    assert doc["word_count"] == len(re.findall(r"\w+", " ".join(BODY)))


def test_output_is_picklable_and_has_the_contract_keys():
    doc = extract(page(), URL, {"name": "levant-desk", "language": "en"},
                  {"title": "Feed title", "published": "2024-03-02", "published_source": "feed"})
    assert set(doc) >= {"title", "authors", "published", "published_source", "language",
                        "text", "canonical_link"}
    assert isinstance(doc["authors"], list)
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_json_ld_body_rescues_a_page_without_paragraph_markup():
    body = " ".join(BODY)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": TITLE, "articleBody": body})
    html = (f'<html><head><title>{TITLE}</title><script type="application/ld+json">{ld}'
            f'</script></head><body><h1>{TITLE}</h1><div id="app">Loading…</div></body></html>')
    doc = stored(html)
    assert "Water trucks reached several displacement camps" in doc["text"]
    assert "no new pledges had arrived" in doc["text"]


def test_json_ld_body_is_read_as_tolerantly_as_the_metadata():
    # the one JSON-LD reader (metadata.page): a type in capitals, a trailing comma
    ld = json.dumps({"@type": "NewsArticle", "headline": TITLE, "articleBody": " ".join(BODY)})
    html = (f'<html><head><title>{TITLE}</title><script type="application/LD+JSON">'
            f'{ld[:-1]},}}</script></head><body><h1>{TITLE}</h1><div id="app">Loading…</div>'
            f'</body></html>')
    assert "Water trucks reached several displacement camps" in stored(html)["text"]


def test_a_canonical_href_urljoin_cannot_read_costs_the_page_only_its_link():
    html = page().replace('href="/2024/03/02/water-trucks-reach-camps/"', 'href="http://[broken/"')
    doc = stored(html)
    assert doc["canonical_link"] is None
    assert doc["published_source"] == "meta" and "Rana Jaber" in doc["authors"]  # ours


def test_drop_selectors_option():
    html = page(extra_body='<div class="lvd-donate">Support our reporting from Idlib today.</div>')
    assert "Support our reporting" not in stored(
        html, options={"name": "levant-desk", "drop_selectors": [".lvd-donate"]})["text"]


def test_hints_fill_missing_metadata():
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in BODY) + "</body></html>"
    doc = extract(html, URL, {"language": "en"},
                  {"title": "Hint title", "published": "2024-03-01T08:00:00Z",
                   "published_source": "feed"})
    assert doc["title"] == "Hint title"
    assert doc["published"].startswith("2024-03-01")
    assert "Water trucks reached" in doc["text"]


# --------------------------------------------------------------------- robustness
NESTED = "<html><body>" + "<div>" * 5000 + "<p>deep</p>" + "</div>" * 5000 + "</body></html>"
BROKEN = [
    "",
    "   \n\t ",
    "\x00\x00\x00",
    page().replace("<p>", "<p>\x00", 3),
    NESTED,
    "<html><body><p>unclosed <b><i>tags <table><tr><td>cell",
    bytes(range(256)).decode("latin-1") * 20,
    "<?xml version='1.0' encoding='utf-8'?><rss><channel><item>x</item></channel></rss>",
    "\ufeff<html><head><meta charset='windows-1256'></head><body>\ud7ff</body></html>",
]


@pytest.mark.parametrize("html", BROKEN, ids=range(len(BROKEN)))
def test_extract_never_raises_on_broken_input(html):
    doc = clean(extract(html, URL))
    assert isinstance(doc["text"], str)


def test_nul_bytes_do_not_lose_the_article():
    doc = stored(page().replace("<p>", "<p>\x00", 3))
    assert "Water trucks reached" in doc["text"] and "\x00" not in doc["text"]


def test_bytes_input():
    doc = stored(page().encode("utf-8"))
    assert doc["text"].split("\n\n") == BODY


# --------------------------------------------------------------------- the sample site
def sample_articles():
    from newsarchive.crawler.fakeweb.content import load_outlets
    from newsarchive.crawler.fakeweb.outlet import OutletSite

    for outlet in load_outlets():
        site = OutletSite(outlet, "http://127.0.0.2:8000")
        for art in site.articles:
            yield outlet, site, art


def test_sample_site_articles_are_stored_clean():
    """Every sample article: boilerplate printed on the page gone, body sentences kept,
    title out of the text, bylines and datelines where the data says."""
    flat = lambda s: " ".join(s.split())  # noqa: E731
    problems, count = [], 0
    for outlet, site, art in sample_articles():
        _ctype, body = site.routes[art["path"]]
        options = {"name": outlet["name"], "language": outlet.get("language")}
        doc = clean(extract(body.decode("utf-8"), site.url(art["path"]), options), options)
        text = flat(doc["text"])
        count += 1
        problems += [f"{art['slug']}: kept {s!r}" for s in art["must_drop"] if flat(s) in text]
        problems += [f"{art['slug']}: lost {s!r}" for s in art["must_keep"] if flat(s) not in text]
        if not doc["text"].split("\n\n")[0].strip() or flat(art["title"]) == flat(doc["text"].split("\n\n")[0]):
            problems.append(f"{art['slug']}: title in text")
        if art.get("dateline") and doc["dateline"] != art["dateline"]:
            problems.append(f"{art['slug']}: dateline {doc['dateline']!r}")
    assert count >= 10
    assert not problems, "\n".join(problems)


def test_json_ld_body_of_a_related_article_is_never_taken():
    brief = ("Aid deliveries through the Bab al-Hawa crossing resumed on Monday after a "
             "three-day pause, a spokesperson for the relief coordination office said, adding "
             "that forty trucks carrying food and medicine crossed in the morning and more "
             "were expected before the end of the week as roads reopened.")
    related = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                          "url": "https://levant-desk.example/2024/01/other-story/",
                          "headline": "Another story", "articleBody": " ".join(BODY * 3)})
    html = (f'<html><head><title>Crossing reopens</title><script type="application/ld+json">'
            f'{related}</script></head><body><h1>Crossing reopens</h1><article><p>{brief}</p>'
            f'</article></body></html>')
    doc = stored(html)
    assert "Bab al-Hawa crossing resumed" in doc["text"]
    assert "Water trucks" not in doc["text"]


# --------------------------------------------------------------------- bench/extraction.py
def test_extraction_bench_says_when_the_benchmark_is_absent(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "bench" / "extraction.py"
    done = subprocess.run([sys.executable, str(script), "--bench-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "benchmark absent" in done.stdout
    done = subprocess.run([sys.executable, str(script), "--bench-dir", str(tmp_path), "--require"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2


def test_extraction_bench_extractor_is_the_page_function():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "extraction.py"
    spec = importlib.util.spec_from_file_location("bench_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from newsarchive.pipelines.page import process_page

    assert module.newsarchive(page(), URL) == process_page(page(), URL).text == stored(page())["text"]
