"""Do not download again what the archive already has; ask servers what changed.

* An article candidate (a link, feed or sitemap entry) whose canonical URL the archive has
  already judged (``seen_urls``: stored, duplicate, off-topic) is refused as
  ``already-seen``, unless its source has ``revisit_hours`` and the last visit is older
  than that: then it is fetched again (the dedup and store stages keep versions).
* Feeds, sitemaps and listing pages are always fetched, with ``If-None-Match`` /
  ``If-Modified-Since`` when the server sent validators last time; a ``304`` is counted
  as ``not-modified``.  Validators are stored when the spider closes, and only for sources
  whose every article candidate was handled in a run that finished: a page answered with
  304 never hides an article an earlier, interrupted run did not get to.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from itemadapter import ItemAdapter
from scrapy import signals

from newsarchive.archive import http_cache
from newsarchive.crawler.context import archive_of
from newsarchive.pipelines.urls import canonicalize_url

from .faults import Refused, is_article_candidate

logger = logging.getLogger(__name__)

VALIDATED_KINDS = ("feed", "sitemap", "start")


class IncrementalMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.conditional = crawler.settings.getbool("NEWSARCHIVE_CONDITIONAL_REQUESTS")
        self.pending: dict[str, tuple[str, str | None, str | None]] = {}  # url -> source, ...

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(mw.item_judged, signal=signals.item_scraped)
        crawler.signals.connect(mw.item_judged, signal=signals.item_dropped)
        return mw

    @property
    def archive(self):
        return archive_of(self.crawler)

    # ------------------------------------------------------------------ requests
    def process_request(self, request, spider=None):
        spider = self.crawler.spider
        if is_article_candidate(request) and not request.meta.get("revisit"):
            self._skip_if_seen(request, spider)
        if self.conditional and self._validated(request):
            cached = http_cache.validators(self.archive.db, request.url)
            if cached:
                if cached["etag"]:
                    request.headers.setdefault("If-None-Match", cached["etag"])
                if cached["last_modified"]:
                    request.headers.setdefault("If-Modified-Since", cached["last_modified"])
        return None

    def _validated(self, request) -> bool:
        return request.meta.get("kind") in VALIDATED_KINDS or request.meta.get("revisit")

    def _skip_if_seen(self, request, spider) -> None:
        try:
            canonical = canonicalize_url(request.url)
        except ValueError:
            return
        seen = self.last_judged(canonical)
        if seen is None:
            return
        outcome, last = seen
        source = getattr(spider, "sources", {}).get(request.meta.get("source"))
        hours = getattr(source, "revisit_hours", None)
        if hours is not None and outcome == "stored" and _older_than(last, hours):
            request.meta["revisit"] = canonical
            logger.info("re-visiting %s (last visit %s, window %sh)", request.url, last, hours)
            return
        raise Refused("already-seen", f"already judged ({outcome}) on {last}",
                      level=logging.DEBUG)

    def last_judged(self, canonical: str) -> tuple[str, str] | None:
        """``(outcome, when)`` of the archive's last judgment of ``canonical``, or None.

        The archive's ``seen_urls``; a distributed worker asks Redis instead
        (:class:`crawler.redis.worker.SharedIncrementalMiddleware`)."""
        return http_cache.last_judged(self.archive.db, canonical)

    # ------------------------------------------------------------------ responses
    def process_response(self, request, response, spider=None):
        if response.status == 304 and ("If-None-Match" in request.headers
                                       or "If-Modified-Since" in request.headers):
            if request.meta.get("revisit"):
                self._visited(request.meta["revisit"])
            raise Refused("not-modified", "304 Not Modified", level=logging.INFO)
        if 200 <= response.status < 300:
            if request.meta.get("revisit"):
                self._visited(request.meta["revisit"])
            if self.conditional and self._validated(request):
                etag = _header(response, "ETag")
                modified = _header(response, "Last-Modified")
                if etag or modified:
                    self.pending[request.url] = (request.meta.get("source"), etag, modified)
        return response

    def _visited(self, canonical: str) -> None:
        db = self.archive.db
        with db.atomic():
            http_cache.mark_visited(db, canonical, self.archive.run_id)

    def item_judged(self, item, spider=None, **kwargs):
        """Remember the links that led to an article whose canonical URL is another one,
        so the next run does not download it again to find that out."""
        adapter = ItemAdapter(item)
        page = adapter.get("page")
        try:
            canonical = (page.canonical_url if page is not None else None) \
                or canonicalize_url(adapter["url"])
            aliases = {canonicalize_url(u) for u in (adapter.get("url"),
                                                     adapter.get("request_url")) if u}
        except (KeyError, ValueError):
            return
        if aliases - {canonical}:
            db = self.archive.db
            try:
                with db.atomic():
                    http_cache.add_aliases(db, aliases, canonical, self.archive.run_id)
            except Exception as exc:  # never let bookkeeping fail an item
                logger.warning("could not record URL aliases of %s: %s", canonical, exc)

    # ------------------------------------------------------------------ closing
    def spider_closed(self, spider, reason):
        if not self.pending:
            return
        stats = self.crawler.stats
        db = self.archive.db
        keep, drop = [], []
        for url, (source, etag, modified) in self.pending.items():
            failed = stats.get_value(f"newsarchive/source/{source}/failed", 0)
            if reason == "finished" and not failed:
                keep.append((url, etag, modified))
            else:
                drop.append(url)
        try:
            with db.atomic():
                for url, etag, modified in keep:
                    http_cache.save_validators(db, url, etag, modified, self.archive.run_id)
                http_cache.forget(db, drop)
        except Exception as exc:  # a full disk must not hide the run's own outcome
            logger.warning("could not store HTTP validators: %s", exc)
            return
        logger.info("stored validators of %d page(s)%s", len(keep),
                    f"; dropped {len(drop)} (run unfinished or articles failed)" if drop else "")


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def _older_than(when: str | None, hours: float) -> bool:
    if not when:
        return True
    try:
        then = datetime.fromisoformat(when)
    except ValueError:
        return True
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - then >= timedelta(hours=hours)
