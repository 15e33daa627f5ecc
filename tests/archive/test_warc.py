"""WARC writing, rotation, recovery of killed files and reading back (archive/warc.py,
archive/warcfiles.py, archive/captures.py)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest

from newsarchive.archive import captures, warc, warcfiles
from newsarchive.archive.db import open_db

WARCIO = Path(sys.executable).with_name("warcio")


def capture(i: int, size: int = 2000, **extra) -> dict:
    body = (f"<html><head><title>Report {i}</title></head><body><p>"
            + "Shelling near the river crossing was reported again. " * (size // 50)
            + "</p></body></html>").encode()
    return {
        "url": f"http://127.0.0.9/2016/03/report-{i}/", "date": "2016-03-0%dT10:00:00Z" % (i % 9 + 1),
        "status": 200, "reason": "OK",
        "headers": [("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))), ("Transfer-Encoding", "chunked")],
        "body": body,
        "request": {"method": "GET", "url": f"http://127.0.0.9/2016/03/report-{i}/",
                    "headers": [("User-Agent", "newsarchive-test")]},
        "source": "test-outlet", "kind": "article", "via": "feed",
        "hints": {"title": f"Report {i}", "published": "2016-03-01"}, **extra,
    }


def warcio_check(path) -> subprocess.CompletedProcess:
    return subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True,
                          text=True, timeout=60)


def test_write_rotate_check_and_read_back(tmp_path):
    renames = []
    db_path = tmp_path / "news.db"
    writer = warcfiles.WarcWriter(warcfiles.warc_dir(db_path), "news", db_path=db_path,
                                  max_bytes=4000,
                                  on_rename=lambda old, new: renames.append((old, new)))
    pointers = [writer.write(capture(i)) for i in range(6)]
    assert all(p["warc_file"].startswith("warc/news-") for p in pointers)
    assert pointers[0]["warc_file"].endswith(".warc.gz.open")
    # the pointer of a capture names a file that exists while it is being written
    assert warcfiles.resolve(db_path, pointers[-1]["warc_file"]).exists()
    writer.close()
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) >= 2, "rotated by size"
    assert all(f.name.endswith(".warc.gz") for f in files), "no .open file left"
    assert [new for _, new in renames] == [warcfiles.pointer_name(db_path, f) for f in files]
    for f in files:
        result = warcio_check(f)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "digest pass" in result.stdout
    # every record is its own gzip member: the pointer's slice is a whole gzip file
    p = pointers[3]
    final = warcfiles.resolve(db_path, p["warc_file"].removesuffix(".open"))
    with open(final, "rb") as fh:
        fh.seek(p["warc_offset"])
        member = gzip.decompress(fh.read(p["warc_length"]))
    assert member.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response\r\n" in member
    got = warc.read_capture(final, p["warc_offset"])
    assert got["url"] == "http://127.0.0.9/2016/03/report-3/"
    assert got["date"] == "2016-03-04T10:00:00Z"
    assert got["digest"] == p["warc_digest"]
    assert "Report 3" in got["html"]
    assert got["metadata"]["source"] == "test-outlet"
    assert got["metadata"]["hints"]["title"] == "Report 3"
    # the body was de-chunked by the client: the header is kept under another name
    assert ("X-Archive-Orig-Transfer-Encoding", "chunked") in got["headers"]


def test_file_names_by_day_and_serial(tmp_path):
    writer = warcfiles.WarcWriter(tmp_path, "arch")
    writer.write(capture(1))
    first = writer.close()
    writer.write(capture(2))
    second = writer.close()
    day = warc.utcnow().strftime("%Y%m%d")
    assert first.name == f"arch-{day}-00001.warc.gz"
    assert second.name == f"arch-{day}-00002.warc.gz", "a new run never appends to a closed file"


def test_recover_cuts_a_half_written_record_and_fixes_pointers(tmp_path):
    db_path = tmp_path / "news.db"
    db = open_db(db_path)
    writer = warcfiles.WarcWriter(warcfiles.warc_dir(db_path), "news", db_path=db_path)
    pointers = [writer.write(capture(i, size=20_000)) for i in range(3)]
    for i, p in enumerate(pointers):
        with db.atomic():
            db.execute("insert into articles (url, canonical_url, source, text, fetched_at) values (?, ?, ?, '', '')",
                       [f"u{i}", f"u{i}", "s"])
            captures.link_article(db, i + 1, p)
    path = writer.current
    writer._fh.flush()
    good = path.stat().st_size
    # a killed writer: half of a fourth record on disk, no close
    half = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + os.urandom(5000))[:700]
    with open(path, "ab") as fh:
        fh.write(half)
    writer._fh.close()
    assert warcfiles.complete_length(path) == good
    done = warcfiles.recover(path.parent, "news",
                             on_rename=lambda old, new: captures.move_pointers(db, old, new),
                             name=lambda p: warcfiles.pointer_name(db_path, p))
    final = path.with_name(path.name.removesuffix(".open"))
    assert done == [{"file": str(final), "kept": good, "cut": 700}]
    assert not path.exists() and final.stat().st_size == good
    assert warcio_check(final).returncode == 0
    rows = list(db.query("select warc_file, warc_offset from articles order by id"))
    assert {r["warc_file"] for r in rows} == {warcfiles.pointer_name(db_path, final)}
    got = warc.read_capture(final, rows[2]["warc_offset"])
    assert got["url"].endswith("report-2/")


def test_recover_removes_a_file_without_any_complete_record(tmp_path):
    path = tmp_path / "news-20160301-00001.warc.gz.open"
    path.write_bytes(gzip.compress(b"WARC/1.1\r\n" + os.urandom(3000))[:100])
    cleared = []
    done = warcfiles.recover(tmp_path, "news",
                             on_rename=lambda old, new: cleared.append((old, new)))
    assert done[0]["kept"] == 0 and not path.exists()
    assert cleared == [(str(path), None)]


def test_recover_after_kill_between_link_and_unlink(tmp_path):
    writer = warcfiles.WarcWriter(tmp_path, "news")
    writer.write(capture(1))
    path = writer.current
    writer._fh.close()
    final = path.with_name(path.name.removesuffix(".open"))
    final.hardlink_to(path)
    moved = []
    warcfiles.recover(tmp_path, "news", on_rename=lambda old, new: moved.append((old, new)))
    assert moved == [(str(path), str(final))]
    assert not path.exists() and final.exists()


def test_repair_pointers_to_a_vanished_open_name(tmp_path):
    db_path = tmp_path / "news.db"
    db = open_db(db_path)
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / "news-20160301-00001.warc.gz").write_bytes(b"")
    with db.atomic():
        db.execute("insert into articles (url, canonical_url, source, text, fetched_at, warc_file) values "
                   "('a', 'a', 's', '', '', 'warc/news-20160301-00001.warc.gz.open'), "
                   "('b', 'b', 's', '', '', 'warc/news-20160301-00009.warc.gz.open')")
    assert captures.repair_pointers(db, db_path) == 2
    assert [r["warc_file"] for r in db.query("select warc_file from articles order by id")] \
        == ["warc/news-20160301-00001.warc.gz", None]


@pytest.mark.parametrize("value, expected", [
    ("2016-03-01T12:00:00+02:00", "2016-03-01T10:00:00Z"),
    ("2016-03-01T10:00:00Z", "2016-03-01T10:00:00Z"),
    ("2016-03-01T10:00:00", "2016-03-01T10:00:00Z"),
])
def test_warc_date(value, expected):
    assert warc.warc_date(value) == expected


def test_recover_leaves_a_live_writers_file_alone(tmp_path):
    writer = warcfiles.WarcWriter(tmp_path, "news")
    writer.write(capture(1))
    assert warcfiles.recover(tmp_path, "news") == []
    assert writer.current.exists()
    writer.close()


def test_a_failed_write_leaves_no_half_capture(tmp_path):
    writer = warcfiles.WarcWriter(tmp_path, "news")
    writer.write(capture(1))
    size = writer.current.stat().st_size
    with pytest.raises(AttributeError):
        # fails half-way through: after the response record, at the request record
        writer.write({**capture(2), "request": {"url": "http://x/", "headers": [(1, 2)]}})
    assert writer.current.stat().st_size == size
    writer.write(capture(3))
    final = writer.close()
    result = warcio_check(final)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("response") == 2


def test_a_new_utc_day_starts_a_new_file(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    days = iter([datetime(2026, 3, 1, 23, 59, tzinfo=timezone.utc),
                 datetime(2026, 3, 1, 23, 59, tzinfo=timezone.utc),
                 datetime(2026, 3, 2, 0, 1, tzinfo=timezone.utc)])
    monkeypatch.setattr(warc, "utcnow", lambda: next(days))
    writer = warcfiles.WarcWriter(tmp_path, "news")
    names = [writer.write(capture(i))["warc_file"] for i in range(3)]
    writer.close()
    assert [Path(n).name for n in names] == [
        "news-20260301-00001.warc.gz.open", "news-20260301-00001.warc.gz.open",
        "news-20260302-00001.warc.gz.open"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "news-20260301-00001.warc.gz", "news-20260302-00001.warc.gz"]


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_content_encoded_bodies_pass_warcio_check_and_read_back_decoded(tmp_path, encoding):
    html = "<html><body><p>قصف على ادلب — shelling near Idlib</p></body></html>".encode()
    if encoding == "gzip":
        body = gzip.compress(html)
    elif encoding == "br":
        import brotli

        body = brotli.compress(html)
    else:
        import zstandard

        body = zstandard.ZstdCompressor().compress(html)
    writer = warcfiles.WarcWriter(tmp_path, "news")
    pointer = writer.write({**capture(1), "body": body, "headers": [
        ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", encoding)]})
    final = writer.close()
    assert warcio_check(final).returncode == 0
    got = warc.read_capture(final, pointer["warc_offset"])
    assert got["body"] == html
    assert "قصف على ادلب" in got["html"]
    if encoding == "gzip":  # kept as transferred
        assert ("Content-Encoding", "gzip") in got["headers"]
    else:  # stock warcio cannot undo these (warcio#73): archived decoded, header renamed
        assert ("X-Archive-Orig-Content-Encoding", encoding) in got["headers"]
        assert ("Content-Length", str(len(html))) in got["headers"]


def _warcinfo_ids(path) -> tuple[str, list[str]]:
    """The file's warcinfo record id and the Warcinfo-ID of every other record."""
    from warcio.archiveiterator import ArchiveIterator

    own, others = None, []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "warcinfo":
                own = record.rec_headers.get_header("WARC-Record-ID")
            else:
                others.append(record.rec_headers.get_header("WARC-Warcinfo-ID"))
    return own, others


def test_records_encoded_elsewhere_are_appended_and_pass_warcio_check(tmp_path):
    # what a worker process makes (archive.warc.encode) and the crawl appends
    writer = warcfiles.WarcWriter(tmp_path, "news")
    pointers = [writer.append(warc.encode(capture(i), writer.prepare()), capture(i), sync=False)
                for i in range(3)]
    writer.sync()
    final = writer.close()
    result = warcio_check(final)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("response") == 3
    own, others = _warcinfo_ids(final)
    assert others and set(others) == {own}
    data = final.read_bytes()
    for i, pointer in enumerate(pointers):
        record = gzip.decompress(data[pointer["warc_offset"]:
                                      pointer["warc_offset"] + pointer["warc_length"]])
        assert record.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response" in record
        assert f"report-{i}/".encode() in record


def test_records_encoded_for_a_file_since_rotated_are_made_again(tmp_path):
    # max_bytes=1: every capture finds the file full and starts the next one
    writer = warcfiles.WarcWriter(tmp_path, "news", max_bytes=1)
    first = writer.prepare()
    encoded = warc.encode(capture(1), first)  # made for the first file...
    writer.write(capture(2))  # ...rotated away from by this one
    pointer = writer.append(encoded, capture(1))
    writer.close()
    files = sorted(tmp_path.iterdir())
    assert Path(pointer["warc_file"]).name == files[-1].name + ".open"
    own, others = _warcinfo_ids(files[-1])
    assert own != first and others and set(others) == {own}, \
        "the records name the file they are in"
    assert warcio_check(files[-1]).returncode == 0


def _members(data: bytes) -> list[tuple[int, int, bytes]]:
    """(offset, length, inflated bytes) of every gzip member of ``data``."""
    members, offset = [], 0
    while offset < len(data):
        member = zlib.decompressobj(zlib.MAX_WBITS | 16)
        inflated = member.decompress(data[offset:])
        assert member.eof, f"the member at {offset} is cut short"
        length = len(data) - offset - len(member.unused_data)
        members.append((offset, length, inflated))
        offset += length
    return members


def test_isal_gzip_holds_the_records_the_zlib_writer_made(tmp_path, monkeypatch):
    """Issue #19: the records are gzipped by ISA-L instead of zlib (level 6, as before):
    each record still its own gzip member, inflating to the very bytes the zlib writer
    wrote; warcio, cdxj-indexer and our readers (read_capture, read_responses,
    complete_length) find the same records and payloads at the offsets and lengths the
    pointers give."""
    from warcio.archiveiterator import ArchiveIterator

    ids = iter(range(10**6))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(ids)))  # the same ids
    html = capture(0, size=60_000)["body"]
    captures = [capture(1, size=80_000), capture(2, size=300, ip="192.0.2.7"),
                {**capture(3), "body": gzip.compress(html), "headers": [
                    ("Content-Type", "text/html"), ("Content-Encoding", "gzip")]},
                {**capture(4, size=30_000), "request": None},
                {**capture(5, size=5_000), "body": b""}]

    def write(folder: str):
        nonlocal ids
        ids = iter(range(10**6))
        writer = warcfiles.WarcWriter(tmp_path / folder, "news", fsync=False)
        pointers = [writer.write(c, sync=False) for c in captures]
        return writer.close(), pointers

    new, new_pointers = write("isal")
    with monkeypatch.context() as before:  # the writer as it was: zlib at level 6
        before.setattr(warc.isal_zlib, "compress",
                       lambda data, level, wbits: zlib.compress(data, 6, wbits))
        old, old_pointers = write("zlib")
    new_data, old_data = new.read_bytes(), old.read_bytes()
    new_members, old_members = _members(new_data), _members(old_data)
    assert len(new_members) == len(old_members) == 1 + 3 * len(captures) - 1  # no request: 4
    # the warcinfo record (warcio's own gzip, its time of writing) aside, the same bytes
    assert [m[2] for m in new_members[1:]] == [m[2] for m in old_members[1:]]
    assert all(m[2].startswith(b"WARC/1.1\r\n") for m in new_members)
    assert all(new_data[o:o + n] != old_data[p:p + m] for (o, n, _), (p, m, _)
               in zip(new_members[1:], old_members[1:])), "not zlib's deflate streams"
    # the pointers name the response record's member, whatever its compressed size
    starts = {offset: (length, inflated) for offset, length, inflated in new_members}
    for c, pointer, old_pointer in zip(captures, new_pointers, old_pointers):
        length, inflated = starts[pointer["warc_offset"]]
        assert pointer["warc_length"] == length and b"WARC-Type: response" in inflated
        assert pointer["warc_digest"] == old_pointer["warc_digest"]
        assert pointer["warc_record_id"] == old_pointer["warc_record_id"]
        got = warc.read_capture(new, pointer["warc_offset"])
        want = warc.read_capture(old, old_pointer["warc_offset"])
        assert got == want and got["metadata"]["source"] == "test-outlet"
    # warcio: every record, headers and payload, at the members' offsets
    def records(path):
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            return [(iterator.get_record_offset(), r.rec_type, r.rec_headers.headers,
                     r.content_stream().read()) for r in iterator]

    new_records, old_records = records(new), records(old)
    assert [r[0] for r in new_records] == [m[0] for m in new_members]
    assert [r[1:] for r in new_records[1:]] == [r[1:] for r in old_records[1:]]
    assert [(s.offset, s.payload) for s in warc.read_responses(new, None)] == [
        (p["warc_offset"], s.payload)
        for p, s in zip(new_pointers, warc.read_responses(old, None))]
    assert warcfiles.complete_length(new) == new.stat().st_size
    assert warcio_check(new).returncode == 0
    # cdxj-indexer (pywb's index): a line per response, where the pointers say
    index, _ = warcfiles.write_cdxj(tmp_path / "isal")
    lines = [json.loads(line.split(" ", 2)[2]) for line in index.read_text().splitlines()]
    assert sorted((int(x["offset"]), int(x["length"]), x["digest"]) for x in lines) == \
        sorted((p["warc_offset"], p["warc_length"], p["warc_digest"]) for p in new_pointers)


@pytest.mark.parametrize("prefix", ["news[1]", "a*b", "q?", "news"])
def test_file_names_and_recovery_never_glob_on_the_prefix(tmp_path, prefix):
    """The prefix comes from the user's database name: taken literally, never as a glob
    pattern (``news[1]`` is not ``news1``), and another archive's files sharing the folder
    (``news-x`` next to ``news``) are never this archive's."""
    day = warc.utcnow().strftime("%Y%m%d")
    other = tmp_path / f"{prefix}x-{day}-00007.warc.gz.open"  # another archive's, killed
    other.write_bytes(b"")
    lookalike = tmp_path / f"{prefix}-x-{day}-00001.warc.gz.open"
    lookalike.write_bytes(b"")
    names = []
    for i in range(2):  # two runs
        writer = warcfiles.WarcWriter(tmp_path, prefix)
        pointer = writer.write(capture(i))
        path = writer.current
        writer.close()  # (a run killed here leaves its .open file: recovered below)
        names.append((path.name, pointer))
    assert [n for n, _ in names] == [f"{prefix}-{day}-00001.warc.gz.open",
                                     f"{prefix}-{day}-00002.warc.gz.open"]
    for i, (name, pointer) in enumerate(names):
        final = tmp_path / name.removesuffix(".open")
        assert warc.read_capture(final, pointer["warc_offset"])["url"] == capture(i)["url"]
    killed = warcfiles.WarcWriter(tmp_path, prefix)
    killed.write(capture(3))
    open_path = killed.current
    killed._fh.close()  # killed: no close(), the .open file stays
    done = warcfiles.recover(tmp_path, prefix)
    assert [d["file"] for d in done] == [str(open_path).removesuffix(".open")]
    assert other.exists() and lookalike.exists(), "another archive's files are left alone"


def test_cdxj_index_for_pywb(sample_archive, tmp_path):
    """`newsarchive cdxj`: a sorted CDXJ line per response record, pointing at each
    article's record (file name relative to the WARC folder, offset, length)."""
    import json
    import shutil
    import sqlite3

    from helpers import run_cli

    from newsarchive.archive.warc import iter_responses

    db = tmp_path / "news.db"
    shutil.copy(sample_archive[0], db)
    shutil.copytree(sample_archive[0].parent / "warc", tmp_path / "warc")
    (tmp_path / "warc" / "half-written.warc.gz.open").write_bytes(b"not finished")
    result = run_cli("cdxj", "--db", db)
    assert result.returncode == 0, result.stderr
    index = tmp_path / "warc" / "index.cdxj"
    lines = index.read_text(encoding="utf-8").splitlines()
    responses = sum(1 for path in (tmp_path / "warc").glob("*.warc.gz")
                    for _ in iter_responses(path))
    assert len(lines) >= responses > 0 and lines == sorted(lines)
    entries = {(e["filename"], int(e["offset"])): e
               for e in (json.loads(line.split(" ", 2)[2]) for line in lines)}
    conn = sqlite3.connect(db)
    pointers = conn.execute(
        "select url, warc_file, warc_offset, warc_length from articles "
        "where warc_file is not null").fetchall()
    conn.close()
    assert pointers
    for url, name, offset, length in pointers:
        entry = entries[(name.split("/")[-1], offset)]
        assert entry["url"] == url and int(entry["length"]) == length
    assert f"{len(lines)} captures indexed" in result.stderr
