"""The store's row codec: every dtype of the frame contract round-trips exactly."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.store import codec
from tests.examples import examples

_CELL = {
    ref.NUMBER: st.none() | st.floats(allow_nan=True, allow_infinity=True),
    ref.PERCENT: st.none() | st.floats(min_value=0, max_value=1),
    ref.DATE: st.none() | st.dates(min_value=pd.Timestamp.min.date().replace(year=1700),
                                   max_value=pd.Timestamp.max.date().replace(year=2200)),
    ref.LIST: st.lists(st.text(min_size=1), max_size=4).map(tuple),
    ref.YESNO: st.none() | st.booleans(),
}
_TEXT = st.none() | st.text()


@st.composite
def sheet_frames(draw, sheet_key: str):
    sheet = ref.SHEETS[sheet_key]
    n = draw(st.integers(0, 6))
    data = {col.key: [draw(_CELL.get(col.type, _TEXT)) for _ in range(n)] for col in sheet.columns}
    for col in sheet.columns:
        if col.type == ref.DATE:
            data[col.key] = pd.to_datetime(pd.Series(data[col.key], dtype=object))
        elif col.type == ref.YESNO:
            data[col.key] = pd.Series(data[col.key], dtype="boolean")
        elif col.type == ref.LIST:
            data[col.key] = pd.Series(data[col.key], dtype=object)
    return fr.conform(sheet_key, pd.DataFrame(data, index=range(n)))


@pytest.mark.parametrize("sheet_key", list(ref.SHEETS))
@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_encode_then_decode_gives_the_same_frame_on_both_readers(sheet_key, data):
    frame = data.draw(sheet_frames(sheet_key))
    payloads = codec.encode(sheet_key, frame)
    assert all(isinstance(json.loads(p), dict) for p in payloads)
    assert codec.decode(sheet_key, payloads).equals(frame)
    assert codec.decode_stdlib(sheet_key, payloads).equals(frame)
    if payloads and codec.pa_json is not None and not any("Infinity" in p for p in payloads):
        assert codec._decode_arrow(sheet_key, payloads).equals(frame)  # the fast path, not its fallback


@pytest.mark.parametrize("sheet_key", list(ref.SHEETS))
@pytest.mark.parametrize("full_table_max", [0, 8192])  # texts by slice, texts by a table of distinct values
@settings(max_examples=examples(20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # the setting is fixed
@given(data=st.data(), step=st.integers(1, 5))
def test_rows_encoded_slice_by_slice_are_those_of_the_whole_frame(monkeypatch, sheet_key, full_table_max, data,
                                                                 step):
    monkeypatch.setattr(codec, "_FULL_TABLE_MAX", full_table_max)
    frame = data.draw(sheet_frames(sheet_key))
    encoder = codec.Encoder(sheet_key, frame)
    sliced = [p for start in range(0, len(frame), step) for p in encoder.rows(start, start + step)]
    assert sliced == codec.encode(sheet_key, frame)


def test_payloads_are_canonical_and_leave_out_empty_cells():
    frame = fr.conform("countries", pd.DataFrame({"country": ["KWT"], "priority": [True], "policy": [""]}))
    assert codec.encode("countries", frame) == ['{"country":"KWT","policy":"","priority":true}']
    assert codec.encode("countries", frame.copy()) == codec.encode("countries", frame)


def test_a_key_added_to_a_payload_later_is_ignored_and_a_missing_one_is_empty():
    frame = codec.decode("countries", ['{"country":"KWT","not_a_column":1}', '{}'])
    assert frame["country"].tolist()[0] == "KWT" and frame["country"].isna().tolist() == [False, True]
