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

from ksmart import i18n
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
    if page not in ("pages/activities.py", "pages/data.py"):  # the group's own calendar stays without a project
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
    assert metric(at, "kpi.projects") == "1" and metric(at, "kpi.open_value") == "4,400"
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
    assert metric(at, "kpi.open_value") == "4,645"


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
    assert "협상 단계로 진전" in briefing


@pytest.fixture(scope="module")
def busy_store(tmp_path_factory) -> str:
    """Two versions of 500 synthetic projects (the benchmark's): 66 briefing sentences."""
    from benchmarks import common

    url = f"sqlite:///{tmp_path_factory.mktemp('busy') / 'busy.db'}"
    common.seed_store(url, 500)
    return url


def test_overview_briefing_is_bounded_and_the_rest_is_a_download(busy_store, monkeypatch):
    """Thousands of sentences at 50,000 projects must not reach the browser: the
    Overview sends 7 + 50 of them, the whole list is a download made on click."""
    from ksmart.analytics.metrics import Filters
    from ksmart.ui import data

    every = data.briefing_text(busy_store, 1, 2, Filters(), "ko").splitlines()
    assert len(every) == 66
    at = app(busy_store, monkeypatch)
    assert not at.exception
    shown = [line for m in at.markdown for line in m.value.splitlines() if line.startswith("- ")]
    assert len(shown) == 7 + 50
    assert at.expander[0].label == i18n.t("overview.briefing_more", "ko", n=66 - 7)
    assert i18n.t("more", "ko", n=66 - 57) in [c.value for c in at.expander[0].caption]
    assert shown == [f"- {layout.md(line[2:])}" for line in every[:57]]  # the most important first
    button = at.get("download_button")[0]
    assert button.proto.label == i18n.t("overview.briefing_all", "ko", n=66)
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
    assert rows == [["a | b", "1,200.5"], ["<img src=x onerror=alert(1)>", ""], ["**굵게** [링크](http://x)", "3"]]
    assert "\\<img" in markdown.value and "\\*\\*" in markdown.value


def test_a_text_table_keeps_dates_on_one_line():
    def script():
        import pandas as pd

        from ksmart import ui

        ui.text_table(pd.DataFrame({"향후계획": ["계약 체결 (2017-12-31)"], "일자": ["2017-09-30"], "번호": ["12-3-4"]}))

    at = AppTest.from_function(script).run()
    header, row = markdown_tables(at)[0]
    assert row == ["계약 체결 (2017-\u206012-\u206031)", "2017-\u206009-\u206030", "12-3-4"]  # word joiners


def test_the_first_screen_has_no_text_box_or_toggle_until_the_sign_in_form_is_asked_for(sample_store, monkeypatch):
    """Each kind of widget on the first screen is more script for a cold browser to load (issue 8)."""
    at = app(sample_store, monkeypatch)
    assert not at.text_input and not at.toggle
    at.button(key="open_sign_in").click().run()
    assert [t.key for t in at.sidebar.text_input] == ["sign_in_name", "sign_in_password"]
