"""A news-please configuration for crawling the throughput benchmark's site.

news-please (https://github.com/fhamborg/news-please) reads a config folder holding
``config.cfg`` and ``sitelist.hjson``.  This writes one that crawls each outlet of the
benchmark site with news-please's ``SitemapCrawler`` (robots.txt -> sitemaps, like our
crawl), with the same concurrency per domain as newsarchive and no delay, its default
extractors (newspaper, readability, date, language) and its default storage (an HTML file
and a JSON file per article) under the folder.  Only used by ``bench/throughput.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit


def write_config(folder: Path, sitemaps: list[str], template: str) -> Path:
    """Write the config folder under ``folder``; ``template`` is news-please's own
    ``config/config.cfg`` text (read from its installation)."""
    folder = Path(folder)
    (folder / "config").mkdir(parents=True, exist_ok=True)
    sites = [{"url": f"{urlsplit(s).scheme}://{urlsplit(s).netloc}/", "crawler": "SitemapCrawler"}
             for s in sitemaps]
    (folder / "config" / "sitelist.hjson").write_text(
        json.dumps({"base_urls": sites}, indent=2), encoding="utf-8")
    lines = []
    for line in template.splitlines():
        key = line.split("=", 1)[0].strip()
        if key == "working_path":
            line = f"working_path = {folder}/"
        elif key == "number_of_parallel_crawlers":
            line = f"number_of_parallel_crawlers = {len(sites)}"
        elif key == "LOG_LEVEL":
            line = "LOG_LEVEL = WARNING"
        elif key == "check_certificate":
            line = "check_certificate = False"
        lines.append(line)
    (folder / "config" / "config.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "config"
