"""A plotly figure drawn by plotly's finance partial bundle inside a small component.

`st.plotly_chart` makes the browser load Streamlit's full plotly (4.7 MB,
about 1.2 s of parsing on a projector laptop) and hides the whole page until
it is there. The Overview's first-screen charts (funnel, stage ×
subcommittee) only need bar and funnel traces, so they go through the
component in `plotly_light/` instead: the same figure JSON and the same
config, drawn by a 1.3 MB bundle in an iframe of its own, while the rest of
the page shows at once. Every other chart stays on `st.plotly_chart`.

The element is a `component_instance` (AppTest: `at.get("component_instance")`)
whose `json_args` hold `spec` (the figure JSON, as `st.plotly_chart` sends
it), `config` and `height`.
"""

from __future__ import annotations

from pathlib import Path

import plotly.io as pio
from streamlit.components import v1 as components

FOLDER = Path(__file__).with_name("plotly_light")
NAME = "plotly_light"
DEFAULT_HEIGHT = 450  # plotly's own default when a layout has none


def figure_args(fig, config: dict) -> dict:
    """What the component gets: the figure as `st.plotly_chart` serialises it, the config, the height."""
    return {"spec": pio.to_json(fig, validate=False), "config": config,
            "height": int(fig.layout.height or DEFAULT_HEIGHT)}


def light_chart(fig, config: dict, key: str) -> None:
    """Draw `fig` with `config` in the light component; `key` keeps the iframe
    (and its loaded plotly) across reruns, which then only redraw."""
    # Declared on each call: registration needs the running script's context,
    # which a module-level declaration made at import time may not have.
    component = components.declare_component(NAME, path=str(FOLDER))
    component(**figure_args(fig, config), key=key, default=None)
