"""The sample profile's content: outlets, articles and non-article pages (data files).

The facts the tests assert live next to the text, in ``data/``:

* ``data/outlets.toml``: the outlets (layout, boilerplate strings, discovery) and the
  pages that are not articles (live blog, empty tag page, author page, about page);
* ``data/articles/<outlet>.toml``: one ``[[article]]`` table per article.

Each article record returned by :func:`load_articles` carries ``slug``, ``outlet``,
``path``, ``title``, ``published`` (ISO 8601), ``authors``, ``language``, ``places``,
``actors``, ``expect`` ("stored" | "off_topic" | "duplicate"), ``duplicate_of`` (slug or
None), ``must_keep`` (sentences of the body) and ``must_drop`` (boilerplate printed on the
page).  Everything is fictional and written for newsarchive.
"""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).parent / "data"
EXPECTS = ("stored", "off_topic", "duplicate")
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")


def _read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _outlets() -> tuple:
    data = _read(DATA / "outlets.toml")
    return tuple(data["outlet"]), tuple(data.get("page", ()))


def load_outlets() -> list[dict]:
    """The outlets, in a fixed order (each a fresh dict)."""
    return copy.deepcopy(list(_outlets()[0]))


def load_pages() -> list[dict]:
    """Pages that are not articles (live blog, tag, author, about), each a fresh dict."""
    return copy.deepcopy(list(_outlets()[1]))


def paragraphs(body: str) -> list[str]:
    """Split a body (paragraphs separated by blank lines) into single-line paragraphs."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.split(paragraph) if s]


def word_count(text: str) -> int:
    return len(text.split())


def article_path(outlet: dict, art: dict) -> str:
    when = datetime.fromisoformat(art["published"])
    return outlet["article_path"].format(
        yyyy=f"{when.year:04d}", mm=f"{when.month:02d}", dd=f"{when.day:02d}",
        slug=art["slug"], section=art["section"])


def _excerpt(sentence: str, words: int = 30) -> str:
    """A teaser for listings and feeds: the lead sentence, cut to ``words`` words."""
    parts = sentence.split()
    return sentence if len(parts) <= words else " ".join(parts[:words]) + " …"


def _default_must_keep(paras: list[str]) -> list[str]:
    """A sentence from the second paragraph and the last sentence of the body."""
    keep = [sentences(paras[1 if len(paras) > 1 else 0])[0], sentences(paras[-1])[-1]]
    return list(dict.fromkeys(keep))


@functools.cache
def _articles() -> tuple:
    outlets = {o["name"]: o for o in _outlets()[0]}
    records = []
    for outlet in outlets.values():
        path = DATA / "articles" / f"{outlet['name']}.toml"
        if not path.exists():
            continue
        for raw in _read(path).get("article", []):
            art = dict(raw)
            art["outlet"] = outlet["name"]
            art.setdefault("language", outlet["language"])
            art.setdefault("expect", "stored")
            art.setdefault("duplicate_of", None)
            art.setdefault("authors", [])
            art.setdefault("places", [])
            art.setdefault("actors", [])
            art.setdefault("tags", [])
            art.setdefault("amp", False)
            art.setdefault("dateline", None)
            records.append(art)
    by_slug = {a["slug"]: a for a in records}
    for art in records:
        if art["expect"] == "duplicate" and "body" not in art:
            art["body"] = by_slug[art["duplicate_of"]]["body"]  # the same wire copy
        outlet = outlets[art["outlet"]]
        art["path"] = article_path(outlet, art)
        paras = paragraphs(art["body"])
        art["paragraphs"] = paras
        art["word_count"] = word_count(" ".join(paras))
        art.setdefault("summary", _excerpt(sentences(paras[0])[0]))
        art.setdefault("must_keep", _default_must_keep(paras))
        drop = list(outlet.get("must_drop", ()))
        if art.get("caption"):
            drop.append(art["caption"])
        art["must_drop"] = list(dict.fromkeys(drop + list(art.get("must_drop", ()))))
    return tuple(records)


def load_articles() -> list[dict]:
    """Every article of every outlet (on-topic, off-topic and the syndicated copy)."""
    return copy.deepcopy(list(_articles()))
