"""Tests for pipelines.tag: gazetteer, place/actor/event matching, topic score, pipeline.

All example sentences and paragraphs are written for these tests.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from newsarchive.crawler.settings import NEWSARCHIVE_TOPIC_THRESHOLD as THRESHOLD
from newsarchive.pipelines.tag import find, load_actors, load_events, load_gazetteer, tag

DATA = Path(__file__).resolve().parents[2] / "pipelines" / "data"


def places(text, title=""):
    return tag(title, text)["places"]


def actors(text, title=""):
    return tag(title, text)["actors"]


def events(text, title=""):
    return tag(title, text)["events"]


def score(text, title=""):
    return tag(title, text)["topic_score"]


# --- gazetteer --------------------------------------------------------------------------------

GOVERNORATES = {
    "Aleppo Governorate", "Damascus Governorate", "Daraa Governorate", "Deir ez-Zor Governorate",
    "Hama Governorate", "Hasakah Governorate", "Homs Governorate", "Idlib Governorate",
    "Latakia Governorate", "Quneitra Governorate", "Raqqa Governorate",
    "Rif Dimashq Governorate", "Suwayda Governorate", "Tartus Governorate",
}


def test_gazetteer_has_the_14_governorates():
    rows = load_gazetteer()
    assert {r["name"] for r in rows if r["kind"] == "governorate"} == GOVERNORATES
    assert {r["governorate"] for r in rows} == GOVERNORATES


def test_gazetteer_rows_are_sane():
    rows = load_gazetteer()
    assert len(rows) > 400
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "canonical names must be unique"
    for r in rows:
        assert 32.3 <= r["latitude"] <= 37.4, r
        assert 35.6 <= r["longitude"] <= 42.4, r
        assert r["source"].strip(), r
        assert r["kind"], r
        assert r["geonameid"] == "" or r["geonameid"].isdigit(), r
        # a place is matched by some spelling unless the data says why not
        assert r["variants"] or "dropped" in r["source"], r["name"]
    geonames = [r for r in rows if r["geonameid"]]
    assert len(geonames) >= 300
    assert all("GeoNames" in r["source"] for r in geonames)
    assert len([r for r in rows if r["kind"] == "district"]) >= 60


def test_gazetteer_copies_protect_the_cache():
    rows = load_gazetteer()
    rows[0]["name"] = "changed"
    rows[0]["variants"].append("changed")
    assert load_gazetteer()[0]["name"] != "changed"
    assert "changed" not in load_gazetteer()[0]["variants"]


def test_gazetteer_header_attributes_geonames():
    head = (DATA / "places.csv").read_text(encoding="utf-8")[:2000]
    assert "CC BY 4.0" in head and "geonames.org" in head.lower()


@pytest.mark.parametrize("name, arabic, kind", [
    ("Jabal al-Turkman", "جبل التركمان", "mountain"),
    ("Jabal al-Akrad", "جبل الاكراد", "mountain"),
    ("Kabana", "كبانة", "village"),
    ("Bab al-Hawa", "باب الهوى", "crossing"),
    ("Bab al-Salameh", "باب السلامة", "crossing"),
    ("Sahl al-Ghab", "سهل الغاب", "plain"),
    ("Jabal al-Zawiya", "جبل الزاوية", "mountain"),
    ("al-Tanf", "التنف", "airbase"),
    ("Nasib", "نصيب", "crossing"),
    ("Ain Issa", "عين عيسى", "town"),
    ("Palmyra", "تدمر", "city"),
    ("al-Hol", "الهول", "camp"),
    ("Kobani", "عين العرب", "city"),
])
def test_gazetteer_carries_places_the_news_names(name, arabic, kind):
    row = {r["name"]: r for r in load_gazetteer()}[name]
    assert row["name_ar"] == arabic
    assert row["kind"] == kind


def test_every_curated_spelling_is_matched():
    """places.csv is rebuilt from places_curated.csv (build_places.py) and matches its
    spellings; loading all of GeoNames to rebuild it here would take seconds."""
    with open(DATA / "places_curated.csv", encoding="utf-8", newline="") as fh:
        curated = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    names = {r["name"] for r in load_gazetteer()}
    missed = []
    for row in curated:
        assert row["name"] in names, f"{row['name']}: re-run build_places.py"
        for spelling in (v.strip() for v in row["variants"].split("|")):
            if not spelling or spelling.startswith("!"):
                continue
            if spelling.startswith("~"):
                text = f"قصف في مدينة {spelling[1:]} السورية"
            else:
                text = f"Fighting in Syria near {spelling} today."
            if row["name"] not in places(text):
                missed.append((row["name"], spelling))
    assert missed == []


# --- places -----------------------------------------------------------------------------------

def test_hama_is_not_found_inside_hamas():
    assert places("Hamas officials travelled to Cairo for talks on a truce in Gaza.") == []
    assert places("Hamas and Hama are different words; shelling hit Hama.") == ["Hama"]


def test_homs_is_not_found_inside_longer_words():
    assert places("The Homsi family opened a bakery; Homsiyeh sweets sold out.") == []
    assert places("Residents of Homs queued for bread.") == ["Homs"]


@pytest.mark.parametrize("text, expected", [
    ("قصف على وإدلب", ["Idlib"]),
    ("وصلت القافلة بحلب", ["Aleppo"]),
    ("عاد النازحون لحماة", ["Hama"]),
    ("في دير الزور والرقة", ["Deir ez-Zor", "Raqqa"]),
    ("وفد وصل للرقة امس", ["Raqqa"]),
    ("اشتباكات بالرقة", ["Raqqa"]),
    ("فحمص هادئة", ["Homs"]),
])
def test_arabic_attached_prefixes(text, expected):
    assert places(text) == expected


def test_arabic_diacritics_tatweel_and_spelling_forms():
    assert places("إِدْلِبُ") == ["Idlib"]
    assert places("مدينة الرقــــة") == ["Raqqa"]
    assert places("حماه وحماة") == ["Hama"]
    assert places("اللاذقيّة") == ["Latakia"]


@pytest.mark.parametrize("spellings, canonical", [
    (["Latakia", "Lattakia", "al-Ladhiqiyah", "Al-Ladhiqiyah", "اللاذقية"], "Latakia"),
    (["Idlib", "Idleb", "إدلب", "ادلب"], "Idlib"),
    (["Jisr al-Shughur", "Jisr al-Shughour", "Jisr ash-Shughur", "Jisr Al Shughur",
      "جسر الشغور"], "Jisr al-Shughur"),
    (["Kabana", "Kabaneh", "Kabani", "كبانة"], "Kabana"),
    (["Deir ez-Zor", "Deir el-Zour", "Deir Ezzor", "Deir al-Zor", "Deir ez Zor", "دير الزور"],
     "Deir ez-Zor"),
    (["Maarat al-Numan", "Maarrat al-Nu'man", "Ma’arrat al-Nu’man", "معرة النعمان"],
     "Maarat al-Numan"),
    (["Khan Shaykhun", "Khan Sheikhoun", "خان شيخون"], "Khan Shaykhun"),
    (["Kafr Nabl", "Kafranbel", "كفرنبل", "كفر نبل"], "Kafr Nabl"),
    (["Ras al-Ain", "Ras al-Ayn", "Serekaniye", "رأس العين"], "Ras al-Ain"),
    (["Tal Abyad", "Tell Abyad", "تل أبيض"], "Tal Abyad"),
    (["Kobani", "Kobane", "Ain al-Arab", "عين العرب"], "Kobani"),
    (["Palmyra", "Tadmur", "تدمر"], "Palmyra"),
    (["Tabqa", "al-Tabqa", "الطبقة"], "Tabqa"),
    (["Azaz", "A'zaz", "أعزاز", "إعزاز"], "Azaz"),
    (["Jarabulus", "Jarablus", "جرابلس"], "Jarabulus"),
    (["al-Bab", "Al Bab", "El Bab"], "al-Bab"),
    (["Saraqib", "Saraqeb", "سراقب"], "Saraqib"),
    (["Douma", "دوما"], "Douma"),
    (["al-Tanf", "At Tanf", "al-Tanf garrison", "التنف"], "al-Tanf"),
    (["Nasib crossing", "معبر نصيب"], "Nasib"),
    (["Mount Qasioun", "Jabal Qasioun", "جبل قاسيون"], "Mount Qasioun"),
    (["Tal al-Eis", "Tell al-Eis"], "Tal al-Eis"),
    (["Jabal al-Turkman", "Turkmen Mountain", "جبل التركمان"], "Jabal al-Turkman"),
    (["Jabal al-Akrad", "Kurd Mountain", "جبل الأكراد"], "Jabal al-Akrad"),
    (["Sahl al-Ghab", "al-Ghab Plain", "Ghab plain", "سهل الغاب"], "Sahl al-Ghab"),
    (["Bab al-Hawa", "Bab el-Hawa", "معبر باب الهوى"], "Bab al-Hawa"),
    (["Bab al-Salameh", "Bab al-Salama", "باب السلامة"], "Bab al-Salameh"),
    (["Eastern Ghouta", "East Ghouta", "الغوطة الشرقية"], "Eastern Ghouta"),
    (["Yarmouk camp", "Yarmouk Camp", "مخيم اليرموك"], "Yarmouk Camp"),
    (["al-Hol camp", "al-Hol", "مخيم الهول"], "al-Hol"),
])
def test_transliteration_variants_map_to_one_name(spellings, canonical):
    for spelling in spellings:
        assert places(f"Fighting was reported near {spelling} on Friday.") == [canonical], spelling


def test_possessive_and_all_caps_dateline():
    assert places("ALEPPO – Idlib's hospitals are full.") == ["Aleppo", "Idlib"]


def test_province_and_countryside_go_to_the_governorate():
    assert places("Shelling hit villages in Idlib province.") == ["Idlib Governorate"]
    assert places("Clashes in the Aleppo countryside and rural Damascus.") == [
        "Aleppo Governorate", "Rif Dimashq Governorate"]
    assert places("في ريف إدلب الجنوبي") == ["Idlib Governorate"]
    assert places("Talks took place in the Manbij district.") == ["Manbij District"]


def test_places_are_unique_and_in_order_of_first_mention():
    text = "Raqqa, then Aleppo, then Raqqa again, then Lattakia and Latakia."
    assert places(text) == ["Raqqa", "Aleppo", "Latakia"]
    assert tag("Strikes on Idlib", "Hama and Idlib.")["places"] == ["Idlib", "Hama"]


@pytest.mark.parametrize("text", [
    "Please tell me what happened.",
    "The tell was excavated by archaeologists from Leiden.",
    "He walked through the Bab and into the souk.",
    "The delegation flew to Tripoli for talks.",
    "Ain is a common word in many place names.",
    "The Al Mayadeen channel broadcast the speech.",
    "The Duma passed the bill on Wednesday.",
    "Hula dancers opened the festival.",
    "The ministers met in Ankara's old town.",
])
def test_common_words_and_foreign_places_do_not_hit(text):
    assert places(text) == []


def test_bab_needs_the_article_or_a_place_word():
    assert places("Turkish-backed factions entered al-Bab.") == ["al-Bab"]
    assert places("فتح الباب أمام الحوار بين الطرفين") == []
    assert places("قصف على مدينة الباب شرق حلب") == ["al-Bab", "Aleppo"]


def test_the_anthem_guardians_of_the_homeland_is_not_hama():
    assert places("غنى الطلاب نشيد حماة الديار في مدرسة بحماة") == ["Hama"]
    assert places("غنى الطلاب نشيد حماة الديار") == []


def test_arabic_common_words_that_are_place_names():
    assert places("خرجت المظاهرات السلمية في الساحة") == []
    assert places("قتلى في مدينة السلمية") == ["Salamiyah"]
    assert places("انتصرت الثورة وعادت الكرامة") == []
    assert places("خطة على المدى القصير") == []
    assert places("مقابلة مع قناة الميادين") == []


def test_hass_needs_a_place_word():
    assert places("Hass avocados are on sale in Idlib.") == ["Idlib"]
    assert places("Airstrikes hit the village of Hass near Kafr Nabl.") == ["Hass", "Kafr Nabl"]
    assert places("قصف على قرية حاس جنوب إدلب") == ["Hass", "Idlib"]


def test_short_one_word_places_need_syrian_context():
    assert places("Nawa is the name of a new restaurant in London.") == []
    assert places("Regime forces shelled Nawa in western Daraa.") == ["Nawa", "Daraa Governorate"]


def test_lowercase_place_names_do_not_hit():
    assert places("he was told to halt at the gate of the hama-style house") == []


def test_phrases_naming_things_elsewhere_are_not_syrian_places():
    text = "Aleppo soap, Damascus steel and a Syrian hamster went on sale in Palmyra, New York."
    assert tag("", text) == {"places": [], "actors": [], "events": [], "topic_score": 0.0}
    assert places("غارات على وادي حوران في الأنبار") == []
    assert places("قصف على حوران") == ["Daraa Governorate"]


def test_jabal_al_turkman_is_not_turkey():
    result = tag("", "Turkmen fighters held positions on Jabal al-Turkman overnight.")
    assert result["places"] == ["Jabal al-Turkman"]
    assert "Turkey" not in result["actors"]
    assert actors("Turkmen families fled the villages.") == []


# --- actors -----------------------------------------------------------------------------------

def test_actor_list_is_large_and_unique():
    names = [a["name"] for a in load_actors()]
    assert len(names) >= 35
    assert len(names) == len(set(names))
    for actor in load_actors():
        assert actor["scope"] in ("syria", "international"), actor["name"]
        assert actor.get("ar"), actor["name"]


@pytest.mark.parametrize("text, expected", [
    ("Regime forces advanced under Russian air cover.", ["Syrian government forces", "Russia"]),
    ("The SAA and the NDF shelled the village near Hama.",
     ["Syrian government forces", "National Defence Forces"]),
    ("قوات النظام والجيش السوري", ["Syrian government forces"]),
    ("Fighters from Hezbollah and the IRGC arrived.", ["Hezbollah", "IRGC"]),
    ("The SDF said YPG units and the Asayish were deployed.",
     ["Syrian Democratic Forces", "YPG", "Asayish"]),
    ("ISIS, also called ISIL, Daesh or Islamic State, claimed it.", ["Islamic State"]),
    ("أعلن تنظيم داعش مسؤوليته", ["Islamic State"]),
    ("هجوم لداعش", ["Islamic State"]),
    ("Turkish-backed factions of the SNA attacked.", ["Syrian National Army"]),
    ("The White Helmets, or Syria Civil Defence, pulled people out.", ["White Helmets"]),
    ("الدفاع المدني السوري انتشل الضحايا", ["White Helmets"]),
    ("The UN, OCHA, WFP and the ICRC appealed for funds for Idlib.",
     ["United Nations", "OCHA", "World Food Programme", "ICRC"]),
    ("Wagner mercenaries and Liwa Fatemiyoun fighters were seen.",
     ["Wagner Group", "Liwa Fatemiyoun"]),
    ("The Military Operations Command entered Damascus.", ["Military Operations Command"]),
    ("Syria's transitional government named new governors.",
     ["Syrian transitional government"]),
    ("The US-led coalition and Israeli jets struck targets.", ["US-led coalition", "Israel"]),
    ("Jaish al-Islam, Ahrar al-Sham and Hurras al-Din issued statements.",
     ["Jaish al-Islam", "Ahrar al-Sham", "Hurras al-Din"]),
    ("The Army of Conquest, also known as Jaish al-Fatah, took the city.", ["Army of Conquest"]),
    ("هيئة تحرير الشام وحركة أحرار الشام", ["Hayat Tahrir al-Sham", "Ahrar al-Sham"]),
])
def test_actor_aliases(text, expected):
    assert actors(text) == expected


def test_acronyms_alone_are_not_evidence():
    uk = ("The FSA said the recall covered three brands of peanut butter. The FSA asked "
          "shoppers to return the jars.")
    assert tag("", uk) == {"places": [], "actors": [], "events": [], "topic_score": 0.0}
    japan = "Japan's SDF sent two ships to help after the typhoon."
    assert actors(japan) == []
    assert actors("The SDF and YPG held Kobani.") == ["Syrian Democratic Forces", "YPG"]


def test_renamed_groups_keep_the_name_of_their_time():
    text = ("Jabhat al-Nusra became Jabhat Fateh al-Sham in 2016 and then joined "
            "Hayat Tahrir al-Sham (HTS).")
    assert actors(text) == ["Jabhat al-Nusra", "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham"]
    chain = {a["name"]: a for a in load_actors()}
    assert chain["Jabhat al-Nusra"]["successor"] == "Jabhat Fateh al-Sham"
    assert chain["Jabhat Fateh al-Sham"]["successor"] == "Hayat Tahrir al-Sham"
    assert chain["Syrian transitional government"]["predecessor"] == "Syrian government forces"


def test_acronyms_must_be_capitals_and_names_must_not_be_inside_words():
    assert actors("the hts file and the sdf settings were copied") == []
    assert actors("Iranian officials and Iran's envoy") == ["Iran"]
    assert actors("The Hamas delegation met Hezbollahi poets.") == []
    assert actors("The Ahrar al-Sham statement") == ["Ahrar al-Sham"]  # not the place al-Sham


# --- events -----------------------------------------------------------------------------------

def test_event_types_are_the_acled_style_list():
    assert [e["name"] for e in load_events()] == [
        "air/drone strike", "shelling/artillery/missile attack", "armed clash",
        "territory change", "displacement", "arrests", "protest", "attack on civilians",
        "explosion/remote violence", "abduction/forced disappearance", "humanitarian aid",
        "agreement/ceasefire"]


@pytest.mark.parametrize("text, expected", [
    ("Russian warplanes struck a market; two airstrikes hit the town.", ["air/drone strike"]),
    ("A drone strike killed a commander.", ["air/drone strike"]),
    ("شنت طائرات حربية غارات جوية على البلدة", ["air/drone strike"]),
    ("Regime artillery shelled the village and mortar rounds hit a school.",
     ["shelling/artillery/missile attack"]),
    ("قصف مدفعي على القرى", ["shelling/artillery/missile attack"]),
    ("Fierce clashes broke out between the two factions.", ["armed clash"]),
    ("اندلعت اشتباكات عنيفة بين الطرفين", ["armed clash"]),
    ("Government forces recaptured the town and took control of three villages.",
     ["territory change"]),
    ("سيطرت الفصائل على البلدة", ["territory change"]),
    ("Thousands of families fled their homes.", ["displacement"]),
    ("نزوح آلاف العائلات", ["displacement"]),
    ("Security forces arrested twelve young men in a raid.", ["arrests"]),
    ("حملة اعتقالات في المدينة", ["arrests"]),
    ("Protesters took to the streets.", ["protest"]),
    ("خرجت مظاهرات في الساحة", ["protest"]),
    ("Witnesses described a massacre in the village.", ["attack on civilians"]),
    ("A car bomb exploded near the checkpoint.", ["explosion/remote violence"]),
    ("انفجار عبوة ناسفة بسيارة", ["explosion/remote violence"]),
    ("Gunmen abducted a doctor on the road.", ["abduction/forced disappearance"]),
    ("An aid convoy of 14 trucks crossed.", ["humanitarian aid"]),
    ("دخلت قافلة مساعدات إنسانية", ["humanitarian aid"]),
    ("The ceasefire took effect at midnight.", ["agreement/ceasefire"]),
    ("اتفاق وقف إطلاق النار", ["agreement/ceasefire"]),
])
def test_event_triggers(text, expected):
    assert events(text) == expected


@pytest.mark.parametrize("text", [
    "Workers went on strike for higher wages.",
    "The striker scored twice.",
    "The study demonstrated that the method works.",
    "The two leaders clashed over the budget.",
    "The band released a new album.",
    "Shares fell sharply after the announcement.",
    "Prices fell to a record low in March.",
    "Protestant churches held joint services.",
    "Shares rallied in early trading after a demonstration of the new chip.",
    "The electric displacement field is measured in coulombs.",
    "خطف الفريق الفوز في الدقيقة الأخيرة",
    "The storm uprooted trees; new arrivals filled the shop.",
])
def test_lone_words_do_not_trigger_events(text):
    assert events(text) == []


def test_an_event_trigger_may_overlap_an_actor_name():
    result = tag("", "Syrian warplanes struck the market at noon.")
    assert result["actors"] == ["Syrian government forces"]
    assert result["events"] == ["air/drone strike"]


def test_events_in_order_of_first_mention_and_unique():
    text = ("A ceasefire was announced. Hours later an airstrike hit the market and "
            "another air strike hit the bakery, and the ceasefire collapsed.")
    assert events(text) == ["agreement/ceasefire", "air/drone strike"]


# --- topic score ------------------------------------------------------------------------------

SHORT_SYRIA = (
    "Two children were wounded on Sunday morning when artillery shells landed near a primary "
    "school on the edge of Sarmada, close to the border with Turkey, according to teachers "
    "and a local medic who treated them.\n\n"
    "The medic said the shells came from positions held by regime forces about twenty "
    "kilometres to the south. Classes were suspended for the rest of the week and parents "
    "collected their children from the building within an hour of the attack.\n\n"
    "Families who moved to the area from the countryside further south say they no longer "
    "know where to go. One father, who asked that his name not be used, said his family had "
    "moved three times in two years and had hoped the town would be spared. Local council "
    "members said they would ask aid organisations for tents so lessons could continue in a "
    "safer place, and that volunteers were clearing glass from the classrooms on Monday."
)
OTHER_WAR = (
    "Russian forces pressed their assault on the eastern Ukrainian town on Thursday, firing "
    "glide bombs and artillery at apartment blocks as Ukrainian troops dug new trenches on the "
    "western outskirts, officials in Kyiv said.\n\n"
    "The regional governor said four people were killed and eleven wounded overnight, and "
    "that evacuation buses had taken more than three hundred residents to safer cities. "
    "Russia's defence ministry claimed its units had advanced along two roads leading into "
    "the town, a claim that could not be independently verified.\n\n"
    "Military analysts said Moscow was using the same tactic it had used in earlier battles: "
    "grinding down defenders with massed artillery before sending small infantry groups "
    "forward. Some of the Russian commanders leading the assault previously served in Syria, "
    "one analyst noted, but the scale of the fighting in Ukraine is far larger.\n\n"
    "Kyiv again asked its Western partners for more air defence systems and long-range "
    "missiles. European ministers meeting in Brussels promised further deliveries but gave "
    "no timetable, and a senior Ukrainian official said the front line could not hold for "
    "long without them. Russian state media showed footage of soldiers raising a flag over "
    "a ruined administrative building, while Ukrainian officials insisted their troops still "
    "held the town centre and were counterattacking on its northern edge."
)
SPORTS = (
    "The home side came from two goals down to win 3-2 on Saturday evening, with the "
    "substitute striker scoring twice in the final ten minutes to send the stadium into "
    "raptures.\n\n"
    "The visitors had dominated the first half, taking the lead through a header from a "
    "corner and doubling it just before the break when the goalkeeper spilled a long-range "
    "shot. The coach made three changes at half-time and his team looked sharper at once, "
    "pressing high and winning the ball in midfield.\n\n"
    "The comeback lifts the club to fourth place in the league table, two points behind the "
    "leaders with eight matches left. The captain said afterwards that the dressing room "
    "never stopped believing, and praised the supporters who kept singing throughout."
)
SPORTS_WITH_SYRIA = (
    "Japan beat Syria 3-0 in their World Cup qualifier in Saitama on Thursday, with two goals "
    "from the winger in the first half. Syria's coach said his young side had learned a lot "
    "and that the players would recover in time for the next match against Oman. Syria "
    "remain third in the group, two points ahead of North Korea, with four matches left. The "
    "crowd of 40,000 applauded both teams at the final whistle, and the Syrian captain "
    "thanked the home fans for their welcome."
)
SPORTS_SYRIA_IRAN = (
    "Syria stunned Iran 2-1 in Tehran on Tuesday to keep their hopes of reaching the Asian "
    "Cup finals alive. Syria took the lead after twenty minutes when the striker headed in a "
    "corner, and Iran equalised from the penalty spot before half-time. The winning goal "
    "came late, a low shot from the edge of the area. Syria's coach praised his defenders, "
    "while Iran fans booed their own team off the pitch. Syria play Lebanon at home next month."
)
TECH = (
    "The company unveiled its new smartphone on Tuesday, promising a battery that lasts two "
    "full days and a camera that performs better in low light. The handset runs a faster "
    "chip designed in-house and ships with an assistant that can summarise messages and "
    "translate calls in real time.\n\n"
    "Analysts said the price, slightly higher than last year's model, could slow sales in a "
    "market where consumers are keeping their phones longer. The firm also announced an "
    "update to its laptop line and a subscription that bundles cloud storage with music and "
    "video streaming. Pre-orders open next week in thirty countries."
)
ARABIC_SYRIA = (
    "قالت مصادر محلية إن قوات النظام قصفت بقذائف المدفعية أطراف مدينة أريحا في ريف إدلب "
    "الجنوبي صباح اليوم، ما أدى إلى إصابة ثلاثة مدنيين بينهم طفل، ونقلوا إلى مستشفى قريب.\n\n"
    "وأضافت المصادر أن فرق الدفاع المدني السوري عملت على إخماد حريق اندلع في أحد المنازل، "
    "فيما نزحت عائلات عدة من الأحياء الجنوبية نحو المخيمات القريبة من الحدود التركية. "
    "ويشهد جبل الزاوية منذ أسابيع تصعيداً في القصف رغم اتفاق وقف إطلاق النار الموقع في "
    "آذار من العام الماضي."
)
ARABIC_LEBANON = (
    "قال رئيس الحكومة اللبنانية إن الاجتماع مع صندوق النقد الدولي كان إيجابياً، وإن الحكومة "
    "ستقدم خطة جديدة لإعادة هيكلة المصارف خلال أسابيع. وأضاف أن لبنان يحتاج إلى دعم أشقائه "
    "العرب، مشيراً إلى أن ملف الكهرباء يبقى الأولوية، وأن التفاوض مع سوريا بشأن الغاز "
    "المصري مستمر. وانتقد نواب من المعارضة الخطة واعتبروا أنها تحمّل المودعين الخسائر."
)
ARABIC_IRAQ = (
    "أعلنت قيادة العمليات المشتركة في العراق مقتل خمسة من عناصر تنظيم داعش في عملية "
    "أمنية بصحراء الأنبار، بعد ضربات جوية استهدفت مخابئهم في وادي حوران. وقال متحدث "
    "عسكري إن القوات العراقية عثرت على أسلحة وعبوات ناسفة، وإن خلايا داعش ما زالت تحاول "
    "التسلل من الحدود مع سوريا. وأضاف أن العمليات ستستمر حتى تأمين الطرق بين المدن "
    "الغربية، فيما طالب شيوخ العشائر بإعادة إعمار القرى المتضررة وتعويض الأهالي."
)
LONG_SYRIA = (
    "The reopening of the Bab al-Hawa crossing last month has done little to ease the strain "
    "on the camps north of Idlib, where more than a million people live in tents and "
    "block shelters, aid workers say.\n\n"
    "Trucks carrying flour, medicine and fuel now cross the border several times a week, but "
    "the convoys arrive at a time when funding for the response has fallen to its lowest "
    "level in a decade. The World Food Programme has cut the size of its food baskets twice "
    "this year, and several clinics in the area have closed for lack of money.\n\n"
    "Residents who fled Maarat al-Numan and Saraqib during the government offensive of 2019 "
    "and 2020 say they see no prospect of going home. Their towns were largely destroyed, "
    "and many houses that survived have been stripped of doors, windows and wiring. Since the "
    "fall of the Assad government, a few families have gone back to inspect their land, but "
    "most return to the camps within days.\n\n"
    "Local officials say the main problems are water and winter. Many camps depend on water "
    "delivered by truck, which costs more each year, and tents flood when the rains come. "
    "The new authorities in Damascus have promised a housing programme, but no details have "
    "been published and donors are waiting to see how it will be funded."
)


def test_threshold_is_documented_and_configured():
    from newsarchive.crawler import settings

    assert settings.NEWSARCHIVE_TOPIC_THRESHOLD == 0.3
    from newsarchive.pipelines import tag as tag_module

    assert f"NEWSARCHIVE_TOPIC_THRESHOLD`` (default {THRESHOLD};" in tag_module.__doc__


@pytest.mark.parametrize("title, text", [
    ("Shells hit school near Sarmada", SHORT_SYRIA),
    ("", SHORT_SYRIA),
    ("قصف على أريحا", ARABIC_SYRIA),
    ("", ARABIC_SYRIA),
    ("Camps near Bab al-Hawa brace for winter", LONG_SYRIA),
])
def test_syria_articles_are_in(title, text):
    assert score(text, title) >= THRESHOLD


@pytest.mark.parametrize("title, text", [
    ("Russian forces press assault on eastern Ukrainian town", OTHER_WAR),
    ("Late double seals comeback win", SPORTS),
    ("Japan beat Syria in World Cup qualifier", SPORTS_WITH_SYRIA),
    ("Syria stun Iran in Asian Cup qualifier", SPORTS_SYRIA_IRAN),
    ("New phone promises two-day battery", TECH),
    ("لبنان يقدم خطة جديدة", ARABIC_LEBANON),
    ("مقتل عناصر من داعش في الأنبار", ARABIC_IRAQ),
])
def test_off_topic_articles_are_out(title, text):
    assert score(text, title) < THRESHOLD


def test_scores_are_in_range_and_exact_zero_without_syria():
    assert score(SPORTS) == 0.0
    assert score(TECH) == 0.0
    assert score("") == 0.0
    for text in (SHORT_SYRIA, LONG_SYRIA, ARABIC_SYRIA, OTHER_WAR):
        value = score(text)
        assert 0.0 < value <= 1.0
        assert value == round(value, 3)


def test_naming_only_syria_without_conflict_can_never_pass():
    # one distinct Syrian name (x0.55) and nothing conflict-related (x0.5): under 0.275
    text = "Syria, Syria, Syria. " * 40
    assert score(text, "Syria Syria Syria") < THRESHOLD


def test_title_hits_weigh_more_than_body_hits():
    plain = score(OTHER_WAR)
    assert score(OTHER_WAR, "Veterans of Syria lead the assault") > plain


FILLER = (
    "Prices of bread, fuel and cooking gas have risen again this month, and many families "
    "now buy food on credit from shops in their neighbourhood. Shop owners say they cannot "
    "keep extending credit for long. "
) * 4


def test_a_long_report_with_many_syrian_names_stays_in_however_diluted():
    text = LONG_SYRIA + "\n\n" + "\n\n".join([FILLER] * 12)
    assert len(text.split()) > 1800
    assert score(text) >= THRESHOLD


def test_a_long_article_on_another_war_with_one_syria_mention_stays_out():
    text = OTHER_WAR + "\n\n" + "\n\n".join([FILLER] * 6)
    assert score(text) < score(OTHER_WAR) < THRESHOLD


def test_generic_actor_names_do_not_lift_an_article_on_another_country():
    text = ("Government forces and rebels fought for a third day near the capital, and the "
            "transitional government called for calm. " * 5)
    assert score(text) == 0.0


# --- the contract ------------------------------------------------------------------------------

def test_tag_is_pure_and_json_ready():
    import json
    import pickle

    result = tag("Strikes on Idlib", SHORT_SYRIA, "en")
    assert set(result) == {"places", "actors", "events", "topic_score"}
    json.dumps(result)
    pickle.dumps(result)
    assert tag("Strikes on Idlib", SHORT_SYRIA, "en") == result


def test_data_files_say_where_their_facts_come_from():
    for name in ("actors.toml", "events.toml", "topic_terms.toml", "places_curated.csv",
                 "places_blocklist.txt", "places.csv"):
        head = (DATA / name).read_text(encoding="utf-8")[:3000]
        assert re.search(r"(?i)source|from", head), name


# --- hits with character spans (find) -----------------------------------------------------------

def test_find_gives_each_hit_its_span_in_the_text_given():
    text = ("On Tuesday Assad's forces shelled the town of Kansafra in southern Idlib, "
            "and Russian warplanes struck Ariha.")
    found = {(m.cat, m.name, text[m.start:m.end]) for m in find(text)}
    assert found >= {
        ("actor", "Syrian government forces", "Assad's forces"),
        ("event", "shelling/artillery/missile attack", "shelled"),
        ("place", "Kansafra", "Kansafra"),
        ("place", "Idlib Governorate", "southern Idlib"),
        ("actor", "Russia", "Russian warplanes"),
        ("event", "air/drone strike", "warplanes struck"),
        ("place", "Ariha", "Ariha"),
    }
    starts = [m.start for m in find(text)]
    assert starts == sorted(starts)


def test_find_spans_survive_arabic_marks_and_folded_letters():
    # harakat and tatweel are deleted by the normaliser, "ß" becomes two letters: the spans
    # still point at the words in the text as written
    text = "قُتِلَ ثلاثةٌ بقصفٍ مدفعيّ لقوات النظام على بلدة كنصفرة. Straße to Aleppo, Syria's north."
    spans = {m.name: text[m.start:m.end] for m in find(text)}
    assert spans["Kansafra"] == "كنصفرة"
    assert spans["Syrian government forces"] == "لقوات النظام"
    assert spans["shelling/artillery/missile attack"] == "بقصفٍ مدفعيّ"
    assert spans["Aleppo"] == "Aleppo"
    assert spans["syria"] == "Syria"


def test_find_agrees_with_tag():
    text = ("Clashes between the SDF and Turkish-backed factions erupted near Manbij. "
            "The Kurdish-led forces said an air strike hit Tal Rifaat.")
    result = tag("", text)
    found = find(text)
    assert [m.name for m in found if m.cat == "place"] == result["places"]
    assert list(dict.fromkeys(m.name for m in found if m.cat == "actor")) == result["actors"]
    assert list(dict.fromkeys(m.name for m in found if m.cat == "event")) == result["events"]


# --- ambiguous names and triggers (data/ambiguous.toml) --------------------------------------

@pytest.mark.parametrize("text, places, actors, events", [
    # "دوما" is also the adverb "always": alone it is no town
    ("قال إنه كان يسعى دوما إلى مساعدة الناس وإن عائلته تدعمه دوما في عمله الخيري.",
     [], [], []),
    ("سقطت قذائف على دوما وسط الغوطة الشرقية صباح اليوم.", ["Douma"], [], None),
    ("وصلت قافلة مساعدات إلى مدينة دوما أمس.", ["Douma"], [], None),
    # the coalition in Yemen is not the US-led coalition in Syria
    ("شن التحالف الدولي بقيادة السعودية غارات على مواقع الحوثيين في صنعاء.", [], [], None),
    ("شن التحالف الدولي غارات على مواقع تنظيم الدولة قرب دير الزور.", None,
     ["US-led coalition"], None),
    # what is brought under control is not always a territory
    ("تمكنت السلطات الصحية من السيطرة على الوباء بعد حملة تلقيح واسعة.", [], [], []),
    ("تمكنت الفصائل من السيطرة على قرية في ريف حماة.", None, [], ["territory change"]),
    # a biography's city is not a state at war
    ("ولد الكاتب في حلب عام 1930 ودرس الأدب في موسكو 1958 ثم عاد إلى دمشق.", None, [], None),
    ("He studied engineering in Moscow in 1962 before returning to Aleppo.", None, [], None),
    ("قالت موسكو إن طائراتها قصفت مواقع في إدلب.", None, ["Russia"], None),
    # a state's adjective is also its language
    ("ترجمت رواياته إلى الروسية والفرنسية، وولد في حمص.", None, [], None),
    ("His novels were translated into Russian and Turkish; he was born in Homs.", None, [], None),
    ("وقصفت الطائرات الروسية مواقع قرب إدلب.", None, ["Russia"], None),
])
def test_ambiguous_forms_need_their_context(text, places, actors, events):
    got = tag("", text)
    if places is not None:
        assert [p for p in got["places"] if p == "Douma"] == [p for p in places if p == "Douma"]
    if actors is not None:
        assert set(actors) <= set(got["actors"])
        assert not {"Russia", "US-led coalition"} - set(actors) & set(got["actors"])
    if events is not None:
        assert got["events"] == events


def test_every_ambiguous_form_has_a_reason_and_matches_the_data():
    import tomllib

    from newsarchive.pipelines.tag import DATA, key_of, load_ambiguous

    data = tomllib.loads((DATA / "ambiguous.toml").read_text(encoding="utf-8"))
    for form in data["form"]:
        assert form["reason"].strip() and form["kind"] in ("place", "actor", "event")
        assert any(k in form for k in ("needs", "unless_near", "unless_next", "unless_before",
                                       "unless_year_before"))
    assert sum(len(v) for v in load_ambiguous().values()) == sum(
        len([t for t in f["forms"] if key_of(t)]) for f in data["form"])
