"""The WARC file format of the archive's captures: records in, captures out.

Every capture is a ``response`` record (the HTTP status line, headers and body exactly as
received, content encoding included), the ``request`` record that fetched it and a
``metadata`` record (``application/warc-fields``: source, the feed/sitemap hints, how it
was found), each its own gzip member, written with warcio (which adds
``WARC-Block-Digest`` and ``WARC-Payload-Digest``) and gzipped with ISA-L (``isal``: plain
gzip, which every reader inflates, for a tenth of zlib's CPU).  :func:`encode` makes those
records (pure: a worker process can do it); :func:`read_capture` reads one capture back
from its pointer, :func:`iter_responses` every response record of any WARC or ARC file.

Where the files live, how they are written, rotated and recovered after a crash:
:mod:`archive.warcfiles`.  The pointers of the ``articles`` rows: :mod:`archive.captures`.

Example::

    encoded = encode(capture, warcinfo_id)   # {"records": bytes, "response_length", ...}
    record = read_capture(path, offset)      # {"url", "date", "status", "html", ...}
"""

from __future__ import annotations

import io
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from isal import isal_zlib
from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .decoding import BodyTooLarge, entity_body

# ISA-L level (0-3) of the records' gzip members (issue #19, `bench/writes.py --levels`, 120
# real news pages of ~130 KB).  Bodies sent uncompressed: zlib 6, used before, took 3.4-3.7
# ms a page for 21.0-21.6% of the records' size; ISA-L 2 takes 0.36-0.43 ms for 23.9-24.5%
# (13-14% more bytes on disk; level 1 costs the same for 15%, level 3 2.5x the CPU for 10%,
# level 0 grows incompressible data by 23%).  Bodies sent gzip-encoded, as the crawler asks
# and most servers do: 0.8 -> 0.1 ms and the same size at any level but 0.
GZIP_LEVEL = 2

# hop-by-hop framing already undone by the HTTP client: kept under another name so a
# reader does not try to de-chunk a body that is no longer chunked
RENAMED_HEADERS = {"transfer-encoding": "X-Archive-Orig-Transfer-Encoding"}
# Content encodings stock warcio cannot undo: its brotli hook needs brotlipy, not the
# brotli package Scrapy uses (webrecorder/warcio#73), and it has no zstd; `warcio check`
# then fails on the record.  Such a body is archived decoded, the encoding and length
# headers kept under X-Archive-Orig-* names (the crawler asks servers for gzip or deflate
# only, see pipelines/capture.py, so this is the exception).
UNCHECKABLE_ENCODINGS = ("br", "zstd")


def header(headers, name: str) -> str | None:
    """The first value of header ``name`` in a list of (name, value) pairs."""
    name = name.lower()
    for key, value in headers or ():
        if key.lower() == name:
            return value
    return None


def _checkable(capture: dict, max_size: int | None) -> dict:
    """``capture`` with a body in an encoding stock warcio cannot undo stored decoded
    (under ``max_size``; a body that does not decode under it is kept as received)."""
    encoding = (header(capture.get("headers"), "Content-Encoding") or "").lower()
    if not any(e.strip() in UNCHECKABLE_ENCODINGS for e in encoding.split(",")):
        return capture
    transfer = header(capture.get("headers"), "Transfer-Encoding") \
        if capture.get("raw_framing") else None
    try:
        body = entity_body(capture.get("body") or b"", transfer, encoding, max_size=max_size)
    except ValueError:  # BodyTooLarge included: the bytes as they came, unchecked
        return capture
    renamed = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(f"X-Archive-Orig-{k}" if k.lower() in renamed else k, v)
               for k, v in capture.get("headers") or ()]
    headers.append(("Content-Length", str(len(body))))
    return {**capture, "body": body, "headers": headers, "raw_framing": False}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def warc_date(value: str | datetime | None) -> str:
    """An ISO 8601 time (any offset) as a WARC-Date: UTC, ``Z``, whole seconds."""
    if value is None:
        value = utcnow()
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- writing ------------------------------------------------------------------------------

def _http_headers(capture: dict) -> StatusAndHeaders:
    headers = []
    for name, value in capture.get("headers") or ():
        if not capture.get("raw_framing"):
            name = RENAMED_HEADERS.get(name.lower(), name)
        headers.append((name, value))
    status = int(capture.get("status") or 200)
    reason = capture.get("reason") or ""
    return StatusAndHeaders(f"{status} {reason}".strip(), headers,
                            protocol=capture.get("protocol") or "HTTP/1.1")


def _request_headers(capture: dict) -> StatusAndHeaders | None:
    request = capture.get("request")
    if not request:
        return None
    url = request.get("url") or capture["url"]
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = list(request.get("headers") or ())
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{request.get('method') or 'GET'} {path}", headers,
                            protocol="HTTP/1.1", is_http_request=True)


def _metadata_block(capture: dict) -> bytes:
    lines = []
    for key in ("source", "kind", "via"):
        if capture.get(key):
            lines.append(f"{key}: {capture[key]}")
    if capture.get("hints"):
        lines.append("hints: " + json.dumps(capture["hints"], ensure_ascii=False,
                                            sort_keys=True))
    if capture.get("request_url") and capture["request_url"] != capture["url"]:
        lines.append(f"request-url: {capture['request_url']}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def encode(capture: dict, warcinfo_id: str | None = None, max_size: int | None = None) -> dict:
    """Pure: the gzipped WARC records of one capture (response, request, metadata), ready
    to append to a file -- the CPU part of writing a capture, which a worker process can
    do.  Returns ``records`` (bytes), ``response_length`` (of the response record, first),
    ``digest`` (its payload digest), ``record_id`` and ``warcinfo_id``.

    ``capture``: url, date (ISO 8601; the fetch or capture time), status, reason,
    protocol, headers [(name, value)], body (bytes, as transferred), request {method,
    url, headers}, source, kind, via, hints, request_url, ip; ``raw_framing``: the
    body is still transfer-encoded as the headers say (a record copied from another
    WARC), else a ``Transfer-Encoding`` header is kept under another name.
    ``max_size``: the cap on a body decoded to be stored decoded (brotli, zstd; the
    crawl's ``DOWNLOAD_MAXSIZE``).
    """
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")
    members: list[bytes] = []

    def write(record) -> None:  # one gzip member per record, as every WARC reader expects
        out.seek(0)
        out.truncate()
        writer.write_record(record)
        members.append(isal_zlib.compress(out.getvalue(), GZIP_LEVEL,
                                          isal_zlib.MAX_WBITS + 16))

    checkable = _checkable(capture, max_size)
    url = checkable["url"]
    date = warc_date(checkable.get("date"))
    body = checkable.get("body") or b""
    info = {"WARC-Warcinfo-ID": warcinfo_id} if warcinfo_id else {}
    response = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=_http_headers(checkable), warc_headers_dict={"WARC-Date": date, **info})
    if checkable.get("ip"):
        response.rec_headers.add_header("WARC-IP-Address", checkable["ip"])
    record_id = response.rec_headers.get_header("WARC-Record-ID")
    write(response)
    request_headers = _request_headers(checkable)
    if request_headers is not None:
        write(writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0, http_headers=request_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id, **info}))
    block = _metadata_block(checkable)
    write(writer.create_warc_record(
        url, "metadata", payload=io.BytesIO(block), length=len(block),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id, **info}))
    return {"records": b"".join(members), "response_length": len(members[0]),
            "digest": response.rec_headers.get_header("WARC-Payload-Digest"),
            "record_id": record_id, "warcinfo_id": warcinfo_id}



# --- reading ------------------------------------------------------------------------------

def _decode_body(record, max_size: int | None) -> bytes:
    """The entity body of a response record: de-chunked and decompressed, streaming,
    under ``max_size`` (:class:`BodyTooLarge` past it)."""
    http = record.http_headers
    raw = record.raw_stream.read(max_size + 1 if max_size is not None else None)
    if max_size is not None and len(raw) > max_size:
        raise BodyTooLarge(len(raw), max_size)
    try:
        return entity_body(raw, http.get_header("Transfer-Encoding"),
                           http.get_header("Content-Encoding"), max_size=max_size)
    except BodyTooLarge:
        raise
    except ValueError:  # mislabelled: the stored bytes as they are
        return raw


def parse_fields(block: bytes) -> dict:
    """An ``application/warc-fields`` block as a dict (``hints`` decoded from JSON)."""
    out = {}
    for line in block.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    if "hints" in out:
        try:
            out["hints"] = json.loads(out["hints"])
        except ValueError:
            out["hints"] = {}
    return out


def record_capture(record, max_size: int | None = None) -> dict:
    """A response record (warcio) as a plain dict: url, date, status, headers, body
    (decoded under ``max_size``: :class:`BodyTooLarge` past it), html (str) and
    content_type."""
    http = record.http_headers
    content_type = http.get_header("Content-Type") if http else None
    if http:
        body = _decode_body(record, max_size)
    else:
        body = record.content_stream().read(max_size + 1 if max_size is not None else None)
        if max_size is not None and len(body) > max_size:
            raise BodyTooLarge(len(body), max_size)
    _, html = html_to_unicode(content_type, body)
    return {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "date": record.rec_headers.get_header("WARC-Date"),
        "record_id": record.rec_headers.get_header("WARC-Record-ID"),
        "digest": record.rec_headers.get_header("WARC-Payload-Digest"),
        "status": int(http.get_statuscode() or 0) if http else 200,
        "content_type": content_type,
        "headers": list(http.headers) if http else [],
        "body": body,
        "html": html,
    }


def read_capture(path: str | Path, offset: int, with_metadata: bool = True, *,
                 max_size: int | None = None) -> dict:
    """The capture whose response record starts at ``offset`` of ``path``, with the
    fields of its metadata record (source, hints, via) when ``with_metadata``.

    ``max_size``: the cap on its decoded body (the crawl's ``DOWNLOAD_MAXSIZE``; a larger
    one raises :class:`BodyTooLarge`); None reads whatever is there.
    """
    with open(path, "rb") as fh:
        fh.seek(offset)
        records = ArchiveIterator(fh)
        record = next(records)
        if record.rec_type != "response":
            raise ValueError(f"{path}@{offset} is a {record.rec_type} record, not a response")
        capture = record_capture(record, max_size)
        capture["metadata"] = {}
        if with_metadata:
            for _ in range(3):  # request and metadata follow their response
                try:
                    nxt = next(records)
                except StopIteration:
                    break
                if nxt.rec_headers.get_header("WARC-Concurrent-To") != capture["record_id"]:
                    break
                if nxt.rec_type == "metadata":
                    capture["metadata"] = parse_fields(nxt.content_stream().read())
                    break
    return capture


def iter_responses(path: str | Path):
    """Every response record of any WARC (or ARC) file, gzipped or not."""
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, arc2warc=True):
            if record.rec_type == "response":
                yield record


# --- reading a WARC file made elsewhere, record by record -----------------------------------

@dataclass
class StoredResponse:
    """A response record of a WARC (or ARC) file as :func:`read_responses` read it.

    ``record``: warcio's record (its headers; the payload is already read), None when the
    record could not be parsed.  ``payload``: the HTTP payload as stored (still transfer-
    and content-encoded), None when there is a ``problem``: ``maxsize`` (the stored
    payload passes the cap), ``bad-warc-record`` (unparseable, or its gzip member broken),
    ``truncated-warc-record`` (the file ends inside it); ``detail`` says more.
    """

    offset: int
    record: object | None = None
    payload: bytes | None = None
    problem: str | None = None
    detail: str = ""


GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
# the first line of an ARC record: URL, IP, 14-digit date, ...
ARC_LINE = re.compile(rb"[a-z][a-z0-9+.-]*:\S* \S+ \d{14} ")
SCAN_BLOCK = 1 << 20


def read_responses(path: str | Path, max_size: int | None):
    """Every response record of a WARC (or ARC) file, gzipped or not, as
    :class:`StoredResponse`, with its payload read (at most ``max_size`` bytes of it).

    One bad record costs only itself: a record warcio cannot parse, a gzip member that
    does not inflate or a record cut short is yielded with its ``problem``, and reading
    goes on at the next record found after it (the next gzip member that starts a
    record, or the next ``WARC/1.x`` line of an uncompressed file).
    """
    with open(path, "rb") as fh:
        gzipped = fh.read(len(GZIP_MAGIC)) == GZIP_MAGIC
        start: int | None = 0
        while start is not None:
            fh.seek(start)
            records = ArchiveIterator(fh, arc2warc=True)
            last_problem = None
            try:
                for record in records:
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    stored = _stored(records.offset, record, max_size)
                    if stored.problem and stored.problem != "maxsize":
                        last_problem = stored.offset
                    yield stored
                return
            except Exception as exc:  # warcio could not go on: find the next record
                if records.offset != last_problem:  # (not yielded already)
                    yield StoredResponse(records.offset, problem="bad-warc-record",
                                         detail=f"{type(exc).__name__}: {exc}"[:300])
                start = _next_record_start(fh, records.offset + 1, gzipped)


def _stored(offset: int, record, max_size: int | None) -> StoredResponse:
    stream = record.raw_stream
    try:
        payload = stream.read(max_size + 1 if max_size is not None else None)
    except Exception as exc:  # a gzip member that does not inflate
        return StoredResponse(offset, record, problem="bad-warc-record",
                              detail=f"{type(exc).__name__}: {exc}"[:300])
    if max_size is not None and len(payload) > max_size:
        return StoredResponse(offset, record, problem="maxsize",
                              detail=f"stored payload passes {max_size} bytes")
    if getattr(stream, "limit", 0) > 0:  # fewer bytes than its Content-Length says
        return StoredResponse(offset, record, problem="truncated-warc-record",
                              detail=f"{stream.limit} bytes missing")
    return StoredResponse(offset, record, payload)


def _next_record_start(fh, pos: int, gzipped: bool) -> int | None:
    """The offset of the first record of ``fh`` that starts at or after ``pos``."""
    mark = GZIP_MAGIC if gzipped else b"WARC/1."
    while True:
        fh.seek(pos)
        block = fh.read(SCAN_BLOCK + len(mark))
        if len(block) < len(mark):
            return None
        at = block.find(mark)
        while at != -1 and at < SCAN_BLOCK:
            if _starts_record(fh, pos + at, gzipped):
                return pos + at
            at = block.find(mark, at + 1)
        pos += SCAN_BLOCK


def _starts_record(fh, pos: int, gzipped: bool) -> bool:
    fh.seek(max(pos - 1, 0))
    head = fh.read(64 * 1024 + 1)
    if not gzipped:
        return (pos == 0 or head[:1] == b"\n") and bool(WARC_LINE.match(head, 0 if pos == 0
                                                                       else 1))
    if pos > 0:
        head = head[1:]
    try:
        start = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 256)
    except zlib.error:
        return False
    return start.startswith(b"WARC/") or bool(ARC_LINE.match(start))
