"""Reading a workbook: bytes in, raw sheet grids out (python-calamine).

Whole-file safety checks run first (`xlsx_safety`); only then does calamine
parse anything. The grids are lists of rows, padded from A1, so an index plus
one is the Excel row number the analyst sees.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Union

import python_calamine as calamine

from . import reference as ref
from .errors import FileRejected
from .xlsx_safety import Limits, check_size, check_xlsx

Source = Union[str, os.PathLike, bytes, bytearray, BinaryIO]


@dataclass
class RawSheet:
    name: str  # as written in the file
    key: str  # reference sheet key
    rows: list[list]
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based, no cached value


@dataclass
class RawWorkbook:
    sha256: str
    size: int
    date1904: bool
    sheets: list[RawSheet]
    skipped_sheets: list[str]


def read_source(source: Source, limits: Limits) -> bytes:
    """The file's bytes; a path over the size limit is refused before it is read."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileRejected("file_not_found", f"파일을 찾을 수 없습니다: {path}", f"File not found: {path}")
        check_size(path.stat().st_size, limits)
        return path.read_bytes()
    data = source.read(limits.max_bytes + 1)
    check_size(len(data), limits)
    return data


def read_workbook(source: Source, limits: Limits | None = None) -> RawWorkbook:
    """Check and read every known sheet of the workbook into raw grids."""
    limits = limits or Limits.from_settings()
    data = read_source(source, limits)
    info = check_xlsx(data, limits)
    try:
        book = calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    except Exception as exc:  # calamine's errors are not one hierarchy
        raise FileRejected(
            "unreadable",
            f"통합문서를 읽을 수 없습니다: {exc}. Excel에서 .xlsx로 다시 저장해 보세요.",
            f"The workbook cannot be read: {exc}. Try saving it again as .xlsx in Excel.",
        ) from exc
    sheets, skipped = [], []
    for name in book.sheet_names:
        key = ref.SHEET_NAMES.get(ref.fold(name))
        if key is None or any(s.key == key for s in sheets):
            skipped.append(name)
            continue
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        formulas = _formulas_without_value(data, info.formula_parts.get(name))
        sheets.append(RawSheet(name, key, rows, formulas))
    if not sheets:
        expected = ", ".join(s.names[1] for s in ref.SHEETS.values())
        raise FileRejected(
            "no_sheets",
            f"알아볼 수 있는 시트가 없습니다. 시트 이름을 {expected} 중 하나로 하세요.",
            "No recognisable sheet. Name the sheets Projects, Countries, Reports or Events.",
        )
    return RawWorkbook(hashlib.sha256(data).hexdigest(), len(data), info.date1904, sheets, skipped)


# --- formulas without a cached value ---------------------------------------------
# calamine returns "" for them, the same as an empty cell, so they are found in
# the sheet XML; the safety pass already noted which sheets have formulas at all.

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>")


def _formulas_without_value(data: bytes, part: str | None) -> set[tuple[int, int]]:
    """Cells of the sheet part that hold a formula but no saved value."""
    if part is None:
        return set()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(part)
    found = set()
    for match in _CELL.finditer(xml):
        body = match.group(2) or b""
        if _FORMULA_TAG.search(body) and not _VALUE.search(body):
            ref_match = _REF.search(match.group(1))
            if ref_match:
                found.add((int(ref_match.group(2)) - 1, _column_index(ref_match.group(1))))
    return found


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1
