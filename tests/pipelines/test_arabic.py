"""Tests for pipelines.arabic: the normalisation other stages (tag, search, dedup) share."""

import random

import pytest

from newsarchive.pipelines.arabic import _TABLE, normalize_arabic, prefix_forms


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("أحمد", "احمد"),  # alef with hamza above
        ("إدلب", "ادلب"),  # alef with hamza below
        ("آلاف", "الاف"),  # alef madda
        ("ٱلله", "الله"),  # alef wasla
        ("حماة", "حماه"),  # ta marbuta
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("دِمَشْقُ", "دمشق"),  # harakat
        ("سُوريّا", "سوريا"),  # shadda
        ("الرقــــة", "الرقه"),  # tatweel
        ("٢٠١٥", "2015"),  # Eastern Arabic digits
        ("۱۴۰۳", "1403"),  # Persian digits
        ("کردی", "كردي"),  # Persian kaf and yeh
    ],
)
def test_normalize_arabic(raw, expected):
    assert normalize_arabic(raw) == expected


def test_normalize_arabic_leaves_latin_and_spacing_alone():
    text = "Aleppo, 12 May — قصف على حلب"
    assert normalize_arabic(text) == "Aleppo, 12 May — قصف علي حلب"
    assert normalize_arabic("") == ""


def test_normalize_arabic_applies_exactly_its_table():
    """The table is applied in two cheap steps; the result is the table's, character by
    character, whatever the mix of letters, marks, digits and Latin text."""
    rnd = random.Random(3)
    alphabet = [chr(c) for c in range(0x0600, 0x0700)] + list("Idlib ’é—\n2")
    texts = [chr(c) * 2 for c in range(0x0600, 0x0700)] + [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(2000)]
    for text in texts:
        assert normalize_arabic(text) == text.translate(_TABLE), text


def test_normalize_arabic_is_idempotent():
    once = normalize_arabic("وَإِدْلِبُ ـ مَدِينَةٌ ٣")
    assert normalize_arabic(once) == once


@pytest.mark.parametrize(
    "word, stem",
    [
        ("وادلب", "ادلب"),
        ("بحلب", "حلب"),
        ("لحماه", "حماه"),
        ("والرقه", "الرقه"),
        ("بالرقه", "الرقه"),
        ("للرقه", "الرقه"),
        ("ولحلب", "حلب"),
        ("فحمص", "حمص"),
    ],
)
def test_prefix_forms_strip_clitics(word, stem):
    forms = prefix_forms(word)
    assert forms[0] == word
    assert stem in forms


def test_prefix_forms_keep_the_article_and_short_words():
    assert "باب" not in prefix_forms("الباب")
    assert prefix_forms("بر") == ("بر",)
