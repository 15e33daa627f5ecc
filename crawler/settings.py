"""Scrapy settings for newsarchive.  Every setting the project reads lives here.

Custom settings are prefixed ``NEWSARCHIVE_``.  The CLI overrides a few per run
(the sources file, the database path) with ``-s`` style settings.
"""

from scrapy.settings import default_settings as _scrapy

from newsarchive.archive.export import EXPORT_COLUMNS as _EXPORT_COLUMNS

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["newsarchive.crawler.spiders"]
NEWSPIDER_MODULE = "newsarchive.crawler.spiders"

# --- Identity and politeness -------------------------------------------------------------
USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive; research archive of Syria news)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
# AutoThrottle adapts the delay to each real site's latency.  Loopback runs (the demo, the
# tests) switch it off with -s AUTOTHROTTLE_ENABLED=0 -s DOWNLOAD_DELAY=0.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False  # (and its middleware is not even loaded: see below)
TELNETCONSOLE_ENABLED = False  # (nor the console: see below)

# --- Limits: never hang, never swallow a huge response ---------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # 8 MiB; Scrapy's default is 1 GiB
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DEPTH_LIMIT = 6  # a hard stop under the per-source follow_depth, against spider traps

# --- Duplicate requests ---------------------------------------------------------------------
# Fingerprint requests by canonical URL (tracking parameters, AMP copies... folded), so
# one article reached from a feed, a sitemap and a listing page is downloaded once.
REQUEST_FINGERPRINTER_CLASS = "newsarchive.crawler.fingerprint.CanonicalUrlFingerprinter"
# Requests waiting to be fetched (every URL of a sitemap, say) are queued on disk for the run,
# in a temporary directory removed at its end, so memory does not grow with the site
# (crawler/scheduler.py); False = Scrapy's memory queue.
SCHEDULER = "newsarchive.crawler.scheduler.Scheduler"
NEWSARCHIVE_DISK_QUEUE = True

# --- Output --------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
# `scrapy crawl news -O items.jsonl` (or -o items.csv): one record per archived article (an
# item that passed every stage; a dropped one is never exported), with the columns of
# `newsarchive export`, never the HTML, the raw capture or the dedup signatures it carries
FEED_EXPORT_FIELDS = list(_EXPORT_COLUMNS)
FEED_EXPORTERS = {
    "json": "newsarchive.crawler.exporters.ArticleJsonExporter",
    "jsonlines": "newsarchive.crawler.exporters.ArticleJsonLinesExporter",
    "jsonl": "newsarchive.crawler.exporters.ArticleJsonLinesExporter",
    "csv": "newsarchive.crawler.exporters.ArticleCsvExporter",
    "xml": "newsarchive.crawler.exporters.ArticleXmlExporter",
}
LOG_LEVEL = "INFO"
# one short line per dropped item instead of Scrapy's dump of the whole item (and its HTML)
LOG_FORMATTER = "newsarchive.crawler.logformatter.NewsLogFormatter"
LOGSTATS_INTERVAL = 60.0

# --- Reactor ---------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- Scrapy components the project never uses ----------------------------------------------
# Left out of Scrapy's base sets, where setting them to None in EXTENSIONS or
# DOWNLOADER_MIDDLEWARES would not do: Scrapy imports every component those name, even one
# switched off, and these cost ~0.25 s CPU at every start of a crawl (aiohttp; tldextract
# and requests; twisted.conch).  The remote control is an HTTP server on localhost that runs
# any Python code it is sent; cookies and the telnet console are off (above).
_unused = frozenset({  # (lower case: not a setting itself)
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
})
EXTENSIONS_BASE = {path: order for path, order in _scrapy.EXTENSIONS_BASE.items()
                   if path not in _unused}
DOWNLOADER_MIDDLEWARES_BASE = {path: order for path, order
                               in _scrapy.DOWNLOADER_MIDDLEWARES_BASE.items()
                               if path not in _unused}

# --- Spider middlewares ------------------------------------------------------------------------
SPIDER_MIDDLEWARES = {
    # per-source caps on sitemap depth, sitemaps and new URLs queued in one run; sees the
    # spider's output before Scrapy's own (depth, URL length...) do
    "newsarchive.crawler.middlewares.budget.SourceBudgetMiddleware": 950,
}

# --- Pipelines -------------------------------------------------------------------------------
# One path per page (README, "How it works").  Spaced by 100.  The process stage makes the
# page's Page in one worker call (the page function, pipelines/page.py); every later stage
# only reads it: the judge says what the page is (an article, not an article, off-topic,
# failed), the capture writes every page's WARC record (nothing is dropped before it is
# captured) before the store writes the rows that point at it, and the store files the
# article among its copies (archive/filing.py) and records every page's judgement, kept or
# not (archive/pages.py), dropping what is not kept.
ITEM_PIPELINES = {
    "newsarchive.pipelines.stages.process.ProcessPipeline": 100,
    "newsarchive.pipelines.stages.judge.JudgePipeline": 200,
    "newsarchive.pipelines.stages.capture.CapturePipeline": 300,
    "newsarchive.pipelines.stages.store.StorePipeline": 400,
}

EXTENSIONS = {
    # opens the archive, records the crawl_runs row, closes it with counts
    "newsarchive.crawler.extensions.CrawlRunRecorder": 100,
    # one redrawn progress line on an interactive terminal only (never in cron or CI logs;
    # those get LogStats' line every LOGSTATS_INTERVAL seconds)
    "newsarchive.crawler.progress.ProgressBar": 200,
    # ends a crawl that makes no progress (its run degraded) instead of holding the lock
    "newsarchive.crawler.extensions.ProgressWatchdog": 300,
}
# A crawl with no progress at all (no response, no page processed) for this long ends by
# itself, its run "degraded"; 0: never.  Far above DOWNLOAD_TIMEOUT and the per-page limits.
NEWSARCHIVE_STALL_SECONDS = 900
NEWSARCHIVE_PROGRESS = True
# a terminal shows warnings only; -v (or -s LOG_LEVEL=...) shows LOG_LEVEL (crawler/logs.py)
NEWSARCHIVE_VERBOSE = False
NEWSARCHIVE_PROGRESS_INTERVAL = 0.5  # seconds between redraws

# --- Throughput: worker processes (crawler/pool.py) ---------------------------------------
# The page function (decoding, classifying, extracting, cleaning, tagging, fingerprinting)
# and the WARC records' gzip are CPU work; they run in this many worker processes fed from
# the reactor (one call per page, crawler/tasks.py), so a crawl uses every core.
# "auto" = one per usable core; 0 = inline in the crawl process (debugging, tests).
NEWSARCHIVE_WORKERS = "auto"
# Items processed at once per response.  A page yields at most one item (its links are
# requests, scheduled at once whatever this says), and Scrapy starts this many tasks for
# every response and every failed request whatever it yields: its default, 100, cost about
# 0.7 ms of reactor time per response.  What keeps the workers fed is the number of
# responses in flight, bounded by CONCURRENT_REQUESTS and by Scrapy's scraper slot (5 MB of
# responses awaiting processing).
CONCURRENT_ITEMS = 1
# No page may stall the crawl (crawler/pool.py): a page's processing may use this many
# seconds of CPU in its worker (a normal page takes well under one; a hostile one is cut
# off and counted failed "too-slow", its capture kept), and fails if it has not come back
# this many seconds after it started (a worker that lost its result).
NEWSARCHIVE_PAGE_CPU_SECONDS = 20
NEWSARCHIVE_PAGE_WALL_SECONDS = 120
# The store commits the writes of this many articles together (or of what came within
# NEWSARCHIVE_WRITE_BATCH_SECONDS), not one commit per article; 1 = a commit per article.
# A killed crawl loses at most one batch, which the next run fetches again.
NEWSARCHIVE_WRITE_BATCH = 50
NEWSARCHIVE_WRITE_BATCH_SECONDS = 0.25

# --- newsarchive -----------------------------------------------------------------------------
NEWSARCHIVE_SOURCES = "sources.toml"  # sources file (spider argument `sources` overrides)
NEWSARCHIVE_DB = "archive/news.db"  # SQLite archive
# Articles scoring below this on Syria-conflict relevance (0..1, see pipelines/tag.py)
# are counted as off-topic and not stored.  0.3: a 150-word report naming one Syrian place
# and one armed group scores about 0.5; an article on another war that mentions Syria once
# in passing, or a sports/tech story, stays under 0.3 (tests/pipelines/test_tag.py).
NEWSARCHIVE_TOPIC_THRESHOLD = 0.3
# Pages with fewer words of body text than this are not articles -- unless they have the
# parts of a story (their own headline, a date, paragraphs under the headline: a news
# brief), which need only NEWSARCHIVE_BRIEF_MIN_WORDS.
NEWSARCHIVE_MIN_WORDS = 80
NEWSARCHIVE_BRIEF_MIN_WORDS = 25

# --- Cleaning: learned per-source boilerplate (pipelines/clean.py, archive/boilerplate.py) --
# A line recurring in at least NEWSARCHIVE_LEARN_SHARE of one source's articles is that
# source's boilerplate, judged once NEWSARCHIVE_LEARN_MIN_ARTICLES of its articles were
# seen.  The learned sets are re-read from the archive every NEWSARCHIVE_LEARN_REFRESH items.
NEWSARCHIVE_LEARN_MIN_ARTICLES = 20
NEWSARCHIVE_LEARN_SHARE = 0.3
NEWSARCHIVE_LEARN_REFRESH = 25

# --- Unattended crawls: guards, incremental fetching, retries (issue 6) ----------------------
# Downloader middlewares, in request order (responses pass back in reverse):
#  10 guard: only http(s) on the sources' hosts; private/loopback addresses refused
#  20 traps: calendars, repeated segments, long URLs, query explosions (links only)
#  30 incremental: skip archived articles, conditional requests, 304 -> not-modified
# 100 robots: Scrapy's, but a robots.txt answering 5xx disallows the host (RFC 9309)
# 550 retry: Scrapy's, plus Retry-After within a cap and backoff on 429
# 585 bodies: after decompression (590), before meta-refresh (580): empty, binary,
#     NUL bytes (a mislabelled charset is the page function's: pipelines/html.py)
# 580 refresh: Scrapy's meta-refresh redirects, asked only about pages whose first bytes
#     could hold the tag (it decodes the whole page to look)
DOWNLOADER_MIDDLEWARES = {
    "newsarchive.crawler.middlewares.guard.HostGuardMiddleware": 10,
    "newsarchive.crawler.middlewares.traps.TrapGuardMiddleware": 20,
    "newsarchive.crawler.middlewares.incremental.IncrementalMiddleware": 30,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsarchive.crawler.middlewares.robots.StrictRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsarchive.crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "newsarchive.crawler.middlewares.bodies.BodyCheckMiddleware": 585,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsarchive.crawler.middlewares.refresh.MetaRefreshMiddleware": 580,
    # issue 7: next to the download handler, so it keeps the bytes as they came over the
    # wire (still content-encoded) for the WARC capture
    "newsarchive.crawler.middlewares.capture.CaptureMiddleware": 950,
}
# Only http(s) is ever fetched: a link or redirect to file://, data:, ftp:// or s3:// must
# not read the local disk or reach elsewhere (the guard refuses them first, too).
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOAD_FAIL_ON_DATALOSS = True  # a body shorter than its Content-Length is an error
# A redirect may leave the source's hosts only if this is True, and then only for a host
# whose every address is public (resolved before connecting).
NEWSARCHIVE_OFFSITE_REDIRECTS = False
# Resolve the sources' host names once per run; one that points at a private or local
# address is refused (sources given by IP address or as localhost are taken as meant).
NEWSARCHIVE_RESOLVE_SOURCE_HOSTS = True
NEWSARCHIVE_MAX_URL_LENGTH = 1024  # longer links are traps (Arabic slugs fit easily)
NEWSARCHIVE_TRAP_REPEATS = 3  # a path segment this many times: /a/b/a/b/a/b/
NEWSARCHIVE_MAX_QUERY_PARAMS = 8
NEWSARCHIVE_MAX_QUERY_VARIANTS = 50  # distinct query strings per path and run
NEWSARCHIVE_TRAP_MIN_YEAR = 1990  # calendar pages before this (or > 1 month ahead) are traps
# Per source and per run (crawler/middlewares/budget.py; 0: no cap).  A source's sitemaps
# are trusted, so an index of indexes without end is stopped by these: sitemaps nested
# deeper than this under the source's own (the protocol has one level: index -> sitemaps),
# more sitemaps than this, more URLs not yet in the archive queued than this.
NEWSARCHIVE_SITEMAP_MAX_DEPTH = 3
NEWSARCHIVE_SITEMAP_MAX_COUNT = 2000  # ~ one sitemap per day for five years
NEWSARCHIVE_MAX_URLS_PER_SOURCE = 100_000
NEWSARCHIVE_CONDITIONAL_REQUESTS = True  # If-None-Match / If-Modified-Since on feeds etc.
NEWSARCHIVE_RETRY_AFTER_MAX = 60.0  # seconds; a longer Retry-After is left to the next run
NEWSARCHIVE_RETRY_BACKOFF = 2.0  # seconds before the first retry of a 429 without Retry-After
# Log lines carry UTC timestamps (crawler/logs.py formats them in UTC).
LOG_DATEFORMAT = "%Y-%m-%dT%H:%M:%SZ"

# --- Raw captures in WARC files (issue 7: archive/warc*.py, pipelines/capture.py) -----------
NEWSARCHIVE_WARC_ENABLED = True
NEWSARCHIVE_WARC_DIR = ""  # empty: <folder of the database>/warc
NEWSARCHIVE_WARC_MAX_BYTES = 1_000_000_000  # start a new file past this (and every UTC day)
# each capture on disk before its article row commits (one fsync per batch of rows when
# NEWSARCHIVE_WRITE_BATCH > 1, else one per capture)
NEWSARCHIVE_WARC_FSYNC = True
# What the crawler asks servers for while capturing: encodings `warcio check` can undo
# (not br or zstd; see pipelines/capture.py).  Empty: Scrapy's own choice.
NEWSARCHIVE_WARC_ACCEPT_ENCODING = "gzip, deflate"

# --- Wayback Machine back-fill (issue 7: crawler/spiders/wayback.py, `newsarchive backfill`) --
NEWSARCHIVE_WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"  # the CDX API endpoint
NEWSARCHIVE_WAYBACK_BASE = "https://web.archive.org/web/"  # + <timestamp>id_/<original url>
NEWSARCHIVE_WAYBACK_PAGE_SIZE = 1000  # CDX rows per page (resume keys link the pages)
# The archive is a shared public service: one request at a time, seconds apart.
NEWSARCHIVE_WAYBACK_DELAY = 3.0
NEWSARCHIVE_WAYBACK_CONCURRENCY = 1

# --- Distributed crawling on scrapy-redis (issue 9: crawler/redis/, `newsarchive seed`, ----
# `crawl --redis`, `ingest`).  Workers share scrapy-redis's scheduler and duplicate filter;
# the one writer runs the stages that need the whole archive, in arrival order.
NEWSARCHIVE_REDIS_PREFIX = "newsarchive"  # every key starts with this (several crawls, one Redis)
# The stages `newsarchive ingest` runs; workers run every other stage of ITEM_PIPELINES and,
# in place of these, the item queue (at NEWSARCHIVE_ITEM_QUEUE_ORDER).  Filing is here: it
# must see every stored article before judging the next, and only one process sees all.
NEWSARCHIVE_WRITER_STAGES = [
    "newsarchive.pipelines.stages.capture.CapturePipeline",
    "newsarchive.pipelines.stages.store.StorePipeline",
]
NEWSARCHIVE_ITEM_QUEUE_ORDER = 300  # after the judge (200)
# A worker (or the writer) stops once the shared queue has been empty, and every other
# worker idle, this many seconds.  0: never stop (a service waiting for `seed`).
NEWSARCHIVE_REDIS_IDLE_EXIT = 60.0
# A worker's heartbeat lives this long; a worker silent for longer is dead and the
# requests it had taken go back to the queue.
NEWSARCHIVE_REDIS_WORKER_TTL = 30.0
