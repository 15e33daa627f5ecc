"""Serve the sample site on loopback: one ThreadingHTTPServer per outlet, in daemon threads.

Example::

    with SampleSite() as site:
        print(site.bases)                  # {"levant-wire": "http://127.0.0.2:40123", ...}
        site.write_sources(tmp / "sources.toml")
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .content import load_articles, load_outlets, load_pages
from .site import OutletSite

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    server_version = "SampleSite/1.0"
    protocol_version = "HTTP/1.1"

    def _lookup(self):
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        routes = self.server.site.routes
        if parts.query and f"{path}?{parts.query}" in routes:
            return routes[f"{path}?{parts.query}"]
        return routes.get(path)  # other query strings (utm_*, ...) are ignored, like real sites

    def _respond(self, with_body: bool):
        found = self._lookup()
        if found is None:
            ctype, body, status = "text/html; charset=utf-8", b"<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>\n", 404
        else:
            (ctype, body), status = found, 200
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=60")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._respond(True)

    def do_HEAD(self):  # noqa: N802
        self._respond(False)

    def log_message(self, format, *args):  # noqa: A002 (signature fixed by http.server)
        logger.debug("%s %s", self.server.site.outlet["name"], format % args)


class SampleSite:
    """Start every outlet of the sample site on its own loopback address.

    Outlet *i* binds ``{host_prefix}.{first + i}`` on a free port; if that address cannot
    be bound (no 127/8 routing, e.g. on macOS) it falls back to ``127.0.0.1`` with its own
    port.  ``bases`` maps outlet name to base URL.
    """

    def __init__(self, host_prefix: str = "127.0.0", first: int = 2, outlets=None):
        self.host_prefix = host_prefix
        self.first = first
        wanted = set(outlets) if outlets else None
        self.outlets = [o for o in load_outlets() if wanted is None or o["name"] in wanted]
        self.bases: dict[str, str] = {}
        self.sites: dict[str, OutletSite] = {}
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self.start()

    def _bind(self, host):
        try:
            return ThreadingHTTPServer((host, 0), _Handler)
        except OSError as exc:
            logger.debug("cannot bind %s (%s); falling back to 127.0.0.1", host, exc)
            return ThreadingHTTPServer(("127.0.0.1", 0), _Handler)

    def start(self):
        if self._servers:
            return self
        articles, pages = load_articles(), load_pages()
        for i, outlet in enumerate(self.outlets):
            server = self._bind(f"{self.host_prefix}.{self.first + i}")
            server.daemon_threads = True
            host, port = server.server_address[:2]
            base = f"http://{host}:{port}"
            server.site = OutletSite(outlet, base, articles, pages)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"samplesite-{outlet['name']}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
            self.bases[outlet["name"]] = base
            self.sites[outlet["name"]] = server.site
            logger.debug("serving %s on %s", outlet["name"], base)
        return self

    def stop(self):
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # -------------------------------------------------------------- sources file
    def url(self, outlet: str, path: str) -> str:
        """Absolute URL of ``path`` on ``outlet``'s running server."""
        return self.bases[outlet] + path

    def article_url(self, article: dict) -> str:
        """Absolute URL of an article record from :func:`~crawler.samplesite.load_articles`."""
        return self.url(article["outlet"], article["path"])

    def source_entries(self) -> list[dict]:
        return [self.sites[o["name"]].source_entry() for o in self.outlets]

    def sources_toml(self) -> str:
        """The text of a newsarchive sources file listing the running outlets."""
        out = ["# Sources for the bundled sample site (generated by crawler.samplesite; fictional outlets).",
               "# Listing-only outlets list every listing page as a start URL, so each article is",
               "# one hop (follow_depth = 1) from a start URL.", ""]
        for entry in self.source_entries():
            out.append("[[source]]")
            for key in ("name", "title", "feeds", "sitemaps", "start_urls", "deny", "language", "follow_depth"):
                if key in entry:
                    out.append(f"{key} = {_toml_value(entry[key])}")
            out.append("")
        return "\n".join(out)

    def write_sources(self, path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.sources_toml(), encoding="utf-8")
        return path


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"
