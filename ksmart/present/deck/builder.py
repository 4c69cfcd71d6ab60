"""`build_deck`: the meeting deck as .pptx bytes, the one entry point of the CLI and the Slides page.

The deck is a blank 16:9 presentation (python-pptx's default template is
4:3: the slide size is set and only the blank layout used, so every shape
is ours). Sections are added in the order of `sections.SECTIONS`, whatever
order they were asked in, so every deck reads the same way; then the
typefaces are set on all text in one pass (`fonts.apply`).
"""

from __future__ import annotations

import io
from typing import Iterable, Sequence

from pptx import Presentation

from ksmart import countries as ctry
from ksmart import i18n
from ksmart.analytics.metrics import Filters
from ksmart.errors import BadArgument
from ksmart.present.deck import fonts, layout
from ksmart.present.deck.data import DeckData, default_countries
from ksmart.present.deck.sections import ALL_SECTIONS, BY_KEY, SECTIONS
from ksmart.present.deck.text import tr


def resolve_sections(keys: Iterable[str] | None) -> tuple[str, ...]:
    """Section keys in deck order; None means all. Raises BadArgument for an unknown key."""
    if keys is None:
        return ALL_SECTIONS
    wanted = [k.strip() for k in keys if k and k.strip()]
    unknown = [k for k in wanted if k not in BY_KEY]
    if unknown:
        known = ", ".join(ALL_SECTIONS)
        raise BadArgument("unknown_section", *i18n.pair("error.unknown_section", unknown=", ".join(unknown), known=known))
    return tuple(k for k in ALL_SECTIONS if k in wanted)


def resolve_countries(values: Iterable[str]) -> tuple[str, ...]:
    """ISO alpha-3 codes for countries written as codes or names (쿠웨이트, Kuwait, KWT),
    in the order given, without repeats. Raises BadArgument naming the unknown ones."""
    codes, unknown = [], []
    for value in values:
        if not str(value).strip():
            continue
        code = ctry.resolve(value)
        if code is None:
            unknown.append(str(value))
        elif code not in codes:
            codes.append(code)
    if unknown:
        hints = "; ".join(f"{u}: {', '.join(ctry.suggestions(u)) or '-'}" for u in unknown)
        raise BadArgument("unknown_country", *i18n.pair("error.unknown_country", hints=hints))
    return tuple(codes)


def outline(sections: Sequence[str] = ALL_SECTIONS, countries: Sequence[str] = (), lang: str = "ko",
            meeting_title: str | None = None) -> list[tuple[str, str]]:
    """(section key, slide title) of each slide the deck will have, in order:
    the Slides page's preview, without building anything. Countries as in
    `build_deck` (codes or names)."""
    out = []
    for section in SECTIONS:
        if section.key not in sections:
            continue
        if section.per_country:
            out.extend((section.key, i18n.country(c, lang)) for c in resolve_countries(countries))
        elif section.key == "title":
            out.append((section.key, meeting_title or tr("deck.meeting", lang)))
        else:
            out.append((section.key, section.label(lang)))
    return out


def build_deck(snapshot, *, old_snapshot=None, comparison=None, sections: Iterable[str] | None = None,
               countries: Iterable[str] | None = None, filters: Filters = Filters(), lang: str = "ko",
               meeting_title: str | None = None) -> bytes:
    """The meeting deck of `snapshot` (a `store.Snapshot`) as .pptx bytes.

    Args:
        old_snapshot: the version compared with (KPI deltas, changes slide);
            None for no comparison.
        comparison: the `changes.Comparison` that chose `old_snapshot`, so
            the slides can say "since the last steering committee (date)".
        sections: section keys (`ALL_SECTIONS`; None: all), any order.
        countries: ISO codes or names of the countries that get a slide;
            None: the countries of the advanced projects (`default_countries`).
        filters: the dashboard's filters, applied to every number.
        lang: "ko" or "en".
        meeting_title: the title slide's heading (default "운영위원회 보고").

    Raises BadArgument for an empty store, an unknown section or country.
    """
    if snapshot is None or snapshot.version is None:
        raise BadArgument("empty_store", *i18n.pair("error.empty_store"))
    lang = "ko" if lang == "ko" else "en"
    data = DeckData(snapshot, old_snapshot, comparison, filters, lang, meeting_title)
    chosen = resolve_sections(sections)
    picked = default_countries(snapshot, filters) if countries is None else resolve_countries(countries)

    prs = Presentation()
    prs.slide_width, prs.slide_height = layout.SLIDE_W_EMU, layout.SLIDE_H_EMU
    maker = layout.SlideMaker(prs, data.footer())
    for key in chosen:
        section = BY_KEY[key]
        if section.per_country:
            for iso3 in picked:
                section.build(maker, data, iso3)
        else:
            section.build(maker, data)
    fonts.apply(prs, lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
