"""The site model every profile shares: hosts, routes, a sources file, start and stop.

A profile is a subclass of :class:`Site` that says which hosts it needs (:meth:`hosts`)
and builds every page once the hosts have their base URLs (:meth:`bind`), filling
``routes[host][path]`` (see :mod:`.server` for what a route can be).  ``with`` starts it
on loopback::

    with SampleSite() as site:
        site.bases                         # {"levant-wire": "http://127.0.0.2:40123", ...}
        site.write_sources(tmp / "sources.toml")
        site.hits["/feed/"]                # requests per path (and query), all hosts

The same site object can be built without a server (``site.bind({...})``) to read its pages
directly, as the benchmarks and the extraction tests do.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .server import NOT_FOUND, LoopbackServer

SOURCE_KEYS = ("name", "title", "feeds", "sitemaps", "start_urls", "deny", "language", "follow_depth")


class Site:
    """Base class of the profiles: a fake web site of one or more loopback hosts.

    Class attributes a profile may change: ``profile`` (its name on the command line),
    ``protocol`` (``"HTTP/1.0"``: one request per connection), ``headers`` (sent with every
    response), ``server_name``, ``not_found`` (the answer for unknown paths),
    ``log_requests`` (keep every ``(address, path)`` in ``log``), ``prepare`` (render the
    head of every plain page once when serving starts: the benchmarks' sites; the routes
    then hold :class:`~.server.Prepared` pages) and ``first`` (the last octet of the first
    host's address, for :meth:`address`).
    """

    profile = ""
    protocol = "HTTP/1.1"
    headers: tuple[tuple[str, str], ...] = (("Cache-Control", "max-age=60"),)
    server_name = "fakeweb"
    not_found = NOT_FOUND
    log_requests = False
    prepare = False
    first = 2
    sources_header = "# Sources of a fake newsarchive site (crawler/fakeweb)."

    def __init__(self, host_prefix: str = "127.0.0", first: int | None = None, port: int = 0):
        self.host_prefix = host_prefix
        if first is not None:
            self.first = first
        self.port = port
        self.routes: dict[str, dict] = {}
        self.bases: dict[str, str] = {}
        self.hits: Counter = Counter()
        self.log: list[tuple[str, str]] = []
        self._server: LoopbackServer | None = None

    # ------------------------------------------------------------------ what a profile says
    def hosts(self) -> list[tuple[str, str]]:
        """``(name, address)`` of every host, in order."""
        raise NotImplementedError

    def bind(self, bases: dict[str, str]) -> "Site":
        """Build every page for the hosts' base URLs ``{name: base}``; return self."""
        raise NotImplementedError

    def source_entries(self) -> list[dict]:
        """The ``[[source]]`` tables of a sources file for this site (see :meth:`sources_toml`)."""
        return []

    def describe(self) -> dict:
        """What the command line prints as JSON once the site serves."""
        return {"profile": self.profile, "bases": self.bases, "sources_toml": self.sources_toml()}

    @classmethod
    def add_arguments(cls, parser) -> None:
        """Command-line options of this profile (passed to the constructor by name)."""

    # ------------------------------------------------------------------ helpers
    def address(self, i: int) -> str:
        """The loopback address of the ``i``-th host: ``{host_prefix}.{first + i}``."""
        return f"{self.host_prefix}.{self.first + i}"

    def url(self, host: str, path: str) -> str:
        """Absolute URL of ``path`` on ``host``."""
        return self.bases[host] + path

    @property
    def requests(self) -> list[tuple[str, str]]:
        """Every request as ``(address, path)`` (with ``log_requests``)."""
        return self.log

    def sources_toml(self) -> str:
        """The text of a newsarchive sources file listing this site's sources."""
        out = [self.sources_header, ""]
        for entry in self.source_entries():
            out.append("[[source]]")
            for key in SOURCE_KEYS:
                if key in entry:
                    out.append(f"{key} = {toml_value(entry[key])}")
            out.append("")
        return "\n".join(out)

    def write_sources(self, path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.sources_toml(), encoding="utf-8")
        return path

    # ------------------------------------------------------------------ serving
    def start(self) -> "Site":
        """Bind the hosts on loopback, build the pages, serve them (in a daemon thread)."""
        if self._server is not None:
            return self
        self._server = LoopbackServer(self)
        try:
            bases = self._server.bind([(name, address, self.port) for name, address in self.hosts()])
            self.bases = dict(bases)
            self.bind(self.bases)
            if self.prepare:
                self._server.prepare()
            self._server.serve()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def toml_value(value) -> str:
    """``value`` (bool, int, str or a list of them) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    return "[" + ", ".join(toml_value(v) for v in value) + "]"
