"""Log lines for dropped items without dumping the item (it holds whole HTML pages)."""

from __future__ import annotations

import logging

from scrapy import logformatter


class NewsLogFormatter(logformatter.LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        url = getattr(item, "url", None) or (response.url if response is not None else "?")
        return {
            "level": logging.INFO,
            "msg": "Dropped %(source)s %(url)s: %(reason)s",
            "args": {"source": getattr(item, "source", "?"), "url": url,
                     "reason": str(exception)},
        }

    def scraped(self, item, response, spider=None):
        url = getattr(item, "url", None) or (response.url if response is not None else "?")
        return {
            "level": logging.DEBUG,
            "msg": "Archived %(url)s",
            "args": {"url": url},
        }
