"""The shortcuts taken for speed at 50,000 projects (issue 8) give what the plain code gave."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ksmart import validation, xlsx_safety
from ksmart.store import versions as ver

CELL = st.one_of(st.none(), st.just(float("nan")), st.just(""), st.just("  "), st.text(max_size=3),
                 st.floats(allow_nan=False, allow_infinity=False), st.integers(-3, 3), st.booleans(),
                 st.just(dt.datetime(2017, 3, 1)))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(CELL, max_size=30))
def test_cells_factorise_as_pandas_does_keeping_missing_values(raw):
    """Same grouping as `factorize(use_na_sentinel=False)`: one NaN for all missing cells."""
    cells = validation._Cells.of(_objects(raw))
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
    assert xlsx_safety._has_formula_tag(xml) == bool(xlsx_safety._FORMULA_TAG.search(xml))


def test_first_import_plan_adds_every_row_in_order():
    incoming = ver.Incoming("projects", ["a", "b"], ["A", "B"], ['{"x":1}', '{"x":2}'],
                            ver.digests(['{"x":1}', '{"x":2}']))
    for mode in ver.MODES:
        plan = ver.plan_upload(incoming, {}, mode)
        assert plan.insert == [("a", 0, ver.digest('{"x":1}'), '{"x":1}'), ("b", 1, ver.digest('{"x":2}'), '{"x":2}')]
        assert (plan.added, plan.close, plan.changed, plan.removed, plan.unchanged) == (["A", "B"], [], {}, [], 0)
