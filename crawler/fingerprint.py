"""Request fingerprints over canonical URLs.

Scrapy's duplicate filter then treats ``/story?utm_source=rss``, ``/story/amp/`` and
``/story`` as one request, so an article reached from a feed, a sitemap and a listing page
is downloaded once.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from scrapy.utils.request import fingerprint

from newsarchive.pipelines.urls import canonicalize_url


class CanonicalUrlFingerprinter:
    def __init__(self):
        self._cache: WeakKeyDictionary = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def fingerprint(self, request) -> bytes:
        cached = self._cache.get(request)
        if cached is None:
            try:
                url = canonicalize_url(request.url)
            except ValueError:
                url = request.url
            cached = fingerprint(request.replace(url=url) if url != request.url else request)
            self._cache[request] = cached
        return cached
