"""Scrapy feed exports of archived items (crawler/exporters.py)."""

from __future__ import annotations

import csv
import io

from newsarchive.archive.export import safe_cell
from newsarchive.crawler.exporters import ArticleCsvExporter
from newsarchive.crawler.items import ArticleItem
from newsarchive.pipelines.page import Page


def test_csv_export_is_formula_safe_with_the_one_rule():
    title = '=HYPERLINK("http://bad.example","click")'
    page = Page(url="https://alpha.example/a", kind="article", title=title,
                authors=["@reporter"], text="+1 more", places=["Idlib"], word_count=-3)
    item = ArticleItem(url="https://alpha.example/a", source="alpha",
                       fetched_at="2026-03-01T00:00:00+00:00", page=page, id=7)
    out = io.BytesIO()
    exporter = ArticleCsvExporter(out)
    exporter.start_exporting()
    exporter.export_item(item)
    exporter.finish_exporting()
    (row,) = csv.DictReader(io.StringIO(out.getvalue().decode("utf-8")))
    assert row["title"] == safe_cell(title) == "'" + title
    assert row["authors"] == "'@reporter" and row["text"] == "'+1 more"
    assert row["word_count"] == "-3" and row["id"] == "7", "numbers stay numbers"
    assert row["places"] == "Idlib"
