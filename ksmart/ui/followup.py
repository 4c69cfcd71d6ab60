"""The directives' follow-up on the pages: the Overview's opening, the Follow-up page, a country's directives.

Cached like `data` (keyed on the store URL, the version and the reference
date); the figures are `ksmart.analytics.followup`'s, the HTML and cells
`ksmart.present.directives`'. The Overview's line is the last meeting's as a
whole (the figures `summary --json` gives). On the Follow-up page the sidebar
filters keep directives as they keep events: by the directive's country (its
own, else its project's) and its project; directives that concern no country
and no project (the group's own tasks) always stay. The page adds its own
filters by owner agency and country.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ksmart import countries as ctry
from ksmart import i18n
from ksmart import reference as ref
from ksmart.analytics import followup, metrics
from ksmart.frames import id_key
from ksmart.present import directives
from ksmart.ui import data, pages
from ksmart.ui.layout import md, text_frame, text_table
from ksmart.ui.state import View

_SMALL = 64
PICK = "followup_pick"  # the directive whose project or country the page opens


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def table(url: str, version: int, as_of: date) -> pd.DataFrame:
    """Every directive with its row-level follow-up, its meeting's name and the country it
    concerns (its own, else its project's), overdue first (`followup.follow_up_order`)."""
    sheets = data.frames(url, version)
    events, projects = sheets["events"], sheets["projects"]
    out = followup.action_table(sheets["actions"], events, as_of)
    names = pd.Series(events["name"].to_numpy(), index=id_key(events["event_id"]).to_numpy())
    project_country = pd.Series(projects["country"].to_numpy(), index=id_key(projects["project_id"]).to_numpy())
    project_country = project_country[~project_country.index.duplicated()]
    out["meeting_name"] = id_key(out["meeting"]).map(names[~names.index.duplicated()]).to_numpy()
    own = out["country"].astype(object)
    out["country"] = own.where(own.notna(), id_key(out["project_id"]).map(project_country).astype(object))
    return followup.follow_up_order(out)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def figures(url: str, version: int, as_of: date) -> dict:
    sheets = data.frames(url, version)
    return followup.summary(sheets["actions"], sheets["events"], as_of)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def project_names(url: str, version: int, lang: str) -> dict[str, str]:
    projects = data.frames(url, version)["projects"]
    return {pid.strip().casefold(): i18n.project_name(r, lang)
            for pid, r in zip(projects["project_id"], projects[["name", "name_en"]].to_dict("records"))}


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def changes(url: str, old: int, new: int, old_day: date, new_day: date, lang: str) -> followup.FollowUp:
    """The briefing's directive items from version `old` to `new` (became overdue, completed;
    added and slipped counted), at their reference dates."""
    before, after = data.frames(url, old), data.frames(url, new)
    return followup.follow_up(after["actions"], before["actions"], after["events"], new_day, old_day, lang)


def overview(view: View) -> None:
    """The Overview's first lines: the last meeting's directives by status, overdue ones named;
    below, on request, the directives that became overdue or were completed since the
    comparison version (the briefing's directive items). Nothing when the store keeps no directives."""
    url, number = view.url, view.version.number
    shown = figures(url, number, view.as_of)
    rows = table(url, number, view.as_of)
    late = rows[rows["overdue"] & (id_key(rows["meeting"]) == (shown["meeting"] or "").casefold())]
    block = directives.overview_block(shown, late, view.lang)
    if not block:
        return
    st.html(block)
    if view.old is None or view.old.number == number:
        return
    moved = changes(url, view.old.number, number, view.old.reference_date, view.as_of, view.lang)
    if moved.items or moved.summary_sentence:
        with st.expander(view.t("followup.moved", n=len(moved.items))):
            lines = [*(i.sentence for i in moved.items), *([moved.summary_sentence] if moved.summary_sentence else [])]
            st.markdown("\n".join(f"- {md(line)}" for line in lines))


def _cells(view: View, rows: pd.DataFrame, columns=directives.COLUMNS) -> pd.DataFrame:
    names = project_names(view.url, view.version.number, view.lang)
    return text_frame(directives.rows(rows, view.lang, columns, names))


def country(view: View, iso3: str) -> None:
    """The Countries page's section: the directives that concern `iso3`, overdue first."""
    rows = table(view.url, view.version.number, view.as_of)
    rows = rows[rows["country"] == iso3]
    st.subheader(view.t("followup.country_title"))
    if rows.empty:
        st.caption(view.t("followup.country_none"))
        return
    text_table(_cells(view, rows, ("meeting", "directive", "owner", "due", "status", "result")))


def _sidebar_filters(view: View, rows: pd.DataFrame) -> pd.DataFrame:
    f = view.filters
    general = rows["country"].isna() & rows["project_id"].isna()
    keep = pd.Series(True, index=rows.index)
    if f.countries:
        keep &= rows["country"].isin({c.upper() for c in f.countries})
    if f.regions:
        keep &= metrics.regions(rows["country"]).isin({ctry.REGIONS.resolve(r) or r for r in f.regions})
    if f.subcommittees or f.lead_agencies or f.stages or f.statuses:
        kept = metrics.apply_filters(data.frames(view.url, view.version.number)["projects"], f)
        keep &= id_key(rows["project_id"]).isin(set(id_key(kept["project_id"])))
    return rows[keep | general]


def _owner_options(rows: pd.DataFrame) -> list[str]:
    present = {o for owners in rows["owner"] for o in owners}
    return [k for k in ref.AGENCIES.keys if k in present] + sorted(present - set(ref.AGENCIES.keys))


def page(view: View) -> None:
    """The Follow-up page: the last meeting's line, filters, each meeting's directives
    (newest meeting first, overdue first within it), per owner agency, and links."""
    url, number, lang = view.url, view.version.number, view.lang
    rows = table(url, number, view.as_of)
    if rows.empty:
        st.info(view.t("followup.none"))
        return
    overview(view)
    rows = _sidebar_filters(view, rows)
    by_owner, by_country = st.columns(2, gap="medium")
    owners = by_owner.multiselect(view.t("followup.filter_owner"), _owner_options(rows), key="followup_owner",
                                  format_func=lambda k: i18n.agency(k, lang), placeholder=view.t("side.all"))
    countries = sorted(rows["country"].dropna().unique())
    chosen = by_country.multiselect(view.t("followup.filter_country"), countries, key="followup_country",
                                    format_func=lambda c: i18n.country(c, lang), placeholder=view.t("side.all"))
    if owners:
        rows = rows[[bool(set(o) & set(owners)) for o in rows["owner"]]]
    if chosen:
        rows = rows[rows["country"].isin(chosen)]
    if rows.empty:
        st.info(view.t("notice.no_match"))
        return
    meetings = rows.sort_values("meeting_date", ascending=False, kind="stable")["meeting"].unique()
    for meeting in meetings:
        of = rows[rows["meeting"] == meeting]
        head = of.iloc[0]
        when = i18n.day(head["meeting_date"]) if pd.notna(head["meeting_date"]) else ""
        counts = followup.status_counts(of)
        parts = [view.t(key, n=counts[figure]) for figure, key in followup.PARTS.items() if counts[figure]]
        st.markdown(f"#### {md(head['meeting_name'] or meeting)} {md(when)}")
        st.caption(md(view.t("followup.meeting_counts", total=len(of), parts=", ".join(parts))))
        text_table(_cells(view, of))
    st.caption(view.caption())
    _owner_table(view, rows)
    _links(view, rows)


def _owner_table(view: View, rows: pd.DataFrame) -> None:
    st.subheader(view.t("followup.by_owner"))
    owners = followup.by_owner(rows)
    text_table(text_frame({view.t("followup.col.owner"): [i18n.agency(o["owner"], view.lang) for o in owners],
                           view.t("followup.col.total"): [f"{o['total']:,}" for o in owners],
                           view.t("followup.col.done"): [f"{o['done']:,}" for o in owners],
                           view.t("followup.col.overdue"): [f"{o['overdue']:,}" for o in owners]}),
               right=[view.t(k) for k in ("followup.col.total", "followup.col.done", "followup.col.overdue")])


_GO = "followup_go"  # (page, target) a link button asked for, acted on in the next run


def _links(view: View, rows: pd.DataFrame) -> None:
    """Open a directive's project (Pipeline) or country (Countries), as the map opens a country.

    Callbacks, not the buttons' values: a run that starts without app.py is repeated
    (pages.guard), and a flag in the session survives that where the click would not."""
    page, target = st.session_state.pop(_GO, (None, None))
    if page == "project":
        pages.open_project(target)
    elif page == "country":
        pages.open_country(target)
    linked = rows[rows["project_id"].notna() | rows["country"].notna()]
    if linked.empty:
        return
    st.subheader(view.t("followup.open"))
    labels = dict(zip(linked["action_id"], linked["directive"]))
    picked = st.selectbox(view.t("followup.pick"), list(labels), format_func=labels.get, key=PICK)
    row = linked[linked["action_id"] == picked].iloc[0]
    project, iso3 = row["project_id"], row["country"]
    with st.container(horizontal=True):
        if isinstance(project, str):
            st.button(view.t("followup.open_project", project=project), key="followup_open_project",
                      on_click=lambda: st.session_state.update({_GO: ("project", project)}))
        if isinstance(iso3, str):
            st.button(view.t("followup.open_country", country=i18n.country(iso3, view.lang)),
                      key="followup_open_country", on_click=lambda: st.session_state.update({_GO: ("country", iso3)}))
