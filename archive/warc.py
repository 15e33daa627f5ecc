"""Raw captures in WARC files: writing, rotating, recovering and reading them back.

Every capture is a ``response`` record (the HTTP status line, headers and body exactly as
received, content encoding included), the ``request`` record that fetched it and a
``metadata`` record (``application/warc-fields``: source, the feed/sitemap hints, how it
was found), each its own gzip member, written with warcio (which adds
``WARC-Block-Digest`` and ``WARC-Payload-Digest``).  Each file starts with a ``warcinfo``
record.

Files live in ``<db dir>/warc/`` (setting ``NEWSARCHIVE_WARC_DIR``) and are named
``<db stem>-YYYYMMDD-NNNNN.warc.gz``: a new file is started for a new (UTC) day, when the
current one passes ``NEWSARCHIVE_WARC_MAX_BYTES``, and by every run.  A file being written
is ``*.warc.gz.open``; when complete it gets its final name (a hard link, then the ``.open``
name goes) and the pointers of the ``articles`` rows are moved to the final name in
between, so a pointer always names a file that exists.  A crash leaves ``.open`` files:
:func:`recover` cuts each back to its last complete gzip member, gives it its final name and
fixes the pointers.

A pointer (``articles.warc_file``, ``warc_offset``, ``warc_length``, ``warc_digest``) names
the response record; ``warc_file`` is relative to the database's folder unless the WARC
folder lies elsewhere.

Example::

    writer = WarcWriter(warc_dir("archive/news.db"), "news", on_rename=...)
    pointer = writer.write(capture)       # {"warc_file", "warc_offset", ...}
    record = read_capture(resolve("archive/news.db", pointer["warc_file"]),
                          pointer["warc_offset"])
"""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import re
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)
# zlib level of the records' gzip members.  warcio's own writer uses 9; on 120 real news
# pages 6 compresses to 21.0% instead of 20.9% in two thirds of the time.
GZIP_LEVEL = 6

SUFFIX = ".warc.gz"
OPEN = ".open"
SOFTWARE = "newsarchive (warcio)"
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


def entity_body(body: bytes, transfer_encoding: str | None = None,
                content_encoding: str | None = None) -> bytes:
    """An HTTP payload as its entity: de-chunked (if ``transfer_encoding`` says chunked)
    and decompressed (gzip, deflate, br, zstd)."""
    from warcio.bufferedreaders import ChunkedDataReader

    if transfer_encoding and "chunked" in transfer_encoding.lower():
        body = ChunkedDataReader(io.BytesIO(body)).read()
    for encoding in reversed([e.strip().lower() for e in (content_encoding or "").split(",")
                              if e.strip()]):
        if encoding in ("gzip", "x-gzip"):
            body = zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(body)
        elif encoding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # raw deflate, as some servers send it
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        elif encoding == "zstd":
            import zstandard

            body = zstandard.ZstdDecompressor().decompressobj().decompress(body)
        elif encoding != "identity":
            raise ValueError(f"unknown content encoding {encoding!r}")
    return body


def _checkable(capture: dict) -> dict:
    """``capture`` with a body in an encoding stock warcio cannot undo stored decoded."""
    encoding = (header(capture.get("headers"), "Content-Encoding") or "").lower()
    if not any(e.strip() in UNCHECKABLE_ENCODINGS for e in encoding.split(",")):
        return capture
    transfer = header(capture.get("headers"), "Transfer-Encoding") \
        if capture.get("raw_framing") else None
    body = entity_body(capture.get("body") or b"", transfer, encoding)
    renamed = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(f"X-Archive-Orig-{k}" if k.lower() in renamed else k, v)
               for k, v in capture.get("headers") or ()]
    headers.append(("Content-Length", str(len(body))))
    return {**capture, "body": body, "headers": headers, "raw_framing": False}


# --- paths --------------------------------------------------------------------------------

def warc_dir(db_path: str | Path, setting: str | None = None) -> Path:
    """The WARC folder of an archive: ``setting`` if given, else ``<db dir>/warc``."""
    if setting:
        return Path(setting)
    return Path(db_path).resolve().parent / "warc"


def prefix_for(db_path: str | Path) -> str:
    """File-name prefix of an archive's WARC files: the database's stem."""
    return Path(db_path).stem


def pointer_name(db_path: str | Path, path: str | Path) -> str:
    """How a WARC file is named in ``articles.warc_file``: relative to the database's
    folder when inside it, else absolute."""
    path = Path(path).resolve()
    base = Path(db_path).resolve().parent
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def resolve(db_path: str | Path, name: str) -> Path:
    """The file a pointer names."""
    path = Path(name)
    return path if path.is_absolute() else Path(db_path).resolve().parent / path


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


def encode(capture: dict, warcinfo_id: str | None = None) -> dict:
    """Pure: the gzipped WARC records of one capture (response, request, metadata), ready
    to append to a file -- the CPU part of writing a capture, which a worker process can
    do.  Returns ``records`` (bytes), ``response_length`` (of the response record, first),
    ``digest`` (its payload digest), ``record_id`` and ``warcinfo_id``.

    ``capture``: url, date (ISO 8601; the fetch or capture time), status, reason,
    protocol, headers [(name, value)], body (bytes, as transferred), request {method,
    url, headers}, source, kind, via, hints, request_url, ip; ``raw_framing``: the
    body is still transfer-encoded as the headers say (a record copied from another
    WARC), else a ``Transfer-Encoding`` header is kept under another name.
    """
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")
    members: list[bytes] = []

    def write(record) -> None:  # one gzip member per record, as every WARC reader expects
        out.seek(0)
        out.truncate()
        writer.write_record(record)
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        members.append(packer.compress(out.getvalue()) + packer.flush())

    checkable = _checkable(capture)
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


class WarcWriter:
    """Appends captures to the current ``.open`` WARC file of one archive, rotating it.

    ``on_rename(old_name, new_name)`` is called between linking a completed file under its
    final name and removing the ``.open`` name, with the names as stored in pointers (the
    pipeline moves ``articles.warc_file`` there).  ``fsync``: each capture is on disk
    before :meth:`write` returns (so the article row committed after it never points at a
    record a power cut could lose) -- or, with ``write(capture, sync=False)``, once
    :meth:`sync` is called (the store calls it before each batch of rows commits: one
    fsync per batch instead of one per article).
    """

    def __init__(self, directory: str | Path, prefix: str, db_path: str | Path | None = None,
                 max_bytes: int = 1_000_000_000, fsync: bool = True, on_rename=None,
                 info: dict | None = None):
        self.directory = Path(directory)
        self.prefix = prefix
        self.db_path = db_path
        self.max_bytes = max_bytes
        self.fsync = fsync
        self.on_rename = on_rename
        self.info = info or {}
        self._fh = None
        self._path: Path | None = None
        self._day: str | None = None
        self._unsynced = False
        self._writer: WARCWriter | None = None
        self._warcinfo_id: str | None = None
        self.records = 0
        self.files: list[Path] = []  # completed files, in order

    # ------------------------------------------------------------------ file handling
    def name(self, path: Path) -> str:
        return pointer_name(self.db_path, path) if self.db_path else str(path)

    def _next_path(self, day: str) -> Path:
        pattern = re.compile(rf"^{re.escape(self.prefix)}-{day}-(\d{{5}}){re.escape(SUFFIX)}")
        serials = [int(m.group(1)) for p in self.directory.glob(f"{self.prefix}-{day}-*")
                   if (m := pattern.match(p.name))]
        return self.directory / f"{self.prefix}-{day}-{max(serials, default=0) + 1:05d}{SUFFIX}"

    def _open(self, day: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        final = self._next_path(day)
        self._path = final.with_name(final.name + OPEN)
        self._fh = open(self._path, "xb")
        # held while the file is written: recovery leaves a live writer's file alone
        fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._day = day
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                              "warc-format/warc-1.1/", **self.info}
        warcinfo = self._writer.create_warcinfo_record(final.name, info)
        self._warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(warcinfo)
        self._sync()
        logger.info("writing WARC %s", self._path)

    def _sync(self) -> None:
        self._fh.flush()
        if self.fsync:
            os.fsync(self._fh.fileno())
        self._unsynced = False

    def sync(self) -> None:
        """Put the captures written with ``sync=False`` on disk."""
        if self._fh is not None and self._unsynced:
            self._sync()

    @property
    def current(self) -> Path | None:
        """The ``.open`` file being written, if any."""
        return self._path

    def close(self) -> Path | None:
        """Complete the current file: final name, pointers moved, ``.open`` gone."""
        if self._fh is None:
            return None
        self._sync()
        self._fh.close()
        path = self._path
        self._fh = self._writer = self._path = None
        final = finish(path, self.on_rename, self.name)
        self.files.append(final)
        return final

    # ------------------------------------------------------------------ records
    def prepare(self) -> str:
        """Open (or rotate to) the file the next capture goes to; its warcinfo record's id,
        which :func:`encode` puts in the capture's records."""
        day = utcnow().strftime("%Y%m%d")
        if self._fh is not None and (day != self._day or self._fh.tell() >= self.max_bytes):
            self.close()
        if self._fh is None:
            self._open(day)
        return self._warcinfo_id

    def write(self, capture: dict, sync: bool = True) -> dict:
        """Write one capture (response, request, metadata); return its pointer.

        ``capture``: see :func:`encode`.  ``sync=False``: on disk at the next :meth:`sync`.
        """
        return self._append(encode(capture, self.prepare()), sync)

    def append(self, encoded: dict, capture: dict, sync: bool = True) -> dict:
        """Write what :func:`encode` made of ``capture`` (in a worker process, say); return
        its pointer.  Made for another file than the current one (rotated meanwhile), it
        is made again for this one."""
        warcinfo_id = self.prepare()
        if encoded["warcinfo_id"] != warcinfo_id:
            encoded = encode(capture, warcinfo_id)
        return self._append(encoded, sync)

    def _append(self, encoded: dict, sync: bool) -> dict:
        offset = self._fh.tell()
        try:
            self._fh.write(encoded["records"])
            if sync:
                self._sync()
            else:
                self._unsynced = True
        except BaseException:
            # a failed write (disk full...) must not leave half a capture in the file
            self._fh.seek(offset)
            self._fh.truncate()
            raise
        self.records += 1
        return {
            "warc_file": self.name(self._path),
            "warc_offset": offset,
            "warc_length": encoded["response_length"],
            "warc_digest": encoded["digest"],
            "warc_record_id": encoded["record_id"],
        }


def finish(open_path: Path, on_rename=None, name=str) -> Path:
    """Give a complete ``.open`` file its final name.

    The final name is a hard link made first; ``on_rename(old, new)`` then moves the
    pointers; then the ``.open`` name is removed -- so at every moment the name a pointer
    holds exists.  (Where hard links are not supported: a rename, then the pointers.)
    """
    final = open_path.with_name(open_path.name[: -len(OPEN)])
    try:
        if not final.exists():
            os.link(open_path, final)
        linked = True
    except OSError:
        os.replace(open_path, final)
        linked = False
    _fsync_dir(final.parent)
    if on_rename is not None:
        on_rename(name(open_path), name(final))
    if linked:
        open_path.unlink()
        _fsync_dir(final.parent)
    return final


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# --- recovery -----------------------------------------------------------------------------

def complete_length(path: str | Path) -> int:
    """Bytes of ``path`` made of complete gzip members each holding a WARC record.

    A member cut short by a crash (no end, bad CRC) and everything after it are not
    counted.
    """
    end = pos = 0  # end of the last complete member; file offset of data[0]
    member, first = zlib.decompressobj(zlib.MAX_WBITS | 16), True
    data = b""
    with open(path, "rb") as fh:
        while True:
            if not data:
                data = fh.read(1 << 20)
                if not data:
                    return end
            try:
                out = member.decompress(data, 1 << 20)
            except zlib.error:
                return end
            if first and out:
                if not out.startswith(b"WARC/"):
                    return end
                first = False
            if member.eof:
                rest = member.unused_data
                pos += len(data) - len(rest)
                end, data = pos, rest
                member, first = zlib.decompressobj(zlib.MAX_WBITS | 16), True
            elif member.unconsumed_tail:
                pos += len(data) - len(member.unconsumed_tail)
                data = member.unconsumed_tail
            else:
                pos += len(data)
                data = b""


def _in_use(path: Path) -> bool:
    """True if a live writer holds the lock of ``path``."""
    try:
        with open(path, "rb") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    except FileNotFoundError:
        return True  # finished meanwhile
    return False


def recover(directory: str | Path, prefix: str, on_rename=None, name=str) -> list[dict]:
    """Complete the ``<prefix>-*.warc.gz.open`` files a killed writer left behind.

    Each is cut back to its last complete record (a file with none is removed and its
    pointers cleared: ``on_rename(old, None)``), then given its final name with
    :func:`finish`.  Returns ``[{"file", "kept", "cut"}]``.
    """
    directory = Path(directory)
    done = []
    if not directory.is_dir():
        return done
    for path in sorted(directory.glob(f"{prefix}-*{SUFFIX}{OPEN}")):
        final = path.with_name(path.name[: -len(OPEN)])
        if _in_use(path):
            logger.info("WARC %s is being written by a running process; left alone", path)
            continue
        size = path.stat().st_size
        if final.exists() and os.path.samefile(final, path):
            # killed between the link and the unlink: the file was complete
            finish(path, on_rename, name)
            done.append({"file": str(final), "kept": size, "cut": 0})
            continue
        keep = complete_length(path)
        if keep <= 0:
            logger.warning("WARC %s holds no complete record; removed", path)
            path.unlink()
            if on_rename is not None:
                on_rename(name(path), None)
            done.append({"file": str(path), "kept": 0, "cut": size})
            continue
        if keep < size:
            with open(path, "r+b") as fh:
                fh.truncate(keep)
                fh.flush()
                os.fsync(fh.fileno())
            logger.warning("WARC %s: cut %d bytes of an unfinished record", path, size - keep)
        finish(path, on_rename, name)
        done.append({"file": str(final), "kept": keep, "cut": size - keep})
    return done


# --- reading ------------------------------------------------------------------------------

def _decode_body(record) -> bytes:
    """The entity body of a response record: de-chunked and decompressed."""
    http = record.http_headers
    raw = record.raw_stream.read()
    try:
        return entity_body(raw, http.get_header("Transfer-Encoding"),
                           http.get_header("Content-Encoding"))
    except Exception:  # mislabelled: the stored bytes as they are
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


def record_capture(record) -> dict:
    """A response record (warcio) as a plain dict: url, date, status, headers, body
    (decoded), html (str) and content_type."""
    http = record.http_headers
    content_type = http.get_header("Content-Type") if http else None
    body = _decode_body(record) if http else record.content_stream().read()
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


def read_capture(path: str | Path, offset: int, with_metadata: bool = True) -> dict:
    """The capture whose response record starts at ``offset`` of ``path``, with the
    fields of its metadata record (source, hints, via) when ``with_metadata``."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        records = ArchiveIterator(fh)
        record = next(records)
        if record.rec_type != "response":
            raise ValueError(f"{path}@{offset} is a {record.rec_type} record, not a response")
        capture = record_capture(record)
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


# --- pointers in the archive (articles.warc_*) --------------------------------------------
POINTER_COLUMNS = ("warc_file", "warc_offset", "warc_length", "warc_digest")


def link_article(db, article_id: int, pointer: dict | None) -> None:
    """Point an article at its capture.  Caller holds the transaction."""
    if not pointer or not pointer.get("warc_file"):
        return
    db.execute(
        "update articles set warc_file = ?, warc_offset = ?, warc_length = ?, "
        "warc_digest = ? where id = ?",
        [*(pointer.get(c) for c in POINTER_COLUMNS), article_id],
    )


# the tables whose rows point at captures
POINTER_TABLES = ("articles", "pages")


def move_pointers(db, old: str, new: str | None) -> int:
    """Re-point every row (articles, pages) naming WARC file ``old`` at ``new`` (None:
    clear them)."""
    changed = 0
    with db.atomic():
        for table in POINTER_TABLES:
            if new is None:
                cursor = db.execute(
                    f"update {table} set warc_file = null, warc_offset = null, "
                    "warc_length = null, warc_digest = null where warc_file = ?", [old])
            else:
                cursor = db.execute(f"update {table} set warc_file = ? where warc_file = ?",
                                    [new, old])
            changed += cursor.rowcount
    return changed


def repair_pointers(db, db_path) -> int:
    """Pointers naming a ``.open`` file that is gone: moved to its final name if that
    exists, else cleared.  Returns how many rows changed."""
    changed = 0
    names = sorted({r[0] for table in POINTER_TABLES for r in db.execute(
        f"select distinct warc_file from {table} where warc_file like ?", [f"%{OPEN}"])})
    for name in names:
        if resolve(db_path, name).exists():
            continue
        final = name[: -len(OPEN)]
        changed += move_pointers(db, name, final if resolve(db_path, final).exists() else None)
    return changed


def captured_articles(db, source: str | None = None, since: str | None = None,
                      ids=None) -> list[dict]:
    """Articles with a capture: id, url, source, pointer, in id order (for reprocess).

    ``since``: fetched on or after; ``ids``: only these (any number: asked in chunks)."""
    sql = ("select id, url, source, fetched_at, warc_file, warc_offset, warc_length "
           "from articles where warc_file is not null")
    params: list = []
    if source:
        sql += " and source = ?"
        params.append(source)
    if since:
        sql += " and fetched_at >= ?"
        params.append(since)
    if ids is None:
        return list(db.query(sql + " order by id", params))
    ids = sorted(set(ids))
    rows: list[dict] = []
    for start in range(0, len(ids), 500):  # below SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        rows += db.query(sql + f" and id in ({', '.join('?' for _ in chunk)}) order by id",
                         params + chunk)
    return rows


def reprocess_state(db, article_id: int) -> tuple[dict | None, bool, bool]:
    """For reprocess: the article row, whether it is in the near-duplicate index, and
    whether other articles are filed as copies of it (it is a story's original)."""
    cursor = db.execute("select * from articles where id = ?", [article_id])
    row = cursor.fetchone()
    if row is None:
        return None, False, False
    article = dict(zip([d[0] for d in cursor.description], row))
    indexed = db.execute("select 1 from dedup_signatures where article_id = ?",
                         [article_id]).fetchone() is not None
    original = db.execute("select 1 from articles where duplicate_of = ? limit 1",
                          [article_id]).fetchone() is not None
    return article, indexed, original


# --- an index for replay tools (pywb) -----------------------------------------------------

def write_cdxj(directory: str | Path, out_path: str | Path | None = None) -> tuple[Path, int]:
    """A sorted CDXJ index of every finished WARC file under ``directory`` (files being
    written, ``*.open``, are left out), written atomically to ``out_path`` (default
    ``<directory>/index.cdxj``); returns the path and the number of lines.  File names in
    the index are relative to ``directory``: pywb's ``archive_paths`` points there.
    Uses cdxj-indexer, the indexer of the Webrecorder tools."""
    from cdxj_indexer.main import write_cdx_index

    directory = Path(directory)
    out_path = Path(out_path) if out_path else directory / "index.cdxj"
    inputs = sorted(str(p) for p in directory.rglob("*")
                    if p.is_file() and p.name.endswith((".warc.gz", ".warc")))
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        if inputs:
            write_cdx_index(fh, inputs, {"sort": True, "dir_root": str(directory)})
    lines = sum(1 for _ in open(tmp, encoding="utf-8"))
    os.replace(tmp, out_path)
    return out_path, lines
