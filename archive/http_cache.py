"""HTTP validators (ETag / Last-Modified) of pages re-fetched every run, and re-visit times.

Feeds, sitemaps and listing pages are fetched on every run; when their server sent an
``ETag`` or ``Last-Modified``, the next run asks with ``If-None-Match`` /
``If-Modified-Since`` and a ``304 Not Modified`` costs no body.  The crawler stores
validators only after every link found on the page has been handled, so a 304 never hides
an article that an interrupted run did not get to.
"""

from __future__ import annotations

from .store import utcnow


def validators(db, url: str) -> dict | None:
    """``{"etag", "last_modified", "checked"}`` stored for ``url``, or None."""
    rows = list(db.query(
        "select etag, last_modified, checked from http_cache where url = ?", [url]))
    return rows[0] if rows else None


def save_validators(db, url: str, etag: str | None, last_modified: str | None,
                    run_id: int | None) -> None:
    db.execute(
        "insert into http_cache (url, etag, last_modified, checked, crawl_run) "
        "values (?, ?, ?, ?, ?) on conflict(url) do update set etag = excluded.etag, "
        "last_modified = excluded.last_modified, checked = excluded.checked, "
        "crawl_run = excluded.crawl_run",
        [url, etag, last_modified, utcnow(), run_id],
    )


def forget(db, urls) -> None:
    """Drop the validators of ``urls`` (their page must be fetched in full next time)."""
    urls = list(urls)
    for i in range(0, len(urls), 500):
        chunk = urls[i:i + 500]
        db.execute(f"delete from http_cache where url in ({', '.join('?' for _ in chunk)})",
                   chunk)


def last_judged(db, canonical_url: str) -> tuple[str, str] | None:
    """``(outcome, when)`` of the last time the crawler judged ``canonical_url``, or None.

    ``when`` is the later of the ``seen_urls`` time and the last re-visit of the URL
    (a re-visit that found the same text does not touch ``seen_urls``).  An alias (the
    canonical form of a link to an article whose rel=canonical differs) counts as the
    article's own URL.
    """
    rows = list(db.query(
        "select s.outcome, max(s.last_seen, coalesce(h.checked, '')) as last "
        "from seen_urls s left join http_cache h on h.url = s.canonical_url "
        "where s.canonical_url = coalesce("
        "(select canonical_url from url_aliases where url = :url), :url)",
        {"url": canonical_url}))
    return (rows[0]["outcome"], rows[0]["last"]) if rows else None


def add_aliases(db, aliases, canonical_url: str, run_id: int | None) -> int:
    """Record ``aliases`` (canonical forms of other URLs) of a judged ``canonical_url``.

    Returns how many were new.  Only for URLs the archive has judged (``seen_urls``).
    """
    aliases = [a for a in aliases if a and a != canonical_url]
    if not aliases or not list(db.query(
            "select 1 from seen_urls where canonical_url = ?", [canonical_url])):
        return 0
    added = 0
    for alias in aliases:
        cursor = db.execute(
            "insert into url_aliases (url, canonical_url, crawl_run) values (?, ?, ?) "
            "on conflict(url) do update set canonical_url = excluded.canonical_url, "
            "crawl_run = excluded.crawl_run", [alias, canonical_url, run_id])
        added += cursor.rowcount
    return added


def mark_visited(db, canonical_url: str, run_id: int | None) -> None:
    """Remember when an archived article was re-visited (for its source's re-visit window)."""
    db.execute(
        "insert into http_cache (url, checked, crawl_run) values (?, ?, ?) "
        "on conflict(url) do update set checked = excluded.checked, "
        "crawl_run = excluded.crawl_run",
        [canonical_url, utcnow(), run_id],
    )
