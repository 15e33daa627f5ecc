"""pipelines/filters.py: names in any spelling the data knows; unknown ones and bad dates
refused with the closest names or the accepted formats."""

from __future__ import annotations

import pytest

from newsarchive.pipelines import filters
from newsarchive.pipelines.filters import FilterError


@pytest.mark.parametrize("typed, canonical", [
    ("Idlib", "Idlib"), ("Idleb", "Idlib"), ("idleb", "Idlib"), ("إدلب", "Idlib"),
    ("ادلب", "Idlib"), ("Edlib", "Idlib"), ("Idlib Governorate", "Idlib Governorate"),
    ("Idleb province", "Idlib Governorate"), ("محافظة إدلب", "Idlib Governorate"),
    ("Halab", "Aleppo"), ("حلب", "Aleppo"), ("Al Bab", "al-Bab"), ("el-Bab", "al-Bab"),
])
def test_places_in_any_gazetteer_spelling(typed, canonical):
    assert filters.places().resolve(typed) == [canonical]


@pytest.mark.parametrize("names, typed, canonical", [
    (filters.actors, "HTS", "Hayat Tahrir al-Sham"),
    (filters.actors, "hayat tahrir al-sham", "Hayat Tahrir al-Sham"),
    (filters.actors, "هيئة تحرير الشام", "Hayat Tahrir al-Sham"),
    (filters.events, "Displacement", "displacement"),
    (filters.events, "airstrike", "air/drone strike"),
    (filters.events, "نزوح", "displacement"),
])
def test_actors_and_event_types_by_name_alias_or_arabic(names, typed, canonical):
    assert canonical in names().resolve(typed)


@pytest.mark.parametrize("names, typed, closest", [
    (filters.places, "Idlbi", "Idlib"),
    (filters.actors, "Hayat Tahrir al-Shem", "Hayat Tahrir al-Sham"),
    (filters.events, "displacment", "displacement"),
])
def test_unknown_names_list_the_closest(names, typed, closest):
    with pytest.raises(FilterError, match=f"unknown .*'{typed}'; closest known: .*{closest}"):
        names().resolve(typed)


def test_sources_from_the_archive():
    known = filters.sources(["levant-wire", "sada-alshamal"])
    assert known.resolve("Levant-Wire") == ["levant-wire"]
    with pytest.raises(FilterError, match="unknown source 'levant'; closest known: levant-wire"):
        known.resolve("levant")
    with pytest.raises(FilterError, match="known sources include: levant-wire, sada-alshamal"):
        known.resolve("zzz")


def test_names_from_the_archive_are_known_too():
    assert filters.places().with_names(["Old Name"]).resolve("old name") == ["Old Name"]
    with pytest.raises(FilterError):
        filters.places().resolve("Old Name")  # the cached gazetteer is left as it was


@pytest.mark.parametrize("typed, start, end", [
    ("2024-03-05", "2024-03-05", "2024-03-05"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2023", "2023-01-01", "2023-12-31"),
    ("2024-03-05T14:00:00Z", "2024-03-05T14:00:00+00:00", "2024-03-05T14:00:00+00:00"),
])
def test_dates(typed, start, end):
    assert filters.parse_date(typed) == start
    assert filters.parse_date(typed, end=True) == end


@pytest.mark.parametrize("typed, why", [
    ("2024-13-45", "is not a real date"), ("2024-02-30", "is not a real date"),
    ("yesterday", "is not a date;"), ("01/02/2024", "ambiguous"), ("20240305", "is not a date"),
    ("", "is not a date"),
])
def test_bad_dates_list_the_accepted_formats(typed, why):
    with pytest.raises(FilterError) as error:
        filters.parse_date(typed)
    assert why in str(error.value) and filters.DATE_FORMATS in str(error.value)


def test_date_range():
    assert filters.date_range("2024-01", "2024-01") == ("2024-01-01", "2024-01-31")
    assert filters.date_range(None, "") == (None, None)
    with pytest.raises(FilterError, match="is after"):
        filters.date_range("2024-05-01", "2024-04")
