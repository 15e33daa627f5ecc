"""Refuse requests outside the configured sources before anything connects.

Every request, redirect targets included (Scrapy sends a redirect through the downloader
middlewares again), must be http(s) and on a host of a configured source.  Off-site
requests are refused as ``offsite``; a request to a private, loopback, link-local,
multicast or otherwise reserved address (``127.0.0.1``, ``10.x``, ``169.254.169.254``,
``[::1]``, ``localhost``...) that is not a configured source is refused as
``private-address``, so a hostile page or redirect cannot make the crawler probe the
machine or network it runs on.

With ``NEWSARCHIVE_OFFSITE_REDIRECTS = True`` a redirect may leave the source for a public
host (a feed moved to a CDN): the target's name is resolved first and refused if any of
its addresses is not public.  A redirect of a robots.txt (``robots_txt`` in its meta, see
crawler/middlewares/robots.py) may always, on the same terms: RFC 9309 asks crawlers to
follow those across hosts.  With ``NEWSARCHIVE_RESOLVE_SOURCE_HOSTS`` (on by default) a
source's own host *name* is resolved once per run too, and refused if it points at a
private or local address (a lapsed domain taken over, a poisoned resolver); a source
written with an IP address or ``localhost`` is taken as meant.  The check is made before
connecting; a resolver that answers differently a moment later (DNS rebinding) is not
defeated by it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import signals

from .faults import Refused

logger = logging.getLogger(__name__)

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


@lru_cache(maxsize=1024)  # asked for every request; a crawl meets few hosts
def literal_ip(host: str):
    """The address for an IP-literal host (``127.1`` and ``0x7f.1`` included), else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton accepts the short and hex forms browsers and curl accept
        return ipaddress.ip_address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def is_public(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class HostGuardMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_redirects_offsite = crawler.settings.getbool(
            "NEWSARCHIVE_OFFSITE_REDIRECTS")
        self.resolve_sources = crawler.settings.getbool("NEWSARCHIVE_RESOLVE_SOURCE_HOSTS")
        self.hosts: frozenset | None = None
        self._resolved: dict[str, bool] = {}
        self._owners: dict[str, bool] = {}  # host[:port] -> owned by a source

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider):
        hosts = set()
        for source in getattr(spider, "sources", {}).values():
            hosts |= source.all_hosts
        self.hosts = frozenset(hosts)
        self._sources = list(getattr(spider, "sources", {}).values())
        self._owners.clear()

    def _owned(self, url: str, netloc: str) -> bool:
        """True if a source owns ``url``; :meth:`Source.owns` reads only the host[:port]
        (``netloc``), so the answer is kept per netloc."""
        key = netloc.lower()
        if key not in self._owners:
            self._owners[key] = any(source.owns(url) for source in self._sources)
        return self._owners[key]

    async def process_request(self, request, spider=None):
        if self.hosts is None:
            self.spider_opened(self.crawler.spider)
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise Refused("scheme", f"{parts.scheme}: URLs are never fetched")
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if self._owned(request.url, parts.netloc):
            if self.resolve_sources and literal_ip(host) is None and not _local_name(host) \
                    and await self._public(host, port) is False:
                raise Refused("private-address", f"{host}, a source's host, resolves to a "
                              f"private or local address (name it by address in the "
                              f"sources file if that is meant)")
            return None
        via = request.meta.get("redirect_urls")
        came = f" (redirected from {via[-1]})" if via else ""
        address = literal_ip(host)
        if (address is not None and not is_public(address)) or _local_name(host):
            raise Refused("private-address",
                          f"{host} is a private or local address outside the sources{came}")
        if via and (self.allow_redirects_offsite or request.meta.get("robots_txt")):
            if await self._public(host, port):
                return None
            raise Refused("private-address", f"{host} resolves to a private or local "
                                             f"address{came}")
        raise Refused("offsite", f"{host} is not a host of any configured source{came}")

    def process_response(self, request, response, spider=None):
        """A redirect to file:, data:, ftp:... is refused, not left as a bare 3xx."""
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = response.headers[b"Location"].decode("latin-1").strip()
            scheme = urlsplit(request.url).scheme if location.startswith("//") \
                else urlsplit(location).scheme.lower()
            if scheme and scheme not in ("http", "https"):
                raise Refused("scheme", f"redirect to a {scheme}: URL refused "
                                        f"({location[:80]})")
        return response

    async def _public(self, host: str, port: int) -> bool | None:
        """True if every address of ``host`` is public, False if one is not, None if the
        name does not resolve (the download then fails on its own, counted as ``dns``)."""
        if host not in self._resolved:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port)
            except OSError:
                infos = []
            addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
            self._resolved[host] = all(is_public(a) for a in addresses) if addresses else None
        return self._resolved[host]


def _local_name(host: str) -> bool:
    return host in LOCAL_NAMES or host.endswith(".localhost")
