"""newsarchive's Scrapy project: sources, the generic news spider, settings and the CLI."""
