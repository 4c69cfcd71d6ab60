"""The Activities page's counterparts met (발주처) in AppTest, in Korean and English, and the
links of its table: they open the country profile and the project detail."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from ksmart import i18n
from tests.test_app_pages import markdown_tables
from tests.ui_fixtures import app

HEADERS = ["counterparts.agency", "col.country", "counterparts.meetings", "counterparts.last_met", "counterparts.projects"]
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def counterparts_table(at, lang: str) -> tuple[list[list[str]], str]:
    """(rows as text, links written as their text), the table's markdown) of the counterparts table."""
    header = [i18n.t(k, lang) for k in HEADERS]
    for element in at.markdown:
        if element.value.startswith("| " + " | ".join(header) + " |"):
            (table,) = markdown_tables(type("Page", (), {"markdown": [element]}))
            rows = [[LINK.sub(r"\1", cell).replace("\u2060", "") for cell in row] for row in table[1:]]
            return rows, element.value
    raise AssertionError(f"no counterparts table with the header {header}")


def activities(url, monkeypatch, **query):
    at = app(url, monkeypatch, query=query)
    return at.switch_page("pages/activities.py").run()


def test_the_activities_page_lists_the_counterparts_met_in_korean(sample_store, monkeypatch):
    at = activities(sample_store, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert i18n.t("counterparts.title", "ko") in [s.value for s in at.subheader]
    rows, markdown = counterparts_table(at, "ko")
    by_name = {(r[0], r[1]): r for r in rows}
    # the newest meeting first: the Eastern Economic Forum in Vladivostok (2017-09-07)
    assert rows[0] == ["연해주 정부", "러시아", "1", i18n.day(date(2017, 9, 7)), "RUS-001 블라디보스토크 스마트시티 협력"]
    days = [r[3] for r in rows]
    assert days == sorted(days, reverse=True)
    # the GICC 1:1 business meetings (2016-09-08), each with its country and project
    for agency, country, project in [("쿠웨이트 주택청(PAHW)", "쿠웨이트", "KWT-001"),
                                     ("볼리비아 전자정부청(AGETIC)", "볼리비아", "BOL-002"),
                                     ("몽골 건설도시개발부", "몽골", "MNG-001"),
                                     ("우즈베키스탄 국가지리정보위원회", "우즈베키스탄", "UZB-001"),
                                     ("케냐 전력공사(KPLC)", "케냐", "KEN-002"),
                                     ("사우디 해수담수화청(SWCC)", "사우디아라비아", "SAU-002")]:
        assert by_name[(agency, country)][4].startswith(project), (agency, by_name[(agency, country)])
    pahw = by_name[("쿠웨이트 주택청(PAHW)", "쿠웨이트")]
    assert pahw[2:4] == ["2", i18n.day(date(2016, 9, 8))]  # the high-level meeting of June and the GICC
    assert by_name[("몽골 건설도시개발부", "몽골")][2:4] == ["2", i18n.day(date(2016, 11, 17))]  # and the MOU
    assert not any(r[0] in ("LH", "국토부", "한전", "KOTRA") for r in rows)  # the Korean side is not a counterpart
    # links: the country to its profile, the project id to its detail; the names stay literal text
    assert "](countries?country=KWT)" in markdown and "](pipeline?project=KWT-001)" in markdown
    assert markdown.split("\n")[1] == "|---|---|---:|---|---|"  # meetings right-aligned


def test_the_counterparts_in_english_link_in_english(sample_store, monkeypatch):
    at = activities(sample_store, monkeypatch, lang="en")
    assert not at.exception
    rows, markdown = counterparts_table(at, "en")
    row = next(r for r in rows if r[0] == "쿠웨이트 주택청(PAHW)")  # an agency's name is kept as written
    assert row[1] == "Kuwait" and row[4] == "KWT-001 Abdullah New Town smart city"
    assert "](countries?country=KWT&lang=en)" in markdown
    assert not re.search("[\uac00-\ud7a3]", " ".join(i18n.t(k, "en") for k in HEADERS))


def test_in_meeting_mode_the_links_stay_in_meeting_mode(sample_store, monkeypatch):
    at = activities(sample_store, monkeypatch, mode="meeting")
    _, markdown = counterparts_table(at, "ko")
    assert "](pipeline?project=KWT-001&mode=meeting)" in markdown


@pytest.mark.parametrize("filters, agencies", [
    ({"filter_countries": ["KWT"]}, {"쿠웨이트 주택청(PAHW)", "쿠웨이트 주택부 장관"}),
    # the Mongolian MOU and the GICC meeting concern MNG-001 (engagement at version 4)
    ({"filter_countries": ["MNG"], "filter_stages": ["engagement"]}, {"몽골 건설도시개발부"}),
])
def test_the_counterparts_follow_the_shared_filters(sample_store, monkeypatch, filters, agencies):
    at = app(sample_store, monkeypatch)
    for key, value in filters.items():
        at.multiselect(key=key).set_value(value)
    at.switch_page("pages/activities.py").run()
    rows, _ = counterparts_table(at, "ko")
    assert {r[0] for r in rows} == agencies


def test_no_counterpart_left_by_the_filters_is_a_note(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    at.multiselect(key="filter_countries").set_value(["PER"])  # Peru: projects, no meeting
    at.switch_page("pages/activities.py").run()
    assert not at.exception
    assert i18n.t("counterparts.none", "ko") in [c.value for c in at.caption]


def test_a_country_link_opens_its_profile(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch, query={"country": "bol"})
    at.switch_page("pages/countries.py").run()
    assert at.selectbox(key="country_select").value == "BOL"


def test_a_project_link_opens_its_detail(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch, query={"project": "mng-001"})
    at.switch_page("pages/pipeline.py").run()
    assert not at.exception
    assert at.selectbox(key="pipeline_pick").value == "MNG-001"


def test_a_link_cell_keeps_its_text_literal_and_its_target_quoted():
    """A project id is user text: in a link it can neither close the link nor add one."""
    def script():
        import pandas as pd

        from ksmart import ui
        from ksmart.ui import pages

        evil = "KWT-1) [x](http://evil.example"
        ui.text_table(pd.DataFrame({"사업": [(ui.Link(evil, pages.link("pipeline", project=evil)), " **굵게**")]}))

    at = AppTest.from_function(script).run()
    assert not at.exception
    (markdown,) = at.markdown
    cell = markdown.value.split("\n")[2]
    assert cell.startswith("| [KWT\\-\u20601\\) \\[x\\]\\(http\\:")  # the text escaped, hyphen joined
    assert "](pipeline?project=KWT-1%29+%5Bx%5D%28http%3A%2F%2Fevil.example) \\*\\*굵게\\*\\* |" in cell
    assert cell.count("](") == 1  # one link, the one made here
