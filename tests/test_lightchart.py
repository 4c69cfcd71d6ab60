"""The light plotly component (ksmart.ui.lightchart): the vendored bundle is the
one its README names, it can draw the Overview's trace types, the component
loads nothing from elsewhere, and it is handed the figure `st.plotly_chart`
would get. Drawing in Chromium is tested in test_browser.py."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

import plotly.io as pio
import pytest

from ksmart import charts, i18n, metrics, synthetic
from ksmart.ui import lightchart

FOLDER = lightchart.FOLDER
BUNDLE = FOLDER / "plotly-finance.min.js"
TOOLBAR = {k: i18n.t(f"chart.{k}", "ko") for k in lightchart.TOOLBAR_KEYS}


def _overview_figures():
    """The Overview's funnel and stage × subcommittee of a small synthetic portfolio."""
    projects = synthetic.frames(40, seed=11)["projects"]
    caption = "기준일 2017-09-30 · 버전 4"
    return [charts.funnel(metrics.summary(projects, date(2017, 9, 30))["funnel"], "ko", caption),
            charts.stage_subcommittee(metrics.stage_by_subcommittee(projects), "ko", caption)]


def test_the_bundle_is_the_one_the_readme_names():
    line = next(l for l in (FOLDER / "README.md").read_text(encoding="utf-8").splitlines()
                if l.startswith("- plotly-finance.min.js:"))
    version = re.search(r"plotly\.js-finance-dist-min (\d+\.\d+\.\d+)", line).group(1)
    assert hashlib.sha256(BUNDLE.read_bytes()).hexdigest() == re.search(r"sha256 ([0-9a-f]{64})", line).group(1)
    assert BUNDLE.read_text(encoding="utf-8")[:200].count(f"plotly.js (finance - minified) v{version}") == 1
    assert "MIT License" in (FOLDER / "LICENSE").read_text(encoding="utf-8")


def test_the_bundle_draws_every_trace_type_of_the_overview():
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text(encoding="utf-8")))
    used = {trace["type"] for fig in _overview_figures() for trace in json.loads(pio.to_json(fig))["data"]}
    assert used == {"funnel", "bar"} and used <= registered


def test_the_component_loads_only_its_own_files():
    page = (FOLDER / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'src="([^"]+)"', page)
    assert sources == ["main.js", "plotly-finance.min.js"] and all((FOLDER / s).is_file() for s in sources)
    for name in ("index.html", "main.js"):
        assert not re.search(r"https?://|//[a-z]", (FOLDER / name).read_text(encoding="utf-8")), name


@pytest.mark.parametrize("meeting", [False, True])
def test_the_component_gets_the_figures_and_configs_of_st_plotly_chart(meeting):
    figures = _overview_figures()
    if meeting:
        for fig in figures:
            charts.enlarge(fig)
    configs = [charts.config(f"ksmart_{name}_2017-09-30") for name in ("funnel", "stage_subcommittee")]
    args = lightchart.row_args(list(zip(figures, configs)), gap_rem=2, toolbar=TOOLBAR)
    # what st.plotly_chart sends as its spec and config
    assert args["figures"] == [{"spec": pio.to_json(fig, validate=False), "config": config}
                               for fig, config in zip(figures, configs)]
    assert args["height"] == (483 if meeting else 420) and args["gap_rem"] == 2 and args["toolbar"] == TOOLBAR
    json.dumps(args)  # components v1 sends its arguments as JSON


def test_the_row_is_as_tall_as_its_tallest_figure():
    short, tall = _overview_figures()
    tall.update_layout(height=520)
    assert lightchart.row_args([(short, {}), (tall, {})], gap_rem=1, toolbar=TOOLBAR)["height"] == 520

