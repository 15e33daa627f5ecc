"""The default sources.toml parses and lists the required outlets; the loader rejects bad files."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsarchive.crawler.exceptions import SourcesError
from newsarchive.crawler.sources import load_sources

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "sources.toml"

# Outlets issue #2 requires, as (host, language, path prefix a URL of the source starts with).
REQUIRED = [
    ("www.newarab.com", "en", "/"),
    ("english.enabbaladi.net", "en", "/"),
    ("www.enabbaladi.net", "ar", "/"),
    ("syriadirect.org", "en", "/"),
    ("npasyria.com", "en", "/en/"),
    ("npasyria.com", "ar", "/"),
    ("www.syriahr.com", "en", "/en/"),
    ("www.syriahr.com", "ar", "/"),
    ("sana.sy", "en", "/en/"),
    ("www.aljazeera.com", "en", "/"),
    ("english.aawsat.com", "en", "/"),
    ("www.zamanalwsl.net", "ar", "/"),
]

# Real article URLs (seen in public material) and the source that must accept them, or refuse.
ACCEPTED = [
    ("newarab-en", "https://www.newarab.com/news/syrian-pound-begins-recover-after-assads-ouster"),
    ("enab-baladi-en",
     "https://english.enabbaladi.net/archives/2026/10/gunmen-target-syrian-army-officer-in-daraa/"),
    ("enab-baladi-ar", "https://www.enabbaladi.net/784230/"),
    ("npa-en", "https://npasyria.com/en/110223/"),
    ("npa-ar", "https://npasyria.com/178716/"),
    ("sohr-en", "https://www.syriahr.com/en/337635/"),
    ("aljazeera-en", "https://www.aljazeera.com/news/2024/12/18/"
                     "at-least-13-dead-after-naval-vessel-hits-passenger-boat?traffic_source=rss"),
    ("aawsat-en", "https://english.aawsat.com/arab-world/"
                  "5223092-syria-start-currency-swap-january-1st-central-bank-governor-says"),
]
REFUSED = [
    ("npa-ar", "https://npasyria.com/en/110223/"),  # the English edition's article
    ("sohr-ar", "https://www.syriahr.com/en/337635/"),
    ("syria-direct-en", "https://syriadirect.org/ar/some-arabic-story/"),
    ("aljazeera-en", "https://www.aljazeera.com/program/newsfeed/2024/12/18/some-video"),
    ("newarab-en", "https://www.newarab.com/tag/syria"),
]


@pytest.fixture(scope="module")
def sources():
    return {s.name: s for s in load_sources(DEFAULT_SOURCES)}


def _urls(source):
    return [*source.feeds, *source.sitemaps, *source.start_urls]


def test_default_file_parses(sources):
    assert len(sources) >= 12


@pytest.mark.parametrize(("host", "language", "prefix"), REQUIRED,
                         ids=[f"{h}-{lang}" for h, lang, _ in REQUIRED])
def test_required_outlet_present(sources, host, language, prefix):
    matching = [
        s for s in sources.values()
        if s.language == language and any(
            urlsplit(u).netloc == host and urlsplit(u).path.startswith(prefix) for u in _urls(s))
    ]
    assert matching, f"no {language} source with a URL on {host}{prefix}"


def test_aljazeera_has_its_syria_page_and_feed(sources):
    urls = [u for s in sources.values() for u in _urls(s) if "aljazeera.com" in u]
    assert any("/where/syria" in u for u in urls)
    assert any("/rss/" in u for u in urls)


def test_every_url_is_https(sources):
    for source in sources.values():
        for url in _urls(source):
            parts = urlsplit(url)
            assert parts.scheme == "https" and parts.netloc, (source.name, url)


def test_names_unique_in_the_raw_file():
    tables = tomllib.loads(DEFAULT_SOURCES.read_text(encoding="utf-8"))["source"]
    names = [t["name"] for t in tables]
    assert len(names) == len(set(names))


def test_regexes_compile_and_languages_valid(sources):
    for source in sources.values():
        for pattern in (*source.allow, *source.deny, *source.drop_lines):
            re.compile(pattern)
        assert source.language in ("en", "ar"), source.name
        assert source.title and source.title != source.name, source.name


def test_every_source_has_a_feed_or_sitemap_or_start_page(sources):
    for source in sources.values():
        # (or, for an outlet that is gone, a Wayback back-fill: issue 7)
        assert source.feeds or source.sitemaps or source.start_urls or source.wayback, \
            source.name


def test_every_source_is_documented_in_a_comment():
    """Each [[source]] table follows a comment saying where its URLs come from."""
    text = DEFAULT_SOURCES.read_text(encoding="utf-8")
    chunks = re.split(r"^\[\[source\]\]$", text, flags=re.MULTILINE)
    assert len(chunks) - 1 == len(tomllib.loads(text)["source"])
    for before in chunks[:-1]:
        comment = before.rstrip().splitlines()[-12:]
        assert all(line.startswith("#") for line in comment[-3:]), before[-300:]
        assert any(word in " ".join(comment).lower()
                   for word in ("verified", "listed", "convention")), before[-300:]


@pytest.mark.parametrize(("name", "url"), ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_source_accepts_its_real_article_urls(sources, name, url):
    assert sources[name].owns(url)
    assert sources[name].allows(url)


@pytest.mark.parametrize(("name", "url"), REFUSED, ids=[n for n, _ in REFUSED])
def test_source_refuses_other_editions_and_non_articles(sources, name, url):
    assert not sources[name].allows(url)


def test_deny_patterns_match_whole_path_segments(sources):
    """A slug that merely starts with "video" is an article, not a video page."""
    story = "https://www.newarab.com/news/video-shows-strike-on-idlib-market"
    assert sources["newarab-en"].allows(story)
    assert not sources["newarab-en"].allows("https://www.newarab.com/video/some-clip")


# ----------------------------------------------------------------------------- loader errors
def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = '''
[[source]]
name = "local"
title = "Local test outlet"
feeds = ["https://example.org/feed/"]
'''


def test_minimal_file_loads(tmp_path):
    (source,) = load_sources(_write(tmp_path, GOOD))
    assert source.name == "local" and source.follow_depth == 1
    assert source.all_hosts == frozenset({"example.org"})


@pytest.mark.parametrize(("body", "message"), [
    ('title = "No name"\nfeeds = ["https://example.org/feed/"]', "'name'"),
    ('name = "Upper Case"\nfeeds = ["https://example.org/feed/"]', "'name'"),
    ('name = "x"\nfeeds = ["https://example.org/feed/"]\nfeed_url = "https://a.b/"',
     "unknown key(s) feed_url"),
    ('name = "x"\nfeeds = ["https://example.org/feed/"]\nallow = ["(unclosed"]',
     "bad regex in 'allow'"),
    ('name = "x"\nfeeds = ["https://example.org/feed/"]\ndeny = ["[a-"]', "bad regex in 'deny'"),
    ('name = "x"\nfeeds = ["https://example.org/feed/"]\ndrop_lines = ["*x"]',
     "bad regex in 'drop_lines'"),
    ('name = "x"\ntitle = "Nothing to crawl"', "needs at least one of feeds, sitemaps, start_urls"),
    ('name = "x"\nfeeds = []\nsitemaps = []\nstart_urls = []', "needs at least one of"),
    ('name = "x"\nfeeds = ["ftp://example.org/feed.xml"]', "is not an http(s) URL"),
    ('name = "x"\nsitemaps = ["example.org/sitemap.xml"]', "is not an http(s) URL"),
    ('name = "x"\nstart_urls = ["https://"]', "is not an http(s) URL"),
    ('name = "x"\nfeeds = [1, 2]', "must be a list of strings"),
], ids=["missing-name", "bad-name", "unknown-key", "bad-allow", "bad-deny", "bad-drop-line",
        "no-urls", "empty-url-lists", "ftp-url", "no-scheme", "no-host", "non-string-url"])
def test_bad_source_is_rejected(tmp_path, body, message):
    with pytest.raises(SourcesError) as info:
        load_sources(_write(tmp_path, f"[[source]]\n{body}\n"))
    assert message in str(info.value)
    assert "\n" not in str(info.value)  # one-line reason for the CLI


def test_duplicate_names_rejected(tmp_path):
    with pytest.raises(SourcesError, match="duplicate source name.*local"):
        load_sources(_write(tmp_path, GOOD + GOOD))


@pytest.mark.parametrize("text", ["", "[other]\nx = 1\n", "source = []\n"],
                         ids=["empty", "no-source-tables", "empty-list"])
def test_file_without_sources_rejected(tmp_path, text):
    with pytest.raises(SourcesError, match="no \\[\\[source\\]\\] tables"):
        load_sources(_write(tmp_path, text))


def test_invalid_toml_and_missing_file_rejected(tmp_path):
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(_write(tmp_path, "[[source]\nname = 'x'\n"))
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "missing.toml")


def test_ip_host_with_port_accepted(tmp_path):
    (source,) = load_sources(_write(tmp_path, '''
[[source]]
name = "loopback"
feeds = ["http://127.0.0.2:8080/feed.xml"]
start_urls = ["http://127.0.0.2:8080/syria/"]
'''))
    assert source.all_hosts == frozenset({"127.0.0.2:8080"})
    assert source.owns("http://127.0.0.2:8080/2026/05/story.html")
    assert not source.owns("http://127.0.0.2:8081/2026/05/story.html")
    assert not source.owns("http://127.0.0.3:8080/2026/05/story.html")


@pytest.mark.parametrize("depth", [0, 1, 5])
def test_follow_depth_in_bounds_accepted(tmp_path, depth):
    (source,) = load_sources(_write(tmp_path, GOOD + f"follow_depth = {depth}\n"))
    assert source.follow_depth == depth


@pytest.mark.parametrize("depth", ["-1", "6", "1.5", '"2"', "true"])
def test_follow_depth_out_of_bounds_rejected(tmp_path, depth):
    with pytest.raises(SourcesError, match="'follow_depth' must be an integer from 0 to 5"):
        load_sources(_write(tmp_path, GOOD + f"follow_depth = {depth}\n"))


# --- every mistake in a sources file: one line naming the source and the field, exit 1 ---
FEED = 'feeds = ["http://127.0.0.1:9/feed.xml"]\n'
BAD_FILES = {
    "revisit-nan": (FEED + "revisit_hours = nan\n", "'revisit_hours'"),
    "revisit-inf": (FEED + "revisit_hours = inf\n", "'revisit_hours'"),
    "revisit-huge": (FEED + "revisit_hours = 1e308\n", "'revisit_hours'"),
    "revisit-text": (FEED + 'revisit_hours = "24"\n', "'revisit_hours'"),
    "revisit-bool": (FEED + "revisit_hours = true\n", "'revisit_hours'"),
    "ipv6-unclosed": ('feeds = ["http://[::1/feed"]\n', "'feeds'"),
    "port-too-big": ('feeds = ["http://127.0.0.1:70000/feed.xml"]\n', "'feeds'"),
    "port-not-number": ('sitemaps = ["http://127.0.0.1:http/sitemap.xml"]\n', "'sitemaps'"),
    "space-in-host": ('start_urls = ["http://exa mple.org/"]\n', "'start_urls'"),
    "control-in-url": ('start_urls = ["http://example.org/\\u202e/"]\n', "'start_urls'"),
    "bad-host": (FEED + 'hosts = ["example.org/news"]\n', "'hosts'"),
    "bad-host-port": (FEED + 'hosts = ["example.org:99999"]\n', "'hosts'"),
    "title-number": (FEED + "title = 5\n", "'title'"),
    "language-list": (FEED + 'language = ["en"]\n', "'language'"),
    "selector": (FEED + 'drop_selectors = ["div[[["]\n', "'drop_selectors'"),
    "wayback-url-number": ('wayback = { url = 5 }\n', "wayback 'url'"),
}


def _cli_rejects(tmp_path, text: str, *expected: str) -> None:
    from helpers import run_cli

    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("crawl", "--sources", path, "--db", tmp_path / "x.db", timeout=120)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr[-2000:]
    for word in expected:
        assert word in lines[0], lines[0]
    assert not (tmp_path / "x.db").exists(), "nothing was started"


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_cli_rejects_a_bad_field_in_one_line(tmp_path, case):
    body, field = BAD_FILES[case]
    _cli_rejects(tmp_path, f'[[source]]\nname = "broken"\n{body}', "source 'broken'", field)


@pytest.mark.parametrize("text, expected", [
    ("x = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
    ("x = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n", "nested too deeply"),
    ("source = [1, 2]\n", "source #1"),
    ('source = "x"\n', "[[source]]"),
], ids=["nested-arrays", "nested-tables", "source-not-tables", "source-a-string"])
def test_cli_rejects_a_bad_file_in_one_line(tmp_path, text, expected):
    _cli_rejects(tmp_path, text, expected)

