"""국가별 현황 Countries: one country's projects, attaché post and report freshness, reports, events, policy."""

from dataclasses import replace

import streamlit as st

from ksmart import countries, i18n, reference, ui

view = ui.page("countries")
url, number, lang = view.url, view.version.number, view.lang
choices = ui.data.country_choices(url, number, view.as_of, view.filters)
ui.no_match(view, len(choices))

wanted = st.session_state.get(ui.state.COUNTRY)
iso3 = st.selectbox(view.t("countries.pick"), choices, index=choices.index(wanted) if wanted in choices else 0,
                    key="country_select", format_func=lambda c: i18n.country(c, lang))
st.session_state[ui.state.COUNTRY] = iso3

only = replace(view.filters, countries=(iso3,))
now = ui.data.summary(url, number, view.as_of, only)
same = view.old.number == number
before = None if same else ui.data.summary(url, view.old.number, view.old.reference_date, only)
ui.kpis(view, now, before, (("kpi.projects", "projects"), ("kpi.open_value", "open_value_usd_m"),
                            ("kpi.won", "won"), ("kpi.advanced", "advanced"), ("kpi.stalled", "stalled")))

profile = ui.data.country_profile(url, number, view.as_of, iso3)
info, latest_report, latest_event = profile["info"], profile["latest_report"], profile["latest_event"]
attache, policy = (info.get(k) if isinstance(info.get(k), str) else None for k in ("attache_post", "policy"))
facts = {
    "countries.region": i18n.region(countries.region_of(iso3), lang),
    "countries.attache": attache or view.t("countries.no_attache"),
    "countries.freshness": view.t("countries.no_report") if latest_report is None else view.t(
        "countries.freshness_value", days=profile["report_age_days"], date=i18n.day(latest_report)),
    "countries.latest_event": view.t("countries.none") if latest_event is None
    else f"{i18n.day(latest_event['date'])} · {latest_event['name']}",
    "countries.priority": view.t("countries.yes" if info.get("priority") is True else "countries.no"),
}
left, right = st.columns([2, 3], gap="medium")
with left:
    ui.safe_table([[view.t(k), v] for k, v in facts.items()], hide_header=True, hide_index=True)
with right:
    st.markdown(f"**{view.t('countries.policy')}**")
    st.markdown(ui.md(policy) if policy else view.t("countries.none"))

# Text tables, not st.dataframe: they wrap long cells (report summaries) instead of cutting them, show
# every column at 1366 wide, and are HTML, so meeting mode's type sizes reach them (a canvas would not).
st.subheader(view.t("countries.projects"))
projects = ui.data.project_list(url, number, view.as_of, only)
columns = ["project_id", "name", "subcommittee", "stage", "status", "lead_agency", "value", "days_in_stage",
           "next_step_date", "flags"]
ui.text_table(ui.project_rows(view, projects, columns, text_values=True),
              right=[ui.value_header(view, projects), view.t("col.days_in_stage")])
st.caption(view.caption())

ui.as_written(view)
reports_col, events_col = st.columns(2, gap="medium")
with reports_col:
    st.subheader(view.t("countries.reports"))
    reports = profile["reports"]
    ui.text_table(ui.text_frame({view.t("col.date"): reports["date"], view.t("col.title"): reports["title"],
                                 view.t("col.author"): reports["author"], view.t("col.summary"): reports["summary"]}))
with events_col:
    st.subheader(view.t("countries.events"))
    events = profile["events"]
    ui.text_table(ui.text_frame({view.t("col.date"): events["date"], view.t("col.event"): events["name"],
                                 view.t("col.type"): [i18n.label(reference.EVENT_TYPES, k, lang) for k in events["type"]],
                                 view.t("col.outcome"): events["outcome"]}))
