"""The shortcuts taken for speed at 50,000 projects (issue 8) give what the plain code gave."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ksmart.ingest import validation, xlsx_safety
from ksmart.store import versions as ver
from tests.examples import examples

CELL = st.one_of(st.none(), st.just(float("nan")), st.just(""), st.just("  "), st.text(max_size=3),
                 st.floats(allow_nan=False, allow_infinity=False), st.integers(-3, 3), st.booleans(),
                 st.just(dt.datetime(2017, 3, 1)))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@settings(max_examples=examples(300), deadline=None, derandomize=True)
@given(st.lists(CELL, max_size=30), st.lists(st.integers(0, 30), max_size=4))
def test_columns_factorised_block_by_block_match_pandas_at_once(raw, cuts):
    """Same grouping as `factorize(use_na_sentinel=False)` of the whole column, one NaN
    for all missing cells, however the rows are cut into blocks."""
    builder = validation._ColumnBuilder()
    bounds = sorted({0, len(raw), *(c for c in cuts if c < len(raw))})
    empty = []
    for start, end in zip(bounds, bounds[1:]):
        codes = builder.add(_objects(raw[start:end]))
        empty += builder.empty(codes).tolist()
        builder.keep(codes)
    cells = builder.cells()
    assert len(cells.codes) == len(raw)
    # Each cell's emptiness, looked up by distinct value; a missing cell (None, NaN: calamine
    # gives neither) is one NaN value, which is not empty.
    assert empty == [not pd.isna(v) and validation.values.is_empty(v) for v in raw]
    codes, uniques = pd.factorize(_objects(raw), use_na_sentinel=False)
    assert pd.factorize(cells.codes)[0].tolist() == pd.factorize(codes)[0].tolist()
    for i in range(len(raw)):
        got, want = cells.raw(i), uniques[codes[i]]
        assert got is want or (pd.isna(want) is True and pd.isna(got) is True)


@pytest.mark.parametrize("rows, expected", [
    ([], np.empty((0, 0), dtype=object)),
    ([["a", 1.0], ["b", 2.0]], [["a", 1.0], ["b", 2.0]]),
    ([["a"], ["b", 2.0, "x"]], [["a", "", ""], ["b", 2.0, "x"]]),  # ragged: padded, never cut
])
def test_grid_is_the_rows_as_columns(rows, expected):
    grid = validation._grid(rows)
    assert grid.dtype == object and grid.tolist() == np.asarray(expected, dtype=object).tolist()


@pytest.mark.parametrize("xml", [
    b'<c r="A1"><f>SUM(B1:B2)</f><v>3</v></c>', b'<c r="A1"><f t="shared" si="0"/></c>',
    b'<x:c r="A1"><x:f>1+1</x:f></x:c>', b'<ns1:f ref="A1">', b'<c r="A1" t="s"><v>0</v></c>',
    b"<is><t>formula: =f(x) and a:f b</t></is>", b"<fill/><font/>", b"http://f>", b":f>", b"",
])
def test_formula_tag_search_agrees_with_the_full_pattern(xml):
    assert xlsx_safety.has_formula_tag(xml) == bool(xlsx_safety.FORMULA_TAG.search(xml))


def test_import_plan_inserts_every_block_as_it_is_encoded(monkeypatch):
    """Blocks of rows go to the inserter in upload order with their payloads; a preview keeps none."""
    frame = pd.DataFrame({"country": ["KWT", "BOL", "VNM", "IDN", "PHL"], "priority": [True, False, True, None, True]})
    incoming = ver.prepare("countries", frame)
    monkeypatch.setattr(ver, "ENCODE_ROWS", 2)
    batches = []
    for mode in ver.MODES:
        batches.clear()
        plan = ver.plan_upload(incoming, {}, mode, lambda sheet, batch: batches.append((sheet, batch)))
        payloads = [p for _, _, ps, _ in incoming.encoded(rows=5) for p in ps]
        assert [len(b) for _, b in batches] == [2, 2, 1] and {s for s, _ in batches} == {"countries"}
        assert [row for _, b in batches for row in b] == [
            (k, i, ver.digest(p), p) for i, (k, p) in enumerate(zip(["kwt", "bol", "vnm", "idn", "phl"], payloads))]
        assert (plan.added, plan.inserted, plan.close, plan.changed) == (["KWT", "BOL", "VNM", "IDN", "PHL"], 5, [], {})
    preview = ver.plan_upload(incoming, {}, "update")
    assert preview.inserted == 5 and preview.added == ["KWT", "BOL", "VNM", "IDN", "PHL"]
