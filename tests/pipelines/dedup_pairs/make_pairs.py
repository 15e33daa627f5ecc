"""Write the de-duplication test set: pairs/NNN-<kind>-<slug>.toml.

The pair files are the test set (tests/pipelines/test_dedup.py reads them, not this
script).  This script documents how they were made and lets a reviewer add pairs:

    .venv/bin/python tests/pipelines/dedup_pairs/make_pairs.py

All texts are ours: base stories in stories_en.py / stories_ar.py, templates below.
Outlets, agencies and URLs are fictional.  A pair is ``expect = "duplicate"`` when the two
texts are one story (copies an outlet made of another's article) and ``"distinct"`` when
they are different stories that look alike.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import stories_ar  # noqa: E402
import stories_en  # noqa: E402
import stories_spelling  # noqa: E402

OUT = HERE / "pairs"

# --- boilerplate other outlets wrap a syndicated story in --------------------------------
BOILERPLATE_EN = [
    ("This story was originally published by Levant Wire and is republished with "
     "permission.", "Follow Orontes Daily on Telegram and X for breaking news from Syria."),
    ("", "Read more: our full coverage of the north-west, updated every day.\n\n"
         "Have a tip? Write to the newsroom through our secure contact page."),
    ("Editor's note: this article is part of our partnership with regional newsrooms.",
     "Related: Aid agencies warn of funding gap for winter response."),
    ("", "Support independent journalism from Syria by subscribing to our newsletter."),
]
BOILERPLATE_AR = [
    ("", "تابعونا على تلغرام لمتابعة آخر الأخبار العاجلة من سوريا."),
    ("نشرت هذه المادة أولا في وكالة المشرق للأنباء ويعاد نشرها بإذن منها.",
     "اقرأ أيضا: تغطيتنا الكاملة لأوضاع الشمال السوري."),
]
# copy-desk edits a republishing outlet makes (no number or name touched)
EDITS_EN = [
    (" said on ", " said "), ("more than", "over"), ("at least", "no fewer than"),
    ("warned", "cautioned"), (" residents ", " locals "), ("said they", "say they"),
    ("However, ", "But "), (" nearby ", " neighbouring "), ("many", "numerous"),
]
EDITS_AR = [("وقال", "وأفاد"), ("بحسب", "وفق"), ("كبيرا", "ملحوظا"), ("الأهالي", "السكان")]
WIRE_PREFIXES_EN = ["IDLIB, Syria (Levant Wire) — ", "BEIRUT (Levant Wire) - ",
                    "DAMASCUS, March 3 (Orontes Press) – ", "ALEPPO, Syria (AP-style Wire) — "]
WIRE_PREFIXES_AR = ["إدلب (وكالة المشرق) - ", "دمشق (سانا الحرة) – "]
NEW_HEADLINES = [
    "{} — updated", "WATCH: {}", "Syria: {}", "{}, witnesses say", "In pictures: {}",
]


def with_boilerplate(paras, which, lang="en"):
    head, tail = (BOILERPLATE_AR if lang == "ar" else BOILERPLATE_EN)[which]
    out = ([head] if head else []) + list(paras)
    if tail:
        out += tail.split("\n\n")
    return out


def edited(paras, lang="en", n=4):
    edits = (EDITS_AR if lang == "ar" else EDITS_EN)[:n]
    out = []
    for p in paras:
        for old, new in edits:
            p = p.replace(old, new, 1)
        out.append(p)
    return out


def wire(paras, prefix):
    return [prefix + paras[0]] + list(paras[1:])


def trimmed(paras, drop=1):
    return list(paras[:-drop])


def reordered(paras):
    return list(paras[:-2]) + [paras[-1], paras[-2]]


def trimmed_middle(paras):
    return list(paras[:2]) + list(paras[3:])


# --- duplicates: (kind, transform(title, paras, i) -> (title, paras)) --------------------
def _t(kind, fn):
    return kind, fn


DUP_TRANSFORMS_EN = [
    _t("syndicated-boilerplate", lambda t, p, i: (t, with_boilerplate(p, i % 4))),
    _t("edited-headline", lambda t, p, i: (NEW_HEADLINES[i % 5].format(t), edited(p))),
    _t("wire-prefix", lambda t, p, i: (t, wire(p, WIRE_PREFIXES_EN[i % 4]))),
    _t("trimmed-paragraphs", lambda t, p, i: (t, trimmed(p, 1 + i % 2))),
    _t("reordered-last-paragraphs", lambda t, p, i: (t, reordered(p))),
    _t("wire-boilerplate-trimmed", lambda t, p, i: (
        NEW_HEADLINES[(i + 1) % 5].format(t),
        with_boilerplate(trimmed(wire(p, WIRE_PREFIXES_EN[(i + 1) % 4])), (i + 1) % 4))),
    _t("edited-reordered", lambda t, p, i: (t, reordered(edited(p, n=6)))),
    _t("trimmed-middle-paragraph", lambda t, p, i: (t, trimmed_middle(p))),
]
DUP_TRANSFORMS_AR = [
    _t("syndicated-boilerplate", lambda t, p, i: (t, with_boilerplate(p, i % 2, "ar"))),
    _t("wire-prefix", lambda t, p, i: (t, wire(p, WIRE_PREFIXES_AR[i % 2]))),
    _t("trimmed-paragraphs", lambda t, p, i: (t, trimmed(p))),
    _t("edited-reordered", lambda t, p, i: ("عاجل: " + t, reordered(edited(p, "ar")))),
]

# --- distinct look-alikes -----------------------------------------------------------------
CASUALTY_EN = [
    "{killed_w} civilians, including {children} children, were killed and {injured} others "
    "injured on {date} when {weapon} hit residential areas of {place} in the {gov} "
    "countryside, local rescue teams said.",
    "The civil defence said its teams recovered {killed} bodies from the rubble of {houses} "
    "houses and that the search for survivors continued into the evening in {place}.",
    "Medical sources at the hospital in {hospital} said {critical} of the wounded were in a "
    "critical condition and that the hospital had appealed for blood donations.",
    "The daily toll brings the number of civilians killed in {gov} province this month to "
    "{month_total}, according to figures compiled by local monitors.",
    "Monitors said the bombardment of {place} and surrounding villages had forced "
    "{families} families to leave their homes since the start of the week.",
]
CASUALTY_FILLS_EN = [
    # (a, b) differ in numbers and places
    (dict(killed_w="Seven", killed=7, children=2, injured=15, date="March 4",
          weapon="rocket fire", place="Ariha", gov="Idlib", houses=3, hospital="Idlib",
          critical=4, month_total=61, families=120),
     dict(killed_w="Four", killed=4, children=1, injured=9, date="March 4",
          weapon="rocket fire", place="Kafr Nabl", gov="Idlib", houses=2,
          hospital="Maarat Misrin", critical=2, month_total=58, families=75)),
    # same place, another day, other numbers
    (dict(killed_w="Five", killed=5, children=1, injured=11, date="April 9",
          weapon="artillery shells", place="Atarib", gov="Aleppo", houses=2,
          hospital="Darat Izza", critical=3, month_total=40, families=60),
     dict(killed_w="Three", killed=3, children=0, injured=8, date="April 10",
          weapon="artillery shells", place="Atarib", gov="Aleppo", houses=1,
          hospital="Darat Izza", critical=1, month_total=43, families=90)),
    # other place, same numbers except the date and the month's running total
    (dict(killed_w="Six", killed=6, children=3, injured=12, date="May 21",
          weapon="an air strike", place="Jisr al-Shughur", gov="Idlib", houses=4,
          hospital="Darkush", critical=5, month_total=77, families=200),
     dict(killed_w="Six", killed=6, children=3, injured=12, date="May 22",
          weapon="an air strike", place="Saraqib", gov="Idlib", houses=4,
          hospital="Darkush", critical=5, month_total=83, families=200)),
    # same day, same numbers, another town: only the places differ
    (dict(killed_w="Two", killed=2, children=1, injured=6, date="June 2",
          weapon="drone strikes", place="Taftanaz", gov="Idlib", houses=1,
          hospital="Binnish", critical=1, month_total=12, families=40),
     dict(killed_w="Two", killed=2, children=1, injured=6, date="June 2",
          weapon="drone strikes", place="Sarmada", gov="Idlib", houses=1,
          hospital="Atmeh", critical=1, month_total=12, families=40)),
    # numbers as words on one side of the template
    (dict(killed_w="Nine", killed=9, children=4, injured=20, date="July 14",
          weapon="cluster munitions", place="Al-Bab", gov="Aleppo", houses=5,
          hospital="Al-Bab", critical=6, month_total=95, families=310),
     dict(killed_w="Eight", killed=8, children=4, injured=17, date="July 15",
          weapon="cluster munitions", place="Al-Bab", gov="Aleppo", houses=5,
          hospital="Al-Bab", critical=6, month_total=103, families=310)),
    # other province, other weapon, numbers close
    (dict(killed_w="Three", killed=3, children=1, injured=7, date="August 30",
          weapon="mortar shells", place="Nawa", gov="Daraa", houses=2, hospital="Daraa",
          critical=2, month_total=19, families=35),
     dict(killed_w="Three", killed=3, children=2, injured=7, date="August 30",
          weapon="mortar shells", place="Tafas", gov="Daraa", houses=2, hospital="Daraa",
          critical=2, month_total=22, families=35)),
]
CASUALTY_AR = [
    "قتل {killed} مدنيين بينهم {children} أطفال وأصيب {injured} آخرون، {date}، جراء قصف "
    "صاروخي استهدف الأحياء السكنية في {place} بريف {gov}، بحسب فرق الإنقاذ المحلية.",
    "وقال الدفاع المدني إن فرقه انتشلت {killed} جثث من تحت أنقاض {houses} منازل، وإن عمليات "
    "البحث عن ناجين استمرت حتى المساء في {place}.",
    "وأفادت مصادر طبية في مشفى {hospital} بأن حالة {critical} من المصابين حرجة، وأن المشفى "
    "بحاجة ماسة إلى التبرع بالدم.",
    "وبهذه الحصيلة يرتفع عدد القتلى المدنيين في محافظة {gov} منذ بداية الشهر إلى "
    "{month_total} قتيلا، وفق إحصاءات مراصد محلية.",
    "وأشار المرصد إلى أن القصف على {place} والقرى المحيطة بها أجبر {families} عائلة على "
    "النزوح منذ بداية الأسبوع.",
]
CASUALTY_FILLS_AR = [
    (dict(killed=7, children=3, injured=14, date="يوم الثلاثاء 4 آذار", place="أريحا",
          gov="إدلب", houses=3, hospital="إدلب", critical=4, month_total=61, families=120),
     dict(killed=5, children=2, injured=10, date="يوم الثلاثاء 4 آذار", place="كفرنبل",
          gov="إدلب", houses=2, hospital="معرة مصرين", critical=3, month_total=59,
          families=80)),
    (dict(killed=4, children=1, injured=9, date="يوم الجمعة 11 نيسان", place="الأتارب",
          gov="حلب", houses=2, hospital="دارة عزة", critical=2, month_total=33, families=50),
     dict(killed=4, children=1, injured=9, date="يوم السبت 12 نيسان", place="الأتارب",
          gov="حلب", houses=2, hospital="دارة عزة", critical=2, month_total=37,
          families=50)),
]

ROUNDUP_INTRO = ("This is our weekly round-up of the main developments in Syria for the week "
                 "ending {date}, compiled by the newsroom from our own reporting and that of "
                 "partner outlets across the country.")
ROUNDUP_OUTRO = ("You can subscribe to receive the round-up by email every Friday. Corrections "
                 "and tips can be sent to the editors through the contact page.")
ROUNDUP_ITEMS = [
    "In Idlib, shelling of towns south of the M4 highway intensified, and medical workers "
    "reported a rise in the number of wounded arriving at field hospitals.",
    "In Aleppo, the water directorate said repairs to a pumping station were almost complete, "
    "while residents of eastern districts still relied on tanker deliveries.",
    "In Deir ez-Zor, a temporary bridge over the Euphrates opened to light traffic, easing "
    "the movement of farm produce between the two banks.",
    "In Daraa, residents protested against power cuts and the rising cost of generator "
    "subscriptions, and the gathering ended peacefully.",
    "In Raqqa, a rebuilt secondary school opened for the new term with classes in two "
    "shifts because of a shortage of rooms.",
    "On the economy, the pound fell again on the informal market, and traders reported that "
    "many shops had stopped posting prices.",
    "On the border, a convoy of aid trucks crossed from Turkey after a closure of two weeks, "
    "and aid groups warned that stocks were low.",
    "In Latakia, forest fires forced the evacuation of several mountain villages before "
    "crews brought them under control.",
    "In the camps of the north-west, storms flooded tents and damaged shelters, and aid "
    "groups appealed for winter funding.",
    "In Hama, farmers reported a poor wheat harvest after a dry winter and high fuel prices.",
]
ROUNDUP_WEEKS = [("January 12", [0, 1, 2, 3]), ("January 19", [4, 5, 6, 7]),
                 ("February 2", [8, 9, 0, 5]), ("February 9", [1, 3, 7, 8]),
                 ("March 1", [2, 4, 6, 9]), ("March 8", [0, 7, 3, 5]),
                 ("March 15", [9, 1, 4, 6]), ("March 22", [5, 8, 2, 0])]

LIVE_HEADER = ("Live updates: the situation in north-west Syria. This page is updated "
               "throughout the day with reports from our correspondents in Idlib, Aleppo and "
               "along the Turkish border. All times are local. Refresh for the latest entries, "
               "and read our explainer on who controls which areas of the region.")
LIVE_ENTRIES = [
    "14:05 — Rescue workers say two people were wounded when a shell hit a house on the "
    "edge of Ariha. Both were taken to hospital in Idlib city, and one is in a serious "
    "condition according to a nurse we reached by phone.",
    "15:40 — A convoy of twelve aid trucks has reached a warehouse near Sarmada, an aid "
    "worker told us. Distribution of flour and blankets to nearby camps is expected to "
    "start tomorrow morning.",
    "16:20 — Schools in Maarat Misrin have sent pupils home early after reports of drones "
    "over the town. Parents gathered outside the gates to collect their children.",
    "17:55 — The local council in Atmeh says rain overnight flooded at least forty tents. "
    "Volunteers are digging drainage channels and moving families to a mosque.",
    "09:10 — Power has returned to parts of Idlib city after a two-day outage caused by "
    "damage to a transformer, the electricity office says.",
    "10:30 — Traders in Sarmada report that the price of diesel rose again overnight, the "
    "third increase this month, pushing up the cost of bread and transport.",
    "11:45 — A medical charity says a mobile clinic will visit camps around Kafr Lusin "
    "this week to vaccinate children who missed routine immunisations.",
    "12:15 — Our correspondent in Darat Izza reports heavy traffic on the road north as "
    "families leave villages close to the front line with their belongings.",
]

LIVE_HEADER_LONG = LIVE_HEADER + (
    "\n\nKey points so far today: shelling reported around Ariha and Maarat Misrin; aid "
    "convoys moving through the border crossing; storms expected to reach the camps along "
    "the border tonight. Our correspondents are working with local journalists to confirm "
    "reports, and we will say so clearly when a claim cannot be checked independently.")
LIVE_HEADER_AR = ("تغطية مباشرة: آخر التطورات في شمال غرب سوريا. يتم تحديث هذه الصفحة على مدار "
                  "اليوم بتقارير مراسلينا في إدلب وحلب وعلى الحدود التركية. جميع الأوقات "
                  "بالتوقيت المحلي.")


def fill(template, values):
    return [p.format(**values) for p in template]


def entry(i, header=LIVE_HEADER):
    return [header, LIVE_ENTRIES[i]]


def roundup(w):
    date, items = ROUNDUP_WEEKS[w]
    return [ROUNDUP_INTRO.format(date=date)] + [ROUNDUP_ITEMS[i] for i in items] + [
        ROUNDUP_OUTRO]


# --- writing ------------------------------------------------------------------------------

def _lit(text: str) -> str:
    assert "'''" not in text
    return "'''\n" + text + "'''"


def _basic(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def side(source, url, title, paras):
    return {"source": source, "url": url, "title": title, "text": "\n\n".join(paras)}


def write_pair(n, kind, slug, expect, language, a, b, note=""):
    lines = [f"# {kind}: {note}".rstrip(": "), f"kind = {_basic(kind)}",
             f"expect = {_basic(expect)}", f"language = {_basic(language)}", ""]
    for name, s in (("a", a), ("b", b)):
        lines += [f"[{name}]", f"source = {_basic(s['source'])}", f"url = {_basic(s['url'])}",
                  f"title = {_basic(s['title'])}", f"text = {_lit(s['text'])}", ""]
    path = OUT / f"{n:03d}-{kind}-{slug}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.toml"):
        old.unlink()
    n = 0

    def add(*args, **kw):
        nonlocal n
        n += 1
        write_pair(n, *args, **kw)

    # duplicates, English: two copies per base story
    for i, (slug, (title, paras)) in enumerate(stories_en.STORIES.items()):
        for j in (2 * i, 2 * i + 1):
            kind, fn = DUP_TRANSFORMS_EN[j % len(DUP_TRANSFORMS_EN)]
            t2, p2 = fn(title, paras, j)
            add(kind, slug, "duplicate", "en",
                side("levantwire", f"https://levantwire.example/{slug}", title, paras),
                side(f"outlet{j % 5}", f"https://outlet{j % 5}.example/news/{j}/{slug}", t2,
                     p2), note="a copy of the same story")
    # duplicates, Arabic
    for i, (slug, (title, paras)) in enumerate(stories_ar.STORIES.items()):
        for j in (2 * i, 2 * i + 1):
            kind, fn = DUP_TRANSFORMS_AR[j % len(DUP_TRANSFORMS_AR)]
            t2, p2 = fn(title, paras, j)
            add(kind, slug, "duplicate", "ar",
                side("mashriq", f"https://mashriq.example/{slug}", title, paras),
                side(f"arab{j % 3}", f"https://arab{j % 3}.example/{j}", t2, p2),
                note="a copy of the same story")
    # distinct: casualty reports on one template
    for k, (fa, fb) in enumerate(CASUALTY_FILLS_EN):
        add("casualty-template", f"en{k}", "distinct", "en",
            side("monitor", f"https://monitor.example/daily/{k}a",
                 f"{fa['killed_w']} civilians killed in {fa['place']}", fill(CASUALTY_EN, fa)),
            side("monitor", f"https://monitor.example/daily/{k}b",
                 f"{fb['killed_w']} civilians killed in {fb['place']}", fill(CASUALTY_EN, fb)),
            note="same template, other numbers or places")
    for k, (fa, fb) in enumerate(CASUALTY_FILLS_AR):
        add("casualty-template", f"ar{k}", "distinct", "ar",
            side("marsad", f"https://marsad.example/{k}a", f"مقتل {fa['killed']} مدنيين في "
                 f"{fa['place']}", fill(CASUALTY_AR, fa)),
            side("marsad", f"https://marsad.example/{k}b", f"مقتل {fb['killed']} مدنيين في "
                 f"{fb['place']}", fill(CASUALTY_AR, fb)),
            note="same template, other numbers or places")
    # distinct: weekly round-ups (consecutive weeks share intro, outro, sometimes an item)
    for k in range(4):
        a, b = roundup(2 * k), roundup(2 * k + 1)
        add("weekly-roundup", f"w{k}", "distinct", "en",
            side("newsroom", f"https://newsroom.example/roundup/{2 * k}", "Syria this week",
                 a),
            side("newsroom", f"https://newsroom.example/roundup/{2 * k + 1}",
                 "Syria this week", b), note="same template, other week")
    # distinct: live-blog entries under one header
    for k in range(4):
        add("liveblog-entry", f"e{k}", "distinct", "en",
            side("frontline", f"https://frontline.example/live#e{2 * k}", "Live: north-west "
                 "Syria", entry(2 * k)),
            side("frontline", f"https://frontline.example/live#e{2 * k + 1}", "Live: north-"
                 "west Syria", entry(2 * k + 1)), note="two entries of one live blog")
    add("liveblog-entry", "long-header", "distinct", "en",
        side("frontline", "https://frontline.example/live#e6", "Live: north-west Syria",
             entry(5, LIVE_HEADER_LONG)),
        side("frontline", "https://frontline.example/live#e7", "Live: north-west Syria",
             entry(6, LIVE_HEADER_LONG)), note="two short entries under a long header")
    add("liveblog-entry", "ar", "distinct", "ar",
        side("mubashir", "https://mubashir.example/live/1", "تغطية مباشرة",
             [LIVE_HEADER_AR, "الساعة 14:05 — أصيب شخصان بجروح جراء سقوط قذيفة على منزل في "
              "أطراف أريحا، ونقلا إلى مشفى في مدينة إدلب."]),
        side("mubashir", "https://mubashir.example/live/2", "تغطية مباشرة",
             [LIVE_HEADER_AR, "الساعة 15:40 — وصلت قافلة من اثنتي عشرة شاحنة مساعدات إلى "
              "مستودع قرب سرمدا، على أن يبدأ توزيع الطحين والبطانيات غدا."]),
        note="two entries of one live blog")
    # distinct: the same event reported independently in other words
    for slug, (title, paras) in stories_en.INDEPENDENT.items():
        t0, p0 = stories_en.STORIES[slug]
        add("same-event-other-words", slug, "distinct", "en",
            side("levantwire", f"https://levantwire.example/{slug}", t0, p0),
            side("ownreport", f"https://ownreport.example/{slug}", title, paras),
            note="two outlets' own reporting of one event")
    for slug, (title, paras) in stories_ar.INDEPENDENT.items():
        t0, p0 = stories_ar.STORIES[slug]
        add("same-event-other-words", slug, "distinct", "ar",
            side("mashriq", f"https://mashriq.example/{slug}", t0, p0),
            side("arabown", f"https://arabown.example/{slug}", title, paras),
            note="two outlets' own reporting of one event")
    # distinct: different stories in the same outlet's heavy boilerplate
    keys = list(stories_en.STORIES)
    for k, (x, y) in enumerate([(keys[0], keys[6]), (keys[9], keys[14])]):
        (tx, px), (ty, py) = stories_en.STORIES[x], stories_en.STORIES[y]
        add("same-boilerplate-other-story", f"{x}-{y}", "distinct", "en",
            side("outlet1", f"https://outlet1.example/{x}", tx,
                 with_boilerplate(with_boilerplate(px, 0), 1)),
            side("outlet1", f"https://outlet1.example/{y}", ty,
                 with_boilerplate(with_boilerplate(py, 0), 1)),
            note="one outlet's boilerplate around two stories")
    # duplicates written with other numerals, and copies of template reports (a copy of a
    # casualty report is still a copy: the value check must not reject it)
    for slug, swaps in (("idlib-market", [("six", "6"), ("more than twenty", "over 20")]),
                        ("raqqa-school", [("seven hundred", "700"), ("two years", "2 years")])):
        title, paras = stories_en.STORIES[slug]
        copy = "\n\n".join(paras)
        for old, new in swaps:
            copy = copy.replace(old, new, 1)
        add("digits-for-number-words", slug, "duplicate", "en",
            side("levantwire", f"https://levantwire.example/{slug}", title, paras),
            side("outlet3", f"https://outlet3.example/{slug}", title,
                 wire(copy.split("\n\n"), WIRE_PREFIXES_EN[1])),
            note="a copy that writes numbers in digits")
    fa = CASUALTY_FILLS_EN[0][0]
    report = fill(CASUALTY_EN, fa)
    add("template-report-copy", "en", "duplicate", "en",
        side("monitor", "https://monitor.example/daily/0a", "Seven civilians killed in Ariha",
             report),
        side("outlet2", "https://outlet2.example/ariha", "Rocket fire kills seven in Ariha",
             with_boilerplate(wire(report, "ARIHA, Syria (Levant Wire) — "), 3)),
        note="a syndicated copy of a templated casualty report")
    fa = CASUALTY_FILLS_AR[0][0]
    report = fill(CASUALTY_AR, fa)
    eastern = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    add("template-report-copy", "ar", "duplicate", "ar",
        side("marsad", "https://marsad.example/0a", "مقتل 7 مدنيين في أريحا", report),
        side("arab1", "https://arab1.example/ariha", "مقتل ٧ مدنيين بقصف على أريحا",
             with_boilerplate(wire([p.translate(eastern) for p in report],
                                   WIRE_PREFIXES_AR[0]), 0, "ar")),
        note="a copy in Eastern Arabic digits of a templated report")
    # issue 16: copies that spell places and write numbers another way, one paragraph
    # dropped (duplicates), and look-alike reports spelt another way (distinct)
    for slug, (title, paras) in [*stories_spelling.EN.items(),
                                 *((k, stories_en.STORIES[k]) for k in (
                                     "idlib-market", "deir-ezzor-bridge", "latakia-fire"))]:
        add("variant-spellings", slug, "duplicate", "en",
            side("levantwire", f"https://levantwire.example/{slug}", title, paras),
            side("outlet4", f"https://outlet4.example/{slug}", respelt(title, "en"),
                 trimmed_middle([respelt(p, "en") for p in paras])),
            note="a copy with other place spellings and numerals, a paragraph dropped")
    for slug, (title, paras) in stories_spelling.AR.items():
        add("variant-spellings", slug, "duplicate", "ar",
            side("mashriq", f"https://mashriq.example/{slug}", title, paras),
            side("arab2", f"https://arab2.example/{slug}", respelt(title, "ar"),
                 trimmed_middle([respelt(p, "ar") for p in paras])),
            note="a copy with other place spellings and numerals, a paragraph dropped")
    fa = CASUALTY_FILLS_EN[0][0]
    report = fill(CASUALTY_EN, fa)
    add("variant-spellings", "template-report", "duplicate", "en",
        side("monitor", "https://monitor.example/daily/0a", "Seven civilians killed in Ariha",
             report),
        side("outlet4", "https://outlet4.example/ariha", "7 civilians killed in Ariha",
             [respelt(p, "en").replace("Seven", "7") for p in report]),
        note="a copy of a templated report, Idleb for Idlib and digits for words")
    # look-alikes: the same template, other places and numbers, one side spelt another way
    for k, (fa, fb) in enumerate(CASUALTY_FILLS_EN[:4]):
        add("casualty-template-respelt", f"en{k}", "distinct", "en",
            side("monitor", f"https://monitor.example/daily/{k}a",
                 f"{fa['killed_w']} civilians killed in {fa['place']}", fill(CASUALTY_EN, fa)),
            side("outlet4", f"https://outlet4.example/daily/{k}b",
                 f"{fb['killed']} civilians killed in {respelt(fb['place'], 'en')}",
                 [respelt(p, "en").replace(fb["killed_w"], str(fb["killed"]))
                  for p in fill(CASUALTY_EN, fb)]),
            note="same template, other numbers or places, spelt another way")
    for k, (fa, fb) in enumerate(CASUALTY_FILLS_AR):
        add("casualty-template-respelt", f"ar{k}", "distinct", "ar",
            side("marsad", f"https://marsad.example/{k}a", f"مقتل {fa['killed']} مدنيين في "
                 f"{fa['place']}", fill(CASUALTY_AR, fa)),
            side("arab2", f"https://arab2.example/{k}b", f"مقتل {fb['killed']} مدنيين في "
                 f"{respelt(fb['place'], 'ar')}",
                 [respelt(p, "ar") for p in fill(CASUALTY_AR, fb)]),
            note="same template, other numbers or places, spelt another way")
    print(f"wrote {n} pairs to {OUT}")


def respelt(text, lang):
    """``text`` as another outlet writes it: other place spellings, other numerals."""
    places = stories_spelling.RESPELL_AR if lang == "ar" else stories_spelling.RESPELL_EN
    numbers = stories_spelling.NUMBERS_AR if lang == "ar" else stories_spelling.NUMBERS_EN
    for old, new in places + numbers:
        text = text.replace(old, new)
    return text


if __name__ == "__main__":
    main()
