"""Golden workbooks: messy-but-valid files accepted with the expected frames,
each cell-level rejection with its code, row and column."""

import datetime as dt
import io

import pandas as pd
import pytest

from ksmart import frames
from ksmart.ingest.validation import validate_workbook
from tests import workbooks as wb

D = dt.date


@pytest.fixture(scope="module")
def messy():
    return validate_workbook(wb.messy_valid(), today=D(2026, 11, 25))


def test_messy_workbook_is_accepted(messy):
    assert messy.ok, messy.to_json()["errors"]
    assert messy.sheets_present == ["projects", "countries", "events"]
    assert messy.reference_date == D(2016, 9, 30)
    assert messy.counts == {"projects": 3, "countries": 2, "events": 2}


def test_messy_projects_frame(messy):
    expected = frames.conform("projects", pd.DataFrame({
        "project_id": ["KWT-001", "BOL-001", "mng-001"],
        "name": ["압둘라 신도시 스마트시티", "산타크루즈 전자정부", "울란바토르 스마트시티 MOU"],
        "country": ["KWT", "BOL", "MNG"],
        "subcommittee": ["urban_infra", "ict", "ict"],
        "stage": ["negotiation", "proposal", "engagement"],
        "status": ["active", "active", "active"],
        "lead_agency": ["LH", "KOTRA", "MOLIT"],
        "value_usd_m": [1200.0, 80.0, None],
        "win_probability": [0.8, 0.4, None],
        "technologies": [("transport", "energy"), ("governance",), ()],
        "stage_date": [pd.Timestamp("2016-09-01"), pd.Timestamp("2016-08-01"), pd.Timestamp("2016-07-05")],
        "note": ["LH 주관", None, None],
    }))
    pd.testing.assert_frame_equal(messy.frames["projects"], expected)
    assert messy.excel_rows["projects"].tolist() == [5, 7, 8]


def test_messy_warnings_and_info_are_located(messy):
    warnings = {(i.code, i.row, i.column, i.value) for i in messy.warnings}
    assert warnings == {
        ("approximate", 7, "사업규모（백만불）", "약 80"),
        ("approximate", 7, "단계진입일", "2016년 8월"),
        ("placeholder", 8, "진행상태", "-"),
        ("placeholder", 8, "비고", "미정"),
    }
    info = {(i.code, i.sheet, i.column) for i in messy.info}
    assert ("unknown_sheet", "메모", None) in info
    assert ("unknown_column", "사업현황", "담당 부서") in info


def test_messy_countries_and_events(messy):
    countries = messy.frames["countries"]
    assert countries["country"].tolist() == ["KWT", "BOL"]
    assert countries["priority"].tolist() == [True, False]
    assert countries["region"].tolist()[0] == "중동" and pd.isna(countries["region"].tolist()[1])
    events = messy.frames["events"]
    assert events["type"].tolist() == ["steering_committee", "business_meeting"]
    assert events["event_id"].notna().all() and events["event_id"].is_unique
    assert messy.excel_rows["events"].tolist() == [3, 4]


def test_derived_ids_are_stable():
    first = validate_workbook(wb.messy_valid()).frames["events"]["event_id"].tolist()
    again = validate_workbook(wb.messy_valid()).frames["events"]["event_id"].tolist()
    assert first == again


@pytest.mark.parametrize(
    "column, value, code",
    [
        ("사업비(백만달러)", "1,5", "bad_number"),
        ("사업비(백만달러)", -3, "bad_number"),
        ("단계", "착공", "unknown_value"),
        ("분과", "교통", "unknown_value"),
        ("상태", "완료", "unknown_value"),
        ("국가", "쿠웨잇", "unknown_country"),
        ("사업명", None, "required"),
        ("사업명", "미정", "required"),
        ("주관기관", "", "required"),
        ("단계변경일", "10월 중", "bad_date"),
        ("향후일정", "1985.1.1", "bad_date"),
        ("수주확률", "150%", "bad_percent"),
        ("사업명", "가" * 301, "too_long"),
    ],
)
def test_cell_rejections_are_located(column, value, code):
    result = validate_workbook(wb.with_cell(value, column, sheet_title_rows=2))
    assert not result.ok
    [error] = result.errors
    assert (error.code, error.sheet, error.row, error.column) == (code, "사업", 4, column)
    assert error.message("ko") and error.message("en") and error.message("ko") != error.message("en")


def test_unknown_value_lists_the_allowed_ones():
    [error] = validate_workbook(wb.with_cell("착공", "단계")).errors
    assert "협상" in error.message("ko") and "Negotiation" in error.message("en")


def test_unknown_country_suggests_close_names():
    [error] = validate_workbook(wb.with_cell("쿠웨잇", "국가")).errors
    assert "쿠웨이트" in error.message("ko")


def test_duplicate_id_names_the_earlier_row():
    data = wb.build({"사업": [wb.PROJECT_HEADER, wb.project_row("KWT-001"), wb.project_row(" kwt-001 ")]})
    [error] = validate_workbook(data).errors
    assert (error.code, error.row, error.details["first_row"]) == ("duplicate_id", 3, 2)


def test_missing_required_column_is_reported_at_the_header():
    header = [h for h in wb.PROJECT_HEADER if h != "단계"]
    row = wb.project_row()
    del row[wb.PROJECT_HEADER.index("단계")]
    result = validate_workbook(wb.build({"사업": [["제목"], header, row]}))
    [error] = result.errors
    assert (error.code, error.row, error.column) == ("missing_column", 2, "단계")


def test_duplicate_header_keeps_the_first_and_warns():
    header = wb.PROJECT_HEADER + ["사업코드"]
    result = validate_workbook(wb.build({"사업": [header, wb.project_row() + ["OTHER"]]}))
    assert result.ok
    assert result.frames["projects"]["project_id"].tolist() == ["KWT-001"]
    assert [(w.code, w.column) for w in result.warnings] == [("as_of_today", None), ("duplicate_column", "사업코드")]


def test_formula_with_cached_value_is_used_and_without_is_an_error():
    data = wb.build({"사업": [wb.PROJECT_HEADER, wb.project_row()]}, formulas={("사업", "H2"): "=600*2"})
    [error] = validate_workbook(data).errors
    assert (error.code, error.row, error.column) == ("formula_no_value", 2, "사업비(백만달러)")
    cached = _with_cached_formula(data)
    result = validate_workbook(cached)
    assert result.ok and result.frames["projects"]["value_usd_m"].tolist() == [1200.0]


def _with_cached_formula(data: bytes) -> bytes:
    """Put a cached value next to the formula, as Excel does when it saves."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = content.replace(b"<f>600*2</f><v></v>", b"<f>600*2</f><v>1200</v>")
            target.writestr(item, content)
    return out.getvalue()


def test_unknown_project_reference():
    events = [["일자", "행사명", "유형", "관련사업"], [D(2016, 9, 8), "면담", "고위급면담", "XXX-999"],
              [D(2016, 9, 9), "면담 2", "고위급면담", "kwt-001"]]
    result = validate_workbook(wb.build({"사업": [wb.PROJECT_HEADER, wb.project_row()], "행사": events}))
    [error] = result.errors
    assert (error.code, error.sheet, error.row, error.column, error.value) == ("unknown_project", "행사", 2, "관련사업", "XXX-999")


def test_references_checked_against_known_projects_when_no_projects_sheet():
    events = [["일자", "행사명", "유형", "관련사업"], [D(2016, 9, 8), "면담", "고위급면담", "KWT-001"]]
    data = wb.build({"행사": events})
    assert validate_workbook(data).ok
    assert validate_workbook(data, known_project_ids=["kwt-001"]).ok
    assert [e.code for e in validate_workbook(data, known_project_ids=["BOL-001"]).errors] == ["unknown_project"]


def test_reference_date_given_differs_from_the_file():
    result = validate_workbook(wb.messy_valid(), reference_date=D(2016, 10, 1))
    assert result.reference_date == D(2016, 10, 1)
    assert "reference_date_mismatch" in [w.code for w in result.warnings]


def test_dates_in_a_1904_workbook():
    data = wb.build({"사업": [wb.PROJECT_HEADER, wb.project_row()]}, epoch_1904=True)
    result = validate_workbook(data)
    assert result.frames["projects"]["stage_date"].tolist() == [pd.Timestamp("2016-09-01")]


def test_english_headers_any_case():
    header = ["project id", "PROJECT NAME", "Country", "subcommittee", "Stage", "Lead Agency", "Value (USD m)"]
    row = ["X-1", "Smart grid", "VN", "Energy and Environment", "Feasibility", "KEPCO", "$1,234"]
    result = validate_workbook(wb.build({"Projects": [header, row]}))
    assert result.ok
    project = result.frames["projects"].iloc[0]
    assert (project["country"], project["subcommittee"], project["value_usd_m"]) == ("VNM", "energy_env", 1234.0)


def test_report_json_shape(messy):
    payload = messy.to_json("ko")
    assert set(payload) == {"ok", "errors", "warnings", "info", "counts", "omitted"}
    assert set(payload["warnings"][0]) == {"sheet", "row", "column", "cell", "value", "code", "message"}
    assert payload["omitted"] == []


def test_without_a_reference_date_anywhere_today_is_used_and_said():
    data = wb.build({"사업": [wb.PROJECT_HEADER, wb.project_row()]})
    [warning] = validate_workbook(data, today=dt.date(2017, 10, 2)).warnings
    assert (warning.code, warning.details["today"]) == ("as_of_today", "2017-10-02")
    assert "2017-10-02" in warning.message("ko") and "--as-of" in warning.message("en")
    assert validate_workbook(data, reference_date=dt.date(2017, 9, 30)).warnings == []
    dated = wb.build({"사업": [["기준일: 2017.09.30"], [], wb.PROJECT_HEADER, wb.project_row()]})
    assert "as_of_today" not in [w.code for w in validate_workbook(dated).warnings]


# --- text limits (workbook.md "text"): what an export could not write back, control characters -------


def _with_note(text: str) -> bytes:
    """A one-project workbook whose note is `text`, written into the sheet's XML itself: openpyxl
    cuts text at a cell's limit and refuses control characters, a crafted file does neither."""
    import zipfile

    data = wb.build({"사업": [wb.PROJECT_HEADER + ["비고"], wb.project_row() + ["NOTE_PLACEHOLDER"]]})
    encoded = "".join(f"_x{ord(c):04X}_" if ord(c) < 0x20 and c not in "\t\n\r" else c for c in text)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.endswith(".xml"):
                body = body.replace(b"NOTE_PLACEHOLDER", encoded.encode("utf-8"))
            dst.writestr(item, body)
    return out.getvalue()


def test_text_longer_than_an_excel_cell_is_too_long_not_cut_on_export():
    from ksmart.ingest.validation import EXCEL_CELL_CHARACTERS

    note = "가" * 100_000  # issue 17: stored, then cut to a cell's limit on export
    [error] = validate_workbook(_with_note(note), reference_date=dt.date(2017, 9, 30)).errors
    assert (error.code, error.row, error.details["length"], error.details["limit"]) == (
        "too_long", 2, 100_000, EXCEL_CELL_CHARACTERS)
    assert validate_workbook(_with_note(note[:EXCEL_CELL_CHARACTERS]), reference_date=dt.date(2017, 9, 30)).ok


@pytest.mark.parametrize("text, character", [("\x1b[2J화면 지우기", "U+001B"), ("제목\x1b]0;hacked\x07", "U+001B"),
                                             ("널\x01문자", "U+0001"), ("C1\x9b제어", "U+009B")])
def test_control_characters_in_text_are_errors(text, character):
    [error] = validate_workbook(_with_note(text), reference_date=dt.date(2017, 9, 30)).errors
    assert (error.code, error.row, error.details["character"]) == ("control_character", 2, character)
    assert not any(c in error.value for c in "\x1b\x01\x07\x9b")
    assert character in error.message("ko") and character in error.message("en")


def test_tabs_and_line_breaks_in_text_are_fine():
    assert validate_workbook(_with_note("첫 줄\n둘째 줄\r\n\t들여쓰기"), reference_date=dt.date(2017, 9, 30)).ok
