"""CSS for the dashboard's look and for meeting mode.

Only fixed CSS goes through `st.html` here (style-only, so it takes no room):
no text from users or from the text catalogue is ever interpolated.
"""

from __future__ import annotations

import streamlit as st

# Cards for the KPIs, tighter top spacing, tables that read on a projector.
BASE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stMetric"] { background: #F8FAFC; border-radius: 0.5rem; padding: 0.6rem 0.9rem; }
[data-testid="stMetricValue"] { font-weight: 700; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricLabel"] { min-height: 2.6em; align-items: flex-start; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 0.95rem; }
</style>
"""

# Meeting mode: no sidebar (the navigation moves to a top bar), more room,
# larger type and KPI cards.
MEETING = """
<style>
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2.5rem; padding-right: 2.5rem; }
html, [data-testid="stMain"] { font-size: 19px; }
[data-testid="stMain"] h1 { font-size: 2.6rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 1.7rem; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
[data-testid="stMetricValue"] { font-size: 3rem !important; }
[data-testid="stMetricDelta"] { font-size: 1.2rem !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.1rem; }
[data-testid="stMarkdownContainer"] li { font-size: 1.1rem; }
</style>
"""


def apply(meeting: bool) -> None:
    st.html(BASE + (MEETING if meeting else ""))
