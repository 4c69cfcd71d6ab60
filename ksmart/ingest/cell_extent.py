"""Where a block's cells really are, judged before calamine allocates their range.

calamine allocates the whole rectangle from the first to the furthest cell it
meets (about 31 bytes a cell): one value at `XFD1048576` asks for 512 GB and
aborts the process, one at `GR100000` costs 600 MB. So no block of sheet XML
reaches calamine before its cells' references are known, and a sheet's extent
is judged on the cells that hold something (a value, an inline string or a
formula), never on `<dimension>` nor on styled empty cells (which calamine
does not place either).

`BlockPlanner.pieces(body)` takes the rows' XML of one block and gives the
XML calamine may read, in one or more pieces:

- the fast path (every file seen so far): one regex search proves that every
  cell tag starts with a plain `r="A1"` reference whose row lies between the
  block's first and last row tags and whose column is at most the widest seen;
  if that rectangle is small against the block's bytes and within the limits,
  the block goes to calamine as it is (one C-level scan, ~0.1 s for 1.1
  million cells);
- otherwise the block is rewritten: each cell that holds something is placed
  (its `r`, or after its predecessor), the limits are checked on those cells
  (a refusal names the furthest cell), and the cells are written back as
  numbered rows with canonical references, cut into pieces whose rectangle is
  at most `_SLACK_CELLS` plus half the piece's bytes. A stray far cell then
  costs a piece of its own, not the rectangle up to it.

So the rectangle calamine allocates for a piece is at most half its XML bytes
plus 65,536 cells: about 16 × the block's XML plus 2 MB.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

# A piece's rectangle may hold this many cells more than half its XML bytes (2 MB of calamine's memory).
_SLACK_CELLS = 65_536
_MAX_WIDEN = 6  # fast-path widenings of the column bound per block before the block is rewritten

_CELL_REF = re.compile(rb'<(?:\w+:)?c\sr="([A-Z]{1,3})([0-9]{1,7})"')
_FOREIGN_CELL = re.compile(rb":c[\s>/]")  # a cell tag with a namespace prefix, in a sheet that has none
_CELL_OPEN = re.compile(rb"<((?:\w+:)?)c(?=[\s>/])([^>]*?)(/?)>")
_ROW_OPEN = re.compile(rb"<((?:\w+:)?)row(?=[\s>/])([^>]*?)(/?)>")
_R_ATTR = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"^\s*\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\s*$")
_CONTENT = re.compile(rb"<(?:\w+:)?(?:v>\s*[^<\s]|is[\s>/]|f[\s>/])")

ExtentCheck = Callable[[int, int, str], None]  # (last row, last column, furthest cell) -> raise if over the limits


@functools.lru_cache(maxsize=4096)
def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_address(row: int, column: int) -> str:
    """`L5` for row 5, column 12 (both 1-based)."""
    return f"{column_letters(column)}{row}"


class BlockPlanner:
    """The pieces of one sheet's blocks that calamine may read, block after block.

    `ns` is the sheet's namespace prefix (`b""` or `b"x:"`); `max_row` and
    `max_col` the limits under which a block may go to calamine untouched;
    `check` refuses an extent over the limits.
    """

    def __init__(self, ns: bytes, max_row: int, max_col: int, check: ExtentCheck):
        self.ns = ns
        self.max_row = max_row
        self.max_col = max_col
        self.check = check
        self.width = 1  # the widest column seen so far (1-based)
        self.last_row = 0  # the row number a row without `r` follows
        ns_re = re.escape(ns)
        self._row_tag = re.compile(b"<" + ns_re + rb'row\s[^>]*?\br="([0-9]{1,7})"')
        self._row_open = b"<" + ns + b"row"
        self._cell_prefix = (rb"<(?:\w+:)?c" if ns else b"<c") + rb"(?=[\s>/])"

    def pieces(self, body: bytes) -> Iterator[bytes]:
        if self._fits(body):
            yield body
        elif not _CONTENT.search(body):  # only empty rows and styled empty cells: nothing to place
            self._follow_rows(body)
        else:
            yield from self._rewritten(body)

    # -- fast path -----------------------------------------------------------------

    def _fits(self, body: bytes) -> bool:
        """Whether every cell of `body` provably lies in a small rectangle within the limits."""
        first = self._row_tag.search(body)
        last_at = body.rfind(self._row_open)
        last = self._row_tag.match(body, last_at) if last_at >= 0 else None
        if first is None or last is None or (not self.ns and _FOREIGN_CELL.search(body)):
            return False
        low, high = int(first.group(1)), int(last.group(1))
        if not 0 < low <= high <= self.max_row:
            return False
        width = max(self.width, self._first_row_width(body, first.end()))
        rows = _number_range(low, high)
        at = 0
        for _ in range(_MAX_WIDEN):
            if width > self.max_col or (high - low + 1) * width > len(body) // 2 + _SLACK_CELLS:
                return False
            stray = _stray_cell(self._cell_prefix, column_letters(width).encode(), rows).search(body, at)
            if stray is None:
                self.width, self.last_row = width, high
                return True
            ref = _CELL_REF.match(body, stray.start())
            if ref is None or not low <= int(ref.group(2)) <= high:
                return False
            width, at = column_number(ref.group(1)), stray.start()
        return False

    def _first_row_width(self, body: bytes, start: int) -> int:
        end = body.find(b"</" + self.ns + b"row>", start)
        at = body.rfind(b"<" + self.ns + b'c r="', start, end if end >= 0 else len(body))
        ref = _CELL_REF.match(body, at) if at >= 0 else None
        return column_number(ref.group(1)) if ref else 1

    def _follow_rows(self, body: bytes) -> None:
        """Keep the row count of a block that holds nothing (rows without `r` follow it)."""
        last_at = body.rfind(self._row_open)
        last = self._row_tag.match(body, last_at) if last_at >= 0 else None
        if last is not None:
            self.last_row = int(last.group(1))
            return
        for attrs, _ in _elements(body, _ROW_OPEN, b"row"):
            self.last_row = _row_number(attrs, self.last_row)

    # -- rewriting ------------------------------------------------------------------

    def _rewritten(self, body: bytes) -> Iterator[bytes]:
        cells = self._placed_cells(body)
        if not cells:
            return
        far_row = max(cells, key=lambda c: c[0])
        far_col = max(cells, key=lambda c: c[1])
        for row, col, *_ in (far_row, far_col):
            self.check(row, col, cell_address(row, col))
        self.width = max(self.width, far_col[1])
        cells.sort(key=lambda c: (c[0], c[1]))
        yield from _dense_pieces(cells, self.ns)

    def _placed_cells(self, body: bytes) -> list[tuple[int, int, bytes, bytes]]:
        """(row, column, other attributes, content) of each cell that holds something."""
        cells = []
        for attrs, content in _elements(body, _ROW_OPEN, b"row"):
            self.last_row = row_no = _row_number(attrs, self.last_row)
            col = 0
            for cell_attrs, cell_content in _elements(content, _CELL_OPEN, b"c"):
                ref = _R_ATTR.search(cell_attrs)
                place = _REF.match(ref.group(1) or ref.group(2) or b"") if ref else None
                cell_row = row_no
                if place:
                    col, cell_row = column_number(place.group(1)), int(place.group(2))
                else:
                    col += 1
                if cell_content and _CONTENT.search(cell_content) and cell_row > 0:
                    cells.append((cell_row, col, _R_ATTR.sub(b"", cell_attrs), cell_content))
        return cells


def _elements(xml: bytes, opening: re.Pattern, local: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(attributes, content) of each element `opening` finds; its end is found by `bytes.find`
    (a lazy regex over the content steps through it character by character)."""
    at = 0
    while found := opening.search(xml, at):
        if found.group(3):  # self-closing
            at = found.end()
            yield found.group(2), b""
            continue
        end = xml.find(b"</" + found.group(1) + local + b">", found.end())
        if end < 0:
            return
        yield found.group(2), xml[found.end():end]
        at = end


def _row_number(attrs: bytes, previous: int) -> int:
    ref = _R_ATTR.search(attrs)
    text = (ref.group(1) or ref.group(2) or b"").strip() if ref else b""
    return int(text) if text.isdigit() and len(text) <= 7 else previous + 1


def _dense_pieces(cells: list[tuple[int, int, bytes, bytes]], ns: bytes) -> Iterator[bytes]:
    """Numbered rows of `cells` (sorted), cut so that each piece's rectangle stays small."""
    rows: list[bytes] = []
    size = 0
    low = high = left = right = 0
    for row_no, group in _by_row(cells):
        xml = _row_xml(row_no, group, ns)
        first, last = group[0][1], group[-1][1]
        if rows:
            area = (row_no - low + 1) * (max(right, last) - min(left, first) + 1)
            if area > (size + len(xml)) // 2 + _SLACK_CELLS:
                yield b"".join(rows)
                rows, size = [], 0
        if not rows:
            low, left, right = row_no, first, last
        rows.append(xml)
        size += len(xml)
        high, left, right = row_no, min(left, first), max(right, last)
    if rows:
        yield b"".join(rows)


def _by_row(cells):
    start = 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or cells[i][0] != cells[start][0]:
            yield cells[start][0], cells[start:i]
            start = i


def _row_xml(row_no: int, cells, ns: bytes) -> bytes:
    parts = [b'<%srow r="%d">' % (ns, row_no)]
    for _, col, attrs, content in cells:
        parts.append(b'<%sc r="%s%d"%s>%s</%sc>' % (ns, column_letters(col).encode(), row_no, attrs, content, ns))
    parts.append(b"</%srow>" % ns)
    return b"".join(parts)


@functools.lru_cache(maxsize=256)
def _stray_cell(cell_prefix: bytes, widest: bytes, rows: bytes) -> re.Pattern:
    """A cell tag that is not `r="<column up to widest><row in rows>"`, `r` first."""
    return re.compile(cell_prefix + rb'(?!\sr="(?:' + _letters_up_to(widest) + rb')(?:' + rows + rb')")')


def _letters_up_to(widest: bytes) -> bytes:
    """Column letters from A up to `widest` (shorter ones first), as a regex alternation."""
    parts = [rb"[A-Z]{1,%d}" % (len(widest) - 1)] if len(widest) > 1 else []
    for i, letter in enumerate(widest):
        rest = rb"[A-Z]" * (len(widest) - i - 1)
        if i == len(widest) - 1:
            parts.append(widest[:i] + b"[A-" + bytes([letter]) + b"]")
        elif letter > ord("A"):
            parts.append(widest[:i] + b"[A-" + bytes([letter - 1]) + b"]" + rest)
    return b"|".join(parts)


@functools.lru_cache(maxsize=256)
def _number_range(low: int, high: int) -> bytes:
    """Decimal numbers from `low` to `high` (no leading zeros) as a regex alternation."""
    spans: list[tuple[bytes, int, int, int]] = []  # (prefix, first digit, last digit, free digits after)
    n = low
    while n <= high:
        k = 0
        while n % 10 ** (k + 1) == 0 and n + 10 ** (k + 1) - 1 <= high:
            k += 1
        text = str(n).encode()
        head, digit = text[:len(text) - k - 1], text[len(text) - k - 1]
        last = spans[-1] if spans else None
        if last and last[0] == head and last[3] == k and last[2] + 1 == digit:
            spans[-1] = (head, last[1], digit, k)
        else:
            spans.append((head, digit, digit, k))
        n += 10 ** k
    parts = []
    for head, first, last, k in spans:
        middle = bytes([first]) if first == last else b"[" + bytes([first]) + b"-" + bytes([last]) + b"]"
        parts.append(head + middle + b"[0-9]" * k)
    return b"|".join(reversed(parts))  # longer numbers first: no branch stops at a prefix
