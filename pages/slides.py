"""보고서 Slides: the meeting deck (.pptx) with chosen sections, countries and comparison date.

The deck follows the sidebar's filters and language and compares with the
last steering committee unless another date is picked; it is built by
`ksmart.present.deck.build_deck` only when the download button is pressed (the
button's data is a function), so choosing costs nothing. The map picture
downloads on its own; every plotly chart has its PNG in its toolbar.
"""

from functools import partial

import streamlit as st

from ksmart import i18n, ui
from ksmart.analytics import changes
from ksmart.present import deck
from ksmart.store import Snapshot

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

view = ui.page("slides")
url, number, lang = view.url, view.version.number, view.lang
tr = partial(deck.text.tr, lang=lang)  # the deck's labels (ksmart.present.deck.text), then the dashboard's
st.caption(tr("deck.page.intro"))
summary = ui.data.summary(url, number, view.as_of, view.filters)
if summary["projects"] == 0:
    st.info(view.t("notice.no_match"))  # the deck is still made: its slides say so

snapshot = Snapshot(view.version, ui.data.frames(url, number))
infos = [v for v in ui.data.versions(url, view.latest) if v.number <= number]
picks, options = st.columns([2, 3], gap="large")
with picks:
    st.markdown(f"**{tr('deck.page.sections')}**")
    sections = [s.key for s in deck.SECTIONS if st.checkbox(s.label(lang), value=True, key=f"deck_section_{s.key}")]
with options:
    choices = ui.data.country_choices(url, number, view.as_of, view.filters)
    suggested = [c for c in deck.default_countries(snapshot, view.filters) if c in choices]
    countries = st.multiselect(tr("deck.page.countries"), choices, default=suggested, key="deck_countries",
                               format_func=lambda c: i18n.country(c, lang), placeholder=tr("side.all"))
    events = snapshot.frames["events"]
    meeting = changes.choose(infos, view.version, events)  # the last steering committee, as `briefing`
    default = meeting.since or meeting.old.reference_date
    since = st.date_input(tr("deck.page.since"), value=default, key="deck_since",
                          min_value=min(default, infos[0].reference_date), max_value=max(default, view.as_of))
    title = st.text_input(tr("deck.page.title"), value=tr("deck.meeting"), key="deck_title")

comparison = meeting if since == default else changes.choose(infos, view.version, events, since=since)
old = Snapshot(comparison.old, ui.data.frames(url, comparison.old.number))
slides = deck.outline(sections, countries, lang, title)


def build() -> bytes:
    return deck.build_deck(snapshot, old_snapshot=old, comparison=comparison, sections=sections, countries=countries,
                           filters=view.filters, lang=lang, meeting_title=title)


stem = f"ksmart_{i18n.day(view.as_of)}_v{number}_{lang}"
with options:
    deck_column, map_column = st.columns(2)
    deck_column.download_button(tr("deck.page.download"), data=build, file_name=f"{stem}.pptx", mime=PPTX,
                                key="deck_download", type="primary", on_click="ignore", disabled=not slides)
    map_column.download_button(tr("deck.page.map"), data=lambda: deck.map_png(summary["by_country"], lang),
                               file_name=f"{stem}_map.png", mime="image/png", key="deck_map", on_click="ignore")
    compared = deck.DeckData(snapshot, old, comparison, lang=lang).comparison_line()
    st.caption(f"{tr('deck.page.preview', n=len(slides))} · {compared}")
    st.markdown("\n".join(f"{i}. {ui.md(heading)}" for i, (_, heading) in enumerate(slides, start=1)))
