"""Reading a worksheet in row blocks, so memory follows the block, not the sheet.

calamine reads a whole sheet into one range of about 100 bytes a cell before
any row reaches Python: 110 MB for 50,000 rows × 22 columns of a 7 MB file.
Here the sheet's XML is inflated as a stream and cut after a `</row>` about
every `BLOCK_BYTES`; each block becomes a one-sheet workbook (stored, not
compressed) with the original styles, which calamine reads as usual. Values,
dates and row numbers come out as from the whole sheet (the rows keep their
`r` references). On the 50,000-project workbook it costs about as much CPU
as one whole read (1.25 s against 1.22 s), and the peak is a block's (~10 MB).

Shared strings (how Excel stores text) are read once per workbook, not once
per block: a 50,000-project workbook saved by Excel has a 4 MB table that
calamine would otherwise parse again for each of its 34 blocks (1.4 s, and
its parsed copy in memory each time). A block's shared-string cells are
handed to calamine as marked text holding their index, and the marks are
replaced by the strings afterwards; see `_SharedStrings`.

Before calamine sees a block, `cell_extent` places its cells: a sheet that
goes past the limits is refused, naming its furthest cell, and a sparse block
(a stray cell far below or to the right, rows without `r`) is rewritten into
dense numbered pieces, so a far cell costs its own piece, not the rectangle up
to it. A sheet in UTF-16 is re-encoded as UTF-8 first.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import python_calamine as calamine

from ksmart.ingest.cell_extent import BlockPlanner, ExtentCheck
from ksmart.ingest.xlsx_safety import FORMULA_TAG, has_formula_tag

_EXCEL_ROWS, _EXCEL_COLUMNS = 1_048_576, 16_384

BLOCK_BYTES = 1024 * 1024  # of sheet XML: ~15,000 cells, ~10 MB at the peak of a block
_READ_BYTES = 256 * 1024

_SHEET_DATA = re.compile(rb"<((?:\w+:)?)sheetData\b[^>]*?(/?)>")
_ROOT = re.compile(rb"<((?:\w+:)?worksheet)\b")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")  # a block's extent is its own

# The members calamine looks for by name (case-insensitively), copied into each block's workbook.
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"

_NS_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = b"http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _NS_PKG_REL + b'">'
    b'<Relationship Id="rId1" Type="' + _NS_REL + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + _NS_MAIN + b'" xmlns:r="' + _NS_REL + b'">'
    b'<workbookPr date1904="%d"/><sheets><sheet name="block" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _NS_PKG_REL + b'">'
    b'<Relationship Id="rId1" Type="' + _NS_REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="' + _NS_REL + b'/styles" Target="styles.xml"/>'
    b'<Relationship Id="rId3" Type="' + _NS_REL + b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


@dataclass
class Block:
    """Rows of a sheet: `rows[i]` is 0-based row `first_row + i`, its cells from column A."""

    first_row: int
    rows: list[list]
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based, no saved value


class SheetBlocks:
    """The row blocks of the worksheet members of one workbook."""

    def __init__(self, data: bytes, date1904: bool, block_bytes: int | None = None, *,
                 styles: str | None = None, shared_strings: str | None = None):
        """`styles` and `shared_strings` are the members the workbook's relationships name
        (the safety pass found them); without them, Excel's usual names are looked for."""
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.block_bytes = block_bytes or BLOCK_BYTES
        self.date1904 = date1904
        members = {name.replace("\\", "/").lower(): name for name in self.zip.namelist()}
        styles = styles or members.get(STYLES.lower())
        self.styles = {STYLES: self.zip.read(styles)} if styles else {}
        self.table_member = shared_strings or members.get(SHARED_STRINGS.lower())  # the shared strings, if any
        self._strings: _SharedStrings | None = None

    @functools.cached_property
    def with_table(self) -> dict[str, bytes]:
        """The members of a block that is read with the whole shared-strings table
        (read from the file when first needed: most workbooks never need it again)."""
        if self.table_member is None:
            return self.styles
        return {**self.styles, SHARED_STRINGS: self.zip.read(self.table_member)}

    def read(self, member: str, find_formulas: bool | None = None, check: ExtentCheck | None = None,
             max_row: int = _EXCEL_ROWS, max_col: int = _EXCEL_COLUMNS) -> Iterator[Block]:
        """The member's rows, block after block.

        No XML reaches calamine before its cells are placed (`cell_extent`): a
        block whose cells go past `max_row` or `max_col` is given to `check`
        (which refuses it), and a sparse one is cut into dense pieces. With
        `find_formulas` (None: wherever a piece holds a formula tag), each
        block also lists its formulas without a saved value.
        """
        with self.zip.open(member) as raw:
            stream = _utf8(raw)
            buffer, opening = _read_to_sheet_data(stream)
            if opening is None or opening.empty:
                return
            planner = BlockPlanner(opening.ns, max_row, max_col, check or _no_check)
            for body in self._bodies(stream, buffer, opening):
                for piece in planner.pieces(body):
                    block = self._parse_block(opening.prefix, piece, opening.closing, opening.value_tag)
                    if block is not None:
                        if find_formulas or (find_formulas is None and has_formula_tag(piece)):
                            block.formula_cells = formulas_without_value(piece)
                        yield block

    def _bodies(self, stream, buffer: bytes, opening: "_Opening") -> Iterator[bytes]:
        """The rows' XML, cut after a `</row>` once a block's worth has been read.

        A block's worth is read first and joined once, then searched once: growing
        the buffer read by read copied and searched each block two or three times.
        """
        while True:
            chunks, size = [buffer], len(buffer)
            while size < self.block_bytes and (more := stream.read(_READ_BYTES)):
                chunks.append(more)
                size += len(more)
            buffer = b"".join(chunks)
            end = buffer.find(opening.end_tag)
            if end >= 0:
                yield buffer[:end]
                return
            cut = buffer.rfind(opening.row_end) if size >= self.block_bytes else -1
            if cut >= 0:
                cut += len(opening.row_end)
                yield buffer[:cut]
                buffer = buffer[cut:]
                continue
            more = stream.read(_READ_BYTES)  # a row longer than a block, or the end of the member
            if not more:  # no </sheetData>: broken XML, which calamine reports
                yield buffer
                return
            buffer += more

    def _parse_block(self, head: bytes, body: bytes, tail: bytes, value_tag: bytes) -> Block | None:
        """The block's rows, its shared strings resolved from the workbook's table read once.

        Whenever that is not sure to give calamine's own reading (a shared-string
        cell written in another form, a text that looks like a mark), the block
        is read with the whole table instead: slower, the same values.
        """
        if value_tag and self.table_member is not None:
            strings = self._shared_strings()
            marked = strings.mark(body, value_tag)
            if marked is not None:
                try:
                    return strings.resolve(self._parse(head, marked.xml, tail, self.styles), marked.count)
                except (calamine.CalamineError, _NotResolved):
                    pass
        return self._parse(head, body, tail, self.with_table)

    def _shared_strings(self) -> "_SharedStrings":
        if self._strings is None:
            self._strings = _SharedStrings.read(self._parse, self.with_table)
            self.__dict__.pop("with_table")  # the table's bytes: read again only if a block needs them
        return self._strings

    def _parse(self, head: bytes, body: bytes, tail: bytes, members: dict[str, bytes]) -> Block | None:
        """calamine's reading of the sheet XML `head + body + tail`, alone in a workbook with `members`."""
        book = io.BytesIO()
        with zipfile.ZipFile(book, "w", zipfile.ZIP_STORED) as out:
            out.writestr("[Content_Types].xml", _CONTENT_TYPES)
            out.writestr("_rels/.rels", _ROOT_RELS)
            out.writestr("xl/workbook.xml", _WORKBOOK % int(self.date1904))
            out.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
            for name, content in members.items():
                out.writestr(name, content)
            with out.open("xl/worksheets/sheet1.xml", "w") as sheet_xml:  # no joined copy of the rows
                for piece in (head, body, tail):
                    sheet_xml.write(piece)
        book.seek(0)
        sheet = calamine.CalamineWorkbook.from_object(book).get_sheet_by_index(0)
        if sheet.start is None:
            return None
        first_row, first_col = sheet.start
        rows = sheet.to_python(skip_empty_area=True)
        if first_col:
            rows = [[""] * first_col + row for row in rows]
        return Block(first_row, rows)


@dataclass(frozen=True)
class _Opening:
    """What each block's XML needs around its rows."""

    ns: bytes  # the sheet's namespace prefix, b"" or e.g. b"x:"
    prefix: bytes  # the sheet's XML up to `<sheetData>`, without `<dimension>`
    closing: bytes  # `</sheetData></worksheet>`, with the sheet's namespace prefixes
    end_tag: bytes  # `</sheetData>`
    row_end: bytes  # `</row>`
    value_tag: bytes  # `<v>`
    empty: bool  # `<sheetData/>`


def _read_to_sheet_data(stream) -> tuple[bytes, _Opening | None]:
    """The bytes after `<sheetData>` read so far and the opening; None (and every
    byte read) when the XML is not UTF-8 or has no recognisable sheetData."""
    buffer = b""
    while True:
        found = _SHEET_DATA.search(buffer)
        if found:
            break
        more = stream.read(_READ_BYTES)
        if not more:
            return buffer, None
        buffer += more
    head = buffer[:found.start()]
    root = _ROOT.search(head)
    if root is None:
        return buffer, None
    ns = found.group(1)
    opening = _Opening(ns=ns, prefix=_DIMENSION.sub(b"", head) + b"<" + ns + b"sheetData>",
                       closing=b"</" + ns + b"sheetData></" + root.group(1) + b">",
                       end_tag=b"</" + ns + b"sheetData>", row_end=b"</" + ns + b"row>",
                       value_tag=b"<" + ns + b"v>", empty=found.group(2) == b"/")
    return buffer[found.end():], opening


def _no_check(last_row: int, last_col: int, cell: str) -> None:
    """No limits beyond Excel's own (the pieces stay dense all the same)."""


_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")


def _utf8(stream):
    """The member as UTF-8: a UTF-16 part (legal in OPC, rare) is re-encoded whole, its declaration
    made to say so, so the byte patterns here and calamine read it alike."""
    head = stream.read(2)
    if head not in (b"\xff\xfe", b"\xfe\xff"):
        return _Prefixed(head, stream)
    text = (head + stream.read()).decode("utf-16", errors="replace").encode("utf-8")
    return io.BytesIO(_DECLARED_ENCODING.sub(rb"\1UTF-8\2", text, count=1))


class _Prefixed:
    """A stream whose first bytes were read already."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def read(self, n: int = -1) -> bytes:
        head, self.head = self.head, b""
        if n < 0:
            return head + self.stream.read()
        return head + self.stream.read(max(0, n - len(head)))


# --- shared strings -----------------------------------------------------------------

_MARK = "\x1f"  # marks a shared-string index in a block's text (ASCII: compact keys; not an XML 1.0 character)
_MARK_BYTES = _MARK.encode("utf-8")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s/>]")


class _NotResolved(Exception):
    """The marks of a block cannot all be taken for shared-string indexes."""


@dataclass(frozen=True)
class _Marked:
    xml: bytes
    count: int  # shared-string cells marked


class _SharedStrings:
    """The workbook's shared strings, as calamine reads them, and the block marks that stand for them.

    A shared-string cell as Excel and other writers write it, `t="s"><v>12</v>`,
    becomes `t="str"><v>\x1f12</v>` in the block: calamine reads it as the
    text "\x1f12" without needing the table, and `resolve` puts string 12 in
    its place. The mark is a control character that XML 1.0 does not allow in
    a file, so a block holding one itself is read with the table instead. The
    table is read by calamine once, through a one-row sheet that names every
    index, so rich text, phonetic runs and escapes come out as in a whole read.
    """

    def __init__(self, strings: list[str]):
        self.by_mark = {_MARK + str(i): text for i, text in enumerate(strings)}

    @classmethod
    def read(cls, parse: Callable[[bytes, bytes, bytes, dict[str, bytes]], Block | None],
             members: dict[str, bytes]) -> "_SharedStrings":
        """The table in `members`, read by `parse` (calamine's reading of a sheet among `members`)."""
        count = len(_STRING_ITEM.findall(members[SHARED_STRINGS]))
        # One row naming every index (cells without `r` follow each other): a row per index parses 2 × slower.
        row = b'<row r="1">' + b"".join(b'<c t="s"><v>%d</v></c>' % i for i in range(count)) + b"</row>"
        head = b'<worksheet xmlns="' + _NS_MAIN + b'"><sheetData>'
        try:
            block = parse(head, row, b"</sheetData></worksheet>", members)
        except calamine.CalamineError:  # a table calamine counts otherwise: every block gets the whole table
            return cls([])
        strings = [] if block is None else block.rows[0]  # padded from column A by `_parse`
        return cls(strings + [""] * (count - len(strings)))

    def mark(self, body: bytes, value_tag: bytes) -> _Marked | None:
        """The block with its shared-string cells marked; None when its own text holds the mark."""
        if not self.by_mark or _MARK_BYTES in body:
            return None
        written = b't="s">' + value_tag
        count = body.count(written)
        return _Marked(body.replace(written, b't="str">' + value_tag + _MARK_BYTES), count)

    def resolve(self, block: Block | None, marked: int) -> Block | None:
        """The block with each mark replaced by its string; `_NotResolved` unless
        exactly the marked cells come back as marks of known indexes.

        The marks are looked up whole (a C-level map over each row, no Python
        step per cell): a mark in another spelling ("\x1f007") is not found,
        leaves the count short and sends the block to the whole table.
        """
        if block is None or not marked:
            if marked:
                raise _NotResolved(f"0 of {marked} marked cells")
            return block
        by_mark = self.by_mark
        found = sum(map(by_mark.__contains__, itertools.chain.from_iterable(block.rows)))
        for row in block.rows:
            row[:] = map(by_mark.get, row, row)
        if found != marked:
            raise _NotResolved(f"{found} of {marked} marked cells")
        return block


# --- formulas without a saved value ------------------------------------------------
# calamine returns "" for them, the same as an empty cell, so they are found in
# the sheet XML.

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>")


def formulas_without_value(xml: bytes) -> set[tuple[int, int]]:
    """Cells of the rows' XML that hold a formula but no saved value: (row, col), 0-based."""
    found = set()
    for match in _CELL.finditer(xml):
        body = match.group(2) or b""
        if FORMULA_TAG.search(body) and not _VALUE.search(body):
            ref_match = _REF.search(match.group(1))
            if ref_match:
                found.add((int(ref_match.group(2)) - 1, _column_index(ref_match.group(1))))
    return found


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1
