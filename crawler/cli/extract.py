"""``newsarchive extract``: one saved page through extract -> clean -> tag, as JSON."""

from __future__ import annotations

import gzip
import json
import sys

import click

from .base import cli, friendly_errors, sources_option

# the fields of an ``articles`` row that one page determines (no crawl, dedup or ids)
FIELDS = ("url", "canonical_url", "source", "title", "authors", "published",
          "published_source", "language", "dateline", "text", "word_count", "places",
          "actors", "events", "topic_score", "content_hash", "canonical_link")


def read_page(path: str) -> str:
    """The HTML in ``path`` (``-`` for stdin), gunzipped if compressed, decoded."""
    from w3lib.encoding import html_to_unicode

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise click.ClickException(f"{path}: broken gzip data ({exc})") from None
    if not data.strip():
        raise click.ClickException(f"{path}: empty file")
    _, text = html_to_unicode(None, data)
    return text


def source_options(name: str | None, sources_path: str) -> dict | None:
    """``Source.as_options()`` of the source called ``name`` in the sources file."""
    if not name:
        return None
    from newsarchive.crawler.sources import load_sources

    sources = load_sources(sources_path)
    for source in sources:
        if source.name == name:
            return source.as_options()
    known = ", ".join(s.name for s in sources)
    raise click.ClickException(f"no source named {name!r} in {sources_path} (known: {known})")


HINT_KEYS = ("title", "published", "published_source", "language")


def parse_hints(pairs) -> dict:
    """``("published=2019-03-14", ...)`` -> ``{"published": "2019-03-14"}``."""
    hints = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in HINT_KEYS:
            raise click.ClickException(
                f"bad --hint {pair!r}: use KEY=VALUE with KEY one of {', '.join(HINT_KEYS)}")
        hints[key] = value
    if "published" in hints:
        hints.setdefault("published_source", "feed")
    return hints


def process_page(html: str, url: str, options: dict | None = None,
                 hints: dict | None = None) -> dict:
    """The article as the archive would store it: the pure stages chained, no crawl."""
    from newsarchive.crawler.urls import canonicalize_url
    from newsarchive.pipelines.dedup import content_hash
    from newsarchive.pipelines.clean import clean
    from newsarchive.pipelines.extract import extract
    from newsarchive.pipelines.tag import tag

    doc = extract(html, url, options, hints)
    doc = clean(doc, options)
    doc.update(tag(doc.get("title") or "", doc.get("text") or "", doc.get("language")))
    doc["url"] = url
    doc["source"] = (options or {}).get("name")
    doc["canonical_url"] = canonicalize_url(url, doc.get("canonical_link"))
    doc["content_hash"] = content_hash(doc.get("text") or "")
    return {key: doc.get(key) for key in FIELDS}


@cli.command("extract")
@click.argument("file", metavar="FILE")
@click.option("--url", required=True, help="The page's URL (dates, canonical link, site name).")
@click.option("--source", "source_name", default=None,
              help="Use this source's options (language, drop rules) from the sources file.")
@click.option("--hint", "hints", multiple=True, metavar="KEY=VALUE",
              help="A feed/sitemap hint (title, published, published_source, language); "
                   "repeatable.")
@sources_option()
@friendly_errors
def extract_command(file, url, source_name, hints, sources_path):
    """Print one saved page as the archive would store it, as JSON.

    FILE is a saved HTML page, ``-`` for stdin; gzip-compressed files are read too.
    Runs the pure stages (extract, clean, tag) without crawling or writing.

    Example:

    \b
        newsarchive extract page.html.gz --url https://example.org/2019/03/14/story/ \\
            --source enab-en
        curl -s https://example.org/story | newsarchive extract - \\
            --url https://example.org/story --hint published=2019-03-14 \\
            --hint published_source=sitemap
    """
    options = source_options(source_name, sources_path)
    hint_dict = parse_hints(hints)
    html = read_page(file)
    try:
        record = process_page(html, url, options, hint_dict)
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken page is one line, not a traceback
        raise click.ClickException(f"could not extract {file}: {exc!r}") from None
    # bytes: UTF-8 whatever the terminal's locale says
    click.echo(json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
