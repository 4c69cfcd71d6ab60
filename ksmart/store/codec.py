"""Rows of a conformed frame to canonical JSON text and back, dtype for dtype.

Why canonical: the store decides "did this row change?" by comparing the text,
so equal rows must give equal text. Each payload is a JSON object with the
sheet's keys in column order, holding only the non-empty cells (so a column
added to the reference later does not make every stored row look changed):

- text, enum, country, agency: JSON string ("" is kept, distinct from empty);
- number, percent: JSON number, Python's shortest round-trip repr;
- date: "YYYY-MM-DD" (frames hold dates at midnight);
- list: JSON array of strings (an empty tuple is empty);
- yesno: true / false.

Why it is built column by column: at 50,000 rows a per-row `json.dumps` of a
dict costs more than the whole database write. Each cell is turned into JSON
text by C functions over a column, and rows are joined from those pieces.
Reading parses all payloads of a sheet at once with pyarrow's JSON reader
(multi-threaded C++, shipped with Streamlit and pandas' string dtype) into
typed columns, with the standard library as the fallback; both give the frame
that was encoded (`frames.conform` decides the dtypes).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ksmart import frames as fr
from ksmart import reference as ref

try:  # pyarrow comes with Streamlit; without it the standard library reads
    import pyarrow as pa
    import pyarrow.json as pa_json
except ImportError:  # pragma: no cover
    pa = pa_json = None

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring  # C: the JSON string literal, non-ASCII kept
_loads = json.JSONDecoder().decode


def _float_text(x: float) -> str:
    return float.__repr__(x) if math.isfinite(x) else _dumps(x)


Pieces = Callable[[int, int], list]  # rows start…stop of a column as `"key":value` JSON texts (None: empty)

_FULL_TABLE_MAX = 8192  # distinct values of a text column whose JSON is made once; past that, per slice


def _column_pieces(col: ref.Column, values: pd.Series) -> Pieces:
    """A column's cells as JSON pieces, a slice of rows at a time. What does not
    depend on the slice (dtype conversions, the distinct values of repetitive
    columns and their JSON) is done once here, not once per slice."""
    pre = _quote(col.key) + ":"
    if col.type == ref.LIST:
        items = values.to_numpy(dtype=object)
        memo: dict[tuple, str] = {}  # list values repeat a lot (technology sets)

        def list_text(v: tuple) -> str:
            text = memo.get(v)
            if text is None:
                text = memo[v] = pre + "[" + ",".join(map(_quote, v)) + "]"
            return text

        return lambda a, b: [list_text(v) if v else None for v in items[a:b]]
    if col.type == ref.DATE:
        return _by_value(values, lambda days: [pre + d for d in days.strftime('"%Y-%m-%d"')])
    if col.type in (ref.NUMBER, ref.PERCENT):  # not by value: factorize would merge -0.0 into 0.0
        floats = values.to_numpy(dtype="float64")
        return lambda a, b: [None if x != x else pre + _float_text(x) for x in floats[a:b].tolist()]
    if col.type == ref.YESNO:
        flags = values.astype(object).to_numpy()
        return lambda a, b: [None if v is pd.NA else pre + ("true" if v else "false") for v in flags[a:b]]
    return _by_value(values, lambda texts: [pre + _quote(t) for t in texts.to_numpy(dtype=object)],
                     per_slice=lambda texts: [None if t is None else pre + _quote(t) for t in texts])


def _by_value(values: pd.Series, pieces, per_slice=None) -> Pieces:
    """Pieces of each distinct value made once (enums, countries, dates repeat a lot).
    A column of mostly distinct texts (names) gets `per_slice` of its slices
    instead: a table of every row's JSON would hold the whole column's."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if per_slice is not None and len(uniques) > _FULL_TABLE_MAX:
        if pa is None:  # pragma: no cover - pyarrow comes with Streamlit and pandas
            return lambda a, b: per_slice(values.iloc[a:b].astype(object).where(values.iloc[a:b].notna(), None))
        arrow = pa.array(values.array)
        return lambda a, b: per_slice(arrow.slice(a, b - a).to_pylist())
    table = np.array([*pieces(uniques), None], dtype=object)
    return lambda a, b: table[codes[a:b]].tolist()  # the sentinel -1 picks the trailing None


class Encoder:
    """Canonical JSON payloads of a conformed frame's rows, a slice at a time."""

    def __init__(self, sheet_key: str, frame: pd.DataFrame):
        self.columns = [_column_pieces(col, frame[col.key]) for col in ref.SHEETS[sheet_key].columns]

    def rows(self, start: int, stop: int) -> list[str]:
        columns = [pieces(start, stop) for pieces in self.columns]
        return ["{" + ",".join(filter(None, row)) + "}" for row in zip(*columns)]


def encode(sheet_key: str, frame: pd.DataFrame) -> list[str]:
    """One canonical JSON payload per row of a conformed frame, in row order."""
    return Encoder(sheet_key, frame).rows(0, len(frame))


def decode_one(payload: str) -> dict:
    return _loads(payload)


def decode(sheet_key: str, payloads: list[str]) -> pd.DataFrame:
    """The conformed frame whose rows are `payloads`, in that order."""
    if pa_json is not None and payloads:
        try:
            return _decode_arrow(sheet_key, payloads)
        except pa.ArrowInvalid:  # e.g. a non-finite number, which only the standard library reads
            pass
    return decode_stdlib(sheet_key, payloads)


def decode_stdlib(sheet_key: str, payloads: list[str]) -> pd.DataFrame:
    sheet = ref.SHEETS[sheet_key]
    dicts = [_loads(p) for p in payloads]
    data = {}
    for col in sheet.columns:
        cells = [d.get(col.key) for d in dicts]
        if col.type == ref.LIST:
            data[col.key] = pd.Series([tuple(v) if v else () for v in cells], dtype=object)
        elif col.type in (ref.NUMBER, ref.PERCENT):
            data[col.key] = pd.Series(cells, dtype="float64")
        else:
            data[col.key] = pd.Series(cells, dtype=object)
    return fr.conform(sheet_key, pd.DataFrame(data, columns=sheet.keys))


def _arrow_schema(sheet: ref.Sheet):
    types = {ref.NUMBER: pa.float64(), ref.PERCENT: pa.float64(), ref.LIST: pa.list_(pa.string()),
             ref.YESNO: pa.bool_()}
    return pa.schema([(c.key, types.get(c.type, pa.string())) for c in sheet.columns])


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str" dtype


def _tuples(lists) -> list[tuple]:
    """A list<string> array as tuples, through its offsets (to_pylist is 4x slower)."""
    items = lists.values.to_numpy(zero_copy_only=False).tolist()
    offsets = lists.offsets.to_numpy().tolist()
    return [tuple(items[a:b]) for a, b in zip(offsets[:-1], offsets[1:])]


def _decode_arrow(sheet_key: str, payloads: list[str]) -> pd.DataFrame:
    sheet = ref.SHEETS[sheet_key]
    body = "\n".join(payloads).encode("utf-8")
    longest = max(map(len, payloads)) * 4 + 16  # a row must fit in one block
    table = pa_json.read_json(
        io.BytesIO(body),
        read_options=pa_json.ReadOptions(block_size=max(1 << 20, longest)),
        parse_options=pa_json.ParseOptions(explicit_schema=_arrow_schema(sheet), unexpected_field_behavior="ignore"),
    )
    if table.num_rows != len(payloads):
        raise pa.ArrowInvalid("row count mismatch")
    data = {}
    for col in sheet.columns:
        column = table.column(col.key)
        if col.type == ref.LIST:
            data[col.key] = pd.Series(_tuples(column.combine_chunks()), dtype=object)
        elif col.type in (ref.NUMBER, ref.PERCENT):
            data[col.key] = pd.Series(column.to_numpy(zero_copy_only=False), dtype="float64")
        elif col.type == ref.YESNO:
            data[col.key] = pd.Series(column.to_pylist(), dtype="boolean")
        elif col.type == ref.DATE:  # "YYYY-MM-DD" -> date32 -> datetime64[ns], all in Arrow
            data[col.key] = column.cast(pa.date32()).cast(pa.timestamp("ns")).to_pandas()
        else:
            data[col.key] = column.to_pandas(types_mapper={pa.string(): _STR}.get)
    return fr.conform(sheet_key, pd.DataFrame(data, columns=sheet.keys))
