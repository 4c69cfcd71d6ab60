"""`ksmart.i18n`'s helpers: filling texts, numbers, dates, reference labels (the catalogue
itself is checked by tests/test_catalogue.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ksmart import i18n
from ksmart import reference as ref


def test_t_fills_placeholders_and_fails_on_unknown_keys():
    assert i18n.t("more", "ko", n=3) == "외 3건"
    assert i18n.t("more", "en", n=3) == "3 more"
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "ko")
    with pytest.raises(KeyError):
        i18n.t("more", "ko", m=3)  # a value missing from the call fails too


@pytest.mark.parametrize("word, expected", [("협상", "협상으로"), ("발굴", "발굴로"), ("LH", "LH로"), ("10", "10으로")])
def test_every_text_may_use_particle_specs(word, expected):
    assert i18n.fill("{w}{w:으로/로}", {"w": word}) == expected


@pytest.mark.parametrize("template, value, expected", [
    ("버전 {n}{n:이/가}", 3, "버전 3이"), ("버전 {n}{n:이/가}", 2, "버전 2가"), ("{n:,}행", 12345, "12,345행"),
    ("{n:.1f}", 2.25, "2.2"), ("{n!r}", 5, "5"), ("{n}", True, "True"),
])
def test_numbers_take_particle_specs_and_number_formats(template, value, expected):
    assert i18n.fill(template, {"n": value}) == expected


def test_lenient_fill_renders_missing_values_empty():
    assert i18n.fill("[{a}]{b:이/가}", {}, lenient=True) == "[](이)가"
    assert i18n.pair("more", n=2) == ("외 2건", "2 more")


@pytest.mark.parametrize("value, expected", [
    (date(2017, 9, 30), "2017-09-30"), (pd.Timestamp("2016-06-14"), "2016-06-14"), (pd.NaT, ""), (None, ""),
])
def test_day(value, expected):
    assert i18n.day(value) == expected


def test_reference_labels_come_from_the_reference_tables():
    assert i18n.label(ref.STAGES, "negotiation", "ko") == "협상"
    assert i18n.label(ref.STAGES, "negotiation", "en") == "Negotiation"
    assert i18n.label(ref.STAGES, None, "en") == ""
    assert i18n.country("KWT", "ko") == "쿠웨이트" and i18n.country("KWT", "en") == "Kuwait"
    assert i18n.country(float("nan"), "ko") == ""
    assert i18n.region("middle_east", "en") == "Middle East"
    assert i18n.agency("KEPCO", "ko") == "한국전력공사" and i18n.agency("LG CNS", "en") == "LG CNS"


def test_project_name_prefers_the_english_name_in_english():
    row = {"name": "압둘라 신도시", "name_en": "Abdullah New Town"}
    assert i18n.project_name(row, "en") == "Abdullah New Town"
    assert i18n.project_name(row, "ko") == "압둘라 신도시"
    assert i18n.project_name({"name": "압둘라 신도시", "name_en": float("nan")}, "en") == "압둘라 신도시"


def test_source_caption():
    assert i18n.source_caption(date(2017, 9, 30), 4, False, "ko") == "기준일 2017-09-30 · 버전 4"
    assert i18n.source_caption(date(2017, 9, 30), 4, True, "en") == \
        "As of 2017-09-30 · version 4 · illustrative data"


@pytest.mark.parametrize("field, value, ko, en", [
    ("stages", "negotiation", "협상", "Negotiation"), ("statuses", "on_hold", "보류", "On hold"),
    ("subcommittees", "ict", "ICT솔루션", "ICT solutions"), ("countries", "BOL", "볼리비아", "Bolivia"),
    ("regions", "latin_america", "중남미", "Latin America"), ("lead_agencies", "K-water", "한국수자원공사", "K-water"),
])
def test_filter_values_read_in_either_language(field, value, ko, en):
    assert (i18n.filter_value(field, value, "ko"), i18n.filter_value(field, value, "en")) == (ko, en)
