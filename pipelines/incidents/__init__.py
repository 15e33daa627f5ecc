"""Incidents: who did what, where, when and to how many, with the sentence that says so.

Pure (no Scrapy, no SQL, no network).  Two entry points:

* ``extract_incidents(title, text, published, language=None, places=None) -> list[dict]``:
  the incidents one article reports (``extract``), conservative by design (``figures``);
* ``group_incidents(reports) -> list[dict]``: incidents of many articles joined into events
  (``group``); ``EventGrouper`` the same fed one date at a time, for a whole archive.

Modules: ``text`` (tokens, sentences), ``numbers`` (numbers as written), ``when`` (days),
``figures`` (figures of a sentence), ``extract`` (incidents of an article), ``group``
(events), ``lexicon`` (the word lists in ``pipelines/data/incidents.toml``, ``numbers.toml``,
``calendar.toml``).
"""

from .extract import FIELDS, extract_incidents
from .group import EventGrouper, date_order, group_incidents

__all__ = ["FIELDS", "EventGrouper", "date_order", "extract_incidents", "group_incidents"]
