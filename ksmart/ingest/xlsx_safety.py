"""Whole-file safety checks on an uploaded .xlsx, before any spreadsheet parser sees it.

`check_xlsx(data)` either returns what it learnt on the way (`XlsxInfo`: sheet
names, the 1904 date system, sheet dimensions) or raises
`ksmart.errors.FileRejected` with one stable code:

    too_large           the upload itself is over the byte limit (checked first)
    empty_file          0 bytes
    encrypted           OLE2 container with an EncryptedPackage stream (a
                        password-protected .xlsx), or ZIP-level encryption
    not_xlsx            not a ZIP by its signature (.xls, .csv, .pdf, HTML… renamed)
    truncated           a ZIP signature, but the archive or an XML part is broken
    unzipped_too_large  decompressed content over the limit (declared or real)
    zip_ratio           decompressed / file size over the limit (zip bomb)
    not_workbook        a valid ZIP that is not an .xlsx (.docx, .pptx, .xlsb, plain .zip)
    macro_enabled       vbaProject.bin, macro sheets or a macroEnabled content type
    xml_entities        a part whose XML prolog declares a DOCTYPE (entity bomb)
    too_many_rows       a worksheet's last row is over max_rows + header allowance
    too_many_columns    a worksheet's last column is over max_columns

Cheap checks on the raw bytes and the ZIP central directory come first. Then
every member is inflated once, in bounded chunks, by our own raw-deflate loop:
declared sizes in the central directory can lie, and Python's zipfile stops at
the declared size, so only counting the real output proves what a downstream
reader (calamine, openpyxl) would decompress. Nothing is parsed into a tree:
the small parts (content types, workbook, its relationships) go through a
streaming expat parser, worksheets through a byte scanner that reads the
`<dimension>` element or, when a writer leaves it out (openpyxl's write-only
mode does), counts rows and cell references chunk by chunk. On a 50,000 × 22
workbook (7 MB, 55 MB of XML) the whole check takes about 0.05 s with a
`<dimension>` and 0.18 s when the rows must be counted.
"""

from __future__ import annotations

import codecs
import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.parsers import expat

from ksmart import i18n, settings
from ksmart.errors import FileRejected
from ksmart.ingest.cell_extent import column_number

__all__ = ["FORMULA_TAG", "Limits", "XlsxInfo", "check_extent", "check_size", "has_formula_tag", "last_row_allowed", "check_xlsx"]

_MB = 1024 * 1024

# Title and header rows above the data: the pre-check works on last-row
# numbers, the exact data-row count is validation's job.
_HEADER_ROWS_ALLOWANCE = 30

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORKBOOK_PART = "xl/workbook.xml"  # where Excel puts it; the package relationships say where it really is
_ROOT_RELS = "_rels/.rels"
_CONTENT_TYPES = "[content_types].xml"
_OFFICE_DOCUMENT_SUFFIX = "/officedocument"
# The workbook's own `workbookPr` (transitional and strict OOXML); Excel 2013+ adds an
# `x15:workbookPr` in an extension, which says nothing about dates.
_MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "http://purl.oclc.org/ooxml/spreadsheetml/main")
# Other formats in a ZIP, told by the members they always have; each text says how to save as .xlsx.
_ZIP_FORMATS = (
    ("ods", "workbook_file.ods", ("content.xml", "meta-inf/manifest.xml")),
    ("numbers", "workbook_file.numbers", ("index/document.iwa",)),
    ("numbers", "workbook_file.numbers", ("index.zip",)),
)

_PROLOG_CAP = 64 * 1024
_IN_CHUNK = 64 * 1024
_OUT_CHUNK = _MB
_SNIFF = 4096

_MACRO_CONTENT_MARKERS = ("macroenabled", "vbaproject", "macrosheet")
_MACRO_PART_RE = re.compile(r"(^|/)vbaproject\.bin$|^xl/macrosheets/")
_WORKSHEET_NAME_RE = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_WORKSHEET_REL_SUFFIX = "/worksheet"

# zipfile reports a broken archive through several exception types.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
               struct.error, OverflowError, KeyError, IndexError, NotImplementedError)

@dataclass(frozen=True)
class Limits:
    """What one upload may weigh; defaults come from `ksmart.settings`."""

    max_bytes: int
    max_unzipped_bytes: int
    max_ratio: float
    max_rows: int
    max_columns: int

    @classmethod
    def from_settings(cls) -> "Limits":
        """Limits from the KSMART_MAX_* settings (MB = 1024 × 1024 bytes)."""
        return cls(
            max_bytes=int(settings.get("KSMART_MAX_UPLOAD_MB") * _MB),
            max_unzipped_bytes=int(settings.get("KSMART_MAX_UNZIPPED_MB") * _MB),
            max_ratio=float(settings.get("KSMART_MAX_ZIP_RATIO")),
            max_rows=int(settings.get("KSMART_MAX_ROWS")),
            max_columns=int(settings.get("KSMART_MAX_COLUMNS")),
        )


@dataclass(frozen=True)
class XlsxInfo:
    """What the safety pass learnt about a workbook it accepted.

    `dimensions` maps each worksheet's name to (last row, last column), from its
    `<dimension>` element or counted; chart sheets and sheets whose part is
    missing are left out.
    """

    sheet_names: list[str]
    date1904: bool
    dimensions: dict[str, tuple[int, int]]
    # Worksheet name -> its member in the zip, for those that hold formulas
    # (`<f>`): only these need a look for formulas without a saved value.
    formula_parts: dict[str, str] = field(default_factory=dict)
    # Worksheet name -> its member in the zip (as spelt there), for every
    # worksheet whose part was found: the block reader streams it.
    sheet_parts: dict[str, str] = field(default_factory=dict)
    # The workbook part and the parts it relates (as spelt in the zip), wherever OPC put them.
    workbook_part: str = field(default=_WORKBOOK_PART, compare=False)
    styles_part: str | None = field(default=None, compare=False)
    shared_strings_part: str | None = field(default=None, compare=False)


def check_xlsx(data: bytes, limits: Limits | None = None, *, count_rows: bool = True) -> XlsxInfo:
    """Accept a workbook's bytes or raise `FileRejected` saying why and what to do.

    With `count_rows` False, a worksheet without `<dimension>` is not counted
    row by row: the caller reads it in bounded blocks and holds each block to
    the same limits (`check_extent`), so counting first would only cost time
    (0.2 s for 50,000 rows). Such sheets are left out of `dimensions`.

    Raises:
        FileRejected: with one of the codes in the module docstring.
    """
    limits = limits or Limits.from_settings()
    _check_size(data, limits)
    _check_signature(data)
    parts = _zip_members(data)
    _check_declared_sizes(parts.values(), len(data), limits)
    _check_package(parts)
    return _WorkbookPass(data, parts, limits, count_rows).run()


def check_extent(sheet: str, last_row: int, last_col: int, limits: Limits, cell: str = "") -> None:
    """Refuse a worksheet that goes past the row or column limit; `cell`, when known, is the
    furthest cell that holds something, so the message can say where it is."""
    if last_row > last_row_allowed(limits):
        fields = dict(sheet=sheet, actual=last_row, limit=limits.max_rows, allowance=_HEADER_ROWS_ALLOWANCE)
        if cell:
            raise _reject_as("too_many_rows", "workbook_file.too_many_rows_cell", "cell", cell=cell, **fields)
        raise _reject("too_many_rows", **fields)
    if last_col > limits.max_columns:
        fields = dict(sheet=sheet, actual=last_col, limit=limits.max_columns)
        if cell:
            raise _reject_as("too_many_columns", "workbook_file.too_many_columns_cell", "cell", cell=cell, **fields)
        raise _reject("too_many_columns", **fields)


def last_row_allowed(limits: Limits) -> int:
    """The last row number a sheet may use: the data rows plus the title and header allowance."""
    return limits.max_rows + _HEADER_ROWS_ALLOWANCE


def _reject(code: str, variant: str = "", **fields) -> FileRejected:
    """Build the exception for `code` from the catalogue's `rejected.<code>[_<variant>]`
    texts; fields also go to `details`."""
    ko, en = i18n.pair(f"rejected.{code}" + (f"_{variant}" if variant else ""), **fields)
    return FileRejected(code, ko, en, variant=variant, **fields)


def _reject_as(code: str, key: str, variant: str = "", **fields) -> FileRejected:
    """Like `_reject`, with the text of catalogue key `key` (texts added after the `rejected` table)."""
    ko, en = i18n.pair(key, **fields)
    return FileRejected(code, ko, en, variant=variant, **fields)


def _size_pair(actual: float, limit: float) -> dict[str, str]:
    """`actual` and `limit` in MB with one decimal, finer only when they would read the same."""
    for decimals in (1, 2):
        shown = f"{actual / _MB:.{decimals}f} MB", f"{limit / _MB:.{decimals}f} MB"
        if shown[0] != shown[1]:
            return {"actual": shown[0], "limit": shown[1]}
    return {"actual": f"{actual:,.0f} B", "limit": f"{limit:,.0f} B"}


def _check_size(data: bytes, limits: Limits) -> None:
    """Size first: it costs nothing and bounds everything after it."""
    check_size(len(data), limits)


def check_size(size: int, limits: Limits) -> None:
    """Refuse a file by its size alone, e.g. a path before it is read into memory."""
    if size > limits.max_bytes:
        raise _reject("too_large", **_size_pair(size, limits.max_bytes))
    if size == 0:
        raise _reject("empty_file")


def _check_signature(data: bytes) -> None:
    """Judge the content, not the name: only a ZIP can be an .xlsx.

    A password-protected .xlsx is an OLE2 compound file holding an
    `EncryptedPackage` stream; its directory stores stream names in UTF-16LE,
    so finding those bytes is enough to tell it from a legacy .xls.
    """
    if data.startswith(_ZIP_MAGIC):
        return
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_PACKAGE in data or _ENCRYPTION_INFO in data:
            raise _reject("encrypted")
        if _encrypted_biff(data):
            raise _reject_as("encrypted", "workbook_file.encrypted_xls", "xls")
        raise _reject("not_xlsx", "ole2")
    if _XML_SPREADSHEET.search(data[:_SNIFF]):  # before the HTML sniff: its rows are `<Table>` too
        raise _reject_as("not_xlsx", "workbook_file.xml_spreadsheet", "xml_spreadsheet")
    raise _reject("not_xlsx", _sniff_kind(data[:_SNIFF]))


# A legacy .xls workbook stream starts with a BOF record of the workbook globals
# (type 0x0809, BIFF8, dt 0x0005); a password puts a FILEPASS record (0x002F) right after it.
_BIFF8_GLOBALS_BOF = re.compile(rb"\x09\x08[\x08\x10]\x00\x00\x06\x05\x00")
_FILEPASS = 0x002F
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_XML_SPREADSHEET = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet|progid\s*=\s*.Excel\.Sheet")


def _encrypted_biff(data: bytes) -> bool:
    """Whether a legacy .xls is password-protected: a FILEPASS record after its first globals BOF."""
    bof = _BIFF8_GLOBALS_BOF.search(data)
    if bof is None:
        return False
    length = struct.unpack_from("<H", data, bof.start() + 2)[0]
    after = bof.start() + 4 + length
    return len(data) >= after + 2 and struct.unpack_from("<H", data, after)[0] == _FILEPASS


def _sniff_kind(head: bytes) -> str:
    """Name the likely real format so the message can say how to fix it."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"%pdf"):
        return "pdf"
    if stripped.startswith((b"<!doctype html", b"<html")) or b"<table" in stripped:
        return "html"
    if stripped.startswith(b"<?xml"):
        return "html" if b"<html" in stripped else "xml"
    if b"\x00" not in head:
        return "text"
    return ""


def _zip_members(data: bytes) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by lower-cased name (OPC part names ignore case).

    Two members with one name are refused: readers disagree on which one
    counts, and the one not checked here could be a bomb.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = [info for info in zf.infolist() if not info.filename.endswith("/")]
    except _ZIP_ERRORS as exc:
        raise _reject("truncated", detail=_zip_error_detail(exc)) from exc
    parts = {}
    for info in infos:
        name = info.filename.replace("\\", "/")  # Excel on Windows has written backslashes
        if _climbs_out(name):
            raise _reject_as("unsafe_member", "workbook_file.climbs_out", member=info.filename[:200])
        parts[name.lower()] = info
    if len(parts) != len(infos):
        raise _reject("truncated", detail="two members share a name")
    return parts


def _climbs_out(name: str) -> bool:
    """An absolute path (`/x`, `C:x`) or one with a `..` step: a reader that unpacks it writes outside."""
    return name.startswith("/") or re.match(r"^[A-Za-z]:", name) is not None or ".." in name.split("/")


def _zip_error_detail(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _check_declared_sizes(infos: Iterable[zipfile.ZipInfo], file_size: int,
                          limits: Limits) -> None:
    """Refuse a bomb on the central directory's word, before inflating a byte."""
    infos = list(infos)
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unzipped_bytes:
        raise _reject("unzipped_too_large", **_size_pair(declared, limits.max_unzipped_bytes))
    for info in infos:
        if _over_ratio(info.file_size, info.compress_size, limits):
            raise _reject("zip_ratio", actual=f"{info.file_size / max(info.compress_size, 1):.0f}",
                          limit=f"{limits.max_ratio:g}")


# A part is judged by its ratio once it inflates past this: a few KB of repeated
# styles may well compress 2,000-fold and harm nobody.
_RATIO_FLOOR = _MB


def _over_ratio(inflated: int, compressed: int, limits: Limits) -> bool:
    """The spec's zip-bomb test, per part: inflated over `max_ratio` × its compressed bytes."""
    return inflated > _RATIO_FLOOR and inflated > limits.max_ratio * max(compressed, 1)


def _check_package(parts: dict[str, zipfile.ZipInfo]) -> None:
    """Decide from member names alone: encryption, another format in a ZIP, VBA."""
    if any(info.flag_bits & 0x1 for info in parts.values()):
        raise _reject("encrypted")
    for variant, key, members in _ZIP_FORMATS:
        if all(member in parts for member in members):
            raise _reject_as("not_workbook", key, variant)
    macro_part = next((name for name in parts if _MACRO_PART_RE.search(name)), None)
    if macro_part:
        raise _reject("macro_enabled", detail=macro_part)


class _Budget:
    """Real decompressed bytes so far, against the size cap; each part against the ratio cap."""

    def __init__(self, limits: Limits, file_size: int):
        self.limits = limits
        self.file_size = file_size
        self.used = 0

    def spend(self, n: int, part_used: int, part_compressed: int) -> None:
        self.used += n
        if self.used > self.limits.max_unzipped_bytes:
            raise _reject("unzipped_too_large", "real",
                          **_size_pair(self.used, self.limits.max_unzipped_bytes))
        if _over_ratio(part_used, part_compressed, self.limits):
            raise _reject("zip_ratio", "real", actual=f"{part_used / max(part_compressed, 1):.0f}",
                          limit=f"{self.limits.max_ratio:g}")


def _member_chunks(data: bytes, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """A member's real content in chunks of at most 1 MB, each paid for in `budget`.

    Raw deflate on the stored bytes rather than `zipfile.open`, which trusts the
    declared size and would hide a member that inflates to more than it says.
    """
    raw = _raw_member(data, info)
    if not raw:
        return
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = (bytes(raw[i:i + _OUT_CHUNK]) for i in range(0, len(raw), _OUT_CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflate(raw, info.filename)
    else:
        raise _reject("not_workbook", "compression", method=info.compress_type)
    part_used = 0
    for chunk in chunks:
        part_used += len(chunk)
        budget.spend(len(chunk), part_used, len(raw))
        yield chunk


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The member's compressed bytes, located through its local header."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or not header.startswith(_ZIP_MAGIC):
        raise _reject("truncated", detail=f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise _reject("truncated", detail=f"{info.filename}: data cut short")
    return memoryview(data)[start:end]


def _inflate(raw: memoryview, name: str) -> Iterator[bytes]:
    """Raw-deflate `raw` with bounded output per step, until the stream says it ends."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pos = 0
    try:
        while not inflater.eof:
            pending = inflater.unconsumed_tail
            if pending:
                piece = pending
            else:
                piece = raw[pos:pos + _IN_CHUNK]
                pos += len(piece)
            out = inflater.decompress(piece, _OUT_CHUNK)
            if not out and not piece:
                raise _reject("truncated", detail=f"{name}: compressed data ends early")
            if out:
                yield out
    except zlib.error as exc:
        raise _reject("truncated", detail=f"{name}: {exc}") from exc


def _guard_prolog(part: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Pass `chunks` through once the part's prolog is known to hold no DOCTYPE.

    An entity bomb needs a DOCTYPE, and xlsx never has one, so reading up to
    the first element start is enough; nothing downstream sees the part's
    bytes before that.
    """
    head: bytes | None = b""
    for chunk in chunks:
        if head is None:
            yield chunk
            continue
        head += chunk
        if _prolog_is_clean(part, head):
            yield head
            head = None
    if head:
        yield head


def _prolog_is_clean(part: str, head: bytes) -> bool:
    """True once an element (or non-markup) starts; False while more bytes are needed.

    Raises on a DOCTYPE or any other `<!` declaration that is not a comment,
    and on a prolog longer than `_PROLOG_CAP`.
    """
    text = _decode_prolog(head[:_PROLOG_CAP])
    i = 0
    while True:
        while i < len(text) and text[i] in "\ufeff \t\r\n":
            i += 1
        if i + 4 > len(text):
            break
        if text[i] != "<":
            return True
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            step = 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            step = 3
        elif text.startswith("<!", i):
            raise _reject("xml_entities", part=part)
        else:
            return True
        if end < 0:
            break
        i = end + step
    if len(head) >= _PROLOG_CAP:
        raise _reject("xml_entities", "long_prolog", part=part, limit=_PROLOG_CAP // 1024)
    return False


def _decode_prolog(head: bytes) -> str:
    """Decode enough of a part to read its prolog, UTF-8 or UTF-16 (both legal in OPC)."""
    encoding = _xml_encoding(head)
    return head.decode(encoding, errors="replace")


def _xml_encoding(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return "utf-16-le"
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return "utf-16-be"
    return "utf-8"


def _as_utf8(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Re-encode a UTF-16 part as UTF-8 so byte patterns can scan it; UTF-8 passes as is."""
    chunks = iter(chunks)
    first = next(chunks, b"")
    encoding = _xml_encoding(first)
    if encoding == "utf-8":
        yield first
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for chunk in itertools.chain([first], chunks):
        yield decoder.decode(chunk).encode("utf-8")


def _parse_xml(part: str, chunks: Iterable[bytes], on_start: Callable[[str, dict], None],
               on_end: Callable[[str], None] | None = None) -> None:
    """Stream a small part through expat, calling `on_start(local_name, attrs)`.

    No tree is built. DOCTYPE and entity declarations are refused here too,
    in case a prolog slipped past `_guard_prolog`.
    """
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_):
        raise _reject("xml_entities", part=part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if on_end is None:
        parser.StartElementHandler = lambda name, attrs: on_start(name.rpartition(" ")[2], attrs)
    else:  # the caller wants the namespace too, and the depth
        parser.StartElementHandler = on_start
        parser.EndElementHandler = on_end
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, LookupError) as exc:
        raise _reject("truncated", detail=f"{part}: {exc}") from exc


_SHEETDATA_RE = re.compile(rb"<([\w.-]+:)?sheetData(?=[\s/>])[^>]*>")
_REF_RE = re.compile(rb"([A-Za-z]{1,7})([0-9]{1,9})")
_TAG_BOUNDARY = frozenset(b" \t\r\n/>")
_HEAD_KEEP = 4096


class _SheetScanner:
    """Last row and column of a worksheet part, fed in chunks, without a tree.

    The `<dimension>` element before `<sheetData>` answers at once. Without it,
    rows are found by tag, and a row's extent by its last cell's reference
    (one reverse search per row, not a Python step per cell, so 1.1 million
    cells stay cheap); rows and cells without an `r` attribute follow their
    predecessor, as the format says. With `count_rows` False, a sheet without
    `<dimension>` is left uncounted (`counted` False).
    """

    def __init__(self, count_rows: bool = True):
        self.count_rows = count_rows
        self.counted = True
        self._buf = b""
        self._state = "head"
        self.last_row = 0
        self.last_col = 0
        self._row = 0
        self._col = 0

    @property
    def done(self) -> bool:
        return self._state == "done"

    def feed(self, chunk: bytes) -> None:
        if self._state == "head":
            self._feed_head(chunk)
        elif self._state == "rows":
            self._feed_rows(chunk)

    def _feed_head(self, chunk: bytes) -> None:
        buf = self._buf + chunk
        sheet_data = _SHEETDATA_RE.search(buf)
        if sheet_data and not self.count_rows:
            self.counted = False
            self._finish()
        elif sheet_data:
            self._start_rows(sheet_data, buf)
        else:
            self._buf = buf[-_HEAD_KEEP:]

    def _start_rows(self, sheet_data: re.Match, buf: bytes) -> None:
        if sheet_data.group(0).rstrip(b" \t\r\n>").endswith(b"/"):
            self._finish()
            return
        prefix = sheet_data.group(1) or b""
        tag = re.escape(prefix)
        ref = rb"""(?:[^>]*?\sr\s*=\s*["']\s*(%s))?[^>]*>"""
        self._row_re = re.compile(b"<" + tag + rb"row(?=[\s/>])" + ref % rb"[0-9]{1,9}")
        self._cell_re = re.compile(b"<" + tag + rb"c(?=[\s/>])" + ref % rb"[A-Za-z]{1,7}")
        self._cell_open = b"<" + prefix + b"c"
        self._end_tag = b"</" + prefix + b"sheetData"
        self._state = "rows"
        self._buf = b""
        self._feed_rows(buf[sheet_data.end():])

    def _feed_rows(self, chunk: bytes) -> None:
        buf = self._buf + chunk
        lt, gt = buf.rfind(b"<"), buf.rfind(b">")
        cut = lt if lt > gt else len(buf)
        end = buf.find(self._end_tag, 0, cut)
        if end >= 0:
            cut = end
        self._scan_rows(buf, cut)
        if end >= 0:
            self._finish()
        else:
            self._buf = buf[cut:]

    def _scan_rows(self, buf: bytes, end: int) -> None:
        pos = 0
        for row in self._row_re.finditer(buf, 0, end):
            self._scan_cells(buf, pos, row.start())
            number = row.group(1)
            self._row = int(number) if number else self._row + 1
            self._col = 0
            if self._row > self.last_row:
                self.last_row = self._row
            pos = row.end()
        self._scan_cells(buf, pos, end)

    def _scan_cells(self, buf: bytes, start: int, end: int) -> None:
        """Move to the segment's last cell: its reference if it has one, else count."""
        at = self._last_cell(buf, start, end)
        if at < 0:
            return
        cell = self._cell_re.match(buf, at, end)
        if cell and cell.group(1):
            self._col = column_number(cell.group(1).upper())
        else:
            for cell in self._cell_re.finditer(buf, start, end):
                letters = cell.group(1)
                self._col = column_number(letters.upper()) if letters else self._col + 1
        if self._col > self.last_col:
            self.last_col = self._col

    def _last_cell(self, buf: bytes, start: int, end: int) -> int:
        width = len(self._cell_open)
        at = buf.rfind(self._cell_open, start, end)
        while at >= 0 and (at + width >= end or buf[at + width] not in _TAG_BOUNDARY):
            at = buf.rfind(self._cell_open, start, at)
        return at

    def _finish(self) -> None:
        self._state = "done"
        self._buf = b""


class _WorkbookPass:
    """One pass over the members: small parts parsed, sheets measured, all inflated."""

    def __init__(self, data: bytes, parts: dict[str, zipfile.ZipInfo], limits: Limits, count_rows: bool = True):
        self.data = data
        self.parts = parts
        self.limits = limits
        self.budget = _Budget(limits, len(data))
        self.count_rows = count_rows
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False
        self.sheet_parts: dict[str, str] = {}
        self.parts_with_formulas: set[str] = set()
        self.related: dict[str, str] = {}  # relationship kind ("styles", "sharedstrings") -> part
        self.done: set[str] = set()  # parts inflated already

    def run(self) -> XlsxInfo:
        self._read_content_types()
        workbook = self._find_workbook()
        self._read_workbook(workbook)
        self._read_workbook_rels(workbook)
        extents = self._scan_members()
        names = [name for name, _ in self.sheets]
        part_of = {name: part for part, name in self.sheet_parts.items()}
        dimensions = {name: extents[part_of[name]] for name in names
                      if part_of.get(name) in extents}
        formula_parts = {name: self.parts[part_of[name]].filename for name in names
                         if part_of.get(name) in self.parts_with_formulas}
        sheet_parts = {name: self.parts[part_of[name]].filename for name in names if part_of.get(name) in self.parts}
        return XlsxInfo(sheet_names=names, date1904=self.date1904, dimensions=dimensions,
                        formula_parts=formula_parts, sheet_parts=sheet_parts,
                        workbook_part=self.parts[workbook].filename,
                        styles_part=self._member(self.related.get("styles")),
                        shared_strings_part=self._member(self.related.get("sharedstrings")))

    def _member(self, part: str | None) -> str | None:
        return self.parts[part].filename if part in self.parts else None

    def _chunks(self, part: str) -> Iterator[bytes]:
        info = self.parts[part]
        self.done.add(part)
        return _guard_prolog(info.filename, _member_chunks(self.data, info, self.budget))

    def _read_content_types(self) -> None:
        """A macroEnabled main content type is what makes a renamed .xlsm an .xlsm."""
        if _CONTENT_TYPES not in self.parts:
            return

        def on_start(_name, attrs):
            content_type = attrs.get("ContentType", "").lower()
            if any(marker in content_type for marker in _MACRO_CONTENT_MARKERS):
                raise _reject("macro_enabled", detail=attrs["ContentType"])

        _parse_xml("[Content_Types].xml", self._chunks(_CONTENT_TYPES), on_start)

    def _find_workbook(self) -> str:
        """The workbook part, as OPC says: the package relationships' officeDocument target
        (Excel's `xl/workbook.xml` when a package has no relationships)."""
        targets = self._relationships(_ROOT_RELS, "")
        workbook = next((target for kind, target in targets if kind.endswith(_OFFICE_DOCUMENT_SUFFIX)), None)
        if workbook is None and _WORKBOOK_PART in self.parts:
            workbook = _WORKBOOK_PART
        if workbook is None or workbook not in self.parts:
            binary = (workbook or "").endswith(".bin") or "xl/workbook.bin" in self.parts
            raise _reject("not_workbook", "xlsb" if binary else "")
        if workbook.endswith(".bin"):
            raise _reject("not_workbook", "xlsb")
        return workbook

    def _relationships(self, rels_part: str, base: str) -> list[tuple[str, str]]:
        """(lower-cased type, part name) of each internal relationship in `rels_part`,
        targets resolved from the folder `base`."""
        if rels_part not in self.parts:
            return []
        found: list[tuple[str, str]] = []

        def on_start(name, attrs):
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                found.append((attrs.get("Type", "").lower(), _resolve_target(attrs.get("Target", ""), base)))

        _parse_xml(self.parts[rels_part].filename, self._chunks(rels_part), on_start)
        return found

    def _read_workbook(self, workbook: str) -> None:
        depth = 0

        def on_start(name, attrs):
            nonlocal depth
            depth += 1
            namespace, _, local = name.rpartition(" ")
            if local == "sheet":
                rel_id = next((v for k, v in attrs.items() if k.endswith(" id")), "")
                self.sheets.append((attrs.get("name", ""), rel_id))
            elif local == "workbookPr" and depth == 2 and namespace in _MAIN_NAMESPACES:
                self.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true", "on")

        def on_end(_name):
            nonlocal depth
            depth -= 1

        _parse_xml(self.parts[workbook].filename, self._chunks(workbook), on_start, on_end)
        if not self.sheets:
            raise _reject("not_workbook", "no_sheets")

    def _read_workbook_rels(self, workbook: str) -> None:
        """Map each sheet to its part (so its extent is reported under its name), and find
        the styles and shared strings, wherever the workbook's relationships put them."""
        folder, _, file_name = workbook.rpartition("/")
        rels = posixpath.join(folder, "_rels", file_name + ".rels")
        targets: dict[str, str] = {}
        by_id: dict[str, tuple[str, str]] = {}

        def on_start(name, attrs):
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                kind = attrs.get("Type", "").lower()
                by_id[attrs.get("Id", "")] = kind, _resolve_target(attrs.get("Target", ""), folder)

        if rels in self.parts:
            _parse_xml(self.parts[rels].filename, self._chunks(rels), on_start)
        for rel_id, (kind, target) in by_id.items():
            if kind.endswith(_WORKSHEET_REL_SUFFIX):
                targets[rel_id] = target
            else:
                self.related.setdefault(kind.rpartition("/")[2], target)
        self.sheet_parts = {targets[rel_id]: name for name, rel_id in self.sheets
                            if rel_id in targets}

    def _scan_members(self) -> dict[str, tuple[int, int]]:
        """Inflate every other member once; measure worksheets on the way (with `count_rows`;
        without it, worksheets are left to the block reader, which inflates only those it reads
        and places their cells before calamine sees them)."""
        extents = {}
        for part in self.parts:
            if part in self.done:
                continue
            if part in self.sheet_parts or _WORKSHEET_NAME_RE.match(part):
                if not self.count_rows:
                    continue
                extent = self._measure_sheet(part)
                if extent is not None:
                    extents[part] = extent
            else:
                for _ in self._chunks(part):
                    pass
        return extents

    def _measure_sheet(self, part: str) -> tuple[int, int] | None:
        scanner = _SheetScanner(self.count_rows)
        tail = b""
        for chunk in _as_utf8(self._chunks(part)):
            if not scanner.done:
                scanner.feed(chunk)
                self._check_extent(part, scanner.last_row, scanner.last_col)
            if part not in self.parts_with_formulas:
                if has_formula_tag(tail + chunk):
                    self.parts_with_formulas.add(part)
                tail = chunk[-3:]
        return (scanner.last_row, scanner.last_col) if scanner.counted else None

    def _check_extent(self, part: str, last_row: int, last_col: int) -> None:
        check_extent(self.sheet_parts.get(part, self.parts[part].filename), last_row, last_col, self.limits)


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")  # a formula, `<f…>` or with a prefix, `<x:f…>`
_PLAIN_FORMULA_TAG = re.compile(rb"<f[ >/]")
_PREFIXED_FORMULA_HINT = re.compile(rb":f[ >/]")


def has_formula_tag(data: bytes) -> bool:
    """Whether `data` holds a formula tag, `<f…>` or with a prefix, `<x:f…>`.

    Why not `FORMULA_TAG.search` alone: its pattern starts with a bare "<",
    which the regex engine tries at every tag (two million in a 50,000-row
    sheet: 0.23 s); patterns that start with a two-byte literal are found by
    a fast scan (0.06 s for both), and a prefixed candidate is confirmed by
    the full pattern. Same answer either way.
    """
    if _PLAIN_FORMULA_TAG.search(data):
        return True
    return bool(_PREFIXED_FORMULA_HINT.search(data) and FORMULA_TAG.search(data))


def _resolve_target(target: str, base: str) -> str:
    """A relationship target as a lower-cased member name: absolute from the package root,
    or relative to the folder `base` of the part whose relationships name it."""
    target = unquote(target.strip()).replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
    path = posixpath.normpath(path) if path else ""
    if path.startswith("../") or path == "..":
        raise _reject_as("unsafe_member", "workbook_file.climbs_out", member=target[:200])
    return path.lower()
