"""Session state shared by every page: its keys, the URL entry points, the view of a run.

Shared choices (language, meeting mode, reference and comparison dates,
filters) are widgets rendered by `app.py` before `pg.run()` on every run,
with `persist_state="session"`, so a page switch (also `st.switch_page` from
inside a page) keeps them. Their keys are declared here and nowhere else.

`View` is what a page needs to know about the current run: which store,
language, versions, dates and filters. `app.py` computes it once per run and
hands it to the page through `running(view)`; a page reads it with
`current()`. It is deliberately not kept in `st.session_state`: a value left
there from an earlier run would hide a run in which `app.py` did not execute
(see `ksmart.ui.pages.guard`).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field, fields
from datetime import date

import streamlit as st

from ksmart import i18n
from ksmart.analytics.metrics import Filters
from ksmart.store import VersionInfo

LANG = "lang"
MEETING = "meeting"
REFERENCE = "reference"  # "latest" or a version number
COMPARE = "compare"  # "meeting" or a version number
COUNTRY = "country"  # the country shown on the Countries page (ISO alpha-3)
PROJECT = "project"  # the project a link asks the Pipeline page's detail to show (its id)
FILTER_KEYS: dict[str, str] = {f.name: f"filter_{f.name}" for f in fields(Filters)}
LATEST, LAST_MEETING = "latest", "meeting"

_URL_READ = "_url_read"
URL_MODE, URL_MEETING, URL_LANG = "mode", "meeting", "lang"
URL_COUNTRY, URL_PROJECT = "country", "project"  # what a table's link opens (`pages.link`)


def lang() -> str:
    value = st.session_state.get(LANG)
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def meeting() -> bool:
    return bool(st.session_state.get(MEETING, False))


def read_url_once() -> None:
    """`?mode=meeting`, `?lang=en`, `?country=KWT` and `?project=KWT-001` set the session's first state.

    Read once per session, before the widgets exist: afterwards the widgets
    own the values (st.switch_page clears query parameters anyway).
    """
    if st.session_state.get(_URL_READ):
        return
    st.session_state[_URL_READ] = True
    params = st.query_params
    if params.get(URL_MODE) == URL_MEETING:
        st.session_state[MEETING] = True
    if params.get(URL_LANG) in i18n.LANGS:
        st.session_state[LANG] = params.get(URL_LANG)
    if params.get(URL_COUNTRY):
        st.session_state[COUNTRY] = params.get(URL_COUNTRY).strip().upper()
    if params.get(URL_PROJECT):
        st.session_state[PROJECT] = params.get(URL_PROJECT).strip()


def sync_meeting_url() -> None:
    """On entering or leaving meeting mode: keep `?mode=meeting` in the address
    bar in step, so a reload shows the same mode."""
    if st.session_state.get(MEETING):
        st.query_params[URL_MODE] = URL_MEETING
    else:
        st.query_params.pop(URL_MODE, None)


def enter_meeting() -> None:
    st.session_state[MEETING] = True
    sync_meeting_url()


def leave_meeting() -> None:
    st.session_state[MEETING] = False
    sync_meeting_url()


def filters() -> Filters:
    """The sidebar filters, normalised (sorted) so equal selections share cache entries."""
    return Filters(**{name: tuple(sorted(st.session_state.get(key) or ())) for name, key in FILTER_KEYS.items()})


def clear_filters() -> None:
    for key in FILTER_KEYS.values():
        st.session_state[key] = []


@dataclass(frozen=True)
class View:
    """Everything a page needs about this run (see the module docstring)."""

    url: str
    lang: str
    meeting: bool
    latest: int | None = None
    version: VersionInfo | None = None  # the version shown
    old: VersionInfo | None = None  # the version compared with
    since: date | None = None  # the date `old` was chosen by
    since_meeting: bool = False  # `since` is the last steering committee
    filters: Filters = field(default_factory=Filters)
    error: str | None = None  # the store could not be read

    @property
    def empty(self) -> bool:
        return self.version is None

    @property
    def as_of(self) -> date | None:
        return self.version.reference_date if self.version else None

    @property
    def illustrative(self) -> bool:
        return bool(self.version and self.version.illustrative)

    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    def caption(self) -> str:
        """The data caption of every chart and table on this run."""
        return i18n.source_caption(self.as_of, self.version.number, self.illustrative, self.lang)

    def since_label(self) -> str:
        """How the comparison reads in a sentence ("지난 운영위원회(2017-06-22) 시점")."""
        if self.since_meeting and self.since:
            return self.t("context.meeting", date=i18n.day(self.since))
        if self.since:
            return self.t("context.since", date=i18n.day(self.since))
        return self.t("context.version")


_run = threading.local()


@contextlib.contextmanager
def running(view: View):
    """Make `view` the current run's view while the page runs (app.py)."""
    _run.view = view
    try:
        yield view
    finally:
        _run.view = None


def current() -> View | None:
    return getattr(_run, "view", None)
