"""Fixtures shared by the whole suite: the sample site on loopback and a crawl runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import crawl


@pytest.fixture(scope="session")
def sample_site():
    """The bundled sample site, served on 127.0.0.x for the whole session."""
    from newsarchive.crawler.fakeweb import SampleSite

    with SampleSite() as site:
        yield site


@pytest.fixture(scope="session")
def sample_sources(sample_site, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sources") / "sources.toml"
    sample_site.write_sources(path)
    return path


@pytest.fixture(scope="session")
def sample_archive(sample_sources, tmp_path_factory):
    """One real crawl of the sample site, shared by the tests that only read it."""
    db = tmp_path_factory.mktemp("archive") / "sample.db"
    result = crawl(sample_sources, db)
    assert result.returncode == 0, result.stderr[-3000:]
    return db, result
