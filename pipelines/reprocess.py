"""Re-run extraction, cleaning, tagging and dedup over the stored WARC captures, offline.

When the extractor or the cleaner improves, the archive is brought up to date from what was
fetched, without the network.  The work is split the way the stages are:

* :func:`process_capture` (pure, picklable, runs in a worker process): read the capture
  at the article's pointer, then ``extract`` -> ``clean`` -> ``tag`` -> dedup fingerprint,
  exactly the functions the crawl's pipelines call, with the source's options, the
  source's learned boilerplate lines and the feed/sitemap hints kept in the WARC metadata
  record.
* :func:`reprocess` (main process): hands articles to a ``ProcessPoolExecutor`` (every
  core; Scrapy's reactor is one thread) and writes the results in id order, in batched
  transactions.  Only articles whose fields changed are written (with their search
  copy); an article whose text changed is re-filed in the near-duplicate index and looked
  up again (an article that is the original of a story stays one: stories are not re-cut
  offline).  A second run therefore changes nothing.

The canonical URL (the article's identity), ``fetched_at`` and ``crawl_run`` are kept, and
so is an article whose topic score falls below the threshold (its score is updated):
reprocessing re-reads, it does not delete.  Learned boilerplate counts are not touched.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsarchive.archive import boilerplate, captures, dedup as archive_dedup, search, store, warc
from newsarchive.archive import warcfiles
from newsarchive.archive.db import open_db
from newsarchive.archive.decoding import BodyTooLarge

from .clean import clean
from .dedup import find_duplicate, fingerprint
from .extract import extract
from .tag import tag

logger = logging.getLogger(__name__)

# the columns reprocessing may change
FIELDS = ("title", "authors", "published", "published_source", "language", "dateline",
          "text", "word_count", "places", "actors", "events", "topic_score", "content_hash")
BATCH = 100  # results per write transaction


# --- worker side (pure) ---------------------------------------------------------------------

def process_capture(task: dict) -> dict:
    """Pure: one article's fields recomputed from its capture.

    ``task``: id, url, path (the WARC file), offset, max_size (the cap on the decoded
    body: ``DOWNLOAD_MAXSIZE``), options (``Source.as_options()``), learned (frozenset of
    learned line keys).  Returns id plus :data:`FIELDS` plus ``signature`` and ``bands``;
    or id and ``error`` (and ``refused``, its reason, for a body over the cap).
    """
    try:
        capture = warc.read_capture(task["path"], task["offset"],
                                    max_size=task.get("max_size"))
        options = task.get("options") or {}
        hints = capture["metadata"].get("hints") or {}
        doc = extract(capture["html"], task["url"], options, hints)
        doc = clean(doc, options, task.get("learned") or frozenset())
        tags = tag(doc.get("title") or "", doc.get("text") or "", doc.get("language"))
        fp = fingerprint(doc.get("text") or "")
    except BodyTooLarge as exc:  # a decompression bomb: never unpacked past the cap
        return {"id": task["id"], "refused": "maxsize", "error": str(exc)}
    except Exception as exc:  # a broken capture must not stop the run
        return {"id": task["id"], "error": f"{type(exc).__name__}: {exc}"}
    out = {"id": task["id"], "signature": fp["signature"], "bands": fp["bands"],
           "content_hash": fp["content_hash"]}
    for key in FIELDS:
        if key in doc:
            out[key] = doc[key]
        elif key in tags:
            out[key] = tags[key]
    return out


# --- main process -----------------------------------------------------------------------------

def _comparable(record: dict) -> dict:
    row = store.article_row(record)
    return {k: row[k] for k in FIELDS}


def _parsed(row: dict) -> dict:
    """An ``articles`` row with its JSON columns as lists."""
    out = dict(row)
    for col in store.JSON_COLUMNS:
        value = out.get(col)
        if isinstance(value, str):
            try:
                out[col] = json.loads(value)
            except ValueError:
                out[col] = []
    return out


WARM_PAGE = ("<html><head><title>Warm up</title></head><body><article><h1>Warm up</h1>"
             "<p>Aid convoys reached Idlib and Aleppo on Monday, officials said.</p>"
             "</article></body></html>")


def warm_up() -> None:
    """Load the stages' data (gazetteer tries, trafilatura, parsers) in this process, so
    forked workers share it instead of each loading its own."""
    doc = clean(extract(WARM_PAGE, "http://example.org/warm-up"))
    tag(doc.get("title") or "", doc.get("text") or "", "en")
    fingerprint(doc.get("text") or "")


def _pool(workers: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    # fork: workers start at once with the stages' data already loaded in the parent
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _apply(db, result: dict, counts: dict) -> None:
    """Write one result (caller holds the transaction)."""
    article_id = result["id"]
    row, indexed, is_original = captures.reprocess_state(db, article_id)
    if row is None:  # deleted meanwhile
        return
    existing = _parsed(row)
    record = {**existing, **{k: result[k] for k in FIELDS if k in result}}
    text_changed = existing.get("content_hash") != result["content_hash"]
    if text_changed or not indexed:
        fp = {"content_hash": result["content_hash"], "signature": result["signature"],
              "bands": result["bands"]}
        match = find_duplicate(db, record.get("text") or "", fp, exclude_id=article_id)
        root = match["id"] if match and match["id"] != article_id else None
        if is_original:  # stories are not re-cut offline: an original stays one
            root = None
        record["duplicate_of"] = root
        archive_dedup.reindex_article(db, article_id, {
            **fp, "kind": match["kind"] if root else None,
            "similarity": match["similarity"] if root else None})
        if root != existing.get("duplicate_of"):
            counts["restoried"] += 1
    if _comparable(record) == _comparable(existing) and \
            record.get("duplicate_of") == existing.get("duplicate_of"):
        counts["unchanged"] += 1
        return
    store.update_article(db, article_id, record)
    search.index_articles(db, [article_id])  # the search copy follows the new text
    counts["changed"] += 1


def reprocess(db_path: str | Path, sources_path: str | Path | None = None,
              source: str | None = None, since: str | None = None, workers: int | None = None,
              progress=None, settings=None, ids=None) -> dict:
    """Re-run the stages over the captures of ``db_path``'s articles (``source``: one
    source; ``since``: fetched on or after this ISO date).  ``workers``: processes
    (default: every core; 1 runs in this process).  ``progress(n)`` is called as results
    come in.  Returns counts: articles, changed, unchanged, restoried (duplicate_of
    changed), failed, refused (captures whose body passes ``DOWNLOAD_MAXSIZE`` decoded,
    by reason in ``reasons``), seconds, pages_per_s.
    """
    from newsarchive.crawler.run import project_settings
    from newsarchive.crawler.sources import load_sources

    settings = settings or project_settings()
    workers = workers or os.cpu_count() or 1
    db = open_db(db_path)
    counts = {"articles": 0, "changed": 0, "unchanged": 0, "restoried": 0, "failed": 0,
              "refused": 0, "reasons": {}}
    started = time.perf_counter()
    try:
        options = {}
        if sources_path and Path(sources_path).exists():
            options = {s.name: s.as_options() for s in load_sources(sources_path)}
        rows = captures.captured_articles(db, source=source, since=since, ids=ids)
        counts["articles"] = len(rows)
        learned = {}
        for name in {r["source"] for r in rows}:
            learned[name] = boilerplate.learned_keys(
                db, name, settings.getint("NEWSARCHIVE_LEARN_MIN_ARTICLES", 20),
                settings.getfloat("NEWSARCHIVE_LEARN_SHARE", 0.3))
        tasks = [{"id": r["id"], "url": r["url"],
                  "path": str(warcfiles.resolve(db_path, r["warc_file"])),
                  "offset": r["warc_offset"],
                  "max_size": settings.getint("DOWNLOAD_MAXSIZE") or None,
                  "options": options.get(r["source"], {"name": r["source"]}),
                  "learned": learned.get(r["source"], frozenset())} for r in rows]
        if workers <= 1 or len(tasks) <= 1:
            results = map(process_capture, tasks)
            pool = None
        else:
            warm_up()
            pool = _pool(workers)
            chunk = max(1, min(16, len(tasks) // (workers * 8) or 1))
            results = pool.map(process_capture, tasks, chunksize=chunk)
        try:
            batch = []
            for result in results:
                batch.append(result)
                if len(batch) >= BATCH:
                    _write(db, batch, counts)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                _write(db, batch, counts)
                if progress:
                    progress(len(batch))
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    finally:
        db.close()
    counts["seconds"] = round(time.perf_counter() - started, 3)
    counts["pages_per_s"] = round(counts["articles"] / counts["seconds"], 2) \
        if counts["seconds"] else 0.0
    return counts


def _write(db, batch: list[dict], counts: dict) -> None:
    with db.atomic():
        for result in batch:
            if "refused" in result:
                counts["refused"] += 1
                reasons = counts["reasons"]
                reasons[result["refused"]] = reasons.get(result["refused"], 0) + 1
                logger.warning("article %s: its capture is refused (%s); the row is kept as "
                               "it is", result["id"], result["error"])
                continue
            if "error" in result:
                counts["failed"] += 1
                logger.warning("article %s: cannot reprocess its capture (%s)", result["id"],
                               result["error"])
                continue
            _apply(db, result, counts)
