"""The pages of the dashboard, declared once, and the navigation built from them.

Adding a page is one line in `PAGES` (and its file under `pages/`): the
navigation, the meeting-mode menu and the page tests all read this table.
Titles come from `ksmart.i18n` (`page.<key>`). Pages have no icons: a
`:material/…:` icon makes the browser fetch an icon font from the internet,
and emoji show as empty boxes where no emoji font is installed (projector
PCs, the Debian test machines).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ksmart import i18n
from ksmart.settings import PROJECT_ROOT
from ksmart.ui import state

PAGES_DIR = PROJECT_ROOT / "pages"


@dataclass(frozen=True)
class PageSpec:
    key: str  # file pages/<key>.py, URL path /<key>, title i18n "page.<key>"
    meeting: bool = True  # listed in meeting mode (pages that edit data are not)
    role: str | None = None  # a signed-in user with this role sees the page (None: everyone)

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview"),
    PageSpec("map"),
    PageSpec("pipeline"),
    PageSpec("countries"),
    PageSpec("technologies"),
    PageSpec("activities"),
    PageSpec("data", meeting=False, role="analyst"),
    PageSpec("slides", meeting=False),
)
BY_KEY = {p.key: p for p in PAGES}
HOME = PAGES[0].key


def navigation(lang: str, meeting: bool, actor=None):
    """`st.navigation` over `PAGES` in `lang`; in meeting mode a top bar
    (the sidebar is hidden) without the pages that edit data. Pages with a
    role are listed only for a signed-in user holding it (the page checks again)."""
    shown = [p for p in PAGES if (p.meeting or not meeting) and _allowed(p, actor)]
    pages = [st.Page(p.path, title=i18n.t(f"page.{p.key}", lang), url_path=p.key,
                     default=p.key == HOME) for p in shown]
    return st.navigation(pages, position="top" if meeting else "sidebar")


def switch(key: str, **query_params) -> None:
    """Go to page `key` (st.switch_page clears query parameters; meeting mode keeps its own)."""
    if state.meeting():
        query_params.setdefault(state.URL_MODE, state.URL_MEETING)
    st.switch_page(str(BY_KEY[key].path), query_params=query_params or None)


def link(key: str, **params: str) -> str:
    """A relative URL that opens page `key` with `params` (`state.read_url_once` reads them), in
    this session's mode and language. A link in markdown opens a new tab, so a new session: the
    page it leaves stays as it was (a table's links: `layout.Link`)."""
    if state.meeting():
        params.setdefault(state.URL_MODE, state.URL_MEETING)
    if state.lang() != i18n.DEFAULT_LANG:
        params.setdefault(state.URL_LANG, state.lang())
    return f"{BY_KEY[key].key}?{urlencode(params)}"


def _allowed(page: PageSpec, actor) -> bool:
    if page.role is None:
        return True
    return actor is not None and actor.via != "open" and actor.can(page.role)


_LEGACY_RUN = "_legacy_pages_run"  # session key: this session's last run was a page file run alone


def guard() -> state.View:
    """The current run's view; rerun through app.py when the page ran alone.

    A `pages/` folder beside app.py is Streamlit's legacy multipage layout
    until some session calls `st.navigation`: "As soon as any session of your
    app executes the st.navigation command, your app will ignore the pages/
    directory (across all sessions)" (st.navigation's documentation). So the
    very first request for a page URL after the server starts (and every
    AppTest run, which starts afresh) runs that page file without app.py.
    Such a run declares the navigation itself, over every page (so that any
    URL resolves; hidden, the rerun draws the real one), which ends the legacy
    mode, and reruns, which then goes through app.py. Should Streamlit run a
    page file alone twice with no run of app.py in between (`through_app`),
    this raises instead of rerunning forever.
    """
    view = state.current()
    if view is None:
        if st.session_state.get(_LEGACY_RUN):
            raise RuntimeError("Streamlit ran a page file without app.py again after st.navigation: the "
                               "legacy pages/ mode did not end (has st.navigation changed?)")
        st.session_state[_LEGACY_RUN] = True
        st.navigation([st.Page(p.path, url_path=p.key, default=p.key == HOME) for p in PAGES], position="hidden")
        st.rerun()
    return view


def through_app() -> None:
    """This run goes through app.py (`ui.start`): a later page run alone is a new legacy run, not a loop."""
    st.session_state.pop(_LEGACY_RUN, None)


def open_country(iso3: str) -> None:
    """Show country `iso3` on the Countries page (from the map or a picker)."""
    st.session_state[state.COUNTRY] = iso3
    switch("countries")


def pick_linked_project(table: pd.DataFrame, picks: pd.DataFrame, key: str) -> pd.DataFrame:
    """`picks` (rows of `table`) with the project a link asked for (`?project=`, `link`) first, and
    chosen in the select box `key` (drawn after this). Asked for once: the box owns the choice after."""
    wanted = st.session_state.pop(state.PROJECT, None)
    if not wanted:
        return picks
    asked = table[table["project_id"].str.casefold() == wanted.casefold()].head(1)
    if len(asked):
        st.session_state[key] = asked["project_id"].iloc[0]
    return pd.concat([asked, picks[~picks.index.isin(asked.index)]])
