"""The meeting deck: an editable 16:9 PowerPoint of the steering committee's numbers.

    build_deck(snapshot, old_snapshot=…, comparison=…, sections=…, countries=…,
               filters=…, lang=…) -> bytes      the .pptx (CLI `export deck`, Slides page)
    outline(sections, countries, lang) -> [(section, title)]   the slides it will have
    SECTIONS / ALL_SECTIONS                    the declared sections, in deck order
    default_countries(snapshot, filters)       the countries that get a slide unless chosen
    map_png(by_country, lang) -> bytes         the map slide's picture, 1600 × 900
    text.tr(key, lang)                         the deck's labels, then ksmart.i18n's

Modules, one job each:

    text      the deck's own labels (the rest from ksmart.i18n)
    measure   text width per character class; wrapping and fitting with "…"
    layout    the 16:9 grid, fitted text boxes, the frame of every slide
    tables    native tables that fit their box
    charts    native charts (funnel, stacked bars, value bars) in the palette's colours
    mapimage  the world map drawn with Pillow
    fonts     Korean typefaces on every run, chart text and the theme
    data      the metrics a deck shows, computed once
    sections  the section table and the slides of each section
    check     re-measures a finished deck: text that would overflow its box
    builder   build_deck

No Streamlit here (architecture.md): the page and the CLI both call `build_deck`.
"""

from ksmart.present.deck import text
from ksmart.present.deck.builder import build_deck, outline, resolve_countries, resolve_sections
from ksmart.present.deck.data import DeckData, default_countries
from ksmart.present.deck.mapimage import render as map_png
from ksmart.present.deck.sections import ALL_SECTIONS, SECTIONS, Section

__all__ = ["build_deck", "outline", "resolve_sections", "resolve_countries", "default_countries", "DeckData",
           "map_png", "SECTIONS", "ALL_SECTIONS", "Section", "text"]
