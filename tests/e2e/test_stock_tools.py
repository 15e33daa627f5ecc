"""The tools researchers already use, stock, on a crawled archive: the ``datasette``
executable with the project's configuration, ``sqlite-utils search`` as the README says,
and ``scrapy crawl news -O items.jsonl``."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import FAST, ROOT, rows

from newsarchive.archive import search
from newsarchive.archive.db import open_readonly
from newsarchive.archive.export import EXPORT_COLUMNS
from newsarchive.archive.serve import stock_command
from newsarchive.pipelines.fulltext import match_expression

BIN = Path(sys.executable).parent
QUERIES = ["strikes", "displaced", "النازحين", "بحلب", "Idlib OR Aleppo", "Idlib -Aleppo",
           '"air strikes"', "displac*"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def archive(sample_archive, tmp_path_factory):
    path = tmp_path_factory.mktemp("stock") / "news.db"
    shutil.copy(sample_archive[0], path)
    return path


def expected(archive, query) -> set[int]:
    db = open_readonly(archive)
    try:
        return set(search.search_ids(db, match_expression(query,
                                                          lambda s: search.terms_for(db, s))))
    finally:
        db.close()


@pytest.fixture(scope="module")
def stock_datasette(archive, tmp_path_factory):
    """``datasette`` itself (not ``newsarchive serve``), as ``newsarchive serve`` runs it:
    the plugin and its configuration load by entry point, the settings on the command line
    (``stock_command``, the README's command)."""
    port = free_port()
    command = [str(BIN / "datasette"), *stock_command(archive, port=port)[1:]]
    log = tmp_path_factory.mktemp("log") / "datasette.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:  # wait for the server itself to answer, not for a fixed time
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("datasette did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.2)

    def get(path):
        with urllib.request.urlopen(base + path, timeout=60) as response:
            return response.read().decode("utf-8")

    yield get
    proc.terminate()
    proc.wait(timeout=60)


@pytest.mark.parametrize("query", QUERIES)
def test_stock_datasette_searches_with_the_project_config(stock_datasette, archive, query):
    want = expected(archive, query)
    assert want, query
    box = json.loads(stock_datasette(f"/news/articles.json?_shape=array&_size=max"
                                     f"&_search={quote(query)}"))
    assert {r["id"] for r in box} == want
    canned = json.loads(stock_datasette(f"/news/search.json?_shape=array&term={quote(query)}"
                                        "&order="))
    assert {r["id"] for r in canned} == want
    assert {r["matches"] for r in canned} == {len(want)}


def test_stock_datasette_pages_say_what_went_wrong(stock_datasette):
    page = stock_datasette("/news/articles?_search=" + quote('"air strike'))
    assert "a quote is not closed" in page
    page = stock_datasette("/news/search")
    assert "<form" in page and "message-error" not in page
    page = stock_datasette("/news/search?order=&term=" + quote("النازحين"))
    assert "<mark>" in page


def readme_sqlite_utils_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if line.startswith("sqlite-utils search ")]
    assert len(lines) == 1, lines
    return lines[0]


def test_sqlite_utils_search_as_the_readme_says(stock_datasette, archive):
    command = readme_sqlite_utils_command().replace("archive/news.db", str(archive))
    query = re.search(r"--match '([^']+)'", command).group(1)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                            timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    found = {row["id"] for row in json.loads(result.stdout)}
    web = json.loads(stock_datasette(f"/news/articles.json?_shape=array&_size=max"
                                     f"&_search={quote(query)}"))
    assert found and found == {r["id"] for r in web}


def test_scrapy_crawl_writes_one_json_line_per_archived_article(sample_sources, tmp_path):
    db, out = tmp_path / "news.db", tmp_path / "items.jsonl"
    command = [str(BIN / "scrapy"), "crawl", "news", "-a", f"sources={sample_sources}",
               "-O", str(out), "-s", f"NEWSARCHIVE_DB={db}"]
    for setting in FAST:
        command += ["-s", setting]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "not JSON serializable" not in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    archived = rows(db, "select * from articles order by id")
    assert len(archived) > 10
    assert sorted(line["id"] for line in lines) == [row["id"] for row in archived]
    by_id = {row["id"]: row for row in archived}
    for line in lines:
        assert tuple(line) == EXPORT_COLUMNS  # the columns of `newsarchive export`
        row = by_id[line["id"]]
        assert line["title"] == row["title"] and line["text"] == row["text"]
        assert line["places"] == json.loads(row["places"] or "[]")
        assert line["crawl_run"] == row["crawl_run"]
        assert "<html" not in json.dumps(line).lower()
