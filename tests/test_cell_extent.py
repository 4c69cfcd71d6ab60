"""The block planner (`cell_extent`): pieces give calamine's own reading, and stay small.

Random sheets with gaps, far rows and columns, cells without `r`, `r` after
another attribute, styled empty cells and rows without `r`: read in blocks
(each block planned: fast path or rewritten into pieces), the rows are those of
calamine's whole-sheet read, and no piece's rectangle is over its bound.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksmart.ingest import cell_extent
from ksmart.ingest.cell_extent import BlockPlanner, _letters_up_to, _number_range, column_letters, column_number
from tests.corpus_badfiles import MAIN_NS, XML_DECL, minimal_xlsx
from tests.examples import examples
from tests.test_sheet_blocks import assert_same_rows

# (row gap, row has r, cells: (column gap, form, value))
FORMS = ["r first", "r after s", "no r", "styled empty", "inline text"]
cell = st.tuples(st.integers(1, 40), st.sampled_from(FORMS), st.integers(0, 999))
row = st.tuples(st.sampled_from([1, 1, 1, 2, 7, 300, 5000]), st.booleans(), st.lists(cell, max_size=5))


def sheet_of(rows) -> bytes:
    out, row_no = [], 0
    for gap, has_r, cells in rows:
        row_no += gap if has_r else 1
        out.append(f'<row r="{row_no}">' if has_r else "<row>")
        col = 0
        for col_gap, form, value in cells:
            col += 1 if form == "no r" else col_gap
            ref = f"{column_letters(col)}{row_no}"
            out.append({"r first": f'<c r="{ref}"><v>{value}</v></c>',
                        "r after s": f'<c s="0" r="{ref}"><v>{value}</v></c>',
                        "no r": f"<c><v>{value}</v></c>",
                        "styled empty": f'<c r="{ref}" s="1"/>',
                        "inline text": f'<c r="{ref}" t="inlineStr"><is><t>t{value}</t></is></c>'}[form])
        out.append("</row>")
    return XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(out)}</sheetData></worksheet>'.encode()


@settings(max_examples=examples(120), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=12), block_bytes=st.sampled_from([40, 400, 1 << 20]))
def test_pieces_read_as_the_whole_sheet_and_stay_small(rows, block_bytes, monkeypatch_module):
    areas: list[tuple[int, int]] = []
    pieces = BlockPlanner.pieces

    def recorded(self, body):
        for piece in pieces(self, body):
            areas.append((_area(piece), len(piece)))
            yield piece

    monkeypatch_module.setattr(BlockPlanner, "pieces", recorded)
    assert_same_rows(minimal_xlsx({"S": sheet_of(rows)}), block_bytes)
    for area, size in areas:
        assert area <= size // 2 + cell_extent._SLACK_CELLS


def _area(piece: bytes) -> int:
    """The rectangle of the cells calamine would place in `piece` (each with its `r`, after the planner)."""
    planner = BlockPlanner(b"", 1_048_576, 16_384, lambda *a: None)
    cells = planner._placed_cells(piece)
    if not cells:
        return 0
    rows = [c[0] for c in cells]
    cols = [c[1] for c in cells]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("low, high", [(1, 1), (1, 9), (1, 700), (7, 13), (40_001, 40_700), (99, 100_030),
                                       (1, 1_048_576)])
def test_the_row_range_pattern_matches_exactly_its_numbers(low, high):
    import re

    pattern = re.compile(rb"(?:" + _number_range(low, high) + rb")\Z")
    for n in {low - 1, low, low + 1, (low + high) // 2, high - 1, high, high + 1, 10 * high, 0}:
        assert bool(pattern.match(str(n).encode())) == (low <= n <= high and n > 0), n
    assert not pattern.match(b"0" + str(low).encode())


@pytest.mark.parametrize("widest", ["A", "V", "Z", "AA", "AB", "GR", "ZZ", "XFD"])
def test_the_column_pattern_matches_exactly_up_to_the_widest(widest):
    import re

    pattern = re.compile(rb"(?:" + _letters_up_to(widest.encode()) + rb")\Z")
    top = column_number(widest.encode())
    for n in {1, 2, 26, 27, top - 1, top, top + 1, 702, 703, 16_384}:
        if n > 0:
            assert bool(pattern.match(column_letters(n).encode())) == (n <= top), column_letters(n)


def test_a_block_over_the_limits_is_refused_before_calamine_naming_its_cell():
    refused = []
    planner = BlockPlanner(b"", 100_030, 200, lambda r, c, cell: refused.append(cell))
    body = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="5"><c r="A5" s="1"/><c r="GS5"><v>1</v></c></row>'
    list(planner.pieces(body))
    assert refused == ["GS5", "GS5"]  # the furthest row's cell and the widest column's: here one cell
