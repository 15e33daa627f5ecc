"""robots.txt as RFC 9309 says (crawler/middlewares/robots.py), in one real crawl of
loopback hosts whose robots.txt redirect, answer 4xx or 429, or cannot be reached."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from helpers import crawl, rows

from newsarchive.crawler.fakeweb.profiles.faults import article, feed, page
from newsarchive.crawler.fakeweb.server import redirect
from newsarchive.crawler.fakeweb.site import Site

HOSTS = {"mirrored": "127.0.0.51", "rules": "127.0.0.52", "elsewhere": "127.0.0.53",
         "private": "127.0.0.54", "far": "127.0.0.55", "gone": "127.0.0.56",
         "busy": "127.0.0.57"}
FED = ("mirrored", "elsewhere", "far", "gone", "busy")


class RobotsSite(Site):
    """One loopback host per case; ``requests``: every (address, path) asked for."""

    log_requests = True

    def hosts(self):
        return list(HOSTS.items())

    def bind(self, bases):
        self.base = bases
        self.routes = routes = {name: {} for name in HOSTS}
        for name in FED:
            routes[name]["/feed.xml"] = page(feed(bases[name], ["/open/story", "/secret/story"]),
                                             ctype="application/rss+xml")
            routes[name]["/open/story"] = page(article(f"Robots case {name} open",
                                                       f"Marker {name} open."))
            routes[name]["/secret/story"] = page(article(f"Robots case {name} secret",
                                                         f"Marker {name} secret."))
        disallow_secret = page("User-agent: *\nDisallow: /secret/\n", ctype="text/plain")
        # robots.txt on another host (a host of the same source): its rules hold here
        routes["mirrored"]["/robots.txt"] = redirect(f"{bases['rules']}/robots.txt", 301)
        routes["rules"]["/robots.txt"] = disallow_secret
        # robots.txt on a loopback host of no source: the guard refuses it, so the rules
        # cannot be read, and the host is disallowed (never "no rules")
        routes["elsewhere"]["/robots.txt"] = redirect(f"{bases['private']}/robots.txt")
        routes["private"]["/robots.txt"] = page("User-agent: *\nAllow: /\n", ctype="text/plain")
        # six redirects: more than the five RFC 9309 asks for; the sixth is not followed
        # and the file counts as unavailable
        for i in range(6):
            routes["far"][f"/robots-{i}.txt" if i else "/robots.txt"] = redirect(f"/robots-{i + 1}.txt")
        routes["far"]["/robots-6.txt"] = disallow_secret
        # a 404 is "unavailable": no rules, whatever its body says
        routes["gone"]["/robots.txt"] = page("User-agent: *\nDisallow: /\n", 404, "text/plain")
        # 429: unreachable, as a 5xx
        routes["busy"]["/robots.txt"] = page("slow down", 429, "text/plain")
        return self

    def sources_toml(self) -> str:
        rules = self.base["rules"].split("//")[1]
        return "".join(
            f'[[source]]\nname = "{name}"\nlanguage = "en"\n'
            f'feeds = ["{self.base[name]}/feed.xml"]\n'
            + (f'hosts = ["{rules}"]\n' if name == "mirrored" else "") + "\n"
            for name in FED)


@pytest.fixture(scope="module")
def robots(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robots")
    site = RobotsSite().start()
    try:
        sources = tmp / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        db = tmp / "robots.db"
        result = crawl(sources, db, "-s", "RETRY_TIMES=0", timeout=180)
        stored = {(r["source"], r["url"].split("/", 3)[3]) for r in
                  rows(db, "select source, url from articles")}
        (run,) = rows(db, "select * from crawl_runs")
        yield {"site": site, "result": result, "stored": stored, "run": run}
    finally:
        site.stop()


def test_rules_reached_through_a_redirect_to_another_host_hold(robots):
    assert ("mirrored", "open/story") in robots["stored"], robots["result"].stderr[-3000:]
    assert ("mirrored", "secret/story") not in robots["stored"]
    assert Counter(robots["site"].requests)[(HOSTS["rules"], "/robots.txt")] == 1


def test_rules_that_cannot_be_read_disallow_the_host(robots):
    assert not {s for s in robots["stored"] if s[0] == "elsewhere"}
    assert not [r for r in robots["site"].requests if r[0] == HOSTS["private"]], \
        "a loopback host of no source is never fetched, robots.txt included"
    assert not {s for s in robots["stored"] if s[0] == "busy"}, "429 is unreachable"
    assert json.loads(robots["run"]["reasons"]).get("robots-unavailable") == 2


def test_at_most_five_redirects_then_unavailable(robots):
    hits = Counter(robots["site"].requests)
    assert [hits[(HOSTS["far"], f"/robots-{i}.txt")] for i in range(1, 7)] == [1] * 5 + [0]
    assert {("far", "open/story"), ("far", "secret/story")} <= robots["stored"]


def test_a_4xx_means_no_rules_whatever_its_body(robots):
    assert {("gone", "open/story"), ("gone", "secret/story")} <= robots["stored"]
