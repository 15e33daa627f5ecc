"""The scrapy-redis classes newsarchive adapts (everything else is scrapy-redis's own).

scrapy-redis 0.9.1 works with Scrapy 2.19 as it is; its scheduler only calls two APIs
Scrapy 2.19 deprecates (``Spider.log()`` and ``StatsCollector.inc_value(..., spider=)``),
printing a ``ScrapyDeprecationWarning`` per run and due to break when Scrapy removes them.
:class:`Scheduler` is scrapy-redis's scheduler with those two calls replaced, nothing else.

* :class:`CanonicalDupeFilter`: scrapy-redis's duplicate filter hashes ``w3lib``'s
  canonical URL itself and ignores ``REQUEST_FINGERPRINTER_CLASS``; ours asks the crawler's
  fingerprinter (:class:`crawler.fingerprint.CanonicalUrlFingerprinter`), so workers fold
  tracking parameters and AMP copies exactly as a single crawl does.
* :class:`ReliablePriorityQueue`: scrapy-redis's priority queue forgets a request the
  moment a worker pops it, so a worker killed mid-download loses it (and the duplicate
  filter keeps it from ever being queued again).  Ours moves the popped request into the
  worker's in-flight hash in the same atomic step (a Lua script), and the worker removes it
  once the response's output is safely in Redis (:mod:`crawler.redis.worker`); a dead
  worker's in-flight requests go back to the queue (:func:`requeue`).
"""

from __future__ import annotations

import logging

from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

logger = logging.getLogger(__name__)

TOKEN = "redis_inflight"  # request.meta key: the in-flight token of a popped request

# ZRANGE + ZREM + HSET as one step: a request is always in the queue or in flight
POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
local token = redis.sha1hex(found[1])
redis.call('HSET', KEYS[2], token, found[1])
return {token, found[1]}
"""

# every in-flight request of a worker back into the queue, at its own priority
REQUEUE = """
local all = redis.call('HGETALL', KEYS[1])
for i = 2, #all, 2 do
  local ok, request = pcall(cjson.decode, all[i])
  local score = 0
  if ok and type(request) == 'table' and tonumber(request['priority']) then
    score = -tonumber(request['priority'])
  end
  redis.call('ZADD', KEYS[2], score, all[i])
end
redis.call('DEL', KEYS[1])
return #all / 2
"""


class _Stats:
    """The crawl's stats without the deprecated ``spider`` argument."""

    def __init__(self, stats):
        self.stats = stats

    def inc_value(self, key, count=1, start=0, spider=None):
        self.stats.inc_value(key, count, start)


class Scheduler(RedisScheduler):
    """scrapy-redis's scheduler, minus two APIs Scrapy 2.19 deprecates (see above)."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.stats = _Stats(crawler.stats)
        return scheduler

    def open(self, spider):
        # RedisScheduler.open, with spider.logger for spider.log()
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            logger.info("resuming the crawl: %d request(s) queued", len(self.queue))


class CanonicalDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis-set duplicate filter over our canonical-URL fingerprints."""

    def __init__(self, server, key, debug=False, fingerprinter=None):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_spider(cls, spider):
        df = super().from_spider(spider)
        df.fingerprinter = spider.crawler.request_fingerprinter
        return df

    def request_fingerprint(self, request) -> str:
        if self.fingerprinter is None:
            return super().request_fingerprint(request)
        return self.fingerprinter.fingerprint(request).hex()


class ReliablePriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue; a popped request stays in the worker's in-flight hash
    until the worker acknowledges it (or goes back to the queue if the worker dies)."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        # deferred: cycle crawler.redis.scheduler <-> crawler.redis.worker
        from .worker import Worker

        self.worker = Worker.for_crawler(spider.crawler)
        self._pop = server.register_script(POP)

    def push(self, request):
        # a retried or redirected request carries the token of the one it replaces: once
        # the new one is queued, the old one is done
        token = request.meta.pop(TOKEN, None)
        data = self._encode_request(request)
        pipe = self.server.pipeline(transaction=True)
        pipe.execute_command("ZADD", self.key, -request.priority, data)
        if token:
            pipe.hdel(self.worker.inflight_key, token)
        pipe.execute()

    def pop(self, timeout=0):
        found = self._pop(keys=[self.key, self.worker.inflight_key])
        if not found:
            return None
        token, data = found
        self.worker.took_request()
        request = self._decode_request(data)
        request.meta[TOKEN] = token.decode() if isinstance(token, bytes) else token
        return request


def requeue(server, inflight_key: str, queue_key: str) -> int:
    """Put every request of an in-flight hash back into the queue; how many."""
    return int(server.register_script(REQUEUE)(keys=[inflight_key, queue_key]) or 0)
