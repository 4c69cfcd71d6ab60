"""The shared sidebar: language, meeting mode, dates, filters; and the run's `View`.

Rendered by app.py on every run before `pg.run()`, so every page follows the
same choices. Widgets keep their values across pages (`persist_state`), and
values are keys (stage keys, ISO codes, version numbers), never labels, so
switching the language keeps every choice.
"""

from __future__ import annotations

import functools

import streamlit as st

from ksmart import i18n
from ksmart.errors import KsmartError
from ksmart.store import engine as store_engine
from ksmart.ui import data, state
from ksmart.ui.state import View

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}  # each in its own language, on purpose
GO_HOME = "_go_home"  # set when meeting mode starts: app.py then opens the Overview


def _enter_meeting() -> None:
    state.enter_meeting()
    st.session_state[GO_HOME] = True


def _keep_valid(key: str, options: list, multi: bool) -> None:
    """Drop a remembered choice that the current options no longer offer
    (another version, another store) before its widget is created."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if multi:
        kept = [v for v in (value or []) if v in options]
        if kept != list(value or []):
            st.session_state[key] = kept
    elif value not in options:
        del st.session_state[key]


def _switches(lang: str) -> None:
    st.session_state.setdefault(state.LANG, i18n.DEFAULT_LANG)
    st.session_state.setdefault(state.MEETING, False)
    st.segmented_control(i18n.t("side.language", lang), list(i18n.LANGS), key=state.LANG,
                         format_func=LANGUAGE_NAMES.get, required=True, label_visibility="collapsed",
                         persist_state="session")
    # A button, not a toggle: meeting mode is left from the page itself (its sidebar is hidden), and
    # a toggle's code is five more script files on every cold page load (issue 8).
    st.button(i18n.t("side.meeting", lang), key="enter_meeting", help=i18n.t("side.meeting_help", lang),
              on_click=_enter_meeting, icon=":material/co_present:", width="stretch")


def _dates(view: View, latest: int):
    """The reference version and the comparison; returns (version, (old, since, meeting))."""
    lang = view.lang
    infos = data.versions(view.url, latest)
    by_number = {v.number: v for v in infos}
    options = [state.LATEST] + [v.number for v in reversed(infos) if v.number != latest]

    def version_label(option) -> str:
        # "Latest" stays one fixed label: a label that names the version would
        # keep its old text in an open browser after a new upload.
        if option == state.LATEST:
            return i18n.t("side.latest", lang)
        return i18n.t("side.version_option", lang, date=i18n.day(by_number[option].reference_date), version=option)

    _keep_valid(state.REFERENCE, options, multi=False)
    choice = st.selectbox(i18n.t("side.reference", lang), options, key=state.REFERENCE,
                          format_func=version_label, persist_state="session")
    version = by_number[latest if choice == state.LATEST else choice]
    if choice == state.LATEST:
        st.caption(i18n.t("side.reference_latest", lang, date=i18n.day(version.reference_date), version=latest))

    older = [state.LAST_MEETING] + [v.number for v in reversed(infos) if v.number < version.number]
    meeting_old, meeting_since, _ = data.comparison(view.url, latest, version.number, state.LAST_MEETING)

    def compare_label(option) -> str:
        if option == state.LAST_MEETING:
            text = i18n.t("side.compare_meeting", lang)
            return f"{text} ({i18n.day(meeting_since)})" if meeting_since else text
        return version_label(option)

    _keep_valid(state.COMPARE, older, multi=False)
    compare = st.selectbox(i18n.t("side.compare", lang), older, key=state.COMPARE, format_func=compare_label,
                           help=i18n.t("side.compare_help", lang), persist_state="session")
    return version, data.comparison(view.url, latest, version.number, compare)


def _filters(view: View, version: int) -> None:
    lang = view.lang
    options = data.filter_options(view.url, version)
    st.subheader(i18n.t("side.filters", lang))
    for name, key in state.FILTER_KEYS.items():
        shown = functools.partial(i18n.filter_value, name, lang=lang)
        values = options[name]
        if name in ("countries", "lead_agencies"):
            values = sorted(values, key=shown)
        _keep_valid(key, values, multi=True)
        st.multiselect(i18n.t(f"filter.{name}", lang), values, key=key, format_func=shown,
                       placeholder=i18n.t("side.all", lang), persist_state="session")
    st.button(i18n.t("side.reset", lang), key="filter_reset", on_click=state.clear_filters,
              disabled=state.filters().is_empty(), width="stretch")


def render(url: str) -> View:
    """Draw the sidebar and return this run's view."""
    lang, meeting = state.lang(), state.meeting()
    view = View(url=url, lang=lang, meeting=meeting)
    with st.sidebar:
        _switches(lang)
        try:
            latest = data.latest(url)
        except KsmartError as exc:
            return View(url=url, lang=lang, meeting=meeting, error=store_engine.unlocated_dirs(exc.message(lang), url))
        if latest is None:
            return view
        st.subheader(i18n.t("side.dates", lang))
        version, (old, since, since_meeting) = _dates(view, latest)
        _filters(view, version.number)
    return View(url=url, lang=lang, meeting=meeting, latest=latest, version=version, old=old, since=since,
                since_meeting=since_meeting, filters=state.filters())
