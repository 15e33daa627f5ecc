"""pipelines/fulltext.py: index forms, stems, and the query syntax (pure: no database)."""

from __future__ import annotations

import pytest

from newsarchive.pipelines.fulltext import (
    All, Any, QueryError, Term, fold, match_expression, parse, search_forms, stems, terms,
)


def no_lookup(stems_wanted):
    return []


@pytest.mark.parametrize("variant, plain", [
    ("إدلب", "ادلب"), ("أريحا", "اريحا"), ("آمنة", "امنه"), ("حماة", "حماه"),
    ("مَدِينَة", "مدينه"), ("مـــدينة", "مدينه"),
])
def test_fold_arabic_variants(variant, plain):
    assert fold(variant) == plain


def test_fold_leaves_latin_case_and_empty():
    assert fold('Idlib AND "Aleppo"') == 'Idlib AND "Aleppo"'
    assert fold(None) == ""


def test_terms_as_fts5_unicode61_makes_them():
    assert terms(fold("Al-Bab's Café, 2024: إِدْلِب")) == ["al", "bab", "s", "cafe", "2024", "ادلب"]


@pytest.mark.parametrize("a, b", [
    ("strike", "strikes"), ("displacement", "displaced"), ("shelling", "shelled"),
    ("نازحين", "النازحين"), ("حلب", "بحلب"), ("ادلب", "وادلب"), ("مدينه", "المدينه"),
    ("نازحين", "للنازحين"), ("حلب", "لحلب"),
])
def test_inflected_forms_share_a_stem(a, b):
    assert set(stems(a)) & set(stems(b)), (a, stems(a), b, stems(b))


def test_stems_keep_words_that_only_look_prefixed():
    # a word whose first letter is a clitic letter keeps its own stem among its forms
    assert "بيت" in stems("بيت")
    assert stems("ولد") == ("ولد",)  # three letters: no clitic taken off
    assert stems("2024") == ("2024",) and stems("of") == ("of",)


def test_search_forms_file_every_term_under_its_stems():
    title, text, terms_ = search_forms("Strikes on إِدْلِب", "The strike hit بحلب.")
    assert title == "Strikes on ادلب" and text == "The strike hit بحلب."
    pairs = set(terms_)
    assert ("strike", "strikes") in pairs and ("strike", "strike") in pairs
    assert ("حلب", "بحلب") in pairs and ("ادلب", "ادلب") in pairs


@pytest.mark.parametrize("query, tree", [
    ("Idlib", Term(("idlib",), source="Idlib")),
    ("Idlib Aleppo", All((Term(("idlib",), source="Idlib"), Term(("aleppo",), source="Aleppo")))),
    ("Idlib AND Aleppo", All((Term(("idlib",), source="Idlib"), Term(("aleppo",), source="Aleppo")))),
    ("Idlib OR Aleppo", Any((Term(("idlib",), source="Idlib"), Term(("aleppo",), source="Aleppo")))),
    ("Idlib -Aleppo", All((Term(("idlib",), source="Idlib"),), (Term(("aleppo",), source="Aleppo"),))),
    ("Idlib NOT Aleppo", All((Term(("idlib",), source="Idlib"),), (Term(("aleppo",), source="Aleppo"),))),
    ('"air strikes"', Term(("air", "strikes"), exact=True, source='"air strikes"')),
    ("displac*", Term(("displac",), prefix=True, source="displac")),
    ("al-Bab", Term(("al", "bab"), exact=True, source="al-Bab")),
])
def test_parse(query, tree):
    assert parse(query) == tree


def test_expression_shapes():
    def lookup(wanted):
        return [("strike", "strikes"), ("strike", "striking"), ("حلب", "بحلب")]

    assert match_expression("strike", lookup) == '("strike" OR "strikes" OR "striking")'
    assert match_expression('"air strikes"', lookup) == '"air strikes"'  # not stemmed
    assert match_expression("displac*", lookup) == '"displac"*'
    assert match_expression("idlib -aleppo", no_lookup) == '("idlib" NOT ("aleppo"))'
    assert match_expression("(idlib OR hama) -aleppo", no_lookup) == \
        '(("idlib" OR "hama") NOT ("aleppo"))'
    assert match_expression("حلب OR idlib", lookup) == '(("بحلب" OR "حلب") OR "idlib")'
    # FTS5's own syntax in a word is read as punctuation, never passed through
    assert match_expression("NEAR(a b) col:x a^b", no_lookup) == \
        '("near" AND ("a" AND "b") AND "col x" AND "a b")'
    assert match_expression("or and not", no_lookup) == '("or" AND "and" AND "not")'


@pytest.mark.parametrize("query, message", [
    ('"air strike', "a quote is not closed"),
    ("Idlib OR", "OR needs a word on each side"),
    ("OR Idlib", "OR needs a word on each side"),
    ("Idlib AND", "AND needs a word on each side"),
    ("Idlib NOT", "NOT needs a word after it"),
    ("-Aleppo", "-Aleppo only leaves words out"),
    ("NOT Aleppo", "only leaves words out"),
    ("(Idlib OR Hama", "a parenthesis is not closed"),
    ("Idlib)", "a ) has no ( before it"),
    ('""', "empty quotes"),
    ("*", "* goes at the end"),
    ("", "nothing to search for"),
    ("!!! ...", "nothing to search for"),
])
def test_unreadable_queries_say_why(query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("*", r"\*")):
        match_expression(query, no_lookup)
