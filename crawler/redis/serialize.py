"""JSON, not pickle, for everything newsarchive puts in Redis (requests and items).

scrapy-redis takes ``SCHEDULER_SERIALIZER`` as a *module* with ``dumps``/``loads``; this is
that module.  A request dict (``Request.to_dict``) holds bytes (body, header names and
values, the raw WARC capture a redirect carries in its meta), and an item's ``capture`` holds
the response body as bytes: bytes are written as ``{"$b64": "..."}`` and read back as bytes.
A dict with other than string keys (request headers: bytes names) is written as
``{"$map": [[key, value], ...]}``.  Tuples come back as lists.  Anything else JSON cannot
hold is an error (a request with an odd object in its meta must fail loudly, not be
pickled).
"""

from __future__ import annotations

import base64
import json

B64 = "$b64"
MAP = "$map"


def _encode(value):
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {MAP: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {B64: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (set, frozenset)):
        return sorted(_encode(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot put {type(value).__name__} into Redis as JSON: {value!r:.80}")


def _hook(obj: dict):
    if len(obj) == 1:
        if B64 in obj:
            return base64.b64decode(obj[B64])
        if MAP in obj:
            return {_hashable(k): v for k, v in obj[MAP]}
    return obj


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def dumps(obj) -> str:
    return json.dumps(_encode(obj), ensure_ascii=False, separators=(",", ":"))


def loads(data):
    if isinstance(data, (bytes, bytearray)):
        data = data.decode("utf-8")
    return json.loads(data, object_hook=_hook)
