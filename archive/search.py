"""Full-text search, the SQLite side: storing an article's search forms and running queries.

What the forms are and what a query means is ``pipelines/fulltext.py`` (this module knows
no text processing): callers pass the forms builder (``pipelines.fulltext.search_forms``)
and already-built FTS5 MATCH expressions (``pipelines.fulltext.match_expression``, whose
``lookup`` is :func:`terms_for`).

    articles            the real rows (written by archive/store.py)
    articles_search     id, title, text: folded copies (hidden in Datasette)
    articles_search_fts FTS5 over articles_search (sqlite-utils ``enable_fts``, kept in
                        sync with articles_search by sqlite-utils' triggers)
    search_terms        (stem, term): every indexed word under each of its stems, so a
                        query word can be expanded to the words sharing its stem

Keeping the index current:

* ``index_article(db, id, forms)`` indexes one article from forms made beforehand (the
  store stage, in its transaction); ``index_articles(db, forms_of, ids)`` (re)indexes the
  given articles, or all of them;
* triggers on ``articles`` (migration m002_search) drop an article's search row when the
  article is deleted or its title/text change, so it shows up as *pending*;
* ``index_pending(db, forms_of)`` indexes whatever is pending; ``newsarchive serve``,
  ``publish-snapshot``, ``search`` and ``export --search`` call it, so an archive written
  by an older crawler (or emptied by a migration of the index) still searches.

Words of deleted articles stay in ``search_terms``: harmless, a query expanded to a word
that is no longer indexed matches nothing more.
"""

from __future__ import annotations

from typing import Callable, Iterable

SEARCH_TABLE = "articles_search"
FTS_TABLE = "articles_search_fts"
TERMS_TABLE = "search_terms"
TOKENIZE = "unicode61 remove_diacritics 2"
BATCH = 500
# bm25 weights of the indexed columns (title, text): a word in the headline counts more
RANK = f"bm25({FTS_TABLE}, 3.0, 1.0)"


def _chunks(ids: list, size: int = BATCH):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def index_article(db, article_id: int, forms) -> None:
    """Index one article from its forms: (folded title, folded text, (stem, term) pairs)
    as ``pipelines.fulltext.search_forms`` makes them from the title and text it was just
    written with (a tuple or, after a trip through JSON, a list).  The caller holds the
    transaction."""
    title, text, terms = forms
    db.execute(f"delete from {SEARCH_TABLE} where id = ?", [article_id])
    db.execute(f"insert into {SEARCH_TABLE} (id, title, text) values (?, ?, ?)",
               [article_id, title, text])
    db.conn.executemany(f"insert or ignore into {TERMS_TABLE} (stem, term) values (?, ?)",
                        terms)


def index_articles(db, forms_of: Callable, ids: Iterable[int] | None = None) -> int:
    """(Re)index the given article ids, or every article when ``ids`` is None.

    ``forms_of(title, text)`` makes an article's forms.  Returns how many articles were
    indexed.  Safe to call inside or outside a transaction; ids that no longer exist are
    removed from the index.
    """
    if ids is None:
        with db.atomic():
            db.execute(f"delete from {SEARCH_TABLE}")
        ids = [row[0] for row in db.execute("select id from articles order by id")]
    else:
        ids = [int(i) for i in ids]
    count = 0
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        rows = db.execute(
            f"select id, title, text from articles where id in ({marks})", chunk
        ).fetchall()
        with db.atomic():
            db.execute(f"delete from {SEARCH_TABLE} where id in ({marks})", chunk)
            for article_id, title, text in rows:
                index_article(db, article_id, forms_of(title, text))
        count += len(rows)
    return count


def pending_ids(db) -> list[int]:
    """Articles not (or no longer) in the search index."""
    return [
        row[0]
        for row in db.execute(
            f"select id from articles where id not in (select id from {SEARCH_TABLE}) "
            "order by id"
        )
    ]


def index_pending(db, forms_of: Callable) -> int:
    """Index every article that is not indexed yet; returns how many."""
    return index_articles(db, forms_of, pending_ids(db))


def terms_for(db, stems: Iterable[str]) -> list[tuple[str, str]]:
    """(stem, term) pairs of the indexed words filed under any of ``stems``.

    ``db``: a sqlite-utils Database or a plain sqlite3 connection (the Datasette plugin's).
    """
    stems = list(dict.fromkeys(stems))
    found: list[tuple[str, str]] = []
    for chunk in _chunks(stems):
        marks = ", ".join("?" for _ in chunk)
        found += db.execute(
            f"select stem, term from {TERMS_TABLE} where stem in ({marks})", chunk
        ).fetchall()
    return found


def search_ids(db, match: str, limit: int | None = None, order: str = "rank") -> list[int]:
    """Ids of the articles matching the FTS5 expression ``match``; ``order``: "rank"
    (best match first) or "date" (newest first)."""
    order_by = RANK if order == "rank" else "articles.published desc, articles.id desc"
    sql = (
        f"select {FTS_TABLE}.rowid from {FTS_TABLE} "
        f"join articles on articles.id = {FTS_TABLE}.rowid "
        f"where {FTS_TABLE} match ? order by {order_by}"
        + (f" limit {int(limit)}" if limit else "")
    )
    return [row[0] for row in db.execute(sql, [match])]


def search(db, match: str, limit: int | None = 20, order: str = "rank") -> list[dict]:
    """The articles matching ``match`` (an FTS5 expression) with a snippet of each, the
    matched words between ⟦ and ⟧; ``order`` as in :func:`search_ids`."""
    order_by = RANK if order == "rank" else "articles.published desc, articles.id desc"
    sql = (
        f"select articles.id, articles.published, articles.source, articles.title, "
        f"snippet({FTS_TABLE}, -1, '⟦', '⟧', ' … ', 24) as snippet, articles.url "
        f"from {FTS_TABLE} join articles on articles.id = {FTS_TABLE}.rowid "
        f"where {FTS_TABLE} match ? order by {order_by}"
        + (f" limit {int(limit)}" if limit else "")
    )
    cursor = db.execute(sql, [match])
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


def count_matches(db, match: str) -> int:
    """How many articles match the FTS5 expression ``match``."""
    return db.execute(
        f"select count(*) from {FTS_TABLE} where {FTS_TABLE} match ?", [match]
    ).fetchone()[0]
