"""What the distributed writer (``newsarchive ingest``) needs from the archive beyond
article writes: every URL the archive has judged, to share with the workers through Redis."""

from __future__ import annotations


def seen_entries(db):
    """``(url, outcome, when)`` for every judged canonical URL and every alias of one
    (the same answer :func:`archive.http_cache.last_judged` gives for that URL)."""
    yield from ((r["url"], r["outcome"], r["last"]) for r in db.query(
        "select s.canonical_url as url, s.outcome, "
        "max(s.last_seen, coalesce(h.checked, '')) as last "
        "from seen_urls s left join http_cache h on h.url = s.canonical_url "
        "union all "
        "select a.url, s.outcome, s.last_seen from url_aliases a "
        "join seen_urls s on s.canonical_url = a.canonical_url"))
