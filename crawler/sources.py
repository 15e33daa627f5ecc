"""Read and validate the sources file (TOML, a list of ``[[source]]`` tables).

Example::

    [[source]]
    name = "enab-en"
    title = "Enab Baladi (English)"
    feeds = ["https://english.enabbaladi.net/feed/"]
    sitemaps = []
    start_urls = ["https://english.enabbaladi.net/archives/category/news/"]
    allow = ['/archives/\\d+']
    deny = ['/tag/', '/author/']
    language = "en"
    follow_depth = 1
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError

from newsarchive.pipelines.urls import rewrite_url  # noqa: F401  (the wayback rule's reader)

from .exceptions import SourcesError

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
LIST_FIELDS = ("feeds", "sitemaps", "start_urls", "allow", "deny", "hosts",
               "drop_selectors", "drop_lines")
URL_FIELDS = ("feeds", "sitemaps", "start_urls")
MAX_REVISIT_HOURS = 24 * 366 * 10  # ten years; a longer window is "never"
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# a space, or a control, format (bidi, zero-width) or separator character
UNSEEN_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Zs")


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    feeds: tuple = ()
    sitemaps: tuple = ()
    start_urls: tuple = ()
    allow: tuple = ()  # URL regexes an article or followed link must match (any)
    deny: tuple = ()  # URL regexes that exclude a URL
    hosts: tuple = ()  # extra hosts that belong to the source (besides those of its URLs)
    language: str | None = None
    follow_depth: int = 1  # how many listing-page hops to follow from start pages
    drop_selectors: tuple = ()  # CSS selectors of page parts never article text
    drop_lines: tuple = ()  # regexes of lines that are boilerplate for this source
    revisit_hours: float | None = None  # re-fetch archived articles after this long
    wayback: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def all_hosts(self) -> frozenset:
        """Hosts (host[:port], lower case) of every URL of the source plus ``hosts``."""
        out = {h.lower() for h in self.hosts}
        for url in (*self.feeds, *self.sitemaps, *self.start_urls):
            out.add(urlsplit(url).netloc.lower())
        return frozenset(out)

    def owns(self, url: str) -> bool:
        """True if ``url`` is on one of the source's hosts (``www.`` ignored)."""
        host = urlsplit(url).netloc.lower()
        bare = host.removeprefix("www.").removeprefix("m.")
        return any(bare == h.removeprefix("www.").removeprefix("m.") for h in self.all_hosts)

    def allows(self, url: str) -> bool:
        """True if ``url`` passes the source's allow / deny regexes."""
        if any(re.search(p, url) for p in self.deny):
            return False
        return not self.allow or any(re.search(p, url) for p in self.allow)

    def as_options(self) -> dict:
        """The settings pure pipeline functions need, as a plain picklable dict."""
        return {
            "name": self.name,
            "language": self.language,
            "drop_selectors": list(self.drop_selectors),
            "drop_lines": list(self.drop_lines),
            "wayback_rewrite": [list(rule) for rule in self.wayback.get("rewrite") or ()],
        }


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) URL the crawler can fetch, or None."""
    if any(unicodedata.category(char) in UNSEEN_CATEGORIES for char in url):
        return "a space or an invisible character in it"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number or past 65535
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return None if parts.scheme else "no scheme"
    if not parts.hostname:
        return "no host"
    return None


def _check_url(url: str, where: str, key: str) -> str:
    problem = url_problem(url)
    if problem or urlsplit(url).scheme not in ("http", "https"):
        raise SourcesError(f"{where}: {key!r}: {url!r} is not an http(s) URL"
                           + (f" ({problem})" if problem else ""))
    return url


def _check_host(host: str, where: str) -> None:
    problem = url_problem(f"http://{host}/")
    if problem is None and urlsplit(f"http://{host}/").netloc != host:
        problem = "a host name, or host:port, only"
    if problem:
        raise SourcesError(f"{where}: 'hosts': {host!r} is not a host ({problem})")


def _check_selector(selector: str, where: str) -> None:
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise SourcesError(f"{where}: bad CSS selector in 'drop_selectors': {selector!r} "
                           f"({exc})") from None


def parse_source(table: dict, where: str = "source") -> Source:
    """Validate one ``[[source]]`` table and return a :class:`Source`."""
    known = {f.name for f in fields(Source)}
    unknown = set(table) - known
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    name = table.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise SourcesError(f"{where}: 'name' must be lower-case letters, digits, '-', '_' or '.'")
    where = f"source {name!r}"
    values = dict(table)
    values.setdefault("title", name)
    for key in LIST_FIELDS:
        value = values.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SourcesError(f"{where}: {key!r} must be a list of strings")
        values[key] = tuple(value)
    for key in URL_FIELDS:
        for url in values[key]:
            _check_url(url, where, key)
    for host in values["hosts"]:
        _check_host(host, where)
    for selector in values["drop_selectors"]:
        _check_selector(selector, where)
    if not isinstance(values["title"], str):
        raise SourcesError(f"{where}: 'title' must be a string")
    language = values.get("language")
    if language is not None and (not isinstance(language, str)
                                 or not LANGUAGE_RE.match(language)):
        raise SourcesError(f"{where}: 'language' must be a language code such as \"en\"")
    if not (values["feeds"] or values["sitemaps"] or values["start_urls"] or values.get("wayback")):
        raise SourcesError(f"{where}: needs at least one of feeds, sitemaps, start_urls")
    for key in ("allow", "deny", "drop_lines"):
        for pattern in values[key]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SourcesError(f"{where}: bad regex in {key!r}: {pattern!r} ({exc})") from None
    depth = values.get("follow_depth", 1)
    if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= 5:
        raise SourcesError(f"{where}: 'follow_depth' must be an integer from 0 to 5")
    revisit = values.get("revisit_hours")
    if revisit is not None and (not isinstance(revisit, (int, float))
                                or isinstance(revisit, bool) or not math.isfinite(revisit)
                                or not 0 <= revisit <= MAX_REVISIT_HOURS):
        raise SourcesError(f"{where}: 'revisit_hours' must be a number of hours from 0 to "
                           f"{MAX_REVISIT_HOURS} (ten years)")
    values["wayback"] = check_wayback(values.get("wayback", {}), where)
    return Source(**values)


# --- [source.wayback]: back-fill from the Wayback Machine (issue 7, crawler/spiders/wayback.py)
#   url       what to list in the CDX index: a domain ("aranews.net") or URL prefix (required)
#   match     CDX matchType: "exact", "prefix", "host" or "domain" (default "domain": the
#             host and its subdomains)
#   from, to  capture time bounds, a timestamp prefix of 4-14 digits ("2012", "20160301")
#   rewrite   [[regex, replacement], ...] applied in order to the path (and query) of each
#             original URL, folding aliases of one article to one URL, e.g. [['^/files/', '/']]
#   limit     CDX rows per page (1-10000; default NEWSARCHIVE_WAYBACK_PAGE_SIZE)
WAYBACK_KEYS = {"url", "match", "from", "to", "rewrite", "limit"}
WAYBACK_MATCH = ("exact", "prefix", "host", "domain")


def check_wayback(table, where: str) -> dict:
    """Validate a source's ``wayback`` table; return it with defaults filled in."""
    if not isinstance(table, dict):
        raise SourcesError(f"{where}: 'wayback' must be a table")
    if not table:
        return {}
    unknown = set(table) - WAYBACK_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown wayback key(s) {', '.join(sorted(unknown))}")
    url = table.get("url")
    if not isinstance(url, str) or not url.strip() or " " in url.strip():
        raise SourcesError(f"{where}: wayback 'url' must be a domain or URL prefix")
    out = {"url": url.strip(), "match": table.get("match", "domain"), "rewrite": []}
    if out["match"] not in WAYBACK_MATCH:
        raise SourcesError(f"{where}: wayback 'match' must be one of {', '.join(WAYBACK_MATCH)}")
    for key in ("from", "to"):
        value = table.get(key)
        if value is None:
            continue
        value = str(value)
        if not re.fullmatch(r"\d{4,14}", value):
            raise SourcesError(f"{where}: wayback {key!r} must be 4-14 digits (YYYY[MMDD...])")
        out[key] = value
    rules = table.get("rewrite", [])
    if not isinstance(rules, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r)
            for r in rules):
        raise SourcesError(f"{where}: wayback 'rewrite' must be a list of [regex, replacement]")
    for pattern, replacement in rules:
        try:
            re.compile(pattern).sub(replacement, "/")
        except (re.error, IndexError) as exc:
            raise SourcesError(f"{where}: bad wayback rewrite {pattern!r} ({exc})") from None
        out["rewrite"].append((pattern, replacement))
    limit = table.get("limit")
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 10000:
            raise SourcesError(f"{where}: wayback 'limit' must be an integer from 1 to 10000")
        out["limit"] = limit
    return out


def load_sources(path: str | Path) -> list[Source]:
    """Read a sources file; raise :class:`SourcesError` with a one-line reason if invalid."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"sources file not found: {path}") from None
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise SourcesError(f"{path}: not valid TOML (nested too deeply)") from None
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"{path}: no [[source]] tables")
    for i, table in enumerate(tables):
        if not isinstance(table, dict):
            raise SourcesError(f"{path}: source #{i + 1} is not a table (write [[source]])")
    sources = [parse_source(t, f"{path}: source #{i + 1}") for i, t in enumerate(tables)]
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourcesError(f"{path}: duplicate source name(s): {', '.join(dupes)}")
    return sources
