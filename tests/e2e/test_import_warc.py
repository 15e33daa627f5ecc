"""``newsarchive import-warc``: WARC files made elsewhere go through the same pipelines."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bombs import brotli_bomb, gzip_bomb
from helpers import rows, run_cli, run_cli_peak_rss
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.archive import warc, warcfiles
from newsarchive.crawler.fakeweb.profiles.wayback import KOBANE, QAMISHLI, TAG_PAGE

SOURCES = """
[[source]]
name = "aranews-en"
title = "ARA News"
language = "en"
hosts = ["aranews.net"]
wayback = { url = "aranews.net" }
"""


def chunked(data: bytes, size: int = 1000) -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
                   for i in range(0, len(data), size))
    return out + b"0\r\n\r\n"


def foreign_warc(path: Path) -> None:
    """A WARC as another archiver writes it: request records, a gzipped and chunked
    payload, an image, a 404, a listing page and a page of an unknown outlet."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url, status, ctype, body, date, extra=()):
            headers = StatusAndHeaders(status, [("Content-Type", ctype), *extra],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=headers, warc_headers_dict={"WARC-Date": date}))
            req = StatusAndHeaders(f"GET {url.split('/', 3)[-1]}", [("Host", "x")],
                                   protocol="HTTP/1.1", is_http_request=True)
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), length=0, http_headers=req,
                warc_headers_dict={"WARC-Date": date}))

        html = "text/html; charset=utf-8"
        response("http://aranews.net/2016/03/water-returns-to-eastern-qamishli/", "200 OK",
                 html, chunked(gzip.compress(QAMISHLI.encode())), "2016-03-02T10:15:00Z",
                 [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])
        response("http://aranews.net/wp-content/logo.png", "200 OK", "image/png", b"\x89PNG",
                 "2016-03-02T10:16:00Z")
        response("http://aranews.net/2016/03/gone/", "404 Not Found", html, b"<h1>404</h1>",
                 "2016-03-02T10:17:00Z")
        response("http://aranews.net/category/syria/", "200 OK", html, TAG_PAGE.encode(),
                 "2016-03-02T10:18:00Z")
        response("http://unknown-outlet.example/2016/03/kobane/", "200 OK", html,
                 KOBANE.encode(), "2016-03-02T10:19:00Z")


def test_import_warc_from_another_archiver(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    foreign = tmp_path / "elsewhere.warc.gz"
    foreign_warc(foreign)
    db = tmp_path / "news.db"
    result = run_cli("import-warc", foreign, "--sources", sources, "--db", db, "-v", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 stored" in result.stdout and "1 not-article" in result.stdout
    assert "'newsarchive/reason/import-unknown-source': 1" in result.stderr
    (article,) = rows(db, "select * from articles")
    assert article["source"] == "aranews-en"
    assert article["url"] == "http://aranews.net/2016/03/water-returns-to-eastern-qamishli/"
    assert article["fetched_at"] == "2016-03-02T10:15:00+00:00"
    assert article["title"].startswith("Water returns to eastern Qamishli")
    assert "Alouk station" in article["text"]
    # copied into the archive's own WARC as recorded: same payload digest as the original
    original = next(r for r in warc.iter_responses(foreign)
                    if "qamishli" in r.rec_headers.get_header("WARC-Target-URI"))
    assert article["warc_digest"] == original.rec_headers.get_header("WARC-Payload-Digest")
    copy = warc.read_capture(warcfiles.resolve(db, article["warc_file"]), article["warc_offset"])
    assert copy["date"] == "2016-03-02T10:15:00Z" and "Alouk station" in copy["html"]
    assert copy["metadata"]["via"].startswith("elsewhere.warc.gz#")
    check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check",
                            str(warcfiles.resolve(db, article["warc_file"]))],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout

    # --source files everything under one name, whatever the host
    again = run_cli("import-warc", foreign, "--sources", sources, "--db", db,
                    "--source", "cc-news", timeout=120)
    assert again.returncode == 0, again.stderr[-3000:]
    assert [r["source"] for r in rows(db, "select source from articles order by id")] == \
        ["aranews-en", "cc-news"]


MB = 1024 * 1024


def bomb_warc(path: Path) -> None:
    """A normal article between a 2.4 KB brotli bomb and a 1.5 MB gzip bomb, both HTML
    pages of the source's host, the gzip one chunked as well."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url, body, extra=()):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *extra],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=headers, warc_headers_dict={"WARC-Date": "2016-03-02T10:15:00Z"}))

        response("http://aranews.net/2016/03/bomb-one/", brotli_bomb(),
                 [("Content-Encoding", "br")])
        response("http://aranews.net/2016/03/water-returns-to-eastern-qamishli/",
                 QAMISHLI.encode())
        response("http://aranews.net/2016/03/bomb-two/", chunked(gzip_bomb(), 65536),
                 [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])


@pytest.mark.timeout(600)
def test_import_warc_refuses_decompression_bombs_and_says_so(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    bombs = tmp_path / "bombs.warc.gz"
    bomb_warc(bombs)
    db = tmp_path / "news.db"
    result, peak = run_cli_peak_rss("import-warc", bombs, "--sources", sources, "--db", db,
                                    timeout=540)
    print(f"peak RSS of import-warc with two bombs: {peak / MB:.0f} MB")
    assert peak < 600 * MB, f"{peak / MB:.0f} MB"
    # the article between the bombs is imported; the bombs are counted, and the run is
    # not "ok" about them
    (article,) = rows(db, "select url from articles")
    assert article["url"].endswith("/water-returns-to-eastern-qamishli/")
    (run,) = rows(db, "select * from crawl_runs")
    assert json.loads(run["reasons"]).get("maxsize") == 2, run["reasons"]
    assert run["status"] == "degraded" and "2 record(s)" in run["message"], run["message"]
    assert result.returncode == 4, result.stderr[-3000:]


@pytest.mark.parametrize("name", ["news[1].db", "a*b.db", "q?.db"])
def test_two_runs_into_an_archive_whose_name_has_glob_characters(tmp_path, name):
    """Each run's WARC file gets a name of its own: no capture is lost, and every
    pointer reads back its article's record."""
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    foreign = tmp_path / "elsewhere.warc.gz"
    foreign_warc(foreign)
    db = tmp_path / name
    for extra in ((), ("--source", "cc-news")):  # the second run stores another page
        result = run_cli("import-warc", foreign, "--sources", sources, "--db", db, *extra,
                         timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
    articles = rows(db, "select * from articles order by id")
    assert [a["source"] for a in articles] == ["aranews-en", "cc-news"]
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) == 2 and not any(f.name.endswith(".open") for f in files), files
    assert len({a["warc_file"] for a in articles}) == 2
    for article in articles:
        path = warcfiles.resolve(db, article["warc_file"])
        capture = warc.read_capture(path, article["warc_offset"])
        assert capture["url"] == article["url"]
        assert capture["digest"] == article["warc_digest"]
    for path in files:
        check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check",
                                str(path)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout


def raw_record(url: str, body: bytes, status: bytes = b"HTTP/1.1 200 OK",
               date: bytes | None = b"2016-03-02T10:15:00Z", length: int | None = None) -> bytes:
    """One WARC response record written byte by byte, so that it can be wrong."""
    http = status + b"\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = [b"WARC/1.0", b"WARC-Type: response",
            b"WARC-Record-ID: <urn:uuid:%s>" % hashlib.md5(url.encode()).hexdigest().encode(),
            b"WARC-Target-URI: " + url.encode()]
    if date is not None:
        head.append(b"WARC-Date: " + date)
    head += [b"Content-Type: application/http; msgtype=response",
             b"Content-Length: %d" % (length or len(http))]
    return b"\r\n".join(head) + b"\r\n\r\n" + http + b"\r\n\r\n"


def test_bad_records_are_skipped_and_counted_and_the_rest_imported(tmp_path):
    """Bad or missing WARC-Date, a bad status line (first record), a gzip member broken
    mid-file, a record cut short at the end: each is skipped and counted, every good
    record of the file is imported, and the run does not say ok."""
    base = "http://aranews.net/2016/03/"
    broken = bytearray(gzip.compress(raw_record(base + "broken/", QAMISHLI.encode() * 3)))
    broken[60:90] = bytes(30)  # the deflate data of this member is damaged
    members = [
        raw_record(base + "bad-status/", KOBANE.encode(), status=b"HTTP/1.1 two-hundred OK"),
        raw_record(base + "water-returns-to-eastern-qamishli/", QAMISHLI.encode()),
        raw_record(base + "no-date/", QAMISHLI.encode(), date=None),
        raw_record(base + "bad-date/", QAMISHLI.encode(), date=b"yesterday"),
        bytes(broken),
        raw_record(base + "kobane-schools-reopen/", KOBANE.encode()),
        raw_record(base + "cut-short/", KOBANE.encode(), length=50_000),
    ]
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(b"".join(m if m is members[4] else gzip.compress(m) for m in members))
    # the same records in an uncompressed WARC (minus the gzip damage)
    plain = tmp_path / "damaged.warc"
    plain.write_bytes(b"".join(m for m in members if m is not members[4]))
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    for path, bad in ((damaged, {"bad-warc-record": 2, "bad-warc-date": 2,
                                 "truncated-warc-record": 1}),
                      (plain, {"bad-warc-record": 1, "bad-warc-date": 2,
                               "truncated-warc-record": 1})):
        db = tmp_path / f"{path.suffix[1:]}.db"
        result = run_cli("import-warc", path, "--sources", sources, "--db", db, timeout=120)
        stored = sorted(r["url"].rsplit("/", 2)[1] for r in rows(db, "select url from articles"))
        assert stored == ["kobane-schools-reopen", "water-returns-to-eastern-qamishli"], \
            result.stderr[-3000:]
        (run,) = rows(db, "select * from crawl_runs")
        reasons = json.loads(run["reasons"])
        assert {k: reasons.get(k) for k in bad} == bad, reasons
        assert run["status"] == "degraded", run["message"]
        assert f"{sum(bad.values())} record(s)" in run["message"], run["message"]
        assert result.returncode == 4, result.stderr[-3000:]


def test_a_right_to_left_override_in_a_url_is_not_stored_raw(tmp_path):
    """A target URI with U+202E ("...exe.txt" that reads as "...txt.exe") is stored with
    the character percent-encoded, in the article's URL and in its canonical URL."""
    url = "http://aranews.net/2016/03/water-returns-\u202etxt.exe/"
    path = tmp_path / "rtl.warc.gz"
    path.write_bytes(gzip.compress(raw_record(url, QAMISHLI.encode())))
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    db = tmp_path / "news.db"
    result = run_cli("import-warc", path, "--sources", sources, "--db", db, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    (article,) = rows(db, "select url, canonical_url from articles")
    for stored in article.values():
        assert "\u202e" not in stored and "%E2%80%AE" in stored, stored
