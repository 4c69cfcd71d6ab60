"""Hypothesis: generated valid workbooks validate clean, and one corrupted cell
is reported at exactly its sheet, row and column."""

import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from devkit import synthetic
from ksmart import reference as ref
from ksmart.ingest.validation import validate_workbook
from tests.examples import examples

SETTINGS = settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A value that each column type must reject, and the reason code it gets.
CORRUPTIONS = {
    ref.NUMBER: ("1,5", "bad_number"),
    ref.PERCENT: ("150%", "bad_percent"),
    ref.DATE: ("10월 중", "bad_date"),
    ref.ENUM: ("없는값", "unknown_value"),
    ref.COUNTRY: ("아틀란티스", "unknown_country"),
    ref.YESNO: ("아마도", "bad_yesno"),
}


def _workbook(n: int, seed: int, lang: str, titled: bool) -> bytes:
    buffer = io.BytesIO()
    title = "K-Smart City 해외사업 현황" if titled else None
    synthetic.write_workbook(synthetic.frames(n, seed), buffer, lang=lang, title=title,
                             reference_date=pd.Timestamp("2017-09-30").date() if titled else None)
    return buffer.getvalue()


@SETTINGS
@given(n=st.integers(1, 25), seed=st.integers(0, 10_000), lang=st.sampled_from(["ko", "en"]), titled=st.booleans())
def test_generated_workbooks_validate_clean(n, seed, lang, titled):
    result = validate_workbook(_workbook(n, seed, lang, titled))
    assert result.errors == [] and [w.code for w in result.warnings] == ([] if titled else ["as_of_today"])
    expected = synthetic.frames(n, seed)
    for key, frame in result.frames.items():
        pd.testing.assert_frame_equal(frame, expected[key])


def _header_row(ws, lang: str) -> tuple[ref.Sheet, int]:
    sheet = next(s for s in ref.SHEETS.values() if ws.title in (s.ko, s.en, *s.names))
    return sheet, next(r for r in range(1, 10) if ws.cell(r, 1).value == sheet.columns[0].header(lang))


def _corruptible(sheet: ref.Sheet) -> list[ref.Column]:
    return [c for c in sheet.columns if c.type in CORRUPTIONS or (c.required and c.type == ref.TEXT)]


@SETTINGS
@given(data=st.data(), n=st.integers(2, 12), seed=st.integers(0, 10_000), lang=st.sampled_from(["ko", "en"]))
def test_one_corrupted_cell_is_located_exactly(data, n, seed, lang):
    source = load_workbook(io.BytesIO(_workbook(n, seed, lang, titled=True)))
    layout = {name: _header_row(source[name], lang) for name in source.sheetnames}
    with_rows = [name for name, (_, header_row) in layout.items() if source[name].max_row > header_row]
    name = data.draw(st.sampled_from(with_rows), label="sheet")
    ws, (sheet, header_row) = source[name], layout[name]
    column = data.draw(st.sampled_from(_corruptible(sheet)), label="column")
    position = next(c for c in range(1, ws.max_column + 1) if ws.cell(header_row, c).value == column.header(lang))
    row = data.draw(st.integers(header_row + 1, ws.max_row), label="row")
    bad_value, code = CORRUPTIONS.get(column.type, (None, "required"))
    ws.cell(row, position).value = bad_value
    buffer = io.BytesIO()
    source.save(buffer)

    result = validate_workbook(buffer.getvalue())
    at_cell = [e.code for e in result.errors if (e.sheet, e.row, e.column) == (ws.title, row, column.header(lang))]
    elsewhere = [e.code for e in result.errors if (e.sheet, e.row, e.column) != (ws.title, row, column.header(lang))]
    assert at_cell == [code]
    # Blanking a project id also orphans the reports and events that name it.
    assert set(elsewhere) <= ({"unknown_project"} if column.key == "project_id" else set())
