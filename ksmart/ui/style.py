"""CSS for the dashboard's look and for meeting mode.

Only fixed CSS goes through `st.html` here (style-only, so it takes no room):
no text from users or from the text catalogue is ever interpolated.
"""

from __future__ import annotations

import streamlit as st

# Cards for the KPIs, tighter top spacing, tables that read on a projector.
BASE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-left: 3rem; padding-right: 3rem; }
/* Korean breaks between words, never inside one; a Latin token longer than its line may still break. */
[data-testid="stApp"], [data-testid="stApp"] * { word-break: keep-all !important; overflow-wrap: break-word; }
/* KPI cards: equally tall; the value and its change on one line each, never cut, their size from
   the card's width (container query units), so seven cards of spoken amounts fit from 1280 px up. */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) { align-items: stretch; }
[data-testid="stColumn"]:has([data-testid="stMetric"]) > [data-testid="stVerticalBlock"],
[data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) { height: 100%; }
[data-testid="stMetric"] { background: #F8FAFC; border-radius: 0.5rem; padding: 0.6rem 0.7rem; height: 100%;
  box-sizing: border-box; container-type: inline-size; }
/* the label takes the room a longer label needs elsewhere in the row: values and changes stay level */
[data-testid="stMetric"] > div { display: flex; flex-direction: column; height: 100%; }
[data-testid="stMetricLabel"] { flex: 1 0 auto; }
[data-testid="stMetric"] > div > div:has(> [data-testid="stMetricDelta"]) { height: 2.1rem; display: flex;
  align-items: center; }  /* a change of 0 is drawn in a taller pill */
[data-testid="stMetricValue"] { font-weight: 700; font-size: min(2.25rem, 15cqi) !important; line-height: 1.25; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"],
[data-testid="stMetricDelta"] * { white-space: nowrap !important; overflow: visible !important;
  text-overflow: clip !important; }
[data-testid="stMetricDelta"] { font-size: min(1rem, 12cqi) !important; }
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
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 4.2rem 2.5rem 2rem; }  /* below the top bar */
/* dashboard.md: no text under 20 px at 1920 wide, 16 px at 1366. The root size follows the window
   (1.05vw is 20.2 px at 1920) and nothing in the page is drawn smaller than it. */
html { font-size: clamp(16px, 1.05vw, 28px) !important; }
[data-testid="stMain"] :is(p, li, td, th, span, small, label, summary, a, code, button,
  [data-testid="stCaptionContainer"], .ks-caption, .ks-bars, .ks-axis, .ks-legend, .ks-label) {
  font-size: max(1rem, 1em) !important; }
/* a widget's value (the chosen country, the picked project) is an input element */
[data-testid="stMain"] :is(input, textarea, [data-baseweb="select"] div) { font-size: max(1rem, 1em) !important; }
[data-testid="stMain"] h1 { font-size: 2.2rem; padding: 0.2rem 0; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] h4 { font-size: 1.5rem; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
[data-testid="stMetricValue"] { font-size: min(3.2rem, 15cqi) !important; }
[data-testid="stMetricDelta"] { font-size: min(1.2rem, 12cqi) !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.1rem; }
[data-testid="stMarkdownContainer"] li { font-size: 1.1rem; }
</style>
"""


def apply(meeting: bool) -> None:
    st.html(BASE + (MEETING if meeting else ""))
