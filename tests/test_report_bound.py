"""Reports are bounded (1,000 problems per reason code, the rest counted) and every located
problem carries its cell address, in the JSON, the CLI text, the report workbook and the page
(issue 18, point 5)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from ksmart.cli.commands_workbook import report_text
from ksmart.ingest import messages
from ksmart.ingest.validation import validate_workbook
from tests import corpus_realworld as rw
from tests.test_data_page import data_page, store_copy, table, upload  # noqa: F401 (a fixture)
from tests.test_far_cells import run_capped

ROWS = 60_000
BAD = ("unknown_country", "unknown_value")  # two bad cells in every row: the country and the stage


@pytest.fixture(scope="module")
def two_bad_cells_a_row() -> bytes:
    return rw.two_bad_cells_a_row(ROWS)


def test_the_json_report_is_bounded_and_counts_the_rest(two_bad_cells_a_row, tmp_path):
    """Under the same memory cap as the far cells; 120,000 errors once gave 31 MB of JSON and 570 MB."""
    path = tmp_path / "bad.xlsx"
    path.write_bytes(two_bad_cells_a_row)
    done = run_capped(path, "--lang", "en", "validate", "--json")
    assert done.returncode == 1, done.stderr[-2000:]
    assert len(done.stdout) < 1_000_000
    report = json.loads(done.stdout)
    assert len(report["errors"]) == 2 * messages.MAX_PER_CODE
    assert {o["code"]: o["count"] for o in report["omitted"]} == {code: ROWS - messages.MAX_PER_CODE for code in BAD}
    assert all("not listed" in o["message"] for o in report["omitted"])
    for error in report["errors"]:
        letter = "C" if error["code"] == "unknown_country" else "E"
        assert error["cell"] == f"{letter}{error['row']}"


def test_the_text_report_and_the_report_workbook_say_the_same(two_bad_cells_a_row):
    result = validate_workbook(two_bad_cells_a_row, reference_date=dt.date(2017, 9, 30))  # no as_of_today
    assert result.total("error") == 2 * ROWS and len(result.errors) == 2 * messages.MAX_PER_CODE
    text = report_text(result, "en").splitlines()
    assert re.search(r"\[Projects\] row 2 C2 '국가'", text[0])
    assert sum("not listed" in line for line in text) == 2
    assert f"{2 * ROWS} error(s)" in text[-1]
    frame = result.report_frame("en")
    assert len(frame) == 2 * messages.MAX_PER_CODE + 2
    assert frame["cell"].iloc[0] == "C2"
    assert frame["message"].str.contains("not listed").sum() == 2


def test_the_page_shows_the_total_and_the_counted_rest(two_bad_cells_a_row, store_copy, monkeypatch):  # noqa: F811
    at = data_page(store_copy, monkeypatch)
    at = upload(at, two_bad_cells_a_row)
    shown = table(at, "내용")
    assert len(shown) == 2 * messages.MAX_PER_CODE + 2 and shown["셀"].iloc[0] == "C2"
    assert shown["내용"].str.contains("싣지 않았습니다").tolist()[-2:] == [True, True]
    assert any(f"{2 * ROWS}" in e.value or f"{2 * ROWS:,}" in e.value for e in at.error)


def test_the_bound_is_per_code_across_sheets():
    bound = messages.IssueBound(limit=2)
    assert [bound.admit(c) for c in ("a", "a", "b", "a", "a")] == [True, True, True, False, False]
    assert bound.omitted == {"a": 2} and bound.room("b") and not bound.room("a")
