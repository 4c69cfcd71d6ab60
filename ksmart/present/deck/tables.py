"""Native PowerPoint tables that fit their box: KPI, moves and project tables.

A table in PowerPoint grows row by row to fit its text, and then runs off
the slide. So the table is planned first with `measure`: one-line columns
(dates, amounts, stages) as wide as their text, wrapping columns (names,
next steps) sharing the rest; then the largest font size at which every
row fits the box with nothing cut, wrapping cells allowed a line or two
more when rows are few; failing that, the layout that cuts the fewest
characters with "…"; failing that, at the smallest size, the rows that fit
and a "외 N건" note under them. Column widths and row heights are written
explicitly, so the table is exactly as large as planned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from lxml import etree
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches

from ksmart.present.deck import layout, measure
from ksmart.present.deck.text import tr

CELL_X, CELL_Y = 0.08, 0.05  # cell margins, inches
HEADER_FILL = layout.INK
HEADER_INK = "#FFFFFF"
BAND_FILL = "#F3F4F6"
PLAIN_FILL = "#FFFFFF"
NOTE_SIZE = 12
SLACK = 0.02  # inches added to a one-line column, against rounding to whole EMUs


@dataclass(frozen=True)
class Col:
    """A column: header, weight, alignment, most lines per cell.

    A column of one line is as wide as its widest cell; the wrapping ones
    (`lines` > 1) share the remaining width by `width` weights."""

    header: str
    width: float = 1.0
    align: PP_ALIGN = PP_ALIGN.LEFT
    lines: int = 2
    bold: bool = False


@dataclass(frozen=True)
class Layout:
    size: float
    widths: tuple[float, ...]  # inches
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    heights: tuple[float, ...]  # inches, header first


EXTRA_LINES = (0, 1, 2)  # wrapping columns may take this many more lines when rows are few


def plan(columns: Sequence[Col], rows: Sequence[Sequence[str]], width: float, height: float, *,
         size: float, min_size: float) -> Layout:
    """How the table is laid out in a `width` × `height` box (inches).

    The largest size at which all rows fit with no cell cut (wrapping
    columns may take up to two more lines than `Col.lines` when there is
    room); failing that, among the layouts in which all rows fit, the one
    that cuts the fewest characters, then the largest; failing that, at
    `min_size`, the rows that fit, leaving room for the note about the others.
    """
    sizes = [float(s_) for s_ in range(int(size), int(min_size) - 1, -1)] or [float(min_size)]
    # No row is lower than one line at the smallest size: the rows past that
    # many can never be shown, and measuring them (thousands of stage moves
    # at 50,000 projects) took half a minute.
    rows = rows[:int(height // (measure.height_pt(1, sizes[-1]) / 72 + 2 * CELL_Y))]
    best, best_key = None, None
    for current in sizes:
        for extra in EXTRA_LINES:
            taller = [replace(c, lines=c.lines + extra) if c.lines > 1 else c for c in columns]
            laid = _lay(taller, rows, width, current)
            if sum(laid.heights) > height + 1e-6:
                break  # more lines only make it taller
            cut = _cut_chars(laid, rows)
            if cut == 0:
                return laid
            key = (cut, -current)
            if best_key is None or key < best_key:
                best, best_key = laid, key
    if best is not None:
        return best
    laid = _lay(columns, rows, width, sizes[-1])
    room = height - (NOTE_SIZE * measure.LINE / 72 + 0.1)
    shown = len(rows)
    while shown > 0 and sum(laid.heights[: shown + 1]) > room:
        shown -= 1
    return Layout(laid.size, laid.widths, laid.header, laid.rows[:shown], laid.heights[: shown + 1])


def _cut_chars(laid: Layout, rows: Sequence[Sequence[str]]) -> int:
    """How many characters `laid` leaves out of the cells (cut with "…")."""
    return sum(len(str(given)) - len(shown) + 1
               for row, given_row in zip(laid.rows, rows) for shown, given in zip(row, given_row)
               if shown != str(given))


def widths(columns: Sequence[Col], rows: Sequence[Sequence[str]], total: float, size: float) -> list[float]:
    """Column widths (inches) at `size`: a one-line column as wide as its
    widest cell (and its header on at most two lines), the wrapping columns
    sharing the rest by their `width` weights. When the one-line columns
    would leave the others too little, all are scaled down (cells are then
    cut with "…")."""
    inch = size / 72

    def natural(j: int, col: Col) -> float:
        cells = max((measure.width_em(str(r[j]), col.bold) for r in rows), default=0.0)
        return max(cells, _header_em(header_text(col.header))) * inch + 2 * CELL_X + SLACK

    fixed = {j: natural(j, c) for j, c in enumerate(columns) if c.lines == 1}
    flexible = [j for j in range(len(columns)) if j not in fixed]
    floor = {j: max(_header_em(header_text(columns[j].header)) * inch + 2 * CELL_X, 1.2) for j in flexible}
    room = total - sum(floor.values())
    if sum(fixed.values()) > room:  # squeeze the one-line columns
        scale = max(room, 0.0) / sum(fixed.values()) if fixed else 1.0
        fixed = {j: w * scale for j, w in fixed.items()}
    out = [0.0] * len(columns)
    for j, w in fixed.items():
        out[j] = w
    rest = total - sum(fixed.values())
    if flexible:  # each its floor, and the rest by weight
        extra = max(rest - sum(floor.values()), 0.0)
        weight = sum(columns[j].width for j in flexible)
        for j in flexible:
            out[j] = floor[j] + extra * columns[j].width / weight
    elif rest > 0:  # only one-line columns: widen them alike
        for j in fixed:
            out[j] += rest / len(fixed)
    return out


def header_text(header: str) -> str:
    """A header as written in the table: a parenthetical unit on its own line
    ("사업비\n(백만 달러)"), which reads better than wherever the line would break."""
    return header.replace(" (", "\n(", 1) if " (" in header and "\n" not in header else header


def _header_em(header: str) -> float:
    """The narrowest width (em, bold) at which `header` takes at most two lines."""
    if "\n" in header:
        return max(measure.width_em(line, True) for line in header.split("\n"))
    words = header.split(" ")
    best = measure.width_em(header, True)
    for i in range(1, len(words)):
        best = min(best, max(measure.width_em(" ".join(words[:i]), True),
                             measure.width_em(" ".join(words[i:]), True)))
    return best


def _lay(columns: Sequence[Col], rows: Sequence[Sequence[str]], total: float, size: float) -> Layout:
    ws = widths(columns, rows, total, size)
    header = tuple(measure.clip(header_text(c.header), _em(w, size), 2, bold=True) for c, w in zip(columns, ws))
    cells = tuple(tuple(measure.clip(str(v), _em(w, size), c.lines, bold=c.bold)
                        for v, c, w in zip(row, columns, ws)) for row in rows)
    heights = [_row_height(header, columns, ws, size, bold=True)]
    heights += [_row_height(row, columns, ws, size) for row in cells]
    return Layout(size, tuple(ws), header, cells, tuple(heights))


def _em(width_in: float, size: float) -> float:
    return max(width_in - 2 * CELL_X, 0.01) * 72 / size


def _row_height(cells: Sequence[str], columns: Sequence[Col], widths_: Sequence[float], size: float, *,
                bold: bool = False) -> float:
    lines = max(len(measure.wrap(v, _em(w, size), bold or c.bold)) for v, c, w in zip(cells, columns, widths_))
    return measure.height_pt(lines, size) / 72 + 2 * CELL_Y


def table(slide, box: layout.Box, columns: Sequence[Col], rows: Sequence[Sequence[str]], lang: str, *,
          size: float = 16, min_size: float = 11) -> int:
    """A table of `rows` (text cells) in `box`; returns how many rows are shown."""
    laid = plan(columns, rows, box.w, box.h, size=size, min_size=min_size)
    n_cols = len(columns)
    frame = slide.shapes.add_table(len(laid.rows) + 1, n_cols, Inches(box.x), Inches(box.y), Inches(box.w),
                                   Inches(sum(laid.heights)))
    frame.name = "Table"
    grid = frame.table
    emus = [int(Inches(w)) for w in laid.widths[:-1]]
    emus.append(int(Inches(box.w)) - sum(emus))
    for column, w in zip(grid.columns, emus):
        column.width = w
    for row, h in zip(grid.rows, laid.heights):
        row.height = Inches(h)
    for j, (text_, col, w) in enumerate(zip(laid.header, columns, laid.widths)):
        _cell(grid.cell(0, j), text_, laid.size, col.align, w, fill=HEADER_FILL, ink=HEADER_INK, bold=True)
    for i, values in enumerate(laid.rows, start=1):
        fill = BAND_FILL if i % 2 == 0 else PLAIN_FILL
        for j, (text_, col, w) in enumerate(zip(values, columns, laid.widths)):
            _cell(grid.cell(i, j), text_, laid.size, col.align, w, fill=fill, ink=layout.INK, bold=col.bold)
    left_out = len(rows) - len(laid.rows)
    if left_out:
        top = box.y + sum(laid.heights) + 0.05
        note = layout.Box(box.x, top, box.w, NOTE_SIZE * measure.LINE / 72 + 2 * layout.INSET_Y)
        layout.text(slide, note, tr("more", lang, n=left_out), size=NOTE_SIZE, min_size=NOTE_SIZE,
                    color=layout.MUTED, align=PP_ALIGN.RIGHT, name="More")
    return len(laid.rows)


def _cell(cell, text_: str, size: float, align, width_in: float, *, fill: str, ink: str, bold: bool) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    margin_x, margin_y = str(int(Inches(CELL_X))), str(int(Inches(CELL_Y)))
    for side, value in (("marL", margin_x), ("marR", margin_x), ("marT", margin_y), ("marB", margin_y)):
        tc_pr.set(side, value)
    tc_pr.set("anchor", "ctr")
    solid = etree.SubElement(tc_pr, qn("a:solidFill"))
    etree.SubElement(solid, qn("a:srgbClr")).set("val", fill.lstrip("#").upper())
    layout.write(cell.text_frame.paragraphs[0], text_, size, bold=bold, color=ink, align=align,
                 width_pt=_em(width_in, size) * size)
