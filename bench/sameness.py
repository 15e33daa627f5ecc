"""Is the archive the same before and after a change?  A before/after harness (issue 13).

The archive a crawl writes, and what ``reprocess`` makes of it, must not change, row for
row and field for field, when the processing core is refactored.  This script records an
archive from a fixed set of HTTP responses and compares two such records.  It imports
nothing of the project (it drives the ``newsarchive`` console script of a given virtual
environment), so one copy of it can measure two checkouts whose modules are named
differently (``crawler.*`` or ``newsarchive.crawler.*``).  Standard library only.

Sites (folders of recorded responses, served exactly, on fixed loopback addresses):

    python bench/sameness.py snapshot-sample SITE_DIR [--venv .venv]
        start the bundled sample site (``python -m <pkg>.fakeweb``, ``<pkg>.samplesite`` before it), fetch every URL it
        serves (sources' feeds, sitemaps and start pages, robots.txt, every same-site link,
        recursively) and save each response (status, headers that matter, body bytes) and
        the sources file, re-pointed at the fixed addresses the snapshot is served on.
    python bench/sameness.py build-bench SITE_DIR [--bench-dir ../shared/bench/article-extraction]
        the 120 benchmark pages, bytes untouched, each served at /<its host><its path>
        of one loopback site, with a sitemap listing them all and a one-source sources file.
    python bench/sameness.py serve SITE_DIR            serve a site until Ctrl-C

A site folder holds ``site.json`` (per host:port, the responses by percent-decoded path and
query: status, headers, the sha256 of the body), ``bodies/<sha256>`` and ``sources.toml``.
A request the snapshot holds no response for gets the site's recorded 404 page (the sample
site also answers an unknown query string with the page without it) and is listed in the
run's ``meta.served`` and by ``compare``.  The sample site is recorded through the code in
``--venv``; the snapshot, not that code, is what later runs are served, so a change to the
sample site's generator does not move the baseline.

Archives:

    python bench/sameness.py run SITE_DIR OUT.json [--venv V] [--set KEY=VALUE ...]
        serve SITE_DIR, ``newsarchive crawl`` it into a fresh archive, copy the archive (its
        WARC folder too) and ``newsarchive reprocess`` the copy offline; write both dumps
        to OUT.json (keys "crawl" and "reprocess", plus "meta").
    python bench/sameness.py dump ARCHIVE.db [OUT.json]   one archive's normalised content
    python bench/sameness.py compare A.json B.json [--section crawl|reprocess|all]
        field-by-field report; exit status 1 on any difference (a missing table or column
        counts; an added one is listed but does not, unless --strict).  ``--a-section X
        --b-section Y`` compares two parts of the same or different records (e.g. a crawl
        with its own reprocess).

A dump leaves out what differs between two runs of the same code: row ids (references by
id become the canonical URL of the row pointed at), times, pids, crawl run numbers and the
WARC file names and offsets (the payload digest stays).  Rows are keyed (articles by
canonical URL) and sorted.  The WARC records are dumped too (type, target URI, HTTP status
and headers, payload digest, the metadata record's fields).

Determinism.  Every crawl runs with ``DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=0`` and the
settings in ``PINNED`` below (one request at a time, pages processed in the crawl process,
one commit per article; the comment there says why and what was measured).  ``reprocess``
runs with ``--workers 1`` (``--reprocess-workers``; it writes in id order whatever the
number).  Two runs of the code before issue 13 on each site gave identical dumps, so any
difference between a BEFORE and an AFTER record is a change in what the code does.

Usage for issue 13.  The data lives outside the repository (the benchmark pages are
third-party: never commit them).  Run from any checkout; ``--venv`` picks the code::

    S=/work/sameness
    # record the sites once (the sample site comes from the venv's own code)
    python3 bench/sameness.py snapshot-sample $S/sample-site --venv .venv
    python3 bench/sameness.py build-bench $S/bench-site

    # BEFORE: the code before the change (a checkout of fb3a114 with its .venv)
    python3 bench/sameness.py run $S/sample-site $S/before-sample.json --venv .venv
    python3 bench/sameness.py run $S/bench-site $S/before-bench.json --venv .venv
    python3 bench/sameness.py run $S/bench-site $S/before-bench-t0.json --venv .venv \
        --set NEWSARCHIVE_TOPIC_THRESHOLD=0      # most of the 120 pages stored, so compared

    # AFTER: the same sites through the changed code's venv, then compare (exit 1 = differ)
    python3 bench/sameness.py run $S/sample-site /tmp/after-sample.json --venv /work/main/.venv
    python3 bench/sameness.py compare $S/before-sample.json /tmp/after-sample.json
    # (likewise bench-site -> before-bench.json, and with the threshold -> before-bench-t0.json)

    # the worker-process path too (the BEFORE code gives the same record either way)
    python3 bench/sameness.py run $S/sample-site /tmp/after-sample-w1.json \
        --venv /work/main/.venv --set NEWSARCHIVE_WORKERS=1
    python3 bench/sameness.py compare $S/before-sample.json /tmp/after-sample-w1.json

    # crawl and reprocess of one record against each other
    python3 bench/sameness.py compare X.json X.json --a-section crawl --b-section reprocess

``run --keep`` keeps the temporary archives, the crawl log and the commands' output.
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import html.parser
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
# ../shared beside the repository; from a worktree (/work/wt/<name>) one level further up
DEFAULT_BENCH_DIR = next(
    (p / "shared" / "bench" / "article-extraction" for p in HERE.parents
     if (p / "shared" / "bench" / "article-extraction").is_dir()),
    HERE.parent.parent / "shared" / "bench" / "article-extraction")
MANIFEST = "site.json"
SOURCES = "sources.toml"
# response headers kept in a snapshot and served back (Content-Length is recomputed)
KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Location", "Last-Modified", "ETag",
                "Cache-Control", "Retry-After", "Date", "Server")
# the fixed loopback addresses snapshots are served on: ports below Linux's ephemeral range
# (32768-60999), so a test server that asked for port 0 never holds one
SAMPLE_PORT_BASE = 18300  # outlet on 127.0.0.N is served on port 18300 + N
BENCH_ADDRESS = "127.0.0.60:18360"
LOCK_FILE = Path(tempfile.gettempdir()) / "newsarchive-sameness.lock"

# Settings every crawl of the harness runs with (after DOWNLOAD_DELAY=0 and
# AUTOTHROTTLE_ENABLED=0, which only make it quick); a --set of the same key wins.
# Measured on the code before issue 13 (fb3a114):
PINNED = (
    # Needed.  With 16 requests in flight, responses arrive in an order the scheduler does
    # not decide, and the order articles reach dedup decides which copy of a story is judged
    # the duplicate: on the sample site the wire story carried by levant-wire and
    # orontes-monitor gets seen_urls.outcome "duplicate" on one copy or the other,
    # dedup_signatures.kind/similarity on one row or the other, and crawl_runs.reasons
    # "near-duplicate" or "earlier-copy-found" (articles.duplicate_of ends the same either
    # way).  It also decides which listing page a link is first followed from, i.e. the
    # Referer kept in the WARC request record.  Unpinned runs differed from the pinned one
    # 3 times in 3; with this alone, 3 runs in 3 were identical.
    "CONCURRENT_REQUESTS=1",
    # A precaution: pages processed in the crawl process, so nothing depends on when a
    # worker process answers.  With CONCURRENT_REQUESTS=1 the dumps were identical with 0,
    # 1 or "auto" (2) workers, so an AFTER run may also be made with
    # --set NEWSARCHIVE_WORKERS=1 and compared with the same BEFORE record, to check the
    # worker path too.
    "NEWSARCHIVE_WORKERS=0",
    # A precaution: each article committed at once.  A batch cut by a timer
    # (NEWSARCHIVE_WRITE_BATCH_SECONDS) would move the moment the learned boilerplate lines
    # the clean stage re-reads from the archive include a given article's lines.  (No
    # source of these sites reaches NEWSARCHIVE_LEARN_MIN_ARTICLES with recurring lines, so
    # no difference was seen without it.)
    "NEWSARCHIVE_WRITE_BATCH=1",
)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def die(msg: str) -> None:
    raise SystemExit(f"sameness: {msg}")


# =========================================================================== static sites

def url_key(target: str) -> str:
    """The look-up key of a request target (path and query): the path percent-decoded (a
    percent-encoded Arabic slug and the decoded one are one page, as on the sample site),
    the query kept as sent."""
    parts = urlsplit(target)
    key = unquote(parts.path or "/")
    return f"{key}?{parts.query}" if parts.query else key


def wire_url(url: str) -> str:
    """``url`` with its path and query percent-encoded for the wire (UTF-8)."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=?-._~")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


class Site:
    """A recorded site: ``site.json`` (hosts, responses keyed by host then url_key) and
    ``bodies/<sha256>`` files."""

    def __init__(self, root: Path):
        self.root = Path(root)
        manifest = self.root / MANIFEST
        if not manifest.exists():
            die(f"{self.root} is not a site folder (no {MANIFEST}); make one with "
                "snapshot-sample or build-bench")
        self.data = json.loads(manifest.read_text(encoding="utf-8"))
        self._bodies: dict[str, bytes] = {}

    @property
    def hosts(self) -> list[str]:
        return list(self.data["hosts"])

    def body(self, digest: str) -> bytes:
        if digest not in self._bodies:
            self._bodies[digest] = (self.root / "bodies" / digest).read_bytes()
        return self._bodies[digest]

    def lookup(self, host: str, target: str):
        """(status, headers, body, exact) for a request target; ``exact`` is False when the
        snapshot holds no response for it (then the query-less page, on a site that ignores
        unknown queries, or the site's recorded 404 page, or None)."""
        recorded = self.data["hosts"][host]
        key = url_key(target)
        found, exact = recorded["responses"].get(key), True
        if found is None:
            exact = False
            if "?" in key and recorded.get("query_fallback"):
                found = recorded["responses"].get(key.split("?", 1)[0])
            found = found or recorded.get("not_found")
            if found is None:
                return None
        return found["status"], found["headers"], self.body(found["body"]), exact


def save_body(root: Path, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()
    path = root / "bodies" / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return digest


class _StaticHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _respond(self, with_body: bool) -> None:
        server = self.server
        found = server.site.lookup(server.host, self.path)
        with server.lock:
            server.requests.append(self.path)
            if found is None or not found[3]:
                server.misses.append(self.path)
        if found is None:
            status, headers, body = 404, [["Content-Type", "text/plain"]], b"not in snapshot\n"
        else:
            status, headers, body, _ = found
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._respond(True)

    def do_HEAD(self):  # noqa: N802
        self._respond(False)

    def log_message(self, format, *args):  # noqa: A002
        pass


class StaticServer:
    """Serve every host of a :class:`Site` on its recorded address, in daemon threads.

    ``requests``/``misses``: request targets per host (a miss is a target the snapshot
    holds no exact response for; it got the recorded 404 page, or a query-less match)."""

    def __init__(self, site: Site):
        self.site = site
        self.servers: list[ThreadingHTTPServer] = []
        self.threads: list[threading.Thread] = []
        self._lock_fh = None

    def start(self) -> StaticServer:
        # one harness run at a time on this machine: the addresses are fixed
        self._lock_fh = open(LOCK_FILE, "w")
        try:
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log(f"waiting for another sameness run (lock {LOCK_FILE}) ...")
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX)
        for host in self.site.hosts:
            address, port = host.rsplit(":", 1)
            try:
                server = ThreadingHTTPServer((address, int(port)), _StaticHandler)
            except OSError as exc:
                self.stop()
                die(f"cannot serve {host}: {exc}")
            server.daemon_threads = True
            server.site, server.host = self.site, host
            server.lock = threading.Lock()
            server.requests, server.misses = [], []
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      daemon=True)
            thread.start()
            self.servers.append(server)
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.servers, self.threads = [], []
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None

    def report(self) -> dict:
        out = {}
        for server in self.servers:
            out[server.host] = {"requests": len(server.requests),
                                "misses": sorted(set(server.misses))}
        return out

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def cmd_serve(args) -> int:
    site = Site(args.site)
    with StaticServer(site):
        for host in site.hosts:
            print(f"http://{host}/", flush=True)
        print("Serving; press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


# =========================================================================== sample site

class _Links(html.parser.HTMLParser):
    """Every URL-valued attribute of an HTML page (links, images, scripts, frames...)."""

    ATTRS = {"href", "src", "action", "data-src", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in self.ATTRS:
                self.urls.append(value.strip())
            elif name == "srcset":
                self.urls += [part.strip().split(" ")[0] for part in value.split(",")
                              if part.strip()]
            elif tag == "meta" and name == "content" and "url=" in value.lower():
                self.urls.append(value.split("=", 1)[1].strip().strip("'\""))
        if tag == "base":
            self.base = dict(attrs).get("href") or self.base


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'\]\[]+")


def links_of(url: str, ctype: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    if "html" in ctype:
        parser = _Links()
        try:
            parser.feed(text)
        except Exception:  # noqa: BLE001 (a walker, not a validator)
            pass
        base = urljoin(url, parser.base) if parser.base else url
        found = [urljoin(base, u) for u in parser.urls]
        found += URL_IN_TEXT.findall(text)  # JSON-LD, inline scripts
        return found
    if "xml" in ctype or "rss" in ctype or "atom" in ctype or text.lstrip().startswith("<?xml"):
        return [u.replace("&amp;", "&") for u in URL_IN_TEXT.findall(text)]
    if url.endswith("/robots.txt"):
        return [line.split(":", 1)[1].strip() for line in text.splitlines()
                if line.lower().startswith("sitemap:")]
    return []


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # record the 3xx itself; its Location is walked as a link


def fetch(url: str):
    """(status, [[name, value]], body) of a GET, redirects not followed, no Accept-Encoding."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(wire_url(url), headers={"User-Agent": "sameness-snapshot"})
    try:
        with opener.open(request, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        status, headers, body = err.code, err.headers, err.read()
    kept = [[name, headers[name]] for name in KEPT_HEADERS if headers.get(name) is not None]
    return status, kept, body


def find_samplesite_module(python: str, wanted: str | None) -> str:
    if wanted:
        return wanted
    for module in ("newsarchive.crawler.fakeweb", "newsarchive.crawler.samplesite", "crawler.samplesite"):
        probe = subprocess.run(
            [python, "-c", "import importlib.util, sys\n"
             f"try:\n    ok = importlib.util.find_spec({module!r}) is not None\n"
             "except ModuleNotFoundError:\n    ok = False\nsys.exit(0 if ok else 1)"],
            capture_output=True)
        if probe.returncode == 0:
            return module
    die(f"{python} has none of newsarchive.crawler.fakeweb, newsarchive.crawler.samplesite, "
        "crawler.samplesite; "
        "pass --module")


def toml_urls(text: str) -> list[str]:
    return re.findall(r"\"(https?://[^\"]+)\"", text)


def cmd_snapshot_sample(args) -> int:
    out = Path(args.outdir)
    if out.exists() and any(out.iterdir()):
        die(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    python = str(venv_bin(args.venv, "python"))
    module = find_samplesite_module(python, args.module)
    with tempfile.TemporaryDirectory(prefix="sameness-sample-") as tmp:
        live_sources = Path(tmp) / SOURCES
        proc = subprocess.Popen([python, "-m", module, "--sources-out", str(live_sources)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=tmp)
        bases = []
        try:
            for line in proc.stdout:
                if line.startswith("Serving"):
                    break
                found = re.search(r"(http://[^/\s]+)/", line)
                if found and not line.startswith("sources file"):
                    bases.append(found.group(1))
            else:
                die(f"the sample site did not start: {proc.stderr.read()[-2000:]}")
            log(f"sample site ({module}) on {', '.join(bases)}")
            hosts = walk_and_save(out, bases, live_sources.read_text(encoding="utf-8"),
                                  args.port_base)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    log(f"snapshot of {sum(len(h['responses']) for h in hosts.values())} responses "
        f"over {len(hosts)} hosts in {out}")
    return 0


def walk_and_save(out: Path, bases: list[str], sources_text: str, port_base: int) -> dict:
    live = {urlsplit(b).netloc for b in bases}
    fixed = {}
    for netloc in live:
        ip = netloc.rsplit(":", 1)[0]
        fixed[netloc] = f"{ip}:{port_base + int(ip.rsplit('.', 1)[1])}"
    if len(set(fixed.values())) != len(fixed):
        die("two outlets would share an address")

    def repoint(data: bytes) -> bytes:
        for old, new in fixed.items():
            ip, port = old.rsplit(":", 1)
            new_port = new.rsplit(":", 1)[1]
            data = re.sub(re.escape(ip).encode() + rb"(:|%3[aA])" + port.encode() + rb"(?!\d)",
                          ip.encode() + rb"\g<1>" + new_port.encode(), data)
        return data

    queue = [f"{b}/robots.txt" for b in bases] + [f"{b}/" for b in bases]
    queue += toml_urls(sources_text)
    seen: set[str] = set()
    hosts = {fixed[n]: {"live": n, "query_fallback": True, "responses": {}} for n in live}
    while queue:
        url = queue.pop(0).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc not in live or parts.scheme != "http":
            continue
        key = url_key(url)
        if (parts.netloc, key) in seen:
            continue
        seen.add((parts.netloc, key))
        status, headers, body = fetch(url)
        headers = [[n, repoint(v.encode("latin-1")).decode("latin-1")] for n, v in headers]
        ctype = next((v for n, v in headers if n == "Content-Type"), "")
        for link in links_of(url, ctype, body):
            queue.append(link)
            if "?" in link:  # a crawler may ask for it without the tracking query
                queue.append(link.split("?", 1)[0])
        hosts[fixed[parts.netloc]]["responses"][key] = {
            "status": status, "headers": headers, "body": save_body(out, repoint(body))}
    for netloc in live:  # what the site answers for a page it does not have
        status, headers, body = fetch(f"http://{netloc}/sameness-no-such-page/")
        hosts[fixed[netloc]]["not_found"] = {
            "status": status, "headers": [[n, repoint(v.encode("latin-1")).decode("latin-1")]
                                          for n, v in headers],
            "body": save_body(out, repoint(body))}
    (out / MANIFEST).write_text(json.dumps({"kind": "sample", "hosts": hosts}, indent=1,
                                           ensure_ascii=False, sort_keys=True) + "\n",
                                encoding="utf-8")
    (out / SOURCES).write_text(repoint(sources_text.encode("utf-8")).decode("utf-8"),
                               encoding="utf-8")
    return hosts


# =========================================================================== bench site

BENCH_DATE = "Mon, 04 Nov 2019 12:00:00 GMT"  # a fixed Date header (what a server sends)


def cmd_build_bench(args) -> int:
    src = Path(args.bench_dir)
    truth = json.loads((src / "ground-truth.json").read_text(encoding="utf-8"))
    out = Path(args.outdir)
    if out.exists() and any(out.iterdir()):
        die(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    host = args.address
    base = f"http://{host}"
    responses, locs = {}, []
    for page_id in sorted(truth):
        original = urlsplit(truth[page_id]["url"])
        # the page keeps its own path (dates and slugs in a URL are evidence the pipeline
        # reads) under a first segment naming its real host, so no two pages collide
        path = "/" + original.netloc + (original.path or "/")
        target = path + (f"?{original.query}" if original.query else "")
        body = gzip.decompress((src / "html" / f"{page_id}.html.gz").read_bytes())
        # no charset in the header: the page's own <meta> (or sniffing) decides, as it
        # would for a server that does not say
        responses[url_key(target)] = {
            "status": 200, "id": page_id, "body": save_body(out, body),
            "headers": [["Content-Type", "text/html"], ["Date", BENCH_DATE]]}
        locs.append(base + quote_target(target))
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               + "".join(f"<url><loc>{xml_escape(u)}</loc></url>\n" for u in locs)
               + "</urlset>\n").encode("utf-8")
    responses["/sitemap.xml"] = {"status": 200, "body": save_body(out, sitemap), "headers": [
        ["Content-Type", "application/xml; charset=utf-8"], ["Date", BENCH_DATE]]}
    robots = b"User-agent: *\nDisallow:\n\nSitemap: " + f"{base}/sitemap.xml".encode() + b"\n"
    responses["/robots.txt"] = {"status": 200, "body": save_body(out, robots), "headers": [
        ["Content-Type", "text/plain; charset=utf-8"], ["Date", BENCH_DATE]]}
    not_found = save_body(out, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n")
    manifest = {"kind": "bench", "hosts": {host: {
        "responses": responses, "query_fallback": False,
        "not_found": {"status": 404, "body": not_found, "headers": [
            ["Content-Type", "text/html; charset=utf-8"], ["Date", BENCH_DATE]]}}}}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                encoding="utf-8")
    (out / SOURCES).write_text(
        "# The 120 pages of ../shared/bench/article-extraction, one loopback site\n"
        "# (bench/sameness.py build-bench).  No language: the pages are in many.\n\n"
        "[[source]]\n"
        'name = "bench"\n'
        'title = "Article-extraction benchmark pages"\n'
        f'sitemaps = ["{base}/sitemap.xml"]\n', encoding="utf-8")
    log(f"{len(locs)} pages, a sitemap and robots.txt on {base} in {out}")
    return 0


def quote_target(target: str) -> str:
    parts = urlsplit(target)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    return path + (f"?{parts.query}" if parts.query else "")


# =========================================================================== runs

def venv_bin(venv: str, name: str) -> Path:
    path = Path(venv).resolve() / "bin" / name
    if not path.exists():
        die(f"{path} not found (is --venv right, and installed?)")
    return path


def _nice():
    os.nice(10)


def run_cli(argv: list[str], log_path: Path, cwd: Path) -> subprocess.CompletedProcess:
    with open(log_path, "a", encoding="utf-8") as fh:
        fh.write(f"$ {' '.join(argv)}\n")
        fh.flush()
        return subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=fh, text=True,
                              preexec_fn=_nice, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def cmd_run(args) -> int:
    site = Site(args.site)
    newsarchive = str(venv_bin(args.venv, "newsarchive"))
    sources = (Path(args.site) / SOURCES).resolve()
    tmp = Path(tempfile.mkdtemp(prefix="sameness-run-"))
    settings = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0",
                *([] if args.no_pin else PINNED), *args.set]
    meta = {"site": str(Path(args.site).resolve()), "venv": str(Path(args.venv).resolve()),
            "settings": settings}
    try:
        crawl_dir = tmp / "crawl"
        crawl_dir.mkdir()
        argv = [newsarchive, "crawl", "--sources", str(sources), "--db",
                str(crawl_dir / "news.db"), "--log-file", str(tmp / "crawl.log")]
        for pair in settings:
            argv += ["-s", pair]
        started = time.monotonic()
        with StaticServer(site) as server:
            result = run_cli(argv, tmp / "cli.log", tmp)
            meta["served"] = server.report()
        meta["crawl"] = {"exit": result.returncode, "stdout": result.stdout.strip(),
                         "seconds": round(time.monotonic() - started, 1)}
        log(f"crawl: exit {result.returncode} {result.stdout.strip()} "
            f"({meta['crawl']['seconds']} s)")
        if result.returncode not in (0, 4):
            die(f"the crawl failed (exit {result.returncode}); see {tmp}/cli.log, crawl.log")
        for host, seen in meta["served"].items():
            if seen["misses"]:
                log(f"note: {len(seen['misses'])} request(s) to {host} not in the snapshot, "
                    f"e.g. {seen['misses'][:3]}")
        crawl_dump = dump_archive(crawl_dir / "news.db")
        # reprocess a copy, offline (the server is down): it may read only the captures
        again = tmp / "reprocess"
        shutil.copytree(crawl_dir, again, ignore=shutil.ignore_patterns("*.lock"))
        argv = [newsarchive, "reprocess", "--db", str(again / "news.db"), "--sources",
                str(sources)]
        if args.reprocess_workers:
            argv += ["--workers", str(args.reprocess_workers)]
        started = time.monotonic()
        result = run_cli(argv, tmp / "cli.log", tmp)
        meta["reprocess"] = {"exit": result.returncode,
                             "stdout": re.sub(r"\s*\([\d.]+ pages/s\)", "", result.stdout.strip()),
                             "seconds": round(time.monotonic() - started, 1)}
        log(f"reprocess: exit {result.returncode} {meta['reprocess']['stdout']} "
            f"({meta['reprocess']['seconds']} s)")
        if result.returncode != 0:
            die(f"reprocess failed (exit {result.returncode}); see {tmp}/cli.log")
        out = {"meta": meta, "crawl": crawl_dump, "reprocess": dump_archive(again / "news.db")}
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True)
                                  + "\n", encoding="utf-8")
        for name in ("crawl", "reprocess"):
            counts = {t: len(v["rows"]) for t, v in out[name]["tables"].items()}
            log(f"{name}: " + ", ".join(f"{t} {n}" for t, n in counts.items() if n))
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


# =========================================================================== dump

# Per known table: columns left out (differ between two runs of the same code), columns
# holding an article id (replaced by that article's canonical URL), and the row key.
TABLES = {
    "articles": {"drop": {"id", "crawl_run", "fetched_at", "warc_file", "warc_offset",
                          "warc_length"},
                 "article_ref": {"duplicate_of"}, "key": ["canonical_url"]},
    "seen_urls": {"drop": {"first_seen", "last_seen", "crawl_run"}, "key": ["canonical_url"]},
    "crawl_runs": {"drop": {"id", "started", "finished", "pid", "sources_file"},
                   "key": ["#"]},
    "article_versions": {"drop": {"id", "fetched_at", "replaced_at", "crawl_run"},
                         "article_ref": {"article_id"}},
    "places": {"key": ["name"]},
    "dedup_signatures": {"article_ref": {"article_id"}, "key": ["article_id"]},
    "dedup_bands": {"article_ref": {"article_id"}, "key": ["article_id", "key"]},
    "articles_search": {"article_ref": {"id"}, "key": ["id"]},
    "boilerplate_sources": {"key": ["source"]},
    "boilerplate_lines": {"drop": {"first_seen", "last_seen"}, "key": ["source", "line_key"]},
    "http_cache": {"drop": {"checked", "crawl_run"}, "key": ["url"]},
    "url_aliases": {"drop": {"crawl_run"}, "key": ["url"]},
    "dedup_backfill": {"drop": {"id"}},
}
# unknown tables: these columns are left out, article_id becomes a canonical URL, and the
# whole remaining row is the key
GENERIC_DROP = re.compile(r"^(id|pid|crawl_run|run_id|started|finished|checked|"
                          r".*_at|.*_seen|.*_time)$")
# bookkeeping of the migration tool: listed under "schema", not compared as data
META_TABLES = re.compile(r"^(_.*migrations.*|migrations)$")


def _value(value):
    if isinstance(value, bytes):
        return {"hex": value.hex()}
    return value


def _sort_key(row: dict, key: list[str]):
    return json.dumps([row.get(k) for k in key] if key else row, sort_keys=True,
                      ensure_ascii=False)


def dump_archive(db_path: Path) -> dict:
    """The normalised content of one archive (see the module docstring), plus its WARC
    records when the ``warc`` folder beside it holds any."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        objects = db.execute("select type, name, sql from sqlite_master "
                             "where type in ('table', 'view') order by name").fetchall()
        virtual = [o["name"] for o in objects if o["sql"] and
                   o["sql"].lower().startswith("create virtual table")]
        urls = {r[0]: r[1] for r in db.execute("select id, canonical_url from articles")} \
            if any(o["name"] == "articles" for o in objects) else {}
        tables, schema, meta_tables = {}, {"tables": {}, "views": []}, {}
        for obj in objects:
            name = obj["name"]
            if obj["type"] == "view":
                schema["views"].append(name)
                continue
            if name.startswith("sqlite_") or name in virtual or \
                    any(name.startswith(v + "_") for v in virtual):
                continue  # FTS index and its shadow tables: derived from articles_search
            columns = [c["name"] for c in db.execute(f'pragma table_xinfo("{name}")')
                       if c["hidden"] != 1]
            schema["tables"][name] = columns
            rows = [dict(r) for r in db.execute(
                f'select {", ".join(chr(34) + c + chr(34) for c in columns)} from "{name}" '
                f'order by rowid' if not _without_rowid(obj["sql"]) else
                f'select {", ".join(chr(34) + c + chr(34) for c in columns)} from "{name}"')]
            if META_TABLES.match(name):
                meta_tables[name] = [{k: _value(v) for k, v in r.items()
                                      if not GENERIC_DROP.match(k) and k != "applied_at"}
                                     for r in rows]
                continue
            tables[name] = _normalise(name, columns, rows, urls)
        schema["meta_tables"] = meta_tables
        warc_dir = Path(db_path).parent / "warc"
        if warc_dir.is_dir():
            tables["warc:records"] = dump_warc(warc_dir)
    finally:
        db.close()
    return {"schema": schema, "tables": tables}


def _without_rowid(sql: str | None) -> bool:
    return bool(sql) and "without rowid" in sql.lower()


def _normalise(name: str, columns: list[str], rows: list[dict], urls: dict) -> dict:
    rule = TABLES.get(name)
    if rule is None:
        drop = {c for c in columns if GENERIC_DROP.match(c)}
        refs = {"article_id"} & set(columns)
        key = None
    else:
        drop, refs, key = rule.get("drop", set()), rule.get("article_ref", set()), \
            rule.get("key")
    kept = [c for c in columns if c not in drop]
    out = []
    for i, row in enumerate(rows, 1):
        item = {}
        for col in kept:
            value = row[col]
            if col in refs and value is not None:
                value = urls.get(value, f"<no article {value}>")
            item[col] = _value(value)
        if key == ["#"]:
            item["#"] = i
        out.append(item)
    key = key or kept
    out.sort(key=lambda r: _sort_key(r, key))
    return {"columns": kept, "dropped": sorted(drop & set(columns)), "key": key, "rows": out}


def dump_warc(folder: Path) -> dict:
    """Every record of the WARC files in ``folder``: type, target URI, HTTP status line and
    headers, payload digest; a metadata record's fields.  Ids, dates, file names, offsets and
    the warcinfo records (which name the file) are left out."""
    rows = []
    for path in sorted(folder.iterdir()):
        if ".warc" not in path.name:
            continue
        with gzip.open(path, "rb") as fh:
            while True:
                line = fh.readline()
                if not line:
                    break
                if not line.strip():
                    continue
                if not line.startswith(b"WARC/"):
                    rows.append({"type": "<unreadable>", "file": path.name})
                    break
                headers = {}
                while True:
                    raw = fh.readline()
                    if raw in (b"\r\n", b"\n", b""):
                        break
                    k, _, v = raw.decode("utf-8", "replace").partition(":")
                    headers[k.strip()] = v.strip()
                block = fh.read(int(headers.get("Content-Length", 0)))
                kind = headers.get("WARC-Type")
                if kind == "warcinfo":
                    continue
                row = {"type": kind, "uri": headers.get("WARC-Target-URI"),
                       "payload_digest": headers.get("WARC-Payload-Digest"),
                       "ip": headers.get("WARC-IP-Address"),
                       "content_type": headers.get("Content-Type")}
                if kind in ("response", "request"):
                    head = block.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
                    row["http"] = head[0]
                    row["http_headers"] = sorted(head[1:])
                    if kind == "response":
                        row["block_digest"] = headers.get("WARC-Block-Digest")
                else:
                    row["block"] = block.decode("utf-8", "replace")
                rows.append(row)
    key = ["type", "uri", "http"]
    rows.sort(key=lambda r: _sort_key(r, []))
    # the same URI twice (refetched): number the repeats so each row has a key
    counts: dict[str, int] = {}
    for row in rows:
        k = _sort_key(row, key)
        counts[k] = counts.get(k, 0) + 1
        row["n"] = counts[k]
    columns = sorted({c for r in rows for c in r})
    return {"columns": columns, "dropped": [], "key": key + ["n"], "rows": rows}


def cmd_dump(args) -> int:
    out = json.dumps(dump_archive(Path(args.db)), indent=1, ensure_ascii=False, sort_keys=True)
    if args.out:
        Path(args.out).write_text(out + "\n", encoding="utf-8")
    else:
        print(out)
    return 0


# =========================================================================== compare

def _short(value, width: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 20] + f"... ({len(text)} chars)"


def _json_equal(a, b) -> bool:
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    try:
        return json.loads(a) == json.loads(b)
    except ValueError:
        return False


def _first_difference(a, b) -> str:
    if isinstance(a, list) and isinstance(b, list):
        only_a = [x for x in a if x not in b]
        only_b = [x for x in b if x not in a]
        return f" (only in A: {_short(only_a, 200)}; only in B: {_short(only_b, 200)})"
    if not (isinstance(a, str) and isinstance(b, str)):
        return ""
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f" (first difference at char {i}: {a[max(0, i - 30):i + 40]!r} vs " \
           f"{b[max(0, i - 30):i + 40]!r})"


def compare_dumps(a: dict, b: dict, label: str, examples: int, strict: bool) -> tuple[int, list]:
    """(number of failing differences, report lines) between two archive dumps."""
    lines, failing = [], 0
    ta, tb = a["tables"], b["tables"]
    missing = sorted(set(ta) - set(tb))
    added = sorted(set(tb) - set(ta))
    if missing:
        lines.append(f"  MISSING tables (in A, not in B): {', '.join(missing)}")
        failing += len(missing)
    if added:
        lines.append(f"  added tables (in B only, not compared): {', '.join(added)}")
        failing += len(added) if strict else 0
    meta_a, meta_b = a["schema"].get("meta_tables", {}), b["schema"].get("meta_tables", {})
    if meta_a != meta_b:
        lines.append(f"  note: migration bookkeeping differs ({', '.join(sorted(meta_a))} vs "
                     f"{', '.join(sorted(meta_b))}); not compared as data")
    for name in sorted(set(ta) & set(tb)):
        bad, table_lines = _compare_table(name, ta[name], tb[name], examples, strict)
        failing += bad
        lines += table_lines
    return failing, [f"[{label}]"] + lines


def _compare_table(name: str, da: dict, db_: dict, examples: int, strict: bool):
    """(failing differences, report lines) of one table.  Rows are matched by the table's
    key; rows that share a key (or a table whose key columns went missing) are matched as
    a multiset of whole rows (over the columns both have)."""
    common = [c for c in da["columns"] if c in db_["columns"]]
    cols_missing = [c for c in da["columns"] if c not in db_["columns"]]
    cols_added = [c for c in db_["columns"] if c not in da["columns"]]
    key = da["key"] if all(k in common or k in ("#", "n") for k in da["key"]) else common
    groups_a: dict[str, list] = {}
    groups_b: dict[str, list] = {}
    for rows, groups in ((da["rows"], groups_a), (db_["rows"], groups_b)):
        for row in rows:
            groups.setdefault(_sort_key(row, key), []).append(row)
    only_a = [r for k, g in groups_a.items() if k not in groups_b for r in g]
    only_b = [r for k, g in groups_b.items() if k not in groups_a for r in g]
    fields: dict[str, list] = {}
    matched = 0
    for k in (k for k in groups_a if k in groups_b):
        ga, gb = groups_a[k], groups_b[k]
        if len(ga) == 1 and len(gb) == 1:
            matched += 1
            for col in common:
                if ga[0].get(col) != gb[0].get(col):
                    fields.setdefault(col, []).append((k, ga[0].get(col), gb[0].get(col)))
            continue
        pool = [_sort_key({c: r.get(c) for c in common}, []) for r in gb]
        for row in ga:
            proj = _sort_key({c: row.get(c) for c in common}, [])
            if proj in pool:
                pool.remove(proj)
                matched += 1
            else:
                only_a.append(row)
        only_b += [json.loads(p) for p in pool]
    bad = len(only_a) + len(only_b) + sum(len(v) for v in fields.values()) + len(cols_missing)
    extra = len(cols_added) if strict else 0
    status = "same" if not bad else "DIFFERENT"
    if not bad and cols_added:
        status += " (over the columns A has)"
    lines = [f"  {name}: {len(da['rows'])} vs {len(db_['rows'])} rows, {matched} matched by "
             f"{'+'.join(key)}: {status}"]
    if cols_missing:
        lines.append(f"    MISSING columns (in A, not in B): {', '.join(cols_missing)}")
    if cols_added:
        lines.append(f"    added columns (in B only, not compared): {', '.join(cols_added)}")
    for which, rows in (("only in A", only_a), ("only in B", only_b)):
        if rows:
            lines.append(f"    {len(rows)} row(s) {which}: " + "; ".join(
                _short([r.get(k) for k in key] if key != common else r, 120)
                for r in rows[:examples]))
    for col, diffs in sorted(fields.items()):
        fmt = sum(_json_equal(x, y) for _, x, y in diffs)
        note = f" ({fmt} only in JSON formatting or key order)" if fmt else ""
        lines.append(f"    field {col}: {len(diffs)} row(s) differ{note}")
        for k, x, y in diffs[:examples]:
            lines.append(f"      {_short(json.loads(k), 100)}:")
            lines.append(f"        A {_short(x)}")
            lines.append(f"        B {_short(y)}{_first_difference(x, y)}")
    return bad + extra, lines


def cmd_compare(args) -> int:
    a = json.loads(Path(args.a).read_text(encoding="utf-8"))
    b = json.loads(Path(args.b).read_text(encoding="utf-8"))
    pairs = []
    if args.a_section or args.b_section:
        pairs.append((args.a_section or args.b_section, args.b_section or args.a_section))
    elif "tables" in a and "tables" in b:  # two plain dumps
        pairs.append((None, None))
    else:
        sections = ("crawl", "reprocess") if args.section == "all" else (args.section,)
        pairs += [(s, s) for s in sections]
    total = 0
    for sa, sb in pairs:
        da = a[sa] if sa else a
        db_ = b[sb] if sb else b
        label = sa if sa == sb else f"A:{sa} vs B:{sb}"
        failing, lines = compare_dumps(da, db_, label or "archive", args.examples, args.strict)
        total += failing
        print("\n".join(lines))
    for name in sorted({s for pair in pairs for s in pair if s} & {"crawl", "reprocess"}):
        ma, mb = a.get("meta", {}).get(name), b.get("meta", {}).get(name)
        if ma and mb and (ma.get("exit"), ma.get("stdout")) != (mb.get("exit"), mb.get("stdout")):
            print(f"[{name} command] A: exit {ma['exit']} {ma['stdout']!r}\n"
                  f"{' ' * (len(name) + 11)}B: exit {mb['exit']} {mb['stdout']!r}")
            total += 1
    sa_, sb_ = a.get("meta", {}).get("settings"), b.get("meta", {}).get("settings")
    if sa_ is not None and sb_ is not None and sa_ != sb_:
        print(f"note: the crawls ran with different settings: A {sa_} / B {sb_}")
    for side, record in (("A", a), ("B", b)):
        for host, seen in record.get("meta", {}).get("served", {}).items():
            if seen.get("misses"):
                print(f"note: run {side} asked {host} for {len(seen['misses'])} target(s) the "
                      f"snapshot does not hold, e.g. {seen['misses'][:3]}")
    print(f"{'SAME' if not total else f'DIFFERENT: {total} difference(s)'}")
    return 1 if total else 0


# =========================================================================== command line

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench/sameness.py", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="See the module docstring for the whole story.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("snapshot-sample", help="record the sample site")
    p.add_argument("outdir")
    p.add_argument("--venv", default=".venv")
    p.add_argument("--module", default=None,
                   help="the sample site's module (default: newsarchive.crawler.fakeweb, else "
                        "newsarchive.crawler.samplesite "
                        "if the venv has it, else crawler.samplesite)")
    p.add_argument("--port-base", type=int, default=SAMPLE_PORT_BASE,
                   help="outlet 127.0.0.N is recorded as served on this port + N")
    p.set_defaults(func=cmd_snapshot_sample)

    p = sub.add_parser("build-bench", help="a site of the article-extraction benchmark pages")
    p.add_argument("outdir")
    p.add_argument("--bench-dir", default=str(DEFAULT_BENCH_DIR))
    p.add_argument("--address", default=BENCH_ADDRESS, help="host:port it is served on")
    p.set_defaults(func=cmd_build_bench)

    p = sub.add_parser("serve", help="serve a site until Ctrl-C")
    p.add_argument("site")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("run", help="crawl a site, reprocess a copy, dump both")
    p.add_argument("site")
    p.add_argument("out")
    p.add_argument("--venv", default=".venv")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="one more crawl setting (repeatable)")
    p.add_argument("--no-pin", action="store_true",
                   help="leave out the determinism settings (PINNED), to see what they fix")
    p.add_argument("--reprocess-workers", type=int, default=1,
                   help="reprocess --workers (default 1; 0: the command's own default)")
    p.add_argument("--keep", action="store_true", help="keep the temporary archives and logs")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("dump", help="the normalised content of one archive, as JSON")
    p.add_argument("db")
    p.add_argument("out", nargs="?")
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("compare", help="compare two records field by field; exit 1 if they differ")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--section", choices=("crawl", "reprocess", "all"), default="all")
    p.add_argument("--a-section", default=None)
    p.add_argument("--b-section", default=None)
    p.add_argument("--examples", type=int, default=3)
    p.add_argument("--strict", action="store_true",
                   help="added tables and columns count as differences too")
    p.set_defaults(func=cmd_compare)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
