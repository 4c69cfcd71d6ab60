"""The meeting deck (issue 7), opened again with python-pptx.

Built from the illustrative sample store (conftest.py's `deck_sample`,
compared with the last steering committee as `briefing` does): slide count
and titles per chosen sections and countries, native charts whose data are
the metrics, native tables, Korean typefaces on every run, the footer, no
text over its box (also with 60-character names), the deck of an empty
selection, the English deck, the errors; then the CLI.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn

from devkit import deck_check as check
from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.analytics import briefing, changes, metrics
from ksmart.cli import main
from ksmart.errors import BadArgument
from ksmart.present import deck
from ksmart.present import palette as pal
from ksmart.store import Snapshot
from tests.decks import LONG_KO, NOTHING, longer, read
from tests.ui_fixtures import HANGUL

ALWAYS = [s.key for s in deck.SECTIONS if not s.per_country]
LONG_NO_SPACE = "가나다라마바사아자차카타파하" * 5


def build(deck_sample, **kw) -> Presentation:
    kw.setdefault("old_snapshot", deck_sample.old)
    kw.setdefault("comparison", deck_sample.comparison)
    return Presentation(io.BytesIO(deck.build_deck(kw.pop("snapshot", deck_sample.new), **kw)))


@pytest.fixture(scope="module")
def ko(deck_sample):
    return build(deck_sample)


@pytest.fixture(scope="module")
def en(deck_sample):
    return build(deck_sample, lang="en")


def titles(prs) -> list[str]:
    return [next(read(s) for s in slide.shapes if s.name == "Title") for slide in prs.slides]


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


def slide_titled(prs, title: str):
    return next(slide for slide, heading in zip(prs.slides, titles(prs)) if heading == title)


def chart(prs, name: str):
    found = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart and s.name == name]
    assert len(found) == 1, name
    return found[0]


def texts(prs) -> list[str]:
    """Every text a reader sees: text boxes, table cells, chart categories and series names."""
    out = []
    for slide in prs.slides:
        for s in slide.shapes:
            if s.has_text_frame:
                out.append(read(s))
            if s.has_table:
                out.extend(read(cell) for row in s.table.rows for cell in row.cells)
            if s.has_chart:
                plot = s.chart.plots[0]
                out.extend(str(c) for c in plot.categories)
                out.extend(series.name for series in plot.series)
    return [t for t in out if t]


# --- slides and titles -------------------------------------------------------------------


def test_the_sample_deck_is_16_9_with_every_section(ko, deck_sample):
    assert (ko.slide_width, ko.slide_height) == (12192000, 6858000)
    countries = deck.default_countries(deck_sample.new)
    assert countries == ("KWT", "PHL", "UZB", "VNM", "BOL", "MMR")  # advanced projects' countries, by open value
    assert len(ko.slides) == len(ALWAYS) + len(countries)
    assert [t for _, t in deck.outline(deck.ALL_SECTIONS, countries)] == titles(ko)


@pytest.mark.parametrize("sections, countries, expected", [
    (["kpi", "funnel"], None, ["주요 지표", "단계별 깔때기 (도달 사업)"]),
    (["upcoming", "title"], (), ["운영위원회 보고", "향후 주요 일정"]),  # deck order, not the order asked
    (["countries"], ["KWT", "볼리비아", "Kuwait"], ["쿠웨이트", "볼리비아"]),  # names resolve, repeats drop
    (["countries", "map"], (), ["해외사업 지도"]),  # no country chosen: no country slide
    ([], None, []),
])
def test_slides_follow_the_chosen_sections_and_countries(deck_sample, sections, countries, expected):
    prs = build(deck_sample, sections=sections, countries=countries)
    assert titles(prs) == expected


def test_default_countries_are_the_advanced_projects_countries(deck_sample):
    advanced = metrics.advanced_projects(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    assert set(deck.default_countries(deck_sample.new, limit=20)) == set(advanced["country"])


def test_title_slide_names_the_data_and_the_comparison(ko):
    first = ko.slides[0]
    context = read(shape(first, "Context"))
    assert "기준일 2017-09-30 · 데이터 버전 4" in context
    assert "지난 운영위원회(2017-06-22) 시점" in context and "버전 3 (2017-03-31)" in context
    assert "예시 데이터(가상)" in read(shape(first, "Illustrative"))


def test_no_illustrative_notice_for_real_data(deck_sample):
    real = Snapshot(replace(deck_sample.new.version, illustrative=False), deck_sample.new.frames)
    prs = build(deck_sample, snapshot=real, sections=["title"])
    assert not [s for s in prs.slides[0].shapes if s.name == "Illustrative"]
    assert "예시" not in read(shape(prs.slides[0], "Footer"))


def test_title_slide_lists_active_filters(deck_sample):
    prs = build(deck_sample, sections=["title"], filters=metrics.Filters(countries=("KWT",), stages=("negotiation",)))
    assert "필터 적용 중: 국가 쿠웨이트 · 단계 협상" in read(shape(prs.slides[0], "Context"))
    assert read(shape(prs.slides[0], "Footer")).endswith("· 필터 적용")


# --- footer and typefaces ----------------------------------------------------------------


def test_every_slide_has_the_footer_and_a_slide_number_field(ko, en):
    ko_footer = "기준일 2017-09-30 · 데이터 버전 4 · 출처: K-Smart City 수출추진단 파이프라인 (예시 데이터)"
    en_footer = ("As of 2017-09-30 · data version 4 · Source: K-Smart City export promotion group pipeline "
                 "(illustrative data)")
    for prs, footer in ((ko, ko_footer), (en, en_footer)):
        for number, slide in enumerate(prs.slides, start=1):
            assert read(shape(slide, "Footer")) == footer
            field = shape(slide, "Slide number").text_frame._txBody.find(f".//{qn('a:fld')}")
            assert field.get("type") == "slidenum" and field.findtext(qn("a:t")) == str(number)


def _typefaces(properties) -> tuple[str | None, str | None]:
    latin, ea = properties.find(qn("a:latin")), properties.find(qn("a:ea"))
    return (latin.get("typeface") if latin is not None else None, ea.get("typeface") if ea is not None else None)


def test_every_run_has_the_east_asian_typeface(ko):
    runs = 0
    for slide in ko.slides:
        for run in slide._element.iter(qn("a:r"), qn("a:fld")):
            assert _typefaces(run.find(qn("a:rPr"))) == (pal.DECK_LATIN_FONT, pal.DECK_EA_FONT)
            runs += 1
        for s in slide.shapes:
            if s.has_chart:
                space = s.chart._chartSpace
                assert space.find(qn("c:txPr")) is not None  # the chart-wide text properties
                for properties in space.iter(qn("a:defRPr"), qn("a:rPr")):
                    assert _typefaces(properties) == (pal.DECK_LATIN_FONT, pal.DECK_EA_FONT)
    assert runs > 300


def test_typefaces_sit_where_the_schema_wants_them(ko):
    """latin and ea after the fill, in that order: PowerPoint rejects a file otherwise."""
    run = next(ko.slides[1]._element.iter(qn("a:rPr")))
    tags = [child.tag for child in run]
    assert tags.index(qn("a:solidFill")) < tags.index(qn("a:latin")) < tags.index(qn("a:ea"))


# --- charts: native, editable, the metrics' numbers ---------------------------------------------


def test_funnel_is_a_stacked_bar_with_a_transparent_spacer(ko, deck_sample):
    funnel = chart(ko, "Funnel")
    summary = metrics.summary(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    assert funnel.chart_type == XL_CHART_TYPE.BAR_STACKED
    plot = funnel.plots[0]
    assert list(plot.categories) == [ref.STAGES.label(k, "ko") for k in ref.STAGES.keys]
    spacer, reached, _ = plot.series
    assert list(reached.values) == [r["reached"] for r in summary["funnel"]]
    widest = max(r["reached"] for r in summary["funnel"])
    assert list(spacer.values) == [(widest - r["reached"]) / 2 for r in summary["funnel"]]
    assert spacer.format.fill.type == 5  # MSO_FILL.BACKGROUND: no fill
    assert [str(p.format.fill.fore_color.rgb) for p in reached.points] == \
        [pal.STAGE_COLORS[k].lstrip("#").upper() for k in ref.STAGES.keys]
    assert funnel.part.chart_workbook.xlsx_part is not None  # "Edit Data" opens the embedded workbook


def test_stage_by_subcommittee_chart_holds_the_metric(ko, deck_sample):
    stacked = chart(ko, "Stage × subcommittee")
    frame = metrics.stage_by_subcommittee(deck_sample.new.frames["projects"])
    plot = stacked.plots[0]
    assert list(plot.categories) == [ref.STAGES.label(k, "ko") for k in ref.STAGES.keys]
    for series, key in zip(plot.series, ref.SUBCOMMITTEES.keys):
        expected = frame[frame["subcommittee"] == key].set_index("stage")["projects"].reindex(ref.STAGES.keys)
        assert series.name == ref.SUBCOMMITTEES.label(key, "ko")
        assert list(series.values) == expected.tolist()
        assert str(series.format.fill.fore_color.rgb) == pal.SUBCOMMITTEE_COLORS[key].lstrip("#").upper()


def test_value_by_country_chart_holds_the_top_countries(ko, deck_sample):
    bars = chart(ko, "Open value by country")
    summary = metrics.summary(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    top = [r for r in summary["by_country"] if r["open_value_usd_m"] > 0][:12]
    plot = bars.plots[0]
    assert list(plot.categories) == [i18n.country(r["country"], "ko") for r in top]
    unit = money.unit_for([r["open_value_usd_m"] for r in top], "ko")  # one unit, stated in the subtitle
    assert unit.label == "억\u00a0달러"
    assert list(plot.series[0].values) == [unit.of(r["open_value_usd_m"]) for r in top]
    subtitle = read(shape(slide_titled(ko, "국가별 진행 파이프라인"), "Subtitle"))
    assert subtitle.endswith("진행 파이프라인 (억\u00a0달러)")
    highest = top[0]["open_value_usd_m"]
    assert [str(p.format.fill.fore_color.rgb) for p in plot.series[0].points] == \
        ["%02X%02X%02X" % pal.value_rgb(r["open_value_usd_m"], highest) for r in top]


def test_technology_chart_holds_the_coverage(ko, deck_sample):
    bars = chart(ko, "Technology coverage")
    coverage = metrics.technology_by_subcommittee(deck_sample.new.frames["projects"])
    plot = bars.plots[0]
    assert list(plot.categories) == [ref.TECHNOLOGIES.label(k, "ko") for k in ref.TECHNOLOGIES.keys]
    for series, key in zip(plot.series, ref.SUBCOMMITTEES.keys):
        assert list(series.values) == coverage[key].tolist()
    summary = metrics.summary(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    totals = [sum(s.values[i] for s in plot.series) for i in range(len(ref.TECHNOLOGIES))]
    assert totals == list(summary["technology_coverage"].values())


def test_map_slide_is_a_picture(ko):
    slide = slide_titled(ko, "해외사업 지도")
    picture = shape(slide, "Map")
    assert picture.shape_type == 13 and picture.image.content_type == "image/png"


# --- tables --------------------------------------------------------------------------------------


def _table(slide):
    return next(s.table for s in slide.shapes if s.has_table)


def test_kpi_table_holds_the_summary_and_its_change(ko, deck_sample):
    now = metrics.summary(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    before = metrics.summary(deck_sample.old.frames["projects"], deck_sample.old.version.reference_date)
    rows = {read(row.cells[0]): [read(c) for c in row.cells][1:] for row in _table(slide_titled(ko, "주요 지표")).rows}
    assert rows["전체 사업"] == [f"{now['projects']}", f"{before['projects']}", f"+{now['projects'] - before['projects']}"]
    assert rows["진행 파이프라인"] == [money.amount(now["open_value_usd_m"], "ko"),
                                money.amount(before["open_value_usd_m"], "ko"),
                                money.signed_amount(now["open_value_usd_m"] - before["open_value_usd_m"], "ko")]
    assert rows["진행 파이프라인"][0].endswith("억 달러")  # spoken: "46.5억 달러", not "4,645"
    assert rows["가중 파이프라인"][0] == money.amount(now["weighted_value_usd_m"], "ko")
    assert rows["가시화 사업"][0] == str(now["advanced"])
    labels = list(rows)
    assert labels[labels.index("정체 사업") + 1] == "기한 경과 사업"  # overdue next to stalled
    assert rows["기한 경과 사업"] == ["28", "10", "+18"]  # 28 past next steps at 2017-09-30, 10 at 2017-03-31
    assert rows["정체 사업"][0] == str(now["stalled"])


def test_kpi_table_in_english_reads_usd_bn(en, deck_sample):
    now = metrics.summary(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    rows = {read(row.cells[0]): [read(c) for c in row.cells][1:] for row in _table(slide_titled(en, "Key figures")).rows}
    assert rows["Open pipeline"][0] == money.amount(now["open_value_usd_m"], "en")
    assert rows["Open pipeline"][0].startswith("USD ") and rows["Open pipeline"][0].endswith(" bn")
    assert rows["Weighted pipeline"][0] == money.amount(now["weighted_value_usd_m"], "en")


def test_changes_slide_has_the_briefing_and_the_stage_moves(ko, deck_sample):
    slide = slide_titled(ko, "지난 회의 이후 주요 변동")
    projects_new, projects_old = deck_sample.new.frames["projects"], deck_sample.old.frames["projects"]
    moved = changes.compare(projects_old, projects_new)
    sentences = read(shape(slide, "Briefing")).split("\n")
    # the flagship's value rise and slip lead (pipeline.md's order), as on the Overview and in `briefing`
    assert sentences[0] == "쿠웨이트 압둘라 신도시 스마트시티: 사업비 40억 달러→44억 달러, 기본협약(HOA) 체결 일정 6.30→12.15 연기"
    said = briefing.build(moved, projects_new, projects_old, "ko", countries=deck_sample.new.frames["countries"])
    assert sentences == said.lines[:len(sentences)]
    rows = _table(slide).rows
    more = read(shape(slide, "More"))  # "외 N건" for the moves not shown
    shown = len(rows) - 1
    assert shown + int("".join(ch for ch in more if ch.isdigit())) == len(moved["advanced"]) + len(moved["regressed"])
    assert read(rows[1].cells[2]) == "수주·계약 → 이행"  # furthest destination first


def test_advanced_and_upcoming_tables_list_the_metrics_rows(ko, deck_sample):
    day = deck_sample.new.version.reference_date
    advanced = metrics.advanced_projects(deck_sample.new.frames["projects"], day)
    rows = _table(slide_titled(ko, "가시화 사업 (제안·입찰, 협상)")).rows
    assert [read(r.cells[1]) for r in list(rows)[1:]] == advanced["name"].tolist()
    upcoming = metrics.upcoming_projects(deck_sample.new.frames["projects"], day, upcoming_days=90)
    rows = _table(slide_titled(ko, "향후 주요 일정")).rows
    assert [read(r.cells[0]) for r in list(rows)[1:]] == [i18n.day(d) for d in upcoming["next_step_date"]]


def test_country_slide_has_its_projects_and_latest_report(ko):
    slide = slide_titled(ko, "쿠웨이트")
    names = [read(r.cells[0]) for r in list(_table(slide).rows)[1:]]
    assert names == ["압둘라 신도시 스마트시티", "쿠웨이트 스마트 물관리(누수 저감)", "쿠웨이트시티 교통관제(ITS) 고도화"]
    facts = read(shape(slide, "Facts"))
    assert "주쿠웨이트 대사관" in facts and "45일 전 (2017-08-16)" in facts and "압둘라 신도시 사업비 재산정" in facts



def test_country_slide_says_its_pipeline_as_people_do_and_its_table_states_the_unit(ko, deck_sample):
    table = metrics.project_table(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    kuwait = table[table["country"] == "KWT"]
    open_value = kuwait.loc[kuwait["is_open"], "value_usd_m_effective"].sum()
    slide = slide_titled(ko, "쿠웨이트")
    assert f"진행 파이프라인 {money.amount(open_value, 'ko')} ·" in read(shape(slide, "Subtitle"))
    rows = list(_table(slide).rows)
    unit = money.unit_for(kuwait["value_usd_m_effective"], "ko")
    header = [read(c) for c in rows[0].cells]  # a header may break before its unit
    assert i18n.t("col.value", "ko", unit=unit.label) in header and "(백만 달러)" not in "".join(header)
    values = [read(r.cells[header.index(i18n.t("col.value", "ko", unit=unit.label))]) for r in rows[1:]]
    by_name = dict(zip(kuwait["name"], kuwait["value_usd_m_effective"]))
    assert values == [money.number(unit.of(by_name[read(r.cells[0])]), unit.decimals) for r in rows[1:]]


def test_funnel_labels_carry_the_one_unit_of_the_chart(ko, deck_sample):
    summary = metrics.summary(deck_sample.new.frames["projects"], deck_sample.new.version.reference_date)
    unit = money.unit_for([r["value_usd_m"] for r in summary["funnel"]], "ko")
    labels = [p.data_label.text_frame.text for p in chart(ko, "Funnel").plots[0].series[2].points]
    assert labels == [f"{r['reached']:,}건 · {unit.text(r['value_usd_m'])}" for r in summary["funnel"]]
    assert all(label.endswith(unit.label.replace("\u00a0", " ")) for label in labels)  # a label wraps as text does

# --- nothing overflows --------------------------------------------------------------------------


def test_the_check_finds_an_overflow():
    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, 914400, 300000)
    box.text_frame.text = LONG_KO * 3
    assert check.problems(prs)


def test_sample_decks_do_not_overflow(ko, en):
    assert check.problems(ko) == []
    assert check.problems(en) == []


@pytest.mark.parametrize("text", [LONG_KO, LONG_NO_SPACE])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_sixty_character_names_do_not_overflow(deck_sample, text, lang):
    assert len(text[:60]) == 60
    prs = build(deck_sample, snapshot=longer(deck_sample.new, text), old_snapshot=longer(deck_sample.old, text), lang=lang,
                meeting_title=text[:60])
    assert check.problems(prs) == []
    if lang == "ko":  # the long names are there, wrapped or cut with "…", not dropped
        cell = read(_table(slide_titled(prs, "쿠웨이트")).rows[1].cells[0])
        assert cell.startswith(text[:8])


# --- an empty selection, English, errors -------------------------------------------------------------


def test_a_deck_for_an_empty_selection_is_valid(deck_sample):
    prs = build(deck_sample, filters=NOTHING)
    assert titles(prs) == [t for _, t in deck.outline(ALWAYS)]  # no advanced project: no country slide
    assert check.problems(prs) == []
    notes = [read(s) for slide in prs.slides for s in slide.shapes if s.name == "Note"]
    assert notes.count("선택한 조건에 해당하는 사업이 없습니다.") == 4  # funnel, stages, countries, technologies
    assert not [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    kpis = _table(slide_titled(prs, "주요 지표"))
    assert {read(row.cells[1]) for row in list(kpis.rows)[1:]} == {"0", "0달러"}


def test_english_deck_has_no_hangul(en):
    """Sample projects all have English names; free text written in Korean is left out."""
    assert titles(en)[:3] == ["Steering committee briefing", "Key figures", "What moved since the last meeting"]
    assert [t for t in texts(en) if HANGUL.search(t)] == []


def test_unknown_sections_and_countries_are_bad_arguments(deck_sample):
    with pytest.raises(BadArgument, match="nope"):
        deck.build_deck(deck_sample.new, sections=["kpi", "nope"])
    with pytest.raises(BadArgument) as err:
        deck.build_deck(deck_sample.new, countries=["Narnia"])
    assert err.value.code == "unknown_country"
    with pytest.raises(BadArgument):
        deck.build_deck(Snapshot(None, {}))


def test_no_comparison_gives_no_deltas(deck_sample):
    prs = build(deck_sample, old_snapshot=None, comparison=None, sections=["kpi", "changes"])
    assert len(_table(prs.slides[0]).columns) == 2  # measure, now
    assert "변동 사항 없음" in read(shape(prs.slides[1], "Briefing"))


# --- the command line ---------------------------------------------------------------------------------


def test_cli_export_deck(sample_store, tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    code = main(["--db", sample_store, "export", "deck", str(out), "--countries", "쿠웨이트,BOL",
                 "--sections", "title,kpi,countries"])
    assert code == 0 and capsys.readouterr().out.strip() == str(out)
    assert titles(Presentation(out)) == ["운영위원회 보고", "주요 지표", "쿠웨이트", "볼리비아"]


@pytest.mark.parametrize("args", [["--lang", "en"], ["--title", "Steering committee #6", "--lang", "en"]])
def test_cli_export_deck_in_english(sample_store, tmp_path, args):
    out = tmp_path / "deck.pptx"
    assert main(["--db", sample_store, "export", "deck", str(out), "--sections", "title,kpi", *args]) == 0
    assert titles(Presentation(out))[1] == "Key figures"


def test_cli_top_level_lang_and_filters(sample_store, tmp_path):
    out = tmp_path / "deck.pptx"
    assert main(["--db", sample_store, "--lang", "en", "export", "deck", str(out), "--sections", "kpi",
                 "--filter-countries", "KWT", "--since", "2016-12-31"]) == 0
    prs = Presentation(out)
    rows = {read(r.cells[0]): read(r.cells[1]) for r in _table(prs.slides[0]).rows}
    assert rows["Projects"] == "3"
    assert "version 2 (2016-09-30)" in read(shape(prs.slides[0], "Subtitle"))


@pytest.mark.parametrize("args", [["--sections", "kpi,nope"], ["--countries", "Narnia"], ["--since", "yesterday"]])
def test_cli_export_deck_bad_arguments_exit_2(sample_store, tmp_path, args, capsys):
    assert main(["--db", sample_store, "export", "deck", str(tmp_path / "x.pptx"), *args]) == 2
    assert not (tmp_path / "x.pptx").exists()
    assert capsys.readouterr().err


# --- the deck's own labels ----------------------------------------------------------------------------


def test_every_deck_label_exists():
    """Every key the deck and its page ask for is in the text catalogue."""
    import re

    from tests.ui_fixtures import ROOT

    sources = [*(ROOT / "ksmart" / "present" / "deck").glob("*.py"), ROOT / "pages" / "slides.py"]
    assert len(sources) > 5
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    asked = set(re.findall(r"""\btr\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""", code))
    asked |= {s.title_key for s in deck.SECTIONS} | {f"change_list.{k}" for k in changes.CHANGE_KEYS}
    assert sorted(asked - set(i18n.catalogue("ko"))) == []
