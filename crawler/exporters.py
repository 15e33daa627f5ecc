"""Scrapy feed exports of what a crawl archived: ``scrapy crawl news -O items.jsonl``.

An item that passed every stage is an archived article; its record is the row
``newsarchive export`` writes (``archive.export.EXPORT_COLUMNS``), made from the item and
its :class:`~newsarchive.pipelines.page.Page` -- never the page's bytes, the raw capture or
the de-duplication signature it carries.  Registered for every feed format in
``FEED_EXPORTERS`` (crawler/settings.py).  CSV cells are spreadsheet-safe as in
``newsarchive export``.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exporters import (CsvItemExporter, JsonItemExporter, JsonLinesItemExporter,
                              XmlItemExporter)

from newsarchive.archive.export import EXPORT_COLUMNS, safe_cell

PAGE_COLUMNS = ("title", "language", "authors", "dateline", "places", "actors", "events",
                "word_count", "topic_score", "canonical_url", "published",
                "published_source", "text", "credits")


def archived_record(item) -> dict:
    """The export record of an archived item (a dict of EXPORT_COLUMNS)."""
    adapter = ItemAdapter(item)
    page = adapter.get("page")
    record = {column: adapter.get(column) for column in EXPORT_COLUMNS
              if column in adapter.field_names()}
    if page is not None:
        record.update({column: getattr(page, column) for column in PAGE_COLUMNS})
    return {column: record.get(column) for column in EXPORT_COLUMNS}


class _Archived:
    def export_item(self, item):
        return super().export_item(archived_record(item))


class ArticleJsonLinesExporter(_Archived, JsonLinesItemExporter):
    pass


class ArticleJsonExporter(_Archived, JsonItemExporter):
    pass


class ArticleCsvExporter(_Archived, CsvItemExporter):
    """CSV a spreadsheet never runs as formulas: every cell through the one rule of
    ``newsarchive export`` and the served archive's CSV (:func:`archive.export.safe_cell`)."""

    def serialize_field(self, field, name, value):
        return safe_cell(super().serialize_field(field, name, value))


class ArticleXmlExporter(_Archived, XmlItemExporter):
    pass
