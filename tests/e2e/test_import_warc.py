"""``newsarchive import-warc``: WARC files made elsewhere go through the same pipelines."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from pathlib import Path

from helpers import rows, run_cli
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from waybacksite import KOBANE, QAMISHLI, TAG_PAGE

from newsarchive.archive import warc

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
    copy = warc.read_capture(warc.resolve(db, article["warc_file"]), article["warc_offset"])
    assert copy["date"] == "2016-03-02T10:15:00Z" and "Alouk station" in copy["html"]
    assert copy["metadata"]["via"].startswith("elsewhere.warc.gz#")
    check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check",
                            str(warc.resolve(db, article["warc_file"]))],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout

    # --source files everything under one name, whatever the host
    again = run_cli("import-warc", foreign, "--sources", sources, "--db", db,
                    "--source", "cc-news", timeout=120)
    assert again.returncode == 0, again.stderr[-3000:]
    assert [r["source"] for r in rows(db, "select source from articles order by id")] == \
        ["aranews-en", "cc-news"]
