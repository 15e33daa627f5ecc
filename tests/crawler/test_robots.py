"""robots.txt as RFC 9309 says (crawler/middlewares/robots.py), in one real crawl of
loopback hosts whose robots.txt redirect, answer 4xx or 429, or cannot be reached."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from faultsite import Handler, Server, article, html, redirect, rss
from helpers import crawl, rows

HOSTS = {"mirrored": "127.0.0.51", "rules": "127.0.0.52", "elsewhere": "127.0.0.53",
         "private": "127.0.0.54", "far": "127.0.0.55", "gone": "127.0.0.56",
         "busy": "127.0.0.57"}


class RobotsSite:
    """One loopback server per host; ``requests``: every (host, path) asked for."""

    def __init__(self):
        import threading
        from collections import Counter

        self.hits, self.requests, self.lock = Counter(), [], threading.Lock()
        self.servers = {}
        for name, host in HOSTS.items():
            server = Server((host, 0), Handler)
            server.site, server.routes = self, {}
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                             daemon=True).start()
            self.servers[name] = server
        self.base = {name: f"http://{s.server_address[0]}:{s.server_address[1]}"
                     for name, s in self.servers.items()}
        page = lambda name: html()(article(f"Robots case {name}", f"Marker {name}."))  # noqa
        for name in ("mirrored", "elsewhere", "far", "gone", "busy"):
            routes, base = self.servers[name].routes, self.base[name]
            routes["/feed.xml"] = html(ctype="application/rss+xml")(
                rss(base, ["/open/story", "/secret/story"]))
            routes["/open/story"] = page(f"{name} open")
            routes["/secret/story"] = page(f"{name} secret")
        disallow_secret = html(ctype="text/plain")("User-agent: *\nDisallow: /secret/\n")
        # robots.txt on another host (a host of the same source): its rules hold here
        self.servers["mirrored"].routes["/robots.txt"] = redirect(
            f"{self.base['rules']}/robots.txt", 301)
        self.servers["rules"].routes["/robots.txt"] = disallow_secret
        # robots.txt on a loopback host of no source: the guard refuses it, so the rules
        # cannot be read, and the host is disallowed (never "no rules")
        self.servers["elsewhere"].routes["/robots.txt"] = redirect(
            f"{self.base['private']}/robots.txt")
        self.servers["private"].routes["/robots.txt"] = html(ctype="text/plain")(
            "User-agent: *\nAllow: /\n")
        # six redirects: more than the five RFC 9309 asks for; the sixth is not followed
        # and the file counts as unavailable
        far = self.servers["far"].routes
        for i in range(6):
            far[f"/robots-{i}.txt" if i else "/robots.txt"] = redirect(f"/robots-{i + 1}.txt")
        far["/robots-6.txt"] = disallow_secret
        # a 404 is "unavailable": no rules, whatever its body says
        self.servers["gone"].routes["/robots.txt"] = lambda h, n: h.send(
            404, b"User-agent: *\nDisallow: /\n", "text/plain")
        # 429: unreachable, as a 5xx
        self.servers["busy"].routes["/robots.txt"] = lambda h, n: h.send(
            429, b"slow down", "text/plain")

    def sources_toml(self) -> str:
        rules = self.base["rules"].split("//")[1]
        return "".join(
            f'[[source]]\nname = "{name}"\nlanguage = "en"\n'
            f'feeds = ["{self.base[name]}/feed.xml"]\n'
            + (f'hosts = ["{rules}"]\n' if name == "mirrored" else "") + "\n"
            for name in ("mirrored", "elsewhere", "far", "gone", "busy"))

    def close(self):
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def robots(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robots")
    site = RobotsSite()
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
        site.close()


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
