"""The directives' follow-up on the pages (sample store, AppTest): the Overview's opening
line and bar, the Follow-up page (overdue first, filters, links), the Countries page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ksmart import i18n
from ksmart.analytics import followup
from ksmart.ingest.validation import validate_workbook
from ksmart.present import directives
from tests.test_app_pages import markdown_tables, open_page
from tests.ui_fixtures import ROOT, app

A = date(2017, 9, 30)
NEWEST = ROOT / "data" / "sample" / "pipeline_2017-09-30.xlsx"
HTML_TEXT = re.compile(r">([^<>]+)<")


@pytest.fixture(scope="module")
def sample():
    return validate_workbook(NEWEST).frames


def _blocks(at) -> list[str]:
    return [h.value for h in at.get("html") if 'class="ks-fu"' in h.value]


def _plain(cell: str) -> str:
    return cell.replace("\u2060", "")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_overview_opens_with_the_last_meetings_directives(sample_store, monkeypatch, sample, lang):
    at = app(sample_store, monkeypatch, query={"lang": lang} if lang == "en" else {})
    assert not at.exception
    [block] = _blocks(at)
    figures = followup.summary(sample["actions"], sample["events"], A)
    texts = [t.strip() for t in HTML_TEXT.findall(block.split("</style>")[1]) if t.strip()]
    assert texts[:4] == ["2", "3", "2", followup.status_line(figures, lang)]  # done, in progress, not started
    late = [t for t in texts if t.startswith(i18n.t("followup.overdue_list", lang, names="", more="").strip()[:4])]
    assert late and "다낭 마스터플랜 후속 구축사업 제안" in late[0] and "산타크루즈 EDCF 구축사업 제안서 제출" in late[0]
    assert late[0].index("다낭") < late[0].index("산타크루즈")  # 30 days overdue before 15


def test_the_overview_lists_the_directives_that_became_overdue_or_were_completed(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    moved = next(e for e in at.expander if e.label.startswith("지난 비교 시점 이후 지시사항"))
    lines = [re.sub(r"\\(.)", r"\1", line[2:]) for line in moved.markdown[0].value.split("\n")]
    assert len(lines) == 11 and lines[-1] == "지시사항 신규 7건"  # 6 became overdue, 4 completed, the count
    assert lines[0].startswith("지시사항 기한 경과: ") and lines[6].startswith("지시사항 완료: ")


def test_the_bar_has_a_segment_per_status_in_proportion():
    bar = directives.status_bar({"total": 4, "not_started": 1, "in_progress": 0, "done": 3, "on_hold": 0}, "ko")
    assert re.findall(r"width:([\d.]+)%", bar) == ["75", "25"]
    assert "미착수: 1" in bar and "완료: 3" in bar


def test_the_followup_page_lists_each_meeting_overdue_first(sample_store, monkeypatch, sample):
    at = open_page(sample_store, monkeypatch, "pages/followup.py")
    assert not at.exception, [e.value for e in at.exception]
    tables = markdown_tables(at)
    headers = [i18n.t(f"followup.col.{c}", "ko") for c in directives.COLUMNS]
    meetings = [t for t in tables if t[0] == headers]
    assert len(meetings) == 5  # the 1st to 5th committees, newest first
    fifth = meetings[0]
    statuses = [_plain(r[3]) for r in fifth[1:]]
    assert statuses[:2] == ["미착수 · 기한 경과 30일", "추진중 · 기한 경과 15일"]
    assert all("기한 경과" not in s for s in statuses[2:])
    assert [_plain(r[3]) for r in fifth[1:]][-2:] == ["완료", "완료"]  # done last
    owners = next(t for t in tables if t[0][0] == i18n.t("followup.col.owner", "ko") and len(t[0]) == 4)
    expected = followup.by_owner(followup.action_table(sample["actions"], sample["events"], A))
    assert owners[1:] == [[i18n.agency(o["owner"], "ko"), str(o["total"]), str(o["done"]), str(o["overdue"])]
                          for o in expected]
    assert expected[0]["owner"] == "MOLIT" and sum(o["total"] for o in expected) > len(sample["actions"])


def test_the_owner_filter_keeps_directives_where_the_agency_is_one_of_the_owners(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/followup.py")
    at.multiselect(key="followup_owner").set_value(["LX"]).run()
    assert not at.exception
    shown = [_plain(r[1]) for t in markdown_tables(at) if t[0][0] == i18n.t("followup.col.directive", "ko")
             for r in t[1:]]
    assert shown and all("국토정보공사" in o for o in shown)
    at.multiselect(key="followup_country").set_value(["BOL"]).run()
    rows = [r for t in markdown_tables(at) if t[0][0] == i18n.t("followup.col.directive", "ko") for r in t[1:]]
    assert [_plain(r[0]) for r in rows] == ["산타크루즈 EDCF 구축사업 제안서 제출"]


def test_a_directive_opens_its_project_and_its_country(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/followup.py")
    at.selectbox(key="followup_pick").set_value("AC-2017-06-01").run()
    at.button(key="followup_open_project").click().run()
    assert at.title[0].value == i18n.t("page.pipeline", "ko")
    assert at.selectbox(key="pipeline_pick").value == "KWT-001"
    at = open_page(sample_store, monkeypatch, "pages/followup.py")
    at.selectbox(key="followup_pick").set_value("AC-2017-06-02").run()
    at.button(key="followup_open_country").click().run()
    assert at.title[0].value == i18n.t("page.countries", "ko")
    assert at.selectbox(key="country_select").value == "BOL"


def test_the_countries_page_shows_the_countrys_directives(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/countries.py")
    at.selectbox(key="country_select").set_value("KWT").run()
    assert any(s.value == i18n.t("followup.country_title", "ko") for s in at.subheader)
    table = next(t for t in markdown_tables(at) if t[0][0] == i18n.t("followup.col.meeting", "ko"))
    assert sorted(_plain(r[1]) for r in table[1:]) == sorted([
        "쿠웨이트 압둘라 신도시 사업에 국내 스마트시티 요소기술 최대한 포함", "쿠웨이트 협상 지원반 구성·운영",
        "압둘라 신도시 기본협약 체결 지원"])
    assert _plain(table[1][0]).startswith("제")  # the meeting by its name


def test_directive_text_in_the_overview_block_is_never_markup():
    import pandas as pd

    evil = '<img src=x onerror=alert(1)>"\'&'
    figures = {"meeting": "EV-1", "meeting_date": "2017-06-22", "total": 1, "done": 0, "in_progress": 1,
               "not_started": 0, "on_hold": 0, "overdue": 1, "earlier_open": 0, "earlier_overdue": 0}
    block = directives.overview_block(figures, pd.DataFrame([{"directive": evil, "days_overdue": 3}]), "ko")
    body = block.split("</style>")[1]
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;&quot;&#x27;&amp;" in body
