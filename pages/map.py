"""해외사업 지도 Map: where the pipeline is, with no basemap and no internet.

A circle per country (area: open pipeline value), arcs from Seoul, names
and amounts of the largest and the priority countries, a legend; picking a
country (on the map or in the list) opens its profile.
"""

import streamlit as st

from ksmart import i18n, money, ui
from ksmart.present import charts, mapdeck

view = ui.page("map")
url, number, filters = view.url, view.version.number, view.filters
now = ui.data.summary(url, number, view.as_of, filters)
ui.no_match(view, now["projects"])

st.caption(view.t("map.hint"))
deck, legend = ui.data.world_map(url, number, view.as_of, filters, view.lang, view.meeting)
event = st.pydeck_chart(deck, height=mapdeck.MEETING_HEIGHT_PX if view.meeting else mapdeck.HEIGHT_PX,
                        on_select="rerun", selection_mode="single-object", key="map_pick")
st.html(legend)
picked = mapdeck.selected_country(event)
if picked:
    ui.open_country(picked)
st.caption(view.caption())

left, right = st.columns([3, 2], gap="medium")
with left:
    ui.chart(view, charts.country_values(now["by_country"], view.lang, view.caption()), "country_values")
with right:
    choices = [r["country"] for r in now["by_country"]]
    chosen = st.selectbox(view.t("map.pick"), choices, index=None, key="map_country_pick",
                          format_func=lambda c: i18n.country(c, view.lang),
                          placeholder=view.t("map.pick_placeholder"))
    if chosen:
        ui.open_country(chosen)
    st.subheader(view.t("map.countries_table"))
    unit = money.unit_for([r["open_value_usd_m"] for r in now["by_country"]], view.lang)
    value = view.t("col.open_value", unit=unit.label)

    def rows(countries, text: bool):
        amount = (lambda v: money.number(unit.of(v), unit.decimals)) if text else unit.of
        return {view.t("col.country"): [i18n.country(c, view.lang) for c in countries["country"]],
                view.t("col.open"): countries["open"], value: [amount(v) for v in countries["open_value_usd_m"]]}

    ui.table(view, now["by_country"], rows, right=[value], height=360,
             column_config={value: st.column_config.NumberColumn(format="localized")})
