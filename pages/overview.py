"""종합현황 Overview: what the steering committee sees first.

KPI cards with their change since the last meeting, the follow-up of the last
meeting's directives (one line and a bar), then the briefing sentences
beside the advanced projects (the first screen at 1366×768, meeting mode), then
the stage funnel and stage × subcommittee.
"""

import functools

import streamlit as st

from ksmart import i18n, ui
from ksmart.present import charts, htmlcharts

TOP_ADVANCED = 10
BRIEFING_SHOWN = 7
BRIEFING_MORE = 50  # further sentences in the expander; the whole list is a download

view = ui.page("overview")
url, number, filters = view.url, view.version.number, view.filters
now = ui.data.summary(url, number, view.as_of, filters)
same = view.old.number == number
before = None if same else ui.data.summary(url, view.old.number, view.old.reference_date, filters)
ui.kpis(view, now, before)
ui.followup.overview(view)  # the last meeting's directives: what the next meeting checks first
ui.no_match(view, now["projects"])

# The five-second test (dashboard.md) first: what moved since the last meeting beside where the
# advanced projects stand, both above the fold at 1366×768; the charts follow.
briefing, advanced = st.columns([2, 3], gap="medium")
with briefing:
    st.markdown(f"#### {view.t('overview.briefing')}")
    if same:
        st.caption(view.t("notice.no_change"))
    said = ui.data.briefing(url, view.old.number, number, filters, view.lang, BRIEFING_SHOWN + BRIEFING_MORE)
    headline, total = said["headline"], said["headline_total"]
    if said["none"] and not same:
        st.markdown(ui.md(said["none"]))
    st.markdown("\n".join(f"- {ui.md(s)}" for s in headline[:BRIEFING_SHOWN]))
    if total > BRIEFING_SHOWN:
        with st.expander(view.t("overview.briefing_more", n=total - BRIEFING_SHOWN)):
            st.markdown("\n".join(f"- {ui.md(s)}" for s in headline[BRIEFING_SHOWN:]))
            if total > len(headline):
                st.caption(view.t("more", n=total - len(headline)))
    if said["summary"]:  # tier 3: counted by kind, the items on request
        st.markdown(f"- {ui.md(said['summary'])}")
        with st.expander(view.t("overview.briefing_minor", n=said["minor_total"])):
            st.markdown("\n".join(f"- {ui.md(s)}" for s in said["minor"]))
            if said["minor_total"] > len(said["minor"]):
                st.caption(view.t("more", n=said["minor_total"] - len(said["minor"])))
    if total > len(headline) or said["minor_total"] > len(said["minor"]):
        # the rest only on request: thousands of lines at 50,000 projects
        st.download_button(
            view.t("overview.briefing_all", n=total + said["minor_total"]),
            file_name=f"ksmart_briefing_{i18n.day(view.as_of)}.txt",
            data=functools.partial(ui.data.briefing_text, url, view.old.number, number, filters, view.lang),
            mime="text/plain", on_click="ignore", key="briefing_all")

with advanced:
    st.markdown(f"#### {view.t('overview.flagship')}")
    rows, total = ui.data.flagship(url, number, view.as_of, filters, TOP_ADVANCED)
    if total:
        # Compact: what a minister asks of a flagship project. Next steps are written in Korean only,
        # so an English screen shows their dates.
        columns = ["country", "name", "stage", "value", "next_step_when" if view.lang == "ko" else "next_step_date"]
        # A markdown table: st.table would load Streamlit's Arrow reader for this one table (ui.text_table).
        ui.text_table(ui.project_rows(view, rows, columns, text_values=True), right=[ui.value_header(view, rows)])
        more = [view.t("more", n=total - TOP_ADVANCED)] if total > TOP_ADVANCED else []
        st.caption(" · ".join([view.caption(), *more]))
    else:
        st.caption(view.t("overview.no_flagship"))

# The two charts in HTML (ksmart.present.htmlcharts): drawn with the page, no chart library to load;
# their plotly versions (PNG at slide size, fullscreen) open from a button, loaded only then.
frame = ui.data.stage_subcommittee(url, number, filters)
ui.bar_charts(view, [htmlcharts.funnel(now["funnel"], view.lang, view.caption()),
                     htmlcharts.stage_subcommittee(frame, view.lang, view.caption())],
              lambda: [(charts.funnel(now["funnel"], view.lang, view.caption()), "funnel"),
                       (charts.stage_subcommittee(frame, view.lang, view.caption()), "stage_subcommittee")])
