"""Benchmark: per-article de-duplication cost with 1k and with 100k archived articles.

    .venv/bin/python bench/dedup.py                 # sizes 1000 and 100000
    .venv/bin/python bench/dedup.py --sizes 1000,10000 --probes 300

For each size it builds a fresh archive of synthetic articles (random words, three
paragraphs each, generated in a process pool; articles and index rows inserted in bulk).
The articles the probes will copy are MinHashed for real; filler articles get random band
keys, which is what random texts give, at a fraction of the cost (``--real-fingerprints``
MinHashes them all).  Each archive is reopened as a later cron run would, then the bench
times what the crawl does per article, in turns across the sizes so machine load weighs
on all alike:

    lookup  = exact-hash query + LSH band query + verification of candidates
    insert  = article row + signature + band rows, in one transaction

Half of the probes are near-copies of archived articles (a wire dateline, one word changed,
the last paragraph dropped) so candidates are fetched and verified; half are new stories.
Fingerprinting (MinHash of the new text) does not depend on the archive size and is
reported apart.  It prints the per-article cost at each size, the ratio of the largest to
the smallest (goal <= 1.5), peak RSS, the tracemalloc peak of the look-ups, and the query
plans (index searches, no scan).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchive.archive import dedup as archive_dedup  # noqa: E402
from newsarchive.archive import store  # noqa: E402
from newsarchive.archive.db import open_db  # noqa: E402
from newsarchive.pipelines import dedup  # noqa: E402

VOCAB_SIZE = 30_000
WORDS_PER_PARAGRAPH = 60
LETTERS = "abcdefghijklmnoprstuvwyz"
WARMUP = 20


def vocabulary(seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = set()
    while len(words) < VOCAB_SIZE:
        words.add("".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 10))))
    return sorted(words)


VOCAB = vocabulary()


def synthetic_text(n: int) -> str:
    rng = random.Random(n)
    return "\n\n".join(" ".join(rng.choices(VOCAB, k=WORDS_PER_PARAGRAPH)) for _ in range(3))


def near_copy(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n")
    words = paras[1].split()
    words[rng.randrange(len(words))] = "changed"
    paras[1] = " ".join(words)
    return "DAMASCUS (Wire) — " + "\n\n".join(paras[:-1]) + "\n\n" + paras[-1][:120]


def copy_sources(size: int, count: int) -> list[int]:
    """The archived articles the probes copy (fingerprinted for real when building)."""
    return random.Random(size).sample(range(size), k=min(size, count))


def _fingerprint_chunk(job):
    """(n, content_hash, signature, band keys) for articles start..stop-1.

    Articles in ``real`` (those the probes copy), or all with ``all_real``, get their
    MinHash computed from their text.  The others get random band keys and signature:
    what random texts give anyway, without spending minutes on MinHash for filler.
    """
    start, stop, real, all_real = job
    rng = np.random.default_rng(start)
    keys = rng.integers(-2**63, 2**63 - 1, size=(stop - start, dedup.BANDS), dtype=np.int64)
    sigs = rng.integers(0, 2**32 - 1, size=(stop - start, dedup.NUM_PERM), dtype=np.uint32)
    out = []
    for k, n in enumerate(range(start, stop)):
        text = synthetic_text(n)
        if all_real or n in real:
            fp = dedup.fingerprint(text)
            out.append((n, fp["content_hash"], fp["signature"], fp["bands"]))
        else:
            out.append((n, dedup.content_hash(text), sigs[k].astype("<u4").tobytes(),
                        keys[k].tolist()))
    return out


def _bounded_map(pool, fn, jobs, window):
    """pool.map that keeps at most ``window`` results waiting (bounded memory)."""
    pending = []
    for job in jobs:
        pending.append(pool.submit(fn, job))
        if len(pending) >= window:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


def build(path: Path, size: int, workers: int, probes: int, all_real: bool) -> float:
    """Archive ``size`` synthetic articles at ``path``; return seconds taken."""
    t0 = time.perf_counter()
    db = open_db(path)
    db.execute("pragma cache_size = -65536")  # 64 MiB while bulk loading only
    real = frozenset(copy_sources(size, probes + WARMUP))
    chunk = 5_000
    jobs = [(s, min(s + chunk, size), real, all_real) for s in range(0, size, chunk)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for rows in _bounded_map(pool, _fingerprint_chunk, jobs, 2 * workers):
            with db.atomic():
                db.conn.executemany(
                    "insert into articles (id, url, canonical_url, source, title, text, "
                    "fetched_at, content_hash) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(n + 1, f"https://bench.example/{n}", f"https://bench.example/{n}",
                      f"outlet{n % 50}", f"Article {n}", synthetic_text(n),
                      "2026-01-01T00:00:00+00:00", h) for n, h, _, _ in rows])
                archive_dedup.bulk_index(db, [(n + 1, sig, bands, None, None)
                                              for n, _, sig, bands in rows])
    db.execute("analyze")
    db.close()
    return time.perf_counter() - t0


class Prober:
    """Times what the crawl does per new article against one archive."""

    def __init__(self, path: Path, size: int, probes: int):
        self.path, self.size = path, size
        self.db = open_db(path)  # a fresh connection: what the next cron run sees
        rng = random.Random(size)
        sources = copy_sources(size, probes + WARMUP)
        self.texts = []
        for i in range(probes + WARMUP):
            if i % 2:
                self.texts.append(near_copy(synthetic_text(sources[i % len(sources)]), rng))
            else:
                self.texts.append(synthetic_text(10_000_000 + size + i))
        self.next = 0
        self.fp, self.lookup, self.insert, self.wall, self.found = [], [], [], [], 0

    def run(self, count: int) -> None:
        db, clock = self.db, time.process_time
        for _ in range(count):
            i = self.next
            self.next += 1
            text = self.texts[i]
            w0 = time.perf_counter()
            t0 = clock()
            fp = dedup.fingerprint(text)
            t1 = clock()
            match = dedup.find_duplicate(db, text, fp)
            t2 = clock()
            with db.atomic():
                article_id = store.insert_article(db, {
                    "url": f"https://probe.example/{i}",
                    "canonical_url": f"https://probe.example/{i}", "source": "probe",
                    "text": text, "fetched_at": "2026-01-02T00:00:00+00:00",
                    "content_hash": fp["content_hash"],
                    "duplicate_of": match["id"] if match else None})
                archive_dedup.index_article(db, article_id, fp)
            t3 = clock()
            w1 = time.perf_counter()
            if i < WARMUP:
                continue
            self.found += match is not None
            self.fp.append((t1 - t0) * 1000)
            self.lookup.append((t2 - t1) * 1000)
            self.insert.append((t3 - t2) * 1000)
            self.wall.append((w1 - w0) * 1000 - (t1 - t0) * 1000)

    def result(self) -> dict:
        db = self.db
        # memory of the look-up itself, apart: tracemalloc slows everything it watches
        lookups = [(t, dedup.fingerprint(t)) for t in self.texts[:100]]
        tracemalloc.start()
        for text, fp in lookups:
            dedup.find_duplicate(db, text, fp)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        plans = {
            "bands": _plan(db, "select article_id, count(*) as n from dedup_bands where key "
                               "in (1, 2, 3) and article_id != -1 group by article_id "
                               "order by n desc limit 20"),
            "hash": _plan(db, "select id, duplicate_of from articles where content_hash = "
                              "'x' and id != -1 order by id limit 1"),
            "load": _plan(db, "select a.id from articles a join dedup_signatures s on "
                              "s.article_id = a.id where a.id in (1, 2)"),
        }
        rows = db.execute("select count(*) from dedup_bands").fetchone()[0]
        db.close()
        lookup, insert = statistics.mean(self.lookup), statistics.mean(self.insert)
        return {
            "size": self.size, "probes": len(self.lookup), "found": self.found,
            "band_rows": rows, "fingerprint_ms": statistics.mean(self.fp),
            "lookup_ms": lookup, "insert_ms": insert, "dedup_ms": lookup + insert,
            "wall_median_ms": statistics.median(self.wall),
            "traced_peak_kib": traced_peak / 1024, "plans": plans,
        }


def _plan(db, sql: str) -> str:
    return "; ".join(str(r[-1]) for r in db.execute("explain query plan " + sql).fetchall())


def rss_mib() -> float:
    """Current resident set size (Linux), to see whether the probes grow it."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:  # pragma: no cover - not Linux
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000",
                        help="comma-separated archive sizes (default 1000,100000)")
    parser.add_argument("--probes", type=int, default=400, help="timed articles per size")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--real-fingerprints", action="store_true",
                        help="MinHash every filler article too (slower build, same index)")
    parser.add_argument("--dir", help="where to build the archives (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        probers, built = [], {}
        for size in sizes:
            path = Path(tmp) / f"bench-{size}.db"
            built[size] = build(path, size, args.workers, args.probes, args.real_fingerprints)
            print(f"size {size:>7,}: built in {built[size]:6.1f} s, "
                  f"{path.stat().st_size / 2**20:7.1f} MiB", flush=True)
            probers.append(Prober(path, size, args.probes))
        rss_before = rss_mib()
        # probe the archives in turns of 20 articles, so that whatever else the machine
        # does at the time weighs on every size alike
        for _ in range((args.probes + WARMUP) // 20 + 1):
            for prober in probers:
                prober.run(min(20, len(prober.texts) - prober.next))
        for prober in probers:
            r = prober.result()
            results.append(r)
            print(f"size {r['size']:>7,}: {r['band_rows']:,} band rows")
            print(f"    per article (CPU): lookup {r['lookup_ms']:.3f} ms + insert "
                  f"{r['insert_ms']:.3f} ms = dedup {r['dedup_ms']:.3f} ms; wall median "
                  f"{r['wall_median_ms']:.3f} ms; fingerprint {r['fingerprint_ms']:.3f} ms; "
                  f"duplicates found {r['found']}/{r['probes']}")
            print(f"    memory: tracemalloc peak of 100 look-ups {r['traced_peak_kib']:.0f} KiB")
            for name, plan in r["plans"].items():
                print(f"    plan {name}: {plan}")
        print(f"RSS {rss_before:.0f} MiB before the probes, {rss_mib():.0f} MiB after; "
              f"peak RSS of the whole run (builds included) {peak_rss_mib():.0f} MiB")
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratio = large["dedup_ms"] / small["dedup_ms"]
        ratio_fp = ((large["dedup_ms"] + large["fingerprint_ms"])
                    / (small["dedup_ms"] + small["fingerprint_ms"]))
        wall = large["wall_median_ms"] / small["wall_median_ms"]
        verdict = "OK" if ratio <= 1.5 else "ABOVE GOAL"
        print(f"ratio dedup cost {large['size']:,} / {small['size']:,}: {ratio:.2f} "
              f"(goal <= 1.5: {verdict}); with fingerprinting: {ratio_fp:.2f}; "
              f"wall-clock medians: {wall:.2f}")
    for r in results:
        if any("SCAN dedup_bands" in p or "SCAN a" == p for p in r["plans"].values()):
            print("WARNING: a full scan in a look-up plan")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
