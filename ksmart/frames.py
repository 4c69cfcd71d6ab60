"""The typed frame of each sheet: the one shape every part of ksmart passes on.

Validation produces these frames, the store returns them for any version, the
metrics and exports read them. `conform` is the only place that decides the
dtypes, so a frame read back from the store equals the one that was imported.

Column types (see `reference.Column.type`):

- text, enum, country, agency, meeting: pandas "str" (missing is NaN); enums hold the
  reference key, countries ISO alpha-3, agencies the canonical key or the name
  as written;
- number: float64; percent: float64 as a fraction (0.35 for 35 %);
- date: datetime64[ns] at midnight (missing is NaT);
- list: object holding tuples of str (empty tuple when none);
- yesno: pandas "boolean" (missing is NA).
"""

from __future__ import annotations

import pandas as pd

from ksmart import reference as ref

DTYPES = {
    ref.TEXT: "str",
    ref.ENUM: "str",
    ref.COUNTRY: "str",
    ref.AGENCY: "str",
    ref.NUMBER: "float64",
    ref.PERCENT: "float64",
    ref.DATE: "datetime64[ns]",
    ref.YESNO: "boolean",
    ref.MEETING: "str",  # the event id of the meeting (validation resolves dates to it)
}


def _as_tuple(value) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ()
    if isinstance(value, str):
        return tuple(item for item in (part.strip() for part in value.split(";")) if item)
    return tuple(str(item) for item in value)


def conform(sheet_key: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """`frame` with exactly the sheet's columns, in order, with their dtypes.

    Missing columns are added empty; extra columns are dropped. An empty or
    absent frame gives the sheet's empty frame.
    """
    sheet = ref.SHEETS[sheet_key]
    frame = pd.DataFrame() if frame is None else frame
    out = {}
    n = len(frame)
    for col in sheet.columns:
        values = frame[col.key] if col.key in frame.columns else pd.Series([None] * n, dtype=object)
        out[col.key] = conform_column(col, values)
    return pd.DataFrame(out, columns=sheet.keys)


def conform_column(col: ref.Column, values) -> pd.Series:
    """One column's values (a Series or an array) with the column's dtype, indexed from 0."""
    values = pd.Series(values).reset_index(drop=True)
    if col.type == ref.LIST:
        # Tuples (what validation and the store give) pass as they are, without a call each.
        return pd.Series([v if type(v) is tuple else _as_tuple(v) for v in values], dtype=object)
    if col.type == ref.DATE:
        return pd.to_datetime(values).astype("datetime64[ns]").dt.normalize()
    return values.astype(DTYPES[col.type])


def empty(sheet_key: str) -> pd.DataFrame:
    return conform(sheet_key)


def id_key(values: pd.Series) -> pd.Series:
    """Ids as they are compared: trimmed, without regard to case."""
    return values.astype("str").str.strip().str.casefold()
