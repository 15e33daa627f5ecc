"""Downloader middlewares that keep unattended crawls safe, polite and incremental.

Each request passes, in order (priorities in ``crawler/settings.py``):

* :mod:`.guard` - only http(s), only the configured sources' hosts, never a private,
  loopback, link-local or multicast address that is not a configured source (redirect
  targets included, checked before connecting);
* :mod:`.traps` - spider traps: endless calendars, repeated path segments, very long URLs,
  query-string explosions;
* :mod:`.incremental` - articles already archived are not fetched again (unless their
  source's re-visit window has passed); feeds, sitemaps and listing pages are fetched
  with ``If-None-Match`` / ``If-Modified-Since``;
* :mod:`.robots` - robots.txt, with a host whose robots.txt answers 5xx (or cannot be
  fetched) treated as disallowed for the run, as RFC 9309 says;
* :mod:`.retry` - retries that honour ``Retry-After`` (within a cap) and back off on 429;
* :mod:`.bodies` - what came back: empty bodies, PDFs and images labelled text/html, binary
  garbage, NUL bytes, and wrongly labelled or unlabelled character sets.

A request refused or a response rejected raises :class:`Refused` (an ``IgnoreRequest``
with a reason); the spider's errback logs one line and counts the reason
(:func:`.faults.record`), so every fault ends up in the ``crawl_runs`` row.
"""

from .faults import Refused  # noqa: F401
