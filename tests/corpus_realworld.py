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


# --- dates: one date column in each sheet that has one --------------------------------------

# sheet -> (headers, one row's values, the column letter of its date)
DATED_SHEETS = {
    "Projects": (PROJECT_HEADERS, PROJECT_ROW + [None], "G"),
    "Reports": (["국가", "보고일", "제목"], ["베트남", None, "스마트시티 동향"], "B"),
    "Events": (["일자", "행사명", "유형"], [None, "하노이 현장방문", "현장방문"], "A"),
}
# numFmtId 14 (a date): a cell with s="1" is a date to calamine, one without is a plain serial number
DATE_STYLES = (f'{DECL}<styleSheet xmlns="{TRANSITIONAL}"><cellXfs count="2"><xf numFmtId="0"/>'
               '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')


def dated_sheet(name: str, serial: int, styled: bool) -> str:
    headers, values, date_col = DATED_SHEETS[name]
    cells = "".join(inline(f"{chr(65 + i)}1", h) for i, h in enumerate(headers))
    rows = [f'<row r="1">{cells}</row>']
    for r in (2, 3):
        out = []
        for i, value in enumerate(values):
            ref = f"{chr(65 + i)}{r}"
            if chr(65 + i) == date_col:
                style = ' s="1"' if styled else ""
                out.append(f'<c r="{ref}"{style}><v>{serial}</v></c>')
            elif value is not None:
                out.append(inline(ref, f"{value}-{r}" if (i == 0 and name == "Projects") or value in ("스마트시티 동향", "하노이 현장방문")
                                  else value))
        rows.append(f'<row r="{r}">{"".join(out)}</row>')
    return sheet("".join(rows))


def excel_2013_dated(date1904: bool, serial: int, styled: bool = True) -> bytes:
    """Every dated sheet, the workbook as Excel 2013+ writes it: its own workbookPr, then x15's in extLst."""
    sheets = {name: dated_sheet(name, serial, styled) for name in DATED_SHEETS}
    return package(sheets, date1904=date1904, extlst=EXCEL_2013_EXTLST,
                   extra={"xl/styles.xml": DATE_STYLES.encode()})


# --- packages laid out otherwise ------------------------------------------------------------

def projects(rows: int = 3, **layout) -> bytes:
    return package({"Projects": sheet(header_and_rows(rows, 43000))}, **layout)


LAYOUTS = {  # how other writers lay the same workbook out
    "Excel's own layout": {},
    "workbook at the package root (/workbook.xml)": {"workbook_path": "workbook.xml"},
    "workbook in another folder (wtf/workbook.xml)": {"workbook_path": "wtf/workbook.xml"},
    "sheets in a folder of their own": {"sheet_dir": "sheets"},
    "backslashes in member names (Excel on Windows)": {"backslashes": True},
    "strict OOXML namespaces": {"strict": True},
}


def repetitive_text(rows: int = 9_999) -> bytes:
    """One long text repeated down a sheet, cells without `r` (they follow their predecessor):
    it compresses over 100× (Excel and LibreOffice write such files)."""
    note = "추진현황: 협의 중, 다음 회의에서 결정 " * 30
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in PROJECT_HEADERS[:6] + ["비고"])
    body = [f'<row r="1">{header}</row>']
    for r in range(2, rows + 2):
        cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>'
                        for v in [f"KSP-{r:05d}"] + PROJECT_ROW[1:] + [note])
        body.append(f'<row r="{r}">{cells}</row>')
    return package({"Projects": sheet("".join(body))})


def with_ignored_sheet(ignored_xml: str) -> bytes:
    """The projects sheet and a sheet the loader ignores (a note, a pivot): `ignored_xml` is that sheet."""
    return package({"Projects": sheet(header_and_rows(2)), "메모": ignored_xml})


def two_bad_cells_a_row(rows: int) -> bytes:
    """`rows` projects, each with an unknown country (column C) and an unknown stage (column E)."""
    header = "".join(inline(f"{chr(65 + i)}1", h) for i, h in enumerate(PROJECT_HEADERS[:6]))
    body = [f'<row r="1">{header}</row>']
    for r in range(2, rows + 2):
        values = [f"KSP-{r}", "사업", "나라없음", "ICT솔루션", "모름", "국토교통부"]
        body.append(f'<row r="{r}">' + "".join(inline(f"{chr(65 + i)}{r}", v) for i, v in enumerate(values))
                    + "</row>")
    return package({"Projects": sheet("".join(body))})


# --- cells as other writers write them: each gives the same projects as plain inline strings ----------

def _shared_strings(texts: list[str]) -> bytes:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'{DECL}<sst xmlns="{TRANSITIONAL}" count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'.encode()


def _rich_shared_strings(texts: list[str]) -> bytes:
    """Each text split into two runs with their own fonts (rich text), and a phonetic run Excel adds."""
    items = "".join(f'<si><r><rPr><b/><color rgb="FFFF0000"/><rFont val="맑은 고딕"/><family val="3"/>'
                    f'<charset val="129"/></rPr><t>{t[:1]}</t></r><r><t xml:space="preserve">{t[1:]}</t></r>'
                    f'<rPh sb="0" eb="1"><t>ア</t></rPh></si>' for t in texts)
    return f'{DECL}<sst xmlns="{TRANSITIONAL}" count="{len(texts)}">{items}</sst>'.encode()


def _grid() -> list[list[str]]:
    return [PROJECT_HEADERS[:6]] + [[f"KSP-{r:05d}"] + PROJECT_ROW[1:] for r in range(2, 5)]


def writer_workbook(style: str) -> bytes:
    """The same three projects, written as `style` says (see `WRITER_STYLES`)."""
    grid = _grid()
    texts = sorted({v for row in grid for v in row})
    index = {t: i for i, t in enumerate(texts)}
    extra: dict[str, bytes] = {}
    rows = []
    top = 3 if style == "merged title above the header (Excel)" else 1  # the header's row
    if top > 1:
        rows.append(f'<row r="1">{inline("A1", "해외 스마트시티 사업 현황")}</row><row r="2"/>')
    for r, values in enumerate(grid, start=top):
        cells = []
        for c, value in enumerate(values):
            ref = f"{chr(65 + c)}{r}"
            if style in ("shared strings (Excel)", "rich text runs"):
                cells.append(f'<c r="{ref}" s="0" t="s"><v>{index[value]}</v></c>')
            elif style == "formula strings with cached values (LibreOffice)":
                cells.append(f'<c r="{ref}" t="str"><f>"{value}"</f><v>{value}</v></c>')
            elif style == "rich inline strings":
                cells.append(f'<c r="{ref}" t="inlineStr"><is><r><rPr><b/></rPr><t>{value[:1]}</t></r>'
                             f'<r><t xml:space="preserve">{value[1:]}</t></r></is></c>')
            else:
                cells.append(inline(ref, value))
        if style == "shared formulas with cached values" and r > 1:
            formula = f'<f t="shared" ref="G2:G4" si="0">{"DATE(2017,9,22)" if r == 2 else ""}</f>'
            cells.append(f'<c r="G{r}">{formula if r == 2 else formula.replace("DATE(2017,9,22)", "")}'
                         f"<v>43000</v></c>")
        elif style == "shared formulas with cached values" and r == 1:
            cells.append(inline("G1", PROJECT_HEADERS[6]))
        rows.append(f'<row r="{r}" spans="1:7" x14ac:dyDescent="0.3">{"".join(cells)}</row>')
    body = "".join(rows)
    tail = '<mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells>' if top > 1 else ""
    if style in ("shared strings (Excel)",):
        extra["xl/sharedStrings.xml"] = _shared_strings(texts)
    if style == "rich text runs":
        extra["xl/sharedStrings.xml"] = _rich_shared_strings(texts)
    xml = (f'{DECL}<worksheet xmlns="{TRANSITIONAL}" xmlns:x14ac="http://schemas.microsoft.com/office/'
           f'spreadsheetml/2009/9/ac"><dimension ref="A1:G4"/><sheetData>{body}</sheetData>{tail}</worksheet>')
    return package({"Projects": xml}, extra=extra, backslashes=style == "backslashes (Excel on Windows)")


WRITER_STYLES = ["inline strings (openpyxl)", "shared strings (Excel)", "rich text runs", "rich inline strings",
                 "formula strings with cached values (LibreOffice)", "shared formulas with cached values",
                 "merged title above the header (Excel)", "backslashes (Excel on Windows)"]
