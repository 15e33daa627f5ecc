"""The bundled, fictional sample site that ``newsarchive demo`` and the end-to-end tests crawl.

Several fictional outlets (WordPress-like, Drupal-like, hand-written HTML, one in Arabic)
with articles written for this project, served on loopback by :class:`SampleSite`.
Content and expected facts live in ``data/`` (see :mod:`crawler.samplesite.content`).
"""

from .content import load_articles, load_outlets, load_pages
from .server import SampleSite

__all__ = ["SampleSite", "load_articles", "load_outlets", "load_pages"]
