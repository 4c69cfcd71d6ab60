"""파이프라인 Pipeline: a board per stage, the project list with its flags, one project's history."""

import streamlit as st

from ksmart import i18n, money, reference, ui
from ksmart.present import charts

BOARD_CARDS = 6  # per stage column, largest first
LIST_ROWS = 5000  # beyond this the filters are the way in
PICK_ROWS = 300

view = ui.page("pipeline")
url, number, filters, lang = view.url, view.version.number, view.filters, view.lang
table = ui.data.project_list(url, number, view.as_of, filters)
ui.no_match(view, len(table))

st.subheader(view.t("pipeline.board"))
active = table[table["status"] == "active"]
for column, stage in zip(st.columns(len(reference.STAGES), gap="small"), reference.STAGES):
    rows = active[active["stage"] == stage.key]
    colour = "green" if stage.key in reference.WON_STAGES else "blue"
    with column.container(border=True, height="stretch"):
        st.markdown(f":{colour}[**{i18n.label(reference.STAGES, stage.key, lang)}**]")
        total = money.amount(rows["value_usd_m_effective"].sum(), lang)
        st.caption(view.t("pipeline.column_head", n=len(rows), value=total))
        for row in rows.head(BOARD_CARDS).to_dict("records"):
            flags = " ".join(f":{tint}[{ui.md(text)}]" for text, tint in ui.flags(view, row))
            st.markdown(f"**{ui.md(i18n.country(row['country'], lang))}** {flags}  \n"
                        f"{ui.md(i18n.project_name(row, lang))}  \n{money.amount(row['value_usd_m_effective'], lang)}")
        if len(rows) > BOARD_CARDS:
            st.caption(view.t("pipeline.board_more", n=len(rows) - BOARD_CARDS))
st.caption(ui.flags_legend(view))

st.subheader(view.t("pipeline.table"))
columns = ["project_id", "country", "name", "subcommittee", "stage", "status", "lead_agency", "value",
           "probability", "days_in_stage", "days_since_update", "next_step_date", "flags"]
if lang == "ko":  # next steps are written in Korean only
    columns.insert(-2, "next_step")
if view.meeting:  # what a projector can show whole at 1366 wide, at meeting mode's type size
    columns = ["country", "name", "stage", "value", "days_in_stage",
               "next_step_when" if lang == "ko" else "next_step_date", "flags"]
shown = table.head(LIST_ROWS)
ui.table(view, shown, lambda rows, text: ui.project_rows(view, rows, columns, text_values=text),
         right=[ui.value_header(view, shown), view.t("col.days_in_stage")], height=420, column_config=ui.column_formats(view, shown))
st.caption(" · ".join([view.caption()] + ([view.t("more", n=len(table) - LIST_ROWS)] if len(table) > LIST_ROWS else [])))

st.subheader(view.t("pipeline.detail"))
picks = ui.pick_linked_project(table, table.head(PICK_ROWS), "pipeline_pick")
labels = {r["project_id"]: f"{r['project_id']} · {i18n.country(r['country'], lang)} · {i18n.project_name(r, lang)}"
          for r in picks.to_dict("records")}
project_id = st.selectbox(view.t("pipeline.pick"), list(labels), format_func=labels.get, key="pipeline_pick")
facts, history_chart = st.columns([2, 3], gap="medium")
with facts:
    ui.safe_table(ui.project_rows(view, picks[picks["project_id"] == project_id],
                                    ["subcommittee", "stage", "status", "lead_agency", "value", "days_in_stage",
                                     "next_step_date", "flags"], text_values=True).T, hide_header=True)
with history_chart:
    history = ui.data.project_history(url, view.latest, project_id)
    history = history[history["version"] <= number]
    if len(history):
        ui.chart(view, charts.stage_history(history, lang, view.caption()), "stage_history")
    else:
        st.caption(view.t("pipeline.history_none"))
