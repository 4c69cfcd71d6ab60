"""The only Streamlit code inside ksmart: cached access, filters, page setup.

    state     session keys, URL entry points (?mode=meeting, ?lang=en), the run's View
    pages     the declared page table and the navigation built from it
    sidebar   language, meeting mode, dates and filters; computes the View
    data      cached access to the store and the metrics (keyed on version, filters, dates, language)
    layout    header and notices, KPI cards, charts, tables, markdown escaping
    style     CSS for the look and for meeting mode

May import: every part of the domain (present, analytics, store, ingest, ground
floor) and Streamlit; never the cli. Nothing below it imports it.

app.py calls `start()` and runs the page inside `running(view)`; a page calls
`page(key)` first and gets the View back.
"""

from __future__ import annotations

import streamlit as st

from ksmart import i18n, settings
from ksmart.memory import use_malloc_for_arrow
from ksmart.ui import data, layout, pages, sidebar, signin, state, style, upload
from ksmart.ui.layout import (
    Link,
    as_written,
    bar_charts,
    chart,
    column_formats,
    counterpart_rows,
    flags,
    flags_legend,
    kpis,
    md,
    no_match,
    page,
    project_rows,
    safe_table,
    table,
    text_frame,
    text_table,
    value_header,
)
from ksmart.ui.pages import PAGES, open_country, pick_linked_project, switch
from ksmart.ui.state import View, running

__all__ = ["start", "running", "page", "as_written", "chart", "bar_charts", "kpis", "flags", "flags_legend", "md", "no_match",
           "project_rows", "counterpart_rows", "table", "safe_table", "Link", "text_frame", "text_table", "value_header", "column_formats", "switch", "open_country", "pick_linked_project", "PAGES", "View", "data", "state",
           "signin", "upload"]


def start():
    """The setup of every run (app.py): page config, URL entry points, CSS,
    navigation and the shared sidebar. Returns (navigation page, view)."""
    use_malloc_for_arrow()  # the server process reads uploads (ksmart.memory); once, later runs do nothing
    pages.through_app()
    state.read_url_once()
    lang, meeting = state.lang(), state.meeting()
    st.set_page_config(page_title=i18n.t("app.title", lang), page_icon="🏙️", layout="wide",
                       initial_sidebar_state="collapsed" if meeting else "expanded")
    style.apply(meeting)
    url = settings.get("KSMART_DB_URL")
    actor = _actor_or_sign_in(url, lang)
    current = pages.navigation(lang, meeting, actor)
    if st.session_state.pop(sidebar.GO_HOME, False) and current.url_path not in ("", pages.HOME):
        pages.switch(pages.HOME)
    view = sidebar.render(url)
    if not meeting:
        signin.sidebar_box(url, lang, actor)
    return current, view


def _actor_or_sign_in(url: str, lang: str):
    """The session's user; when viewers must sign in (KSMART_REQUIRE_LOGIN), the sign-in box and stop."""
    try:
        actor = signin.actor(url)
    except Exception:  # an unreachable store: the pages show the store error themselves
        return None
    if actor is None:
        st.title(i18n.t("app.title", lang))
        signin.panel(url, lang, None)
        st.stop()
    return actor
