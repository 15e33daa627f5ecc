"""One fake web for the demo, the tests and the benchmarks: page generators and one server.

* :mod:`.markup`, :mod:`.discovery`, :mod:`.layouts`, :mod:`.prose`: the page-generation
  layer (escaping and dates; robots.txt, RSS and sitemaps; WordPress-, Drupal-, plain- and
  AMP-style templates; stories written from word lists), shared by every profile;
* :mod:`.content`, :mod:`.outlet`: the sample outlets and their articles (``data/``);
* :mod:`.site`: the site model (hosts, routes, sources file) every profile subclasses;
* :mod:`.server`: the one loopback HTTP server, with fault options per response;
* :mod:`.profiles`: the sites themselves, by name (``sample``, ``bench-synthetic``,
  ``faults``, ``wayback``).

``python -m newsarchive.crawler.fakeweb [--profile NAME]`` serves one until Ctrl-C.
"""

from .content import load_articles, load_outlets, load_pages
from .profiles.sample import SampleSite
from .server import Request, Response, redirect
from .site import Site

__all__ = ["Request", "Response", "SampleSite", "Site", "load_articles", "load_outlets",
           "load_pages", "redirect"]
