"""Incidents of one article: ``extract_incidents(title, text, published, language)``.

Each sentence of the text is read once (``figures``, ``when``, and the tagger's place, actor
and event-trigger hits with their spans, ``pipelines.tag.find``); then the sentences are
joined into incidents:

* A sentence **starts or continues an incident** when it gives a figure, or names an
  incident event type (``[incident] without_figures``) with a place and a day.  It
  continues the current incident (at most two sentences back) unless it names a place
  that neither is nor contains the incident's, gives another value for a figure the
  incident has (a rising toll is an update, not a conflict), names another day, or starts
  with "Separately", "Meanwhile", "وفي سياق آخر" ...
* A sentence with an event type or a place but nothing else is **context**: the incident
  in the next two sentences takes its type, place, actors and day when it has none
  ("Regime artillery shelled Kansafra. Three civilians were killed.").
* A sentence is **background**, and read for nothing, when it gives a cumulative toll or a
  count over a period ("since 2011", "the war has killed", "documented ... during March",
  "14 years of war"); when it also names a day, only the clause with those words is
  background.  Clauses about earlier events, warnings and old years never give a figure.

An incident needs an event type (its own sentences, else its context, else the title's)
and a Syrian place from the gazetteer (the same, the first incident may take the title's):
an incident elsewhere (Yemen, Iraq) or that the text does not place is not kept.

* **event type**: the first of ``[incident] types`` its sentences name; an incident whose
  only figures are detained (displaced) people is an arrest (a displacement);
* **place**: the most specific gazetteer place its sentences name (neighbourhood, camp,
  crossing, air base > town, village > city > district > region > governorate; the first
  named among equals), with its governorate and coordinates;
* **date**: the earliest day its first dated sentence names (``when``), else the context's,
  else the publication day (``date_source`` "text" or "published");
* **actors**: actors of the responsible kinds (``[incident] actor_kinds``) its sentences
  name, less victims ("killing two fighters of the SDF"), targets ("strikes on regime
  positions") and sources ("the SDF said", "بحسب المرصد");
* **figures**: ``figures`` of its sentences, one per kind, the first sentence's first;
  children and women counted among the killed.

Every value has its evidence: the sentence (``in`` "text" or "title", character span and
text) it was read from.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from ..tag import find, load_actors, load_gazetteer
from . import figures as fig
from .lexicon import lexicon, tokens
from .text import sentences
from .when import RECENT, dates_in, publication_day

FIELDS = ("killed", "wounded", "children", "women", "detained", "displaced")
KIND_RANK = {"governorate": 0, "region": 1, "mountain": 1, "plain": 1, "district": 2,
             "city": 3, "town": 4, "village": 4, "neighbourhood": 5, "camp": 5,
             "airbase": 5, "crossing": 5, "hill": 5}


@lru_cache(maxsize=1)
def _gazetteer() -> dict:
    return {row["name"]: row for row in load_gazetteer()}


@lru_cache(maxsize=1)
def _actor_kinds() -> dict:
    return {actor["name"]: actor.get("kind", "") for actor in load_actors()}


class Sentence:
    """What one sentence says (see the module docstring)."""

    __slots__ = ("idx", "a", "b", "start", "end", "where", "types", "places", "actors",
                 "figures", "subs", "days", "background", "new", "source_text", "toks")

    def evidence(self) -> dict:
        return {"in": self.where, "start": self.start, "end": self.end,
                "sentence": self.source_text[self.start:self.end]}


def _read(text: str, where: str, published, gazetteer: dict):
    """The sentences of *text* (the body or the title), read.  Only sentences with a place,
    actor or event, or with a cue word (no figure without one), are cut into tokens."""
    lex = lexicon()
    hits = find(text)
    strong = any(not h.weak and h.cat in ("place", "actor") for h in hits)
    hits = [h for h in hits if (strong or not h.weak) and h.cat != "term"]
    hit_starts = [h.start for h in hits]
    out = []
    for idx, (start, end) in enumerate(sentences(text)):
        s = Sentence()
        s.idx, s.where, s.source_text, s.start, s.end = idx, where, text, start, end
        mine = hits[bisect_left(hit_starts, start):bisect_left(hit_starts, end)]
        cue = lex.cue_gate.open(text[start:end])
        if not cue and not any(h.cat != "actor" for h in mine):
            _empty(s)  # most sentences: no place, event or cue (an actor alone says nothing)
            out.append(s)
            continue
        toks = tokens(text, start, end)
        a, b = 0, len(toks)
        s.toks, s.a, s.b = toks, a, b
        # token index ranges of the hits
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        spans = [(h, bisect_left(starts, h.start), bisect_right(ends, h.end)) for h in mine]
        named = dates_in(toks, a, b, published)
        s.days = [d for d in named if (published - d.day).days <= RECENT]
        old_date = any((published - d.day).days > RECENT for d in named)
        old_year = published is not None and fig.old_year(toks, a, b, published)
        cumulative = lex.cumulative.within(toks, a, b) or old_date or old_year
        s.background = bool(cumulative and not s.days)
        s.new = any(lex.new_incident.at(toks, i, b) for i in range(a, min(a + 3, b)))
        actor_spans = [(h, i, j) for h, i, j in spans if h.cat == "actor"]
        found, people = [], []
        if cue:
            returns = lex.returns.within(toks, a, b)
            found, people = fig.figures_in(toks, a, b, published, returns,
                                           [(i, j) for _h, i, j in actor_spans])
        if cumulative and s.days:  # only the clauses without those words count
            found = [f for f in found
                     if not lex.cumulative.within(toks, *fig.clause_bounds(toks, f.start, a, b))]
            # (old years and dates: figures_in already left out their clauses)
        s.figures = fig.choose(found)
        s.subs = {}
        killed = s.figures.get("killed")
        if killed is not None:
            if killed.cls in fig.SUB_CLASSES and killed.value is not None:
                s.subs[killed.cls] = killed
            for cls, (value, i, j) in killed.subs.items():
                s.subs.setdefault(cls, fig.Figure(cls, value, None, [], i, j, cls, False))
        # triggers and places in a clause about an earlier event ("a day after a drone attack
        # in Homs") or a warning are not this sentence's; places where a source is neither
        old = {}
        for _h, i, _j in spans:
            clause = fig.clause_bounds(toks, i, a, b)
            if clause not in old:
                old[clause] = fig.old_clause(toks, *clause, published)
        s.types = [h.name for h, i, _j in spans
                   if h.cat == "event" and h.name in lex.type_order
                   and not old[fig.clause_bounds(toks, i, a, b)]]
        s.places = [(h.name, i) for h, i, _j in spans
                    if h.cat == "place" and h.name in gazetteer
                    and not old[fig.clause_bounds(toks, i, a, b)]
                    and not lex.sources.within(toks, *fig.clause_bounds(toks, i, a, b))]
        s.actors = _responsible(toks, a, b, actor_spans, people)
        out.append(s)
    return out


def _empty(s: Sentence) -> None:
    s.types, s.places, s.actors, s.days = [], [], [], []
    s.figures, s.subs = {}, {}
    s.background = s.new = False


def _responsible(toks, a: int, b: int, actor_spans, people) -> list[str]:
    """Actors of the responsible kinds that are not victims, targets or sources."""
    lex = lexicon()
    kinds = _actor_kinds()
    victims = set()
    for i, j in people:
        victims.update(id(hit) for hit, a0, _b0 in actor_spans if i <= a0 < j)  # "two SDF fighters"
        if True:
            pos, steps = j, 0
            while pos < b and steps < 10:
                at = next((span for span in actor_spans if span[1] == pos), None)
                if at is not None:
                    victims.add(id(at[0]))
                    pos = max(at[2], pos + 1)
                elif toks[pos].key in lex.victims_through or lex.people.at(toks, pos, b):
                    pos += 1
                else:
                    break
                steps += 1
    agents, others = [], set()
    for hit, i, j in actor_spans:
        if kinds.get(hit.name) not in lex.actor_kinds:
            continue
        article = lex.articles.before(toks, i, a)
        if id(hit) in victims or lex.not_responsible_before.before(toks, i, a) \
                or (article and lex.not_responsible_before.before(toks, article[0], a)) \
                or lex.not_responsible_after.at(toks, j, b) or _source(toks, j, b):
            others.add(hit.name)
            continue
        agents.append(hit.name)
    return list(dict.fromkeys(agents))


def _source(toks, j: int, b: int) -> bool:
    """Is the actor ending at token *j* the subject of "said" ("the Russian defence ministry
    said")?  A source word within three words, before any punctuation or cue."""
    lex = lexicon()
    for pos in range(j, min(b, j + 4)):
        if lex.sources.at(toks, pos, b):
            return True
        if toks[pos].kind != "word" or lex.cue_any.at(toks, pos, b):
            return False
    return False


class Incident:
    """An incident being assembled from sentences."""

    def __init__(self, s: Sentence, gazetteer: dict):
        self.gazetteer = gazetteer
        self.sentences = [s]
        self.last = s.idx
        self.type = self.type_from = None
        self.place = self.place_from = None
        self.day = self.day_from = None
        self.actors: dict[str, Sentence] = {}
        self.figures: dict[str, tuple] = {}  # field -> (Figure, Sentence)
        self.take(s)

    # -- values ----------------------------------------------------------------------------
    def rank(self, name):
        return KIND_RANK.get(self.gazetteer[name]["kind"], 4)

    def nested(self, a: str, b: str) -> bool:
        """Is one of two places the other, or the governorate of the other?"""
        if a == b:
            return True
        ga, gb = self.gazetteer[a], self.gazetteer[b]
        return (ga["kind"] == "governorate" and gb["governorate"] == a) or \
            (gb["kind"] == "governorate" and ga["governorate"] == b)

    def best_place(self, s: Sentence):
        if not s.places:
            return None
        return max(s.places, key=lambda p: (self.rank(p[0]), -p[1]))[0]

    def compatible(self, s: Sentence) -> bool:
        place = self.best_place(s)
        if place and self.place and not self.nested(place, self.place):
            return False
        for kind, f in s.figures.items():
            have = self.figures.get(kind)
            if have and not f.update and f.value is not None and have[0].value is not None \
                    and f.value != have[0].value:
                return False
        if s.days and self.day and self.day_from.where == "text" and \
                self.day_from is not s and min(d.day for d in s.days) != self.day:
            return False
        return True

    def take(self, s: Sentence, context: bool = False):
        """Add what sentence *s* says (as context: only what the incident lacks)."""
        lex = lexicon()
        types = sorted(s.types, key=lambda t: lex.type_order[t])
        kinds = set(s.figures)
        if kinds and kinds <= {"detained"}:
            types = ["arrests"]
        elif kinds and kinds <= {"displaced"}:
            types = ["displacement"]
        if types and (self.type is None or
                      (not context and lex.type_order[types[0]] < lex.type_order[self.type]
                       and self.type not in ("arrests", "displacement"))):
            self.type, self.type_from = types[0], s
        place = self.best_place(s)
        if place and (self.place is None or (self.nested(place, self.place)
                                             and self.rank(place) > self.rank(self.place))):
            self.place, self.place_from = place, s
        if s.days and (self.day is None or self.day_from.where != "text"):
            self.day, self.day_from = min(d.day for d in s.days), s
        for name in s.actors:
            self.actors.setdefault(name, s)
        if context:
            return
        for kind, f in s.figures.items():
            have = self.figures.get(kind)
            if have is None or (f.update and f.value is not None) or \
                    (have[0].value is None and f.value is not None):
                self.figures[kind] = (f, s)
        for cls, f in s.subs.items():
            field = "children" if cls == "child" else "women"
            if field not in self.figures or s.figures.get("killed", None) is not None and \
                    s.figures["killed"].update:
                self.figures[field] = (f, s)
        if s is not self.sentences[-1]:
            self.sentences.append(s)
        self.last = s.idx

    def result(self, published) -> dict | None:
        if self.type is None or self.place is None:
            return None
        row = self.gazetteer[self.place]
        evidence = {"event_type": self.type_from.evidence(), "place": self.place_from.evidence()}
        if self.day_from is not None:
            evidence["date"] = self.day_from.evidence()
        out = {
            "event_type": self.type,
            "date": (self.day or published).isoformat() if (self.day or published) else None,
            "date_source": "text" if self.day is not None else "published",
            "place": self.place,
            "governorate": row["governorate"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "actors": list(self.actors),
        }
        if self.actors:
            evidence["actors"] = next(iter(self.actors.values())).evidence()
        figures = {}
        qualifiers = {}
        for field in FIELDS:
            found = self.figures.get(field)
            if found is None:
                out[field] = None
                continue
            f, s = found
            out[field] = f.value
            toks = s.source_text
            start = _char(s, f.start)
            end = _char(s, f.end, end=True)
            figures[field] = {"text": toks[start:end], "value": f.value,
                              "qualifiers": list(f.qualifiers), "start": start, "end": end}
            if f.qualifiers:
                qualifiers[field] = list(f.qualifiers)
            evidence[field] = s.evidence()
        out["figures"] = figures
        out["qualifiers"] = qualifiers
        first = self.sentences[0]
        out["sentence"] = first.evidence()
        out["evidence"] = evidence
        return out


def _char(s: Sentence, token_index: int, end: bool = False) -> int:
    toks = s.toks
    if end:
        return toks[token_index - 1].end
    return toks[token_index].start


def extract_incidents(title: str, text: str, published, language: str | None = None,
                      places: list[dict] | None = None) -> list[dict]:
    """The incidents *text* reports (see the module docstring).  *published* is the article's
    ISO date (or date-time, or None); *language* is not needed (both languages are read in
    any article); *places* are gazetteer rows to use instead of
    ``pipelines.tag.load_gazetteer()``."""
    gazetteer = {row["name"]: row for row in places} if places is not None else _gazetteer()
    day = publication_day(published)
    text = text or ""
    body = _read(text, "text", day, gazetteer)
    heading = _read(title or "", "title", day, gazetteer) if title else []
    incidents: list[Incident] = []
    current = None
    context = None
    lex = lexicon()
    for s in body:
        if s.background:
            continue
        # a number, or a place and a day with an event or a vague amount ("dozens were killed")
        starts = any(f.value is not None for f in s.figures.values()) or bool(
            s.places and s.days and (s.figures or any(t in lex.without_figures
                                                      for t in s.types)))
        if starts:
            if current is not None and s.idx - current.last <= 2 and not s.new \
                    and current.compatible(s):
                current.take(s)
            else:
                current = Incident(s, gazetteer)
                if context is not None and s.idx - context.idx <= 2 and \
                        current.compatible(context):
                    current.take(context, context=True)
                incidents.append(current)
            context = None
        elif s.types or s.places:
            if current is not None and s.idx - current.last <= 1 and not s.new \
                    and current.compatible(s) and s.places:
                current.take(s, context=True)
            context = s
    if incidents and heading:
        first = incidents[0]
        for s in heading:
            if first.type is None or first.place is None:
                if s.places and first.place is None:
                    first.place, first.place_from = first.best_place(s), s
                if s.types and first.type is None:
                    first.type = sorted(s.types, key=lambda t: lex.type_order[t])[0]
                    first.type_from = s
    out = []
    for incident in incidents:
        result = incident.result(day)
        if result is not None:
            out.append(result)
    return out
