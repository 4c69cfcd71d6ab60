"""Whole-file checks on uploads: every rejection code, and the workbooks that must pass."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksmart.errors import FileRejected
from ksmart.ingest import xlsx_safety
from ksmart.ingest.xlsx_safety import Limits, XlsxInfo, check_xlsx
from tests.corpus_badfiles import (
    BUILDERS,
    MAIN_NS,
    ROW_LIMIT,
    XML_DECL,
    column_letters,
    fifty_thousand_rows,
    minimal_xlsx,
    sheet_xml,
)
from tests.corpus_goodfiles import GOOD, openpyxl_workbook
from tests.examples import examples

CODES = {"empty_file", "not_xlsx", "truncated", "not_workbook", "encrypted", "macro_enabled",
         "too_large", "unzipped_too_large", "zip_ratio", "xml_entities", "too_many_rows",
         "too_many_columns", "unsafe_member"}
HANGUL = re.compile("[가-힣]")
DEFAULT_LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_unzipped_bytes=200 * 1024 * 1024,
                        max_ratio=1000.0, max_rows=100_000, max_columns=200)


@pytest.fixture(autouse=True)
def default_settings(monkeypatch):
    for name in ("KSMART_MAX_UPLOAD_MB", "KSMART_MAX_UNZIPPED_MB", "KSMART_MAX_ZIP_RATIO",
                 "KSMART_MAX_ROWS", "KSMART_MAX_COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def rejection(data: bytes, limits: Limits | None = None) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        check_xlsx(data, limits)
    return caught.value


# --- the bad-file corpus ---------------------------------------------------------------

@pytest.mark.parametrize("case", list(BUILDERS))
def test_bad_file_is_rejected_with_its_code(case, bad_corpus):
    bad = bad_corpus[case]
    assert rejection(bad.data, bad.limits).code == bad.code


def test_corpus_covers_every_code(bad_corpus):
    assert len(bad_corpus) >= 14
    assert {bad.code for bad in bad_corpus.values()} == CODES


@pytest.mark.parametrize("case", list(BUILDERS))
def test_message_is_korean_first_english_too_and_says_what_to_do(case, bad_corpus):
    bad = bad_corpus[case]
    error = rejection(bad.data, bad.limits)
    assert HANGUL.search(error.message_ko) and error.message("ko") == error.message_ko
    assert not HANGUL.search(error.message_en.replace(error.details.get("sheet", ""), ""))
    assert "주세요" in error.message_ko or "하세요" in error.message_ko
    assert error.exit_code == 2


@pytest.mark.parametrize("case, figures", [
    ("oversize", ["21.0 MB", "20.0 MB"]),
    ("zip_bomb_declared_size", ["300.0 MB", "200.0 MB"]),
    ("zip_bomb_lying_size", ["200.", "200.0 MB"]),
    ("zip_bomb_ratio", ["1011배", "1000배"]),
    ("too_many_rows_streamed", ["100,031", "100,000"]),
    ("too_many_columns_streamed", ["201열", "200열"]),
    ("encrypted_xls", ["암호", ".xls", "Excel 통합 문서(*.xlsx)"]),
    ("ods", [".ods", "Excel 통합 문서(*.xlsx)"]),
    ("xml_spreadsheet_2003", ["XML 스프레드시트 2003", "Excel 통합 문서(*.xlsx)"]),
    ("xlsb", [".xlsb", ".xlsx 형식으로 다시 저장하세요"]),
    ("numbers", ["Numbers", "Excel"]),
    ("member_climbing_out", ["../../tmp/x"]),
    ("entity_bomb_shared_strings", ["xl/sharedStrings.xml"]),
    ("legacy_xls_ole2", ["Excel에서 .xlsx 형식으로 다시 저장하세요"]),
    ("encrypted_ole2", ["암호가 걸린 통합문서입니다. 암호를 해제한 뒤 다시 올려 주세요"]),
])
def test_message_names_the_figures(case, figures, bad_corpus):
    bad = bad_corpus[case]
    message = rejection(bad.data, bad.limits).message_ko
    for figure in figures:
        assert figure in message


@pytest.mark.parametrize("case, detail", [
    ("xlsm_vba_project", "xl/vbaproject.bin"),
    ("xlsm_content_type", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    ("corrupt_deflate", "xl/worksheets/sheet1.xml: Error -3"),
    ("duplicate_member_name", "two members share a name"),
])
def test_technical_detail_goes_to_details_not_to_the_message(case, detail, bad_corpus):
    bad = bad_corpus[case]
    error = rejection(bad.data, bad.limits)
    assert error.details["detail"].startswith(detail)
    assert detail not in error.message_ko


def test_limit_and_actual_never_read_the_same():
    error = rejection(b"x" * (20 * 1024 * 1024 + 100))
    assert error.code == "too_large"
    assert error.details["actual"] != error.details["limit"]
    assert "20,971,620 B (한도 20,971,520 B)" in error.message_ko


@pytest.mark.parametrize("data, kind", [
    ("사업ID,사업명\n".encode("utf-8-sig"), "text"),
    (b"%PDF-1.4\n", "pdf"),
    (b"  <!DOCTYPE html><html><body><table></table>", "html"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
     "xml_spreadsheet"),
    (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook/>', "xml_spreadsheet"),
    (b'<?xml version="1.0"?><catalog/>', "xml"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "ole2"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ""),
])
def test_not_xlsx_says_what_the_file_really_is(data, kind):
    error = rejection(data)
    assert (error.code, error.details["variant"]) == ("not_xlsx", kind)


# --- order of the checks ---------------------------------------------------------------

@pytest.mark.parametrize("data, limits, code", [
    (b"plain text, but long", replace(DEFAULT_LIMITS, max_bytes=10), "too_large"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
     replace(DEFAULT_LIMITS, max_bytes=10), "too_large"),
    (minimal_xlsx(parts={"xl/vbaProject.bin": b"x" * 5000}),
     replace(DEFAULT_LIMITS, max_unzipped_bytes=1000), "unzipped_too_large"),
    (minimal_xlsx({"S": sheet_xml([[1]], dimension="A1:A999")}, main_type="x.macroEnabled.y"),
     replace(DEFAULT_LIMITS, max_rows=10), "macro_enabled"),
])
def test_cheaper_checks_come_first(data, limits, code):
    assert rejection(data, limits).code == code


# --- workbooks that must pass ----------------------------------------------------------

@pytest.mark.parametrize("case", list(GOOD))
def test_good_workbook_passes_with_its_facts(case):
    build, expected = GOOD[case]
    info = check_xlsx(build())
    assert replace(info, sheet_parts={}) == expected
    assert set(info.sheet_parts) == set(expected.dimensions)  # every measured sheet's member is known


def test_sheet_members_are_named_as_spelt_in_the_zip():
    info = check_xlsx(openpyxl_workbook())
    assert info.sheet_parts == {"사업현황": "xl/worksheets/sheet1.xml", "Empty": "xl/worksheets/sheet2.xml",
                                "Hidden": "xl/worksheets/sheet3.xml"}


@pytest.mark.parametrize("out_chunk", [1, 7, 50, 4096])
@pytest.mark.parametrize("case", ["openpyxl write-only: no dimension, streamed",
                                  "prefixed tags, no dimension", "rows and cells without r",
                                  "UTF-16 sheet", "self-closing sheetData",
                                  "BOM and comment before the root",
                                  "openpyxl: sheets, hidden, empty, chart sheet"])
def test_chunk_boundaries_do_not_change_the_answer(monkeypatch, case, out_chunk):
    build, expected = GOOD[case]
    data = build()
    monkeypatch.setattr(xlsx_safety, "_OUT_CHUNK", out_chunk)
    assert replace(check_xlsx(data), sheet_parts={}) == expected


@pytest.mark.parametrize("out_chunk", [1, 5, 33])
@pytest.mark.parametrize("case", ["entity_bomb_sheet", "doctype_after_comment",
                                  "doctype_utf16_content_types", "too_many_rows_streamed",
                                  "too_many_columns_streamed"])
def test_small_chunks_still_reject(monkeypatch, case, out_chunk, bad_corpus):
    bad = bad_corpus[case]
    monkeypatch.setattr(xlsx_safety, "_OUT_CHUNK", out_chunk)
    assert rejection(bad.data, bad.limits).code == bad.code


@pytest.mark.parametrize("last_row, last_col, code", [
    (ROW_LIMIT, 200, None),
    (ROW_LIMIT + 1, 200, "too_many_rows"),
    (ROW_LIMIT, 201, "too_many_columns"),
    (1, 16384, "too_many_columns"),
    (1_048_576, 1, "too_many_rows"),
])
@pytest.mark.parametrize("dimension", [None, "A1", "A1:XFD1048576"])
def test_row_and_column_limits_at_the_boundary(last_row, last_col, code, dimension):
    """Judged on the cells, whatever `<dimension>` says (none, one that lies small, one that lies big)."""
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = XML_DECL + (f'<worksheet xmlns="{MAIN_NS}">{claim}<sheetData><row r="1">'
                        f'<c r="{column_letters(last_col)}1"><v>1</v></c></row>'
                        f'<row r="{last_row}"><c r="A{last_row}"><v>1</v></c></row>'
                        "</sheetData></worksheet>").encode()
    data = minimal_xlsx({"S": sheet})
    if code is None:
        assert check_xlsx(data).dimensions == {"S": (last_row, last_col)}
    else:
        assert rejection(data).code == code


cell_spec = st.tuples(st.integers(1, 30), st.booleans())
row_spec = st.tuples(st.integers(1, 3), st.booleans(), st.lists(cell_spec, max_size=5))


@settings(max_examples=examples(150), deadline=None, derandomize=True)
@given(rows=st.lists(row_spec, max_size=8), prefix=st.sampled_from(["", "x"]),
       out_chunk=st.sampled_from([1, 2, 5, 64, 1 << 20]))
def test_streamed_extent_matches_the_cells(rows, prefix, out_chunk):
    """Gaps, missing `r` attributes, prefixes and any chunking: same last row and column."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    body, row_no, last_col = [], 0, 0
    for row_gap, row_has_r, cells in rows:
        row_no += row_gap if row_has_r else 1
        body.append(f'<{p}row r="{row_no}">' if row_has_r else f"<{p}row>")
        col = 0
        for col_gap, cell_has_r in cells:
            col += col_gap if cell_has_r else 1
            ref = f' r="{column_letters(col)}{row_no}"' if cell_has_r else ""
            body.append(f"<{p}c{ref}><{p}v>1</{p}v></{p}c>")
        last_col = max(last_col, col)
        body.append(f"</{p}row>")
    sheet = XML_DECL + (f"<{p}worksheet {xmlns}><{p}sheetData>{''.join(body)}</{p}sheetData>"
                        f"</{p}worksheet>").encode()
    data = minimal_xlsx({"S": sheet})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx_safety, "_OUT_CHUNK", out_chunk)
        assert check_xlsx(data).dimensions == {"S": (row_no, last_col)}


def test_real_size_within_limits_passes_even_when_compressible():
    rows = [["같은 값", 1, 2, 3]] * 2000
    data = minimal_xlsx({"S": sheet_xml(rows)})
    assert check_xlsx(data).dimensions == {"S": (2000, 4)}


# --- limits from settings --------------------------------------------------------------

def test_limits_from_settings_defaults():
    assert Limits.from_settings() == DEFAULT_LIMITS


def test_limits_from_settings_environment(monkeypatch):
    monkeypatch.setenv("KSMART_MAX_UPLOAD_MB", "1.5")
    monkeypatch.setenv("KSMART_MAX_ROWS", "10")
    limits = Limits.from_settings()
    assert (limits.max_bytes, limits.max_rows) == (1_572_864, 10)


def test_check_uses_settings_when_no_limits_given(monkeypatch):
    data = minimal_xlsx({"S": sheet_xml([[i] for i in range(50)])})
    assert check_xlsx(data).dimensions == {"S": (50, 1)}
    monkeypatch.setenv("KSMART_MAX_ROWS", "10")
    assert rejection(data).code == "too_many_rows"


# --- robustness and cost ---------------------------------------------------------------

SAMPLE = minimal_xlsx({"Projects": sheet_xml([["사업ID", "값"], ["KSP-1", 1], ["KSP-2", 2]],
                                             dimension=False)})


@settings(max_examples=examples(300), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(0, len(SAMPLE)),
       flips=st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 255)),
                      max_size=4))
def test_damaged_workbook_is_accepted_or_rejected_never_crashes(cut, flips):
    data = bytearray(SAMPLE)
    for at, value in flips:
        data[at] = value
    try:
        info = check_xlsx(bytes(data[:cut]) if cut else bytes(data))
    except FileRejected as error:
        assert error.code in CODES
    else:
        assert isinstance(info, XlsxInfo)


def test_fifty_thousand_rows_without_dimension_are_counted_to_the_last():
    """50,000 × 22 without <dimension> (the streamed, slower path: many chunks, tags cut at their
    edges). How long it takes is measured by benchmarks/unit_timings.py, not asserted here."""
    assert check_xlsx(fifty_thousand_rows()).dimensions == {"S": (50_000, 22)}
