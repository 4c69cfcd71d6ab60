"""The empty pipeline workbook analysts fill in (`python -m ksmart template`).

Every sheet and column of workbook.md, Korean headers (required ones marked
with `*`), a Korean comment on each header saying what goes there, drop-down
lists for the enums, and a frozen header row. `write_headers` is also what
the data export uses, so an exported workbook looks like the template.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Union

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ksmart import reference as ref
from ksmart.i18n import t

TEMPLATE_ROWS = 500  # rows that carry the drop-down lists
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WIDE = {ref.TEXT: 24, ref.LIST: 28, ref.DATE: 13, ref.NUMBER: 14, ref.PERCENT: 11}


def _choices(col: ref.Column) -> list[str] | None:
    if col.enum is not None:
        return col.enum.labels("ko")
    if col.type == ref.AGENCY or col.items is ref.AGENCIES:  # a list cell may pick one and add more by hand
        return ref.AGENCIES.labels("ko")
    if col.type == ref.YESNO:
        return ["Y", "N"]
    return None


def write_headers(ws: Worksheet, sheet: ref.Sheet, header_row: int = 1, *, dropdown_rows: int = TEMPLATE_ROWS) -> None:
    """Header cells with comments, widths, drop-downs below, header row frozen."""
    for position, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(header_row, position, col.header_ko + ("*" if col.required else ""))
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = col.help_ko + (f" ({t('template.required', 'ko')})" if col.required else "")
        cell.comment = Comment(note, "K-Smart City", width=260, height=90)
        letter = get_column_letter(position)
        ws.column_dimensions[letter].width = _WIDE.get(col.type, 16)
        choices = _choices(col)
        if choices:
            _add_dropdown(ws, col, choices, f"{letter}{header_row + 1}:{letter}{header_row + dropdown_rows}")
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def _add_dropdown(ws: Worksheet, col: ref.Column, choices: list[str], cells: str) -> None:
    # Agencies may also be companies, so only enums insist on the list.
    strict = col.enum is not None or col.type == ref.YESNO
    formula = '"' + ",".join(c.replace('"', "") for c in choices) + '"'
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict)
    validation.error = t("template.pick", "ko", column=col.header_ko)
    validation.prompt = col.help_ko
    validation.showInputMessage = True
    ws.add_data_validation(validation)
    validation.add(cells)


def build_template() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for sheet in ref.SHEETS.values():
        write_headers(book.create_sheet(sheet.ko), sheet)
    return book


def write_template(target: Union[str, Path, BinaryIO]) -> None:
    build_template().save(target)
