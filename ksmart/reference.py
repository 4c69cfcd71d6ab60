"""Reference data: every domain concept declared once, as tables.

Stages, statuses, subcommittees, technologies, agencies, event types and the
sheets of the pipeline workbook (with their column aliases and value types)
live here and nowhere else. Labels shown to people come from these tables;
matching of what analysts write goes through `fold` and `Lookup`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

# --- folding: how headers and enum values are compared ----------------------

_FULLWIDTH_PARENS = str.maketrans({"（": "(", "）": ")"})
_DROPPED = re.compile(r"[\s·ㆍ.•・\u00b7]+")


def fold(text: object) -> str:
    """Fold text for matching: case, spaces, line breaks, trailing `*`,
    full-width parentheses and the middle dot do not count (workbook.md)."""
    return _fold_text(text) if type(text) is str else _fold(str(text))


def _fold(text: str) -> str:
    # The middle dot goes before NFKC, which turns "ㆍ" into a combining vowel.
    s = unicodedata.normalize("NFKC", _DROPPED.sub(" ", text)).translate(_FULLWIDTH_PARENS)
    s = s.strip().rstrip("*").strip()
    return _DROPPED.sub("", s).casefold()


# The same few spellings (stages, agencies, technologies) come back in every upload,
# tens of thousands of times in a big one: folding costs ~3 µs, a cache hit ~0.1 µs.
_fold_text = functools.lru_cache(maxsize=8192)(_fold)


@dataclass(frozen=True)
class Entry:
    """One row of a reference table: a key, its labels, its accepted aliases."""

    key: str
    ko: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


class Lookup:
    """An ordered reference table that resolves any accepted spelling to a key."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.by_key = {e.key: e for e in self.entries}
        self._folded: dict[str, str] = {}
        for e in self.entries:
            for spelling in (e.key, e.ko, e.en, *e.aliases):
                self._folded.setdefault(fold(spelling), e.key)

    @property
    def keys(self) -> list[str]:
        return [e.key for e in self.entries]

    def resolve(self, value: object) -> str | None:
        """The key for `value` in any accepted spelling, or None."""
        return self._folded.get(fold(value))

    def label(self, key: str, lang: str) -> str:
        entry = self.by_key.get(key)
        return entry.label(lang) if entry else str(key)

    def labels(self, lang: str) -> list[str]:
        return [e.label(lang) for e in self.entries]

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


# --- pipeline.md ---------------------------------------------------------------


@dataclass(frozen=True)
class Stage(Entry):
    number: int = 0
    default_probability: float = 0.0


STAGES = Lookup(
    [
        Stage("identified", "발굴", "Identified", ("1",), 1, 0.10),
        Stage("engagement", "협의·MOU", "Engagement / MOU", ("2", "협의", "MOU", "Engagement", "MOU체결"), 2, 0.20),
        Stage("feasibility", "타당성조사", "Feasibility / master plan",
              ("3", "타당성조사·마스터플랜", "마스터플랜", "Feasibility", "F/S", "Master plan"), 3, 0.30),
        Stage("proposal", "제안·입찰", "Proposal / tender", ("4", "제안", "입찰", "Proposal", "Tender"), 4, 0.50),
        Stage("negotiation", "협상", "Negotiation", ("5",), 5, 0.80),
        Stage("contract", "수주·계약", "Contract won", ("6", "수주", "계약", "Contract"), 6, 1.00),
        Stage("implementation", "이행", "Implementation", ("7",), 7, 1.00),
    ]
)
STAGE_NUMBER = {s.key: s.number for s in STAGES}
OPEN_STAGES = ("identified", "engagement", "feasibility", "proposal", "negotiation")
WON_STAGES = ("contract", "implementation")
ADVANCED_STAGES = ("proposal", "negotiation")

STATUSES = Lookup(
    [
        Entry("active", "진행", "Active", ("진행중", "추진", "추진중")),
        Entry("on_hold", "보류", "On hold", ("hold", "onhold", "지연")),
        Entry("dropped", "중단", "Dropped", ("무산", "취소", "종료")),
    ]
)
DEFAULT_STATUS = "active"

SUBCOMMITTEES = Lookup(
    [
        Entry("urban_infra", "도시인프라", "Urban infrastructure", ("도시 인프라", "인프라")),
        Entry("energy_env", "에너지·환경", "Energy & environment",
              ("에너지환경", "에너지/환경", "Energy and Environment")),
        Entry("ict", "ICT솔루션", "ICT solutions", ("ICT", "ICT 솔루션")),
    ]
)

TECHNOLOGIES = Lookup(
    [
        Entry("transport", "스마트교통", "Smart transport (ITS)", ("ITS", "교통", "Smart transport")),
        Entry("energy", "스마트에너지", "Smart energy (grid, AMI)", ("에너지", "Smart energy", "AMI", "스마트그리드")),
        Entry("water", "스마트물관리", "Smart water", ("물관리", "스마트워터")),
        Entry("safety", "스마트안전", "Safety & disaster response", ("안전", "방재", "Safety")),
        Entry("governance", "스마트행정", "E-government", ("전자정부", "행정")),
        Entry("operations_center", "통합운영센터", "Integrated operations centre",
              ("통합플랫폼", "IOC", "Operations center", "Operations centre")),
        Entry("building", "스마트빌딩", "Smart buildings & housing", ("스마트홈", "건물", "Smart buildings")),
        Entry("environment", "스마트환경", "Waste & air quality", ("환경", "폐기물", "대기질")),
        Entry("digital_twin", "디지털트윈", "Digital twin & spatial data", ("공간정보", "Digital twin", "GIS")),
        Entry("health", "스마트헬스", "Smart health", ("헬스케어", "의료", "Smart health")),
        Entry("education", "스마트교육", "Smart education", ("교육", "Smart education")),
        Entry("telecom", "통신인프라", "Telecom infrastructure (5G, fibre)", ("통신", "5G", "Telecom")),
    ]
)

AGENCIES = Lookup(
    [
        Entry("MOLIT", "국토교통부", "MOLIT", ("국토부", "Ministry of Land, Infrastructure and Transport")),
        Entry("MSIT", "과학기술정보통신부", "MSIT", ("미래창조과학부", "미래부", "과기정통부", "MSIP")),
        Entry("MOTIE", "산업통상자원부", "MOTIE", ("산업부",)),
        Entry("ME", "환경부", "ME", ("Ministry of Environment",)),
        Entry("LH", "한국토지주택공사", "LH", ("토지주택공사", "Korea Land and Housing Corporation")),
        Entry("KEPCO", "한국전력공사", "KEPCO", ("한전", "Korea Electric Power Corporation")),
        Entry("K-water", "한국수자원공사", "K-water", ("수공", "수자원공사", "Kwater")),
        Entry("LX", "한국국토정보공사", "LX", ("국토정보공사",)),
        Entry("KOTRA", "대한무역투자진흥공사", "KOTRA", ("코트라",)),
    ]
)

EVENT_TYPES = Lookup(
    [
        Entry("steering_committee", "운영위원회", "Steering committee", ("운영위",)),
        Entry("high_level_meeting", "고위급면담", "High-level meeting", ("고위급", "면담")),
        Entry("business_meeting", "1:1 비즈니스미팅", "1:1 business meeting",
              ("비즈니스미팅", "1:1미팅", "Business meeting")),
        Entry("promotion_booth", "홍보부스", "Promotion booth", ("부스",)),
        Entry("site_visit", "현장방문", "Site visit", ("현장시찰",)),
        Entry("tour_program", "투어프로그램", "Tour programme", ("Tour program", "투어")),
        Entry("mou_signing", "MOU체결", "MOU signing", ("MOU 체결", "양해각서")),
        Entry("other", "기타", "Other"),
    ]
)

# Follow-up of a steering committee's directives (workbook.md, sheet actions).
ACTION_STATUSES = Lookup(
    [
        Entry("not_started", "미착수", "Not started", ("착수전", "미이행", "Not yet started")),
        Entry("in_progress", "추진중", "In progress", ("추진 중", "진행중", "진행 중", "이행중", "Ongoing")),
        Entry("done", "완료", "Done", ("이행완료", "조치완료", "Completed", "Complete")),
        Entry("on_hold", "보류", "On hold", ("hold", "onhold")),
    ]
)
ACTION_DONE = "done"
# The event type whose directives the actions sheet follows up.
MEETING_TYPE = "steering_committee"

YES = frozenset(fold(v) for v in ("Y", "Yes", "예", "O", "○", "true", "1"))
NO = frozenset(fold(v) for v in ("N", "No", "아니오", "X", "×", "false", "0"))

PLACEHOLDERS = frozenset(fold(v) for v in ("-", "–", "—", "미정", "해당없음", "없음", "TBD", "N/A", "n/a", "?"))


# --- workbook.md: sheets and columns ------------------------------------------

# Value types of a column; each has one parser in `ksmart.ingest.values` and one
# dtype in `ksmart.frames`.
TEXT, ENUM, COUNTRY, AGENCY, LIST, NUMBER, PERCENT, DATE, YESNO, MEETING = (
    "text", "enum", "country", "agency", "list", "number", "percent", "date", "yesno", "meeting"
)


@dataclass(frozen=True)
class Column:
    key: str
    ko: tuple[str, ...]
    en: tuple[str, ...]
    type: str = TEXT
    required: bool = False
    enum: Lookup | None = None
    max_length: int | None = None
    unique: bool = False
    help_ko: str = ""
    items: Lookup | None = None  # a list whose items are matched against this table (kept as written when unknown)

    @property
    def header_ko(self) -> str:
        return self.ko[0]

    @property
    def header_en(self) -> str:
        return self.en[0]

    def header(self, lang: str) -> str:
        return self.header_ko if lang == "ko" else self.header_en

    @property
    def aliases(self) -> tuple[str, ...]:
        return (*self.ko, *self.en)


@dataclass(frozen=True)
class Sheet:
    key: str
    names: tuple[str, ...]
    columns: tuple[Column, ...]
    id_column: str | None = None
    ko: str = ""
    en: str = ""
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def label(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


C = Column
PROJECTS = Sheet(
    "projects",
    ("Projects", "사업", "사업현황", "사업목록"),
    (
        C("project_id", ("사업ID", "사업코드", "관리번호"), ("Project ID", "ID", "Code"), TEXT, True, unique=True,
          help_ko="사업을 구별하는 고유 코드 (예: KWT-001). 시트 안에서 중복 불가"),
        C("name", ("사업명",), ("Project name", "Name"), TEXT, True, max_length=300, help_ko="사업 이름 (300자 이내)"),
        C("name_en", ("영문사업명", "사업명(영문)"), ("English name", "Name (EN)"), help_ko="영문 사업명 (선택)"),
        C("country", ("국가", "대상국"), ("Country",), COUNTRY, True,
          help_ko="대상 국가: 한글·영문 국가명 또는 ISO 코드 (예: 쿠웨이트, KWT)"),
        C("city", ("도시", "대상지"), ("City", "Site"), help_ko="대상 도시·사업지 (선택)"),
        C("subcommittee", ("분과",), ("Subcommittee",), ENUM, True, SUBCOMMITTEES,
          help_ko="분과: 도시인프라, 에너지·환경, ICT솔루션 중 하나"),
        C("stage", ("단계", "추진단계"), ("Stage",), ENUM, True, STAGES,
          help_ko="추진 단계: 발굴, 협의·MOU, 타당성조사, 제안·입찰, 협상, 수주·계약, 이행 (또는 1–7)"),
        C("status", ("상태", "진행상태"), ("Status",), ENUM, False, STATUSES,
          help_ko="진행, 보류, 중단 중 하나 (비우면 진행)"),
        C("lead_agency", ("주관기관",), ("Lead agency",), AGENCY, True,
          help_ko="주관 기관 (예: LH, 한전, 수공, LX, KOTRA, 국토부 또는 기업명)"),
        C("partners", ("참여기관", "참여기업"), ("Partners",), LIST, help_ko="참여 기관·기업, 쉼표(,) 또는 세미콜론(;)으로 구분"),
        C("client", ("발주처",), ("Client", "Counterpart"), help_ko="상대국 발주처"),
        C("value_usd_m", ("사업비(백만달러)", "사업규모(백만불)"), ("Value (USD m)", "Value USD m"), NUMBER,
          help_ko="사업비, 백만 달러 단위 숫자 (예: 1,200)"),
        C("value_krw_100m", ("사업비(억원)",), ("Value (KRW 100m)",), NUMBER,
          help_ko="사업비, 억원 단위 (백만달러 칸이 비었을 때 환산)"),
        C("win_probability", ("수주확률", "확률"), ("Win probability",), PERCENT,
          help_ko="수주 확률 (예: 35%, 0.35). 비우면 단계별 기본값"),
        C("financing", ("재원", "재원조달"), ("Financing",), help_ko="재원: ODA, EDCF, KSP, PPP, MDB, 정부, 민간 등"),
        C("technologies", ("적용기술", "요소기술"), ("Technologies",), LIST, items=TECHNOLOGIES,
          help_ko="적용 요소기술, 쉼표로 구분 (예: 스마트교통, 스마트에너지)"),
        C("stage_date", ("단계변경일", "단계진입일"), ("Stage date",), DATE, help_ko="현재 단계에 들어선 날짜 (예: 2016-09-08)"),
        C("next_step", ("향후계획", "다음단계"), ("Next step",), help_ko="다음 추진 계획"),
        C("next_step_date", ("향후일정", "다음일정"), ("Next step date",), DATE, help_ko="다음 일정 날짜"),
        C("owner", ("담당자",), ("Owner",), help_ko="담당자"),
        C("note", ("비고", "추진현황"), ("Note",), help_ko="추진 현황·비고"),
        C("updated_on", ("수정일", "최종수정일"), ("Updated",), DATE, help_ko="이 행을 마지막으로 고친 날짜"),
    ),
    id_column="project_id",
    ko="사업",
    en="Projects",
)

COUNTRIES_SHEET = Sheet(
    "countries",
    ("Countries", "국가", "국가현황"),
    (
        C("country", ("국가", "국가코드"), ("Country", "ISO3"), COUNTRY, True, unique=True,
          help_ko="국가명 또는 ISO 코드, 시트 안에서 중복 불가"),
        C("region", ("권역", "지역"), ("Region",), help_ko="권역 (비우면 기본 권역)"),
        C("attache_post", ("주재관", "주재공관"), ("Attaché post", "Attache post"),
          help_ko="주재관 공관 (있으면 주재관 파견국)"),
        C("policy", ("스마트시티정책", "정책동향"), ("Smart-city policy",), help_ko="상대국 스마트시티 정책 동향"),
        C("priority", ("중점국가",), ("Priority",), YESNO, help_ko="중점국가 여부: Y 또는 N"),
    ),
    id_column="country",
    ko="국가",
    en="Countries",
)

REPORTS = Sheet(
    "reports",
    ("Reports", "동향보고", "주재관보고"),
    (
        C("report_id", ("보고ID",), ("Report ID",), unique=True, help_ko="보고 ID (비우면 국가·일자·제목으로 생성)"),
        C("country", ("국가",), ("Country",), COUNTRY, True, help_ko="보고 대상 국가"),
        C("date", ("보고일", "일자"), ("Date",), DATE, True, help_ko="보고 날짜"),
        C("author", ("작성자", "주재관"), ("Author",), help_ko="작성자"),
        C("title", ("제목",), ("Title",), TEXT, True, help_ko="보고 제목"),
        C("summary", ("요약", "주요내용"), ("Summary",), help_ko="주요 내용"),
        C("project_id", ("관련사업", "사업ID"), ("Project ID",), help_ko="관련 사업 ID (사업 시트에 있어야 함)"),
    ),
    id_column="report_id",
    ko="동향보고",
    en="Reports",
)

EVENTS = Sheet(
    "events",
    ("Events", "행사", "활동", "행사·활동"),
    (
        C("event_id", ("행사ID",), ("Event ID",), unique=True, help_ko="행사 ID (비우면 일자·행사명으로 생성)"),
        C("date", ("일자", "행사일"), ("Date",), DATE, True, help_ko="행사 날짜"),
        C("name", ("행사명",), ("Event",), TEXT, True, help_ko="행사 이름"),
        C("type", ("유형", "구분"), ("Type",), ENUM, True, EVENT_TYPES,
          help_ko="유형: 운영위원회, 고위급면담, 1:1 비즈니스미팅, 홍보부스, 현장방문, 투어프로그램, MOU체결, 기타"),
        C("country", ("국가",), ("Country",), COUNTRY, help_ko="상대 국가 (국내 다국가 행사는 비움)"),
        C("counterpart", ("상대기관", "발주처"), ("Counterpart",), help_ko="상대 기관"),
        C("participants", ("참석기관", "참석자"), ("Participants",), LIST, help_ko="참석 기관, 쉼표로 구분"),
        C("project_id", ("관련사업", "사업ID"), ("Project ID",), help_ko="관련 사업 ID (사업 시트에 있어야 함)"),
        C("outcome", ("결과", "후속조치"), ("Outcome",), help_ko="결과와 후속 조치"),
    ),
    id_column="event_id",
    ko="행사·활동",
    en="Events",
)

ACTIONS = Sheet(
    "actions",
    ("Actions", "지시사항", "후속조치", "조치사항"),
    (
        C("action_id", ("조치ID", "지시ID"), ("Action ID",), unique=True,
          help_ko="지시사항 ID (비우면 회의·지시사항으로 생성)"),
        C("meeting", ("회의", "회의일", "회의ID"), ("Meeting",), MEETING, True,
          help_ko="지시한 운영위원회: 행사ID 또는 회의 날짜 (예: 2016-09-08). 행사 시트나 저장된 행사에 있어야 함"),
        C("directive", ("지시사항", "조치사항", "과제"), ("Directive",), TEXT, True, help_ko="지시 내용"),
        C("owner", ("담당기관", "주관기관"), ("Owner",), LIST, True, items=AGENCIES,
          help_ko="이행 담당 기관, 여럿이면 쉼표(,)로 구분 (예: 국토부, LH)"),
        C("due", ("기한", "완료기한"), ("Due",), DATE, help_ko="완료 기한 (예: 2016-12-31)"),
        C("status", ("이행상태", "추진상태", "상태"), ("Status",), ENUM, True, ACTION_STATUSES,
          help_ko="이행 상태: 미착수, 추진중, 완료, 보류 중 하나"),
        C("done_on", ("완료일",), ("Done on",), DATE, help_ko="완료한 날짜 (완료이면 적음)"),
        C("project_id", ("관련사업", "사업ID"), ("Project ID",), help_ko="관련 사업 ID (사업 시트에 있어야 함)"),
        C("country", ("국가",), ("Country",), COUNTRY, help_ko="관련 국가 (선택)"),
        C("result", ("이행결과", "추진실적"), ("Result",), help_ko="이행 결과·추진 실적"),
    ),
    id_column="action_id",
    ko="지시사항",
    en="Actions",
)
del C

SHEETS: dict[str, Sheet] = {s.key: s for s in (PROJECTS, COUNTRIES_SHEET, REPORTS, EVENTS, ACTIONS)}
SHEET_NAMES: dict[str, str] = {fold(n): s.key for s in SHEETS.values() for n in s.names}

# A footnote row begins with one of these (workbook.md, "Messy input").
FOOTNOTE_PREFIXES = ("※", "*", "주)", "자료:", "출처:", "note")

SEOUL = (126.978, 37.5665)  # lon, lat: where the map's arcs start

# A workbook whose title rows contain one of these is illustrative sample data:
# the store records it, and every page and slide then says so.
ILLUSTRATIVE_MARKERS = ("예시 데이터", "illustrative")
ILLUSTRATIVE_TITLE = "※ 예시 데이터(가상): 실제 부처 자료가 아닙니다 / Illustrative sample data, not real ministry figures"
# An export's base (the store and version it was made from), as custom document
# properties: written by present.exporting, read back by ingest.stamp.
STAMP_STORE_PROPERTY = "ksmart_store_id"
STAMP_VERSION_PROPERTY = "ksmart_version"
