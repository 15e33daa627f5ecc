"""Filing an article: the archive's one de-duplication and storage policy, one transaction.

:func:`file_article` is called for every article that is to be kept -- by the crawl's
store stage, the distributed writer (``newsarchive ingest``), ``import-warc`` and
``reprocess`` -- and decides, inside one transaction, with nothing in between:

1. **Same canonical URL already archived?**  The same text: nothing is written
   (``same-url``).  Changed text: the article is updated in place, its earlier text kept
   in ``article_versions``, and it stays in the story it was filed under (``updated``).
2. **A copy of an archived story?**  Same normalised text under another URL (the content
   hash), else a near-duplicate: LSH band keys (``archive/dedup.py``) give candidates,
   each verified on the texts.  A copy is stored too, with ``duplicate_of`` pointing at
   the story's original (its own outlet, headline and time are provenance).
3. **Which version is the original?**  The earliest published: a copy published before
   the archived original takes its place, and the story's rows are re-pointed at it.
4. The row, its capture pointer, its near-duplicate index rows, its search row, its
   incidents (``archive/incidents.py``) and its ``seen_urls`` mark are written together.

The archive knows no text processing: the caller passes a ``matcher`` with the text side
of de-duplication (``pipelines.dedup`` itself: ``content_hash``, ``shingles``,
``compare``, ``estimated_jaccard``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import captures, dedup, incidents as archive_incidents, search, store

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 20  # near-duplicate candidates verified per look-up, best band overlap first
MIN_ESTIMATED_JACCARD = 0.2  # a candidate whose signature agrees less is not verified


@dataclass
class Filed:
    """What :func:`file_article` did with an article."""

    outcome: str  # "stored", "duplicate" (a copy of a story), or "same-url" (not written)
    reason: str | None = None  # "updated", "exact-duplicate", "near-duplicate"
    id: int | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
    # an earlier original this article replaced as its story's original, and the rows
    # re-pointed at it
    demoted: int | None = None
    repointed: list = field(default_factory=list)


def _earlier(a: str | None, b: str | None) -> bool:
    """True if ISO date ``a`` is a strictly earlier day-and-time than ``b`` (both known)."""
    if not a or not b:
        return False

    def parse(value):
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)

    try:
        return parse(a) < parse(b)
    except ValueError:
        return False


def find_duplicate(db, text: str, fingerprint: dict, matcher, exclude_id: int | None = None,
                   after_id: int = 0) -> dict | None:
    """The archived story ``text`` is a copy of, as ``{"id", "kind", "similarity"}``.

    ``id`` is the story's original (the root ``duplicate_of`` points at).  Reads the
    archive only through indexed look-ups (content hash, LSH band keys, ids).
    ``after_id``: look only at articles archived after that one.
    """
    exact = dedup.find_by_hash(db, fingerprint["content_hash"], exclude_id=exclude_id,
                               after_id=after_id)
    if exact is not None:
        return {"id": exact, "kind": "exact-duplicate", "similarity": 1.0}
    candidates = dedup.find_candidates(db, fingerprint.get("bands") or [],
                                       limit=MAX_CANDIDATES, exclude_id=exclude_id,
                                       after_id=after_id)
    if not candidates:
        return None
    own = None  # shingled once, when a candidate passes the signature check
    best = None
    for cand in dedup.load_candidates(db, [c for c, _ in candidates]):
        if matcher.estimated_jaccard(fingerprint["signature"], cand["signature"]) \
                < MIN_ESTIMATED_JACCARD:
            continue
        if own is None:
            own = matcher.shingles(text)
        verdict = matcher.compare(text, cand["text"], own)
        if verdict["duplicate"] and (best is None or verdict["containment"] > best[1]):
            best = (cand["duplicate_of"] or cand["id"], verdict["containment"])
        elif not verdict["duplicate"]:
            logger.debug("candidate %s rejected: %s", cand["id"], verdict["reason"])
    if best is None:
        return None
    return {"id": best[0], "kind": "near-duplicate", "similarity": best[1]}


def _index_row(fingerprint: dict, kind=None, similarity=None) -> dict:
    return {"signature": fingerprint.get("signature"), "bands": fingerprint.get("bands") or [],
            "kind": kind, "similarity": similarity}


def file_article(db, article: dict, fingerprint: dict, matcher, *, run_id: int | None = None,
                 capture: dict | None = None, search_row: tuple | None = None,
                 incidents: list[dict] | None = None) -> Filed:
    """File one article (see the module docstring); returns what was done.

    ``article``: the ``articles`` columns (``archive.store.ARTICLE_COLUMNS``; canonical_url,
    source, text, published... ``duplicate_of`` and ``crawl_run`` are set here).
    ``fingerprint``: content_hash, signature, bands and words of its text
    (``pipelines.dedup.fingerprint``).  ``capture``: the WARC pointer of its capture.
    ``search_row``: its full-text search forms (title, text, forms).  ``incidents``: the
    incidents its text reports (``pipelines.incidents`` dicts; None: left as they are).
    Runs in a transaction of its own, or in a savepoint when the caller holds one (batched
    writes).
    """
    record = dict(article, crawl_run=run_id, content_hash=fingerprint["content_hash"])
    canonical, source = record["canonical_url"], record["source"]
    with db.atomic():
        existing = store.find_by_canonical(db, canonical)
        if existing is not None:
            # (an article archived before the hash was normalised this way is compared on
            # its text, so fetching it again is not taken for an update)
            if fingerprint["content_hash"] in (existing["content_hash"],
                                               matcher.content_hash(existing["text"] or "")):
                return Filed("same-url", id=existing["id"],
                             duplicate_of=existing["duplicate_of"])
            # an update: the earlier text goes to article_versions, the index follows the
            # new text, and the article stays in the story it was filed under
            record["duplicate_of"] = existing["duplicate_of"]
            dedup.save_version(db, existing)
            store.update_article(db, existing["id"], record)
            captures.link_article(db, existing["id"], capture)
            if fingerprint.get("signature"):
                dedup.reindex_article(db, existing["id"], _index_row(fingerprint))
            store.mark_seen(db, canonical, source, "stored", run_id)
            _index_search(db, existing["id"], search_row)
            _store_incidents(db, existing["id"], incidents)
            return Filed("stored", "updated", existing["id"], existing["duplicate_of"])
        match = None
        if fingerprint.get("words"):
            match = find_duplicate(db, record.get("text") or "", fingerprint, matcher)
        kind = match["kind"] if match else None
        similarity = match["similarity"] if match else None
        original = match["id"] if match else None
        # The original of a story is its earliest published version, whatever the fetch
        # order: a copy published before the archived original takes its place.
        demote = None
        if original and _earlier(record.get("published"), dedup.published_of(db, original)):
            demote, original = original, None
        record["duplicate_of"] = original
        outcome = "duplicate" if original else "stored"
        article_id = store.insert_article(db, record)
        captures.link_article(db, article_id, capture)
        if fingerprint.get("signature"):
            # how it matched the story goes with the copy: the demoted original's, when
            # this one takes its place
            dedup.index_article(db, article_id, _index_row(
                fingerprint, None if demote else kind, None if demote else similarity))
        store.mark_seen(db, canonical, source, outcome, run_id)
        repointed = []
        if demote:
            repointed = dedup.promote(db, article_id, demote)
            dedup.set_match(db, demote, kind, similarity)
            store.mark_demoted(db, demote)
        _index_search(db, article_id, search_row)
        _store_incidents(db, article_id, incidents)
    return Filed(outcome, kind if outcome == "duplicate" else None, article_id, original,
                 similarity, demote, repointed)


def refile_article(db, article_id: int, article: dict, fingerprint: dict, matcher,
                   search_row: tuple | None = None, incidents: list[dict] | None = None) -> str:
    """Replace an archived article's fields with ones computed again from its capture
    (``reprocess``), under the same policy, in place: its identity (canonical URL, fetch
    time, run, capture) stays; a changed text is re-filed in the near-duplicate index and
    looked up again, except that an article that is the original of a story stays one
    (stories are not re-cut offline).  ``incidents``: the incidents read again from its
    text, stored in place of its old ones (None: left as they are).  Returns "unchanged",
    "changed" (its fields or its incidents) or "gone"."""
    with db.atomic():
        row, indexed, is_original = captures.reprocess_state(db, article_id)
        if row is None:  # deleted meanwhile
            return "gone"
        existing = store.parse_row(row)
        record = {**existing, **article, "content_hash": fingerprint["content_hash"]}
        text_changed = existing.get("content_hash") != fingerprint["content_hash"]
        if text_changed or not indexed:
            match = find_duplicate(db, record.get("text") or "", fingerprint, matcher,
                                   exclude_id=article_id)
            root = match["id"] if match and match["id"] != article_id else None
            if is_original:
                root = None
            record["duplicate_of"] = root
            dedup.reindex_article(db, article_id, _index_row(
                fingerprint, match["kind"] if root else None,
                match["similarity"] if root else None))
        incidents_changed = incidents is not None and not archive_incidents.same_incidents(
            db, article_id, incidents)
        if incidents_changed:
            archive_incidents.replace_incidents(db, article_id, incidents)
        if store.article_row(record) == store.article_row(existing):
            return "changed" if incidents_changed else "unchanged"
        store.update_article(db, article_id, record)
        _index_search(db, article_id, search_row)
    return "changed"


def _store_incidents(db, article_id: int, incidents: list[dict] | None) -> None:
    if incidents is not None:
        archive_incidents.replace_incidents(db, article_id, incidents)


def _index_search(db, article_id: int, search_row: tuple | None) -> None:
    if search_row is not None:
        search.index_article(db, article_id, search_row)
