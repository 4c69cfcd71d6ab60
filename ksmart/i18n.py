"""Every text the dashboard shows, in Korean and English, from one table.

`TEXT` maps a key to its (Korean, English) pair; `t(key, lang, **values)`
picks one and fills `{placeholders}`. Labels of reference data (stages,
statuses, subcommittees, technologies, agencies, event types, regions,
countries) are not repeated here: `label` and `country` take them from
`ksmart.reference` and `ksmart.countries`, so a stage is spelled the same on
the page, in the CLI and on the slides. Numbers and dates are written by
`usd`, `count` and `day` so that every screen formats them alike (USD million
with thousands separators; ISO dates).

Why one table: switching the language must change every label, title, axis
and header at once; a string typed into a page would stay behind in one
language. `tests/test_i18n.py` checks that no English text carries Hangul and
that every key has both languages.
"""

from __future__ import annotations

import math
from datetime import date

from ksmart import reference as ref

LANGS = ("ko", "en")
DEFAULT_LANG = "ko"

TEXT: dict[str, tuple[str, str]] = {
    # --- app and navigation ----------------------------------------------------
    "app.title": ("K-Smart City 수출추진단", "K-Smart City export promotion group"),
    "page.overview": ("종합현황", "Overview"),
    "page.map": ("해외사업 지도", "Project map"),
    "page.pipeline": ("파이프라인", "Pipeline"),
    "page.countries": ("국가별 현황", "Countries"),
    "page.technologies": ("요소기술", "Technologies"),
    "page.activities": ("행사·활동", "Activities"),
    "page.data": ("데이터 관리", "Data"),
    "page.slides": ("보고서", "Slides"),
    # --- sidebar ---------------------------------------------------------------
    "side.language": ("언어", "Language"),
    "side.meeting": ("회의 모드", "Meeting mode"),
    "side.meeting_help": ("프로젝터용 화면: 사이드바를 숨기고 글자와 카드를 키웁니다.",
                          "Projector view: hides the sidebar, enlarges text and cards."),
    "side.meeting_exit": ("회의 모드 끝내기", "Leave meeting mode"),
    "side.dates": ("기준일·비교", "Dates"),
    "side.reference": ("기준일", "Reference date"),
    "side.latest": ("최신 버전", "Latest version"),
    "side.reference_latest": ("최신 {date} (버전 {version})", "Latest {date} (version {version})"),
    "side.version_option": ("{date} (버전 {version})", "{date} (version {version})"),
    "side.compare": ("비교 시점", "Compare with"),
    "side.compare_meeting": ("지난 운영위원회 이후", "Since the last steering committee"),
    "side.compare_help": ("KPI 증감과 브리핑이 이 시점의 버전과 비교합니다.",
                          "KPI deltas and the briefing compare with the version of this date."),
    "side.filters": ("필터", "Filters"),
    "side.reset": ("필터 초기화", "Clear filters"),
    "side.all": ("전체", "All"),
    "filter.countries": ("국가", "Country"),
    "filter.regions": ("권역", "Region"),
    "filter.subcommittees": ("분과", "Subcommittee"),
    "filter.lead_agencies": ("주관기관", "Lead agency"),
    "filter.stages": ("단계", "Stage"),
    "filter.statuses": ("상태", "Status"),
    "filter.active_note": ("필터 적용 중: {fields}", "Filtered by: {fields}"),
    # --- notices and states ----------------------------------------------------
    "notice.illustrative": ("예시 데이터(가상)입니다. 실제 부처 자료가 아닙니다.",
                            "Illustrative sample data, not real ministry figures."),
    "notice.empty_title": ("아직 저장된 데이터가 없습니다", "No data yet"),
    "notice.empty_body": (
        "분석 담당자가 '데이터 관리' 화면에서 사업 현황 Excel 통합문서를 올리면 이 화면이 채워집니다. "
        "명령줄에서는 `python -m ksmart import 통합문서.xlsx`로 올리거나, "
        "`python -m ksmart seed`로 예시 데이터를 넣을 수 있습니다.",
        "The pages fill in once an analyst uploads the pipeline workbook on the Data page. "
        "From the command line: `python -m ksmart import workbook.xlsx`, or "
        "`python -m ksmart seed` for the illustrative sample data.",
    ),
    "notice.no_match": ("선택한 필터에 맞는 사업이 없습니다. 사이드바에서 필터를 조정하거나 초기화하세요.",
                        "No project matches the chosen filters. Change or clear them in the sidebar."),
    "notice.store_error": ("데이터 저장소에 연결할 수 없습니다: {message}", "Cannot reach the data store: {message}"),
    "notice.no_change": ("비교 시점과 같은 버전이라 증감이 없습니다.", "The comparison is the same version: no changes."),
    "context.line": ("기준일 {date} · 버전 {version}", "As of {date} · version {version}"),
    "context.compare": ("비교: {label} · 버전 {version} ({date})", "Compared with: {label} · version {version} ({date})"),
    "context.meeting": ("지난 운영위원회({date}) 시점", "the last steering committee ({date})"),
    "context.since": ("{date} 시점", "{date}"),
    "context.version": ("선택한 버전", "the chosen version"),
    "caption.source": ("기준일 {date} · 버전 {version}", "As of {date} · version {version}"),
    "caption.illustrative": ("예시 데이터(가상)", "illustrative data"),
    "caption.top": ("상위 {n}개", "top {n}"),
    "more": ("외 {n}건", "{n} more"),
    "as_written": ("보고, 행사, 정책 동향은 입력된 그대로 표시합니다.",
                   "Reports, events and policy notes are shown as written in the workbook (Korean)."),
    # --- units -----------------------------------------------------------------
    "unit.usd_m": ("백만 달러", "USD m"),
    "unit.count": ("{n}건", "{n}"),
    # --- KPIs ------------------------------------------------------------------
    "kpi.projects": ("전체 사업", "Projects"),
    "kpi.countries": ("진행 국가", "Countries"),
    "kpi.open_value": ("진행 파이프라인 (백만 달러)", "Open pipeline (USD m)"),
    "kpi.weighted_value": ("가중 금액 (백만 달러)", "Weighted value (USD m)"),
    "kpi.won": ("수주", "Won"),
    "kpi.advanced": ("가시화 사업", "Advanced projects"),
    "kpi.stalled": ("정체 사업", "Stalled projects"),
    # --- chart titles and axes --------------------------------------------------
    "chart.funnel": ("단계별 깔때기 (도달 사업)", "Funnel: projects per stage reached"),
    "chart.funnel_text": ("{n}건 · {value}", "{n} · {value}"),
    "chart.stage_subcommittee": ("단계 × 분과 (진행 사업)", "Stage × subcommittee (active)"),
    "chart.country_value": ("국가별 진행 파이프라인", "Open pipeline by country"),
    "chart.tech_coverage": ("분과별 요소기술 적용 (진행 사업 수)", "Technologies by subcommittee (active projects)"),
    "chart.tech_matrix": ("사업 × 요소기술", "Projects × technologies"),
    "chart.events_timeline": ("행사·활동 일정", "Events over time"),
    "chart.stage_history": ("단계 변화 이력", "Stage history"),
    "axis.projects": ("사업 수", "Projects"),
    "axis.value_usd_m": ("금액 (백만 달러)", "Value (USD m)"),
    "axis.version": ("버전 기준일", "Version date"),
    "hover.reached": ("도달 사업", "Projects reached"),
    "hover.conversion": ("다음 단계 전환율", "Conversion to next stage"),
    "hover.open_value": ("진행 금액", "Open value"),
    "hover.projects": ("사업", "Projects"),
    # --- tables ----------------------------------------------------------------
    "col.project_id": ("사업ID", "Project ID"),
    "col.name": ("사업명", "Project"),
    "col.country": ("국가", "Country"),
    "col.subcommittee": ("분과", "Subcommittee"),
    "col.stage": ("단계", "Stage"),
    "col.status": ("상태", "Status"),
    "col.lead_agency": ("주관기관", "Lead agency"),
    "col.value": ("사업비 (백만 달러)", "Value (USD m)"),
    "col.probability": ("수주확률", "Win probability"),
    "col.days_in_stage": ("단계 체류일", "Days in stage"),
    "col.days_since_update": ("갱신 후 경과일", "Days since update"),
    "col.next_step": ("향후계획", "Next step"),
    "col.next_step_date": ("향후일정", "Next step date"),
    "col.flags": ("주의", "Flags"),
    "col.technologies": ("요소기술 수", "Technologies"),
    "col.date": ("일자", "Date"),
    "col.event": ("행사명", "Event"),
    "col.type": ("유형", "Type"),
    "col.outcome": ("결과", "Outcome"),
    "col.title": ("제목", "Title"),
    "col.author": ("작성자", "Author"),
    "col.summary": ("요약", "Summary"),
    "col.project": ("관련 사업", "Project"),
    "col.followed": ("이후 진전", "What followed"),
    "col.open": ("진행 사업", "Open projects"),
    "col.open_value": ("진행 금액 (백만 달러)", "Open value (USD m)"),
    "col.counterpart": ("상대기관", "Counterpart"),
    # --- overview --------------------------------------------------------------
    "overview.charts_png": ("차트 크게 보기 · PNG 저장", "Enlarge charts · save as PNG"),
    "overview.advanced": ("가시화 사업 (제안·입찰, 협상)", "Advanced projects (proposal, negotiation)"),
    "overview.briefing": ("지난 회의 이후 주요 변동", "What moved since the last meeting"),
    "overview.briefing_more": ("나머지 {n}건 보기", "Show the other {n}"),
    "overview.briefing_all": ("전체 {n}건 내려받기 (텍스트)", "Download all {n} (text)"),
    "overview.no_advanced": ("가시화 단계의 사업이 없습니다.", "No project is at proposal or negotiation."),
    # --- map -------------------------------------------------------------------
    "map.hint": ("국가를 누르면 국가별 현황으로 이동합니다. 색이 짙을수록 진행 파이프라인 금액이 큽니다.",
                 "Click a country to open its profile. Darker means a larger open pipeline."),
    "map.pick": ("국가 프로필 열기", "Open a country profile"),
    "map.pick_placeholder": ("국가를 고르세요", "Choose a country"),
    "map.tooltip": ("{name}\n사업 {projects}건 (진행 {open}건)\n진행 금액 {value}백만 달러",
                    "{name}\n{projects} projects ({open} open)\nOpen value USD {value}m"),
    "map.seoul": ("서울", "Seoul"),
    "map.countries_table": ("국가별 요약", "Countries at a glance"),
    # --- pipeline --------------------------------------------------------------
    "pipeline.board": ("단계별 보드", "Stage board"),
    "pipeline.table": ("사업 목록", "Project list"),
    "pipeline.detail": ("사업 상세", "Project detail"),
    "pipeline.pick": ("사업 선택", "Choose a project"),
    "pipeline.column_head": ("{n}건 · {value}백만 달러", "{n} · USD {value}m"),
    "pipeline.board_more": ("외 {n}건", "+{n} more"),
    "pipeline.history_none": ("버전 이력이 없습니다.", "No version history."),
    "pipeline.flag_stalled": ("정체", "stalled"),
    "pipeline.flag_upcoming": ("일정 임박", "due soon"),
    "pipeline.legend": ("정체: 한 단계에 {stage}일 넘게 있거나 {update}일 넘게 갱신되지 않은 진행 사업. "
                        "일정 임박: {upcoming}일 안에 향후일정이 있는 사업.",
                        "Stalled: open and more than {stage} days in its stage or {update} days without update. "
                        "Due soon: next step within {upcoming} days."),
    # --- countries -------------------------------------------------------------
    "countries.pick": ("국가", "Country"),
    "countries.attache": ("주재관", "Attaché post"),
    "countries.no_attache": ("주재관 없음", "No attaché"),
    "countries.freshness": ("최근 동향보고", "Latest attaché report"),
    "countries.freshness_value": ("{days}일 전 ({date})", "{days} days ago ({date})"),
    "countries.no_report": ("보고 없음", "No report"),
    "countries.region": ("권역", "Region"),
    "countries.priority": ("중점국가", "Priority country"),
    "countries.yes": ("예", "Yes"),
    "countries.no": ("아니오", "No"),
    "countries.policy": ("스마트시티 정책 동향", "Smart-city policy"),
    "countries.latest_event": ("최근 행사", "Latest event"),
    "countries.projects": ("사업", "Projects"),
    "countries.reports": ("주재관 동향보고", "Attaché reports"),
    "countries.events": ("행사·활동", "Events"),
    "countries.none": ("없음", "None"),
    # --- technologies ----------------------------------------------------------
    "tech.few": ("한국 요소기술 적용이 적은 가시화 사업 ({n}개 이하)",
                 "Advanced projects with few Korean technologies ({n} or fewer)"),
    "tech.none_few": ("해당하는 가시화 사업이 없습니다.", "No advanced project has so few technologies."),
    "tech.matrix_note": ("진행 사업 중 금액이 큰 {n}개", "The {n} largest active projects"),
    # --- activities ------------------------------------------------------------
    "activities.linked": ("사업과 연결된 행사와 이후 진전", "Events linked to projects, and what followed"),
    "activities.all": ("전체 행사·활동", "All events"),
    "activities.followed": ("{before} → {now}", "{before} → {now}"),
    "activities.unchanged": ("{stage} (변동 없음)", "{stage} (unchanged)"),
    "activities.none": ("기록된 행사가 없습니다.", "No events recorded."),
    # --- sign-in and roles ------------------------------------------------------
    "auth.box": ("로그인", "Sign in"),
    "auth.name": ("이름", "Name"),
    "auth.password": ("비밀번호", "Password"),
    "auth.sign_in": ("로그인", "Sign in"),
    "auth.sign_in_sso": ("기관 계정으로 로그인", "Sign in with your organisation account"),
    "auth.sign_out": ("로그아웃", "Sign out"),
    "auth.signed_in": ("{name} ({role}) 로그인됨", "Signed in as {name} ({role})"),
    "auth.needs_role": ("이 화면은 {role} 이상만 쓸 수 있습니다. 로그인하세요.",
                        "This page needs the {role} role or higher. Please sign in."),
    "role.viewer": ("열람자", "viewer"),
    "role.analyst": ("분석 담당자", "analyst"),
    "role.admin": ("관리자", "admin"),
    # --- data page ---------------------------------------------------------------
    "data.upload_title": ("통합문서 올리기", "Upload a workbook"),
    "data.template": ("빈 양식 내려받기 (.xlsx)", "Download the template (.xlsx)"),
    "data.upload": ("사업 현황 통합문서 (.xlsx)", "Pipeline workbook (.xlsx)"),
    "data.upload_help": ("사업·국가·동향보고·행사 시트 중 있는 것만 반영합니다. 최대 20MB.",
                         "Only the sheets present (projects, countries, reports, events) are used. Up to 20 MB."),
    "data.rejected": ("파일을 받을 수 없습니다: {message}", "The file cannot be used: {message}"),
    "data.errors": ("오류 {n}건: 고친 뒤 다시 올려 주세요. 아무것도 저장하지 않았습니다.",
                    "{n} error(s): fix them and upload again. Nothing was saved."),
    "data.warnings": ("경고 {n}건: 반영은 할 수 있습니다.", "{n} warning(s): the upload can still be committed."),
    "data.valid": ("검증 통과: {counts}", "Valid: {counts}"),
    "data.report_download": ("검증 결과 내려받기 (.xlsx)", "Download the validation report (.xlsx)"),
    "data.mode": ("반영 방식", "Mode"),
    "data.mode_help": ("수정: 같은 ID는 바꾸고 새 ID는 추가, 파일에 없는 ID는 유지. "
                       "전체 교체: 올린 시트를 통째로 바꾸며 파일에 없는 ID는 삭제.",
                       "Update: rows with the same ID are replaced, new IDs added, others kept. "
                       "Replace: the uploaded sheets replace the stored ones; IDs not in the file are removed."),
    "mode.update": ("수정 (update)", "Update"),
    "mode.replace": ("전체 교체 (replace)", "Replace"),
    "data.preview": ("반영하면 바뀌는 내용 (아직 저장 전)", "What will change (nothing saved yet)"),
    "data.no_changes": ("저장된 데이터와 같아 바뀌는 내용이 없습니다.", "Nothing differs from the stored data."),
    "data.reference_date": ("기준일", "Reference date"),
    "data.note": ("메모 (선택)", "Note (optional)"),
    "data.commit": ("새 버전으로 반영", "Commit as a new version"),
    "data.committing": ("반영 중…", "Committing…"),
    "data.committed_progress": ("반영 완료", "Committed"),
    "data.committed": ("버전 {version}(으)로 반영했습니다. 모든 화면에 바로 보입니다.",
                       "Committed as version {version}; every page shows it now."),
    "change.added": ("추가", "added"),
    "change.removed": ("삭제", "removed"),
    "change.changed": ("변경", "changed"),
    "change.kind": ("구분", "Change"),
    "change.fields": ("바뀐 항목", "Changed fields"),
    "report.sheet": ("검증결과", "Validation report"),
    "report.level": ("구분", "Level"),
    "report.code": ("코드", "Code"),
    "report.sheet_col": ("시트", "Sheet"),
    "report.row": ("행", "Row"),
    "report.column": ("열", "Column"),
    "report.value": ("값", "Value"),
    "report.message": ("내용", "Message"),
    "versions.title": ("버전 이력", "Versions"),
    "versions.number": ("버전", "Version"),
    "versions.reference_date": ("기준일", "Reference date"),
    "versions.committed_at": ("반영 시각 (UTC)", "Committed (UTC)"),
    "versions.user": ("사용자", "User"),
    "versions.kind": ("구분", "Kind"),
    "versions.counts": ("행 수", "Rows"),
    "versions.note": ("메모", "Note"),
    "versions.choose": ("버전 선택", "Version"),
    "versions.view": ("이 버전 보기", "View this version"),
    "versions.download": ("이 버전 내려받기 (.xlsx)", "Download this version (.xlsx)"),
    "versions.rollback": ("이 버전으로 되돌리기", "Roll back to this version"),
    "versions.rollback_confirm": ("버전 {version} ({date})의 내용으로 새 버전을 만듭니다. 이력은 지워지지 않습니다.",
                                  "This makes a new version with version {version}'s content ({date}). "
                                  "No history is deleted."),
    "versions.rollback_do": ("되돌리기 확인", "Confirm rollback"),
    "versions.rolled_back": ("버전 {target}의 내용으로 버전 {version}을 만들었습니다.",
                             "Version {version} now holds version {target}'s content."),
    "kind.import": ("반영", "import"),
    "kind.seed": ("예시 데이터", "sample"),
    "kind.rollback": ("되돌리기", "rollback"),
    "users.title": ("사용자 관리", "Users"),
    "users.role": ("역할", "Role"),
    "users.created": ("등록일", "Created"),
    "users.add": ("사용자 추가", "Add user"),
    "users.added": ("{name} 사용자를 추가했습니다.", "User {name} added."),
    # --- the meeting deck (ksmart/present/deck): what no page says ---------------------
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
    # the change lists' headings, shared by the deck and the command line
    "change_list.added": ("신규", "Added"),
    "change_list.removed": ("삭제", "Removed"),
    "change_list.advanced": ("단계 진전", "Advanced"),
    "change_list.regressed": ("단계 후퇴", "Moved back"),
    "change_list.status_changed": ("상태 변경", "Status changed"),
    "change_list.value_changed": ("사업비 변경", "Value changed"),
    "change_list.next_step_slipped": ("일정 연기", "Next step slipped"),
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
    # --- command line (text output; the JSON keys stay as cli.md has them) ---------
    "cli.as_of": ("기준일", "As of"),
    "cli.version": ("버전", "version"),
    "cli.projects": ("사업", "Projects"),
    "cli.active": ("진행", "active"),
    "cli.on_hold": ("보류", "on hold"),
    "cli.dropped": ("중단", "dropped"),
    "cli.countries": ("진행 국가", "Countries (active)"),
    "cli.open": ("진행 파이프라인", "Open pipeline"),
    "cli.weighted": ("가중", "weighted"),
    "cli.won": ("수주", "Won"),
    "cli.advanced": ("가시화", "advanced"),
    "cli.stalled": ("정체", "stalled"),
    "cli.upcoming": ("임박 일정", "upcoming"),
    "cli.value_missing": ("사업비 미기재", "value missing"),
    "cli.reached": ("도달", "Reached"),
    "cli.value": ("금액", "Value"),
    "cli.conversion": ("전환율", "Conversion"),
    "cli.open_count": ("파이프라인", "Open"),
    "cli.open_value": ("파이프라인 금액", "Open value"),
    "cli.weighted_value": ("가중 금액", "Weighted"),
    "cli.won_value": ("수주 금액", "Won value"),
    "cli.technology": ("요소기술 (진행 사업)", "Technologies (active projects)"),
    "cli.since": ("비교 기준일", "compared as of"),
    "cli.meeting": ("지난 운영위원회", "last steering committee"),
    "cli.no_change": ("변동 없음", "no change"),
}


def t(key: str, lang: str, **values) -> str:
    """The text of `key` in `lang` with `{placeholders}` filled.

    An unknown key raises KeyError: a missing translation should fail a test,
    not show a key on the projector.
    """
    ko, en = TEXT[key]
    text = ko if lang == "ko" else en
    return text.format(**values) if values else text


def label(lookup: ref.Lookup, key, lang: str) -> str:
    """A reference label (stage, status, subcommittee…) in `lang`; "" for empty."""
    if key is None or (isinstance(key, float) and math.isnan(key)):
        return ""
    return lookup.label(str(key), lang)


def country(iso3, lang: str) -> str:
    """A country's display name in `lang` (the ISO code when unknown, "" for empty)."""
    if iso3 is None or (isinstance(iso3, float) and math.isnan(iso3)) or str(iso3) in ("", "nan"):
        return ""
    from ksmart import countries

    return countries.name(str(iso3), lang)


def region(key, lang: str) -> str:
    from ksmart import countries

    return label(countries.REGIONS, key, lang)


def agency(key, lang: str) -> str:
    """A lead agency: the canonical agency's label, or the name as written."""
    return label(ref.AGENCIES, key, lang)


def filter_value(field: str, value, lang: str) -> str:
    """How a value of sidebar filter `field` (a `metrics.Filters` field) reads:
    ("stages", "negotiation") -> 협상 / Negotiation; countries by name."""
    lookups = {"subcommittees": ref.SUBCOMMITTEES, "stages": ref.STAGES, "statuses": ref.STATUSES}
    if field in lookups:
        return label(lookups[field], value, lang)
    return {"countries": country, "regions": region, "lead_agencies": agency}[field](value, lang)


def usd(value, digits: int = 0) -> str:
    """USD million with thousands separators ("4,400"; "44.5" with digits=1); "-" when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if digits and "." in text else text


def signed(value, digits: int = 0) -> str:
    """A delta with its sign ("+400", "-2", "0")."""
    text = usd(abs(value), digits)
    return text if value == 0 else ("+" if value > 0 else "-") + text


def count(n: int, lang: str) -> str:
    return t("unit.count", lang, n=f"{int(n):,}")


def day(value) -> str:
    """An ISO date ("2017-09-30"); "" for empty (None, NaT)."""
    import pandas as pd

    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).date().isoformat()


def project_name(row, lang: str) -> str:
    """A project's name in `lang`: the English name in English when given."""
    if lang == "en":
        name_en = row.get("name_en")
        if isinstance(name_en, str) and name_en.strip():
            return name_en
    return str(row.get("name") or "")


def source_caption(as_of: date, version: int, illustrative: bool, lang: str) -> str:
    """The caption every chart carries: reference date and version, and the
    illustrative mark when the data are the sample."""
    text = t("caption.source", lang, date=day(as_of), version=version)
    return f"{text} · {t('caption.illustrative', lang)}" if illustrative else text
