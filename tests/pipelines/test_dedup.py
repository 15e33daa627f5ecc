"""De-duplication: the measured test set, the pure helpers, and filing articles through the
store stage (archive/filing.py, pipelines/stages/store.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import article_item, project_crawler
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler

from newsarchive.archive import dedup as archive_dedup
from newsarchive.archive import store
from newsarchive.archive.db import open_db
from newsarchive.archive.filing import find_duplicate
from newsarchive.crawler.context import archive_of
from newsarchive.pipelines import dedup
from newsarchive.pipelines.stages.store import StorePipeline

PAIRS = sorted((Path(__file__).parent / "dedup_pairs" / "pairs").glob("*.toml"))


def load_pair(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))


def archive_text(db, side, fetched_at="2026-03-04T08:00:00+00:00"):
    """Archive one text the way the store stage does (article + index, one transaction)."""
    fp = dedup.fingerprint(side["text"])
    record = {"url": side["url"], "canonical_url": side["url"], "source": side["source"],
              "title": side["title"], "text": side["text"], "fetched_at": fetched_at,
              "content_hash": fp["content_hash"]}
    with db.atomic():
        article_id = store.insert_article(db, record)
        archive_dedup.index_article(db, article_id, {**fp, "bands": fp["bands"]})
    return article_id


# --- the measured test set ---------------------------------------------------------------

def test_pair_set_is_large_and_varied():
    pairs = [load_pair(p) for p in PAIRS]
    assert len(pairs) >= 60
    kinds = {p["kind"] for p in pairs}
    assert {"syndicated-boilerplate", "edited-headline", "wire-prefix", "trimmed-paragraphs",
            "reordered-last-paragraphs", "casualty-template", "weekly-roundup",
            "liveblog-entry", "same-event-other-words", "variant-spellings",
            "casualty-template-respelt"} <= kinds
    respelt = [p for p in pairs if p["kind"] in ("variant-spellings", "casualty-template-respelt")]
    assert {p["language"] for p in respelt} == {"en", "ar"}
    assert {p["expect"] for p in respelt} == {"duplicate", "distinct"}
    assert sum(p["expect"] == "distinct" for p in pairs) >= 20
    assert sum(p["language"] == "ar" for p in pairs) >= 8
    for p in pairs:
        assert p["a"]["text"].count("\n\n") >= 1, "several paragraphs each"


def test_precision_and_recall_on_pairs(tmp_path):
    """Archive side a, then ask the archive about side b: LSH look-up plus verification."""
    tp = fp = fn = tn = 0
    wrong = []
    for n, path in enumerate(PAIRS):
        pair = load_pair(path)
        db = open_db(tmp_path / f"{n}.db")
        a_id = archive_text(db, pair["a"])
        b = pair["b"]
        match = find_duplicate(db, b["text"], dedup.fingerprint(b["text"]), dedup)
        db.close()
        predicted = match is not None and match["id"] == a_id
        expected = pair["expect"] == "duplicate"
        tp += predicted and expected
        fp += predicted and not expected
        fn += expected and not predicted
        tn += not predicted and not expected
        if predicted != expected:
            wrong.append(path.name)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn)
    print(f"\ndedup pairs: {len(PAIRS)}  tp={tp} fp={fp} fn={fn} tn={tn}  "
          f"precision={precision:.3f} recall={recall:.3f}")
    assert precision == 1.0, wrong
    assert recall >= 0.95, wrong


def test_a_month_of_template_reports_stays_apart_and_copies_find_their_day(tmp_path):
    """Thirty daily reports on one template share most band keys; none may merge, and a
    syndicated copy of one day must find that day among all the look-alike candidates."""
    template = (
        "{n} civilians were killed and {w} injured on March {d} when rockets hit homes in "
        "{p}, in the Idlib countryside, local rescue teams said.\n\n"
        "The civil defence said its teams recovered {n} bodies from the rubble and that the "
        "search for survivors continued into the evening in {p}.\n\n"
        "The daily toll brings the number of civilians killed in the province this month to "
        "{t}, according to figures compiled by local monitors.")
    places = ["Ariha", "Sarmin", "Binnish", "Taftanaz", "Saraqib", "Kafr Nabl"]
    db = open_db(tmp_path / "month.db")
    ids, total = {}, 0
    for day in range(1, 31):
        n = 2 + (day * 7) % 9
        total += n
        text = template.format(n=n, w=n * 2 + day % 3, d=day, p=places[day % 6], t=total)
        side = {"url": f"https://monitor.example/{day}", "source": "monitor",
                "title": f"Day {day}", "text": text}
        assert find_duplicate(db, text, dedup.fingerprint(text), dedup) is None, day
        ids[day] = (archive_text(db, side), text)
    article_id, text = ids[17]
    copy = "IDLIB, Syria (Levant Wire) — " + text + "\n\nFollow us on Telegram."
    match = find_duplicate(db, copy, dedup.fingerprint(copy), dedup)
    db.close()
    assert match is not None and match["id"] == article_id


# --- pure helpers ------------------------------------------------------------------------

def test_content_hash_normalises_case_space_punctuation_and_arabic():
    assert dedup.content_hash("Shelling  hit Idlib.") == dedup.content_hash("shelling hit IDLIB")
    assert dedup.content_hash("قُتِلَ ٧ مدنيين في إدلب") == dedup.content_hash("قتل 7 مدنيين في ادلب")
    assert dedup.content_hash("seven killed") != dedup.content_hash("nine killed")


def test_fingerprint_is_plain_data_and_stable():
    fp1 = dedup.fingerprint("Artillery shells struck a market in Sarmin on Tuesday morning.")
    fp2 = dedup.fingerprint("Artillery shells struck a market in Sarmin on Tuesday morning.")
    assert fp1 == fp2
    assert isinstance(fp1["signature"], bytes) and len(fp1["signature"]) == dedup.NUM_PERM * 4
    assert len(fp1["bands"]) == dedup.BANDS
    assert all(isinstance(k, int) and -2**63 <= k < 2**63 for k in fp1["bands"])


def test_empty_text_files_no_band_keys():
    assert dedup.fingerprint("")["bands"] == []
    assert dedup.fingerprint("...")["bands"] == []


def test_footer_years_are_not_values():
    body = "Aid trucks crossed the border on Thursday after a closure of two weeks."
    assert not dedup.value_swaps(body + "\n\nCopyright 2025 Levant Wire",
                                 body + "\n\nAll rights reserved 2026 Orontes")


def test_strip_dateline():
    assert dedup.strip_dateline("IDLIB, Syria (Agency) — Seven were killed") == "Seven were killed"
    assert dedup.strip_dateline("BEIRUT (Reuters) - Text") == "Text"
    assert dedup.strip_dateline("Note.\n\nDAMASCUS, March 3 (AFP) – Text") == "Note.\n\nText"
    assert dedup.strip_dateline("دمشق (وكالة) - نص") == "نص"
    assert dedup.strip_dateline("The civil defence — which said") == "The civil defence — which said"


def test_value_swaps_tell_template_reports_apart():
    a = "Seven civilians were killed in Ariha on March 4, rescuers said in a statement today."
    b = "Four civilians were killed in Kafr Nabl on March 4, rescuers said in a statement today."
    assert dedup.value_swaps(a, b)
    assert not dedup.value_swaps(a, a.replace("rescuers said", "rescuers stated"))
    un = "Aid reached the town, the United Nations said on Monday after a long delay."
    assert not dedup.value_swaps(un, un.replace("United Nations", "UN"))


# --- the Scrapy pipeline -----------------------------------------------------------------

STORY = (
    "Artillery shells struck a crowded vegetable market in the town of Sarmin on Tuesday "
    "morning, killing at least six people and wounding more than twenty, according to local "
    "rescue workers who reached the site within minutes.\n\n"
    "Witnesses said the first shell landed near a row of stalls selling tomatoes and "
    "cucumbers shortly after eight o'clock, when the market is at its busiest. A second and "
    "third shell followed as people tried to carry the wounded away.\n\n"
    "The civil defence service said its volunteers evacuated the injured to two field "
    "hospitals in nearby Binnish and Idlib city, where doctors warned that supplies of blood "
    "and anaesthetic were running low after a week of strikes.\n\n"
    "No group claimed responsibility for the attack. The area has seen a steady rise in "
    "bombardment since the start of the month, and aid agencies have called on all sides to "
    "keep civilians and civilian sites out of the fighting."
)
COPY = ("IDLIB, Syria (Levant Wire) — " + STORY.replace("more than", "over")
        + "\n\nFollow Orontes Daily on Telegram for breaking news from Syria.")


def make_item(url, text=STORY, source="levantwire", title="Shelling hits market",
              fetched_at="2026-03-04T08:00:00+00:00", canonical_link=None, published=None):
    return article_item(url, text, source=source, title=title, fetched_at=fetched_at,
                        canonical_link=canonical_link, published=published)


class Stages:
    """The store stage of one crawler on one archive file."""

    def __init__(self, path):
        self.crawler = project_crawler(path)
        self.store = build_from_crawler(StorePipeline, self.crawler)
        self.db = archive_of(self.crawler).db

    def run(self, item):
        return self.store.process_item(item)

    def stat(self, key):
        return self.crawler.stats.get_value(f"newsarchive/{key}", 0)

    def kind(self, item):
        """How the article was matched ("near-duplicate", "exact-duplicate") or None."""
        row = self.db.execute("select kind from dedup_signatures where article_id = ?",
                              [item.id]).fetchone()
        return row[0] if row else None

    def close(self):
        archive_of(self.crawler).close()


@pytest.fixture
def stages(tmp_path):
    s = Stages(tmp_path / "a.db")
    yield s
    s.close()


def test_copy_is_stored_with_duplicate_of_and_counted(stages):
    first = stages.run(make_item("https://levantwire.example/sarmin-market?utm_source=rss"))
    assert first.page.canonical_url == "https://levantwire.example/sarmin-market"
    assert first.duplicate_of is None
    copy = stages.run(make_item("https://orontes.example/news/1", text=COPY,
                                source="orontes", title="Market shelled in Sarmin"))
    assert copy.duplicate_of == first.id
    assert stages.kind(copy) == "near-duplicate"
    row = stages.db["articles"].get(copy.id)
    assert (row["duplicate_of"], row["source"], row["title"]) == (
        first.id, "orontes", "Market shelled in Sarmin")
    assert stages.stat("outcome/stored") == 1
    assert stages.stat("outcome/duplicate") == 1
    assert stages.stat("reason/near-duplicate") == 1
    stories = list(stages.db.query("select * from stories"))
    assert len(stories) == 1
    assert stories[0]["story_id"] == first.id and stories[0]["articles"] == 2
    assert stories[0]["outlet_count"] == 2
    assert sorted(__import__("json").loads(stories[0]["outlets"])) == ["levantwire", "orontes"]


def test_earlier_published_copy_becomes_the_original_whatever_the_fetch_order(stages):
    late = stages.run(make_item("https://orontes.example/news/1", text=COPY, source="orontes",
                                published="2024-05-01T20:30:00+03:00"))
    early = stages.run(make_item("https://levantwire.example/sarmin-market",
                                 published="2024-05-01T19:10:00+03:00"))
    assert early.duplicate_of is None
    assert stages.db["articles"].get(late.id)["duplicate_of"] == early.id
    assert stages.db["articles"].get(early.id)["duplicate_of"] is None
    # counted as if fetched in publication order
    assert stages.stat("outcome/stored") == 1
    assert stages.stat("outcome/duplicate") == 1
    assert stages.stat("source/orontes/duplicate") == 1
    assert stages.stat("source/levantwire/stored") == 1
    (story,) = stages.db.query("select * from stories")
    assert story["story_id"] == early.id and story["articles"] == 2


def test_copy_without_dates_keeps_the_first_archived_as_original(stages):
    first = stages.run(make_item("https://levantwire.example/a"))
    copy = stages.run(make_item("https://orontes.example/news/1", text=COPY, source="orontes",
                                published="2001-01-01"))
    assert copy.duplicate_of == first.id


def test_exact_copy_points_at_the_first_version(stages):
    first = stages.run(make_item("https://levantwire.example/a"))
    second = stages.run(make_item("https://b.example/x", text=STORY.upper(), source="b"))
    third = stages.run(make_item("https://c.example/y", text=COPY, source="c"))
    assert second.duplicate_of == first.id and stages.kind(second) == "exact-duplicate"
    assert third.duplicate_of == first.id  # never a chain
    assert stages.stat("reason/exact-duplicate") == 1


def test_same_url_same_text_is_dropped(stages):
    stages.run(make_item("https://levantwire.example/a"))
    with pytest.raises(DropItem, match="same-url"):
        stages.run(make_item("https://m.levantwire.example/a/amp/?fbclid=x"))
    assert stages.stat("reason/same-url") == 1
    assert stages.stat("outcome/duplicate") == 1
    assert store.count_articles(stages.db) == 1


def test_same_site_canonical_link_is_used(stages):
    item = stages.run(make_item("https://levantwire.example/print?id=5",
                                canonical_link="/news/sarmin-market/"))
    assert item.page.canonical_url == "https://levantwire.example/news/sarmin-market"


def test_template_lookalike_is_not_merged(stages):
    template = ("{n} civilians were killed on {d} when rockets hit homes in {p} in the Idlib "
                "countryside, rescuers said. The civil defence said its teams pulled {n} "
                "bodies from the rubble in {p} and searched for survivors into the evening.\n\n"
                "The toll brings the number of civilians killed in the province this month to "
                "{t}, according to figures gathered by local monitors who track the "
                "bombardment every day and publish a daily report of the dead and injured.")
    a = stages.run(make_item("https://monitor.example/1",
                             text=template.format(n=7, d="March 4", p="Ariha", t=61)))
    b = stages.run(make_item("https://monitor.example/2",
                             text=template.format(n=4, d="March 5", p="Kafr Nabl", t=65)))
    assert a.duplicate_of is None and b.duplicate_of is None
    assert stages.stat("outcome/stored") == 2


def test_update_keeps_earlier_text_in_article_versions(stages):
    url = "https://levantwire.example/sarmin-market"
    first = stages.run(make_item(url, fetched_at="2026-03-04T08:00:00+00:00"))
    updated_text = STORY + "\n\nUpdate: the civil defence later raised the toll to eight."
    updated = stages.run(make_item(url, text=updated_text,
                                   fetched_at="2026-03-04T09:30:00+00:00"))
    assert updated.id == first.id
    row = stages.db["articles"].get(first.id)
    assert row["text"] == updated_text and row["fetched_at"] == "2026-03-04T09:30:00+00:00"
    versions = archive_dedup.versions(stages.db, first.id)
    assert [(v["text"], v["fetched_at"]) for v in versions] == [
        (STORY, "2026-03-04T08:00:00+00:00")]
    assert stages.stat("reason/updated") == 1
    # the index follows the new text: the update's band keys find it, the old ones do not
    fp_new, fp_old = dedup.fingerprint(updated_text), dedup.fingerprint(STORY)
    assert archive_dedup.find_candidates(stages.db, fp_new["bands"])[0] == (first.id,
                                                                           dedup.BANDS)
    assert first.id not in [c for c, n in archive_dedup.find_candidates(
        stages.db, fp_old["bands"]) if n == dedup.BANDS]
    # the same text fetched again changes nothing
    with pytest.raises(DropItem, match="same-url"):
        stages.run(make_item(url, text=updated_text, fetched_at="2026-03-04T11:00:00+00:00"))
    assert len(archive_dedup.versions(stages.db, first.id)) == 1
    assert stages.db["articles"].get(first.id)["fetched_at"] == "2026-03-04T09:30:00+00:00"


def test_update_of_a_copy_stays_in_its_story(stages):
    first = stages.run(make_item("https://levantwire.example/a"))
    copy = stages.run(make_item("https://orontes.example/1", text=COPY, source="orontes"))
    again = stages.run(make_item("https://orontes.example/1", text=COPY + "\n\nCorrected.",
                                 source="orontes"))
    assert again.id == copy.id
    assert stages.db["articles"].get(copy.id)["duplicate_of"] == first.id


def test_index_persists_across_crawlers(tmp_path):
    path = tmp_path / "a.db"
    one = Stages(path)
    first = one.run(make_item("https://levantwire.example/a"))
    one.close()
    two = Stages(path)  # a later cron run: new crawler, new connection, same file
    try:
        copy = two.run(make_item("https://orontes.example/1", text=COPY, source="orontes"))
        assert copy.duplicate_of == first.id
        with pytest.raises(DropItem, match="same-url"):
            two.run(make_item("https://www.levantwire.example/a/"))
    finally:
        two.close()


def test_articles_archived_before_the_index_are_backfilled(tmp_path):
    import hashlib

    import sqlite_utils

    from newsarchive.archive.db import connect
    from newsarchive.archive.migrations import migrations

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(connect(path))
    migrations.apply(old, stop_before="m006_dedup")  # an archive from before issue #4
    old_hash = hashlib.sha256(" ".join(STORY.lower().split()).encode()).hexdigest()
    with old.atomic():  # the row as that schema had it (later migrations add columns)
        first = old.execute(
            "insert into articles (url, canonical_url, source, text, fetched_at, content_hash) "
            "values (?, ?, ?, ?, ?, ?)",
            ["https://levantwire.example/a", "https://levantwire.example/a", "levantwire",
             STORY, "2026-03-01T08:00:00+00:00", old_hash]).lastrowid
    old.close()
    stages = Stages(path)  # migrates to m010: the old article is pending back-fill
    try:
        stages.store.open_spider()
        assert archive_dedup.backfill_pending(stages.db) == []
        copy = stages.run(make_item("https://orontes.example/1", text=COPY, source="orontes"))
        assert copy.duplicate_of == first
        with pytest.raises(DropItem, match="same-url"):
            stages.run(make_item("https://levantwire.example/a"))
        assert archive_dedup.versions(stages.db, first) == []
    finally:
        stages.close()


def test_a_changed_fingerprint_reindexes_the_archive(tmp_path):
    # an archive indexed with the fingerprint of before m016 (spellings not folded): every
    # article is indexed again, keeps its story and how it was matched
    from newsarchive.archive.migrations import migrations
    from newsarchive.pipelines.stages.store import dedup_backfill

    db = open_db(tmp_path / "old.db", migrate=False)
    migrations.apply(db, stop_before="m016_dedup_refold")
    stale = dedup.fingerprint("an older fingerprint of some other words entirely")
    with db.atomic():
        first = store.insert_article(db, {
            "url": "https://levantwire.example/a", "canonical_url": "https://levantwire.example/a",
            "source": "levantwire", "text": STORY, "fetched_at": "2026-03-01T08:00:00+00:00"})
        second = store.insert_article(db, {
            "url": "https://orontes.example/b", "canonical_url": "https://orontes.example/b",
            "source": "orontes", "text": COPY, "duplicate_of": first,
            "fetched_at": "2026-03-01T09:00:00+00:00"})
        archive_dedup.index_article(db, first, {**stale})
        archive_dedup.index_article(db, second, {**stale, "kind": "near-duplicate",
                                                 "similarity": 0.91})
    assert archive_dedup.backfill_pending(db) == []
    migrations.apply(db)
    assert [i for i, _ in archive_dedup.backfill_pending(db)] == [first, second]
    assert dedup_backfill(db) == 2
    assert archive_dedup.backfill_pending(db) == []
    for article_id, text in ((first, STORY), (second, COPY)):
        row = db.execute("select signature, band_keys, kind, similarity from dedup_signatures "
                         "where article_id = ?", [article_id]).fetchone()
        assert row[0] == dedup.fingerprint(text)["signature"]
        assert archive_dedup.unpack_keys(row[1]) == dedup.fingerprint(text)["bands"]
    assert db.execute("select kind, similarity from dedup_signatures where article_id = ?",
                      [second]).fetchone() == ("near-duplicate", 0.91)
    respelt = STORY.replace("Idlib", "Idleb")
    found = find_duplicate(db, respelt, dedup.fingerprint(respelt), dedup)
    assert found and found["id"] == first
    db.close()
