"""How much faster ``newsarchive reprocess`` gets with more cores.

Builds its own corpus in a temporary folder: the ``bench-real`` site's article pages (real
outlets' pages, each carrying a story of its own; see bench/realpages.py for where they come
from), or without them the sample site's article pages padded with page furniture to 30-120 KB,
written as WARC captures with the archive's own writer, plus one ``articles`` row per page
pointing at its capture (text not yet extracted).  Then runs the same re-processing on a
fresh copy of that archive with 1 worker and with N workers (default 2) and prints both
rates and the ratio.  Goal (issue #7): on 2 cores at least 1.7x the pages/s of one core.

Two more figures say what the ratio means on the machine at hand: a calibration (plain
CPU work in 1 and N processes: a busy machine, or a scheduler that gives each login
session one share of the CPU, yields much less than N) and the serial share of the work
(the main process's part of the CPU time), which bounds the speed-up on idle cores.

Usage::

    python bench/reprocess.py                  # 240 pages, 1 vs 2 workers, best of 2
    python bench/reprocess.py --pages-from sample   # without real page templates
    python bench/reprocess.py --pages 600 --workers 4
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from realpages import templates_folder  # bench/, beside this script

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

GOAL = 1.7

WORDS = ("council residents road convoy checkpoint market school clinic bread fuel water "
         "winter camp families returned crossing shelling district village report monitor "
         "statement officials aid delivery shortage electricity prices harvest").split()


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def furniture(rng: random.Random, size: int) -> str:
    """Page furniture of about ``size`` bytes: what real news pages carry besides the
    article (and what extraction must wade through)."""
    parts: list[str] = []
    total = 0

    def add(text: str) -> None:
        nonlocal total
        parts.append(text)
        total += len(text)

    add('<nav class="menu"><ul>')
    for i in range(40):
        add(f'<li><a href="/section/{i}/">{rng.choice(WORDS).title()}</a></li>')
    add('</ul></nav><aside class="most-read"><h3>Most read</h3><ol>')
    while total < size * 0.6:
        add(f'<li><a href="/2016/03/{rng.randrange(10**6)}/">{_sentence(rng, 9)}'
            f'</a><span class="date">2016-03-0{rng.randrange(1, 9)}</span></li>')
    add('</ol></aside><section class="comments"><h3>Comments</h3>')
    while total < size * 0.85:
        add(f'<div class="comment"><b>reader{rng.randrange(999)}</b>'
            f'<p>{_sentence(rng, 20)}</p></div>')
    add("</section><script>var config = {")
    while total < size:
        add(f'"k{rng.randrange(10**6)}": "{rng.randrange(10**12):x}", ')
    add("};</script>")
    return "".join(parts)


def sample_pages() -> list[tuple[str, str, bytes]]:
    """(source, url, html) of every article of the bundled sample site."""
    from newsarchive.crawler.fakeweb.content import load_outlets
    from newsarchive.crawler.fakeweb.outlet import OutletSite

    pages = []
    for i, outlet in enumerate(load_outlets()):
        base = f"http://127.0.0.{i + 2}:8000"
        site = OutletSite(outlet, base)
        for article in site.articles:
            found = site.routes.get(article["path"])
            if found and article["expect"] == "stored":
                pages.append((outlet["name"], base + article["path"], found[1]))
    return pages


def real_pages(pages: int, folder: Path) -> list[tuple[str, str, bytes]]:
    """(source, url, html) of the ``bench-real`` site's article pages: real outlets' pages,
    each carrying a story of its own (see crawler/fakeweb/profiles/bench_real.py)."""
    from newsarchive.crawler.fakeweb.profiles.bench_real import RealBenchSite

    site = RealBenchSite(folder, pages=pages)
    site.bind({o.name: f"http://127.0.0.{60 + i}:8000" for i, o in enumerate(site.outlets)})
    return [(o.name, o.base + path, body) for o in site.outlets
            for path, (_, body) in site.routes[o.name].items() if path.startswith("/news/")]


def build_corpus(folder: Path, pages: int, seed: int = 7, templates: Path | None = None) -> Path:
    """An archive of ``pages`` captured pages in ``folder``: the ``bench-real`` site's when
    ``templates`` is given, else the sample site's articles padded to 30-120 KB each."""
    from newsarchive.archive import captures, store, warcfiles
    from newsarchive.archive.db import open_db

    rng = random.Random(seed)
    db_path = folder / "bench.db"
    db = open_db(db_path)
    writer = warcfiles.WarcWriter(warcfiles.warc_dir(db_path), "bench", db_path=db_path,
                                  fsync=False,
                                  on_rename=lambda old, new: captures.move_pointers(db, old, new))
    originals = real_pages(pages, templates) if templates else sample_pages()
    with db.atomic():
        for n in range(pages):
            source, url, body = originals[n % len(originals)]
            if templates:
                data = body
            else:
                url = f"{url}?copy={n}"
                size = rng.randrange(30_000, 120_000)
                html = body.decode("utf-8")
                pad = furniture(rng, max(0, size - len(body)))
                html = html.replace("</body>", pad + "</body>", 1)
                data = html.encode("utf-8")
            pointer = writer.write({
                "url": url, "date": "2016-03-01T10:00:00Z", "status": 200, "reason": "OK",
                "headers": [("Content-Type", "text/html; charset=utf-8"),
                            ("Content-Length", str(len(data)))],
                "body": data, "source": source, "kind": "article",
                "request": {"method": "GET", "url": url, "headers": []}})
            article_id = store.insert_article(db, {
                "url": url, "canonical_url": url, "source": source, "text": "",
                "fetched_at": "2016-03-01T10:00:00+00:00"})
            captures.link_article(db, article_id, pointer)
    writer.close()
    db.close()
    return db_path


def _burn(_=None) -> float:
    """A fixed amount of pure-Python CPU work; returns its wall time."""
    started = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - started


def cores_available(workers: int) -> float:
    """How many cores this process group really gets right now: the same CPU-bound work
    in 1 and in ``workers`` processes (a busy machine, or a scheduler that shares CPU
    between sessions, gives less than ``workers``)."""
    from concurrent.futures import ProcessPoolExecutor

    one = _burn()
    with ProcessPoolExecutor(workers) as pool:
        pool.submit(_burn).result()  # workers started
        started = time.perf_counter()
        list(pool.map(_burn, range(workers)))
        many = time.perf_counter() - started
    return workers * one / many


def run(db_template: Path, workers: int, scratch: Path) -> dict:
    from newsarchive.crawler.reprocess import reprocess

    folder = scratch / f"w{workers}"
    shutil.copytree(db_template.parent, folder)
    before = os.times()
    try:
        result = reprocess(folder / db_template.name, workers=workers)
        after = os.times()
        cpu = sum(after[:4]) - sum(before[:4])  # this process and its (joined) workers
        main = sum(after[:2]) - sum(before[:2])  # this process only
        result["cpu_per_page_ms"] = round(1000 * cpu / max(1, result["articles"]), 1)
        result["main_share"] = main / cpu if cpu else 1.0
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages-from", choices=("real", "sample"), default=None,
                        help="real: the bench-real site's pages (real outlets' pages with "
                             "stories of their own; the default when BENCH_TEMPLATES or "
                             "../shared has them); sample: the sample site's articles padded "
                             "to 30-120 KB")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each, alternating; the best of each is kept (the "
                             "machine may be busy with other work)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-reprocess-") as tmp:
        tmp = Path(tmp)
        (tmp / "corpus").mkdir()
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(a busy machine cannot show the speed-up)")
        started = time.perf_counter()
        templates = templates_folder() if args.pages_from != "sample" else None
        if args.pages_from == "real" and templates is None:
            print("no real page templates (BENCH_TEMPLATES, ../shared/bench)", file=sys.stderr)
            return 2
        db_path = build_corpus(tmp / "corpus", args.pages, templates=templates)
        size = sum(p.stat().st_size for p in (tmp / "corpus" / "warc").iterdir())
        kind = "real-size pages (bench-real)" if templates else "sample pages padded to 30-120 KB"
        print(f"corpus: {args.pages} {kind}, {size / 1e6:.1f} MB of WARC "
              f"(built in {time.perf_counter() - started:.1f} s); {os.cpu_count()} cores")
        available = cores_available(args.workers)
        print(f"calibration: plain CPU work in {args.workers} processes has {available:.2f}x "
              "the throughput of 1 process (what this machine gives now)")
        ones, manys = [], []
        for _ in range(max(1, args.repeat)):
            ones.append(run(db_path, 1, tmp))
            manys.append(run(db_path, args.workers, tmp))
        one = max(ones, key=lambda r: r["pages_per_s"])
        many = max(manys, key=lambda r: r["pages_per_s"])
        load = os.getloadavg()[0]
    ratio = many["pages_per_s"] / one["pages_per_s"]
    for label, r in (("1 worker: ", one), (f"{args.workers} workers:", many)):
        print(f"{label} {r['pages_per_s']:7.1f} pages/s ({r['seconds']} s, {r['changed']} "
              f"articles written, {r['cpu_per_page_ms']} ms CPU per page)")
    print(f"speed-up: {ratio:.2f}x (goal on 2 cores: >= {GOAL}x); "
          f"load average {load:.1f} at the end")
    # what the work allows on idle cores: the main process (reading the queue, writing the
    # archive) is the serial part
    serial = many["main_share"]
    bound = 1 / (serial + (1 - serial) / args.workers)
    print(f"serial share (main process) with {args.workers} workers: {serial:.1%} of the CPU "
          f"-> at most {bound:.2f}x on {args.workers} idle cores")
    if available < GOAL:
        print(f"note: this machine gave only {available:.2f}x to plain CPU work: the goal "
              "cannot be shown on it now; run again on idle cores")
    if one["failed"] or many["failed"]:
        print("some captures failed to reprocess", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
