"""Table-driven tests for pipelines.urls.canonicalize_url (issue #4)."""

import pytest

from newsarchive.pipelines.urls import canonicalize_url, same_site

ARABIC_SLUG = "https://example.com/news/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1-%D8%AD%D9%84%D8%A8"

CASES = [
    # (id, url, canonical_link, expected)
    # --- scheme, host, ports, fragments
    ("scheme-host-case", "HTTP://Example.COM/News/Story-1", None, "http://example.com/News/Story-1"),
    ("path-case-kept", "https://example.com/A/B", None, "https://example.com/A/B"),
    ("default-http-port", "http://example.com:80/a", None, "http://example.com/a"),
    ("default-https-port", "https://example.com:443/a", None, "https://example.com/a"),
    ("other-port-kept", "https://example.com:8443/a", None, "https://example.com:8443/a"),
    ("ip-port-kept", "http://127.0.0.2:8080/x", None, "http://127.0.0.2:8080/x"),
    ("ip-default-port", "http://127.0.0.3:80/x", None, "http://127.0.0.3/x"),
    ("ip-https-443", "https://127.0.0.3:443/x/", None, "https://127.0.0.3/x"),
    ("ipv6-port", "http://[::1]:8080/a/", None, "http://[::1]:8080/a"),
    ("trailing-dot-host", "https://example.com./a", None, "https://example.com/a"),
    ("fragment", "https://example.com/a#comments", None, "https://example.com/a"),
    ("fragment-query", "https://example.com/a?id=3#top", None, "https://example.com/a?id=3"),
    ("idn-host", "https://مثال.إختبار/a", None, "https://xn--mgbh0fb.xn--kgbechtv/a"),
    # --- trailing slashes: /x and /x/ fold, root stays /
    ("trailing-slash", "https://example.com/a/b/", None, "https://example.com/a/b"),
    ("no-trailing-slash", "https://example.com/a/b", None, "https://example.com/a/b"),
    ("root", "https://example.com", None, "https://example.com/"),
    ("root-slash", "https://example.com/", None, "https://example.com/"),
    ("slash-before-query", "https://example.com/a/?id=1", None, "https://example.com/a?id=1"),
    # --- query order and trackers
    ("query-sorted", "https://example.com/a?b=2&a=1", None, "https://example.com/a?a=1&b=2"),
    ("utm", "https://example.com/a?utm_source=tw&utm_medium=social&utm_campaign=x", None,
     "https://example.com/a"),
    ("utm-upper", "https://example.com/a?UTM_Source=tw&id=4", None, "https://example.com/a?id=4"),
    ("fbclid", "https://example.com/a?fbclid=IwAR0abc", None, "https://example.com/a"),
    ("gclid", "https://example.com/a?gclid=Cj0KCQ&p=2", None, "https://example.com/a?p=2"),
    ("mailchimp", "https://example.com/a?mc_cid=12ab&mc_eid=34cd", None, "https://example.com/a"),
    ("igshid", "https://example.com/a?igshid=MzRlODBiNWFlZA==", None, "https://example.com/a"),
    ("ga-linker", "https://example.com/a?_ga=2.1234&_gl=1*abc", None, "https://example.com/a"),
    ("ref-word", "https://example.com/a?ref=twitter", None, "https://example.com/a"),
    ("ref-src", "https://example.com/a?ref_src=twsrc%5Etfw", None, "https://example.com/a"),
    ("ref-numeric-kept", "https://example.com/a?ref=1234", None, "https://example.com/a?ref=1234"),
    ("source-rss", "https://example.com/a?source=rss&id=9", None, "https://example.com/a?id=9"),
    ("story-id-kept", "https://example.com/news.php?id=1200&cat=3", None,
     "https://example.com/news.php?cat=3&id=1200"),
    # --- session ids
    ("phpsessid", "https://example.com/a?PHPSESSID=9f8e7d6c5b4a", None, "https://example.com/a"),
    ("jsessionid-path", "https://example.com/a;jsessionid=ABC123DEF?x=1", None,
     "https://example.com/a?x=1"),
    ("jsessionid-query", "https://example.com/a?jsessionid=ABC123", None, "https://example.com/a"),
    ("sid-token", "https://example.com/a?sid=a8f7d6e5c4b3a2910f", None, "https://example.com/a"),
    ("sid-story-id-kept", "https://example.com/a?sid=1234", None, "https://example.com/a?sid=1234"),
    # --- AMP, mobile, print
    ("amp-suffix", "https://example.com/story/1/amp", None, "https://example.com/story/1"),
    ("amp-suffix-slash", "https://example.com/story/1/amp/", None, "https://example.com/story/1"),
    ("amp-prefix", "https://example.com/amp/story/1", None, "https://example.com/story/1"),
    ("amp-query-blank", "https://example.com/story/1?amp", None, "https://example.com/story/1"),
    ("amp-query-1", "https://example.com/story/1?amp=1", None, "https://example.com/story/1"),
    ("amp-html", "https://example.com/story.amp.html", None, "https://example.com/story.html"),
    ("amp-host", "https://amp.example.com/story/1", None, "https://example.com/story/1"),
    ("mobile-host", "https://m.example.com/story/1", None, "https://example.com/story/1"),
    ("mobile-host-cctld", "https://m.bbc.co.uk/news/1", None, "https://bbc.co.uk/news/1"),
    ("www-host", "https://www.example.com/story/1", None, "https://example.com/story/1"),
    ("subdomain-kept", "https://news.example.com/story/1", None, "https://news.example.com/story/1"),
    ("unknown-suffix-mobile", "https://m.levantwire.example/a/", None,
     "https://levantwire.example/a"),
    ("m-is-the-domain", "https://m.co.uk/x", None, "https://m.co.uk/x"),
    ("m-query", "https://example.com/a?m=1", None, "https://example.com/a"),
    ("print-query", "https://example.com/a?print=1", None, "https://example.com/a"),
    ("print-path", "https://example.com/a/print/", None, "https://example.com/a"),
    ("amp-cache", "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/story/1/amp/",
     None, "https://example.com/story/1"),
    # --- percent-encoded Arabic slugs: one encoding
    ("arabic-decoded", "https://example.com/news/أخبار-حلب", None, ARABIC_SLUG),
    ("arabic-encoded", ARABIC_SLUG, None, ARABIC_SLUG),
    ("arabic-lower-hex", ARABIC_SLUG.lower().replace("https://example.com/news/",
                                                     "https://example.com/news/"), None,
     ARABIC_SLUG),
    ("arabic-query", "https://example.com/a?q=سوريا", None,
     "https://example.com/a?q=%D8%B3%D9%88%D8%B1%D9%8A%D8%A7"),
    # --- rel=canonical
    ("canonical-relative", "https://example.com/a?x=1", "/b/", "https://example.com/b"),
    ("canonical-absolute", "https://m.example.com/a", "https://www.example.com/a/",
     "https://example.com/a"),
    ("canonical-offsite-ignored", "https://example.com/a", "https://other.com/b",
     "https://example.com/a"),
    ("canonical-subdomain-same-site", "https://example.com/a", "https://news.example.com/a",
     "https://news.example.com/a"),
    ("canonical-homepage-ignored", "https://example.com/a/b", "/", "https://example.com/a/b"),
    ("canonical-other-port-ignored", "http://127.0.0.2:8001/a", "http://127.0.0.2:8002/b",
     "http://127.0.0.2:8001/a"),
    ("canonical-same-ip-port", "http://127.0.0.2:8001/a?utm_source=x", "/b/",
     "http://127.0.0.2:8001/b"),
    ("canonical-not-http-ignored", "https://example.com/a", "javascript:void(0)",
     "https://example.com/a"),
    ("canonical-blank-ignored", "https://example.com/a", "  ", "https://example.com/a"),
    ("canonical-is-cleaned-too", "https://example.com/a", "https://example.com/a/amp/?utm_source=x",
     "https://example.com/a"),
]


@pytest.mark.parametrize("url,canonical_link,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_canonicalize_url(url, canonical_link, expected):
    assert canonicalize_url(url, canonical_link) == expected


def test_enough_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("variant", [
    "https://www.example.com/news/story-1/",
    "https://m.example.com/news/story-1/amp/",
    "https://example.com/news/story-1?utm_source=feed&fbclid=x",
    "https://amp.example.com/news/story-1?amp=1#main",
    "HTTPS://EXAMPLE.COM:443/news/story-1;jsessionid=XYZ",
])
def test_variants_fold_to_one(variant):
    assert canonicalize_url(variant) == "https://example.com/news/story-1"


def test_canonical_form_is_stable():
    for _, url, link, expected in CASES:
        assert canonicalize_url(expected) == expected, url


def test_same_site():
    assert same_site("https://m.example.com/a", "https://www.example.com/b")
    assert not same_site("https://example.com/a", "https://example.org/a")
    assert same_site("http://127.0.0.2:8001/a", "http://127.0.0.2:8001/b")
    assert not same_site("http://127.0.0.2:8001/a", "http://127.0.0.3:8001/a")


INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200b", "\u200e", "\u200f",
             "\u061c", "\ufeff", "\u00ad", "\u2028", "\x07"]


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("where", ["https://example.com/news/{}txt.exe",
                                   "https://example.com/a?q={}1",
                                   "https://example.com/a/{}"])
def test_bidi_and_invisible_characters_are_never_kept_raw(char, where):
    from urllib.parse import quote

    from newsarchive.pipelines.urls import encode_invisible

    url = where.format(char)
    assert quote(char, safe="") in encode_invisible(url)
    canonical = canonicalize_url(url)  # percent-encoded (or trimmed at the end of a URL)
    assert canonical.isascii() and char not in canonical, canonical


@pytest.mark.parametrize("char", INVISIBLE)
def test_bidi_and_invisible_characters_in_a_host_are_never_kept_raw(char):
    from urllib.parse import quote

    from newsarchive.pipelines.urls import encode_invisible

    url = f"https://ex{char}ample.com/a"
    assert quote(char, safe="") in encode_invisible(url)
    canonical = canonicalize_url(url)  # IDNA, else percent-encoded
    assert canonical.isascii() and char not in canonical, canonical


def test_letters_of_any_script_are_left_as_they_are():
    from newsarchive.pipelines.urls import encode_invisible

    assert encode_invisible("https://example.com/أخبار/حلب?q=1") == \
        "https://example.com/أخبار/حلب?q=1"
