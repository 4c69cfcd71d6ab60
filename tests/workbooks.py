"""Golden workbooks built by code: messy-but-valid ones and cell-level rejections."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

D = dt.date

PROJECT_HEADER = ["사업ID", "사업명", "국가", "분과", "단계", "상태", "주관기관", "사업비(백만달러)", "수주확률",
                  "적용기술", "단계변경일", "향후일정"]


def project_row(pid="KWT-001", name="압둘라 신도시 스마트시티", country="쿠웨이트", sub="도시인프라",
                stage="협상", status="진행", agency="LH", value=1200, prob=None, tech="스마트교통, 스마트에너지",
                stage_date=D(2016, 9, 1), next_date=D(2016, 12, 1)):
    return [pid, name, country, sub, stage, status, agency, value, prob, tech, stage_date, next_date]


def build(sheets: dict[str, list[list]], *, formulas: dict[tuple[str, str], str] | None = None,
          epoch_1904: bool = False) -> bytes:
    """A workbook with the given sheets (rows as lists; None is an empty cell)."""
    book = Workbook()
    book.remove(book.active)
    if epoch_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        book.epoch = CALENDAR_MAC_1904
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    for (sheet, cell), formula in (formulas or {}).items():
        book[sheet][cell] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messy_valid() -> bytes:
    """What real analysts keep: title rows, a 기준일 line, odd headers, gaps, footnotes."""
    projects = [
        ["K-Smart City 해외사업 현황"],
        ["(2016.9.30 기준)"],
        [],
        ["사업 ID", "사업명 *", "대상국", "분 과", "추진\n단계", "진행상태", "주관기관*", "사업규모（백만불）",
         "확률", "요소기술", "단계진입일", "비고", "담당 부서"],
        ["KWT-001", " 압둘라 신도시 스마트시티 ", "Kuwait", "도시 인프라", "5", "", "토지주택공사", "1,200",
         "80%", "스마트교통; 스마트에너지", "2016.9.1", "LH 주관", "해외사업팀"],
        [],
        ["BOL-001", "산타크루즈 전자정부", "Bolivia (Plurinational State of)", "ICT Solutions", "제안", "진행", "KOTRA",
         "약 80", 0.4, "스마트행정", "2016년 8월", None, None],
        ["mng-001", "울란바토르 스마트시티 MOU", "몽골", "ICT솔루션", "협의", "-", "국토부", None, None, None,
         D(2016, 7, 5), "미정", None],
        [None, None, None, None, None, None, None, None, None, None, None, None, None],
        ["※ 사업비는 추정치임"],
        ["자료: 해외건설협회"],
    ]
    countries = [
        ["국가코드", "권역", "주재관", "중점국가"],
        ["KWT", "중동", "주쿠웨이트 대사관", "Y"],
        ["볼리비아", None, "주볼리비아 대사관", "N"],
    ]
    events = [
        ["행사 현황"],
        ["일자", "행사명", "유형", "국가", "관련사업"],
        [D(2016, 9, 8), "제2차 운영위원회", "운영위원회", None, None],
        ["2016-09-07", "GICC 1:1 비즈니스미팅", "1:1 비즈니스미팅", "KWT", "KWT-001"],
    ]
    return build({"사업현황": projects, "Countries": countries, "행사": events, "메모": [["아무 내용"]]})


def with_cell(value, column="사업비(백만달러)", sheet_title_rows=0) -> bytes:
    """A one-project workbook whose `column` holds `value` (for cell-level rejection cases)."""
    row = project_row()
    row[PROJECT_HEADER.index(column)] = value
    title = [["제목"]] * sheet_title_rows
    return build({"사업": title + [PROJECT_HEADER, row]})
