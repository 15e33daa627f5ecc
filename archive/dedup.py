"""De-duplication index and article versions: all the SQL of issue #4.

Tables (migration ``m006_dedup``):

- ``dedup_signatures`` one row per indexed article: its MinHash signature and the LSH band
  keys it was filed under (so re-indexing an updated article deletes exactly its rows), how
  it was matched (``kind``: exact-duplicate / near-duplicate) and the similarity.
- ``dedup_bands`` (key, article_id), a WITHOUT ROWID table whose primary key is the index:
  finding the candidates of a new article is one ``key IN (...)`` range look-up per band,
  never a scan, whatever the size of the archive.
- ``article_versions`` earlier texts of an article whose URL served changed text.
- ``stories`` view: one row per story (an article and its copies) with its outlets.
- ``dedup_backfill`` (``m010``): the id range of articles archived before the index
  existed (or, after ``m016``, before the fingerprint last changed), which the store stage
  and ``reprocess`` index again at their start.

Writers run inside the caller's transaction (``with db.atomic():``) together with the
article row, so an index row never exists without its article or the other way round.
"""

from __future__ import annotations

import struct
from datetime import datetime, timezone

_KEY_BATCH = 200  # host parameters per "IN (...)" (SQLite allows 32766)


def _utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def pack_keys(keys: list[int]) -> bytes:
    return struct.pack(f"<{len(keys)}q", *keys)


def unpack_keys(blob: bytes | None) -> list[int]:
    if not blob:
        return []
    return list(struct.unpack(f"<{len(blob) // 8}q", blob))


# --- look-ups -------------------------------------------------------------------------------

def find_by_hash(db, content_hash: str, exclude_id: int | None = None,
                 after_id: int = 0) -> int | None:
    """The story root of the first article with this content hash (and an id above
    ``after_id``), or None."""
    row = db.execute(
        "select id, duplicate_of from articles where content_hash = ? and id != ? "
        "and id > ? order by id limit 1",
        [content_hash, exclude_id if exclude_id is not None else -1, after_id],
    ).fetchone()
    if row is None:
        return None
    return row[1] or row[0]


def last_article_id(db) -> int:
    """The highest article id (0 when empty): where a look-up's view of the archive ends."""
    return db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]


def find_candidates(db, keys: list[int], limit: int = 20,
                    exclude_id: int | None = None, after_id: int = 0) -> list[tuple[int, int]]:
    """Articles sharing at least one LSH band key: ``[(article_id, shared_bands)]``,
    most shared first, at most ``limit``; only ids above ``after_id`` if given."""
    if not keys:
        return []
    placeholders = ", ".join("?" for _ in keys)
    rows = db.execute(
        f"select article_id, count(*) as n from dedup_bands where key in ({placeholders}) "
        "and article_id != ? and article_id > ? group by article_id "
        "order by n desc, article_id limit ?",
        [*keys, exclude_id if exclude_id is not None else -1, after_id, limit],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def load_candidates(db, ids: list[int]) -> list[dict]:
    """id, duplicate_of, text and signature of the given articles (by primary key)."""
    if not ids:
        return []
    placeholders = ", ".join("?" for _ in ids)
    cursor = db.execute(
        "select a.id, a.duplicate_of, a.text, s.signature from articles a "
        f"join dedup_signatures s on s.article_id = a.id where a.id in ({placeholders}) "
        "order by a.id",
        list(ids),
    )
    return [dict(zip(("id", "duplicate_of", "text", "signature"), r)) for r in cursor]


# --- writes (caller holds the transaction) ---------------------------------------------------

def index_article(db, article_id: int, dedup: dict) -> None:
    """File an article under its LSH band keys and keep its signature."""
    if not dedup.get("signature"):
        return
    keys = list(dedup.get("bands") or [])
    db.execute(
        "insert into dedup_signatures (article_id, signature, band_keys, kind, similarity) "
        "values (?, ?, ?, ?, ?)",
        [article_id, dedup.get("signature"), pack_keys(keys), dedup.get("kind"),
         dedup.get("similarity")],
    )
    db.conn.executemany(
        "insert or ignore into dedup_bands (key, article_id) values (?, ?)",
        [(k, article_id) for k in keys],
    )


def unindex_article(db, article_id: int) -> None:
    """Remove an article's band rows (by primary key, from its recorded keys) and signature."""
    row = db.execute("select band_keys from dedup_signatures where article_id = ?",
                     [article_id]).fetchone()
    if row is None:
        return
    db.conn.executemany("delete from dedup_bands where key = ? and article_id = ?",
                        [(k, article_id) for k in unpack_keys(row[0])])
    db.execute("delete from dedup_signatures where article_id = ?", [article_id])


def reindex_article(db, article_id: int, dedup: dict) -> None:
    """Replace an article's index rows after its text changed."""
    old = db.execute("select kind, similarity from dedup_signatures where article_id = ?",
                     [article_id]).fetchone()
    unindex_article(db, article_id)
    if old is not None and not dedup.get("kind"):
        dedup = {**dedup, "kind": old[0], "similarity": old[1]}
    index_article(db, article_id, dedup)


def bulk_index(db, rows) -> None:
    """Index many articles at once: ``rows`` of (article_id, signature, keys, kind, sim).
    For back-fills and benchmarks; the caller holds the transaction."""
    rows = list(rows)
    db.conn.executemany(
        "insert into dedup_signatures (article_id, signature, band_keys, kind, similarity) "
        "values (?, ?, ?, ?, ?)",
        [(a, s, pack_keys(k), kind, sim) for a, s, k, kind, sim in rows],
    )
    db.conn.executemany(
        "insert or ignore into dedup_bands (key, article_id) values (?, ?)",
        sorted((k, a) for a, _, keys, _, _ in rows for k in keys),
    )


# --- back-fill of articles archived before the index existed ---------------------------------

def backfill_pending(db, limit: int = 500) -> list[tuple[int, str]]:
    """The next articles (id, text) that predate the index, by primary key range."""
    row = db.execute("select next_id, below_id from dedup_backfill where id = 1").fetchone()
    if row is None or row[0] >= row[1]:
        return []
    return [(r[0], r[1] or "") for r in db.execute(
        "select id, text from articles where id >= ? and id < ? order by id limit ?",
        [row[0], row[1], limit])]


def backfill_record(db, done: list[tuple[int, str, dict]], next_id: int) -> None:
    """Index back-filled articles ``(id, content_hash, dedup)`` (an article indexed before
    keeps how it was matched), refresh their content hash and move the back-fill on to
    ``next_id`` -- in one transaction."""
    with db.atomic():
        for article_id, content_hash, dedup in done:
            reindex_article(db, article_id, dedup)
            db.execute("update articles set content_hash = ? where id = ?",
                       [content_hash, article_id])
        db.execute("update dedup_backfill set next_id = max(next_id, ?) where id = 1",
                   [next_id])


def save_version(db, article: dict, replaced_at: str | None = None) -> int:
    """Keep the archived text of ``article`` (an ``articles`` row) before it is replaced."""
    cursor = db.execute(
        "insert into article_versions (article_id, url, title, text, content_hash, "
        "word_count, fetched_at, replaced_at, crawl_run) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [article["id"], article.get("url"), article.get("title"), article.get("text"),
         article.get("content_hash"), article.get("word_count"), article.get("fetched_at"),
         replaced_at or _utcnow(), article.get("crawl_run")],
    )
    return cursor.lastrowid


def versions(db, article_id: int) -> list[dict]:
    """Earlier texts of an article, oldest first."""
    return list(db.query(
        "select * from article_versions where article_id = ? order by fetched_at, id",
        [article_id]))


def story(db, article_id: int) -> list[dict]:
    """All archived copies of the story ``article_id`` belongs to, first archived first."""
    row = db.execute("select coalesce(duplicate_of, id) from articles where id = ?",
                     [article_id]).fetchone()
    if row is None:
        return []
    return list(db.query(
        "select id, source, url, title, fetched_at, duplicate_of from articles "
        "where id = ? or duplicate_of = ? order by id", [row[0], row[0]]))


def published_of(db, article_id: int) -> str | None:
    row = db.execute("select published from articles where id = ?", [article_id]).fetchone()
    return row[0] if row else None


def set_match(db, article_id: int, kind: str | None, similarity: float | None) -> None:
    """Record how an article matched its story's original (caller holds the transaction)."""
    db.execute("update dedup_signatures set kind = ?, similarity = ? where article_id = ?",
               [kind, similarity, article_id])


def promote(db, new_root: int, old_root: int) -> list[int]:
    """Make ``new_root`` the original of ``old_root``'s story; return the ids re-pointed.

    Used when a copy that was published earlier than the archived original arrives later:
    the story's original is the earliest published version, whatever the fetch order.
    """
    ids = [r[0] for r in db.execute(
        "select id from articles where id = ? or duplicate_of = ?", [old_root, old_root])]
    db.execute("update articles set duplicate_of = ? where id = ? or duplicate_of = ?",
               [new_root, old_root, old_root])
    return ids
