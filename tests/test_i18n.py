"""The translation table: complete, one language per side, used, and its helpers."""

from __future__ import annotations

import re
import string
from datetime import date

import pandas as pd
import pytest

from ksmart import auth, i18n
from ksmart import reference as ref
from ksmart.analytics import changes
from ksmart.analytics.metrics import Filters
from ksmart.present import deck
from ksmart.store import importing
from ksmart.ui import upload
from ksmart.ui.pages import PAGES
from tests.ui_fixtures import HANGUL, ROOT

# Korean texts that legitimately have no Hangul (a format with only placeholders).
NO_HANGUL_KO = {"activities.followed", "deck.change.count"}  # pure placeholders
SOURCES = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *(ROOT / "ksmart").rglob("*.py")]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(i18n.TEXT))
def test_every_key_has_both_languages(key):
    ko, en = i18n.TEXT[key]
    assert ko.strip() and en.strip()
    assert not HANGUL.search(en), f"{key}: Hangul in the English text {en!r}"
    assert key in NO_HANGUL_KO or HANGUL.search(ko), f"{key}: no Hangul in the Korean text {ko!r}"
    assert placeholders(ko) == placeholders(en), key


def _code(path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\ndef t(", 1)[1] if path.name == "i18n.py" else text  # not the table itself


def test_every_key_is_used_and_every_used_key_exists():
    literals = set()
    for path in SOURCES:
        literals |= set(re.findall(r"""["']([a-z_.]+)["']""", _code(path)))
    dynamic = {f"page.{p.key}" for p in PAGES} | {"page.data", "page.slides"} \
        | {f"filter.{f}" for f in Filters.__dataclass_fields__} \
        | {f"kind.{k}" for k in ("import", "seed", "rollback")} | {f"mode.{m}" for m in importing.MODES} \
        | {f"role.{r}" for r in auth.ROLES} | {f"report.{c}" for c in upload.REPORT_COLUMNS} \
        | {f"change_list.{k}" for k in changes.CHANGE_KEYS} | {s.title_key for s in deck.SECTIONS}
    assert sorted(set(i18n.TEXT) - literals - dynamic) == [], "keys no code uses"
    called = set()
    for path in SOURCES:
        called |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", _code(path)))
    assert sorted(called - set(i18n.TEXT)) == [], "keys used but not in the table"


def test_t_fills_placeholders_and_fails_on_unknown_keys():
    assert i18n.t("more", "ko", n=3) == "외 3건"
    assert i18n.t("more", "en", n=3) == "3 more"
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "ko")


@pytest.mark.parametrize("value, digits, expected", [
    (4400, 0, "4,400"), (11923.92, 0, "11,924"), (44.5, 1, "44.5"), (40.0, 1, "40"), (0, 0, "0"),
    (float("nan"), 0, "-"), (None, 0, "-"),
])
def test_usd(value, digits, expected):
    assert i18n.usd(value, digits) == expected


@pytest.mark.parametrize("value, expected", [(400.0, "+400"), (-2, "-2"), (0, "0"), (1234.4, "+1,234")])
def test_signed(value, expected):
    assert i18n.signed(value) == expected


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
