"""Full-text search over article titles and texts, with Arabic spelling variants folded.

SQLite's FTS5 tokenizer knows nothing about Arabic orthography: إدلب and ادلب, or a word
with and without its short-vowel marks, are different tokens (worse, the marks split a
word in two).  So the index is built over *normalised* copies of the title and text:

    articles            the real rows (written by archive/store.py)
    articles_search     id, title, text: normalised copies (hidden in Datasette), and
                        forms: Arabic words without their clitics (وإدلب -> ادلب)
    articles_search_fts FTS5 over articles_search (sqlite-utils ``enable_fts``, kept in
                        sync with articles_search by sqlite-utils' triggers)

The normalisation runs in Python (``pipelines.arabic.normalize_arabic``), so it cannot
live in a trigger on ``articles``.  Instead:

* ``index_articles(db, ids)`` (re)indexes the given articles, or all of them; the store
  stage calls it with the id it just wrote;
* triggers on ``articles`` (migration m030_search) drop an article's search row when the
  article is deleted or its title/text change, so it shows up as *pending*;
* ``index_pending(db)`` indexes whatever is pending; ``newsarchive serve`` and
  ``publish-snapshot`` call it, so an archive written by an older crawler still searches.

A query goes through the same ``normalize_query`` before it reaches FTS5: the Datasette
plugin (archive/datasette/plugins) rewrites the search box's ``_search`` parameter, and
registers ``normalize_arabic()`` as a SQL function for canned queries.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

SEARCH_TABLE = "articles_search"
FTS_TABLE = "articles_search_fts"
TOKENIZE = "unicode61 remove_diacritics 2"
BATCH = 500

try:  # the Arabic normaliser belongs to the pipelines (issue #3); guard until it lands
    from newsarchive.pipelines.arabic import normalize_arabic as _pipeline_normalize
except ImportError:  # pragma: no cover - depends on what is installed
    _pipeline_normalize = None
try:
    from newsarchive.pipelines.arabic import prefix_forms as _prefix_forms
except ImportError:  # pragma: no cover
    _prefix_forms = None

_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")

# Fallback used only while pipelines.arabic does not exist: the same foldings.
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel


def _fallback_normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return _MARKS.sub("", text).translate(_ALEFS)


def normalize(text: str | None) -> str:
    """The text as it is indexed: Arabic alef forms, ta marbuta, diacritics and tatweel
    folded; other scripts untouched (FTS5 itself folds Latin case and accents)."""
    if not text:
        return ""
    if _pipeline_normalize is not None:
        return _pipeline_normalize(text)
    return _fallback_normalize(text)


def clitic_forms(normalised: str) -> str:
    """Arabic words of an already normalised text with their attached clitics removed
    (وادلب, بادلب -> ادلب), each once: indexed in the ``forms`` column so a search for a
    bare word also finds it with و ف ب ك ل in front."""
    if _prefix_forms is None or not normalised:
        return ""
    seen: dict[str, None] = {}
    for word in _ARABIC_WORD.findall(normalised):
        for form in _prefix_forms(word)[1:]:
            seen.setdefault(form, None)
    return " ".join(seen)


def normalize_query(query: str | None) -> str:
    """A search term normalised like the index, FTS5 syntax (quotes, AND, *) kept."""
    return normalize(query or "")


def _chunks(ids: list, size: int = BATCH):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def index_articles(db, ids: Iterable[int] | None = None) -> int:
    """(Re)index the given article ids, or every article when ``ids`` is None.

    Returns how many articles were indexed.  Safe to call inside or outside a
    transaction; ids that no longer exist are removed from the index.
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
            db.conn.executemany(
                f"insert into {SEARCH_TABLE} (id, title, text, forms) values (?, ?, ?, ?)",
                [_search_row(row) for row in rows],
            )
        count += len(rows)
    return count


def search_fields(title: str | None, text: str | None) -> tuple[str, str, str]:
    """Pure: an article's search row without its id -- normalised title, normalised text,
    clitic forms.  The analyse stage makes it in a worker, ahead of the store."""
    title, text = normalize(title), normalize(text)
    return (title, text, clitic_forms(f"{title}\n{text}"))


def _search_row(row) -> tuple:
    return (row[0], *search_fields(row[1], row[2]))


def index_article(db, article_id: int, fields: tuple[str, str, str]) -> None:
    """Index one article from its :func:`search_fields`, made from the title and text it
    was just written with (the store stage; the caller holds the transaction)."""
    db.execute(f"delete from {SEARCH_TABLE} where id = ?", [article_id])
    db.execute(f"insert into {SEARCH_TABLE} (id, title, text, forms) values (?, ?, ?, ?)",
               [article_id, *fields])


def pending_ids(db) -> list[int]:
    """Articles not (or no longer) in the search index."""
    return [
        row[0]
        for row in db.execute(
            f"select id from articles where id not in (select id from {SEARCH_TABLE}) "
            "order by id"
        )
    ]


def index_pending(db) -> int:
    """Index every article that is not indexed yet; returns how many."""
    return index_articles(db, pending_ids(db))


def search_ids(db, query: str, limit: int | None = None) -> list[int]:
    """Ids of articles matching ``query`` (FTS5 syntax), best match first."""
    sql = (
        f"select rowid from {FTS_TABLE} where {FTS_TABLE} match ? "
        f"order by rank" + (f" limit {int(limit)}" if limit else "")
    )
    return [row[0] for row in db.execute(sql, [escape_fts(normalize_query(query))])]


def escape_fts(query: str) -> str:
    """Quote each word so user input is never parsed as FTS5 syntax (Datasette's rule)."""
    if query.count('"') % 2:
        query += '"'
    bits = re.split(r'("[^"]*")', query)
    words = []
    for bit in bits:
        if not bit.strip():
            continue
        if bit.startswith('"') and bit.endswith('"'):
            words.append(bit)
        else:
            words.extend(f'"{word}"' for word in bit.split() if word)
    return " ".join(words)
