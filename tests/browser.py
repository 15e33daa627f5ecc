"""A real browser on a served archive, with the network off: the system's chromium driven
by Playwright (no browser download: ``executable_path``).

``serving(db)`` runs ``newsarchive serve`` on a free loopback port.  ``Browser.get`` loads
one page in a fresh context where every request to a host other than loopback is refused
(and recorded), waits for what the page must show, saves a screenshot, and returns the
page's DOM with the problems seen: console errors, uncaught exceptions, refused or failed
requests.  tests/e2e/test_browser.py fails on any of them; ``make screenshots`` (the same
tests with NEWSARCHIVE_UPDATE_SCREENSHOTS=1) copies the demo archive's screenshots to
archive/datasette/screenshots/, the ones the README shows.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "archive" / "datasette" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def serving(db: Path, command: list[str] | None = None, ready: str = "/-/versions.json"):
    """Serve ``db`` on a free loopback port (``newsarchive serve``, or ``command`` with
    ``{db}`` and ``{port}`` filled in); yield the base URL."""
    port = free_port()
    if command is None:
        command = [sys.executable, "-m", "newsarchive.crawler.cli", "serve", "--db", "{db}",
                   "--port", "{port}"]
    argv = [part.format(db=db, port=port) for part in command]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(base + ready, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"{argv[:3]} did not start: "
                                       f"{proc.communicate()[0][-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Loaded:
    """What a page showed: its DOM after its scripts ran, and what went wrong."""

    dom: str
    problems: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    url: str = ""


@contextlib.contextmanager
def chromium():
    """The system's chromium under Playwright (one per process: Playwright's sync API
    runs one event loop per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Browser:
    """Pages of one served archive in ``browser`` (from ``chromium()``); each page in its
    own context, network off."""

    def __init__(self, browser, base: str, folder: Path, publish: bool = False):
        self.base, self.folder, self.publish = base, Path(folder), publish
        self._browser = browser

    def get(self, path: str, name: str, wait_for: str | None = None, height: int = 900,
            full_page: bool = True, lang: str = "en-GB", then=None,
            until: str | None = None) -> Loaded:
        """Load ``path``, run ``then(page)`` if given (fill a form, click), wait for
        ``wait_for`` (a CSS selector) to be visible and ``until`` (a JavaScript expression)
        to be true, save NAME.png; return the DOM and the problems seen."""
        loaded = Loaded(dom="")
        context = self._browser.new_context(viewport={"width": 1280, "height": height},
                                            locale=lang, timezone_id="UTC")

        def route(route):
            if is_loopback(route.request.url):
                route.continue_()
            else:
                loaded.refused.append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: loaded.problems.append(
            f"console {msg.type}: {msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error" else None)
        page.on("pageerror", lambda exc: loaded.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: loaded.problems.append(
            f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda resp: loaded.problems.append(
            f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None)
        try:
            page.goto(self.base + path, wait_until="networkidle", timeout=60_000)
            if then is not None:
                with page.expect_navigation(wait_until="networkidle", timeout=60_000):
                    then(page)
            loaded.url = page.url
            if wait_for:
                page.wait_for_selector(wait_for, state="visible", timeout=60_000)
            if until:
                page.wait_for_function(until, timeout=60_000)
            shot = self.folder / f"{name}.png"
            page.screenshot(path=str(shot), full_page=full_page)
            loaded.screenshot = shot
            loaded.dom = page.content()
        finally:
            seen = list(loaded.problems)  # closing aborts what is still loading: not a fault
            context.close()
            loaded.problems = seen
        if self.publish and os.environ.get("NEWSARCHIVE_UPDATE_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(loaded.screenshot, SCREENSHOTS / loaded.screenshot.name)
        return loaded
