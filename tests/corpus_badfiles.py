"""Bad workbooks built in code, each paired with the rejection code it must get.

`bad_files()` maps a case name to `BadFile(data, code, limits)`. `limits` is
None when the default settings reject the file (every case today); a case that
needs tighter limits to stay small carries them, and a runner must pass them
on. The same corpus is meant to go through the whole upload path later, so
each case is a file an analyst (or an attacker) could really upload, and each
builder takes milliseconds: no binary fixtures, fixed seeds.

The helpers (`minimal_xlsx`, `sheet_xml`, `forge_zip`, `ole2`) are public so
tests can build good workbooks the same way.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import NamedTuple

from ksmart.ingest.cell_extent import column_letters
from ksmart.ingest.xlsx_safety import Limits

MB = 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = REL_NS + "/worksheet"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

ROW_LIMIT = 100_000 + 30
COLUMN_LIMIT = 200


NO_RATIO_LIMIT = Limits(max_bytes=20 * MB, max_unzipped_bytes=200 * MB, max_ratio=1e12, max_rows=100_000,
                        max_columns=200)


class BadFile(NamedTuple):
    data: bytes
    code: str
    limits: Limits | None = None


def _cell(ref: str, value, prefix: str) -> str:
    if isinstance(value, (int, float)):
        return f'<{prefix}c r="{ref}"><{prefix}v>{value}</{prefix}v></{prefix}c>'
    return (f'<{prefix}c r="{ref}" t="inlineStr"><{prefix}is><{prefix}t>{value}'
            f'</{prefix}t></{prefix}is></{prefix}c>')


def sheet_xml(rows: list[list], *, dimension: str | bool = True, prefix: str = "",
              first_row: int = 1) -> bytes:
    """A worksheet part; `dimension=True` computes the ref, a string forces it, False omits it."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    body = "".join(
        f'<{p}row r="{first_row + i}">'
        + "".join(_cell(f"{column_letters(j + 1)}{first_row + i}", v, p) for j, v in enumerate(row))
        + f"</{p}row>"
        for i, row in enumerate(rows))
    if dimension is True:
        last_row = first_row + len(rows) - 1
        width = max((len(r) for r in rows), default=1)
        dimension = f"A1:{column_letters(width)}{max(last_row, 1)}"
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return (XML_DECL + f"<{p}worksheet {xmlns}>{dim}<{p}sheetData>{body}</{p}sheetData>"
            f"</{p}worksheet>".encode())


def _content_types(sheet_count: int, main_type: str) -> bytes:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{WORKSHEET_TYPE}"/>'
        for i in range(1, sheet_count + 1))
    return XML_DECL + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>{overrides}'
        '</Types>').encode()


def _workbook(names: list[str], date1904: bool) -> bytes:
    sheets = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, start=1))
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    return XML_DECL + (f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{pr}'
                       f"<sheets>{sheets}</sheets></workbook>").encode()


def _workbook_rels(sheet_count: int) -> bytes:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{WORKSHEET_REL}" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheet_count + 1))
    return XML_DECL + f'<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>'.encode()


def _package_rels() -> bytes:
    return XML_DECL + (
        f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()


def default_sheet() -> bytes:
    return sheet_xml([["사업ID", "사업명", "국가"], ["KSP-001", "스마트시티 마스터플랜", "VNM"]])


def minimal_xlsx(sheets: dict[str, bytes] | None = None, *, date1904: bool = False,
                 parts: dict[str, bytes] | None = None, omit: tuple[str, ...] = (),
                 main_type: str = XLSX_MAIN, compression: int = zipfile.ZIP_DEFLATED,
                 compresslevel: int | None = None) -> bytes:
    """A small hand-made .xlsx; `parts` adds or replaces members, `omit` drops generated ones."""
    sheets = {"Projects": default_sheet()} if sheets is None else sheets
    members = {
        "[Content_Types].xml": _content_types(len(sheets), main_type),
        "_rels/.rels": _package_rels(),
        "xl/workbook.xml": _workbook(list(sheets), date1904),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
    }
    members.update({f"xl/worksheets/sheet{i}.xml": xml
                    for i, xml in enumerate(sheets.values(), start=1)})
    members.update(parts or {})
    kept = {k: v for k, v in members.items() if k not in omit}
    return zip_bytes(kept, compression, compresslevel)


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED,
              compresslevel: int | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression, compresslevel=compresslevel) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


class ForgedEntry(NamedTuple):
    """A ZIP member written byte by byte, so its header can say what it likes."""

    name: str
    raw: bytes
    method: int = zipfile.ZIP_DEFLATED
    crc: int = 0
    declared_size: int = 0
    flags: int = 0


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def entry(name: str, data: bytes, **overrides) -> ForgedEntry:
    """An honest deflated entry for `data`; `overrides` then falsify any header field."""
    honest = ForgedEntry(name, deflate(data), crc=zlib.crc32(data), declared_size=len(data))
    return honest._replace(**overrides)


def forge_zip(entries: list[ForgedEntry]) -> bytes:
    """A ZIP whose local and central headers carry each entry's fields verbatim."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e.name.encode()
        offset = len(out)
        fields = (20, e.flags, e.method, 0, 0x21, e.crc, len(e.raw), e.declared_size, len(name))
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + name + e.raw
        central += struct.pack("<4sH", b"PK\x01\x02", 20) + struct.pack(
            "<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(central), len(out), 0)
    return bytes(out + central + end)


def workbook_entries(**minimal_kwargs) -> list[ForgedEntry]:
    """The members of `minimal_xlsx(...)` as honest forged entries, ready to add liars to."""
    with zipfile.ZipFile(io.BytesIO(minimal_xlsx(**minimal_kwargs))) as zf:
        return [entry(info.filename, zf.read(info)) for info in zf.infolist()]


def zero_stream(megabytes: int) -> bytes:
    """Raw deflate of `megabytes` MB of zeros, built by repeating one flushed block.

    After a full flush the compressor starts afresh, so every 1 MB block comes
    out the same: a 200 MB bomb costs one 1 MB compression.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + compressor.flush(zlib.Z_FINISH)


def zero_crc(megabytes: int) -> int:
    """CRC-32 of `megabytes` MB of zeros, without holding them all at once."""
    crc, block = 0, bytes(MB)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return crc


_OLE_FREE, _OLE_END, _OLE_FAT, _OLE_NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _ole_dir_entry(name: str, kind: int, right: int = _OLE_NONE, child: int = _OLE_NONE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1,
                                                   _OLE_NONE, right, child)
            + bytes(16 + 4 + 16) + struct.pack("<IQ", _OLE_END, 0))


def ole2(streams: list[tuple[str, int]]) -> bytes:
    """A small OLE2 compound file (v3, 512-byte sectors) whose root lists `streams`.

    Each stream is (name, type): 2 for a stream, 1 for a storage; all empty.
    Only the header and directory matter here: they are what tell a legacy
    .xls from a password-protected .xlsx.
    """
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _OLE_END, 0, _OLE_END, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *[_OLE_FREE] * 108))
    fat = struct.pack("<128I", _OLE_FAT, _OLE_END, *[_OLE_FREE] * 126)
    entries = [_ole_dir_entry("Root Entry", 5, child=1 if streams else _OLE_NONE)]
    for i, (name, kind) in enumerate(streams, start=1):
        entries.append(_ole_dir_entry(name, kind, right=i + 1 if i < len(streams) else _OLE_NONE))
    directory = b"".join(entries).ljust(512 * -(-len(entries) * 128 // 512), b"\0")
    return header + fat + directory


def billion_laughs(root: str) -> bytes:
    """An entity bomb whose document element is `root` (e.g. `<sst …>`)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE lolz [\n" + "\n".join(entities) + "\n]>\n"
    return XML_DECL + (doctype + root.replace("&bomb;", "&lol9;")).encode()


def _sheet_rows(count: int, width: int = 3) -> list[list]:
    return [[f"KSP-{i:06d}"] + [i] * (width - 1) for i in range(count)]


def _empty() -> BadFile:
    return BadFile(b"", "empty_file")


def _csv_renamed() -> BadFile:
    text = "사업ID,사업명,국가\nKSP-001,스마트시티 마스터플랜,베트남\n"
    return BadFile(text.encode("utf-8-sig"), "not_xlsx")


def _csv_utf16() -> BadFile:
    """Excel's 'Unicode text' export: UTF-16LE with a BOM, tab-separated."""
    return BadFile("사업ID\t사업명\nKSP-001\t마스터플랜\n".encode("utf-16"), "not_xlsx")


def _pdf() -> BadFile:
    return BadFile(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                   b"trailer\n<< /Root 1 0 R >>\n%%EOF\n", "not_xlsx")


def _plain_text() -> BadFile:
    return BadFile("해외 스마트시티 사업 목록 (임시)\n".encode(), "not_xlsx")


def _html_as_xls() -> BadFile:
    """What many web systems export as .xls: an HTML table."""
    return BadFile(b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><table>'
                   b"<tr><td>KSP-001</td></tr></table></body></html>", "not_xlsx")


def _random_binary() -> BadFile:
    return BadFile(b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000), "not_xlsx")


def _legacy_xls() -> BadFile:
    return BadFile(ole2([("Workbook", 2), ("\x05SummaryInformation", 2)]), "not_xlsx")


def _encrypted_xls() -> BadFile:
    """A legacy .xls with a password: its Workbook stream starts BOF (globals, BIFF8), then FILEPASS (RC4)."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x1F0B, 0x07CD, 0xC1, 0x0406)
    filepass = struct.pack("<HHHHH", 0x002F, 54, 1, 1, 1) + bytes(48)
    sector = (bof + filepass).ljust(512, b"\0")
    return BadFile(ole2([("Workbook", 2), ("\x05SummaryInformation", 2)]) + sector, "encrypted")


def _xml_spreadsheet_2003() -> BadFile:
    """Excel's old XML format, saved with an .xls or .xlsx name."""
    return BadFile(XML_DECL + b'<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:'
                   b'office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet '
                   b'ss:Name="Projects"><Table><Row><Cell><Data ss:Type="String">ID</Data></Cell></Row></Table>'
                   b"</Worksheet></Workbook>", "not_xlsx")


def _ods() -> BadFile:
    """An OpenDocument spreadsheet (LibreOffice, Hancell): a ZIP, but of another format."""
    return BadFile(zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                              "content.xml": XML_DECL + b"<office:document-content/>",
                              "META-INF/manifest.xml": XML_DECL + b"<manifest:manifest/>"},
                             zipfile.ZIP_STORED), "not_workbook")


def _numbers() -> BadFile:
    """An Apple Numbers file (a ZIP of protobuf archives)."""
    return BadFile(zip_bytes({"Index/Document.iwa": b"\x00\x01\x02", "Metadata/Properties.plist": b"bplist00",
                              "preview.jpg": b"\xff\xd8\xff"}), "not_workbook")


def _member_climbing_out() -> BadFile:
    """A member named `../../tmp/x`: a reader that unpacks the package would write outside it."""
    return BadFile(minimal_xlsx(parts={"../../tmp/x": b"x"}), "unsafe_member")


def _member_absolute() -> BadFile:
    return BadFile(minimal_xlsx(parts={"/etc/x": b"x"}), "unsafe_member")


def _encrypted_ole2() -> BadFile:
    streams = [("\x06DataSpaces", 1), ("EncryptionInfo", 2), ("EncryptedPackage", 2)]
    return BadFile(ole2(streams), "encrypted")


def _zip_encrypted_member() -> BadFile:
    entries = workbook_entries()
    entries[-1] = entries[-1]._replace(flags=0x1)
    return BadFile(forge_zip(entries), "encrypted")


def _truncated_zip() -> BadFile:
    data = minimal_xlsx()
    return BadFile(data[: len(data) // 2], "truncated")


def _corrupt_deflate() -> BadFile:
    """Central directory intact, a member's compressed bytes garbled."""
    entries = workbook_entries()
    sheet = next(i for i, e in enumerate(entries) if e.name.startswith("xl/worksheets/"))
    entries[sheet] = entries[sheet]._replace(raw=b"\xff" * len(entries[sheet].raw))
    return BadFile(forge_zip(entries), "truncated")


def _duplicate_member() -> BadFile:
    """The same name twice: one reader takes the first, another the last (a bomb)."""
    entries = workbook_entries()
    bomb = ForgedEntry("xl/media/image1.png", zero_stream(30), declared_size=1000)
    decoy = entry("xl/media/image1.png", b"\x89PNG")
    return BadFile(forge_zip(entries + [bomb, decoy]), "truncated")


def _docx_like() -> BadFile:
    return BadFile(zip_bytes({
        "[Content_Types].xml": XML_DECL + b"<Types/>",
        "word/document.xml": XML_DECL + b"<w:document/>",
    }), "not_workbook")


def _plain_zip() -> BadFile:
    rng = random.Random(2)
    return BadFile(zip_bytes({"readme.txt": "사업 자료 모음".encode(),
                              "data/a.bin": rng.randbytes(500)}), "not_workbook")


def _xlsb() -> BadFile:
    return BadFile(zip_bytes({"[Content_Types].xml": XML_DECL + b"<Types/>",
                              "xl/workbook.bin": b"\x83\x01\x00"}), "not_workbook")


def _no_sheets() -> BadFile:
    return BadFile(minimal_xlsx({}), "not_workbook")


def _xlsm_vba() -> BadFile:
    return BadFile(minimal_xlsx(parts={"xl/vbaProject.bin": ole2([("VBA", 1)])}),
                   "macro_enabled")


def _xlsm_content_type() -> BadFile:
    return BadFile(minimal_xlsx(main_type=XLSM_MAIN), "macro_enabled")


def _oversize() -> BadFile:
    """A real workbook carrying a 21 MB picture: over the 20 MB upload limit."""
    picture = random.Random(3).randbytes(21 * MB)
    return BadFile(minimal_xlsx(parts={"xl/media/image1.png": picture},
                                compression=zipfile.ZIP_STORED), "too_large")


def _bomb_ratio() -> BadFile:
    """Honest headers, 30 MB of zeros in a 30 KB file: ratio about 1000."""
    bomb = zero_stream(30)
    entries = workbook_entries() + [
        ForgedEntry("xl/media/image1.png", bomb, crc=zero_crc(30), declared_size=30 * MB)]
    return BadFile(forge_zip(entries), "zip_ratio")


def _bomb_declared_size() -> BadFile:
    """A member that says it inflates to 300 MB."""
    entries = workbook_entries()
    entries[-1] = entries[-1]._replace(declared_size=300 * MB)
    return BadFile(forge_zip(entries), "unzipped_too_large")


def _bomb_lying_ratio() -> BadFile:
    """Headers claim 1 KB; the stream really inflates to 50 MB (ratio about 1000)."""
    entries = workbook_entries() + [
        ForgedEntry("xl/media/image1.png", zero_stream(50), crc=zlib.crc32(bytes(1000)),
                    declared_size=1000)]
    return BadFile(forge_zip(entries), "zip_ratio")


def _bomb_lying_size() -> BadFile:
    """Headers claim 1 KB; a part really inflates past 200 MB (the ratio limit set aside: the size is checked)."""
    padding = random.Random(4).randbytes(3 * MB)
    entries = workbook_entries() + [
        ForgedEntry("xl/media/image1.png", padding, zipfile.ZIP_STORED,
                    zlib.crc32(padding), len(padding)),
        ForgedEntry("xl/media/image2.png", zero_stream(210), declared_size=1000),
    ]
    return BadFile(forge_zip(entries), "unzipped_too_large", NO_RATIO_LIMIT)


def _entities_shared_strings() -> BadFile:
    sst = billion_laughs(f'<sst xmlns="{MAIN_NS}" count="1"><si><t>&bomb;</t></si></sst>')
    return BadFile(minimal_xlsx(parts={"xl/sharedStrings.xml": sst}), "xml_entities")


def _entities_sheet() -> BadFile:
    sheet = billion_laughs(f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
                           '<c r="A1" t="inlineStr"><is><t>&bomb;</t></is></c></row>'
                           "</sheetData></worksheet>")
    return BadFile(minimal_xlsx({"Projects": sheet}), "xml_entities")


def _doctype_after_comment() -> BadFile:
    """A comment that mentions an element must not end the prolog early."""
    workbook = (XML_DECL + b"<!-- <workbook> -->\n"
                + b'<!DOCTYPE workbook SYSTEM "http://127.0.0.1/x.dtd">'
                + _workbook(["Projects"], False)[len(XML_DECL):])
    return BadFile(minimal_xlsx(parts={"xl/workbook.xml": workbook}), "xml_entities")


def _doctype_utf16_content_types() -> BadFile:
    types = billion_laughs('<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           'content-types"><Default Extension="xml" ContentType="&bomb;"/>'
                           "</Types>")
    utf16 = types.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return BadFile(minimal_xlsx(parts={"[Content_Types].xml": utf16}), "xml_entities")


def _rows_streamed() -> BadFile:
    """No <dimension>: the last row number comes from the row tags."""
    sheet = sheet_xml(_sheet_rows(2), dimension=False, first_row=ROW_LIMIT)
    return BadFile(minimal_xlsx({"Projects": sheet}), "too_many_rows")


def _columns_streamed() -> BadFile:
    sheet = sheet_xml([list(range(COLUMN_LIMIT + 1))], dimension=False)
    return BadFile(minimal_xlsx({"Projects": sheet}), "too_many_columns")



def fifty_thousand_rows() -> bytes:
    """A workbook that passes: 50,000 × 22 numbers without <dimension> (the streamed path)."""
    cells = "".join(f'<c r="{column_letters(j)}{{r}}"><v>{j}</v></c>' for j in range(1, 23))
    body = "".join(f'<row r="{r}">' + cells.replace("{r}", str(r)) + "</row>" for r in range(1, 50_001))
    sheet = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{body}</sheetData></worksheet>'
    return minimal_xlsx({"S": XML_DECL + sheet.encode()}, compresslevel=1)

BUILDERS: dict[str, Callable[[], BadFile]] = {
    "empty": _empty,
    "csv_renamed": _csv_renamed,
    "csv_utf16_renamed": _csv_utf16,
    "pdf": _pdf,
    "plain_text": _plain_text,
    "html_table_as_xls": _html_as_xls,
    "random_binary": _random_binary,
    "legacy_xls_ole2": _legacy_xls,
    "encrypted_ole2": _encrypted_ole2,
    "zip_encrypted_member": _zip_encrypted_member,
    "truncated_zip": _truncated_zip,
    "corrupt_deflate": _corrupt_deflate,
    "duplicate_member_name": _duplicate_member,
    "docx_like_zip": _docx_like,
    "plain_zip": _plain_zip,
    "xlsb": _xlsb,
    "no_sheets": _no_sheets,
    "xlsm_vba_project": _xlsm_vba,
    "xlsm_content_type": _xlsm_content_type,
    "oversize": _oversize,
    "zip_bomb_ratio": _bomb_ratio,
    "zip_bomb_declared_size": _bomb_declared_size,
    "zip_bomb_lying_ratio": _bomb_lying_ratio,
    "zip_bomb_lying_size": _bomb_lying_size,
    "entity_bomb_shared_strings": _entities_shared_strings,
    "entity_bomb_sheet": _entities_sheet,
    "doctype_after_comment": _doctype_after_comment,
    "doctype_utf16_content_types": _doctype_utf16_content_types,
    "too_many_rows_streamed": _rows_streamed,
    "encrypted_xls": _encrypted_xls,
    "xml_spreadsheet_2003": _xml_spreadsheet_2003,
    "ods": _ods,
    "numbers": _numbers,
    "member_climbing_out": _member_climbing_out,
    "member_absolute_path": _member_absolute,
    "too_many_columns_streamed": _columns_streamed,
}


@functools.cache
def bad_files() -> dict[str, BadFile]:
    """Every case: name -> (bytes, expected code, limits or None for defaults). Built once per
    process (about 25 MB, a quarter of a second) and the same dict each call: never change it."""
    return {name: build() for name, build in BUILDERS.items()}
