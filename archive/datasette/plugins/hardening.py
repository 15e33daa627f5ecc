"""Datasette plugin: the served archive against hostile visitors.

A visitor may run any read-only SQL.  Datasette's time limit (``sql_time_limit_ms``)
interrupts a query between SQLite's steps, but not one step that builds a huge value
(``printf('%.*c', 999999999, 'x')``, ``randomblob(1e9)``, ``zeroblob``, ``replace`` on a
huge string: 14 s over a 3 s limit, gigabytes of memory), nor rows piling up in the
server.  So every connection Datasette opens (``prepare_connection``) gets:

* SQLite limits (``Connection.setlimit``): the length of a string, blob or row
  (``max_length``), the columns of a result (``max_columns``), the length of an SQL text
  (``max_sql_length``).  A query that would pass one fails at once with SQLite's "string
  or blob too big".  One row then holds at most ``max_columns`` x ``max_length`` bytes.
* ``printf()`` and ``format()`` that refuse a width or precision over ``max_length`` (the
  same "string or blob too big"): SQLite 3.40's ``%c`` with a precision repeats its
  character in a loop that ignores the length limit (1e9 times: 18 s in one step); the
  rest is SQLite's own printf, run on a helper connection.
* a budget of ``max_result_bytes`` for the text and blobs one statement brings into the
  server, counted as rows are fetched; past it the query fails ("query result too large").
* no ``fts3_tokenizer()`` (an authorizer refuses it): with two arguments it registers a
  tokenizer from a raw pointer, with one it leaks an address.

Requests other than GET and HEAD get a plain 405 (the archive is served read-only; a POST
to a canned query made Datasette fail with a 500).  Datasette's own CSV downloads
(``/db/table.csv``, ``?_stream=on``, query and canned query CSVs) are made spreadsheet-safe
with the rule ``newsarchive export`` uses (:func:`archive.export.safe_cell`), rewritten
cell by cell as they stream (:class:`SafeCsv`).

Each limit can be changed in the Datasette configuration, e.g.::

    plugins:
      newsarchive-hardening:
        max_length: 8388608

This module imports nothing of the crawler or the pipelines: register it as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sqlite3

from datasette import hookimpl

from newsarchive.archive.export import safe_cell

PLUGIN = "newsarchive-hardening"
MB = 1024 * 1024
# Far above any stored value (a long article's text is some hundreds of KB), far below
# what ties up a server.
DEFAULTS = {
    "max_length": 4 * MB,
    "max_columns": 100,
    "max_sql_length": 100_000,
    "max_result_bytes": 256 * MB,
}
LIMITS = {
    "max_length": sqlite3.SQLITE_LIMIT_LENGTH,
    "max_columns": sqlite3.SQLITE_LIMIT_COLUMN,
    "max_sql_length": sqlite3.SQLITE_LIMIT_SQL_LENGTH,
}
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer"})
# a printf conversion: flags, width, precision, length, type (SQLite's printf.c)
CONVERSION = re.compile(r"%([-+ 0#,!]*)(\*|\d+)?(?:\.(\*|\d+))?(?:ll|l)?(.)", re.S)


def settings(config: dict | None) -> dict:
    """The limits: :data:`DEFAULTS` with what the plugin configuration sets."""
    out = dict(DEFAULTS)
    for key, value in (config or {}).items():
        if key in DEFAULTS:
            out[key] = int(value)
    return out


def _authorizer(action, arg1, arg2, db_name, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class ResultBudget:
    """Bytes of text and blobs one statement of ``conn`` has brought into the server;
    raises once they pass ``limit``.  Reset as each statement starts (SQLite's trace
    callback)."""

    def __init__(self, conn, limit: int):
        self.limit = limit
        self.spent = 0
        decode, make_row = conn.text_factory, conn.row_factory
        if decode is str:  # sqlite3's default: UTF-8, strict
            decode = bytes.decode

        def text(data: bytes):
            self.spend(len(data))
            return decode(data)

        def row(cursor, values):
            self.spend(sum(len(v) for v in values if isinstance(v, bytes)))
            return make_row(cursor, values) if make_row else values

        conn.text_factory = text
        conn.row_factory = row
        conn.set_trace_callback(self.reset)

    def reset(self, statement=None) -> None:
        self.spent = 0

    def spend(self, size: int) -> None:
        self.spent += size
        if self.spent > self.limit:
            self.spent = 0  # the statement fails here: the next one starts afresh
            raise sqlite3.DataError(f"query result too large: more than {self.limit} bytes "
                                    f"of text and blobs (limit of the served archive)")


def _as_int(value) -> int:
    """A ``*`` argument as SQLite's printf reads it (an integer; text that is none: 0)."""
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return 0


def check_printf(fmt, args, max_length: int) -> None:
    """OverflowError (SQLite: "string or blob too big") if a width or precision of the
    format ``fmt`` passes ``max_length``."""
    if not isinstance(fmt, str):
        return
    args = list(args)
    for match in CONVERSION.finditer(fmt):
        _, width, precision, kind = match.groups()
        if kind == "%":
            continue
        for size in (width, precision):
            if size == "*":
                size = abs(_as_int(args.pop(0))) if args else 0
            if size is not None and int(size) > max_length:
                raise OverflowError(f"printf width or precision {size} > {max_length}")
        if args:
            args.pop(0)


class GuardedPrintf:
    """``printf`` / ``format`` for one connection: :func:`check_printf`, then SQLite's
    own printf on a private in-memory connection with the same limits."""

    def __init__(self, limits: dict):
        self.limits = limits
        self.helper: sqlite3.Connection | None = None

    def __call__(self, fmt=None, *args):
        check_printf(fmt, args, self.limits["max_length"])
        if self.helper is None:
            self.helper = sqlite3.connect(":memory:", check_same_thread=False)
            for key, category in LIMITS.items():
                self.helper.setlimit(category, self.limits[key])
        marks = ", ".join("?" * (len(args) + 1))
        return self.helper.execute(f"select printf({marks})", (fmt, *args)).fetchone()[0]


def harden(conn, limits: dict) -> None:
    """Apply ``limits`` (see :data:`DEFAULTS`) and the function refusals to ``conn``."""
    for key, category in LIMITS.items():
        conn.setlimit(category, limits[key])
    conn.set_authorizer(_authorizer)
    printf = GuardedPrintf(limits)
    for name in ("printf", "format"):
        conn.create_function(name, -1, printf, deterministic=True)
    ResultBudget(conn, limits["max_result_bytes"])


@hookimpl
def prepare_connection(conn, database, datasette):
    harden(conn, settings(datasette.plugin_config(PLUGIN, database=database)))


# --- Datasette's CSV, formula-safe -------------------------------------------------------

class SafeCsv:
    """Datasette's CSV text, rewritten as it streams: every cell through
    :func:`~archive.export.safe_cell`.  Only complete records are rewritten (a newline
    outside quotes ends one); the rest waits for the next chunk."""

    def __init__(self):
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""  # the start of a record not complete yet
        self.scanned = 0  # how far ``pending`` was searched for the end of the record
        self.quoted = False  # whether ``pending[:scanned]`` leaves a quote open

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self.pending + self.decoder.decode(data, final)
        if final:
            complete, self.pending, self.scanned, self.quoted = text, "", 0, False
        else:
            cut, at, quoted = 0, self.scanned, self.quoted
            while (newline := text.find("\n", at)) != -1:
                quoted ^= bool(text.count('"', at, newline) % 2)
                at = newline + 1
                if not quoted:
                    cut = at
            complete, self.pending = text[:cut], text[cut:]
            self.scanned, self.quoted = at - cut, quoted
        if not complete:
            return b""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # Datasette's dialect
        for row in csv.reader(io.StringIO(complete, newline="")):
            writer.writerow([safe_cell(cell) for cell in row])
        return out.getvalue().encode("utf-8")


def wants_csv(scope) -> bool:
    """True for a request of one of Datasette's CSV renderings."""
    return scope["path"].endswith(".csv") or b"_format=csv" in scope.get("query_string", b"")


def _csv_safe_sender(send):
    guard = None

    async def sender(message):
        nonlocal guard
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if kind.startswith((b"text/csv", b"text/plain")):
                guard = SafeCsv()
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and guard is not None:
            more = message.get("more_body", False)
            message = {**message, "body": guard.feed(message.get("body", b""), not more)}
        await send(message)

    return sender


READ_ONLY = b"405: this archive is served read-only; only GET and HEAD requests are answered.\n"
SAFE_METHODS = ("GET", "HEAD")


async def _refuse_method(send) -> None:
    await send({"type": "http.response.start", "status": 405,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"allow", ", ".join(SAFE_METHODS).encode()),
                            (b"content-length", str(len(READ_ONLY)).encode())]})
    await send({"type": "http.response.body", "body": READ_ONLY})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hardened(scope, receive, send):
            if scope.get("type") == "http":
                if scope.get("method", "GET").upper() not in SAFE_METHODS:
                    await _refuse_method(send)
                    return
                if wants_csv(scope):
                    send = _csv_safe_sender(send)
            await app(scope, receive, send)

        return hardened

    return wrap
