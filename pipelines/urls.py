"""URL canonicalization: one canonical form per article, whatever link led to it.

The archive keeps one row per canonical URL, so two URLs that serve the same article must
map to the same string, and two different articles must never do so.  When a rule could fold
two different articles together (a ``sid`` that is a story id, a ``ref`` that is a page
number), it is applied only where the value is clearly a tracker or a session token.

Rules, in order (the mechanics are w3lib's and courlan's; the rules are ours):

- an on-site ``rel=canonical`` replaces the URL (same registrable domain, or the same
  host:port for IP addresses and single-label hosts); an off-site one is ignored, and so is
  one that points at the home page of an article (a common CMS mistake);
- Google AMP cache URLs are unwrapped to the publisher's URL;
- scheme and host are lower-cased, a trailing dot and the scheme's default port are dropped
  (any other port is kept: the test sites run on 127.0.0.x:PORT);
- a leading ``www.``, ``m.``, ``mobile.`` or ``amp.`` label is dropped when what remains is
  still a registrable domain (never on IP addresses);
- session ids (``;jsessionid=`` path parameters, ``PHPSESSID``, token-like ``sid``...),
  tracking parameters (``utm_*``, ``fbclid``, ``gclid``...), AMP / mobile / print switches
  (``?amp``, ``?amp=1``, ``?m=1``, ``?print=1``) are removed from the query;
- an AMP path (``/amp``, ``/amp/``, ``/amp/...`` prefix, ``x.amp.html``) and a trailing
  ``/print`` are removed from the path;
- trailing slashes: the path is kept as served except that ``/x/`` and ``/x`` fold to
  ``/x`` (the root stays ``/``);
- w3lib then sorts the query, drops the fragment and percent-encodes the path and query in
  UTF-8 with upper-case hex, so a decoded Arabic slug and its encoded form are one URL;
- a control, format or line-separator character left anywhere (a right-to-left override
  U+202E that makes ``...\u202etxt.exe`` read as ``...exe.txt``, zero-width and other
  invisible characters; in a host name too) is percent-encoded (:func:`encode_invisible`),
  so a stored URL reads as what it points to.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from courlan.urlutils import get_tldinfo
from w3lib.url import canonicalize_url as _w3lib_canonicalize

DEFAULT_PORTS = {"http": 80, "https": 443}
HOST_PREFIXES = ("www", "m", "mobile", "amp")

# Query parameters that only say where a click came from.  Matched on the lower-cased name.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "igshid", "igsh", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ocid",
    "cmpid", "s_cid", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "__twitter_impression", "at_medium", "at_campaign", "wt_mc", "xtor", "spm",
    "ref_src", "ref_url", "rss", "feed_source", "share", "sh",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_")
# Session ids: always removed by name ...
SESSION_PARAMS = frozenset({
    "phpsessid", "jsessionid", "sessionid", "session_id", "sessid", "cfid", "cftoken",
    "aspsessionid", "zenid", "oscsid",
})
# ... or only when the value looks like a token (``sid=1234`` may be a story id).
TOKEN_PARAMS = frozenset({"sid", "s"})
TOKEN_RE = re.compile(r"^(?=.*[a-z])(?=.*\d)[a-z0-9_-]{16,}$", re.I)
# ``ref=twitter`` is a tracker; ``ref=1234`` may be an article number, so keep digits.
REF_PARAMS = frozenset({"ref", "src", "via", "source"})
REF_TRACKER_RE = re.compile(r"^(?!\d+$)[\w.^:-]{1,40}$")
SWITCH_VALUES = {"", "1", "true", "yes", "on", "y"}
# amp / mobile / print switches: name -> values that make it a switch
SWITCH_PARAMS = {
    "amp": SWITCH_VALUES,
    "m": SWITCH_VALUES,
    "mobile": SWITCH_VALUES,
    "print": SWITCH_VALUES,
    "outputtype": {"amp"},
    "output": {"amp", "print"},
    "view": {"print", "amp", "mobile"},
    "format": {"amp"},
}
SESSION_PATH_PARAM_RE = re.compile(r";(?:jsessionid|sid|phpsessid|sessionid)=[^/?#]*", re.I)
AMP_CACHE_RE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$", re.I)
AMP_CACHE_PATH_RE = re.compile(r"^/(?:[a-z]/)*?(?:(s)/)?([^/]*\.[^/]+)(/.*)?$")
AMP_PATH_RE = re.compile(r"/amp/?$", re.I)
AMP_SUFFIX_RE = re.compile(r"\.amp(\.html?)$", re.I)
PRINT_PATH_RE = re.compile(r".+/print/?$", re.I)
PRINT_SUFFIX_RE = re.compile(r"/print/?$", re.I)
IP_RE = re.compile(r"[\d.]+")
# Unicode categories never kept raw in a URL: controls, format characters (bidi embeddings,
# overrides and isolates, zero-width characters, soft hyphen, BOM...), line and paragraph
# separators
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# A crawl asks for the same URL's canonical form several times (the request fingerprint,
# the incremental check, the pipelines, the alias bookkeeping): the last ones are kept.
CACHED_URLS = 4096


def canonicalize_url(url: str, canonical_link: str | None = None) -> str:
    """The canonical form of ``url``; an on-site ``canonical_link`` (rel=canonical) wins."""
    return _canonicalize(url, canonical_link or None)  # one cache entry with or without None


def encode_invisible(url: str) -> str:
    """``url`` with every control, format (bidi, zero-width...) or line-separator
    character percent-encoded in UTF-8; anything else as it is.  For URLs taken as
    written from a file (a WARC's target URI, a CDX listing) and for every canonical URL."""
    if url.isascii() and url.isprintable():
        return url
    return "".join(quote(char, safe="") if unicodedata.category(char) in INVISIBLE_CATEGORIES
                   else char for char in url)


@lru_cache(maxsize=CACHED_URLS)
def _canonicalize(url: str, canonical_link: str | None) -> str:
    url = (url or "").strip()
    chosen = _usable_canonical(url, canonical_link)
    if chosen:
        url = chosen
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return encode_invisible(_w3lib_canonicalize(url, keep_fragments=False))
    parts = _unwrap_amp_cache(parts)
    scheme = parts.scheme.lower()
    netloc = _canonical_netloc(scheme, parts)
    path = _canonical_path(parts.path)
    query = _clean_query(parts.query)
    return encode_invisible(_w3lib_canonicalize(urlunsplit((scheme, netloc, path, query, "")),
                                                keep_fragments=False))


def site_key(url: str) -> str:
    """What makes two URLs the same site: the registrable domain (``bbc.co.uk``), or for
    IP addresses and single-label hosts, ``host:port``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    domain = _registrable_domain(host)
    if domain:
        return domain
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        port = None
    return f"{host}:{port}"


def same_site(url: str, other: str) -> bool:
    return site_key(url) == site_key(other)


# --- helpers ------------------------------------------------------------------------------

def _usable_canonical(url: str, canonical_link: str | None) -> str | None:
    if not canonical_link or not canonical_link.strip():
        return None
    candidate = urljoin(url, canonical_link.strip())
    cparts = urlsplit(candidate)
    if cparts.scheme.lower() not in DEFAULT_PORTS or not cparts.hostname:
        return None
    if not same_site(url, candidate):
        return None
    # rel=canonical pointing at the home page from an article page: a template bug,
    # following it would fold every article of the site into one row.
    if cparts.path.strip("/") == "" and not cparts.query and urlsplit(url).path.strip("/"):
        return None
    return candidate


@lru_cache(maxsize=1024)  # a crawl meets few hosts; the public suffix look-up is not cheap
def _registrable_domain(host: str) -> str | None:
    if not host or _is_ip(host):
        return None
    try:
        _, domain = get_tldinfo(f"http://{host}/")
    except Exception:  # pragma: no cover - the tld package refuses odd hosts
        domain = None
    if not domain and host.count(".") >= 1:
        # a suffix the public list does not know (.example, .test, .internal): last two labels
        domain = ".".join(host.split(".")[-2:])
    return domain.lower() if domain else None


def _is_ip(host: str) -> bool:
    return bool(IP_RE.fullmatch(host)) or ":" in host


def _unwrap_amp_cache(parts):
    """``https://www-x-com.cdn.ampproject.org/c/s/www.x.com/a`` -> ``https://www.x.com/a``."""
    if not AMP_CACHE_RE.match(parts.hostname or ""):
        return parts
    m = AMP_CACHE_PATH_RE.match(parts.path)
    if not m:
        return parts
    scheme = "https" if m.group(1) else "http"
    return urlsplit(urlunsplit((scheme, m.group(2), m.group(3) or "/", parts.query, "")))


def _canonical_netloc(scheme: str, parts) -> str:
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if not _is_ip(host):
        domain = _registrable_domain(host)
        label, _, rest = host.partition(".")
        if label in HOST_PREFIXES and domain and rest and rest != host and (
                rest == domain or rest.endswith("." + domain)):
            host = rest
    elif ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return host


def _canonical_path(path: str) -> str:
    path = SESSION_PATH_PARAM_RE.sub("", path) or "/"
    decoded = unquote(path).lower()
    # AMP variants of the article path
    if decoded.startswith("/amp/") and len(decoded) > 5:
        path = path[4:]
    if "amp" in path.lower():  # (no character but a, m, p matches those under re.I)
        path = AMP_PATH_RE.sub("/", path)
        path = AMP_SUFFIX_RE.sub(r"\1", path)
    # print view of the article path (only when something is left)
    if PRINT_PATH_RE.search(path):
        path = PRINT_SUFFIX_RE.sub("/", path)
    # fold "/x/" into "/x"; the root stays "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path or "/"


def _clean_query(query: str) -> str:
    if not query:
        return ""
    kept = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        key = name.lower()
        low = value.strip().lower()
        if key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES):
            continue
        if key in SESSION_PARAMS or key.startswith("aspsessionid"):
            continue
        if key in TOKEN_PARAMS and TOKEN_RE.match(value):
            continue
        if key in REF_PARAMS and REF_TRACKER_RE.match(value) and key != "source" or (
                key == "source" and low in {"rss", "feed", "twitter", "facebook", "newsletter",
                                            "email", "social", "telegram", "whatsapp"}):
            continue
        if key in SWITCH_PARAMS and low in SWITCH_PARAMS[key]:
            continue
        kept.append((name, value))
    return urlencode(kept)


def rewrite_url(url: str, rules) -> str:
    """``url`` with the wayback ``rewrite`` rules applied to its path and query."""
    if not rules or not url:
        return url
    parts = urlsplit(url)
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    for pattern, replacement in rules:
        tail = re.sub(pattern, replacement, tail)
    path, _, query = tail.partition("?")
    return parts._replace(path=path, query=query, fragment="").geturl()
