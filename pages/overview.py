"""종합현황 Overview: what the steering committee sees first.

KPI cards with their change since the last meeting, the stage funnel, stage ×
subcommittee, the briefing sentences and the advanced projects: on one
projector screen in meeting mode.
"""

import streamlit as st

from ksmart import charts, ui

TOP_ADVANCED = 10
BRIEFING_SHOWN = 7

view = ui.page("overview")
url, number, filters = view.url, view.version.number, view.filters
now = ui.data.summary(url, number, view.as_of, filters)
same = view.old.number == number
before = None if same else ui.data.summary(url, view.old.number, view.old.reference_date, filters)
ui.kpis(view, now, before)
ui.no_match(view, now["projects"])

funnel, stages, briefing = st.columns([4, 4, 3], gap="medium")
with funnel:
    ui.chart(view, charts.funnel(now["funnel"], view.lang, view.caption()), "funnel", light=True)
with stages:
    frame = ui.data.stage_subcommittee(url, number, filters)
    ui.chart(view, charts.stage_subcommittee(frame, view.lang, view.caption()), "stage_subcommittee", light=True)
with briefing:
    st.markdown(f"#### {view.t('overview.briefing')}")
    if same:
        st.caption(view.t("notice.no_change"))
    sentences = ui.data.briefing(url, view.old.number, number, filters, view.lang)
    st.markdown("\n".join(f"- {ui.md(s)}" for s in sentences[:BRIEFING_SHOWN]))
    if len(sentences) > BRIEFING_SHOWN:
        with st.expander(view.t("overview.briefing_more", n=len(sentences) - BRIEFING_SHOWN)):
            st.markdown("\n".join(f"- {ui.md(s)}" for s in sentences[BRIEFING_SHOWN:]))

st.subheader(view.t("overview.advanced"))
rows, total = ui.data.advanced(url, number, view.as_of, filters, TOP_ADVANCED)
if total:
    columns = ["country", "name", "subcommittee", "stage", "value", "lead_agency", "next_step_date"]
    if view.lang == "ko":  # next steps are written in Korean only
        columns.insert(-1, "next_step")
    st.table(ui.project_rows(view, rows, columns, text_values=True), hide_index=True)
    more = [view.t("more", n=total - TOP_ADVANCED)] if total > TOP_ADVANCED else []
    st.caption(" · ".join([view.caption(), *more]))
else:
    st.caption(view.t("overview.no_advanced"))
