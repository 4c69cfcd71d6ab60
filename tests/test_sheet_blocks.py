"""Reading sheets in row blocks gives what calamine gives for the whole sheet (issue 8: memory)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import openpyxl
import pytest
import python_calamine as calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksmart import frames, sheet_blocks, validation
from ksmart.sheet_blocks import SheetBlocks
from ksmart.errors import FileRejected
from ksmart.xlsx_safety import Limits, check_xlsx
from tests import workbooks
from tests.corpus_badfiles import BUILDERS, MAIN_NS, XML_DECL, minimal_xlsx
from tests.test_xlsx_safety import GOOD

BLOCK_SIZES = [64, 700, sheet_blocks.BLOCK_BYTES]  # bytes of rows' XML: one row a block, a few, all


def whole_sheets(data: bytes) -> dict[str, list[list]]:
    book = calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def block_sheets(data: bytes, block_bytes: int) -> dict[str, list[list]]:
    """Each sheet's rows put together from its blocks, from A1."""
    info = check_xlsx(data)
    reader = SheetBlocks(data, info.date1904, block_bytes)
    out = {}
    for name, member in info.sheet_parts.items():
        rows: list[list] = []
        for block in reader.read(member):
            assert block.first_row >= len(rows), "blocks come in row order and never overlap"
            rows.extend([] for _ in range(block.first_row - len(rows)))
            rows.extend(block.rows)
        out[name] = rows
    return out


def normalised(rows: list[list]) -> list[list]:
    """Without trailing empty cells and rows: calamine pads a whole sheet to its widest row."""
    trimmed = [list(row) for row in rows]
    for row in trimmed:
        while row and row[-1] == "":
            row.pop()
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def assert_same_rows(data: bytes, block_bytes: int) -> None:
    try:
        whole = whole_sheets(data)
    except calamine.CalamineError as exc:  # e.g. UTF-16 XML, which calamine does not read: nor do blocks
        with pytest.raises(type(exc)):
            block_sheets(data, block_bytes)
        return
    blocks = block_sheets(data, block_bytes)
    for name, rows in blocks.items():
        assert normalised(rows) == normalised(whole[name]), name


@pytest.mark.parametrize("block_bytes", BLOCK_SIZES)
@pytest.mark.parametrize("case", [c for c in GOOD if c != "several MB without dimension"])
def test_blocks_give_the_whole_sheets_rows(case, block_bytes):
    """Prefixed tags, rows without `r`, UTF-16, self-closing sheetData, 1904 dates, hidden sheets…"""
    build, _ = GOOD[case]
    assert_same_rows(build(), block_bytes)


def test_a_big_sheet_is_read_in_many_blocks_with_the_same_rows():
    build, _ = GOOD["several MB without dimension"]
    data = build()
    info = check_xlsx(data)
    blocks = list(SheetBlocks(data, False, 256 * 1024).read(info.sheet_parts["Big"]))
    assert len(blocks) > 5
    assert sum(len(b.rows) for b in blocks) == 30_000
    assert_same_rows(data, 256 * 1024)


def shared_strings_workbook(rows: list[list]) -> bytes:
    """openpyxl writes text as shared strings, with number formats for dates (what Excel does)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "사업"
    for row in rows:
        ws.append(row)
    ws["C1"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


CELL = st.one_of(
    st.none(), st.text(alphabet="가나다 <>&\"'abc;=\n", max_size=8), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31)),
)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, max_size=6), min_size=1, max_size=25), st.sampled_from([48, 300, 5000]))
def test_shared_strings_numbers_dates_and_gaps_survive_any_cut(rows, block_bytes):
    assert_same_rows(shared_strings_workbook(rows), block_bytes)


def test_formulas_without_value_are_found_block_by_block():
    data = workbooks.build({"사업": [workbooks.PROJECT_HEADER] + [workbooks.project_row(f"KWT-{i:03d}")
                                                                  for i in range(40)]},
                           formulas={("사업", "H5"): "=1+1", ("사업", "H30"): "=2*3"})
    info = check_xlsx(data)
    found = set()
    for block in SheetBlocks(data, False, 200).read(info.sheet_parts["사업"], find_formulas=True):
        found |= block.formula_cells
    assert found == {(4, 7), (29, 7)}


@pytest.mark.parametrize("block_bytes", [120, 2000])
def test_validation_in_small_blocks_equals_validation_in_one(monkeypatch, block_bytes):
    """Frames, row numbers and every issue (with its row) are the same however the sheets are cut."""
    data = workbooks.messy_valid()
    whole = validation.validate_workbook(data)
    monkeypatch.setattr(sheet_blocks, "BLOCK_BYTES", block_bytes)
    cut = validation.validate_workbook(data)
    assert [i.to_json() for i in cut.issues] == [i.to_json() for i in whole.issues]
    for key, frame in whole.frames.items():
        assert frame.equals(frames.conform(key, frame)), f"{key}: validation builds conformed frames itself"
        assert cut.frames[key].equals(frame), key
        assert cut.excel_rows[key].tolist() == whole.excel_rows[key].tolist()


@pytest.mark.parametrize("case", ["too_many_rows_streamed", "too_many_columns_streamed"])
def test_sheets_without_dimension_are_held_to_the_limits_block_by_block(case):
    """Validation leaves the counting of such sheets to the blocks: same codes, same sheet named."""
    bad = BUILDERS[case]()
    assert check_xlsx(bad.data, bad.limits, count_rows=False).dimensions == {}
    with pytest.raises(FileRejected) as caught:
        validation.validate_workbook(bad.data, limits=bad.limits)
    assert caught.value.code == bad.code and "Projects" in caught.value.message_ko


def test_a_sheet_read_whole_is_counted_before_calamine_parses_it(monkeypatch):
    """Rows without `r` cannot be cut into blocks: the whole sheet's XML is counted first."""
    rows = "".join(f'<row><c t="inlineStr"><is><t>KSP-{i}</t></is></c></row>' for i in range(40))
    sheet = XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    limits = replace(Limits.from_settings(), max_rows=5)  # 40 rows > 5 data rows + 30 title/header rows
    parsed = []
    monkeypatch.setattr(SheetBlocks, "_parse", lambda self, *xml: parsed.append(xml))
    with pytest.raises(FileRejected) as caught:
        validation.validate_workbook(minimal_xlsx({"Projects": sheet}), limits=limits)
    assert caught.value.code == "too_many_rows" and not parsed
