"""Throughput benchmark: newsarchive's full crawl against plain Scrapy, same site, same run.

    make bench                                   # 2,000 real-size pages, 3 repetitions
    BENCH_PAGES=500 BENCH_REPEAT=1 .venv/bin/python bench/throughput.py

Serves a fake-web profile (``crawler/fakeweb``) from a process of its own: by default
``bench-real``, N article pages built on real outlets' pages (the 120 pages of
``../shared/bench/article-extraction``, or BENCH_TEMPLATES), each carrying a story of its
own, about 5 % near-copies and 10 % off topic, over four loopback outlets with listings,
feeds and sitemaps; without those templates ``bench-synthetic`` (generated pages of 30-120
KB, cheap to extract).  Then it crawls
the same article URLs, each variant in a subprocess of its own, in turns (so machine load
weighs on all alike):

    raw         Scrapy fetching every article, doing nothing with it (the ceiling)
    plain       Scrapy with trafilatura.extract in the parse callback, items to JSON lines
                (what a typical Scrapy news project does)
    full        ``newsarchive crawl`` into a fresh archive: classify, extract, clean, tag,
                topic filter, dedup, WARC capture, store (DOWNLOAD_DELAY=0, AutoThrottle
                off, robots.txt obeyed)
    news-please news-please's own crawler on the same sitemaps, when it is installed
                (here, or in the interpreter named by BENCH_NEWSPLEASE_PYTHON)

For each: pages/s (article pages / wall time of the process, start-up included), CPU
seconds of the process and all its descendants (pool workers included: the benchmark is
their child subreaper, so even processes orphaned at exit are reaped and counted), peak
RSS summed over the process tree (sampled every 0.1 s; shared pages counted once per
process, so it overstates) and peak PSS (shared pages split).  Medians over BENCH_REPEAT
runs (default 3), with min-max.  The site server's own CPU time during each run is
reported too, so one can see it is not the bottleneck.

Environment: BENCH_PROFILE (bench-real, else bench-synthetic: the fake-web profile served;
it must take ``--pages``), BENCH_TEMPLATES (bench-real's page folder), BENCH_PAGES (2000),
BENCH_REPEAT (3), BENCH_RSS_PAGES (20000: one more full crawl of a site this size, whose
peak RSS and PSS are compared with the N-page crawl's; 0 skips it), BENCH_VARIANTS (comma
list, default all), BENCH_STARTUP (3: also crawl a site of one article page this many times
with plain and full in turns; the median CPU is the start-up cost, one crawl of a page
varying by a quarter; 0 skips it), BENCH_NEWSPLEASE_REPEAT (1: it is slow),
BENCH_RESULTS (where to write the Markdown report; default bench/RESULTS.md),
NEWSARCHIVE_WORKERS (passed on to the full crawl), BENCH_FULL_SETTINGS (space-separated
KEY=VALUE settings for the full crawl, to experiment).
The last line printed is ``full/plain ratio: X.XX`` (median full pages/s over median
plain pages/s).
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from realpages import templates_folder  # bench/, beside this script

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

GOALS = {"full/plain": 1.6, "full/news-please": 5.0, "rss": 1.2, "pss": 1.2,
         "cpu/page": 1.25, "start-up": 1.5}
LOWER_IS_BETTER = ("rss", "pss", "cpu/page", "start-up")  # ratios whose goal is a ceiling
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ process accounting
def become_subreaper() -> bool:
    """Orphaned descendants (a pool's forkserver, say) become our children, so their CPU
    time reaches RUSAGE_CHILDREN when we reap them.  Linux only; False elsewhere."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def children_of(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children_of(p)
    return pids


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes (0, 0 once it is gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                rss = pss = int(fh.read().split()[1]) * PAGE_SIZE
        except OSError:
            pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    """user+system CPU seconds of one live process (its own, not its children's)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


class Sampler(threading.Thread):
    """Peak RSS and PSS summed over a process tree, every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            pids = tree(self.pid)
            rss = pss = 0
            for p in pids:
                r, s = memory(p)
                rss, pss = rss + r, pss + s
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


def reap_orphans(keep: set[int]) -> None:
    """Wait for every child of ours (orphans handed to us) except those in ``keep``."""
    me = os.getpid()
    while True:
        mine = [p for p in children_of(me) if p not in keep]
        if not mine:
            return
        for p in mine:
            try:
                os.waitpid(p, 0)
            except ChildProcessError:
                pass


def run_measured(cmd: list[str], env: dict, log: Path, server_pid: int,
                 keep: set[int]) -> dict:
    """Run ``cmd``; wall time, CPU of it and its descendants, peak memory, server CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                                stdout=err, stderr=subprocess.STDOUT)
        sampler = Sampler(proc.pid)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - started
        sampler.stop()
    reap_orphans(keep)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"code": code, "wall": wall,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "rss": sampler.peak_rss, "pss": sampler.peak_pss, "procs": sampler.peak_procs,
            "maxrss_one": after.ru_maxrss * 1024,
            "server_cpu": cpu_seconds(server_pid) - server_before}


# --------------------------------------------------------------------------- the site
def choose_profile(asked: str | None) -> tuple[str, list[str]]:
    """The fake-web profile to serve and its extra options: ``bench-real`` on real page
    templates when they are here (the default), else ``bench-synthetic``."""
    folder = templates_folder()
    if asked in (None, "", "bench-real"):
        if folder is not None:
            return "bench-real", ["--templates", str(folder)]
        if asked == "bench-real":
            raise SystemExit("bench-real needs real page templates: set BENCH_TEMPLATES to a "
                             "folder of .html pages (or put ../shared beside the project)")
        print("real page templates not found (BENCH_TEMPLATES, ../shared/bench): serving the "
              "synthetic profile, whose pages cost far less to extract than real ones", flush=True)
        return "bench-synthetic", []
    return asked, []


class Site:
    """The benchmark site: a fake-web profile served in a process of its own."""

    def __init__(self, pages: int, profile: str | None = None):
        self.profile, extra = choose_profile(profile or os.environ.get("BENCH_PROFILE"))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive.crawler.fakeweb", "--profile", self.profile,
             "--json", "--pages", str(pages), *extra,
             # news-please cannot crawl URLs with a port (it takes "host:port" for a domain)
             "--port", "80" if hasattr(os, "geteuid") and os.geteuid() == 0 else "0"], cwd=REPO,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("bench site did not start: "
                               + self.proc.stderr.read().decode(errors="replace")[-2000:])
        self.info = json.loads(line)
        self.pid = self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait()


# --------------------------------------------------------------------------- variants
def newsplease_python() -> str | None:
    """An interpreter that can import news-please (ours, or BENCH_NEWSPLEASE_PYTHON)."""
    candidates = [os.environ.get("BENCH_NEWSPLEASE_PYTHON"), sys.executable,
                  "/tmp/np-venv/bin/python"]
    for python in filter(None, candidates):
        if not Path(python).exists():
            continue
        probe = subprocess.run([python, "-c", "import newsplease"], capture_output=True)
        if probe.returncode == 0:
            return python
    return None


def variant_command(name: str, site: Site, work: Path, env: dict) -> list[str]:
    py = sys.executable
    sitemaps = site.info["sitemaps"]
    if name == "raw":
        return [py, str(BENCH / "variants.py"), "raw", *sitemaps]
    if name == "plain":
        return [py, str(BENCH / "variants.py"), "plain", *sitemaps,
                "--out", str(work / "plain.jsonl")]
    if name == "full":
        sources = work / "sources.toml"
        sources.write_text(site.info["sources_toml"], encoding="utf-8")
        return [py, "-m", "newsarchive.crawler.cli", "crawl", "--sources", str(sources),
                "--db", str(work / "news.db"), "--log-file", str(work / "crawl.log"),
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
                "-s", "ROBOTSTXT_OBEY=1", "-s", "LOG_LEVEL=INFO",
                *(["-s", f"NEWSARCHIVE_WORKERS={env['NEWSARCHIVE_WORKERS']}"]
                  if env.get("NEWSARCHIVE_WORKERS") else []),
                *[arg for pair in env.get("BENCH_FULL_SETTINGS", "").split()
                  for arg in ("-s", pair)]]
    if name == "news-please":
        from newsplease_config import write_config  # bench/newsplease_config.py

        python = env["BENCH_NEWSPLEASE_PYTHON"]
        found = subprocess.run([python, "-c", "import newsplease, os; print(os.path.dirname("
                                "newsplease.__file__))"], capture_output=True, text=True)
        template = (Path(found.stdout.strip()) / "config" / "config.cfg").read_text()
        config = write_config(work / "news-please", sitemaps, template)
        return [python, "-m", "newsplease", "-c", str(config), "-no-confirm"]
    raise ValueError(name)


def outcome(name: str, work: Path) -> dict:
    """What the variant produced (articles stored, items written...)."""
    if name == "plain":
        path = work / "plain.jsonl"
        return {"items": sum(1 for _ in path.open()) if path.exists() else 0}
    if name == "full":
        import re

        from newsarchive.archive.db import open_db
        from newsarchive.archive.runs import get_run

        said = re.search(r"^run (\d+) ", (work / "variant.log").read_text(errors="replace"),
                         re.MULTILINE)
        if not said or not (work / "news.db").exists():
            return {}
        db = open_db(work / "news.db")
        try:
            run = get_run(db, int(said.group(1))) or {}
        finally:
            db.close()
        return {k: run.get(k) for k in ("status", "stored", "duplicate", "off_topic",
                                         "not_article", "failed")}
    if name == "news-please":
        data = work / "news-please" / "data"
        return {"items": sum(1 for _ in data.rglob("*.json")) if data.exists() else 0}
    return {}


def measure(name: str, site: Site, env: dict, keep: set[int]) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    try:
        cmd = variant_command(name, site, work, env)
        result = run_measured(cmd, env, work / "variant.log", site.pid, keep)
        result.update(outcome(name, work))
        if result["code"] != 0:
            tail = (work / "variant.log").read_text(errors="replace")[-1500:]
            if (work / "crawl.log").exists():
                tail += (work / "crawl.log").read_text(errors="replace")[-1500:]
            result["error"] = tail
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------- report
def machine() -> dict:
    import scrapy
    import trafilatura

    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cpu": model, "cores": os.cpu_count(),
            "usable cores": len(os.sched_getaffinity(0)), "ram": f"{ram / 2**30:.1f} GiB",
            "os": platform.platform(), "python": platform.python_version(),
            "scrapy": scrapy.__version__, "trafilatura": trafilatura.__version__,
            "workers": os.environ.get("NEWSARCHIVE_WORKERS", "default (one per core)"),
            "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def spread(values: list[float], fmt: str) -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return format(med, fmt)
    return f"{format(med, fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def table(results: dict, pages: int) -> list[str]:
    head = ("variant", "pages/s", "CPU s", "CPU ms/page", "peak RSS MB", "peak PSS MB",
            "server CPU s", "result")
    rows = [head]
    for name, runs in results.items():
        ok = [r for r in runs if r["code"] == 0]
        if not ok:
            rows.append((name, "failed", "", "", "", "", "", (runs[0].get("error") or "")[-60:]))
            continue
        res = {k: v for k, v in ok[-1].items() if k not in (
            "code", "wall", "cpu", "rss", "pss", "procs", "maxrss_one", "server_cpu", "error")}
        rows.append((
            name,
            spread([pages / r["wall"] for r in ok], ".1f"),
            spread([r["cpu"] for r in ok], ".1f"),
            spread([1000 * r["cpu"] / pages for r in ok], ".1f"),
            spread([r["rss"] / 2**20 for r in ok], ".0f"),
            spread([r["pss"] / 2**20 for r in ok], ".0f"),
            spread([r["server_cpu"] for r in ok], ".1f"),
            " ".join(f"{k}={v}" for k, v in res.items() if v is not None) or "-",
        ))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def median_rate(runs: list[dict], pages: int) -> float | None:
    ok = [pages / r["wall"] for r in runs if r["code"] == 0]
    return statistics.median(ok) if ok else None


def main() -> int:
    pages = int(os.environ.get("BENCH_PAGES", "2000"))
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    rss_pages = int(os.environ.get("BENCH_RSS_PAGES", "20000"))
    np_repeat = int(os.environ.get("BENCH_NEWSPLEASE_REPEAT", "1"))
    wanted = [v.strip() for v in os.environ.get(
        "BENCH_VARIANTS", "raw,plain,full,news-please").split(",") if v.strip()]
    out = Path(os.environ.get("BENCH_RESULTS", BENCH / "RESULTS.md"))
    sys.path.insert(0, str(BENCH))
    env = dict(os.environ)
    if "news-please" in wanted:
        python = newsplease_python()
        if python is None:
            print("news-please is not installed: skipped (pip install news-please, or set "
                  "BENCH_NEWSPLEASE_PYTHON to an interpreter that has it)", flush=True)
            wanted.remove("news-please")
        else:
            env["BENCH_NEWSPLEASE_PYTHON"] = python
    subreaper = become_subreaper()
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    started = time.time()
    site = Site(pages)
    keep = {site.pid}
    s = site.info
    print(f"site: {site.profile}, {pages} article pages over {len(s['bases'])} outlets, "
          f"{s['size_min'] / 1024:.0f}/{s['size_median'] / 1024:.0f}/{s['size_max'] / 1024:.0f}"
          f" KB min/median/max, {s['bytes'] / 2**20:.0f} MB", flush=True)
    results: dict[str, list[dict]] = {name: [] for name in wanted}
    try:
        for rep in range(repeat):
            for name in wanted:
                if name == "news-please" and rep >= np_repeat:
                    continue
                r = measure(name, site, env, keep)
                results[name].append(r)
                extra = "" if r["code"] == 0 else f"  FAILED (exit {r['code']})"
                print(f"  run {rep + 1}/{repeat} {name:<11} {pages / r['wall']:7.1f} pages/s"
                      f"  cpu {r['cpu']:6.1f} s  rss {r['rss'] / 2**20:6.0f} MB"
                      f"  server cpu {r['server_cpu']:.1f} s{extra}", flush=True)
                if r.get("error"):
                    print("    " + r["error"][-800:].replace("\n", "\n    "), flush=True)
    finally:
        site.stop()
        reap_orphans(set())
    scale = None
    if rss_pages > pages and "full" in wanted:
        big = Site(rss_pages)
        try:
            r = measure("full", big, env, {big.pid})
        finally:
            big.stop()
            reap_orphans(set())
        scale = r
        print(f"  full crawl of {rss_pages} pages: {rss_pages / r['wall']:.1f} pages/s, "
              f"rss {r['rss'] / 2**20:.0f} MB, pss {r['pss'] / 2**20:.0f} MB", flush=True)

    startup = {}
    samples = int(os.environ.get("BENCH_STARTUP", "3") or 0)
    if samples > 0:
        # start-up: the same variants on a site of one article page (what a cron run of a
        # few pages pays in full), in turns, the median of each
        empty = Site(1, "bench-synthetic")
        runs: dict[str, list[dict]] = {}
        try:
            for _ in range(samples):
                for name in [n for n in ("plain", "full") if n in wanted]:
                    r = measure(name, empty, env, {empty.pid})
                    runs.setdefault(name, []).append(r)
                    print(f"  start-up {name:<11} cpu {r['cpu']:6.2f} s  "
                          f"pss {r['pss'] / 2**20:6.0f} MB", flush=True)
            for name, taken in runs.items():
                startup[name] = {
                    "cpu": statistics.median(r["cpu"] for r in taken),
                    "pss": statistics.median(r["pss"] for r in taken),
                    "cpus": sorted(r["cpu"] for r in taken)}
        finally:
            empty.stop()
            reap_orphans(set())

    lines = table(results, pages)
    print()
    print("\n".join(lines))
    rates = {name: median_rate(runs, pages) for name, runs in results.items()}
    ratios = {}
    if rates.get("full") and rates.get("plain"):
        ratios["full/plain"] = rates["full"] / rates["plain"]
    if rates.get("full") and rates.get("raw"):
        ratios["full/raw"] = rates["full"] / rates["raw"]
    if rates.get("full") and rates.get("news-please"):
        ratios["full/news-please"] = rates["full"] / rates["news-please"]
    cpu = {name: statistics.median(r["cpu"] / pages for r in runs if r["code"] == 0)
           for name, runs in results.items() if any(r["code"] == 0 for r in runs)}
    if cpu.get("full") and cpu.get("plain"):
        ratios["cpu/page full/plain"] = cpu["full"] / cpu["plain"]
    if startup.get("full") and startup.get("plain") and startup["plain"]["cpu"] > 0:
        ratios["start-up cpu full/plain"] = startup["full"]["cpu"] / startup["plain"]["cpu"]
    if scale and scale["code"] == 0 and results.get("full"):
        small = statistics.median(r["rss"] for r in results["full"] if r["code"] == 0)
        ratios[f"rss {rss_pages}/{pages}"] = scale["rss"] / small
        ratios[f"pss {rss_pages}/{pages}"] = scale["pss"] / statistics.median(
            r["pss"] for r in results["full"] if r["code"] == 0)
    print()
    for key, value in ratios.items():
        goal = GOALS.get(key.split()[0])
        verdict = ""
        if goal:
            ceiling = key.startswith(LOWER_IS_BETTER)
            met = value <= goal if ceiling else value >= goal
            verdict = f"  (goal {'<=' if ceiling else '>='} {goal}: " \
                      f"{'met' if met else 'MISSED'})"
        print(f"{key}: {value:.2f}{verdict}")
    for name, r in startup.items():
        print(f"start-up CPU {name}: {r['cpu']:.2f} s")

    write_report(out, info, site.profile, s, pages, repeat, lines, ratios, scale, rss_pages,
                 subreaper, time.time() - started, startup)
    plain_ratio = ratios.get("full/plain")
    print(f"full/plain ratio: {plain_ratio:.2f}" if plain_ratio is not None
          else "full/plain ratio: n/a")
    failed = any(r["code"] != 0 for runs in results.values() for r in runs)
    return 1 if failed else 0


def write_report(out: Path, info: dict, profile: str, s: dict, pages: int, repeat: int,
                 lines: list[str], ratios: dict, scale: dict | None, rss_pages: int,
                 subreaper: bool, seconds: float, startup: dict | None = None) -> None:
    md = ["# Throughput benchmark results", "",
          f"Written by `bench/throughput.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},"
          f" {seconds / 60:.0f} min).  Re-run with `make bench`.", "",
          "## Machine", ""]
    md += [f"- {k}: {v}" for k, v in info.items()]
    md += ["", "## Site", "",
           f"Fake-web profile `{profile}`: {pages} article pages over {len(s['bases'])} loopback "
           f"outlets; page sizes {s['size_min'] / 1024:.0f} / {s['size_median'] / 1024:.0f} / "
           f"{s['size_max'] / 1024:.0f} KB (min / median / max), {s['bytes'] / 2**20:.0f} MB "
           f"in all, served from memory by one asyncio process (its CPU time per run is the "
           f"`server CPU s` column).", "",
           f"## Results (median of {repeat}, min-max in brackets)", ""]
    md += lines
    md += ["", "pages/s = article pages / wall time of the crawl process (start-up included). "
           "CPU s = user + system time of the process and all its descendants"
           + (" (the benchmark is their child subreaper)" if subreaper else "")
           + ". Peak RSS is summed over the process tree (shared pages counted in every "
           "process); PSS splits shared pages.", "", "## Ratios", ""]
    for key, value in ratios.items():
        goal = GOALS.get(key.split()[0])
        md.append(f"- {key}: **{value:.2f}**" + (f" (goal {'<=' if key.startswith(LOWER_IS_BETTER) else '>='}"
                                                   f" {goal})" if goal else ""))
    if startup:
        md += ["", "Start-up (the same crawl of a site of one article page, median of "
               f"{len(next(iter(startup.values()))['cpus'])}): "
               + "; ".join(f"{name} {r['cpu']:.2f} s CPU ({r['cpus'][0]:.2f}-{r['cpus'][-1]:.2f}),"
                           f" peak PSS {r['pss'] / 2**20:.0f} MB"
                           for name, r in startup.items()) + "."]
    if scale:
        md += ["", f"Full crawl of a {rss_pages}-page site: {rss_pages / scale['wall']:.1f} "
               f"pages/s, peak RSS {scale['rss'] / 2**20:.0f} MB, peak PSS "
               f"{scale['pss'] / 2**20:.0f} MB."]
    notes = BENCH / "RESULTS.notes.md"
    if notes.exists():
        md += ["", notes.read_text(encoding="utf-8").strip()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
