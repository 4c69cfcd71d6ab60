"""Plotly figures drawn side by side by plotly's finance partial bundle, in one small component.

`st.plotly_chart` makes the browser load Streamlit's full plotly (4.7 MB,
over a second of parsing on an ordinary laptop) and hides the whole page
until it is there. The Overview's first-screen charts (funnel, stage ×
subcommittee) only need bar and funnel traces, so they go through the
component in `plotly_light/` instead: the same figure JSON and the same
config, drawn by a 1.3 MB bundle in an iframe of their own while the rest of
the page shows. One iframe for the row, so the bundle is parsed once, not
once per chart. Every other chart stays on `st.plotly_chart`.

The element is a `component_instance` (AppTest: `at.get("component_instance")`)
whose `json_args` hold `figures` (each `spec`, the figure JSON as
`st.plotly_chart` sends it, and `config`), `height`, `gap_rem` and `toolbar`
(the titles of its buttons: a fullscreen button of its own, as
`st.plotly_chart` has one, and plotly's PNG button in the page's language).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import plotly.io as pio
from streamlit.components import v1 as components

FOLDER = Path(__file__).with_name("plotly_light")
NAME = "plotly_light"
DEFAULT_HEIGHT = 450  # plotly's own default when a layout has none


TOOLBAR_KEYS = ("fullscreen", "exit_fullscreen", "download_png")


def row_args(figures: Sequence[tuple[object, dict]], gap_rem: float, toolbar: dict[str, str]) -> dict:
    """What the component gets for (figure, config) pairs: each figure as
    `st.plotly_chart` serialises it with its config, the row's height (the
    tallest figure's), the gap between the charts in rem of the page, and the
    toolbar's button titles (`TOOLBAR_KEYS`)."""
    return {"figures": [{"spec": pio.to_json(fig, validate=False), "config": config} for fig, config in figures],
            "height": max(int(fig.layout.height or DEFAULT_HEIGHT) for fig, _ in figures),
            "gap_rem": gap_rem, "toolbar": dict(toolbar)}


def light_charts(figures: Sequence[tuple[object, dict]], key: str, toolbar: dict[str, str],
                 gap_rem: float = 2) -> None:
    """Draw (figure, config) pairs side by side, in equal widths, in one iframe.
    `key` keeps the iframe (and its loaded plotly) across reruns, which then
    only redraw; `gap_rem` 2 is the "medium" gap of `st.columns`."""
    # Declared on each call: registration needs the running script's context,
    # which a module-level declaration made at import time may not have.
    component = components.declare_component(NAME, path=str(FOLDER))
    component(**row_args(figures, gap_rem, toolbar), key=key, default=None)
