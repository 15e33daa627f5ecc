"""Stage 400: file every page in the archive: an article among its stories, any other page
as what it was judged.  The only stage that writes articles.

For a page judged an article, :func:`archive.filing.file_article` decides, in one
transaction, whether it is already archived under its URL (same text: dropped as
``same-url``; changed text: an update), a copy of an archived story (stored with
``duplicate_of``, counted as outcome ``duplicate``), or new; and writes its row, capture
pointer, de-duplication index, search rows and incidents (the page's ``incidents``)
together.  Every page, kept or not, gets its
row in ``pages`` (``archive/pages.py``: outcome, reason, capture) in the same transaction,
so dropped pages can be listed and judged again offline; an off-topic page, or one that is
not an article and not a listing, is also remembered in ``seen_urls`` so later runs do not
fetch it again (a failed page is not: the next run tries it again).

Writes are grouped in transactions of several pages (``crawler/context.py``: ``Writes``).
A page whose filing fails (a store error) is counted failed, recorded as such, and left for
the next run.
"""

from __future__ import annotations

import logging
from itertools import groupby

from itemadapter import ItemAdapter

from scrapy.exceptions import DropItem

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive import incidents as archive_incidents
from newsarchive.archive import pages, store
from newsarchive.archive.filing import file_article
from newsarchive.crawler.context import archive_of, writes_of
from newsarchive.pipelines import dedup
from newsarchive.pipelines.incidents import EventGrouper, date_order
from newsarchive.pipelines.urls import canonicalize_url

from .base import count

logger = logging.getLogger(__name__)


def article_columns(page, url: str, source: str, fetched_at: str) -> dict:
    """The ``articles`` columns of a page fetched from ``url`` for ``source``."""
    return {
        "url": url, "canonical_url": page.canonical_url, "source": source,
        "title": page.title, "authors": page.authors, "published": page.published,
        "published_source": page.published_source, "language": page.language,
        "dateline": page.dateline, "text": page.text, "word_count": page.word_count,
        "places": page.places, "actors": page.actors, "events": page.events,
        "topic_score": page.topic_score, "fetched_at": fetched_at,
        "credits": page.credits,
    }


def article_of(item) -> dict:
    """The ``articles`` columns of a processed item (an ItemAdapter)."""
    return article_columns(item["page"], item["url"], item["source"], item["fetched_at"])


def fingerprint_of(page) -> dict:
    return {"content_hash": page.content_hash, "signature": page.signature,
            "bands": page.bands, "words": page.shingled_words}


# not-article reasons of pages that are fetched again by later runs: a listing leads to
# new articles each time
REFETCHED = frozenset({"listing"})


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.writes = writes_of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        # once per archive: articles from before the de-duplication index get their keys
        dedup_backfill(archive_of(self.crawler).db)

    def close_spider(self, spider=None):
        self.writes.close()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        verdict = adapter.get("verdict") or {"outcome": "failed", "reason": "not-judged"}
        archive = archive_of(self.crawler)
        if pages.judged_in_run(archive.db, adapter["url"], archive.run_id):
            # the same page twice in one run is judged (and counted) once
            self.stats.inc_value("newsarchive/reason/same-url-again")
            raise DropItem(f"same-url-again: {adapter['url']} was judged earlier in this run")
        if verdict["outcome"] != "article":
            return self._dropped(adapter, verdict)
        try:
            with self.writes.transaction() as db:
                kept = self._file(adapter, db)
        except Exception as exc:  # a store error must never lose the page silently
            logger.error("could not store %s: %r", adapter["url"], exc)
            return self._dropped(adapter, {"outcome": "failed", "reason": "store-error",
                                           "detail": f"{type(exc).__name__}: {exc}"[:300]})
        if not kept:  # the same text under the same URL: nothing was written but its page row
            raise DropItem(f"same-url: {adapter['page'].canonical_url}")
        return item

    def _page_row(self, adapter, outcome: str, reason: str | None, detail: str = "",
                  article_id: int | None = None) -> dict:
        page = adapter.get("page")
        return {"url": adapter["url"], "canonical_url": page.canonical_url if page else None,
                "source": adapter["source"], "via": adapter.get("via"),
                "fetched_at": adapter.get("fetched_at"),
                "crawl_run": archive_of(self.crawler).run_id, "outcome": outcome,
                "reason": reason, "detail": detail, "article_id": article_id}

    def _pointer(self, adapter) -> dict | None:
        capture = adapter.get("capture") or {}
        return capture if "warc_file" in capture else None

    def _dropped(self, adapter, verdict: dict):
        outcome, reason = verdict["outcome"], verdict.get("reason")
        detail = verdict.get("detail") or ""
        url, source = adapter["url"], adapter["source"]
        followed = reason == "listing" and adapter.get("follow")
        archive = archive_of(self.crawler)
        page = adapter.get("page")
        with self.writes.transaction() as db:
            pages.record(db, self._page_row(adapter, outcome, reason, detail), self._pointer(adapter))
            if outcome == "off_topic" or (outcome == "not_article" and reason not in REFETCHED):
                canonical = page.canonical_url if page is not None and page.canonical_url \
                    else canonicalize_url(url)
                store.mark_seen(db, canonical, source, outcome.replace("_", "-"), archive.run_id)
        if followed:  # a listing whose links were followed did its job: not counted
            raise DropItem(f"listing: links followed from {url}")
        count(self.stats, source, outcome, reason)
        if outcome == "not_article":
            logger.info("not an article (%s): %s", reason, url)
        else:
            log = logger.warning if outcome == "failed" else logger.info
            log("%s (%s): %s: %s", outcome.replace("_", "-"), reason, url, detail)
        raise DropItem(f"{reason}: {detail} on {url}")

    def _file(self, adapter, db) -> bool:
        """File the article (in the caller's transaction); False when it was already
        archived with this text."""
        archive = archive_of(self.crawler)
        page, source = adapter["page"], adapter["source"]
        pointer = self._pointer(adapter)
        filed = file_article(db, article_of(adapter), fingerprint_of(page), dedup,
                             run_id=archive.run_id, capture=pointer, search_row=page.search,
                             incidents=page.incidents)
        if filed.outcome == "same-url":
            pages.record(db, self._page_row(adapter, "duplicate", "same-url", "",
                                            filed.id), pointer)
            count(self.stats, source, "duplicate", "same-url")
            return False
        pages.record(db, self._page_row(adapter, filed.outcome, filed.reason, "", filed.id),
                     pointer)
        adapter["id"], adapter["duplicate_of"] = filed.id, filed.duplicate_of
        adapter["crawl_run"] = archive.run_id
        count(self.stats, source, filed.outcome, filed.reason)
        if filed.demoted:
            logger.info("article %s was published before article %s: it is now the "
                        "original of that story (%d rows)", filed.id, filed.demoted,
                        len(filed.repointed))
            self._recount_demoted(db, filed.demoted, archive.run_id)
        elif filed.outcome == "duplicate":
            logger.info("%s duplicates article %s (%s)", page.canonical_url,
                        filed.duplicate_of, filed.reason)
        logger.info("stored %s article %s: %s", source, filed.id, page.canonical_url)
        return True

    def _recount_demoted(self, db, demoted: int, run_id) -> None:
        """The demoted original, if this run stored it, now counts as a duplicate."""
        for row in store.rows_by_id(db, [demoted]):
            if row["crawl_run"] != run_id:
                continue
            for key in ("newsarchive/outcome/{}", f"newsarchive/source/{row['source']}/{{}}"):
                self.stats.inc_value(key.format("stored"), -1)
                self.stats.inc_value(key.format("duplicate"))
            self.stats.inc_value("newsarchive/reason/earlier-copy-found")


def dedup_backfill(db, batch: int = 500) -> int:
    """Index the articles archived before the de-duplication index existed; how many."""
    done_total = 0
    while True:
        rows = archive_dedup.backfill_pending(db, batch)
        if not rows:
            return done_total
        done = []
        for article_id, text in rows:
            fp = dedup.fingerprint(text)
            done.append((article_id, fp["content_hash"],
                         {"signature": fp["signature"], "bands": fp["bands"]}))
        archive_dedup.backfill_record(db, done, rows[-1][0] + 1)
        done_total += len(rows)
        logger.info("dedup index back-filled with %d earlier articles", done_total)


def regroup_events(db) -> int:
    """Group every stored incident into events again (``pipelines.incidents``'
    ``EventGrouper``, the rules of ``group_incidents``) and store them in place of the old
    ones, in one transaction; how many events.  Reports are read one date at a time and
    each event is stored once no later report can join it, so memory holds a few days of
    reports, not the archive's.  Run when a crawl ends (the run recorder, single crawl and
    ``ingest`` alike) and at the end of ``reprocess``."""
    grouper = EventGrouper()
    reports = count = 0

    def stored(closed) -> int:
        return archive_incidents.add_events(db, (
            dict(event, id=number + 1, incident_ids=event["reports"])
            for number, event in closed))

    with db.atomic():
        archive_incidents.clear_events(db)
        # one date at a time, every date that is no day at once (first)
        dates = sorted(archive_incidents.incident_dates(db), key=date_order)
        for _order, same in groupby(dates, key=date_order):
            day = archive_incidents.incident_reports_on(db, same)
            reports += len(day)
            count += stored(grouper.add((report["id"], report) for report in day))
        count += stored(grouper.finish())
    logger.info("%d incidents grouped into %d events", reports, count)
    return count
