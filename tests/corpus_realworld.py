"""Workbooks written the way other writers write them (issue 18), built by small functions.

Each builder returns .xlsx bytes: a package that Excel, LibreOffice, Excel
Online or a fuzzer could have written, around one projects sheet whose cells
are given as raw XML. `package()` is the one place that lays the parts out;
its arguments are the peculiarities (where the workbook part sits, backslashes
in member names, strict OOXML namespaces, an Excel 2013 `extLst`, a
`<dimension>` that lies).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_TRANSITIONAL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# What Excel 2013 and later write at the end of workbook.xml: a second workbookPr, in an extension.
EXCEL_2013_EXTLST = ('<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" '
                     'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">'
                     '<x15:workbookPr chartTrackingRefBase="1"/></ext></extLst>')

PROJECT_HEADERS = ["사업ID", "사업명", "국가", "분과", "단계", "주관기관", "단계변경일"]
PROJECT_ROW = ["KSP-001", "스마트시티 마스터플랜", "베트남", "ICT솔루션", "발굴", "국토교통부"]


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number(ref: str, value) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def header_and_rows(rows: int = 1, date_serial: int | None = None) -> str:
    """The projects header in row 1 and `rows` valid projects below it, as `<row>` XML."""
    cells = "".join(inline(f"{chr(65 + i)}1", h) for i, h in enumerate(PROJECT_HEADERS))
    out = [f'<row r="1">{cells}</row>']
    for r in range(2, rows + 2):
        values = [f"KSP-{r:05d}"] + PROJECT_ROW[1:]
        cells = "".join(inline(f"{chr(65 + i)}{r}", v) for i, v in enumerate(values))
        if date_serial is not None:
            cells += number(f"G{r}", date_serial)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet(rows_xml: str, *, dimension: str | None = None, ns: str = TRANSITIONAL) -> str:
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{DECL}<worksheet xmlns="{ns}">{claim}<sheetData>{rows_xml}</sheetData></worksheet>'


def package(sheets: dict[str, str], *, workbook_path: str = "xl/workbook.xml", sheet_dir: str | None = None,
            backslashes: bool = False, strict: bool = False, date1904: bool | None = None,
            workbook_pr: str | None = None, extlst: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A package holding `sheets` (name -> worksheet XML), laid out as the arguments say."""
    folder = posixpath.dirname(workbook_path)
    sheet_dir = folder + "/worksheets" if sheet_dir is None and folder else (sheet_dir or "worksheets")
    ns, rel = (STRICT, REL_STRICT) if strict else (TRANSITIONAL, REL_TRANSITIONAL)
    if workbook_pr is None:
        workbook_pr = "<workbookPr/>" if date1904 is None else f'<workbookPr date1904="{int(date1904)}"/>'
    names = list(sheets)
    entries = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    workbook = (f'{DECL}<workbook xmlns="{ns}" xmlns:r="{rel}">{workbook_pr}<sheets>{entries}</sheets>'
                f"{extlst}</workbook>")
    sheet_paths = [f"{sheet_dir}/sheet{i}.xml" for i in range(1, len(names) + 1)]
    rels = "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                   f'Target="{posixpath.relpath(p, folder or ".")}"/>' for i, p in enumerate(sheet_paths, 1))
    overrides = "".join(f'<Override PartName="/{p}" ContentType="application/vnd.openxmlformats-officedocument.'
                        'spreadsheetml.worksheet+xml"/>' for p in sheet_paths)
    members = {
        "[Content_Types].xml": (f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                                f'<Override PartName="/{workbook_path}" ContentType="application/vnd.openxmlformats-'
                                f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>'),
        "_rels/.rels": (f'{DECL}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                        f'Type="{rel}/officeDocument" Target="/{workbook_path}"/></Relationships>'),
        workbook_path: workbook,
        posixpath.join(folder, "_rels", posixpath.basename(workbook_path) + ".rels"):
            f'{DECL}<Relationships xmlns="{PKG_REL}">{rels}</Relationships>',
    }
    members.update(zip(sheet_paths, sheets.values()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in {**members, **(extra or {})}.items():
            out.writestr(name.replace("/", "\\") if backslashes else name,
                         content if isinstance(content, bytes) else content.encode())
    return buf.getvalue()


# --- far cells: each one crashed or bloated the process before issue 18 -------------------

FAR_CELLS = {  # case -> (far cell, <dimension> claim)
    "XFD1048576 without dimension": ("XFD1048576", None),
    "XFD1048576 with its dimension": ("XFD1048576", "A1:XFD1048576"),
    "XFD1048576 under a lying dimension A1": ("XFD1048576", "A1"),
    "GR100000 (inside the limits)": ("GR100000", None),
    "CV50000 (inside the limits)": ("CV50000", None),
}


def far_cell(ref: str, dimension: str | None) -> bytes:
    """A valid projects sheet plus one stray number at `ref`."""
    row = "".join(ch for ch in ref if ch.isdigit())
    rows = header_and_rows(2) + f'<row r="{row}">{number(ref, 7)}</row>'
    return package({"Projects": sheet(rows, dimension=dimension)})
