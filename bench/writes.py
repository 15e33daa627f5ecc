"""Benchmark: the CPU the crawl process spends writing a page -- its WARC records and its
archive rows (issue #19).

    .venv/bin/python bench/writes.py                   # or: make bench-writes
    .venv/bin/python bench/writes.py --pages 40 --rounds 5 --levels

Pages: the 120 real pages of ``../shared/bench/article-extraction`` (median ~130 KB) when
that folder is there (``--html-dir``), else ``--pages`` pages of the throughput
benchmark's synthetic site (the fake web's ``bench-synthetic``, 30-120 KB; ``--generated``
forces them).

WARC: every page is written as a capture (response, request and metadata record, each its
own gzip member) through the archive's WARC writer (``archive.warcfiles.WarcWriter``, no
fsync), in turns in each round: with the records ``before`` makes -- the encoder as it was
before #19, warcio's records gzipped by zlib at level 6, kept here as the baseline -- and
with ``archive.warc.encode`` as it is now.  Each body is written as a server sends it when
asked for no encoding (``identity``: all the work is the WARC gzip's) and gzip-encoded
(what the crawler asks for and most servers send).  Printed: CPU ms per page (3 records,
median of the rounds), bytes on disk, the ratios; every capture is read back
(``archive.warc.read_capture``) and its body checked.  ``--levels`` adds the cost and size
of each gzip level on the same records.

SQLite: the store stage (``pipelines/stages/store.py``) over the same pages as a crawl runs
it: the project's settings, writes batched (``NEWSARCHIVE_WRITE_BATCH``), a fresh archive
each round, topic threshold 0 so that every article is filed.  The process, capture and
judge stages run first, untimed.  Printed: CPU ms per page (median of the rounds) and the
outcomes.

CPU time is the process's (``time.process_time``): the machine's other load moves it much
less than wall time.  Compare figures of one run, or runs made in turns.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gzip
import inspect
import io
import json
import os
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

from realpages import templates_folder  # bench/, beside this script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_HTML_DIR = templates_folder()


# --------------------------------------------------------------------------- the pages
def real_pages(html_dir: Path) -> list[tuple[str, bytes]]:
    """(url, html) of the article-extraction benchmark's pages, in name order."""
    truth = json.loads((html_dir.parent / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted(html_dir.glob("*.html.gz")):
        key = path.name.split(".")[0]
        pages.append((truth.get(key, {}).get("url") or f"https://example.org/{key}",
                      gzip.decompress(path.read_bytes())))
    return pages


def generated_pages(count: int) -> list[tuple[str, bytes]]:
    """(url, html) of ``count`` article pages of the throughput benchmark's site."""
    from newsarchive.crawler.fakeweb.profiles.bench_synthetic import BenchSite

    site = BenchSite(pages=count, outlets=2, seed=19)
    bases = {o.name: f"http://127.0.0.{i + 2}:8000" for i, o in enumerate(site.outlets)}
    site.bind(bases)
    return [(bases[outlet] + path, body) for outlet, routes in site.routes.items()
            for path, (_, body) in routes.items() if path.startswith("/news/")]


def capture(url: str, html: bytes, encoding: str, n: int) -> dict:
    """A capture of ``html`` as the capture middleware keeps one (``encoding``: identity or
    gzip, as the server sent it)."""
    body = gzip.compress(html, 6) if encoding == "gzip" else html
    headers = [("Content-Type", "text/html; charset=UTF-8"), ("Content-Length", str(len(body))),
               ("Server", "nginx"), ("Date", "Tue, 01 Mar 2016 10:00:00 GMT"),
               ("Cache-Control", "max-age=300"), ("Vary", "Accept-Encoding")]
    if encoding == "gzip":
        headers.append(("Content-Encoding", "gzip"))
    return {"url": url, "date": "2016-03-01T10:00:00+00:00", "status": 200, "reason": "OK",
            "protocol": "HTTP/1.1", "headers": headers, "body": body, "ip": f"192.0.2.{n % 250}",
            "request": {"method": "GET", "url": url, "headers": [
                ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                ("Accept-Language", "en"), ("User-Agent", "newsarchive (+https://example.org)"),
                ("Accept-Encoding", "gzip, deflate")]},
            "source": "bench", "kind": "article", "via": "feed",
            "hints": {"published": "2016-03-01T09:00:00Z", "published_source": "feed"}}


# --------------------------------------------------------------------------- WARC
def before(capture: dict, warcinfo_id: str | None = None, max_size: int | None = None) -> dict:
    """``archive.warc.encode`` as it was before #19: warcio's records, each gzipped by zlib
    at level 6 (the baseline)."""
    from warcio.warcwriter import WARCWriter

    from newsarchive.archive import warc

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")
    members: list[bytes] = []

    def write(record) -> None:
        out.seek(0)
        out.truncate()
        writer.write_record(record)
        packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        members.append(packer.compress(out.getvalue()) + packer.flush())

    checkable = warc._checkable(capture, max_size)
    url = checkable["url"]
    date = warc.warc_date(checkable.get("date"))
    body = checkable.get("body") or b""
    info = {"WARC-Warcinfo-ID": warcinfo_id} if warcinfo_id else {}
    response = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=warc._http_headers(checkable),
        warc_headers_dict={"WARC-Date": date, **info})
    if checkable.get("ip"):
        response.rec_headers.add_header("WARC-IP-Address", checkable["ip"])
    record_id = response.rec_headers.get_header("WARC-Record-ID")
    write(response)
    request_headers = warc._request_headers(checkable)
    if request_headers is not None:
        write(writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0, http_headers=request_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id, **info}))
    block = warc._metadata_block(checkable)
    write(writer.create_warc_record(
        url, "metadata", payload=io.BytesIO(block), length=len(block),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id, **info}))
    return {"records": b"".join(members), "response_length": len(members[0]),
            "digest": response.rec_headers.get_header("WARC-Payload-Digest"),
            "record_id": record_id, "warcinfo_id": warcinfo_id}


def write_warc(captures: list[dict], folder: Path, name: str, encoder) -> tuple[float, int]:
    """Write ``captures`` with the records ``encoder`` makes (None: the writer's own) into
    a new WARC file in ``folder``; (CPU ms per capture, file bytes).  Reads every capture
    back and checks its body."""
    from newsarchive.archive import warc, warcfiles

    writer = warcfiles.WarcWriter(folder, name, fsync=False)
    pointers, cpu = [], 0.0
    for capture in captures:
        started = time.process_time()
        if encoder is None:
            pointer = writer.write(capture, sync=False)
        else:
            pointer = writer.append(encoder(capture, writer.prepare()), capture, sync=False)
        cpu += time.process_time() - started
        pointers.append(pointer)
    path = writer.close()
    for capture, pointer in zip(captures, pointers):
        got = warc.read_capture(path, pointer["warc_offset"])
        want = capture["body"]
        if ("Content-Encoding", "gzip") in capture["headers"]:
            want = gzip.decompress(want)
        if got["body"] != want or got["metadata"].get("source") != capture["source"]:
            raise SystemExit(f"{name}: {capture['url']} does not read back")
    size = path.stat().st_size
    path.unlink()
    return 1000 * cpu / len(captures), size


def bench_warc(pages, rounds: int, tmp: Path) -> None:
    for encoding in ("identity", "gzip"):
        captures = [capture(url, html, encoding, n) for n, (url, html) in enumerate(pages)]
        cpu = {"before": [], "now": []}
        size = {}
        for r in range(rounds):
            for label, encoder in (("before", before), ("now", None))[:: 1 if r % 2 else -1]:
                ms, size[label] = write_warc(captures, tmp, f"{label}-{encoding}", encoder)
                cpu[label].append(ms)
        b, n = statistics.median(cpu["before"]), statistics.median(cpu["now"])
        print(f"WARC, {encoding} bodies: {b:.2f} -> {n:.2f} CPU ms/page (3 records): "
              f"{n / b:.2f}x; on disk {size['before'] / 1e6:.2f} -> {size['now'] / 1e6:.2f} MB "
              f"({100 * (size['now'] / size['before'] - 1):+.1f}%)")


def bench_levels(pages) -> None:
    """CPU and size of each gzip level on the uncompressed records of the pages."""
    from isal import isal_zlib

    from newsarchive.archive import warc

    for encoding in ("identity", "gzip"):
        records = []
        for n, (url, html) in enumerate(pages):
            encoded = warc.encode(capture(url, html, encoding, n))["records"]
            while encoded:
                member = zlib.decompressobj(zlib.MAX_WBITS | 16)
                records.append(member.decompress(encoded))
                encoded = member.unused_data
        raw = sum(len(r) for r in records)
        base = None
        for name, module, level in (("zlib 6", zlib, 6), ("zlib 1", zlib, 1),
                                    *((f"isal {n}", isal_zlib, n) for n in range(4))):
            best, out = float("inf"), 0
            for _ in range(3):
                started = time.process_time()
                out = 0
                for record in records:
                    packer = module.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
                    out += len(packer.compress(record)) + len(packer.flush())
                best = min(best, time.process_time() - started)
            base = base or out
            print(f"  {encoding:8} {name:7} {3000 * best / len(records):6.3f} ms/page  "
                  f"{100 * out / raw:6.2f}% of the records  {100 * (out / base - 1):+6.1f}% "
                  "vs zlib 6")


# --------------------------------------------------------------------------- SQLite
def crawler_for(db_path: Path):
    from scrapy.utils.reactor import install_reactor, is_reactor_installed
    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.run import project_settings

    if not is_reactor_installed():  # the one the store's batch timer will find
        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    values = project_settings({
        "NEWSARCHIVE_DB": str(db_path), "NEWSARCHIVE_WORKERS": 0,
        "NEWSARCHIVE_SOURCES": str(db_path.parent / "none.toml"),
        "NEWSARCHIVE_TOPIC_THRESHOLD": 0, "NEWSARCHIVE_WARC_FSYNC": False}).copy_to_dict()
    crawler = get_crawler(settings_dict=values)
    crawler.stats.open_spider()
    return crawler


def through(crawler, items: list, *stages) -> list:
    """``items`` through the given stage classes as Scrapy runs them (dropped ones left
    out)."""
    from scrapy.exceptions import DropItem
    from scrapy.utils.misc import build_from_crawler

    for stage in stages:
        built, kept = build_from_crawler(stage, crawler), []
        for item in items:
            try:
                result = built.process_item(item)
                kept.append(asyncio.run(result) if inspect.isawaitable(result) else result)
            except DropItem:
                pass
        items = kept
    return items


def bench_store(pages, rounds: int, tmp: Path) -> None:
    from scrapy.exceptions import DropItem
    from scrapy.utils.misc import build_from_crawler

    from newsarchive.archive import runs
    from newsarchive.crawler.context import archive_of
    from newsarchive.crawler.items import ArticleItem
    from newsarchive.pipelines.stages.capture import CapturePipeline
    from newsarchive.pipelines.stages.judge import JudgePipeline
    from newsarchive.pipelines.stages.process import ProcessPipeline
    from newsarchive.pipelines.stages.store import StorePipeline

    started = time.perf_counter()
    crawler = crawler_for(tmp / "process" / "a.db")
    items = [ArticleItem(url=url, source="bench", body=html, via="feed",
                         content_type="text/html; charset=utf-8",
                         fetched_at="2016-03-01T10:00:00+00:00",
                         capture=capture(url, html, "identity", n))
             for n, (url, html) in enumerate(pages)]
    processed = through(crawler, items, ProcessPipeline)
    print(f"SQLite: {len(processed)} pages processed in {time.perf_counter() - started:.0f} s "
          "(untimed)")
    cpu, outcomes = [], {}
    for r in range(rounds):
        crawler = crawler_for(tmp / f"store{r}" / "a.db")
        archive = archive_of(crawler)
        archive.run_id = runs.start_run(archive.db)
        ready = through(crawler, copy.deepcopy(processed), CapturePipeline, JudgePipeline)
        store = build_from_crawler(StorePipeline, crawler)
        store.open_spider()
        started = time.process_time()
        for item in ready:
            try:
                store.process_item(item)
            except DropItem:
                pass
        store.close_spider()
        cpu.append(1000 * (time.process_time() - started) / len(ready))
        outcomes = {k.rsplit("/", 1)[1]: v for k, v in crawler.stats.get_stats().items()
                    if k.startswith("newsarchive/outcome/")}
        archive.close()
    print(f"SQLite, store stage: {statistics.median(cpu):.2f} CPU ms/page "
          f"(rounds: {', '.join(f'{c:.2f}' for c in cpu)}; "
          f"{', '.join(f'{k}={v}' for k, v in sorted(outcomes.items()))})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html-dir", type=Path, default=DEFAULT_HTML_DIR,
                        help="pages as <id>.html.gz beside ../ground-truth.json")
    parser.add_argument("--pages", type=int, default=120,
                        help="at most this many pages (generated ones when no --html-dir)")
    parser.add_argument("--generated", action="store_true",
                        help="generated pages even when the real ones are there")
    parser.add_argument("--rounds", type=int, default=5,
                        help="of each measurement, in turns; the median is printed")
    parser.add_argument("--only", choices=("warc", "sqlite"))
    parser.add_argument("--levels", action="store_true", help="CPU and size of each gzip level")
    args = parser.parse_args(argv)
    if args.html_dir and args.html_dir.is_dir() and not args.generated:
        pages = real_pages(args.html_dir)[: args.pages]
        where = f"real pages from {args.html_dir}"
    else:
        pages = generated_pages(args.pages)
        where = "generated pages (fake web bench-synthetic)"
    sizes = sorted(len(html) for _, html in pages)
    print(f"{len(pages)} {where}: {sum(sizes) / 1e6:.1f} MB, median "
          f"{sizes[len(sizes) // 2] / 1e3:.0f} KB; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-writes-") as tmp:
        if args.only != "sqlite":
            bench_warc(pages, args.rounds, Path(tmp))
            if args.levels:
                bench_levels(pages)
        if args.only != "warc":
            bench_store(pages, args.rounds, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
