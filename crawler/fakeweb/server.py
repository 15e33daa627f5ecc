"""The one loopback HTTP server of the fake web: every host of a site, on one asyncio loop.

A :class:`~.site.Site` names its hosts and fills ``site.routes[host][path]`` with routes;
:class:`LoopbackServer` binds each host to its loopback address and answers from them.  A
route is one of

* a ``(content_type, bytes)`` pair: a plain 200 page;
* a :class:`Response`, whose fields also say how to misbehave: wait before answering
  (``delay``), trickle the body (``trickle``), announce a wrong ``Content-Length`` or none
  (``length``), stop after part of the body (``cut``), end with a TCP reset (``reset``), or
  never answer (``silent``);
* a callable ``(Request) -> route`` for pages that change per request (a page that fails
  once then works, a feed answering ``If-None-Match``, an API with query parameters).

HTTP/1.1 with keep-alive (``protocol = "HTTP/1.0"`` on the site: one request per
connection), GET and HEAD; a query string is ignored unless ``path?query`` is a route of
its own, as on real sites.  Pages are served from memory as they are, after a status line
and headers made per request (from a cache renewed each second).  The loop runs in a
daemon thread, so tests start a site with ``with SomeSite() as site:`` and the benchmark's
site process just waits.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import unquote

from .markup import HTML

logger = logging.getLogger(__name__)

NOT_FOUND_PAGE = b"<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>\n"
MAX_HEAD = 65536  # bytes of request line and headers before the connection is dropped


@dataclass(frozen=True)
class Response:
    """What to send for one request, and how.

    ``length``: ``None`` announces the body's true length; an int announces that many bytes
    whatever is sent (a wrong ``Content-Length``); ``False`` sends none, so the body ends
    when the server closes the connection.  ``cut``: send only the first ``cut`` bytes of
    the body.  ``trickle``: seconds between pieces of ``piece`` bytes.  ``reset``: end the
    connection with a TCP reset instead of a close.  ``silent``: send nothing at all (with
    ``reset``, a dropped connection; alone, a request that never gets an answer).
    The connection is closed after any response whose body does not match its announced
    length.
    """

    body: bytes = b""
    status: int = 200
    content_type: str | None = HTML
    headers: tuple[tuple[str, str], ...] = ()
    length: int | bool | None = None
    delay: float = 0.0
    trickle: float = 0.0
    piece: int = 1
    cut: int | None = None
    reset: bool = False
    silent: bool = False

    @property
    def plain(self) -> bool:
        """True when it is sent at once, with no waiting and no reset."""
        return not (self.delay or self.trickle or self.reset or self.silent)


NOT_FOUND = Response(NOT_FOUND_PAGE, 404)


@dataclass(frozen=True)
class Prepared:
    """A plain page with its status line and headers rendered once, before serving.

    What a site with ``prepare = True`` serves instead of its ``(content_type, bytes)``
    pairs (the benchmark's sites): one send of ready bytes per request, as the old bench
    server did.  No ``Date`` header, since the head never changes.
    """

    data: bytes  # head and body
    head: int  # length of the head


def redirect(location: str, status: int = 302) -> Response:
    """A redirect to ``location`` (absolute or relative, any scheme)."""
    return Response(b"", status, headers=(("Location", location),))


@dataclass
class Request:
    """One request as a callable route sees it."""

    method: str
    target: str  # path and query, as sent
    path: str  # unquoted, without the query
    query: str
    host: str  # the address that answered
    raw_headers: bytes = field(repr=False, default=b"")
    count: int = 1  # requests for this target so far, this one included

    @property
    def headers(self) -> dict[str, str]:
        """Request headers by lower-case name (the last one wins)."""
        out = {}
        for line in self.raw_headers.decode("latin-1").split("\r\n"):
            name, sep, value = line.partition(":")
            if sep:
                out[name.strip().lower()] = value.strip()
        return out


class _HTTP(asyncio.BufferedProtocol):
    """One connection: requests in, answers from the site's routes for this host.

    Reads into one small buffer of its own: the fresh 256 KiB bytes object a plain Protocol
    gets per read cost an mmap, a munmap and page faults per request (measured), a fifth
    more server CPU on the benchmark's pages.
    """

    def __init__(self, server: "LoopbackServer", host: str, address: str):
        self.server, self.site = server, server.site
        self.host, self.address = host, address
        self.inbox = memoryview(bytearray(16384))
        self.buffer = b""
        self.busy = False  # a slow response is being sent: later requests wait
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.server.connections.add(self)
        if self.server.stopping:  # accepted while stop() runs
            transport.abort()

    def connection_lost(self, exc):
        self.server.connections.discard(self)
        self.transport = None

    def get_buffer(self, sizehint):
        return self.inbox

    def buffer_updated(self, nbytes):
        if self.server.stopping:
            self.transport.abort()
            return
        self.buffer += self.inbox[:nbytes]
        if not self.busy:
            self.handle()

    def handle(self):
        while self.transport is not None and not self.busy:
            buffer = self.buffer
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD:
                    self.transport.close()
                return
            line, _, raw_headers = buffer[:end].partition(b"\r\n")
            self.buffer = buffer[end + 4:]
            parts = line.split(b" ")
            if len(parts) != 3:
                self.transport.close()
                return
            method, target, version = parts
            lowered = raw_headers.lower()
            keep = self.site.protocol != "HTTP/1.0" and b"connection: close" not in lowered and (
                version != b"HTTP/1.0" or b"connection: keep-alive" in lowered)
            if b"content-length:" in lowered:  # skip a request body
                length = int(lowered.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
                self.buffer = self.buffer[length:]
            self.answer(method.decode("latin-1"), target.decode("latin-1"), raw_headers, keep)

    def answer(self, method: str, target: str, raw_headers: bytes, keep: bool):
        site = self.site
        path, _, query = target.partition("?")
        if "%" in path:
            path = unquote(path)
        hits = site.hits
        hits[target] = count = hits.get(target, 0) + 1
        if site.log_requests:
            site.log.append((self.address, target))
        routes = site.routes.get(self.host) or {}
        route = (routes.get(f"{path}?{query}") or routes.get(path)) if query else routes.get(path)
        if type(route) is Prepared and (method == "GET" or method == "HEAD"):
            self.transport.write(route.data if method == "GET" else route.data[:route.head])
            if not keep:
                self.transport.close()
            return
        if type(route) is tuple and (method == "GET" or method == "HEAD"):
            # the fast path: a plain page, head and body in one send
            ctype, body = route
            head = self.server.prefix(200, ctype, (), keep) + b"Content-Length: %d\r\n\r\n" % len(body)
            self.transport.write(head + body if method == "GET" else head)
            if not keep:
                self.transport.close()
            return
        if callable(route):
            try:
                route = route(Request(method, target, path, query, self.address, raw_headers, count))
            except Exception:  # a broken route answers 500 and says why, the server goes on
                logger.exception("route %s of %s failed", target, self.host)
                route = Response(b"<h1>500 route failed</h1>", 500)
        if route is None:
            response = site.not_found
        elif type(route) is tuple:
            response = Response(route[1], content_type=route[0])
        elif type(route) is Prepared:
            response = Response(route.data[route.head:], content_type=None)  # a POST: 501 below
        else:
            response = route
        if method not in ("GET", "HEAD"):
            response = Response(b"", 501)
        body = response.body
        sent = body if response.cut is None else body[:response.cut]
        announced = len(body) if response.length is None else response.length
        keep = keep and not response.reset and announced is not False and announced == len(sent)
        head = self.head(response.status, response.content_type, response.headers,
                         announced, keep)
        if method == "HEAD":
            sent = b""
        if response.plain:
            self.transport.write(head)
            self.transport.write(sent)
            if not keep:
                self.transport.close()
            return
        self.busy = True
        self.server.spawn(self.slow(response, head, sent, keep))

    def head(self, status: int, ctype: str | None, headers, length, keep: bool) -> bytes:
        """Status line and headers; all but the length come from a cache renewed each second."""
        prefix = self.server.prefix(status, ctype, headers, keep)
        if length is False or length is None:
            return prefix + b"\r\n"
        return prefix + b"Content-Length: %d\r\n\r\n" % length

    async def slow(self, response: Response, head: bytes, body: bytes, keep: bool):
        try:
            if response.delay:
                await asyncio.sleep(response.delay)
            if self.transport is None:
                return
            if not response.silent:
                self.transport.write(head)
                if response.trickle:
                    for i in range(0, len(body), response.piece):
                        if self.transport is None or self.transport.is_closing():
                            return
                        self.transport.write(body[i:i + response.piece])
                        await asyncio.sleep(response.trickle)
                else:
                    self.transport.write(body)
            if self.transport is None:
                return
            if response.reset:
                sock = self.transport.get_extra_info("socket")
                if sock is not None:  # linger 0: close() sends RST
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.transport.abort()
            elif response.silent:
                return  # the client gives up; stop() closes what is left
            elif not keep:
                self.transport.close()
            else:
                self.busy = False
                self.handle()
        finally:
            if self.transport is None or self.transport.is_closing():
                self.busy = False


class LoopbackServer:
    """Serve ``site``'s hosts on loopback, one asyncio loop in a daemon thread.

    ``bind()`` listens on each host's address (falling back to any free port, then to
    ``127.0.0.1`` when the address cannot be bound, e.g. without 127/8 routing) and returns
    the base URLs; ``serve()`` starts answering; ``stop()`` closes everything.
    """

    def __init__(self, site):
        self.site = site
        self.stopping = False
        self.second, self.prefixes = -1, {}
        self.connections: set[_HTTP] = set()
        self.tasks: set[asyncio.Task] = set()
        self.servers: list[asyncio.base_events.Server] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                       name=f"fakeweb-{site.profile or type(site).__name__}")
        self.thread.start()

    def prefix(self, status: int, ctype: str | None, headers, keep: bool) -> bytes:
        """The head of a response up to its Content-Length (``Date`` is of this second)."""
        now = int(time.time())
        if now != self.second:
            self.second, self.prefixes = now, {}
        key = (status, ctype, headers, keep)
        found = self.prefixes.get(key)
        if found is None:
            site = self.site
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:  # a status code of the profile's own
                phrase = "Unknown"
            lines = [f"{site.protocol} {status} {phrase}",
                     f"Server: {site.server_name}", f"Date: {formatdate(now, usegmt=True)}"]
            if ctype:
                lines.append(f"Content-Type: {ctype}")
            lines += [f"{k}: {v}" for k, v in (*site.headers, *headers)]
            if not keep:
                lines.append("Connection: close")
            found = self.prefixes[key] = ("\r\n".join(lines) + "\r\n").encode("latin-1")
        return found

    def call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def spawn(self, coroutine):
        task = self.loop.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _listen(self, name: str, address: str, port: int):
        tries = [(address, port)] + ([(address, 0)] if port else []) + [("127.0.0.1", 0)]
        for host, want in tries:
            try:
                server = await self.loop.create_server(
                    lambda host=host: _HTTP(self, name, host), host, want, backlog=1024,
                    reuse_address=True, start_serving=False)
            except OSError as exc:
                logger.debug("cannot bind %s:%s (%s)", host, want, exc)
                continue
            self.servers.append(server)
            bound_host, bound = server.sockets[0].getsockname()[:2]
            return f"http://{bound_host}" + ("" if bound == 80 else f":{bound}")
        raise OSError(f"cannot bind a loopback address for {name}")

    def bind(self, hosts) -> dict[str, str]:
        """Listen on every ``(name, address, port)``; return ``{name: base URL}``."""
        return {name: self.call(self._listen(name, address, port)) for name, address, port in hosts}

    def prepare(self) -> None:
        """Replace every ``(content_type, bytes)`` route by a :class:`Prepared` page, one at
        a time (the pair's bytes are freed as its page is made, so memory stays flat)."""
        site = self.site
        for routes in site.routes.values():
            for path, route in routes.items():
                if type(route) is tuple:
                    ctype, body = route
                    lines = [f"{site.protocol} 200 OK", f"Server: {site.server_name}",
                             f"Content-Type: {ctype}", *(f"{k}: {v}" for k, v in site.headers),
                             f"Content-Length: {len(body)}"]
                    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                    routes[path] = Prepared(head + body, len(head))

    def serve(self):
        async def start():
            for server in self.servers:
                await server.start_serving()
        self.call(start())

    def stop(self):
        if self.loop.is_closed():
            return

        async def close():
            self.stopping = True  # connections made from now on are aborted at once
            # Let accepted connections finish being made before the listening sockets
            # close (asyncio drops, unclosed, a connection whose set-up runs after its
            # server closed); checking and closing in one step leaves no gap.
            for _ in range(100):
                for task in list(self.tasks):
                    task.cancel()
                others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                if not others:
                    break
                await asyncio.wait(others, timeout=5)
            for server in self.servers:
                server.close()
            for conn in list(self.connections):
                if conn.transport is not None:
                    conn.transport.abort()
            await asyncio.sleep(0)  # the aborted sockets close

        try:
            self.call(close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()
