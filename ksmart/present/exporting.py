"""Stored data as an .xlsx workbook that `import` accepts again unchanged.

Why its own module: an export leaves the building. It is opened in Excel by
people who did not write its contents, so it must be safe to open, and it is
the analysts' way back in (`export xlsx` then `import --replace` gives the
same data), so it is written exactly as workbook.md reads:

- every sheet under its Korean name, a title row, a `기준일: YYYY-MM-DD` line
  and a blank row, then the Korean headers (`Column.header("ko")`), frozen;
- enums as Korean labels, agencies as their Korean names (firms as written),
  countries as ISO3, lists joined with ", ", yes/no as Y/N, numbers as
  numbers, percentages as fractions with a % format, dates as Excel dates;
- the illustrative-data title (`reference.ILLUSTRATIVE_TITLE`) when the
  version is illustrative, so re-importing keeps the flag.

Safety: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is written as an explicit string cell with Excel's quote prefix, so it
is never a formula, not even after someone edits the cell (CSV/formula
injection); characters XML 1.0 cannot carry are removed rather than crashing
the writer. Numbers stay numbers.
"""

from __future__ import annotations

import io
import re
from datetime import date
from os import PathLike
from typing import BinaryIO, Callable, Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.i18n import t

__all__ = ["write_xlsx", "xlsx_bytes", "table_xlsx_bytes", "write_sheet", "safe_text", "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBER_FORMAT = "#,##0.0##"
_PERCENT_FORMAT = "0.0%"
_DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LIST_SEPARATORS = re.compile(r"[;,/\n\r]")  # what the loader splits list cells on
def safe_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (control characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def write_xlsx(
    frames: Mapping[str, pd.DataFrame],
    target: str | PathLike | BinaryIO,
    *,
    reference_date: date | None = None,
    illustrative: bool = False,
    version: int | None = None,
    store_id: str | None = None,
    lang: str = "ko",
) -> None:
    """Write the four sheets (any missing one empty) to `target` (path or binary file).

    Args:
        frames: sheet key -> conformed frame, e.g. `store.read(n).frames`.
        reference_date: written as the `기준일` line, read back by import.
        illustrative: put `reference.ILLUSTRATIVE_TITLE` in the title row.
        version: named in the title row, for the reader's orientation.
        store_id: with `version`, the workbook's base (`ingest.stamp`): recorded as
            custom document properties and shown in the title row, so that an
            upload of the edited file merges against that version.
    """
    wb = Workbook(write_only=True)
    # The workbook's title row is Korean in either language, as its sheet names are.
    plain = ref.ILLUSTRATIVE_TITLE if illustrative else t("export.title", "ko")
    if version and store_id:  # the base of a later upload: recorded, and shown to the reader
        wb.custom_doc_props.append(StringProperty(name=ref.STAMP_STORE_PROPERTY, value=store_id))
        wb.custom_doc_props.append(StringProperty(name=ref.STAMP_VERSION_PROPERTY, value=str(version)))
        title = t("merge.title_stamp", "ko", title=plain, version=version, store=store_id[:8])
    elif version and not illustrative:
        title = t("export.title_version", "ko", title=plain, version=version)
    else:
        title = plain
    for key, sheet in ref.SHEETS.items():
        _write_sheet(wb, sheet, fr.conform(key, frames.get(key)), title, reference_date, lang)
    if hasattr(target, "write"):
        wb.save(target)
    else:
        with open(target, "wb") as out:
            wb.save(out)


def xlsx_bytes(frames: Mapping[str, pd.DataFrame], **kw) -> bytes:
    """`write_xlsx` into memory (for a download button)."""
    buffer = io.BytesIO()
    write_xlsx(frames, buffer, **kw)
    return buffer.getvalue()


def table_xlsx_bytes(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """One plain table (e.g. a validation report) as a workbook, with the same text safety."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name)
    ws.freeze_panes = "A2"
    ws.append([_header(ws, str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if _missing(v) else _text(ws, v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _write_sheet(wb, sheet: ref.Sheet, frame: pd.DataFrame, title: str, reference_date, lang: str) -> None:
    def above(ws) -> list[list]:
        rows = [[_styled(ws, title, Font(bold=True, size=12))]]
        if reference_date is not None:
            rows.append([t("export.as_of", lang, date=f"{reference_date:%Y-%m-%d}")])
        return [*rows, []]

    write_sheet(wb, sheet, frame, lang, above)


def write_sheet(wb, sheet: ref.Sheet, frame: pd.DataFrame, lang: str, above: Callable[[object], list[list]],
                below: Sequence[str] = ()) -> None:
    """One sheet of a write-only workbook as workbook.md reads it: the rows `above(ws)`
    gives (title lines), the headers (frozen), the typed cells, then the `below` lines."""
    ws = wb.create_sheet(sheet.label(lang))
    top = above(ws)
    for i, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column_width(col)
    ws.freeze_panes = f"A{len(top) + 2}"
    for row in top:
        ws.append(row)
    ws.append([_header(ws, col.header(lang)) for col in sheet.columns])
    columns = [_cells(ws, col, frame[col.key], lang) for col in sheet.columns]
    for row in zip(*columns):
        ws.append(row)
    for line in below:
        ws.append([line])


def column_width(col: ref.Column) -> float:
    """A column width that fits what the column usually holds."""
    if col.key in ("name", "name_en", "note", "summary", "outcome", "policy", "title"):
        return 36
    if col.type == ref.LIST:
        return 28
    return 14 if col.type in (ref.DATE, ref.NUMBER, ref.PERCENT) else 16


def _styled(ws, value, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.font = font
    return cell


def _header(ws, text: str) -> WriteOnlyCell:
    cell = _styled(ws, text, Font(bold=True))
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _cells(ws, col: ref.Column, values: pd.Series, lang: str) -> list:
    """The column as cell values (None for empty), typed as the loader reads them."""
    if col.type == ref.DATE:
        return [None if pd.isna(v) else _formatted(ws, v.date(), _DATE_FORMAT) for v in values]
    if col.type in (ref.NUMBER, ref.PERCENT):
        fmt = _PERCENT_FORMAT if col.type == ref.PERCENT else _NUMBER_FORMAT
        return [None if v != v else _formatted(ws, float(v), fmt) for v in values.tolist()]
    if col.type == ref.YESNO:
        return [None if v is pd.NA else ("Y" if v else "N") for v in values.astype(object)]
    if col.type == ref.LIST:
        lookup = col.items
        return [_text(ws, ", ".join(_list_item(lookup, item, lang) for item in v)) if v else None for v in values]
    texts = values.astype(object).where(values.notna(), None).tolist()
    if col.type == ref.ENUM:
        texts = [None if v is None else col.enum.label(v, lang) if v in col.enum.by_key else v for v in texts]
    elif col.type == ref.AGENCY:
        texts = [None if v is None else ref.AGENCIES.label(v, lang) if v in ref.AGENCIES.by_key else v for v in texts]
    return [None if v is None else _text(ws, v) for v in texts]


def _formatted(ws, value, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell


def _text(ws, value: str):
    """A text cell that Excel shows as written and never evaluates."""
    value = safe_text(value)
    if not value.startswith(FORMULA_PREFIXES):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # openpyxl would make "=…" a formula
    cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return cell


def _list_item(lookup: ref.Lookup | None, key: str, lang: str) -> str:
    """A label for catalogue `key` that survives list splitting (some English labels hold commas).

    The label when it has no separator, else the longest separator-free alias
    in the same script, else the key itself (keys are accepted spellings too).
    Anything not in the catalogue stays as written.
    """
    entry = lookup.by_key.get(key) if lookup is not None else None
    if entry is None:
        return key
    label = entry.label(lang)
    if not _LIST_SEPARATORS.search(label):
        return label
    same_script = [a for a in entry.aliases if not _LIST_SEPARATORS.search(a) and a.isascii() == (lang != "ko")]
    return max(same_script, key=len) if same_script else key
