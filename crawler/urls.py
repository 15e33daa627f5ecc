"""URL canonicalization (minimal first version; issue #4 deepens it)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize
from w3lib.url import url_query_cleaner

TRACKING = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
            "fbclid", "gclid")


def canonicalize_url(url: str, canonical_link: str | None = None) -> str:
    """The canonical form of ``url`` (same-site rel=canonical wins)."""
    if canonical_link:
        candidate = urljoin(url, canonical_link)
        if urlsplit(candidate).netloc.lower() == urlsplit(url).netloc.lower():
            url = candidate
    url = url_query_cleaner(url, TRACKING, remove=True)
    url = _w3lib_canonicalize(url, keep_fragments=False)
    if url.endswith("/amp/") or url.endswith("/amp"):
        url = url[: url.rindex("/amp")] + "/"
    return url
