"""The throughput benchmark's baseline crawls, each run as a process of its own.

    python bench/variants.py raw   SITEMAP_URL... [--out FILE]
    python bench/variants.py plain SITEMAP_URL... --out items.jsonl

``raw``: fetch every article listed in the sitemaps and do nothing with it (the ceiling
of Scrapy on this machine).  ``plain``: the same, with ``trafilatura.extract`` in the parse
callback and the items written to a JSON-lines feed, which is what a typical Scrapy news
project does.  Both use the project's concurrency settings (CONCURRENT_REQUESTS,
CONCURRENT_REQUESTS_PER_DOMAIN), no delay, robots.txt obeyed, the asyncio reactor, so the
only difference from ``newsarchive crawl`` is the work done per page.  The last stderr line
is a JSON object with the crawl's counts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")


class BaselineSpider(scrapy.Spider):
    name = "baseline"
    extract = False

    def __init__(self, sitemaps=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sitemaps = list(sitemaps)

    async def start(self):
        for url in self.sitemaps:
            yield scrapy.Request(url, self.parse_sitemap, dont_filter=True, priority=20)

    def parse_sitemap(self, response):
        for url in LOC.findall(response.body):
            url = url.decode("utf-8")
            if url.endswith(".xml"):
                yield scrapy.Request(url, self.parse_sitemap, priority=15)
            else:
                yield scrapy.Request(url, self.parse_page)

    def parse_page(self, response):
        self.crawler.stats.inc_value("bench/pages")
        if not self.extract:
            return
        import trafilatura

        text = trafilatura.extract(response.text, url=response.url)
        yield {"url": response.url, "title": response.css("title::text").get(),
               "text": text}


class PlainSpider(BaselineSpider):
    name = "plain"
    extract = True


def settings(out: str | None) -> dict:
    from newsarchive.crawler import settings as project

    conf = {
        "BOT_NAME": "bench",
        "USER_AGENT": project.USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": project.CONCURRENT_REQUESTS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": project.CONCURRENT_REQUESTS_PER_DOMAIN,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "TWISTED_REACTOR": project.TWISTED_REACTOR,
        "LOG_LEVEL": "WARNING",
        "LOGSTATS_INTERVAL": 0,
    }
    if out:
        conf["FEEDS"] = {out: {"format": "jsonlines", "encoding": "utf8"}}
    return conf


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=("raw", "plain"))
    parser.add_argument("sitemaps", nargs="+")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    spider = PlainSpider if args.variant == "plain" else BaselineSpider
    process = CrawlerProcess(settings(args.out if args.variant == "plain" else None))
    crawler = process.create_crawler(spider)
    process.crawl(crawler, sitemaps=args.sitemaps)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("bench/pages", 0),
                      "items": stats.get("item_scraped_count", 0),
                      "responses": stats.get("response_received_count", 0),
                      "elapsed": stats.get("elapsed_time_seconds")}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
