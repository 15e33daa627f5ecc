"""``newsarchive extract``: a saved page through the pure stages, printed as JSON."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from newsarchive.crawler.cli.base import cli
from newsarchive.pipelines.urls import canonicalize_url
import newsarchive.crawler.cli.extract  # noqa: F401  (registers the command)

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bakeries reopen in Maarat al-Numan | The Test Outlet</title>
<meta property="og:site_name" content="The Test Outlet">
<meta property="article:published_time" content="2019-03-14T09:30:00+02:00">
<link rel="canonical" href="https://outlet.example/2019/03/14/bakeries/?utm_source=x"></head>
<body><article><h1>Bakeries reopen in Maarat al-Numan</h1>
<p class="byline">By Lina Haddad</p>
<p>Three bakeries in Maarat al-Numan in Idlib province opened again on Thursday after a
week without flour, residents said, and queues formed before dawn outside each of them.</p>
<p>The bakers said the flour came from a warehouse near the Turkish border and that the
supply would last for about ten days unless the roads to the north were closed again.</p>
<p>Families in the city have relied on bread from the bakeries since the fighting began,
and local councils said they were looking for a second supplier before the winter.</p>
</article></body></html>"""
URL = "https://outlet.example/2019/03/14/bakeries/"
SOURCES = """[[source]]
name = "outlet"
start_urls = ["https://outlet.example/"]
language = "en"
"""


def run(args, stdin=None):
    return CliRunner().invoke(cli, ["extract", *args], input=stdin, catch_exceptions=False)


def test_extract_prints_the_record_as_json(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    result = run([str(path), "--url", URL, "--source", "outlet", "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout_bytes.decode("utf-8"))
    assert record["title"] == "Bakeries reopen in Maarat al-Numan"
    assert record["published"] == "2019-03-14T09:30:00+02:00"
    assert record["published_source"] == "meta"
    assert record["source"] == "outlet"
    assert record["language"] == "en"
    assert "Three bakeries" in record["text"]
    assert record["canonical_url"] == canonicalize_url(URL)
    assert "utm_source" not in record["canonical_url"]
    for key in ("authors", "places", "actors", "events", "topic_score", "word_count"):
        assert key in record


def test_extract_reads_gzip_and_stdin(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    from_file = run([str(path), "--url", URL])
    assert from_file.exit_code == 0, from_file.output
    from_stdin = run(["-", "--url", URL], stdin=PAGE.encode("utf-8"))
    assert from_stdin.exit_code == 0, from_stdin.output
    assert json.loads(from_file.stdout_bytes) == json.loads(from_stdin.stdout_bytes)


def test_extract_keeps_arabic_unescaped(tmp_path):
    page = PAGE.replace('lang="en"', 'lang="ar"').replace(
        "Bakeries reopen in Maarat al-Numan", "عودة الأفران في معرة النعمان")
    result = run(["-", "--url", URL], stdin=page.encode("utf-8"))
    assert "عودة الأفران في معرة النعمان" in result.stdout_bytes.decode("utf-8")


def test_extract_errors_are_one_line(tmp_path):
    missing = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.html"), "--url", URL])
    assert missing.exit_code == 1
    assert missing.output.strip().count("\n") == 0 and "cannot read" in missing.output
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    unknown = CliRunner().invoke(cli, ["extract", str(path), "--url", URL, "--source", "other",
                                       "--sources", str(sources)])
    assert unknown.exit_code == 1 and "no source named 'other'" in unknown.output
    no_url = CliRunner().invoke(cli, ["extract", str(path)])
    assert no_url.exit_code == 2


def test_extract_takes_feed_hints():
    page = PAGE.replace('<meta property="article:published_time" content="2019-03-14T09:30:00+02:00">', "")
    url = "https://outlet.example/news/bakeries/"
    result = run(["-", "--url", url, "--hint", "published=2019-03-13",
                  "--hint", "published_source=sitemap"], stdin=page.encode("utf-8"))
    record = json.loads(result.stdout_bytes)
    assert (record["published"], record["published_source"]) == ("2019-03-13", "sitemap")
    bad = CliRunner().invoke(cli, ["extract", "-", "--url", url, "--hint", "colour=red"],
                             input=page.encode("utf-8"))
    assert bad.exit_code == 1 and "bad --hint" in bad.output


def test_extract_help_has_an_example():
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0 and "Example" in result.output
