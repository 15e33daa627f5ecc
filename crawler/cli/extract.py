"""``newsarchive extract``: one saved page through the page function, as JSON."""

from __future__ import annotations

import gzip
import json
import sys

import click

from newsarchive.archive import boilerplate
from newsarchive.archive.db import open_readonly

from .base import cli, friendly_errors, sources_option

# the fields of an ``articles`` row that one page determines (no crawl, dedup or ids), and
# the incidents it reports (the ``incidents`` rows it gets)
FIELDS = ("url", "canonical_url", "source", "kind", "title", "authors", "credits",
          "published",
          "published_source", "language", "dateline", "text", "word_count", "places",
          "actors", "events", "topic_score", "content_hash", "canonical_link", "incidents")


def read_page(path: str) -> bytes:
    """The bytes of the page in ``path`` (``-`` for stdin), gunzipped if compressed."""
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
    return data


def source_options(name: str | None, sources_path: str) -> dict | None:
    """``Source.as_options()`` of the source called ``name`` in the sources file."""
    if not name:
        return None
    # deferred: start-up cost of the CLI (courlan)
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


def page_record(page, url: str, source: str | None) -> dict:
    """The fields of an ``articles`` row one page determines, from its Page."""
    record = {key: getattr(page, key, None) for key in FIELDS}
    record.update(url=url, source=source)
    return record


def learned_lines(db_path: str | None, source: str | None) -> frozenset:
    """The learned boilerplate line keys of ``source`` in the archive at ``db_path``."""
    if not db_path or not source:
        return frozenset()
    # deferred: start-up cost of the CLI (Scrapy)
    from newsarchive.crawler.run import project_settings

    settings = project_settings()
    db = open_readonly(db_path)
    try:
        return boilerplate.learned_keys(db, source,
                                        settings.getint("NEWSARCHIVE_LEARN_MIN_ARTICLES"),
                                        settings.getfloat("NEWSARCHIVE_LEARN_SHARE"))
    finally:
        db.close()


@cli.command("extract")
@click.argument("file", metavar="FILE")
@click.option("--url", required=True, help="The page's URL (dates, canonical link, site name).")
@click.option("--source", "source_name", default=None,
              help="Use this source's options (language, drop rules) from the sources file.")
@click.option("--hint", "hints", multiple=True, metavar="KEY=VALUE",
              help="A feed/sitemap hint (title, published, published_source, language); "
                   "repeatable.")
@click.option("--content-type", default=None, metavar="HEADER",
              help="The page's Content-Type header (its charset is the declared encoding).")
@sources_option()
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False, exists=True),
              help="Use the source's learned boilerplate lines from this archive, as a crawl "
                   "into it would.")
@friendly_errors
def extract_command(file, url, source_name, hints, content_type, sources_path, db_path):
    """Print one saved page as the archive would store it, as JSON.

    FILE is a saved HTML page, ``-`` for stdin; gzip-compressed files are read too.
    Runs the page function a crawl runs (decode, classify, extract, clean, tag,
    fingerprint) without crawling or writing.

    Example:

    \b
        newsarchive extract page.html.gz --url https://example.org/2019/03/14/story/ \\
            --source enab-en
        curl -s https://example.org/story | newsarchive extract - \\
            --url https://example.org/story --hint published=2019-03-14 \\
            --hint published_source=sitemap
    """
    # deferred: start-up cost of the CLI (trafilatura)
    from newsarchive.pipelines.page import process_page

    options = source_options(source_name, sources_path)
    hint_dict = parse_hints(hints)
    body = read_page(file)
    try:
        page = process_page(body, url, content_type=content_type, options=options,
                            hints=hint_dict, learned=learned_lines(db_path, source_name))
        record = page_record(page, url, (options or {}).get("name"))
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken page is one line, not a traceback
        raise click.ClickException(f"could not extract {file}: {exc!r}") from None
    # bytes: UTF-8 whatever the terminal's locale says
    click.echo(json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
