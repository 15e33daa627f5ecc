"""The WARC files of an archive: where they live, writing and rotating them, recovering
them after a crash.

Files live in ``<db dir>/warc/`` (setting ``NEWSARCHIVE_WARC_DIR``) and are named
``<db stem>-YYYYMMDD-NNNNN.warc.gz``: a new file is started for a new (UTC) day, when the
current one passes ``NEWSARCHIVE_WARC_MAX_BYTES``, and by every run.  Each file starts with
a ``warcinfo`` record.  A file being written is ``*.warc.gz.open``; when complete it gets
its final name (a hard link, then the ``.open`` name goes) and the pointers of the
``articles`` rows are moved to the final name in between, so a pointer always names a file
that exists.  A crash leaves ``.open`` files: :func:`recover` cuts each back to its last
complete gzip member, gives it its final name and fixes the pointers.

A pointer (``articles.warc_file``, ``warc_offset``, ``warc_length``, ``warc_digest``) names
the response record; ``warc_file`` is relative to the database's folder unless the WARC
folder lies elsewhere.  The records themselves: :mod:`archive.warc`.  An index of them for
replay tools (pywb): :func:`write_cdxj`.

Example::

    writer = WarcWriter(warc_dir("archive/news.db"), "news", on_rename=...)
    pointer = writer.write(capture)       # {"warc_file", "warc_offset", ...}
    record = warc.read_capture(resolve("archive/news.db", pointer["warc_file"]),
                               pointer["warc_offset"])
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import zlib
from pathlib import Path

from warcio.warcwriter import WARCWriter

from . import warc  # the records (warc.encode) and the clock (warc.utcnow)

logger = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
OPEN = ".open"
SOFTWARE = "newsarchive (warcio)"


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


def own_files(directory: str | Path, prefix: str) -> list[tuple[Path, str, int]]:
    """``(path, day, serial)`` of the WARC files (``.open`` or complete) of the archive
    whose files are named ``prefix``, in name order.

    The prefix comes from the user's database name (``news[1].db``, ``a*b.db``): it is
    matched literally, never as a glob pattern, and the rest of the name must be the
    writer's own (``-YYYYMMDD-NNNNN.warc.gz``), so another archive's files in the same
    folder (``news-x`` next to ``news``) are never taken for this one's.
    """
    pattern = re.compile(rf"{re.escape(prefix)}-(\d{{8}})-(\d{{5}}){re.escape(SUFFIX)}"
                         rf"(?:{re.escape(OPEN)})?")
    directory = Path(directory)
    try:
        with os.scandir(directory) as entries:
            names = sorted(entry.name for entry in entries)
    except FileNotFoundError:
        return []
    return [(directory / name, m.group(1), int(m.group(2))) for name in names
            if (m := pattern.fullmatch(name))]


class WarcWriter:
    """Appends captures to the current ``.open`` WARC file of one archive, rotating it.

    ``on_rename(old_name, new_name)`` is called between linking a completed file under its
    final name and removing the ``.open`` name, with the names as stored in pointers (the
    pipeline moves ``articles.warc_file`` there).  ``fsync``: each capture is on disk
    before :meth:`write` returns (so the article row committed after it never points at a
    record a power cut could lose) -- or, with ``write(capture, sync=False)``, once
    :meth:`sync` is called (the store calls it before each batch of rows commits: one
    fsync per batch instead of one per article).  ``max_body``: the cap on a body decoded
    to be stored decoded (:func:`archive.warc.encode`; the crawl's ``DOWNLOAD_MAXSIZE``).
    """

    def __init__(self, directory: str | Path, prefix: str, db_path: str | Path | None = None,
                 max_bytes: int = 1_000_000_000, fsync: bool = True, on_rename=None,
                 info: dict | None = None, max_body: int | None = None):
        self.directory = Path(directory)
        self.prefix = prefix
        self.db_path = db_path
        self.max_bytes = max_bytes
        self.fsync = fsync
        self.on_rename = on_rename
        self.info = info or {}
        self.max_body = max_body
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
        serials = [serial for _, file_day, serial in own_files(self.directory, self.prefix)
                   if file_day == day]
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
        which :func:`archive.warc.encode` puts in the capture's records."""
        day = warc.utcnow().strftime("%Y%m%d")
        if self._fh is not None and (day != self._day or self._fh.tell() >= self.max_bytes):
            self.close()
        if self._fh is None:
            self._open(day)
        return self._warcinfo_id

    def write(self, capture: dict, sync: bool = True) -> dict:
        """Write one capture (response, request, metadata); return its pointer.

        ``capture``: see :func:`archive.warc.encode`.  ``sync=False``: on disk at the next
        :meth:`sync`.
        """
        return self._append(warc.encode(capture, self.prepare(), self.max_body), sync)

    def append(self, encoded: dict, capture: dict, sync: bool = True) -> dict:
        """Write what :func:`archive.warc.encode` made of ``capture`` (in a worker process,
        say); return its pointer.  Made for another file than the current one (rotated
        meanwhile), it is made again for this one."""
        warcinfo_id = self.prepare()
        if encoded["warcinfo_id"] != warcinfo_id:
            encoded = warc.encode(capture, warcinfo_id, self.max_body)
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
    if final.exists() and not os.path.samefile(final, open_path):
        # never: the writer numbers its files past every one there; pointers moved onto
        # another file would name the wrong records
        raise FileExistsError(f"cannot complete {open_path}: {final.name} is another file")
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
    done = []
    for path, _, _ in own_files(directory, prefix):
        if not path.name.endswith(OPEN):
            continue
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


# --- an index for replay tools (pywb) -----------------------------------------------------

def write_cdxj(directory: str | Path, out_path: str | Path | None = None) -> tuple[Path, int]:
    """A sorted CDXJ index of every finished WARC file under ``directory`` (files being
    written, ``*.open``, are left out), written atomically to ``out_path`` (default
    ``<directory>/index.cdxj``); returns the path and the number of lines.  File names in
    the index are relative to ``directory``: pywb's ``archive_paths`` points there.
    Uses cdxj-indexer, the indexer of the Webrecorder tools."""
    # deferred: start-up cost (requests, surt...); only `cdxj` needs it
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
