"""Decompression bombs for tests: tiny payloads that unpack to gigabytes of zeros.

Made when first asked for (a few seconds of CPU), then kept for the session.
``brotli_bomb()``: 2.4 KB -> 3 GiB; ``gzip_bomb()``: 1.5 MB -> 1.5 GiB (a valid gzip file:
the same full-flushed deflate block repeated, with the right CRC and length).
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

import brotli

BLOCK = 16 * 1024 * 1024
GIB = 1024 ** 3


@lru_cache(maxsize=None)
def brotli_bomb(size: int = 3 * GIB) -> bytes:
    packer = brotli.Compressor(quality=5, lgwin=24)
    zeros = bytes(BLOCK)
    out = [packer.process(zeros) for _ in range(size // BLOCK)]
    return b"".join(out) + packer.finish()


@lru_cache(maxsize=None)
def gzip_bomb(size: int = 3 * GIB // 2) -> bytes:
    zeros = bytes(BLOCK)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # a full flush forgets the window: every block is the same
    count = size // BLOCK
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    tail = packer.flush(zlib.Z_FINISH) + struct.pack("<II", crc, (count * BLOCK) & 0xFFFFFFFF)
    return head + block * count + tail
