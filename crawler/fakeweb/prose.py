"""Stories written from word lists, for fake pages that need many distinct articles.

:class:`Writer` draws Syria-conflict reports from sentence parts (places, armed groups,
events, numbers, dates) with a seeded random generator: the benchmark's thousands of pages,
on topic and no two near-copies.  :func:`story` writes six paragraphs, English or Arabic,
determined by a name: the fault site's articles, each different from every other.
Everything is fictional.
"""

from __future__ import annotations

import hashlib
import random

from .markup import EN_MONTHS

# --------------------------------------------------------------- the Writer's word lists
PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Raqqa", "Deir ez-Zor", "Daraa", "Douma",
          "Manbij", "Afrin", "Kobani", "Qamishli", "Hasakah", "Palmyra", "Latakia", "Tartus",
          "Saraqib", "Ariha", "Jisr al-Shughur", "Maarat al-Numan", "Khan Shaykhun",
          "Azaz", "al-Bab", "Jarabulus", "Tal Abyad", "Ras al-Ain", "Mayadin", "Abu Kamal",
          "Suwayda", "Quneitra", "Darayya", "Harasta", "Zabadani", "Qusayr", "Rastan",
          "Talbiseh", "Salamiyah", "Masyaf", "Jableh", "Atarib", "Dana", "Sarmada",
          "Harem", "Binnish", "Taftanaz", "Kafr Nabl", "Busra al-Sham", "Nawa", "Tafas",
          "Inkhil", "Jasim", "Deir Hafer", "Maskanah", "Tabqa", "Shaddadi", "Hajin"]
ACTORS = ["the Syrian Observatory for Human Rights", "the Syrian Democratic Forces",
          "Hayat Tahrir al-Sham", "the Syrian National Army", "Syrian government forces",
          "the Russian air force", "the White Helmets", "Islamic State fighters",
          "Turkish-backed factions", "local council officials", "the UN refugee agency",
          "the World Food Programme", "the Syrian Network for Human Rights",
          "Hezbollah units", "the Fourth Division", "National Defence Forces"]
EVENTS = ["an airstrike", "artillery shelling", "a drone strike", "mortar fire",
          "a car bomb", "armed clashes", "a rocket attack", "barrel bombs", "a landmine",
          "an air raid", "sniper fire", "a missile strike"]
EVENT_VERBS = ["hit", "struck", "targeted", "killed people in", "damaged homes in",
               "shook", "tore through", "reached"]
PEOPLE = ["civilians", "children", "fighters", "aid workers", "farmers", "students",
          "displaced families", "medics", "residents", "shop owners", "teachers", "drivers"]
ADJ = ["eastern", "western", "northern", "southern", "old", "crowded", "rural", "besieged",
       "rebel-held", "government-held", "damaged", "contested", "frontline", "quiet",
       "rain-soaked", "dusty", "ruined", "rebuilt", "makeshift", "abandoned"]
PLACE_NOUNS = ["market", "hospital", "school", "bakery", "camp", "checkpoint", "mosque",
               "water station", "bridge", "field clinic", "olive grove", "grain silo",
               "bus station", "power plant", "courthouse", "neighbourhood", "village",
               "road", "warehouse", "orphanage", "fuel depot", "cemetery"]
SOURCES = ["a local journalist", "a medic at the scene", "a spokesman", "two witnesses",
           "a civil defence volunteer", "a council member", "a displaced teacher",
           "a monitor based in the area", "a nurse", "a truck driver", "an imam",
           "a shopkeeper", "a former detainee", "a farmer from the area"]
SAY = ["said", "told reporters", "reported", "confirmed", "wrote on social media",
       "told our correspondent", "said by telephone", "added", "insisted", "recalled"]
WHEN = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
        "on Saturday", "on Sunday", "overnight", "at dawn", "late on {day}",
        "early on {day}", "in the afternoon", "after midnight", "before sunrise"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = EN_MONTHS
NEEDS = ["bread", "fuel", "clean water", "insulin", "blankets", "baby formula", "tents",
         "heating oil", "antibiotics", "flour", "diesel", "school books", "generators"]
FIRST = ["Ahmad", "Rania", "Khaled", "Lina", "Omar", "Hiba", "Yusuf", "Samar", "Tariq",
         "Nour", "Fadi", "Maya", "Bilal", "Dima", "Hassan", "Reem", "Karim", "Salma"]
LAST = ["Haddad", "Khatib", "Mansour", "Sabbagh", "Darwish", "Halabi", "Nasser", "Qassem",
        "Shami", "Youssef", "Hamdan", "Aziz", "Barakat", "Saleh", "Jaber", "Rahal"]
CHATTER = ["Thank you for reporting this", "Where is the world", "My family is from there",
           "This needs more attention", "Praying for everyone", "Great reporting as always",
           "The numbers are surely higher", "Who will rebuild the town", "Stay safe",
           "Please follow up on the hospital", "I was there last year", "Heartbreaking",
           "Why is nobody talking about this", "Good piece but the map is outdated"]
LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua").split()


class Writer:
    """Writes Syria-conflict stories from sentence parts; each call draws anew."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def when(self) -> str:
        return self.pick(WHEN).replace("{day}", self.pick(DAYS))

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return str(self.rng.randint(2, 95))
        if r < 0.8:
            return f"{self.rng.randint(1, 40) * 25:,}"
        return self.pick(["dozens of", "hundreds of", "at least a dozen", "several"])

    def place_np(self) -> str:
        return f"the {self.pick(ADJ)} {self.pick(PLACE_NOUNS)} of {self.pick(PLACES)}"

    def sentence(self) -> str:
        p, r = self.pick, self.rng
        kind = int(r.random() * 12)
        if kind == 0:
            s = (f"{p(EVENTS)} {p(EVENT_VERBS)} {self.place_np()} {self.when()}, "
                 f"killing {self.number()} {p(PEOPLE)} and wounding {self.number()} more, "
                 f"{p(ACTORS)} {p(SAY)}")
        elif kind == 1:
            s = (f"{p(SOURCES)} {p(SAY)} that {self.number()} {p(PEOPLE)} had "
                 f"fled towards {p(PLACES)} since {p(MONTHS)} {r.randint(1, 28)}")
        elif kind == 2:
            s = (f"The {p(PLACE_NOUNS)} in {p(PLACES)} has been without {p(NEEDS)} for "
                 f"{r.randint(2, 60)} days, and the nearest {p(PLACE_NOUNS)} is "
                 f"{r.randint(3, 90)} kilometres away in {p(PLACES)}")
        elif kind == 3:
            s = (f"{p(ACTORS)} accused {p(ACTORS)} of {p(EVENTS)} near "
                 f"{p(PLACES)}, a charge that could not be independently verified")
        elif kind == 4:
            s = (f"\u201c{p(CHATTER)},\u201d {p(SOURCES)} from {p(PLACES)} {p(SAY)}, asking "
                 f"not to be named for fear of reprisals")
        elif kind == 5:
            s = (f"A convoy of {r.randint(4, 120)} trucks carrying {p(NEEDS)} and {p(NEEDS)} "
                 f"crossed at {p(PLACES)} {self.when()}, the first since {p(MONTHS)}")
        elif kind == 6:
            s = (f"Prices of {p(NEEDS)} in {p(PLACES)} rose by {r.randint(5, 300)} percent "
                 f"in {p(MONTHS)}, {p(SOURCES)} {p(SAY)}")
        elif kind == 7:
            s = (f"{p(ACTORS)} said {self.number()} of its members were "
                 f"arrested at a checkpoint outside {p(PLACES)} in {r.randint(2012, 2025)}")
        elif kind == 8:
            s = (f"Fighting around {self.place_np()} has displaced {self.number()} families, "
                 f"according to {p(ACTORS)}")
        elif kind == 9:
            s = (f"The road between {p(PLACES)} and {p(PLACES)} reopened {self.when()} after "
                 f"{r.randint(2, 30)} weeks of {p(EVENTS)}")
        elif kind == 10:
            s = (f"{p(FIRST)} {p(LAST)}, {r.randint(19, 78)}, {p(SAY)} that the "
                 f"{p(PLACE_NOUNS)} where {p(['she', 'he'])} worked in {p(PLACES)} was "
                 f"{p(['hit twice', 'looted', 'shelled', 'turned into a barracks', 'reopened'])}")
        else:
            s = (f"Syrian {p(PEOPLE)} in {p(PLACES)} and {p(PLACES)} described "
                 f"{p(['long queues', 'power cuts', 'night raids', 'closed schools', 'empty shelves'])} "
                 f"and {p(['fear', 'exhaustion', 'anger', 'uncertainty', 'hope'])} {self.when()}")
        return s[0].upper() + s[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def title(self) -> str:
        p, r = self.pick, self.rng
        return p([
            f"{p(EVENTS).capitalize()} kills {r.randint(2, 60)} in {p(PLACES)}, monitor says",
            f"Families flee {p(PLACES)} as {p(EVENTS)} intensifies",
            f"{p(NEEDS).capitalize()} runs short in {p(PLACES)} after {r.randint(2, 40)} days",
            f"Aid convoy reaches {p(PLACES)} for the first time since {p(MONTHS)}",
            f"Clashes near {p(PLACES)} leave {r.randint(3, 90)} dead in northern Syria",
            f"In {p(PLACES)}, the {p(PLACE_NOUNS)} reopens amid {p(EVENTS)}",
        ])


# ----------------------------------------------------------------- stories keyed by name
# Articles are built from these parts, chosen by the case's name, so that no two cases'
# texts are near-duplicates of each other (the dedup stage would fold them together).
EN_WHO = ["Residents", "Aid workers", "Local officials", "Teachers", "Farmers", "Doctors",
          "Shopkeepers", "Volunteers", "Displaced families", "Engineers", "Students", "Drivers"]
EN_PLACE = ["Aleppo", "Idlib", "Hama", "Homs", "Damascus", "Daraa", "Raqqa", "Deir ez-Zor",
            "Latakia", "Qamishli", "Afrin", "Manbij"]
EN_WHAT = ["water trucks", "bread deliveries", "fuel convoys", "medical supplies",
           "repair crews", "school kits", "generators", "winter blankets", "seed stocks",
           "vaccination teams", "mobile clinics", "food baskets"]
EN_HOW = ["reached", "bypassed", "were delayed outside", "finally returned to",
          "were turned back from", "were rationed across"]
EN_WHY = ["after weeks of shelling on the front line", "because checkpoints closed overnight",
          "as the Syrian government and opposition factions traded accusations",
          "while the ceasefire brokered last spring held only in part",
          "since airstrikes damaged the main road",
          "because the Syrian conflict cut the power grid"]
AR_WHO = ["سكان", "عمال إغاثة", "مسؤولون محليون", "معلمون", "مزارعون", "أطباء", "متطوعون", "نازحون"]
AR_PLACE = ["حلب", "إدلب", "حماة", "حمص", "دمشق", "درعا", "الرقة", "دير الزور"]
AR_WHAT = ["صهاريج المياه", "شحنات الخبز", "قوافل الوقود", "الإمدادات الطبية", "فرق الصيانة",
           "المولدات", "البطانيات", "السلال الغذائية"]
AR_WHY = ["بعد أسابيع من القصف على خطوط الجبهة", "بسبب إغلاق الحواجز ليلا",
          "في ظل اتهامات متبادلة بين الحكومة السورية وفصائل المعارضة",
          "رغم وقف إطلاق النار الهش", "بعد أن ألحقت الغارات الجوية أضرارا بالطريق الرئيسي"]


def _pick(options, seed: int, i: int):
    return options[(seed // (i + 1) + i * 7 + seed % (i + 3)) % len(options)]


def story(name: str, arabic: bool = False) -> list[str]:
    """Six paragraphs of news-like prose about Syria, different for every ``name``."""
    seed = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    out = []
    for i in range(6):
        n = seed % 900 + 37 * i + 12
        if arabic:
            out.append(f"قال {_pick(AR_WHO, seed, i)} في {_pick(AR_PLACE, seed, i + 1)} إن "
                       f"{_pick(AR_WHAT, seed, i + 2)} وصلت إلى {n} عائلة "
                       f"{_pick(AR_WHY, seed, i + 3)}، وإن المجالس المحلية في "
                       f"{_pick(AR_PLACE, seed, i + 4)} تطالب بممرات آمنة قبل نهاية الشهر، "
                       f"فيما يستمر النزاع في سوريا منذ سنوات.")
        else:
            out.append(f"{_pick(EN_WHO, seed, i)} in {_pick(EN_PLACE, seed, i + 1)} said on "
                       f"{_pick(DAYS, seed, i + 2)} that {_pick(EN_WHAT, seed, i + 3)} "
                       f"{_pick(EN_HOW, seed, i + 4)} {n} households "
                       f"{_pick(EN_WHY, seed, i + 5)}. Councils in "
                       f"{_pick(EN_PLACE, seed, i + 6)} asked for safe passage for "
                       f"{seed % 50 + i} more convoys before the end of the month.")
    return out
