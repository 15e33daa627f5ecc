"""Schema of the archive, as sqlite-utils migrations applied in order on every open.

Add a migration at the end to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("newsarchive")


@migrations(name="m001_initial")
def m001_initial(db):
    db["crawl_runs"].create(
        {
            "id": int,
            "started": str,  # ISO 8601 UTC
            "finished": str,
            "status": str,  # running / ok / degraded / failed / interrupted
            "message": str,
            "sources_file": str,
            "pid": int,
            "stored": int,  # counts by outcome
            "duplicate": int,
            "off_topic": int,
            "not_article": int,
            "failed": int,
            "reasons": str,  # JSON object: reason -> count
            "per_source": str,  # JSON object: source -> {outcome: count}
        },
        pk="id",
        not_null={"started", "status"},
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "canonical_url": str,
            "source": str,
            "title": str,
            "authors": str,  # JSON array
            "published": str,  # ISO 8601
            "published_source": str,
            "language": str,
            "dateline": str,
            "text": str,
            "word_count": int,
            "places": str,  # JSON array of canonical place names
            "actors": str,  # JSON array
            "events": str,  # JSON array
            "topic_score": float,
            "content_hash": str,
            "duplicate_of": int,
            "crawl_run": int,
            "fetched_at": str,
        },
        pk="id",
        not_null={"url", "canonical_url", "source", "text", "fetched_at"},
        foreign_keys=[("duplicate_of", "articles", "id"), ("crawl_run", "crawl_runs", "id")],
    )
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["source", "published"])
    db["articles"].create_index(["published"])
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["duplicate_of"])
    # Every URL the crawler has judged, stored or not (off-topic, not an article...),
    # so later runs need not fetch it again.
    db["seen_urls"].create(
        {
            "canonical_url": str,
            "source": str,
            "outcome": str,  # stored / duplicate / off-topic / not-article
            "first_seen": str,
            "last_seen": str,
            "crawl_run": int,
        },
        pk="canonical_url",
    )
