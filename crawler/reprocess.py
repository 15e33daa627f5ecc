"""Re-read the archive's articles from their WARC captures, offline: ``newsarchive reprocess``.

When the page function improves, the archive is brought up to date from what was fetched,
without the network.  Each article's capture goes through the same
:func:`~newsarchive.pipelines.page.process_page` a crawl uses (with the source's options,
its learned boilerplate lines and the feed/sitemap hints kept in the WARC metadata record),
in the crawl's worker pool (``crawler/pool.py``, every core), and the results are filed
back in id order, in batched transactions, by :func:`archive.filing.refile_article` -- the
archive's one filing policy, in place: only articles whose fields or incidents changed are
written (with their search forms); an article whose text changed is re-filed in the
near-duplicate index and looked up again (an article that is the original of a story stays
one: stories are not re-cut offline).  At the end every stored incident is grouped into
events again.  A second run therefore changes nothing.

The canonical URL (the article's identity), ``fetched_at`` and ``crawl_run`` are kept, and
so is an article whose topic score falls below the threshold (its score is updated):
reprocessing re-reads, it does not delete.  Learned boilerplate counts are not touched.

Then it judges again the pages a crawl did not keep (``pages``: not an article, off-topic,
failed), from their captures, with today's rules and thresholds (``settings``: a looser
``NEWSARCHIVE_TOPIC_THRESHOLD``, say): a page that is now an article is filed like a
crawled one (``file_article``), keeping its first fetch time and capture, in the order
the pages were fetched -- so a crawl that dropped everything, reprocessed with the crawl's
own thresholds, gives the archive a normal crawl would have.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from newsarchive.archive import boilerplate, captures, pages, warc, warcfiles
from newsarchive.archive.db import open_db
from newsarchive.archive.decoding import BodyTooLarge
from newsarchive.archive.filing import file_article, refile_article
from newsarchive.pipelines import dedup
from newsarchive.pipelines.judge import judge
from newsarchive.pipelines.page import process_page
from newsarchive.pipelines.stages.store import dedup_backfill, regroup_events

from .pool import Pool

logger = logging.getLogger(__name__)

# the columns reprocessing may change
FIELDS = ("title", "authors", "published", "published_source", "language", "dateline",
          "text", "word_count", "places", "actors", "events", "topic_score", "credits")
BATCH = 100  # results per write transaction


# --- worker side (pure but for reading the capture) ---------------------------------------

def process_capture(task: dict) -> dict:
    """A page's Page from its capture: ``{"id", "page"}``, or ``{"id", "error"}``.

    ``task``: id (an article id, or a page's URL), url, path (the WARC file), offset,
    max_size (the cap on the decoded body: ``DOWNLOAD_MAXSIZE``), options
    (``Source.as_options()``), learned (frozenset of learned line keys), min_words.  A body
    over the cap: ``{"id", "refused", "error"}``."""
    try:
        capture = warc.read_capture(task["path"], task["offset"],
                                    max_size=task.get("max_size"))
        page = process_page(capture["body"], task["url"],
                            content_type=capture.get("content_type"),
                            options=task.get("options"),
                            hints=capture["metadata"].get("hints") or {},
                            learned=task.get("learned") or frozenset(),
                            min_words=task.get("min_words", 0))
    except BodyTooLarge as exc:  # a decompression bomb: never unpacked past the cap
        return {"id": task["id"], "refused": "maxsize", "error": str(exc)}
    except Exception as exc:  # a broken capture must not stop the run
        return {"id": task["id"], "error": f"{type(exc).__name__}: {exc}"}
    return {"id": task["id"], "page": page}


# --- main process -----------------------------------------------------------------------------

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
            page = result["page"]
            fields = {key: getattr(page, key) for key in FIELDS}
            done = refile_article(
                db, result["id"], fields,
                {"content_hash": page.content_hash, "signature": page.signature,
                 "bands": page.bands, "words": page.shingled_words},
                dedup, search_row=page.search, incidents=page.incidents)
            if done in counts:
                counts[done] += 1


def _rejudge(db, rows: list[dict], results, counts: dict, min_words: int,
             threshold: float, brief_words: int) -> None:
    """File the dropped pages that are articles now; record the others' new judgement."""
    # deferred: pool workers import this module (process_capture): keep it light
    from newsarchive.pipelines.stages.store import article_columns, fingerprint_of

    for row, result in zip(rows, results):
        with db.atomic():
            if isinstance(result, Exception) or "error" in result:
                detail = str(result if isinstance(result, Exception) else result["error"])
                reason = (None if isinstance(result, Exception) else result.get("refused"))
                pages.rejudge(db, row["url"], "failed", reason or "unreadable-capture",
                              detail[:300])
                counts["failed"] += 1
                continue
            page = result["page"]
            verdict = judge(page, min_words, threshold, brief_words)
            if not verdict.kept:
                if (verdict.outcome, verdict.reason) != (row["outcome"], row["reason"]):
                    pages.rejudge(db, row["url"], verdict.outcome, verdict.reason,
                                  verdict.detail)
                    counts["rejudged"] += 1
                continue
            pointer = {col: row[col] for col in captures.POINTER_COLUMNS}
            filed = file_article(db, article_columns(page, row["url"], row["source"],
                                                     row["fetched_at"]),
                                 fingerprint_of(page), dedup, run_id=row["crawl_run"],
                                 capture=pointer, search_row=page.search,
                                 incidents=page.incidents)
            outcome = "duplicate" if filed.outcome == "same-url" else filed.outcome
            pages.rejudge(db, row["url"], outcome, filed.reason or (
                "same-url" if filed.outcome == "same-url" else None), "judged again offline",
                          filed.id, page.canonical_url)
            if filed.outcome != "same-url":
                counts["recovered"] += 1


def reprocess(db_path: str | Path, sources_path: str | Path | None = None,
              source: str | None = None, since: str | None = None, workers: int | None = None,
              progress=None, settings=None, ids=None, dropped: bool = True) -> dict:
    """Re-run the page function over the captures of ``db_path``'s articles (``source``:
    one source; ``since``: fetched on or after this ISO date; ``ids``: these articles),
    then judge again the captured pages that were not kept (``dropped``; of ``source``
    only, when given).  ``workers``: processes (default: every core; 1
    runs in this process).  ``settings``: the thresholds (default: the project's).
    ``progress(n)`` is called as results come in.  Returns counts: articles, changed,
    unchanged, failed, refused (captures whose body passes ``DOWNLOAD_MAXSIZE`` decoded, by
    reason in ``reasons``), pages (dropped pages judged again), recovered (of those, now
    articles), rejudged (still dropped, for another reason), events (incident events after
    grouping every stored incident again), seconds, pages_per_s.
    """
    # deferred: pool workers import this module (process_capture): keep it light
    from .run import project_settings
    # deferred: pool workers import this module (process_capture): keep it light
    from .sources import load_sources

    settings = settings or project_settings()
    workers = workers or os.cpu_count() or 1
    db = open_db(db_path)
    counts = {"articles": 0, "changed": 0, "unchanged": 0, "failed": 0, "refused": 0,
              "reasons": {}, "pages": 0, "recovered": 0, "rejudged": 0}
    started = time.perf_counter()
    pool = None
    try:
        # articles whose fingerprints predate the current one are indexed again first, so
        # the look-ups below compare like with like (as a crawl does when it opens)
        dedup_backfill(db)
        options = {}
        if sources_path and Path(sources_path).exists():
            options = {s.name: s.as_options() for s in load_sources(sources_path)}
        captures.repair_pointers(db, db_path)  # (a killed run's .open names)
        rows = captures.captured_articles(db, source=source, since=since, ids=ids)
        counts["articles"] = len(rows)
        learned = {}

        def _learned(name):
            if name not in learned:
                learned[name] = boilerplate.learned_keys(
                    db, name, settings.getint("NEWSARCHIVE_LEARN_MIN_ARTICLES"),
                    settings.getfloat("NEWSARCHIVE_LEARN_SHARE"))
            return learned[name]
        tasks = [{"id": r["id"], "url": r["url"],
                  "path": str(warcfiles.resolve(db_path, r["warc_file"])),
                  "offset": r["warc_offset"],
                  "max_size": settings.getint("DOWNLOAD_MAXSIZE") or None,
                  "options": options.get(r["source"], {"name": r["source"]}),
                  "learned": _learned(r["source"])} for r in rows]
        pool = Pool(workers if workers > 1 else 0,
                    budget=settings.getfloat("NEWSARCHIVE_PAGE_CPU_SECONDS"),
                    wall=settings.getfloat("NEWSARCHIVE_PAGE_WALL_SECONDS"))
        chunk_size = max(1, min(16, len(tasks) // (max(1, pool.workers) * 8) or 1))
        batch = []
        for task, result in zip(tasks, pool.map(process_capture, tasks, chunksize=chunk_size)):
            if isinstance(result, Exception):  # the pool could not run it (too slow...)
                result = {"id": task["id"], "error": f"{type(result).__name__}: {result}"}
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
        if dropped:
            rows = pages.dropped(db, source=source)
            counts["pages"] = len(rows)
            min_words = settings.getint("NEWSARCHIVE_MIN_WORDS")
            threshold = settings.getfloat("NEWSARCHIVE_TOPIC_THRESHOLD")
            page_tasks = [{"id": r["url"], "url": r["url"],
                           "path": str(warcfiles.resolve(db_path, r["warc_file"])),
                           "offset": r["warc_offset"],
                           "max_size": settings.getint("DOWNLOAD_MAXSIZE") or None,
                           "options": options.get(r["source"], {"name": r["source"]}),
                           "learned": _learned(r["source"]), "min_words": min_words}
                          for r in rows]
            for start in range(0, len(rows), BATCH):
                chunk = rows[start:start + BATCH]
                results = list(pool.map(process_capture, page_tasks[start:start + BATCH],
                                         chunksize=chunk_size))
                _rejudge(db, chunk, results, counts, min_words, threshold,
                         settings.getint("NEWSARCHIVE_BRIEF_MIN_WORDS"))
                if progress:
                    progress(len(chunk))
        # the incidents read again (and those of recovered pages) are grouped again
        counts["events"] = regroup_events(db)
    finally:
        if pool is not None:
            pool.close()
        db.close()
    counts["seconds"] = round(time.perf_counter() - started, 3)
    read = counts["articles"] + counts["pages"]
    counts["pages_per_s"] = round(read / counts["seconds"], 2) if counts["seconds"] else 0.0
    return counts
