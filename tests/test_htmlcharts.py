"""The Overview's bar charts in HTML (ksmart.present.htmlcharts): what they show, equal to the metrics."""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd
import pytest

from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.analytics import metrics
from ksmart.ingest.validation import validate_workbook
from ksmart.present import htmlcharts
from ksmart.present import palette as pal
from tests.ui_fixtures import HANGUL, SAMPLE_FILES, html_texts

AS_OF = date(2017, 9, 30)


@pytest.fixture(scope="module")
def projects():
    return validate_workbook(SAMPLE_FILES[-1]).frames["projects"]


def bars(chart: str) -> list[dict]:
    """Every bar of a chart: its tooltip, width (per cent of its track), colour and text."""
    found = re.finditer(r'<div class="ks-bar" title="([^"]*)" style="width:([\d.]+)%;background:(#\w+)">'
                        r'<span class="ks-need\d+" style="color:(#\w+)">([^<]*)</span>', chart)
    return [{"tip": html.unescape(m[1]), "width": float(m[2]), "color": m[3], "ink": m[4], "text": html.unescape(m[5])}
            for m in found]


def labels(chart: str) -> list[str]:
    return [html.unescape(x) for x in re.findall(r'<span class="ks-label">([^<]*)</span>', chart)]


def test_funnel_shows_every_stage_reached_with_its_value(projects):
    rows = metrics.summary(projects, AS_OF)["funnel"]
    chart = htmlcharts.funnel(rows, "ko", "기준일 2017-09-30")
    assert labels(chart) == ref.STAGES.labels("ko")
    found = bars(chart)
    widest = max(r["reached"] for r in rows)
    assert [b["width"] for b in found] == [pytest.approx(100 * r["reached"] / widest, abs=0.01) for r in rows]
    unit = money.unit_for([r["value_usd_m"] for r in rows], "ko")  # one unit for the chart, in every label
    assert [b["text"] for b in found] == [
        i18n.t("chart.funnel_text", "ko", n=f"{r['reached']:,}", value=unit.text(r["value_usd_m"])) for r in rows]
    assert all(b["text"].endswith(unit.label.replace("\u00a0", " ")) for b in found)
    assert [b["color"] for b in found] == [pal.STAGE_COLORS[k] for k in ref.STAGES.keys]
    assert all(b["ink"] == pal.ink_on(b["color"]) for b in found)
    first = rows[0]
    assert found[0]["tip"].splitlines() == [
        ref.STAGES.labels("ko")[0], f"{i18n.t('hover.reached', 'ko')}: {first['reached']:,}",
        f"{i18n.t('kpi.total_value', 'ko')}: {money.amount(first['value_usd_m'], 'ko')}",
        i18n.t("kpi.help.total_value", "ko"),
        f"{i18n.t('hover.conversion', 'ko')}: {first['conversion'] * 100:.0f}%"]
    # every bar's text can also stand beside it, where the bar is too narrow to hold it
    assert chart.count('class="ks-beside"') == len(rows)
    assert chart.count('class="ks-link"') == len(rows) - 1  # the grey links between stages


def test_funnel_links_join_the_bars_above_and_below():
    rows = [{"stage": s, "reached": n, "value_usd_m": 0.0, "conversion": None}
            for s, n in zip(ref.STAGES.keys[:3], (40, 20, 10))]
    links = re.findall(r'class="ks-link" style="clip-path:polygon\(([^)]*)\)"', htmlcharts.funnel(rows, "en", "c"))
    assert links == ["0% 0, 100% 0, 75% 100%, 25% 100%", "25% 0, 75% 0, 62.5% 100%, 37.5% 100%"]


def test_stage_subcommittee_stacks_the_counts_of_the_metrics(projects):
    frame = metrics.stage_by_subcommittee(projects)
    chart = htmlcharts.stage_subcommittee(frame, "ko", "c")
    assert labels(chart) == ref.STAGES.labels("ko")
    names = dict(zip(ref.SUBCOMMITTEES.keys, ref.SUBCOMMITTEES.labels("ko")))
    stages = dict(zip(ref.STAGES.labels("ko"), ref.STAGES.keys))
    totals = frame.groupby("stage")["projects"].sum()
    top = int(re.findall(r'<span style="left:100%">([\d,]+)</span>', chart)[0].replace(",", ""))
    assert top >= totals.max() and top % htmlcharts.count_step(int(totals.max())) == 0
    seen = {}
    for b in bars(chart):
        stage_label, rest = b["tip"].split(" · ", 1)
        name, n = rest.rsplit(": ", 1)
        key = next(k for k, v in names.items() if v == name)
        assert b["color"] == pal.SUBCOMMITTEE_COLORS[key] and b["text"] == n
        assert b["width"] == pytest.approx(100 * int(n) / top, abs=0.01)
        seen[(stages[stage_label], key)] = int(n)
    expected = {(r.stage, r.subcommittee): r.projects for r in frame.itertuples() if r.projects}
    assert seen == expected
    legend = re.findall(r'<span><i style="background:(#\w+)"></i>([^<]*)</span>', chart)
    assert legend == [(pal.SUBCOMMITTEE_COLORS[k], names[k]) for k in ref.SUBCOMMITTEES.keys]
    assert i18n.t("axis.projects", "ko") in chart


def test_an_empty_selection_draws_empty_charts():
    empty = metrics.summary(validate_workbook(SAMPLE_FILES[0]).frames["projects"].head(0), AS_OF)
    funnel = htmlcharts.funnel(empty["funnel"], "ko", "c")
    assert [b["width"] for b in bars(funnel)] == [0.0] * len(ref.STAGES.keys)
    frame = metrics.stage_by_subcommittee(validate_workbook(SAMPLE_FILES[0]).frames["projects"].head(0))
    stages = htmlcharts.stage_subcommittee(frame, "en", "c")
    assert bars(stages) == [] and labels(stages) == ref.STAGES.labels("en")
    assert re.findall(r'<span style="left:([\d.]+%)">(\d+)</span>', stages) == [("0%", "0"), ("100%", "1")]


def test_english_charts_carry_no_hangul(projects):
    caption = i18n.source_caption(AS_OF, 4, True, "en")
    charts = [htmlcharts.funnel(metrics.summary(projects, AS_OF)["funnel"], "en", caption),
              htmlcharts.stage_subcommittee(metrics.stage_by_subcommittee(projects), "en", caption)]
    texts = [t for chart in charts for t in html_texts(chart)]
    assert i18n.t("chart.funnel", "en") in texts and i18n.t("axis.projects", "en") in texts
    assert not [t for t in texts if HANGUL.search(t)]


def test_every_text_is_escaped():
    rows = [{"stage": "identified", "reached": 1, "value_usd_m": 1.0, "conversion": None}]
    chart = htmlcharts.funnel(rows, "ko", '<img src=x onerror="alert(1)">')
    assert "<img" not in chart and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in chart


@pytest.mark.parametrize("top, step", [(0, 1), (1, 1), (4, 1), (7, 2), (15, 5), (40, 10), (99, 50), (1234, 500),
                                       (50_000, 20_000)])
def test_count_steps_are_round_and_few(top, step):
    assert htmlcharts.count_step(top) == step
    assert top / step <= 4


def test_a_bar_text_needs_more_room_the_longer_it_is():
    assert htmlcharts._need("1") < htmlcharts._need("12") < htmlcharts._need("60건 · 13,996")
    assert htmlcharts._need("60건") > htmlcharts._need("600")  # Hangul is wider than digits
    # every width a text can need has its CSS rule (hide inside, show beside)
    assert htmlcharts._need("x" * 200) == htmlcharts.MAX_NEED
    assert all(f".ks-need{n} {{ display: none; }}" in htmlcharts.CSS for n in range(1, htmlcharts.MAX_NEED + 1))


def test_the_css_fetches_nothing():
    assert not re.search(r"url\(|@import|https?:", htmlcharts.CSS)


def test_a_stage_without_projects_keeps_its_row():
    frame = pd.DataFrame({"stage": ["identified"], "subcommittee": ["ict"], "projects": [3]})
    chart = htmlcharts.stage_subcommittee(frame, "ko", "c")
    assert labels(chart) == ref.STAGES.labels("ko") and len(bars(chart)) == 1


def test_korean_labels_break_between_words_only():
    assert "word-break: keep-all" in htmlcharts.row([]).split(".ks-row {", 1)[1].split("}", 1)[0]
