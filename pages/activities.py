"""행사·활동 Activities: the events over time, what followed the events linked to projects, and
the counterpart agencies met (발주처)."""

import streamlit as st

from ksmart import i18n, reference, ui
from ksmart.present import charts

view = ui.page("activities")
url, number, filters, lang = view.url, view.version.number, view.filters, view.lang
events = ui.data.events(url, number, filters)
if events.empty:
    st.info(view.t("activities.none"))
    st.stop()

ui.chart(view, charts.events_timeline(events, lang, view.caption()), "events_timeline")


def followed(before, now) -> str:
    if not isinstance(before, str) or not isinstance(now, str):
        return ""
    if before == now:
        return view.t("activities.unchanged", stage=i18n.label(reference.STAGES, now, lang))
    return view.t("activities.followed", before=i18n.label(reference.STAGES, before, lang),
                  now=i18n.label(reference.STAGES, now, lang))


st.subheader(view.t("activities.linked"))
linked = ui.data.followups(url, view.latest, number, filters)


def linked_columns(rows) -> dict:
    names = rows["project_name_en"].where(rows["project_name_en"].notna(), rows["project_name"]) \
        if lang == "en" else rows["project_name"]
    return {
        view.t("col.date"): rows["date"], view.t("col.country"): [i18n.country(c, lang) for c in rows["country"]],
        view.t("col.project"): names.fillna(""),
        view.t("col.followed"): [followed(b, n) for b, n in zip(rows["stage_before"], rows["stage_now"])],
        view.t("col.event"): rows["name"], view.t("col.outcome"): rows["outcome"].fillna(""),
    }


def event_columns(rows) -> dict:
    return {
        view.t("col.date"): rows["date"], view.t("col.event"): rows["name"],
        view.t("col.type"): [i18n.label(reference.EVENT_TYPES, k, lang) for k in rows["type"]],
        view.t("col.country"): [i18n.country(c, lang) for c in rows["country"]],
        view.t("col.counterpart"): rows["counterpart"].fillna(""), view.t("col.outcome"): rows["outcome"].fillna(""),
    }


ui.table(view, linked, lambda rows, text: linked_columns(rows), column_config=ui.column_formats(view))

# A text table: it wraps long names instead of cutting them, follows meeting mode's type sizes, and
# its links open the project and the country.
st.subheader(view.t("counterparts.title"))
met = ui.data.counterparts(url, number, view.as_of, filters)
if met.empty:
    st.caption(view.t("counterparts.none"))
else:
    ui.text_table(ui.counterpart_rows(view, met), right=[view.t("counterparts.meetings")])
    st.caption(" · ".join([view.caption(), view.t("counterparts.note")]))

st.subheader(view.t("activities.all"))
ui.table(view, events, lambda rows, text: event_columns(rows), column_config=ui.column_formats(view))
st.caption(view.caption())
ui.as_written(view)
