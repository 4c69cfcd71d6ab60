"""요소기술 Technologies: which Korean element technologies the projects carry.

Coverage per subcommittee, the projects × technologies grid, and the
advanced projects that carry few Korean technologies (where to push more).
"""

import streamlit as st

from ksmart import i18n, ui
from ksmart.present import charts

FEW = 2  # "few" technologies: this many or fewer
MATRIX_ROWS = 30

view = ui.page("technologies")
url, number, filters, lang = view.url, view.version.number, view.filters, view.lang
coverage, rows = ui.data.technologies(url, number, filters)
ui.no_match(view, len(rows))

left, right = st.columns(2, gap="medium")
with left:
    ui.chart(view, charts.technology_coverage(coverage, lang, view.caption()), "technology_coverage")
with right:
    st.markdown(f"#### {view.t('tech.few', n=FEW)}")
    advanced, _ = ui.data.advanced(url, number, view.as_of, filters, top=1000)
    few = advanced[advanced["tech_count"] <= FEW]
    if len(few):
        ui.safe_table(ui.project_rows(view, few, ["country", "name", "stage", "value", "tech_count"], text_values=True),
                        hide_index=True)
    else:
        st.caption(view.t("tech.none_few"))

top = rows.head(MATRIX_ROWS)
labels = [f"{i18n.country(c, lang)} · {i18n.project_name(r, lang)}"
          for c, r in zip(top["country"], top[["name", "name_en"]].to_dict("records"))]
ui.chart(view, charts.technology_matrix(top[list(coverage.index)], labels, lang, view.caption()), "technology_matrix")
st.caption(view.t("tech.matrix_note", n=min(MATRIX_ROWS, len(rows))))
