"""Reading sheets in row blocks gives what calamine gives for the whole sheet (issue 8: memory)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest
import python_calamine as calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devkit import synthetic
from ksmart import frames
from ksmart.errors import FileRejected
from ksmart.ingest import sheet_blocks, validation
from ksmart.ingest.sheet_blocks import SheetBlocks
from ksmart.ingest.xlsx_safety import Limits, check_xlsx
from tests import workbooks
from tests.corpus_badfiles import MAIN_NS, XML_DECL, minimal_xlsx
from tests.corpus_goodfiles import GOOD
from tests.examples import examples

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
    except calamine.CalamineError:  # UTF-16 XML, which calamine does not read whole: blocks re-encode it first
        assert b"\xff\xfe" in b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n)[:2] for n in
                                       zipfile.ZipFile(io.BytesIO(data)).namelist())
        assert all(block_sheets(data, block_bytes).values())
        return
    blocks = block_sheets(data, block_bytes)
    for name, rows in blocks.items():
        assert normalised(rows) == normalised(whole[name]), name


# One row at row 100,030: the whole-sheet read this is compared with pads 100,030 × 200 cells.
PADDED = "last row exactly at the limit, streamed"


@pytest.mark.parametrize("block_bytes", BLOCK_SIZES)
@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c == PADDED else c
                                  for c in GOOD if c != "several MB without dimension"])
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
    """Text in a shared-strings table, dates with a number format: what Excel saves."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "사업"
    for row in rows:
        ws.append(row)
    ws["C1"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    wb.save(buffer)
    return synthetic.with_shared_strings(buffer.getvalue())


CELL = st.one_of(
    st.none(), st.text(alphabet="가나다 <>&\"'abc;=\n0123", max_size=8), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31)),
)


@settings(max_examples=examples(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, max_size=6), min_size=1, max_size=25), st.sampled_from([48, 300, 5000]))
def test_shared_strings_numbers_dates_and_gaps_survive_any_cut(rows, block_bytes):
    assert_same_rows(shared_strings_workbook(rows), block_bytes)


# Shared strings: the table is read once and each block's shared-string cells are
# resolved from it; any cell that makes that unsure sends its block to the whole table.
SHARED_TABLE = [
    b"<si><t>\xed\x95\x9c\xea\xb8\x80</t></si>",  # 한글
    b"<si><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space=\"preserve\"> and plain</t></r></si>",  # rich text
    b"<si><t>\xe6\x9d\xb1\xe4\xba\xac</t><rPh sb=\"0\" eb=\"2\"><t>\xe3\x83\x88\xe3\x82\xa6</t></rPh></si>",
    b"<si/>",
    b"<si><t xml:space=\"preserve\"> spaced </t></si>",
    b"<si><t>a&amp;b_x000D_c</t></si>",
] + [b"<si><t>item %d</t></si>" % i for i in range(6, 14)]
ODD_CELLS = {  # cells that must not be read through the marks
    "single quotes": b"<c r=\"A{r}\" t='s'><v>2</v></c>",
    "mark in inline text": b'<c r="A{r}" t="inlineStr"><is><t>\x1f0</t></is></c><c r="B{r}" t="s"><v>0</v></c>',
    "mark as a character reference": b'<c r="A{r}" t="inlineStr"><is><t>&#31;5</t></is></c>'
                                     b'<c r="B{r}" t="s"><v>4</v></c>',
    "index with a leading zero": b'<c r="A{r}" t="s"><v>012</v></c>',
}
PLAIN_CELLS = (b'<c r="A{r}" t="s"><v>{i}</v></c><c r="B{r}"><v>{r}</v></c>'
               b'<c r="C{r}" t="str"><v>12</v></c><c r="D{r}" t="s"><v>{j}</v></c>')


def shared_strings_by_hand(odd: list[bytes], plain_rows: int = 14) -> bytes:
    rows = [PLAIN_CELLS.replace(b"{i}", b"%d" % (r % 14)).replace(b"{j}", b"%d" % ((r * 5) % 14))
            for r in range(plain_rows)] + odd
    body = b"".join(b'<row r="%d">' % (r + 1) + cells.replace(b"{r}", b"%d" % (r + 1)) + b"</row>"
                    for r, cells in enumerate(rows))
    sheet = XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode() + body + b"</sheetData></worksheet>"
    table = XML_DECL + f'<sst xmlns="{MAIN_NS}">'.encode() + b"".join(SHARED_TABLE) + b"</sst>"
    return minimal_xlsx({"Projects": sheet}, parts={"xl/sharedStrings.xml": table})


def parses_with_table(monkeypatch) -> list[bool]:
    """Whether each block parse was given the whole shared-strings table, in order."""
    seen: list[bool] = []
    parse = SheetBlocks._parse

    def spy(self, head, body, tail, members):
        seen.append(sheet_blocks.SHARED_STRINGS in members)
        return parse(self, head, body, tail, members)

    monkeypatch.setattr(SheetBlocks, "_parse", spy)
    return seen


@pytest.mark.parametrize("block_bytes", [64, 400, sheet_blocks.BLOCK_BYTES])
def test_shared_strings_resolved_block_by_block_as_calamine_reads_them(monkeypatch, block_bytes):
    data = shared_strings_by_hand([])
    with_table = parses_with_table(monkeypatch)
    assert_same_rows(data, block_bytes)
    assert with_table[0], "the table itself is read once, by calamine"
    assert not any(with_table[1:]), "every block is read without the table"
    rows = block_sheets(data, block_bytes)["Projects"]
    assert rows[0][0] == "한글" and rows[1][0] == "bold and plain" and rows[2][0] == "東京" and rows[3][0] == ""


@pytest.mark.parametrize("case", list(ODD_CELLS))
def test_a_block_with_an_odd_shared_string_cell_is_read_with_the_whole_table(monkeypatch, case):
    data = shared_strings_by_hand([ODD_CELLS[case]])
    with_table = parses_with_table(monkeypatch)
    assert_same_rows(data, 64)  # one row a block: the odd row's block alone falls back
    block_parses = with_table[1:]
    assert block_parses.count(True) == 1 and block_parses[-1], block_parses


def test_a_cell_whose_r_comes_after_t_is_rewritten_and_read_through_the_marks(monkeypatch):
    """`<c t="s" r="A9">`: the block is rewritten (`cell_extent`), `r` first, so the marks apply again."""
    data = shared_strings_by_hand([b'<c t="s" r="A{r}"><v>1</v></c>'])
    with_table = parses_with_table(monkeypatch)
    assert_same_rows(data, 64)
    assert with_table[1:].count(True) == 0


def test_a_workbook_saved_with_shared_strings_validates_like_its_inline_twin():
    """The same projects, text inline (openpyxl) or in a shared-strings table (Excel): same frames, same issues."""
    inline = workbooks.messy_valid()
    shared = synthetic.with_shared_strings(inline)
    assert b't="s"' in zipfile.ZipFile(io.BytesIO(shared)).read("xl/worksheets/sheet1.xml")
    a, b = validation.validate_workbook(inline), validation.validate_workbook(shared)
    assert [i.to_json() for i in b.issues] == [i.to_json() for i in a.issues]
    for key, frame in a.frames.items():
        assert b.frames[key].equals(frame), key


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
def test_sheets_without_dimension_are_held_to_the_limits_block_by_block(case, bad_corpus):
    """Validation leaves the counting of such sheets to the blocks: same codes, same sheet named."""
    bad = bad_corpus[case]
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
