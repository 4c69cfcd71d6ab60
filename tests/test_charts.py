"""The plotly figures: one language per figure, the palette's colours, the shared look, slide-size PNGs."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.analytics import metrics
from ksmart.ingest.validation import validate_workbook
from ksmart.present import charts
from ksmart.present import palette as pal
from tests.ui_fixtures import HANGUL, SAMPLE_FILES, figure_texts, values

AS_OF = date(2017, 9, 30)


@pytest.fixture(scope="module")
def sheets() -> dict[str, pd.DataFrame]:
    return validate_workbook(SAMPLE_FILES[-1]).frames


def _history() -> pd.DataFrame:
    return pd.DataFrame({
        "version": [1, 3, 4], "reference_date": pd.to_datetime(["2016-06-30", "2017-03-31", "2017-09-30"]),
        "stage": ["proposal", "negotiation", "negotiation"], "status": ["active"] * 3,
        "value_usd_m": [4000.0, 4000.0, 4400.0],
    })


def figures(sheets, lang: str) -> dict[str, object]:
    """Every chart of the dashboard, built from the sample's newest workbook."""
    projects, events = sheets["projects"], sheets["events"]
    summary = metrics.summary(projects, AS_OF)
    caption = i18n.source_caption(AS_OF, 4, True, lang)
    active = projects[metrics.statuses(projects) == "active"]
    matrix = metrics.technology_matrix(active)
    coverage = matrix.groupby(active["subcommittee"].to_numpy()).sum().T
    labels = [i18n.project_name(r, lang) for r in active[["name", "name_en"]].to_dict("records")]
    return {
        "funnel": charts.funnel(summary["funnel"], lang, caption),
        "stage_subcommittee": charts.stage_subcommittee(metrics.stage_by_subcommittee(projects), lang, caption),
        "country_values": charts.country_values(summary["by_country"], lang, caption),
        "technology_coverage": charts.technology_coverage(coverage, lang, caption),
        "technology_matrix": charts.technology_matrix(matrix, labels, lang, caption),
        "events_timeline": charts.events_timeline(events, lang, caption),
        "stage_history": charts.stage_history(_history(), lang, caption),
    }


def spec(fig) -> dict:
    return json.loads(fig.to_json())


@pytest.fixture(scope="module")
def specs(sheets) -> dict[str, dict[str, dict]]:
    """The figure JSON of every chart in each language, built once for the module (read only)."""
    return {lang: {name: spec(fig) for name, fig in figures(sheets, lang).items()} for lang in ("ko", "en")}


@pytest.mark.parametrize("name", ["funnel", "stage_subcommittee", "country_values", "technology_coverage",
                                  "technology_matrix", "events_timeline", "stage_history"])
def test_english_figures_carry_no_hangul(specs, name):
    texts = figure_texts(specs["en"][name])
    assert texts, name
    assert [t for t in texts if HANGUL.search(t)] == []


@pytest.mark.parametrize("name", ["funnel", "stage_subcommittee", "country_values", "technology_coverage",
                                  "technology_matrix", "events_timeline", "stage_history"])
def test_korean_figures_have_korean_titles_and_the_data_caption(specs, name):
    layout = specs["ko"][name]["layout"]
    assert HANGUL.search(layout["title"]["text"])
    assert layout["title"]["subtitle"]["text"] == "기준일 2017-09-30 · 버전 4 · 예시 데이터(가상)"
    assert layout["font"]["family"] == pal.FONT_STACK


def test_korean_category_labels_are_the_reference_labels(specs):
    built = specs["ko"]
    assert built["funnel"]["data"][0]["y"] == ref.STAGES.labels("ko")
    legend = [t["name"] for t in built["stage_subcommittee"]["data"]]
    assert legend == ref.SUBCOMMITTEES.labels("ko")
    assert "쿠웨이트" in built["country_values"]["data"][0]["y"]



@pytest.mark.parametrize("lang", ["ko", "en"])
def test_funnel_labels_carry_one_unit_chosen_by_the_largest_value(sheets, specs, lang):
    rows = metrics.summary(sheets["projects"], AS_OF)["funnel"]
    unit = money.unit_for([r["value_usd_m"] for r in rows], lang)
    assert unit.label == {"ko": "억\u00a0달러", "en": "USD\u00a0bn"}[lang]
    funnel = specs[lang]["funnel"]["data"][0]
    assert funnel["text"] == [i18n.t("chart.funnel_text", lang, n=f"{r['reached']:,}", value=unit.text(r["value_usd_m"]))
                              for r in rows]
    # the first stage's tooltip names the total portfolio, so it is not taken for the open pipeline
    assert i18n.t("kpi.total_value", lang) in funnel["customdata"][0][0]
    assert money.amount(rows[0]["value_usd_m"], lang) in funnel["customdata"][0][0]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_country_values_plot_in_the_unit_their_axis_states(sheets, specs, lang):
    by_country = metrics.summary(sheets["projects"], AS_OF)["by_country"]
    shown = [r["open_value_usd_m"] for r in by_country if r["open_value_usd_m"] > 0][:15][::-1]
    unit = money.unit_for(shown, lang)
    figure = specs[lang]["country_values"]
    assert figure["layout"]["xaxis"]["title"]["text"] == i18n.t(
        "axis.value", lang, measure=i18n.t("hover.open_value", lang), unit=unit.label)
    assert values(figure["data"][0]["x"]) == [unit.of(v) for v in shown]
    assert unit.label == {"ko": "억\u00a0달러", "en": "USD\u00a0bn"}[lang]  # Kuwait, 4,645 (USD m), sets it

def test_colours_come_from_the_palette(specs):
    built = specs["ko"]
    funnel = built["funnel"]["data"][0]
    assert funnel["marker"]["color"] == [pal.STAGE_COLORS[k] for k in ref.STAGES.keys]
    for name in ("stage_subcommittee", "technology_coverage"):
        colours = [t["marker"]["color"] for t in built[name]["data"]]
        assert colours == [pal.SUBCOMMITTEE_COLORS[k] for k in ref.SUBCOMMITTEES.keys], name
    history = built["stage_history"]["data"][0]["marker"]["color"]
    assert history == [pal.STAGE_COLORS[s] for s in ("proposal", "negotiation", "negotiation")]


def test_png_download_is_slide_sized():
    options = charts.config("ksmart_funnel")["toImageButtonOptions"]
    assert options["format"] == "png"
    assert options["width"] >= 1600 and options["height"] >= 900
    assert options["width"] * 9 == options["height"] * 16  # 16:9
    assert options["filename"] == "ksmart_funnel"
    assert charts.config("x")["displaylogo"] is False
    assert charts.config("x")["showSendToCloud"] is False  # nothing leaves the machine from the toolbar


def test_every_figure_uses_the_shared_look(specs):
    for name, figure in specs["en"].items():
        layout = figure["layout"]
        assert layout["font"]["family"] == pal.FONT_STACK, name
        assert layout["title"]["subtitle"]["text"] == "As of 2017-09-30 · version 4 · illustrative data", name
        assert layout["paper_bgcolor"] == pal.BACKGROUND, name


def test_enlarge_makes_type_larger(sheets):
    fig = figures(sheets, "ko")["funnel"]
    before = (fig.layout.font.size, fig.layout.title.font.size)
    charts.enlarge(fig)
    assert fig.layout.font.size > before[0] and fig.layout.title.font.size > before[1]


def test_user_text_is_escaped_for_plotly():
    assert charts.plain("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert charts.plain(None) == "" and charts.plain(float("nan")) == ""
    events = pd.DataFrame({"date": pd.to_datetime(["2017-01-01"]), "name": ["<b onmouseover=x>GICC</b>"],
                           "type": ["other"], "country": [None]})
    hover = spec(charts.events_timeline(events, "en", "c"))["data"][0]["customdata"][0][0]
    assert "<b" not in hover and "&lt;b" in hover


def test_charts_accept_an_empty_selection(sheets):
    """A selection with no project still draws its charts: title, caption, every stage and
    subcommittee on its axis, and no bar longer than zero."""
    projects = metrics.apply_filters(sheets["projects"], metrics.Filters(countries=("ATA",)))
    assert projects.empty
    empty = metrics.summary(projects, AS_OF)
    built = {
        "funnel": charts.funnel(empty["funnel"], "ko", "caption"),
        "country_values": charts.country_values(empty["by_country"], "ko", "caption"),
        "stage_subcommittee": charts.stage_subcommittee(metrics.stage_by_subcommittee(projects), "en", "caption"),
    }
    for name, fig in built.items():
        title = spec(fig)["layout"]["title"]
        assert title["text"] and title["subtitle"]["text"] == "caption", name
    no_stage = [0] * len(ref.STAGES.keys)
    funnel = spec(built["funnel"])["data"][0]
    assert funnel["y"] == ref.STAGES.labels("ko") and values(funnel["x"]) == no_stage
    assert values(spec(built["country_values"])["data"][0]["x"]) == []
    stacked = spec(built["stage_subcommittee"])["data"]
    assert [t["name"] for t in stacked] == ref.SUBCOMMITTEES.labels("en")
    assert [values(t["x"]) for t in stacked] == [no_stage] * len(stacked)


@pytest.mark.parametrize("text, width, lines", [
    ("스마트시티 마스터플랜 수립", 12, ["스마트시티", "마스터플랜", "수립"]),  # Hangul counts two: 5 + 1 + 5 > 12
    ("스마트시티 마스터플랜 수립", 22, ["스마트시티 마스터플랜", "수립"]),
    ("Proposal / tender", 16, ["Proposal /", "tender"]),
    ("Proposal / tender", 17, ["Proposal / tender"]),
    ("초고속정보통신망구축사업", 6, ["초고속정보통신망구축사업"]),  # a word wider than the line stays whole
    ("  협의·MOU  ", 16, ["협의·MOU"]),
    ("", 16, [""]),
])
def test_wrap_words_breaks_labels_between_words_only(text, width, lines):
    wrapped = charts.wrap_words(text, width)
    assert wrapped.split("<br>") == lines
    assert wrapped.replace("<br>", " ") == " ".join(text.split())  # no word cut, none lost


def test_wrap_words_keeps_escaped_user_text_escaped():
    assert charts.wrap_words(charts.plain("<b>굵게</b> 표시"), 8) == "&lt;b&gt;굵게&lt;/b&gt;<br>표시"


@pytest.mark.parametrize("text, limit, expected", [
    ("압둘라 신도시 스마트시티", 28, "압둘라 신도시 스마트시티"),
    ("압둘라 신도시 스마트시티 조성사업", 14, "압둘라 신도시…"),  # between words, not inside 스마트시티
    ("Abdullahnewtownsmartcity", 10, "Abdullahn…"),  # no space in reach: cut at the limit
])
def test_short_cuts_between_words_where_it_can(text, limit, expected):
    assert charts.short(text, limit) == expected


def test_meeting_mode_draws_no_chart_text_under_the_minimum():
    frame = metrics.stage_by_subcommittee(validate_workbook(SAMPLE_FILES[-1]).frames["projects"])
    fig = charts.enlarge(charts.stage_subcommittee(frame, "ko", "caption"))
    layout = fig.layout
    sizes = [layout.font.size, layout.title.font.size, layout.title.subtitle.font.size, layout.legend.font.size,
             layout.xaxis.tickfont.size, layout.yaxis.tickfont.size, layout.xaxis.title.font.size,
             layout.uniformtext.minsize]
    assert min(sizes) == charts.MEETING_MIN_PX
