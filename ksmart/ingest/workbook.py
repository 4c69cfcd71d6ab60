"""Reading a workbook: bytes in, raw sheets out, their rows in blocks (python-calamine).

Whole-file safety checks run first (`xlsx_safety`); only then does calamine
parse anything. Each sheet's rows come block by block (`sheet_blocks`), so a
50,000-row sheet never sits in memory whole; a block's rows are padded from
column A and numbered from 0, so a row number plus one is the Excel row the
analyst sees.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Union

import python_calamine as calamine

from ksmart import reference as ref
from ksmart.errors import FileRejected
from ksmart.i18n import pair, t
from ksmart.ingest.sheet_blocks import Block, SheetBlocks
from ksmart.ingest.stamp import Stamp, read_stamp
from ksmart.ingest.xlsx_safety import Limits, check_extent, check_size, check_xlsx, last_row_allowed

Source = Union[str, os.PathLike, bytes, bytearray, BinaryIO]


@dataclass
class RawSheet:
    name: str  # as written in the file
    key: str  # reference sheet key
    blocks: Callable[[], Iterator[Block]]  # its rows, block after block (read when called)


@dataclass
class RawWorkbook:
    sha256: str
    size: int
    date1904: bool
    sheets: list[RawSheet]
    skipped_sheets: list[str]
    stamp: Stamp | None = None  # the store and version it was exported from


def read_source(source: Source, limits: Limits) -> bytes:
    """The file's bytes; a path over the size limit is refused before it is read."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileRejected("file_not_found", *pair("error.file_not_found", path=path))
        check_size(path.stat().st_size, limits)
        return path.read_bytes()
    data = source.read(limits.max_bytes + 1)
    check_size(len(data), limits)
    return data


def read_workbook(source: Source, limits: Limits | None = None) -> RawWorkbook:
    """Check the workbook and list its known sheets; their rows are read block by block later."""
    limits = limits or Limits.from_settings()
    data = read_source(source, limits)
    info = check_xlsx(data, limits, count_rows=False)  # each block is held to the limits instead
    try:
        book = calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    except Exception as exc:  # calamine's errors are not one hierarchy
        raise _unreadable(exc) from exc
    try:  # the styles are read here: a damaged part (a bad CRC) is the file's problem, said as such
        blocks = SheetBlocks(data, info.date1904, styles=info.styles_part, shared_strings=info.shared_strings_part)
    except Exception as exc:
        raise _unreadable(exc) from exc
    sheets, skipped = [], []
    for name in book.sheet_names:
        key = ref.SHEET_NAMES.get(ref.fold(name))
        member = info.sheet_parts.get(name)
        # A sheet the relationships do not lead to (calamine guessed its part) is not read:
        # nothing reaches calamine whose cells were not placed first.
        if key is None or member is None or any(s.key == key for s in sheets):
            skipped.append(name)
            continue
        sheets.append(RawSheet(name, key, functools.partial(_blocks, blocks, member, name, limits)))
    if not sheets:
        korean, english = [s.names[1] for s in ref.SHEETS.values()], [s.names[0] for s in ref.SHEETS.values()]
        raise FileRejected(
            "no_sheets",
            t("error.no_sheets", "ko", expected=", ".join(korean)),
            t("error.no_sheets", "en", expected=", ".join(english[:-1]) + " or " + english[-1]),
        )
    return RawWorkbook(hashlib.sha256(data).hexdigest(), len(data), info.date1904, sheets, skipped, read_stamp(data))


def _blocks(blocks: SheetBlocks, member: str, name: str, limits: Limits) -> Iterator[Block]:
    """The sheet's blocks; its cells are placed and held to the limits before calamine reads them."""
    def refuse(last_row: int, last_col: int, cell: str) -> None:
        check_extent(name, last_row, last_col, limits, cell)

    try:
        for block in blocks.read(member, None, refuse, last_row_allowed(limits), limits.max_columns):
            _check_extent(name, block, limits)
            yield block
    except FileRejected:
        raise
    except Exception as exc:
        raise _unreadable(exc) from exc


def _check_extent(name: str, block: Block, limits: Limits) -> None:
    """The row and column limits again on what calamine gave (a second look: the cells were placed before)."""
    check_extent(name, block.first_row + len(block.rows), max(map(len, block.rows), default=0), limits)


def _unreadable(exc: Exception) -> FileRejected:
    return FileRejected("unreadable", *pair("error.unreadable", reason=exc))
