"""The pointers from ``articles`` and ``pages`` rows to their captures in WARC files, and what
``reprocess`` reads through them.

A pointer (``articles.warc_file``, ``warc_offset``, ``warc_length``, ``warc_digest``) names
the response record of the article's capture (:mod:`archive.warc`) in one of the
archive's WARC files (:mod:`archive.warcfiles`).
"""

from __future__ import annotations

from .warcfiles import OPEN, resolve

POINTER_COLUMNS = ("warc_file", "warc_offset", "warc_length", "warc_digest")


def link_article(db, article_id: int, pointer: dict | None) -> None:
    """Point an article at its capture.  Caller holds the transaction."""
    if not pointer or not pointer.get("warc_file"):
        return
    db.execute(
        "update articles set warc_file = ?, warc_offset = ?, warc_length = ?, "
        "warc_digest = ? where id = ?",
        [*(pointer.get(c) for c in POINTER_COLUMNS), article_id],
    )


# the tables whose rows point at captures
POINTER_TABLES = ("articles", "pages")


def move_pointers(db, old: str, new: str | None) -> int:
    """Re-point every row (articles, pages) naming WARC file ``old`` at ``new`` (None:
    clear them)."""
    changed = 0
    with db.atomic():
        for table in POINTER_TABLES:
            if new is None:
                cursor = db.execute(
                    f"update {table} set warc_file = null, warc_offset = null, "
                    "warc_length = null, warc_digest = null where warc_file = ?", [old])
            else:
                cursor = db.execute(f"update {table} set warc_file = ? where warc_file = ?",
                                    [new, old])
            changed += cursor.rowcount
    return changed


def repair_pointers(db, db_path) -> int:
    """Pointers naming a ``.open`` file that is gone: moved to its final name if that
    exists, else cleared.  Returns how many rows changed."""
    changed = 0
    names = sorted({r[0] for table in POINTER_TABLES for r in db.execute(
        f"select distinct warc_file from {table} where warc_file like ?", [f"%{OPEN}"])})
    for name in names:
        if resolve(db_path, name).exists():
            continue
        final = name[: -len(OPEN)]
        changed += move_pointers(db, name, final if resolve(db_path, final).exists() else None)
    return changed


def captured_articles(db, source: str | None = None, since: str | None = None,
                      ids=None) -> list[dict]:
    """Articles with a capture: id, url, source, pointer, in id order (for reprocess).

    ``since``: fetched on or after; ``ids``: only these (any number: asked in chunks)."""
    sql = ("select id, url, source, fetched_at, warc_file, warc_offset, warc_length "
           "from articles where warc_file is not null")
    params: list = []
    if source:
        sql += " and source = ?"
        params.append(source)
    if since:
        sql += " and fetched_at >= ?"
        params.append(since)
    if ids is None:
        return list(db.query(sql + " order by id", params))
    ids = sorted(set(ids))
    rows: list[dict] = []
    for start in range(0, len(ids), 500):  # below SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        rows += db.query(sql + f" and id in ({', '.join('?' for _ in chunk)}) order by id",
                         params + chunk)
    return rows


def reprocess_state(db, article_id: int) -> tuple[dict | None, bool, bool]:
    """For reprocess: the article row, whether it is in the near-duplicate index, and
    whether other articles are filed as copies of it (it is a story's original)."""
    cursor = db.execute("select * from articles where id = ?", [article_id])
    row = cursor.fetchone()
    if row is None:
        return None, False, False
    article = dict(zip([d[0] for d in cursor.description], row))
    indexed = db.execute("select 1 from dedup_signatures where article_id = ?",
                         [article_id]).fetchone() is not None
    original = db.execute("select 1 from articles where duplicate_of = ? limit 1",
                          [article_id]).fetchone() is not None
    return article, indexed, original
