"""Workbooks that must pass the safety checks, each with the `XlsxInfo` it must give.

`GOOD` maps a case name to (builder, expected info); used by test_xlsx_safety.py
and test_sheet_blocks.py.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from ksmart.ingest.xlsx_safety import XlsxInfo
from tests.corpus_badfiles import MAIN_NS, ROW_LIMIT, XML_DECL, minimal_xlsx, sheet_xml


def saved(workbook: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def openpyxl_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "사업현황"
    ws.append(["사업ID", "사업명", "국가"])
    ws.append(["KSP-001", "스마트시티", "VNM"])
    wb.create_sheet("Empty")
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["D7"] = "x"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    wb.create_chartsheet("Chart").add_chart(chart)
    return saved(wb)


def openpyxl_1904() -> bytes:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.title = "Events"
    wb.active["B3"] = 1.5
    return saved(wb)


def openpyxl_write_only() -> bytes:
    """openpyxl's write-only mode leaves out <dimension>: the rows are counted."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Projects")
    ws.append(["제목: 해외 스마트시티 사업"])
    ws.append([])
    for i in range(40):
        ws.append([f"KSP-{i:03d}", f"사업 {i}", "VNM", i * 1.5, None, "ODA"])
    return saved(wb)


def utf16_sheet() -> bytes:
    xml = sheet_xml([["가", 1], ["나", 2]], dimension=False)
    text = xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return text.encode("utf-16")


def rless_sheet() -> bytes:
    """Rows and cells may leave out `r`: each follows its predecessor."""
    return XML_DECL + (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
        '<row r="5"><c r="B5"><v>2</v></c><c><v>3</v></c><c/><c s="1"></c></row>'
        "<row><c><v>4</v></c></row>"
        "</sheetData></worksheet>").encode()


def multi_chunk_sheet(rows: int = 30_000) -> bytes:
    """Several MB of sheet XML without <dimension>: tags straddle chunk boundaries."""
    body = "".join(f'<row r="{r}" spans="1:5"><c r="A{r}" t="inlineStr"><is><t>KSP-{r:06d}'
                   f'</t></is></c><c r="B{r}"><v>{r}</v></c><c r="C{r}"><v>{r * 2}</v></c>'
                   f'<c r="D{r}"><v>0.5</v></c><c r="E{r}" s="2"><v>{r % 7}</v></c></row>'
                   for r in range(1, rows + 1))
    return XML_DECL + (f'<worksheet xmlns="{MAIN_NS}"><sheetData>{body}</sheetData>'
                       f'<mergeCells count="1"><mergeCell ref="A1:Z1"/></mergeCells>'
                       "</worksheet>").encode()


GOOD = {
    "openpyxl: sheets, hidden, empty, chart sheet": (
        openpyxl_workbook,
        XlsxInfo(["사업현황", "Empty", "Hidden", "Chart"], False,
                 {"사업현황": (2, 3), "Empty": (0, 0), "Hidden": (7, 4)})),
    "openpyxl: 1904 date system": (
        openpyxl_1904, XlsxInfo(["Events"], True, {"Events": (3, 2)})),
    "openpyxl write-only: no dimension, streamed": (
        openpyxl_write_only, XlsxInfo(["Projects"], False, {"Projects": (42, 6)})),
    "hand-made minimal": (
        minimal_xlsx, XlsxInfo(["Projects"], False, {"Projects": (2, 3)})),
    "date1904 written as true": (
        lambda: minimal_xlsx(parts={"xl/workbook.xml": XML_DECL + (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><workbookPr date1904="true"/><sheets>'
            '<sheet name="Projects" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()}),
        XlsxInfo(["Projects"], True, {"Projects": (2, 3)})),
    "prefixed tags, no dimension": (
        lambda: minimal_xlsx({"사업": sheet_xml([[1, 2, 3], [4]], dimension=False, prefix="x")}),
        XlsxInfo(["사업"], False, {"사업": (2, 3)})),
    "rows and cells without r": (
        lambda: minimal_xlsx({"S": rless_sheet()}), XlsxInfo(["S"], False, {"S": (6, 5)})),
    "UTF-16 sheet": (
        lambda: minimal_xlsx({"S": utf16_sheet()}), XlsxInfo(["S"], False, {"S": (2, 2)})),
    "self-closing sheetData": (
        lambda: minimal_xlsx({"S": XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData/>'
                                              "</worksheet>".encode()}),
        XlsxInfo(["S"], False, {"S": (0, 0)})),
    "stored, not deflated": (
        lambda: minimal_xlsx(compression=zipfile.ZIP_STORED),
        XlsxInfo(["Projects"], False, {"Projects": (2, 3)})),
    "BOM and comment before the root": (
        lambda: minimal_xlsx({"S": b"\xef\xbb\xbf" + XML_DECL + b"<!-- made by hand -->"
                              + sheet_xml([[1]])[len(XML_DECL):]}),
        XlsxInfo(["S"], False, {"S": (1, 1)})),
    # <dimension> is not believed: the cells are counted (issue 18)
    "a dimension claiming A1:XFD1048576 over one cell": (
        lambda: minimal_xlsx({"S": sheet_xml([[1]], dimension="A1:XFD1048576")}),
        XlsxInfo(["S"], False, {"S": (1, 1)})),
    "a dimension claiming A1:IV1 over a few cells": (
        lambda: minimal_xlsx({"S": sheet_xml([[1, 2], [3]], dimension="A1:IV1")}),
        XlsxInfo(["S"], False, {"S": (2, 2)})),
    "a dimension that lies small (A1) over more cells": (
        lambda: minimal_xlsx({"S": sheet_xml([[1, 2, 3]] * 5, dimension="A1")}),
        XlsxInfo(["S"], False, {"S": (5, 3)})),
    "last row exactly at the limit, streamed": (
        lambda: minimal_xlsx({"S": sheet_xml([list(range(200))], dimension=False,
                                             first_row=ROW_LIMIT)}),
        XlsxInfo(["S"], False, {"S": (ROW_LIMIT, 200)})),
    "several MB without dimension": (
        lambda: minimal_xlsx({"Big": multi_chunk_sheet()}),
        XlsxInfo(["Big"], False, {"Big": (30_000, 5)})),
}
