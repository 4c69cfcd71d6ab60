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

import numpy as np
import pandas as pd

from .. import frames as fr
from .. import reference as ref

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


def _pieces(col: ref.Column, values: pd.Series) -> list[str | None]:
    """Each cell of a column as its `"key":value` JSON text, None for an empty cell."""
    pre = _quote(col.key) + ":"
    if col.type == ref.LIST:
        memo: dict[tuple, str] = {}  # list values repeat a lot (technology sets)
        out = []
        for v in values:
            if not v:
                out.append(None)
            else:
                text = memo.get(v)
                if text is None:
                    text = memo[v] = pre + "[" + ",".join(map(_quote, v)) + "]"
                out.append(text)
        return out
    if col.type == ref.DATE:
        return _by_value(values, lambda days: [pre + d for d in days.strftime('"%Y-%m-%d"')])
    if col.type in (ref.NUMBER, ref.PERCENT):  # not by value: factorize would merge -0.0 into 0.0
        return [None if x != x else pre + _float_text(x) for x in values.to_numpy(dtype="float64").tolist()]
    if col.type == ref.YESNO:
        return [None if v is pd.NA else pre + ("true" if v else "false") for v in values.astype(object)]
    return _by_value(values, lambda texts: [pre + _quote(t) for t in texts.to_numpy(dtype=object)])


def _by_value(values: pd.Series, pieces) -> list[str | None]:
    """Pieces of each distinct value once (enums, countries, dates repeat a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.array([*pieces(uniques), None], dtype=object)
    return table[codes].tolist()  # the sentinel -1 picks the trailing None


def encode(sheet_key: str, frame: pd.DataFrame) -> list[str]:
    """One canonical JSON payload per row of a conformed frame, in row order."""
    sheet = ref.SHEETS[sheet_key]
    columns = [_pieces(col, frame[col.key]) for col in sheet.columns]
    return ["{" + ",".join(filter(None, row)) + "}" for row in zip(*columns)]


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
