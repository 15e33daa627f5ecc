"""HTTP entity bodies decoded as a stream, never past a cap.

A body read back from a WARC record (``reprocess``, ``import-warc``, :func:`archive.warc.
read_capture`) is still transfer- and content-encoded as the server sent it.  Decoding it
in one call trusts the sender: a 2.4 KB brotli or a 1.5 MB gzip payload unpacks to
gigabytes.  :func:`entity_body` de-chunks (warcio's ``ChunkedDataReader``) and
decompresses (urllib3's decoders: gzip, deflate with or without its zlib header, br, zstd,
several stacked) block by block, and stops with :class:`BodyTooLarge` as soon as the
decoded body passes ``max_size`` -- the crawl's own ``DOWNLOAD_MAXSIZE``, which callers
pass in (the archive knows no crawler settings).  At most ``max_size`` plus one block is
ever held.

Example::

    body = entity_body(raw, "chunked", "gzip", max_size=8 * 1024 * 1024)
"""

from __future__ import annotations

import io
from typing import BinaryIO

from urllib3.exceptions import DecodeError
from urllib3.response import HTTPResponse
from warcio.bufferedreaders import ChunkedDataReader

BLOCK = 64 * 1024  # decoded bytes asked for at a time
CODINGS = ("gzip", "x-gzip", "deflate", "br", "zstd")


class BodyTooLarge(ValueError):
    """Raised when a decoded body would be larger than the cap it is decoded under."""

    def __init__(self, size: int, max_size: int):
        super().__init__(f"decoded body passes {max_size} bytes (read {size} so far)")
        self.size = size
        self.max_size = max_size


class _Dechunked(io.RawIOBase):
    """warcio's de-chunking reader as the file object urllib3 reads from."""

    def __init__(self, stream):
        super().__init__()
        self.reader = ChunkedDataReader(stream)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.reader.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def content_codings(content_encoding: str | None) -> list[str]:
    """The codings a ``Content-Encoding`` header lists, in the order they were applied
    (``identity`` left out); ValueError for one this module cannot undo."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    for coding in codings:
        if coding not in CODINGS:
            raise ValueError(f"unknown content encoding {coding!r}")
    return codings


def entity_body(body: bytes | BinaryIO, transfer_encoding: str | None = None,
                content_encoding: str | None = None, *, max_size: int | None) -> bytes:
    """An HTTP payload (bytes or a binary stream) as its entity: de-chunked if
    ``transfer_encoding`` says chunked, decompressed as ``content_encoding`` says.

    ``max_size``: the most decoded bytes allowed (:class:`BodyTooLarge` past it); None
    only for a body that was decoded under a cap before.  A body that does not decode
    (a broken compressed stream, an unknown coding) raises ValueError.
    """
    stream = io.BytesIO(body) if isinstance(body, (bytes, bytearray, memoryview)) else body
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        stream = _Dechunked(stream)
    codings = content_codings(content_encoding)
    response = HTTPResponse(body=stream, preload_content=False, decode_content=True,
                            headers={"Content-Encoding": ", ".join(codings)} if codings else {})
    out = bytearray()
    try:
        for block in response.stream(BLOCK):
            out += block
            if max_size is not None and len(out) > max_size:
                raise BodyTooLarge(len(out), max_size)
    except DecodeError as exc:
        raise ValueError(f"body does not decode as {', '.join(codings)}: {exc}") from None
    return bytes(out)
