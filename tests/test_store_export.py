"""`ksmart.present.exporting`: workbooks that are safe to open and that import reads back unchanged."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from devkit import synthetic
from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.ingest.validation import validate_workbook
from ksmart.present import exporting

DAY = date(2017, 9, 30)
DANGEROUS = ["=1+1", "=HYPERLINK(\"http://evil\",\"click\")", "+82-2-123", "-2+3", "@SUM(A1)",
             "\t=cmd", "\r=cmd", "=cmd|' /C calc'!A0"]


def projects_with_notes(notes: list) -> pd.DataFrame:
    frame = synthetic.frames(len(notes), seed=3)["projects"].copy()
    frame["note"] = notes
    return fr.conform("projects", frame)


def sheet_xml(data: bytes, index: int = 1) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(f"xl/worksheets/sheet{index}.xml").decode()


def test_text_that_looks_like_a_formula_is_written_as_quoted_text_never_a_formula():
    frame = projects_with_notes(DANGEROUS)
    data = exporting.xlsx_bytes({"projects": frame}, reference_date=DAY)
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[ref.PROJECTS.ko]
    note_col = ref.PROJECTS.keys.index("note") + 1
    for i, text in enumerate(DANGEROUS):
        cell = ws.cell(row=5 + i, column=note_col)
        assert cell.data_type == "s" and cell.quotePrefix, text
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(ref.PROJECTS.ko).to_python()
    assert [row[note_col - 1] for row in sheet[4:]] == DANGEROUS  # read back as the same text


def test_numbers_stay_numbers_and_dates_stay_dates():
    frame = synthetic.frames(5, seed=4)["projects"].copy()
    frame["value_usd_m"] = [-5.0, 0.0, 1.5, 1234.25, float("nan")]
    frame["win_probability"] = [0.35, 1.0, 0.005, float("nan"), 0.0]
    data = exporting.xlsx_bytes({"projects": frame}, reference_date=DAY)
    ws = openpyxl.load_workbook(io.BytesIO(data))[ref.PROJECTS.ko]
    col = {key: ref.PROJECTS.keys.index(key) + 1 for key in ("value_usd_m", "win_probability", "stage_date")}
    values = [ws.cell(row=5 + i, column=col["value_usd_m"]) for i in range(5)]
    assert [c.value for c in values[:4]] == [-5.0, 0.0, 1.5, 1234.25] and values[4].value is None
    assert all(c.data_type == "n" and not c.quotePrefix for c in values[:4])
    pct = ws.cell(row=5, column=col["win_probability"])
    assert pct.value == 0.35 and "%" in pct.number_format
    day = ws.cell(row=5, column=col["stage_date"])
    assert day.is_date and day.value.date() == frame.loc[0, "stage_date"].date()


def test_characters_xml_cannot_carry_are_removed_without_crashing():
    frame = projects_with_notes(["a\x00b\x01c\x1fd", "줄\n바꿈\t탭 그대로", "\x0b=x"])
    data = exporting.xlsx_bytes({"projects": frame})
    note_col = ref.PROJECTS.keys.index("note")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(ref.PROJECTS.ko).to_python()
    assert [row[note_col] for row in sheet[3:]] == ["abcd", "줄\n바꿈\t탭 그대로", "=x"]
    assert "<f>" not in sheet_xml(data)


def test_layout_korean_headers_frozen_title_and_reference_date_line():
    data = exporting.xlsx_bytes(synthetic.frames(3), reference_date=DAY, version=7)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [s.ko for s in ref.SHEETS.values()]
    for sheet in ref.SHEETS.values():
        ws = book[sheet.ko]
        assert ws.freeze_panes == "A5"
        assert [c.value for c in ws[4]] == [col.header("ko") for col in sheet.columns]
        assert "버전 7" in ws["A1"].value and ws["A2"].value == "기준일: 2017-09-30"
    labels = {c.value for c in book[ref.PROJECTS.ko]["G"][4:]}  # stage column as Korean labels
    assert labels <= {s.ko for s in ref.STAGES}


@pytest.mark.parametrize("illustrative", [True, False])
def test_the_validator_reads_the_export_back_identically_with_its_flag_and_date(illustrative):
    data = synthetic.frames(80, seed=12)
    data["projects"].loc[:4, "note"] = ["=1+1", "+82", "-3", "@x", "=A1*2"]
    data["events"].loc[0, "outcome"] = "=HYPERLINK(\"x\")"
    result = validate_workbook(exporting.xlsx_bytes(data, reference_date=DAY, illustrative=illustrative))
    assert result.ok, [e.to_json("en") for e in result.errors]
    assert result.illustrative is illustrative and result.reference_date == DAY
    for key, frame in data.items():
        assert result.frames[key].equals(frame), key


def test_an_empty_sheet_is_written_with_its_headers_and_reads_back_empty():
    result = validate_workbook(exporting.xlsx_bytes({"projects": synthetic.frames(3)["projects"]}))
    assert result.ok and len(result.frames["projects"]) == 3
    assert all(len(result.frames[k]) == 0 for k in ("countries", "reports", "events") if k in result.frames)


def test_formula_prefixes_are_exactly_the_issue_list():
    assert set(exporting.FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}
    assert re.sub(r"\s", "", exporting.safe_text("a\x02b")) == "ab"
