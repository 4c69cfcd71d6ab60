"""The dashboard in AppTest: every page by glob on a sample, an empty and a
filtered-to-nothing store; interactions by widget key (filters, dates,
language, meeting mode, country selection, a new upload)."""

from __future__ import annotations

import ast
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.present import charts, htmlcharts
from ksmart.ui import layout
from ksmart.ui.pages import BY_KEY, PAGES, PAGES_DIR
from tests.ui_fixtures import (
    HANGUL,
    PAGE_FILES,
    ROOT,
    app,
    bar_charts,
    chart_configs,
    component_scan,
    figure_texts,
    html_texts,
    plotly_specs,
    share_component_scan,
    sign_in,
    values,
)

KEYS = {f"pages/{Path(p).stem}.py": Path(p).stem for p in PAGE_FILES}
NOTHING = {"filter_countries": ["KWT"], "filter_stages": ["implementation"]}  # Kuwait has no project in 이행


def open_page(url, monkeypatch, page, **kwargs):
    at = app(url, monkeypatch, **kwargs)
    if BY_KEY[KEYS[page]].role:  # pages for analysts: sign in first, as they would
        sign_in(at)
    return at.switch_page(page).run()


def metric(at, label_key: str, lang: str = "ko") -> str:
    return next(m.value for m in at.metric if m.label == i18n.t(label_key, lang))


def test_navigation_declares_every_page_file():
    assert {p.path for p in PAGES} == {ROOT / p for p in PAGE_FILES}
    assert PAGES[0].key == "overview"  # the landing page, also in meeting mode
    assert all(p.path.parent == PAGES_DIR for p in PAGES)


def test_a_page_run_without_app_py_ends_the_legacy_pages_mode_and_reruns_through_app_py(sample_store, monkeypatch):
    """`pages/` beside app.py: Streamlit's legacy mode runs a page URL's file alone until
    some session calls st.navigation (AppTest starts every run that way). The page's guard
    calls st.navigation itself and reruns; if Streamlit stops honouring that, this fails."""
    import streamlit as st

    calls = []
    navigation = st.navigation
    monkeypatch.setattr(st, "navigation", lambda pages, **kw: calls.append(kw.get("position")) or navigation(pages, **kw))
    at = app(sample_store, monkeypatch)
    calls.clear()
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert calls == ["hidden", "sidebar"]  # the page run alone (guard), then app.py's navigation
    assert at.title[0].value == i18n.t("page.map", "ko") and at.sidebar  # app.py's sidebar is there
    assert "_legacy_pages_run" not in at.session_state


def test_a_page_run_alone_again_after_a_stopped_app_run_is_no_loop(sample_store, monkeypatch):
    """Viewers must sign in: app.py stops at the sign-in panel before its navigation, and
    every AppTest run starts in the legacy mode again; each page run alone is rerun once."""
    monkeypatch.setenv("KSMART_REQUIRE_LOGIN", "1")
    at = app(sample_store, monkeypatch)
    for _ in range(2):
        at.switch_page("pages/map.py").run()
        assert not at.exception and at.title[0].value == i18n.t("app.title", "ko")  # the sign-in panel

# What a page may import: Streamlit, ksmart, and a little of the standard library to wire them.
PAGE_IMPORTS = {"streamlit", "ksmart", "dataclasses", "datetime", "functools"}
PAGE_LINES = 80  # the longest page has 66 lines; past 80 the work belongs in ksmart.ui or the domain


def page_problems(source: str) -> list[str]:
    """Why a page is not "navigation and layout only" (architecture.md): too long, imports
    beyond `PAGE_IMPORTS` or private names, opens files or talks SQL, or keeps its own cache."""
    problems = [f"{len(source.splitlines())} lines > {PAGE_LINES}"] if len(source.splitlines()) > PAGE_LINES else []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            for module in modules:
                if module.split(".")[0] not in PAGE_IMPORTS:
                    problems.append(f"imports {module}")
            problems += [f"imports private {n}" for n in [*modules, *names] if any(
                part.startswith("_") for part in n.split("."))]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            problems.append(f"uses private .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in ("cache_data", "cache_resource", "execute"):
            problems.append(f"uses .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("open", "eval", "exec"):
            problems.append(f"calls {node.func.id}()")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(
                r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b", node.value):
            problems.append("talks SQL")
    return problems


def test_pages_are_thin():
    assert len(PAGE_FILES) == len(PAGES)  # a glob finding nothing must not pass
    for page in PAGE_FILES:
        assert page_problems((ROOT / page).read_text(encoding="utf-8")) == [], page


@pytest.mark.parametrize(("line", "problem"), [
    ("import pandas as pd", "imports pandas"),
    ("import sqlalchemy", "imports sqlalchemy"),
    ("from ksmart.store import _engine", "imports private _engine"),
    ("from ksmart.ui import _private", "imports private _private"),
    ("rows = ui.data._frames(url)", "uses private ._frames"),
    ("ui.store.engine.execute('x')", "uses .execute"),
    ("q = 'SELECT * FROM ksmart_rows'", "talks SQL"),
    ("text = open('data/x.csv').read()", "calls open()"),
    ("load = st.cache_data(lambda: 1)", "uses .cache_data"),
    ("\n" * PAGE_LINES, f" lines > {PAGE_LINES}"),
])
def test_a_fat_page_is_caught(line, problem):
    """The rule can fail: the Overview page with one line that does a page's job badly."""
    source = (ROOT / "pages" / "overview.py").read_text(encoding="utf-8")
    assert any(problem in found for found in page_problems(source + "\n" + line + "\n")), problem


def test_page_tests_share_one_component_scan(sample_store, monkeypatch):
    """ui_fixtures.share_component_scan still reaches Streamlit: a new AppTest uses the
    session's scan and does not scan the installed distributions again."""
    from streamlit.components.v2 import manifest_scanner

    shared = component_scan()
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests",
                        lambda *args, **kwargs: pytest.fail("a new AppTest scanned the distributions again"))
    at = app(sample_store, monkeypatch)
    assert at._bidi_component_manager is shared and not at.exception


# --- every page, three stores --------------------------------------------------------


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_on_the_sample_store(page, sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == i18n.t(f"page.{KEYS[page]}", "ko")
    assert any(i18n.t("notice.illustrative", "ko") in m.value for m in at.markdown)  # illustrative sample
    for spec in plotly_specs(at):
        assert spec["layout"]["title"]["subtitle"]["text"] == "기준일 2017-09-30 · 버전 4 · 예시 데이터(가상)"
    for chart in bar_charts(at):
        assert '<div class="ks-caption">기준일 2017-09-30 · 버전 4 · 예시 데이터(가상)</div>' in chart
    for config in chart_configs(at):
        options = config["toImageButtonOptions"]
        assert options["format"] == "png" and options["width"] >= 1600 and options["height"] >= 900
        assert config["displaylogo"] is False


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_on_an_empty_store(page, empty_store, monkeypatch):
    at = open_page(empty_store, monkeypatch, page)
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/data.py":  # where data gets in: the uploader, not the empty notice
        assert at.get("file_uploader")
        return
    assert i18n.t("notice.empty_title", "ko") in at.info[0].value
    assert "python -m ksmart seed" in at.info[0].value  # the way to load data
    assert not plotly_specs(at) and not bar_charts(at) and not at.get("deck_gl_json_chart")


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_with_filters_that_select_nothing(page, sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    if BY_KEY[KEYS[page]].role:
        sign_in(at)
    for key, value in NOTHING.items():
        at.multiselect(key=key).set_value(value)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    # the group's own calendar and its own tasks (directives of no country or project) stay without a project
    if page not in ("pages/activities.py", "pages/followup.py", "pages/data.py"):
        assert any(i18n.t("notice.no_match", "ko") in i.value for i in at.info)


def test_unreachable_store_is_a_message_not_a_crash(monkeypatch):
    at = app("postgresql+psycopg://ksmart:x@127.0.0.1:1/none", monkeypatch)  # nothing listens on port 1
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and i18n.t("notice.store_error", "ko", message="").rstrip() in at.error[0].value


# --- interactions by widget key ------------------------------------------------------


def test_filters_change_the_kpis_and_follow_every_page(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    assert metric(at, "kpi.projects") == "60"
    at.multiselect(key="filter_stages").set_value(["negotiation"]).run()
    assert metric(at, "kpi.projects") == "2"
    at.multiselect(key="filter_countries").set_value(["KWT"]).run()
    assert metric(at, "kpi.projects") == "1" and metric(at, "kpi.open_value") == money.amount(4400, "ko")
    at.switch_page("pages/map.py").run()  # the filters stay on another page
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    shown = next(l for l in deck["layers"] if l["id"] == "countries")["data"]
    assert [f["properties"]["iso3"] for f in shown] == ["KWT"]
    at.switch_page("pages/overview.py").run()
    assert at.multiselect(key="filter_countries").value == ["KWT"]
    at.button(key="filter_reset").click().run()
    assert metric(at, "kpi.projects") == "60"


def test_region_and_agency_filters(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    at.multiselect(key="filter_regions").set_value(["latin_america"]).run()
    assert metric(at, "kpi.projects") == "10"
    at.multiselect(key="filter_lead_agencies").set_value(["LH"]).run()
    assert int(metric(at, "kpi.projects")) < 10


def test_reference_and_comparison_dates(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas[i18n.t("kpi.projects", "ko")] == "+2"  # 58 at the last meeting's version, 60 now
    at.selectbox(key="reference").set_value(2).run()
    assert metric(at, "kpi.projects") == "50"
    assert at.selectbox(key="compare").options[1:] == ["2016-06-30 (버전 1)"]
    at.selectbox(key="compare").set_value(1).run()
    assert {m.label: m.delta for m in at.metric}[i18n.t("kpi.projects", "ko")] == "+12"


def _store_copy(sample_store, tmp_path) -> str:
    path = tmp_path / "copy.db"
    shutil.copy(sample_store.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def _upload(url, change) -> None:
    """Commit the newest projects sheet, changed by `change`, as a version dated 2017-12-31."""
    from ksmart.auth import cli_actor
    from ksmart.store import open_store

    with open_store(url) as store:
        projects = store.read().frames["projects"].copy()
        change(projects)
        store.import_frames({"projects": projects}, reference_date=date(2017, 12, 31), user=cli_actor("analyst"))


def test_a_new_upload_shows_on_the_next_rerun(sample_store, monkeypatch, tmp_path):
    url = _store_copy(sample_store, tmp_path)
    at = app(url, monkeypatch)
    assert "버전 4" in at.caption[0].value
    _upload(url, lambda p: p.__setitem__("stage", p["stage"].where(p["project_id"] != "KWT-001", "contract")))
    at.run()  # the same session, nothing cleared
    assert "버전 5" in at.caption[0].value and "2017\\-12\\-31" in at.caption[0].value
    assert metric(at, "kpi.won") == "9"


EVIL = "<img src=x onerror=alert(1)> ![x](http://example.com/x.png) :red[x]"


@pytest.fixture(scope="module")
def evil_store(sample_store, tmp_path_factory) -> str:
    """The sample with a fifth version naming a project in markup (the pages only read it)."""
    url = _store_copy(sample_store, tmp_path_factory.mktemp("evil"))

    def evil(projects):
        kuwait = projects["project_id"] == "KWT-001"
        projects.loc[kuwait, "name"] = projects.loc[kuwait, "name_en"] = EVIL
        projects.loc[kuwait, "stage"] = "contract"  # so the briefing names it too

    _upload(url, evil)
    return url


@pytest.mark.parametrize("page", PAGE_FILES)
def test_user_text_is_never_markup(page, evil_store, monkeypatch):
    at = open_page(evil_store, monkeypatch, page)
    assert not at.exception, [e.value for e in at.exception]
    unescaped = re.compile(r"(?<!\\)<img|(?<!\\)\]\(http|(?<!\\):red\[x")
    for element in (*at.markdown, *at.caption):
        assert not unescaped.search(element.value), element.value


def _visible_texts(at) -> list[str]:
    """Labels a reader sees that the app writes (not data cells)."""
    texts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.caption)]
    texts += [m.label for m in at.metric]
    texts += [w.label for kind in ("multiselect", "selectbox", "toggle", "button", "segmented_control")
              for w in at.get(kind)]
    texts += [w.placeholder for w in at.get("multiselect")]
    texts += [str(c) for table in (*at.dataframe, *at.table) for c in table.value.columns]
    texts += [c for table in markdown_tables(at) for c in table[0]]
    texts += [t for spec in plotly_specs(at) for t in figure_texts(spec)]
    texts += [t for chart in bar_charts(at) for t in html_texts(chart)]
    for deck in at.get("deck_gl_json_chart"):
        texts += [f["properties"]["tooltip"] for layer in json.loads(deck.proto.json)["layers"]
                  if layer["id"] == "countries" for f in layer["data"]]
    return texts


@pytest.mark.parametrize("page", PAGE_FILES)
def test_language_switch_changes_every_label(page, sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    at.segmented_control(key="lang").set_value("en").run()
    if BY_KEY[KEYS[page]].role:
        sign_in(at)
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value == i18n.t(f"page.{KEYS[page]}", "en")
    english = _visible_texts(at)
    assert [t for t in english if HANGUL.search(t)] == []
    at.segmented_control(key="lang").set_value("ko").run()
    assert at.title[0].value == i18n.t(f"page.{KEYS[page]}", "ko")
    assert at.multiselect(key="filter_stages").label == "단계"


@pytest.mark.parametrize("page", PAGE_FILES)
def test_no_widget_shows_streamlits_english_placeholder_in_korean(page, sample_store, monkeypatch):
    """A multiselect left empty says Streamlit's "Choose options" unless the page gives its own."""
    at = app(sample_store, monkeypatch)
    if BY_KEY[KEYS[page]].role:
        sign_in(at)
    at.switch_page(page).run()
    assert not at.exception
    placeholders = [w.placeholder for w in at.get("multiselect")]
    assert [p for p in placeholders if not HANGUL.search(p or "")] == []


def test_language_from_the_url_and_choices_survive_the_switch(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch, query={"lang": "en"})
    assert at.title[0].value == "Overview"
    at.multiselect(key="filter_stages").set_value(["negotiation"]).run()
    at.segmented_control(key="lang").set_value("ko").run()
    assert at.multiselect(key="filter_stages").value == ["negotiation"]
    assert metric(at, "kpi.projects") == "2"


def test_meeting_mode_button_opens_the_overview_and_can_be_left(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/map.py")
    assert "leave_meeting" not in [b.key for b in at.button]
    at.button(key="enter_meeting").click().run()
    assert at.title[0].value == i18n.t("page.overview", "ko")
    assert at.query_params.get("mode") == "meeting"
    css = " ".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stSidebar"]' in css and "display: none" in css  # sidebar hidden
    assert "stMetricValue" in css  # larger KPI cards
    at.button(key="leave_meeting").click().run()
    assert at.session_state["meeting"] is False
    assert "leave_meeting" not in [b.key for b in at.button]


def test_meeting_mode_from_the_url(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch, query={"mode": "meeting"})
    assert at.session_state["meeting"] is True
    assert at.title[0].value == i18n.t("page.overview", "ko")
    assert "leave_meeting" in [b.key for b in at.button]
    assert not at.get("file_uploader")  # no editing controls on the projector


def _overview_inputs(url: str, lang: str) -> tuple[list[dict], object, str]:
    """What the Overview's two charts are drawn from, read from the store: the funnel rows, the
    stage × subcommittee counts and the caption."""
    from ksmart.analytics import metrics
    from ksmart.store import open_store

    with open_store(url) as store:
        snapshot = store.read()
    version, projects = snapshot.version, snapshot.frames["projects"]
    funnel = metrics.summary(projects, version.reference_date, version=version.number)["funnel"]
    caption = i18n.source_caption(version.reference_date, version.number, True, lang)
    return funnel, metrics.stage_by_subcommittee(projects), caption


def _overview_summary(url: str) -> dict:
    from ksmart.analytics import metrics
    from ksmart.store import open_store

    with open_store(url) as store:
        snapshot = store.read()
    version = snapshot.version
    return metrics.summary(snapshot.frames["projects"], version.reference_date, version=version.number)


@pytest.mark.parametrize("lang, spoken", [("ko", r"^[\d,.]+억 달러$"), ("en", r"^USD [\d,.]+ bn$")])
def test_overview_kpis_say_amounts_as_people_do_and_name_the_totals(sample_store, monkeypatch, lang, spoken):
    at = app(sample_store, monkeypatch, query={"lang": lang} if lang != "ko" else {})
    assert not at.exception
    summary = _overview_summary(sample_store)
    cards = {m.label: m for m in at.metric}
    for label, field in (("kpi.open_value", "open_value_usd_m"), ("kpi.weighted_value", "weighted_value_usd_m")):
        card = cards[i18n.t(label, lang)]
        assert card.value == money.amount(summary[field], lang) and re.match(spoken, card.value)
        assert card.help == i18n.t(f"kpi.help.{label.split('.')[1]}", lang)
        assert re.match(r"^([+-]|$)", card.delta) and "백만" not in card.delta  # "-3,000만 달러": st.metric's arrow
    assert cards[i18n.t("kpi.projects", lang)].value == f"{summary['projects']:,}"
    assert cards[i18n.t("kpi.projects", lang)].help in (None, "")  # a count needs no explanation



@pytest.mark.parametrize("lang, field, change, shown", [
    ("ko", "open_value_usd_m", 400.0, "+4억 달러"), ("ko", "open_value_usd_m", -30.0, "-3,000만 달러"),
    ("ko", "open_value_usd_m", 0.001, "0달러"), ("en", "weighted_value_usd_m", -1500.0, "-USD 1.5 bn"),
    ("ko", "projects", -2, "-2"), ("en", "projects", 1234, "+1,234"), ("ko", "projects", 0, "0"),
])
def test_a_kpi_change_reads_as_people_say_it_with_the_minus_st_metric_reads(lang, field, change, shown):
    from types import SimpleNamespace

    view = SimpleNamespace(lang=lang)
    assert layout.kpi_delta(view, field, change) == shown  # a leading "-" turns st.metric's arrow down

def test_the_three_totals_have_distinct_names_and_hover_lines_in_both_languages():
    for lang in ("ko", "en"):
        names = [i18n.t(k, lang) for k in ("kpi.total_value", "kpi.open_value", "kpi.weighted_value")]
        helps = [i18n.t(layout.KPI_HELP[k], lang) for k in ("kpi.total_value", "kpi.open_value", "kpi.weighted_value")]
        assert len(set(names)) == 3 and len(set(helps)) == 3 and all(helps)
    assert [i18n.t(k, "ko") for k in ("kpi.total_value", "kpi.open_value", "kpi.weighted_value")] == [
        "누적 사업 규모", "진행 파이프라인", "가중 파이프라인"]
    assert [i18n.t(k, "en") for k in ("kpi.total_value", "kpi.open_value", "kpi.weighted_value")] == [
        "Total portfolio", "Open pipeline", "Weighted pipeline"]


def test_project_tables_keep_numbers_under_a_header_that_states_the_unit(sample_store, monkeypatch):
    from ksmart.analytics import metrics
    from ksmart.store import open_store

    at = open_page(sample_store, monkeypatch, "pages/pipeline.py")
    assert not at.exception
    with open_store(sample_store) as store:
        snapshot = store.read()
    table = metrics.project_table(snapshot.frames["projects"], snapshot.version.reference_date)
    unit = money.unit_for(table["value_usd_m_effective"], "ko")
    header = i18n.t("col.value", "ko", unit=unit.label)
    assert header == "사업비 (억\u00a0달러)"  # the unit never breaks apart
    listed = next(d.value for d in at.dataframe if header in d.value.columns)
    shown = listed[header].dropna()
    assert shown.dtype.kind == "f" and shown.max() == unit.of(table["value_usd_m_effective"].max())
    overview = app(sample_store, monkeypatch)
    advanced = next(m.value for m in overview.markdown if m.value.startswith("| "))
    first_line = advanced.splitlines()[0]
    assert "사업비 \\(" in first_line and "백만" not in advanced  # md() escapes the parenthesis

@pytest.mark.parametrize("lang, meeting", [("ko", False), ("en", False), ("ko", True)])
def test_overview_charts_are_html_with_the_figures_of_the_store(sample_store, monkeypatch, lang, meeting):
    """The first screen loads no chart library: its two charts are htmlcharts' HTML (in one
    st.html with their CSS), built from the newest version; in meeting mode too (the charts
    follow the page's larger type through rem)."""
    query = {"lang": lang} if lang != "ko" else {}
    at = app(sample_store, monkeypatch, query={**query, **({"mode": "meeting"} if meeting else {})})
    assert not at.exception
    assert not at.get("plotly_chart") and not at.get("component_instance")
    funnel, stages, caption = _overview_inputs(sample_store, lang)
    assert bar_charts(at) == [htmlcharts.funnel(funnel, lang, caption),
                              htmlcharts.stage_subcommittee(stages, lang, caption)]
    rows = [h.value for h in at.get("html") if 'class="ks-row"' in h.value]
    assert len(rows) == 1 and rows[0].startswith(htmlcharts.CSS)
    titles = [re.search(r'<div class="ks-title">(.*?)</div>', c).group(1) for c in bar_charts(at)]
    assert titles == [i18n.t("chart.funnel", lang), i18n.t("chart.stage_subcommittee", lang)]
    if lang == "en":
        assert not [t for c in bar_charts(at) for t in html_texts(c) if HANGUL.search(t)]


def test_overview_charts_open_in_plotly_for_png_and_fullscreen(sample_store, monkeypatch):
    """The spec's PNG at slide size from the chart's toolbar: a button opens the same two
    charts as plotly figures (charts.py) in a dialog; plotly is loaded only then."""
    import plotly.io as pio

    at = app(sample_store, monkeypatch)
    assert not at.get("plotly_chart")
    at.button(key="charts_png").click().run()
    assert not at.exception
    funnel, stages, caption = _overview_inputs(sample_store, "ko")
    expected = [charts.funnel(funnel, "ko", caption), charts.stage_subcommittee(stages, "ko", caption)]
    assert plotly_specs(at) == [json.loads(pio.to_json(f, validate=False)) for f in expected]
    assert chart_configs(at) == [charts.config(f"ksmart_{n}_2017-09-30") for n in ("funnel", "stage_subcommittee")]


def test_map_selection_opens_the_country_profile(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/map.py")
    at.session_state["map_pick"] = {"selection": {"indices": {"countries": [0]}, "objects": {
        "countries": [{"type": "Feature", "properties": {"iso3": "KWT", "name": "쿠웨이트"}}]}}}
    at.run()
    assert at.title[0].value == i18n.t("page.countries", "ko")
    assert at.selectbox(key="country_select").value == "KWT"
    assert metric(at, "kpi.open_value") == money.amount(4645, "ko")


def test_country_picker_on_the_map_opens_the_profile(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/map.py")
    at.selectbox(key="map_country_pick").set_value("BOL").run()
    assert at.title[0].value == i18n.t("page.countries", "ko")
    assert at.selectbox(key="country_select").value == "BOL"
    at.switch_page("pages/countries.py")  # where the browser now is (AppTest keeps its last switch_page)
    at.selectbox(key="country_select").set_value("MNG").run()
    assert metric(at, "kpi.projects") == "2"


def test_pipeline_project_detail_shows_its_stage_history(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/pipeline.py")
    at.selectbox(key="pipeline_pick").set_value("KWT-001").run()
    history = next(s for s in plotly_specs(at) if s["layout"]["title"]["text"] == i18n.t("chart.stage_history", "ko"))
    numbers = values(history["data"][0]["y"])
    assert numbers[0] == ref.STAGE_NUMBER["proposal"] and numbers[-1] == ref.STAGE_NUMBER["negotiation"]


def kpi_cards(at) -> dict[str, tuple[str, str, str, str]]:
    """label -> (value, delta, colour, arrow) of each KPI card, as the browser draws it."""
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    return {m.label: (m.value, m.delta, MetricProto.MetricColor.Name(m.proto.color),
                      MetricProto.MetricDirection.Name(m.proto.direction)) for m in at.metric}


def test_overview_has_an_overdue_card_red_when_more_are_overdue(sample_store, monkeypatch):
    cards = kpi_cards(app(sample_store, monkeypatch))
    assert list(cards)[-1] == i18n.t("kpi.overdue", "ko")
    # 28 active projects with a past next step at version 4 (2017-09-30), 10 at version 3 (2017-03-31)
    assert cards[i18n.t("kpi.overdue", "ko")] == ("28", "+18", "RED", "UP")
    assert cards[i18n.t("kpi.projects", "ko")][1:] == ("+2", "GREEN", "UP")  # more projects is good
    en = kpi_cards(app(sample_store, monkeypatch, query={"lang": "en"}))
    assert en["Overdue projects"] == ("28", "+18", "RED", "UP")


@pytest.mark.parametrize(("field", "before", "colour", "arrow"), [
    ("stalled", 1, "RED", "UP"),  # "정체 사업 ↑+1" is bad news
    ("stalled", 3, "GREEN", "DOWN"),
    ("overdue", 1, "RED", "UP"),
    ("overdue", 5, "GREEN", "DOWN"),
    ("stale", 1, "RED", "UP"),
    ("won", 1, "GREEN", "UP"),  # more won is good
    ("won", 3, "RED", "DOWN"),
    ("stalled", 2, "GRAY", "NONE"),  # no change: neither
])
def test_kpi_delta_colours_follow_meaning_not_direction(field, before, colour, arrow):
    def script(field, before):
        from types import SimpleNamespace

        from ksmart import i18n
        from ksmart.ui import layout

        view = SimpleNamespace(lang="ko", t=lambda key, **values: i18n.t(key, "ko", **values))
        label = "kpi.overdue" if field == "stale" else f"kpi.{field}"  # stale has no card of its own
        layout.kpis(view, {field: 2}, {field: before}, ((label, field),))

    at = AppTest.from_function(script, args=(field, before))
    share_component_scan(at)
    at.run()
    assert not at.exception
    ((value, delta, got_colour, got_arrow),) = kpi_cards(at).values()
    assert (value, got_colour, got_arrow) == ("2", colour, arrow)
    assert delta == ("0" if before == 2 else f"{2 - before:+d}")


@pytest.mark.parametrize(("country", "card"), [
    ("ARE", ("1", "+1", "RED", "UP")),  # "정체 사업 ↑+1": one more stalled than at the last meeting, bad
    ("COL", ("1", "-1", "GREEN", "DOWN")),  # one fewer, good
])
def test_countries_stalled_card_colour_says_good_or_bad(sample_store, monkeypatch, country, card):
    at = open_page(sample_store, monkeypatch, "pages/countries.py")
    at.selectbox(key="country_select").set_value(country).run()
    assert kpi_cards(at)[i18n.t("kpi.stalled", "ko")] == card


PIPELINE_FLAGS = {  # the sample's version 4 at 2017-09-30 (metrics.project_table)
    "KWT-002": "기한 경과 122일 · 갱신 필요",  # 255 days in engagement: within its 270, not stalled
    "IND-002": "정체 · 일정 임박",  # 208 days in proposal (> 180)
    "LAO-001": "기한 경과 122일",  # won (implementation) and active: overdue counts; never stale
    "IDN-002": "정체 · 기한 경과 242일 · 갱신 필요",
    "SAU-002": "정체 · 갱신 필요",  # no next step
    "KWT-001": "정체",
    "UZB-001": "",
}


def test_pipeline_table_flags_stalled_overdue_upcoming_and_stale_apart(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/pipeline.py")
    table = at.dataframe[0].value
    flags = dict(zip(table[i18n.t("col.project_id", "ko")], table[i18n.t("col.flags", "ko")]))
    assert {k: flags[k] for k in PIPELINE_FLAGS} == PIPELINE_FLAGS
    board = " ".join(m.value for m in at.markdown)
    assert ":gray[갱신 필요]" in board and ":red[갱신" not in board  # a data check, not an alarm
    assert ":red[기한 경과 122일]" in board and ":red[정체]" in board
    legend = next(c.value for c in at.caption if "정체" in c.value and "갱신 필요" in c.value)
    assert "발굴 180일, 협의·MOU 270일, 타당성조사 365일, 제안·입찰 180일, 협상 180일" in legend.replace("\\", "")
    assert "30일" in legend and "90일" in legend


@pytest.fixture
def fresh_caches():
    """Settings are read once per server process, so the page caches do not key on them; a test
    that changes one starts and ends with empty caches."""
    import streamlit as st

    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_pipeline_flags_follow_the_per_stage_settings_and_the_language(sample_store, monkeypatch, fresh_caches):
    monkeypatch.setenv("KSMART_STALLED_DAYS_ENGAGEMENT", "250")
    at = open_page(sample_store, monkeypatch, "pages/pipeline.py", query={"lang": "en"})
    table = at.dataframe[0].value
    flags = dict(zip(table[i18n.t("col.project_id", "en")], table[i18n.t("col.flags", "en")]))
    assert flags["KWT-002"] == "stalled · 122 days overdue · needs update"  # 255 days > 250 now
    assert flags["IND-002"] == "stalled · due soon"
    assert any("Engagement / MOU 250 days" in c.value for c in at.caption)


def markdown_tables(at) -> list[list[list[str]]]:
    """The markdown tables written on the page (`ui.text_table`): rows of unescaped cells, header first."""
    tables = []
    for element in at.markdown:
        lines = element.value.split("\n")
        if len(lines) >= 2 and lines[0].startswith("| ") and set(lines[1]) <= set("|-:"):
            tables.append([[re.sub(r"\\(.)", r"\1", cell) for cell in re.split(r"(?<!\\) \| ", line[2:-2])]
                           for line in lines[:1] + lines[2:]])
    return tables


def test_overview_shows_the_advanced_projects_and_the_briefing(sample_store, monkeypatch):
    at = app(sample_store, monkeypatch)
    assert not at.table, "the Overview's table is markdown: no Arrow reader on its first screen"
    header, *rows = markdown_tables(at)[0]
    country = header.index(i18n.t("col.country", "ko"))
    assert rows[0][country] == "쿠웨이트"
    assert "볼리비아" in {row[country] for row in rows}
    assert len(rows) <= 10 and all(len(row) == len(header) for row in rows)
    briefing = " ".join(m.value for m in at.markdown)
    assert "제안·입찰→협상" in briefing


def _bullets(blocks) -> list[str]:
    return [line[2:] for m in blocks for line in m.value.splitlines() if line.startswith("- ")]


def _is_followup(expander, lang: str = "ko") -> bool:
    """The directives' expander above the briefing (ksmart.ui.followup), not one of the briefing's."""
    return expander.label.startswith(i18n.t("followup.moved", lang, n=0).split("0")[0])


def _briefing_markdown(at, lang: str = "ko") -> list:
    """The page's markdown without the directives' expander above the briefing."""
    theirs = {m.value for e in at.expander if _is_followup(e, lang) for m in e.markdown}
    return [m for m in at.markdown if m.value not in theirs]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_overview_briefing_items_in_the_spec_order_with_the_tier_three_expander(sample_store, monkeypatch, lang):
    """The Overview shows the ranked items of `ksmart.analytics.briefing` one by one (the flagship
    Kuwait project first), the tier-3 summary, and an expander listing the tier-3 items."""
    from ksmart.analytics import briefing, changes
    from ksmart.store import open_store

    with open_store(sample_store) as s:
        new = s.read()
        old = s.read(changes.choose(s.versions(), new.version, new.frames["events"]).old.number)
    old_p, new_p = old.frames["projects"], new.frames["projects"]
    said = briefing.build(changes.compare(old_p, new_p), new_p, old_p, lang, countries=new.frames["countries"])
    assert len(said.headline) > 7 and said.minor  # the sample has both, or this test shows nothing

    at = app(sample_store, monkeypatch, query={"lang": lang})
    assert not at.exception
    headline = [layout.md(i.sentence) for i in said.headline]
    shown = _bullets(_briefing_markdown(at, lang))
    assert shown[:7] == headline[:7]
    assert shown[0].startswith("쿠웨이트 압둘라 신도시" if lang == "ko" else "Abdullah New Town")
    more = next(e for e in at.expander if e.label == i18n.t("overview.briefing_more", lang, n=len(headline) - 7))
    assert _bullets(more.markdown) == headline[7:]
    assert shown.index(layout.md(said.summary_sentence)) == len(headline)  # after every tier 1 and 2 item
    minor = next(e for e in at.expander if e.label == i18n.t("overview.briefing_minor", lang, n=len(said.minor)))
    assert _bullets(minor.markdown) == [layout.md(i.sentence) for i in said.minor]


@pytest.fixture(scope="module")
def busy_store(tmp_path_factory) -> str:
    """Two versions of 1,000 synthetic projects (the benchmark's): more briefing items than the Overview sends."""
    from benchmarks import common

    url = f"sqlite:///{tmp_path_factory.mktemp('busy') / 'busy.db'}"
    common.seed_store(url, 1000)
    return url


def test_overview_briefing_is_bounded_and_the_rest_is_a_download(busy_store, monkeypatch):
    """Thousands of items at 50,000 projects must not reach the browser: the
    Overview sends 7 + 50 tier 1 and 2 items and 57 tier-3 items at most; the
    whole briefing is a download made on click."""
    from ksmart.analytics.metrics import Filters
    from ksmart.ui import data

    every = data.briefing_text(busy_store, 1, 2, Filters(), "ko").splitlines()
    said = data._ranked(busy_store, 1, 2, Filters(), "ko")
    headline, minor = len(said.headline), len(said.minor)
    assert headline > 57 and minor > 0 and len(every) == headline + 1 + minor
    at = app(busy_store, monkeypatch)
    assert not at.exception
    shown = [line for m in _briefing_markdown(at) for line in m.value.splitlines() if line.startswith("- ")]
    assert shown[:57] == [f"- {layout.md(line[2:])}" for line in every[:57]]  # the most important first
    expanders = [e for e in at.expander if not _is_followup(e)]
    assert expanders[0].label == i18n.t("overview.briefing_more", "ko", n=headline - 7)
    assert i18n.t("more", "ko", n=headline - 57) in [c.value for c in expanders[0].caption]
    assert shown[57] == f"- {layout.md(said.summary_sentence)}"
    assert expanders[1].label == i18n.t("overview.briefing_minor", "ko", n=minor)
    assert len(shown) == 57 + 1 + min(minor, 57)
    button = at.get("download_button")[0]
    assert button.proto.label == i18n.t("overview.briefing_all", "ko", n=headline + minor)
    assert button.proto.deferred_file_id and not button.proto.url  # made on click, not sent with the page


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "![x](http://example.com/a.png)",
                                  ":red[big] :material/home:", "[link](javascript:alert(1))"])
def test_markdown_escape_leaves_user_text_inert(text):
    escaped = layout.md(text)
    for mark in ("<", "[", "(", ":", "!"):
        assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped) if ch == mark), (text, escaped)


def test_activities_show_what_followed_an_event(sample_store, monkeypatch):
    at = open_page(sample_store, monkeypatch, "pages/activities.py")
    linked = at.dataframe[0].value
    followed = dict(zip(linked[i18n.t("col.event", "ko")], linked[i18n.t("col.followed", "ko")]))
    assert followed["쿠웨이트 주택청장 고위급 면담"] == "제안·입찰 → 협상"  # before version 1: its stage then
    assert followed["GICC 1:1 비즈니스미팅 - 몽골 건설도시개발부"] == "발굴 → 협의·MOU"


def test_a_text_table_keeps_every_cell_literal_and_in_its_column():
    def script():
        import pandas as pd

        from ksmart import ui

        ui.text_table(pd.DataFrame({"사업명": ["a | b", "<img src=x onerror=alert(1)>", "**굵게** [링크](http://x)"],
                                    "사업비": ["1,200.5", "", "3"]}), right=["사업비"])

    at = AppTest.from_function(script).run()
    assert not at.exception
    (markdown,) = at.markdown
    assert markdown.value.split("\n")[1] == "|---|---:|"
    header, *rows = markdown_tables(at)[0]
    assert header == ["사업명", "사업비"]
    seen = [[cell.replace("\u2060", "") for cell in row] for row in rows]  # word joiners break up the address
    assert seen == [["a | b", "1,200.5"], ["<img src=x onerror=alert(1)>", ""], ["**굵게** [링크](http://x)", "3"]]
    assert "\\<img" in markdown.value and "\\*\\*" in markdown.value


def test_a_text_table_keeps_dates_on_one_line():
    def script():
        import pandas as pd

        from ksmart import ui

        ui.text_table(pd.DataFrame({"향후계획": ["계약 체결 (2017-12-31)"], "일자": ["2017-09-30"], "번호": ["12-3-4"],
                                    "단계": ["제안·입찰"], "부호": ["- 1"]}))

    at = AppTest.from_function(script).run()
    header, row = markdown_tables(at)[0]
    # word joiners: a date or an id never breaks at its hyphens, a name never beside its middle dot
    assert row == ["계약 체결 (2017-\u206012-\u206031)", "2017-\u206009-\u206030", "12-\u20603-\u20604",
                   "제안\u2060·\u2060입찰", "- 1"]  # a leading hyphen joins nothing


def test_the_first_screen_has_no_text_box_or_toggle_until_the_sign_in_form_is_asked_for(sample_store, monkeypatch):
    """Each kind of widget on the first screen is more script for a cold browser to load (issue 8)."""
    at = app(sample_store, monkeypatch)
    assert not at.text_input and not at.toggle
    at.button(key="open_sign_in").click().run()
    assert not at.text_input  # the form is plain HTML posted to the sign-in route (ksmart.ui.forms)
    assert any('action="/ksmart/sign-in"' in h.value for h in at.sidebar.get("html"))
