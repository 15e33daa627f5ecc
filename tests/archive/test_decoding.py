"""Entity bodies decoded as a stream under a cap (archive/decoding.py)."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import brotli
import pytest
import zstandard
from bombs import brotli_bomb, gzip_bomb

from newsarchive.archive.decoding import BodyTooLarge, entity_body

CAP = 8 * 1024 * 1024
PAGE = b"<html><body><p>Water returned to eastern Qamishli on Monday.</p></body></html>"


def chunked(data: bytes, size: int = 7) -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
                   for i in range(0, len(data), size))
    return out + b"0\r\n\r\n"


@pytest.mark.parametrize("encoding, packed", [
    ("gzip", gzip.compress(PAGE)),
    ("x-gzip", gzip.compress(PAGE)),
    ("deflate", zlib.compress(PAGE)),
    ("deflate", zlib.compress(PAGE)[2:-4]),  # raw deflate, as some servers send it
    ("br", brotli.compress(PAGE)),
    ("zstd", zstandard.ZstdCompressor().compress(PAGE)),
    ("gzip, br", brotli.compress(gzip.compress(PAGE))),  # applied in this order
    ("identity", PAGE),
    (None, PAGE),
])
def test_every_coding_decodes(encoding, packed):
    assert entity_body(packed, None, encoding, max_size=CAP) == PAGE
    assert entity_body(chunked(packed), "chunked", encoding, max_size=CAP) == PAGE


def test_a_body_of_exactly_the_cap_passes_one_byte_more_does_not():
    assert entity_body(gzip.compress(PAGE), None, "gzip", max_size=len(PAGE)) == PAGE
    with pytest.raises(BodyTooLarge):
        entity_body(gzip.compress(PAGE), None, "gzip", max_size=len(PAGE) - 1)
    with pytest.raises(BodyTooLarge):  # the cap holds for a body with no coding too
        entity_body(PAGE, None, None, max_size=10)


def test_unknown_or_broken_codings_are_value_errors():
    with pytest.raises(ValueError, match="unknown content encoding"):
        entity_body(PAGE, None, "compress", max_size=CAP)
    with pytest.raises(ValueError):
        entity_body(b"not gzip at all", None, "gzip", max_size=CAP)


@pytest.mark.parametrize("encoding, bomb", [("br", brotli_bomb), ("gzip", gzip_bomb)])
def test_bombs_stop_at_the_cap_holding_little_memory(encoding, bomb):
    payload = bomb()
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge) as refused:
            entity_body(chunked(payload, 4096), "chunked", encoding, max_size=CAP)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.max_size == CAP
    # the cap plus a block or two, never the gigabytes the payload unpacks to
    assert peak < 4 * CAP, peak
