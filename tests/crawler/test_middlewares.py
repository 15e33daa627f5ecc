"""The guard, trap, retry, body and lock helpers on their own (no network needed)."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import textwrap

import pytest
from scrapy import Request
from scrapy.settings import Settings

from newsarchive.crawler.exceptions import LockedError
from newsarchive.crawler.lock import ArchiveLock, lock_path
from newsarchive.crawler.middlewares.bodies import sniff
from newsarchive.crawler.middlewares.faults import Refused, classify
from newsarchive.crawler.middlewares.guard import is_public, literal_ip
from newsarchive.crawler.middlewares.retry import retry_after
from newsarchive.crawler.middlewares.traps import TrapGuardMiddleware, calendar_month


@pytest.mark.parametrize("host, public", [
    ("127.0.0.1", False), ("127.1", False), ("0x7f.1", False), ("10.1.2.3", False),
    ("192.168.0.10", False), ("172.16.5.4", False), ("169.254.169.254", False),
    ("224.0.0.1", False), ("[::1]", False), ("[fe80::1]", False), ("[::ffff:10.0.0.1]", False),
    ("0.0.0.0", False), ("93.184.215.14", True), ("[2606:4700::1111]", True),
])
def test_private_addresses(host, public):
    address = literal_ip(host)
    assert address is not None and is_public(address) is public


def test_names_are_not_literal_addresses():
    assert literal_ip("example.org") is None


def trap_guard(**overrides):
    settings = Settings({"NEWSARCHIVE_MAX_URL_LENGTH": 1024, "NEWSARCHIVE_TRAP_REPEATS": 3,
                         "NEWSARCHIVE_MAX_QUERY_PARAMS": 8, "NEWSARCHIVE_MAX_QUERY_VARIANTS": 3,
                         "NEWSARCHIVE_TRAP_MIN_YEAR": 1990, **overrides})
    return TrapGuardMiddleware(settings)


@pytest.mark.parametrize("url", [
    "https://news.example/a/b/a/b/a/b/",
    "https://news.example/events/calendar/2299/05/",
    "https://news.example/archive?year=1850&month=3",
    "https://news.example/x?" + "&".join(f"k{i}=v" for i in range(9)),
    "https://news.example/" + "y" * 1100,
])
def test_traps(url):
    assert trap_guard().trap(url)


@pytest.mark.parametrize("url", [
    "https://news.example/2026/03/04/aleppo-water-trucks/",
    "https://news.example/archives/123456",
    "https://news.example/ar/%D8%AD%D9%84%D8%A8-" + "%D8%A7" * 60,
    "https://news.example/news/2019-12-ceasefire-talks",
    "https://news.example/category/syria/page/2/",
])
def test_article_urls_are_not_traps(url):
    assert trap_guard().trap(url) is None


def test_query_variants_are_capped_per_path():
    guard = trap_guard()
    assert [bool(guard.trap(f"https://n.example/list?sort={i}")) for i in range(5)] == \
        [False, False, False, True, True]


def test_trap_guard_checks_links_and_redirects_only():
    guard = trap_guard()
    feed_entry = Request("https://n.example/a/a/a/", meta={"kind": "feed"})
    assert guard.process_request(feed_entry) is None
    with pytest.raises(Refused) as info:
        guard.process_request(Request("https://n.example/a/a/a/", meta={"kind": "link"}))
    assert info.value.reason == "trap"


def test_calendar_month():
    assert calendar_month("https://x.example/calendar/2031/7/") == (2031, 7)
    assert calendar_month("https://x.example/2031/07/story") is None  # no calendar word


def test_retry_after():
    assert retry_after(b"120") == 120
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after(b"soon") is None and retry_after(None) is None


@pytest.mark.parametrize("body, what", [
    (b"%PDF-1.4 ...", "a PDF"), (b"\x89PNG\r\n\x1a\n....", "a PNG image"),
    (b"\xff\xd8\xff\xe0JFIF", "a JPEG image"), (b"\x1f\x8b\x08\x00", "gzip data"),
    (bytes(range(256)) * 8, "binary data"), (b"<html><body>plain</body></html>", None),
    (b"<html>\x00<p>text\x00</p></html>", None), ("\ufeff<p>نص</p>".encode("utf-16"), None),
])
def test_sniff(body, what):
    assert sniff(body) == what


def test_classify_refused():
    class Failure:
        value = Refused("offsite", "x.example is not a host of any configured source")
    assert classify(Failure())[0] == "offsite"


def test_a_second_lock_fails_at_once_and_a_dead_holder_does_not_block(tmp_path):
    db = tmp_path / "news.db"
    with ArchiveLock(db):
        with pytest.raises(LockedError, match="another crawl"):
            ArchiveLock(db).acquire()
    # a process that takes the lock and dies without releasing it (as kill -9 would)
    code = textwrap.dedent(f"""
        import os
        from newsarchive.crawler.lock import ArchiveLock
        ArchiveLock({str(db)!r}).acquire()
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", code], check=True)
    assert lock_path(db).exists()
    ArchiveLock(db).acquire().release()


def test_ip_module_agrees_on_mapped_addresses():
    assert not is_public(ipaddress.ip_address("::ffff:127.0.0.1"))


def test_offsite_redirect_targets_are_resolved_before_connecting():
    import asyncio

    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.middlewares.guard import HostGuardMiddleware

    guard = HostGuardMiddleware(get_crawler(settings_dict={
        "NEWSARCHIVE_OFFSITE_REDIRECTS": True}))
    assert asyncio.run(guard._public("localhost", 80)) is False
    assert asyncio.run(guard._public("name.invalid", 80)) is None  # unresolvable


def test_a_source_name_that_resolves_to_a_private_address_is_refused():
    import asyncio
    import socket

    from scrapy.utils.test import get_crawler

    from newsarchive.crawler.middlewares.guard import HostGuardMiddleware
    from newsarchive.crawler.sources import parse_source

    name = socket.gethostname().lower()
    try:
        address = ipaddress.ip_address(socket.gethostbyname(name))
    except OSError:
        pytest.skip(f"this machine's name {name!r} does not resolve")
    if is_public(address) or "." in name and literal_ip(name):
        pytest.skip(f"{name} resolves to a public address")
    guard = HostGuardMiddleware(get_crawler(settings_dict={
        "NEWSARCHIVE_RESOLVE_SOURCE_HOSTS": True}))
    guard._sources = [parse_source({"name": "own", "start_urls": [f"http://{name}:8080/"]}),
                      parse_source({"name": "lit", "start_urls": [f"http://{address}:8080/"]})]
    guard.hosts = frozenset()
    with pytest.raises(Refused) as info:
        asyncio.run(guard.process_request(Request(f"http://{name}:8080/story")))
    assert info.value.reason == "private-address"
    # the same address written as an address in the sources file is taken as meant
    assert asyncio.run(guard.process_request(Request(f"http://{address}:8080/x"))) is None


def test_revisit_window():
    from datetime import datetime, timedelta, timezone

    from newsarchive.crawler.middlewares.incremental import _older_than

    now = datetime.now(timezone.utc)
    assert _older_than((now - timedelta(hours=30)).isoformat(), 24)
    assert not _older_than((now - timedelta(hours=2)).isoformat(), 24)
    assert _older_than(now.isoformat(), 0) and _older_than(None, 24)
