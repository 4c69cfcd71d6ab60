"""The Slides page in AppTest: choices, preview, and the deck's download button.

AppTest runs no JavaScript, so the download itself is not clicked: the
button is checked to carry deferred data (the deck is built on click), and
the deck those choices make is built directly with the same arguments.
"""

from __future__ import annotations

import pytest

from ksmart import i18n
from ksmart.present import deck
from tests.ui_fixtures import app

PAGE = "pages/slides.py"


def open_slides(url, monkeypatch, **kwargs):
    at = app(url, monkeypatch, **kwargs)
    return at.switch_page(PAGE).run()


def preview(at) -> list[str]:
    """The numbered slide titles under the choices."""
    listing = next(m.value for m in at.markdown if m.value.startswith("1. "))
    return [line.split(". ", 1)[1].replace("\\", "") for line in listing.splitlines()]


def test_page_offers_sections_countries_date_and_the_download(sample_store, monkeypatch):
    at = open_slides(sample_store, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert [c.label for c in at.checkbox] == [s.label("ko") for s in deck.SECTIONS]
    countries = at.multiselect(key="deck_countries").value
    assert countries == ["KWT", "PHL", "UZB", "VNM", "BOL", "MMR"]
    assert str(at.date_input(key="deck_since").value) == "2017-06-22"  # the last steering committee
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["deck_download"].proto.deferred_file_id  # built when clicked
    assert buttons["deck_map"].proto.deferred_file_id
    assert preview(at) == [t for _, t in deck.outline(deck.ALL_SECTIONS, countries)]


def test_choices_change_the_preview(sample_store, monkeypatch):
    at = open_slides(sample_store, monkeypatch)
    at.checkbox(key="deck_section_map").uncheck()
    at.multiselect(key="deck_countries").set_value(["BOL"])
    at.text_input(key="deck_title").input("제6차 운영위원회")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    titles = preview(at)
    assert titles[0] == "제6차 운영위원회" and "해외사업 지도" not in titles and "볼리비아" in titles
    assert len(titles) == len(deck.ALL_SECTIONS) - 2 + 1  # no map; one country


def test_page_in_english(sample_store, monkeypatch):
    at = open_slides(sample_store, monkeypatch, query={"lang": "en"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("download_button")[0].label == deck.text.tr("deck.page.download", "en")
    assert preview(at)[1] == "Key figures"


def test_empty_selection_still_offers_a_deck(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    at.multiselect(key="filter_countries").set_value(["KWT"])
    at.multiselect(key="filter_stages").set_value(["implementation"])
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(i18n.t("notice.no_match", "ko") in i.value for i in at.info)
    assert at.multiselect(key="deck_countries").value == []
    assert at.get("download_button")[0].proto.deferred_file_id


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_map_picture_is_slide_sized(lang):
    from io import BytesIO

    from PIL import Image

    png = deck.map_png([{"country": "KWT", "open_value_usd_m": 100.0}], lang)
    assert Image.open(BytesIO(png)).size == (1600, 900)


def test_another_comparison_date_changes_the_comparison(sample_store, monkeypatch):
    from datetime import date

    at = open_slides(sample_store, monkeypatch)
    assert any("지난 운영위원회(2017-06-22) 시점 · 버전 3" in c.value for c in at.main.caption)
    at.date_input(key="deck_since").set_value(date(2016, 10, 1)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2016-10-01 시점 · 버전 2 (2016-09-30)" in c.value for c in at.main.caption)
