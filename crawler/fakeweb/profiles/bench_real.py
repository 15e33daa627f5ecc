"""The ``bench-real`` profile: the throughput benchmark's site on real page templates.

Real outlets serve pages whose extraction costs several times what the synthetic site's
does (scripts, nested layouts, hundreds of links), so the benchmark's default profile is
built from real article pages given as templates (a folder of ``.html`` or ``.html.gz``
files, e.g. the 120 pages of ``../shared/bench/article-extraction/html``; the project
itself never needs them).  Each template is cut once into a page with slots: its headline
(``<title>``, ``<h1>``, ``og:title``), its body paragraphs, its JSON-LD, its canonical link
and date; every article page of the site is one template with a story of its own written
into the slots.  Its links are made absolute to the page's own outlet (out of the crawl, as
a real page's links to other sites are).

The body is found from the folder's ``ground-truth.json`` (``{id: {"articleBody": ...}}``,
the paragraphs whose text is in the real body) when there is one, else as the block with
the most paragraph text; a template where neither finds two paragraphs is not used.

What the site holds, as a crawl of real outlets meets it (the rest as ``bench-synthetic``:
four outlets, home and listing pages, sections, feeds, sitemaps, robots.txt):

* articles on topic (Syria-conflict stories of :class:`~..prose.Writer`), about 85 %;
* near-copies: an earlier story of another outlet, one paragraph left out, about 5 %
  (the dedup stage files them as copies);
* off-topic stories (markets, weather, sport of fictional towns), about 10 % (the topic
  filter drops them; their pages are captured and recorded all the same).

Deterministic for a seed and a template folder.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import lxml.etree
import lxml.html

from ..markup import e
from ..prose import FIRST, LAST
from .bench_synthetic import BenchSite, Outlet

SLOT = "NEWSARCHIVE-SLOT-{}-7f3a9c"  # a marker no real page holds; replaced per page
TITLE, BODY, HEAD = SLOT.format("title"), SLOT.format("body"), SLOT.format("head")
NEAR_COPY_SHARE, OFF_TOPIC_SHARE = 0.05, 0.10

OFF_TOPIC = {
    "subject": ["The town's football club", "The regional wine fair", "A new tram line",
                "The spring flower show", "The city orchestra", "A cycling race",
                "The harbour's fish market", "A software start-up", "The county library",
                "The national chess final", "A bakery chain", "The ski resort"],
    "verb": ["opened its season", "reported record visitors", "announced new prices",
             "moved to a larger hall", "celebrated its anniversary", "changed its timetable",
             "hired a new director", "won a regional award", "extended its opening hours",
             "published its yearly accounts"],
    "place": ["Lindenfeld", "Porto Alto", "Kestrel Bay", "Marrowdale", "Aldon", "Vellmar",
              "Silverbrook", "Nordhaven", "Castelmoro", "Brightwater"],
    "detail": ["tickets sold out within an hour", "the mayor praised the organisers",
               "local shops stayed open late", "the weather stayed mild and dry",
               "visitors came from the neighbouring valleys", "the new menu drew long queues",
               "volunteers painted the old stands", "a brass band played in the square",
               "the final was decided on penalties", "prices rose by a few cents"],
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


class Template:
    """A real page cut into text around its slots."""

    def __init__(self, name: str, html: str, origin: str):
        self.name, self.html, self.origin = name, html, origin


def cut(name: str, raw: bytes, truth: dict | None) -> Template | None:
    """The page ``raw`` with slots for headline, body and head metadata, or None."""
    try:
        doc = lxml.html.document_fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        return None
    origin = (truth or {}).get("url") or f"https://template-{name[:10]}.invalid/"
    try:
        doc.make_links_absolute(origin, resolve_base_href=True, handle_failures="discard")
    except ValueError:
        return None
    paragraphs = _body_paragraphs(doc, (truth or {}).get("articleBody") or "")
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0]
    marker = lxml.html.Element("p")
    marker.text = BODY
    first.addprevious(marker)
    for p in paragraphs:
        p.drop_tree()
    head = doc.find("head")
    if head is None:
        head = lxml.html.Element("head")
        doc.insert(0, head)
    for node in head.xpath('.//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'
                           '| .//link[contains(translate(@rel, "CANONICAL", "canonical"), "canonical")]'
                           '| .//meta[@charset or translate(@http-equiv, "CONTENTYP", "contentyp")'
                           '="content-type"] | .//meta[contains(@property, "og:") or '
                           'contains(@name, "twitter:") or contains(@property, "article:")]'):
        node.drop_tree()
    for node in doc.xpath('//body//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        node.drop_tree()
    title = head.find("title")
    if title is None:
        title = lxml.html.Element("title")
        head.append(title)
    for node in [title, *doc.xpath("//h1")[:1]]:
        for child in list(node):
            node.remove(child)
        node.text = TITLE
    slot = lxml.html.Element("meta")
    slot.set("name", HEAD)
    head.insert(0, slot)
    html = lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
    html = html.replace(f'<meta name="{HEAD}">', HEAD)
    if html.count(BODY) != 1 or HEAD not in html or TITLE not in html:
        return None
    return Template(name, html, origin)


def _body_paragraphs(doc, truth: str) -> list:
    """The ``<p>`` elements of the article body, in order."""
    paragraphs = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 25]
    if truth:
        body = _norm(truth)
        found = [p for p in paragraphs if _norm(p.text_content()) in body]
        if len(found) >= 2:
            return found
    by_parent: dict = {}
    for p in paragraphs:
        by_parent.setdefault(p.getparent(), []).append(p)
    if not by_parent:
        return []
    best = max(by_parent.values(), key=lambda ps: sum(len(p.text_content()) for p in ps))
    return best if len(best) >= 2 else []


def load_templates(folder: Path) -> list[Template]:
    """Every usable template of ``folder`` (``*.html``, ``*.html.gz``), by name."""
    truth_file = folder.parent / "ground-truth.json"
    if not truth_file.exists():
        truth_file = folder / "ground-truth.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file.exists() else {}
    out = []
    for path in sorted(folder.iterdir()):
        name = path.name.split(".")[0]
        if path.name.endswith(".html.gz"):
            raw = gzip.decompress(path.read_bytes())
        elif path.name.endswith((".html", ".htm")):
            raw = path.read_bytes()
        else:
            continue
        template = cut(name, raw, truth.get(name))
        if template is not None:
            out.append(template)
    return out


class RealBenchSite(BenchSite):
    """``BenchSite`` whose article pages are real templates carrying its stories."""

    profile = "bench-real"
    sources_header = "# Sources of the throughput benchmark's site on real page templates (crawler/fakeweb, bench-real)."

    def __init__(self, templates: str | Path | None = None, pages: int = 2000, outlets: int = 4,
                 seed: int = 8, host_prefix: str = "127.0.0", first: int | None = None,
                 port: int = 0):
        if not templates:
            raise ValueError("the bench-real profile needs --templates FOLDER (real article "
                             "pages, e.g. ../shared/bench/article-extraction/html)")
        folder = Path(templates)
        if not folder.is_dir():
            raise ValueError(f"no folder of page templates at {folder}")
        super().__init__(pages, outlets, seed, host_prefix, first, port)
        self.templates = load_templates(folder)
        if not self.templates:
            raise ValueError(f"no usable page template in {folder}")
        self.kinds = {"article": 0, "near-copy": 0, "off-topic": 0}
        self._written: list[tuple[str, list[str]]] = []  # (title, paragraphs) on topic

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--templates", metavar="FOLDER",
                            help="real article pages (.html or .html.gz) to build the pages on")
        parser.add_argument("--pages", type=int, default=2000, help="article pages (default 2000)")
        parser.add_argument("--outlets", type=int, default=4, help="outlets, one address each (default 4)")
        parser.add_argument("--seed", type=int, default=8)

    def article(self, outlet: Outlet, story: dict, mine: list, i: int, writer) -> str:
        rng = self.rng
        n = len(self.sizes)
        template = self.templates[n % len(self.templates)]
        title, paragraphs = story["title"], None
        draw = rng.random()
        if draw < NEAR_COPY_SHARE and self._written:
            title, original = self._written[rng.randrange(len(self._written))]
            paragraphs = list(original)
            del paragraphs[rng.randrange(1, len(paragraphs))]
            kind = "near-copy"
        elif draw < NEAR_COPY_SHARE + OFF_TOPIC_SHARE:
            title, paragraphs = self.off_topic(rng)
            kind = "off-topic"
        else:
            paragraphs = [writer.paragraph() for _ in range(rng.randint(5, 14))]
            self._written.append((title, paragraphs))
            kind = "article"
        self.kinds[kind] += 1
        story["title"] = title  # the listings, feeds and sitemaps name it so
        url = outlet.base + story["path"]
        published = story["when"].isoformat()
        author = f"{writer.pick(FIRST)} {writer.pick(LAST)}"
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": title, "datePublished": published,
                         "author": [{"@type": "Person", "name": author}],
                         "publisher": {"@type": "Organization", "name": outlet.title},
                         "mainEntityOfPage": url})
        head = (f'<meta charset="utf-8"><link rel="canonical" href="{e(url)}">'
                f'<meta property="og:type" content="article"><meta property="og:title" '
                f'content="{e(title)}"><meta property="og:url" content="{e(url)}">'
                f'<meta property="article:published_time" content="{published}">'
                f'<script type="application/ld+json">{ld}</script>')
        body = "".join(f"<p>{e(p)}</p>\n" for p in paragraphs)
        return (template.html.replace(HEAD, head, 1).replace(TITLE, e(title))
                .replace(f"<p>{BODY}</p>", body, 1))

    @staticmethod
    def off_topic(rng: random.Random) -> tuple[str, list[str]]:
        words = OFF_TOPIC
        place = rng.choice(words["place"])
        title = f"{rng.choice(words['subject'])} in {place} {rng.choice(words['verb'])}"
        paragraphs = []
        for _ in range(rng.randint(5, 10)):
            paragraphs.append(" ".join(
                f"{rng.choice(words['subject'])} in {rng.choice(words['place'])} "
                f"{rng.choice(words['verb'])}, and {rng.choice(words['detail'])}."
                for _ in range(rng.randint(3, 5))))
        return title, paragraphs

    def describe(self) -> dict:
        return {**super().describe(), "templates": len(self.templates), "kinds": self.kinds}
