"""The deck's own labels, in Korean and English; everything else from `ksmart.i18n`.

The dashboard keeps one translation table (`ksmart.i18n.TEXT`). The slides
reuse its keys wherever the same words appear on screen (chart titles, KPI
names, column headers), so a slide and a page never disagree. Only what no
page says (the footer, the title slide, the labels of the change table, the
milestone window) lives here, under `deck.` keys, until it moves into the
shared table; `t` looks here first, then there, so moving a key changes
nothing for the callers.
"""

from __future__ import annotations

from .. import i18n

DECK_TEXT: dict[str, tuple[str, str]] = {
    "deck.subtitle": ("해외 스마트시티 사업 추진 현황", "Overseas smart-city projects: where they stand"),
    "deck.meeting": ("운영위원회 보고", "Steering committee briefing"),
    "deck.source": ("K-Smart City 수출추진단 파이프라인", "K-Smart City export promotion group pipeline"),
    "deck.footer": ("기준일 {date} · 데이터 버전 {version} · 출처: {source}",
                    "As of {date} · data version {version} · Source: {source}"),
    "deck.footer_illustrative": ("{source} (예시 데이터)", "{source} (illustrative data)"),
    "deck.footer_filtered": ("필터 적용", "filtered"),
    "deck.reference": ("기준일 {date} · 데이터 버전 {version}", "As of {date} · data version {version}"),
    "deck.none_note": ("선택한 조건에 해당하는 사업이 없습니다.", "No project matches the chosen selection."),
    # sections whose title no page uses
    "deck.section.title": ("표지", "Title"),
    "deck.section.kpi": ("주요 지표", "Key figures"),
    "deck.section.upcoming": ("향후 주요 일정", "Upcoming milestones"),
    "deck.section.country_value": ("국가별 진행 파이프라인", "Open pipeline by country"),
    "deck.upcoming_window": ("향후 {days}일 이내 일정이 있는 진행 사업", "Active projects with a next step within {days} days"),
    "deck.upcoming_none": ("{days}일 이내 예정된 일정이 없습니다.", "No next step within {days} days."),
    "deck.funnel_note": ("막대: 각 단계 이상에 도달한 사업 수 · 금액: 백만 달러",
                         "Bars: projects that reached each stage or a later one · value in USD m"),
    "deck.series.spacer": ("간격", "Spacer"),
    "deck.series.label": ("표시용", "Label carrier"),
    "deck.top": ("상위 {n}개국", "top {n} countries"),
    # KPI table (the other KPI names are the Overview page's)
    "deck.kpi.won_value": ("수주 금액 (백만 달러)", "Won value (USD m)"),
    "deck.kpi.upcoming": ("30일 내 일정", "Next steps within 30 days"),
    "deck.kpi.measure": ("지표", "Measure"),
    "deck.kpi.now": ("현재 ({date})", "Now ({date})"),
    "deck.kpi.before": ("비교 ({date})", "Compared ({date})"),
    "deck.kpi.delta": ("증감", "Change"),
    "deck.kpi.status": ("진행 {active} · 보류 {on_hold} · 중단 {dropped} · 사업비 미기재 {missing}",
                        "Active {active} · on hold {on_hold} · dropped {dropped} · value missing {missing}"),
    # since the last meeting
    "deck.moves": ("단계 변동", "Stage moves"),
    "deck.moves_none": ("단계가 바뀐 사업이 없습니다.", "No project changed stage."),
    "deck.col.move": ("이전 → 현재", "Before → now"),
    "deck.change.added": ("신규", "Added"),
    "deck.change.removed": ("삭제", "Removed"),
    "deck.change.advanced": ("단계 진전", "Advanced"),
    "deck.change.regressed": ("단계 후퇴", "Moved back"),
    "deck.change.status_changed": ("상태 변경", "Status changed"),
    "deck.change.value_changed": ("사업비 변경", "Value changed"),
    "deck.change.next_step_slipped": ("일정 연기", "Next step slipped"),
    "deck.change.none": ("변동 없음", "No changes"),
    "deck.change.count": ("{label} {n}", "{label} {n}"),
    # country slide
    "deck.country.line": ("사업 {n}건 · 진행 파이프라인 {value}백만 달러 · 가시화 {advanced}건",
                          "{n} projects · open pipeline USD {value}m · {advanced} advanced"),
    "deck.country.report": ("최근 주재관 보고", "Latest attaché report"),
    "deck.country.no_projects": ("선택한 조건에 해당하는 이 나라 사업이 없습니다.",
                                 "No project of this country matches the chosen selection."),
    # the Slides page
    "deck.page.intro": ("사이드바의 필터와 언어가 그대로 적용된 회의 보고서(PowerPoint)를 만듭니다. "
                        "차트는 PowerPoint에서 바로 고칠 수 있습니다.",
                        "Builds the meeting deck (PowerPoint) with the sidebar's filters and language. "
                        "Its charts stay editable in PowerPoint."),
    "deck.page.sections": ("보고서 구성", "Sections"),
    "deck.page.countries": ("국가별 슬라이드", "Country slides"),
    "deck.page.since": ("비교 기준일 (이날 이전 최신 버전과 비교)", "Compare with the latest version as of"),
    "deck.page.title": ("표지 제목", "Title slide heading"),
    "deck.page.preview": ("슬라이드 {n}장", "{n} slides"),
    "deck.page.download": ("보고서 내려받기 (.pptx)", "Download the deck (.pptx)"),
    "deck.page.map": ("지도 이미지 내려받기 (PNG)", "Download the map picture (PNG)"),
    # map
    "deck.map.legend": ("진행 파이프라인 (백만 달러)", "Open pipeline (USD m)"),
    "deck.map.arcs": ("선: 서울에서 진행 사업 국가로 (굵을수록 큰 금액)",
                      "Lines: from Seoul to countries with open projects (wider: larger value)"),
    "deck.map.no_value": ("진행 금액 없음", "No open value"),
}


def tr(key: str, lang: str, **values) -> str:
    """The text of `key` in `lang`: the deck's table first, then the dashboard's.

    An unknown key raises KeyError, as `i18n.t` does.
    """
    if key in DECK_TEXT:
        ko, en = DECK_TEXT[key]
        text = ko if lang == "ko" else en
        return text.format(**values) if values else text
    return i18n.t(key, lang, **values)
