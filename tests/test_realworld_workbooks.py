"""Workbooks as other writers write them (issue 18, points 3, 4 and 7): right dates, no false refusal.

Built by `tests/corpus_realworld.py`: Excel 2013's `extLst`, both date systems in
every dated sheet; workbook parts where OPC's relationships put them, backslashes,
strict OOXML; repetitive text at over 100×; `<dimension>` claims over a few cells,
in a sheet that is read and in one that is ignored; members that climb out.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from ksmart.errors import FileRejected
from ksmart.ingest.validation import validate_workbook
from ksmart.ingest.xlsx_safety import check_xlsx
from tests import corpus_realworld as rw

SERIAL = 43_000
DAY_1900 = dt.date(1899, 12, 30) + dt.timedelta(days=SERIAL)  # 2017-09-22
DAY_1904 = dt.date(1904, 1, 1) + dt.timedelta(days=SERIAL)  # 1,462 days later
DATE_COLUMN = {"projects": "stage_date", "reports": "date", "events": "date"}


@pytest.mark.parametrize("styled", [True, False], ids=["date-formatted cells", "plain serial numbers"])
@pytest.mark.parametrize("date1904, day", [(False, DAY_1900), (True, DAY_1904)], ids=["1900 system", "1904 system"])
def test_the_date_system_is_the_workbooks_own_despite_excel_2013s_extension(date1904, day, styled):
    data = rw.excel_2013_dated(date1904, SERIAL, styled)
    assert b"x15:workbookPr" in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    assert check_xlsx(data).date1904 is date1904
    result = validate_workbook(data)
    assert result.ok, [i.message("en") for i in result.errors]
    assert set(result.frames) == set(DATE_COLUMN)
    for key, column in DATE_COLUMN.items():
        assert [d.date() for d in result.frames[key][column]] == [day, day], key


@pytest.mark.parametrize("workbook_pr, date1904", [
    ('<workbookPr date1904="1"/>', True), ('<workbookPr date1904="true"/>', True),
    ('<workbookPr date1904="0"/>', False), ("<workbookPr/>", False), ("", False),
])
def test_only_the_first_level_workbookpr_decides(workbook_pr, date1904):
    """An extension that says date1904="1" (or "0") does not count either: only the workbook's own element."""
    lying = rw.EXCEL_2013_EXTLST.replace('chartTrackingRefBase="1"', f'date1904="{int(not date1904)}"')
    data = rw.package({"Projects": rw.sheet(rw.header_and_rows(1))}, workbook_pr=workbook_pr, extlst=lying)
    assert check_xlsx(data).date1904 is date1904


@pytest.mark.parametrize("layout", list(rw.LAYOUTS))
def test_a_workbook_laid_out_otherwise_validates_like_excels(layout):
    """OPC says where the parts are (`_rels/.rels`, the workbook's relationships), not a fixed path."""
    expected = validate_workbook(rw.projects())
    result = validate_workbook(rw.projects(**rw.LAYOUTS[layout]))
    assert result.ok, [i.message("en") for i in result.errors]
    assert result.frames["projects"].equals(expected.frames["projects"])


def test_repetitive_text_compressed_over_100_times_is_an_ordinary_workbook():
    data = rw.repetitive_text()
    sheet = next(i for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if i.filename.endswith("sheet1.xml"))
    assert sheet.file_size / sheet.compress_size > 109  # as the real file of the issue, and more
    result = validate_workbook(data)
    assert result.ok and result.counts == {"projects": 9_999}


@pytest.mark.parametrize("claim", ["A1:XFD1048576", "A1:IV1", "A1"])
@pytest.mark.parametrize("where", ["read", "ignored"])
def test_a_dimension_claim_is_not_believed_the_cells_are(claim, where):
    few_cells = rw.sheet(rw.header_and_rows(2), dimension=claim)
    if where == "read":
        data = rw.package({"Projects": few_cells})
    else:
        data = rw.with_ignored_sheet(rw.sheet(f'<row r="1">{rw.inline("A1", "메모")}</row>', dimension=claim))
    result = validate_workbook(data)
    assert result.ok and result.counts == {"projects": 2}


def test_a_far_cell_in_an_ignored_sheet_costs_nothing():
    """Limits apply to the sheets that are read; an ignored sheet is never inflated nor placed."""
    data = rw.with_ignored_sheet(rw.sheet(f'<row r="1048576">{rw.number("XFD1048576", 1)}</row>'))
    result = validate_workbook(data)
    assert result.ok and result.counts == {"projects": 2}
    assert [i.code for i in result.info] == ["unknown_sheet"]


@pytest.mark.parametrize("member", ["../../tmp/x", "/etc/cron.d/x", "xl/../../x", "C:/Windows/x", "xl\\..\\..\\x"])
def test_a_member_climbing_out_of_the_package_is_refused(member):
    data = rw.package({"Projects": rw.sheet(rw.header_and_rows(1))}, extra={member: b"x"})
    with pytest.raises(FileRejected) as caught:
        validate_workbook(data)
    assert caught.value.code == "unsafe_member"
    assert caught.value.exit_code == 2


def test_a_relationship_climbing_out_of_the_package_is_refused():
    data = rw.package({"Projects": rw.sheet(rw.header_and_rows(1))}, workbook_path="xl/workbook.xml")
    members = {i.filename: zipfile.ZipFile(io.BytesIO(data)).read(i) for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet1.xml"', b'Target="../../../etc/passwd"')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, content in members.items():
            out.writestr(name, content)
    with pytest.raises(FileRejected) as caught:
        validate_workbook(buf.getvalue())
    assert caught.value.code == "unsafe_member"


@pytest.mark.parametrize("style", rw.WRITER_STYLES)
def test_cells_as_other_writers_write_them_give_the_same_projects(style):
    """Shared strings, rich text runs (with phonetic runs), formula strings and shared formulas with
    cached values, a merged title above the header, backslashes: the same three projects."""
    plain = validate_workbook(rw.writer_workbook("inline strings (openpyxl)")).frames["projects"]
    result = validate_workbook(rw.writer_workbook(style), reference_date=dt.date(2017, 9, 30))  # no as_of_today
    assert result.ok and not result.warnings, [i.message("en") for i in result.issues]
    frame = result.frames["projects"]
    assert frame.drop(columns="stage_date").equals(plain.drop(columns="stage_date"))
    if style == "shared formulas with cached values":  # each cell's cached value, not its formula
        assert [d.date() for d in frame["stage_date"]] == [DAY_1900] * 3
    first_data_row = 4 if style.startswith("merged title") else 2
    assert result.excel_rows["projects"].tolist() == list(range(first_data_row, first_data_row + 3))
