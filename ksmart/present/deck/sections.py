"""The sections of the meeting deck, declared once as a table.

`SECTIONS` lists, in deck order, each section's key (what `--sections` and
the Slides page's checkboxes use), the translation key of its title, and
the function that adds its slides. The country section adds one slide per
chosen country; every other section one slide. A builder takes the
`SlideMaker` and the `DeckData` and lays out metrics: no number is computed
here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

import pandas as pd
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.analytics import followup, metrics
from ksmart.present import amounts, directives, kpis
from ksmart.present import palette as pal
from ksmart.present.deck import charts, layout, mapimage
from ksmart.present.deck.data import UPCOMING_DAYS, DeckData, readable
from ksmart.present.deck.tables import Col, table
from ksmart.present.deck.text import tr

TOP_COUNTRIES = 12
MAP_WIDTH_PX = 1800  # about 150 dpi across the slide


@dataclass(frozen=True)
class Section:
    key: str
    title_key: str  # the slide title, a key of the text catalogue
    build: Callable[..., None]  # (maker, data), or (maker, data, iso3) when per_country
    per_country: bool = False  # one slide per chosen country

    def label(self, lang: str) -> str:
        return tr(self.title_key, lang)


# --- helpers ------------------------------------------------------------------------


def _empty(data: DeckData) -> bool:
    return data.summary["projects"] == 0


# --- title and numbers ------------------------------------------------------------------


def title_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, _ = maker.new(None)
    x, w = layout.MARGIN + 0.5, layout.SLIDE_W - 2 * layout.MARGIN - 0.5
    layout.rectangle(slide, layout.Box(layout.MARGIN, 1.45, 0.14, 3.0), layout.ACCENT_BAR)
    layout.text(slide, layout.Box(x, 1.4, w, 0.55), data.tr("app.title"), size=24, min_size=16,
                color=layout.ACCENT_BAR, bold=True, name="Group")
    layout.text(slide, layout.Box(x, 2.0, w, 1.45), data.meeting, size=44, min_size=28, bold=True,
                anchor=MSO_ANCHOR.MIDDLE, name="Title")
    layout.text(slide, layout.Box(x, 3.5, w, 0.55), data.tr("deck.subtitle"), size=26, min_size=18,
                color=layout.MUTED, name="Subtitle")
    lines = [data.tr("deck.reference", date=i18n.day(data.as_of), version=data.version.number),
             data.comparison_line()]
    if data.filter_line():
        lines.append(data.filter_line())
    layout.text(slide, layout.Box(x, 4.5, w, 1.3), lines, size=20, min_size=12, gap=0.25, name="Context")
    if data.version.illustrative:
        band = layout.Box(x, 5.95, w, 0.6)
        layout.rectangle(slide, band, "#FDEDEC")
        layout.text(slide, band, "※ " + data.tr("notice.illustrative"), size=20, min_size=12, bold=True,
                    color=pal.ACCENT, anchor=MSO_ANCHOR.MIDDLE, name="Illustrative")


def kpi_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("deck.section.kpi"), data.comparison_line())
    now, before = data.summary, data.old_summary
    columns = [Col(data.tr("deck.kpi.measure"), 3.2, bold=True),
               Col(data.tr("deck.kpi.now", date=i18n.day(data.as_of)), 2, PP_ALIGN.RIGHT, 1)]
    if before is not None:
        old_day = i18n.day(data.old_snapshot.version.reference_date)
        columns += [Col(data.tr("deck.kpi.before", date=old_day), 2, PP_ALIGN.RIGHT, 1),
                    Col(data.tr("deck.kpi.delta"), 1.4, PP_ALIGN.RIGHT, 1)]
    rows = []
    upcoming_days = metrics.Params().resolved().upcoming_days  # what the summary counted with
    for label, field_ in kpis.DECK:
        row = [data.tr(label, days=upcoming_days), kpis.text(field_, now[field_], data.lang)]
        if before is not None:
            row += [kpis.text(field_, before[field_], data.lang),
                    kpis.change(field_, now[field_] - before[field_], data.lang)]
        rows.append(row)
    body, status = area.top(area.h - 0.55, gap=0.1)
    table(slide, body, columns, rows, data.lang, size=22, min_size=12)
    layout.text(slide, status, data.tr("deck.kpi.status", active=now["active"], on_hold=now["on_hold"],
                                      dropped=now["dropped"], missing=now["value_missing"]),
                size=16, min_size=11, color=layout.MUTED, name="Status")


def directives_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    """The last meeting's directives by status (overdue first, in red), with their owners and
    due dates, then earlier meetings' overdue ones: what the committee checks first."""
    figures, rows = data.directives
    line = followup.status_line(figures, data.lang)
    slide, area = maker.new(data.tr("page.followup"), line or data.tr("followup.none_deck"))
    if rows.empty:
        layout.note(slide, area, data.tr("followup.none_deck"))
        return
    cells = directives.rows(rows, data.lang, ("directive", "owner", "due", "status"))
    if data.lang != "ko":  # like every English slide, no text written in Korean: ids and agency keys instead
        names = _english_names(data)
        cells[data.tr("followup.col.directive")] = [
            readable(text, "en") or names.get(str(pid).strip().casefold()) or aid
            for text, pid, aid in zip(rows["directive"], rows["project_id"], rows["action_id"])]
        cells[data.tr("followup.col.owner")] = [
            ", ".join(o for o in (readable(i18n.agency(k, "en"), "en") for k in owners) if o) or "-"
            for owners in rows["owner"]]
    columns = [Col(data.tr("followup.col.meeting"), 1.0, lines=2), Col(data.tr("followup.col.directive"), 3.2, lines=2),
               Col(data.tr("followup.col.owner"), 1.6, lines=2), Col(data.tr("followup.col.due"), 1, lines=1),
               Col(data.tr("followup.col.status"), 1.4, lines=2)]
    meeting_day = [i18n.day(d) if pd.notna(d) else "" for d in rows["meeting_date"]]
    texts = [list(row) for row in zip(meeting_day, *cells.values())]  # the meeting by its date: short
    inks = [pal.ACCENT if late else None for late in rows["overdue"]]
    table(slide, area, columns, texts, data.lang, size=18, min_size=11, inks=inks)


def _english_names(data: DeckData) -> dict[str, str]:
    """Folded project id -> the project's English name (where it has one)."""
    projects = data.frames["projects"]
    return {str(pid).strip().casefold(): name for pid, name in zip(projects["project_id"], projects["name_en"])
            if isinstance(name, str) and name.strip()}


def changes_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("overview.briefing"), data.comparison_line())
    left, right = area.split(1.0, 1.0, gap=0.4)
    sentences = data.sentences
    more_h = 0.4
    listing = layout.Box(left.x, left.y, left.w, left.h - more_h)
    shown = max(layout.fit_count(sentences, listing, size=18, min_size=14, gap=0.35, bullet=True), 1)
    layout.text(slide, listing, sentences[:shown], size=18, min_size=14, gap=0.35, bullet=True, name="Briefing")
    if shown < len(sentences):
        layout.text(slide, layout.Box(left.x, listing.bottom, left.w, more_h),
                    data.tr("more", n=len(sentences) - shown), size=14, min_size=12, color=layout.MUTED,
                    name="Briefing more")
    head, rest = right.top(1.15, gap=0.1)
    heading, tally = head.top(0.45)
    layout.text(slide, heading, data.tr("deck.moves"), size=20, min_size=14, bold=True, name="Moves heading")
    # Non-breaking spaces inside each count: lines break only between counts.
    counts = [data.tr("deck.change.count", label=data.tr(f"change_list.{k}"), n=len(v)).replace(" ", "\u00a0")
              for k, v in data.changes.items() if v]
    layout.text(slide, tally, " · ".join(counts) or data.tr("deck.change.none"), size=15, min_size=12,
                color=layout.MUTED, name="Change counts")
    moves = _moves(data)
    if not moves:
        layout.note(slide, rest, data.tr("deck.moves_none"))
        return
    columns = [Col(data.tr("col.country"), lines=1), Col(data.tr("col.name"), 1.0),
               Col(data.tr("deck.col.move"), 1.1)]
    table(slide, rest, columns, moves, data.lang, size=17, min_size=14)


def _moves(data: DeckData) -> list[list[str]]:
    """Stage moves as table rows, furthest destination first."""
    entries = [*data.changes["advanced"], *data.changes["regressed"]]
    if not entries:
        return []
    rows = data.projects.set_index(data.projects["project_id"])
    entries.sort(key=lambda e: (-ref.STAGE_NUMBER.get(e["to"], 0), e["project_id"]))
    out = []
    for e in entries:
        row = rows.loc[e["project_id"]]
        out.append([i18n.country(row["country"], data.lang), i18n.project_name(row, data.lang),
                    f"{i18n.label(ref.STAGES, e['from'], data.lang)} → {i18n.label(ref.STAGES, e['to'], data.lang)}"])
    return out


# --- charts -----------------------------------------------------------------------------


def funnel_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("chart.funnel"), data.tr("deck.funnel_note"))
    if _empty(data):
        layout.note(slide, area, data.tr("deck.none_note"))
        return
    rows = data.summary["funnel"]
    charts.funnel(
        slide, area,
        [i18n.label(ref.STAGES, r["stage"], data.lang) for r in rows],
        [r["reached"] for r in rows],
        amounts.funnel_texts(rows, data.lang),
        [pal.STAGE_COLORS[r["stage"]] for r in rows],
        (data.tr("deck.series.spacer"), data.tr("hover.reached"), data.tr("deck.series.label")),
    )


def stages_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("chart.stage_subcommittee"))
    frame = metrics.stage_by_subcommittee(data.projects)
    if frame["projects"].sum() == 0:
        layout.note(slide, area, data.tr("deck.none_note"))
        return
    series = []
    for key in ref.SUBCOMMITTEES.keys:
        part = frame[frame["subcommittee"] == key].set_index("stage").reindex(ref.STAGES.keys, fill_value=0)
        series.append((i18n.label(ref.SUBCOMMITTEES, key, data.lang), part["projects"].tolist(),
                       pal.SUBCOMMITTEE_COLORS[key]))
    charts.stacked_bars(slide, area, [i18n.label(ref.STAGES, k, data.lang) for k in ref.STAGES.keys], series,
                        name="Stage × subcommittee", label_size=16)


def map_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("page.map"))
    png = mapimage.render(data.summary["by_country"], data.lang, width=MAP_WIDTH_PX, height=None,
                          priority=metrics.priority_countries(data.frames.get("countries")))
    aspect = MAP_WIDTH_PX / mapimage.natural_height(MAP_WIDTH_PX)
    width = min(area.w, area.h * aspect)
    box = layout.Box(area.x + (area.w - width) / 2, area.y, width, width / aspect)
    slide.shapes.add_picture(io.BytesIO(png), *box.emu()).name = "Map"


def country_value_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    rows = [r for r in data.summary["by_country"] if r["open_value_usd_m"] > 0][:TOP_COUNTRIES]
    values = [r["open_value_usd_m"] for r in rows]
    unit = money.unit_for(values, data.lang)  # one unit for the bars, stated in the subtitle
    subtitle = (f"{data.tr('deck.top', n=TOP_COUNTRIES)} · "
                f"{data.tr('axis.value', measure=data.tr('hover.open_value'), unit=unit.label)}")
    slide, area = maker.new(data.tr("deck.section.country_value"), subtitle)
    if not rows:
        layout.note(slide, area, data.tr("deck.none_note"))
        return
    top = max(values)
    colors = ["#%02X%02X%02X" % pal.value_rgb(v, top) for v in values]
    charts.value_bars(slide, area, [i18n.country(r["country"], data.lang) for r in rows],
                      [unit.of(v) for v in values], colors, data.tr("hover.open_value"), name="Open value by country",
                      decimals=unit.decimals)


def technologies_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("chart.tech_coverage"))
    coverage = metrics.technology_by_subcommittee(data.projects)
    if coverage.to_numpy().sum() == 0:
        layout.note(slide, area, data.tr("deck.none_note"))
        return
    series = [(i18n.label(ref.SUBCOMMITTEES, key, data.lang), coverage[key].tolist(), pal.SUBCOMMITTEE_COLORS[key])
              for key in ref.SUBCOMMITTEES.keys]
    charts.stacked_bars(slide, area, [i18n.label(ref.TECHNOLOGIES, k, data.lang) for k in coverage.index], series,
                        name="Technology coverage", label_size=13)


# --- project tables -------------------------------------------------------------------------


def _value_unit(frame: pd.DataFrame, data: DeckData) -> money.Unit:
    """The one unit of a project table's value column, chosen by its largest value."""
    return money.unit_for(frame["value_usd_m_effective"] if "value_usd_m_effective" in frame else [], data.lang)


def _project_rows(frame: pd.DataFrame, data: DeckData, columns: list[str]) -> list[list[str]]:
    """Cells of the chosen columns for each project row, as text in the deck language;
    values as plain numbers in the unit of the column's header."""
    unit = _value_unit(frame, data)
    lang = data.lang
    cells = {
        "country": lambda r: i18n.country(r["country"], lang),
        "name": lambda r: i18n.project_name(r, lang),
        "stage": lambda r: i18n.label(ref.STAGES, r["stage"], lang),
        "status": lambda r: i18n.label(ref.STATUSES, r["status"], lang),
        "value": lambda r: "" if unit.of(r["value_usd_m_effective"]) is None
        else money.number(unit.of(r["value_usd_m_effective"]), unit.decimals),
        "next_step": lambda r: readable(r["next_step"], lang),
        "next_step_date": lambda r: i18n.day(r["next_step_date"]),
    }
    return [[cells[c](row) for c in columns] for row in frame.to_dict("records")]


# column -> (header key, weight of a wrapping column, alignment, most lines); one-line
# columns are as wide as their text (`tables.widths`).
PROJECT_COLUMNS = {
    "country": ("col.country", 1.0, PP_ALIGN.LEFT, 1),
    "name": ("col.name", 3.2, PP_ALIGN.LEFT, 2),
    "stage": ("col.stage", 1.0, PP_ALIGN.LEFT, 1),
    "status": ("col.status", 1.0, PP_ALIGN.LEFT, 1),
    "value": ("col.value", 1.0, PP_ALIGN.RIGHT, 1),
    "next_step": ("col.next_step", 1.8, PP_ALIGN.LEFT, 2),
    "next_step_date": ("col.next_step_date", 1.0, PP_ALIGN.LEFT, 1),
}


def _columns(data: DeckData, keys: list[str], unit: money.Unit) -> list[Col]:
    out = []
    for key in keys:
        header, width, align, lines = PROJECT_COLUMNS[key]
        out.append(Col(data.tr(header, unit=unit.label), width, align, lines))
    return out


def _project_keys(data: DeckData, keys: list[str]) -> list[str]:
    """`keys` without the next-step text in English: it is written in Korean only."""
    return [k for k in keys if k != "next_step" or data.lang == "ko"]


def project_table(slide, box: layout.Box, frame: pd.DataFrame, data: DeckData, keys: list[str], *,
                  size: float, min_size: float) -> None:
    keys = _project_keys(data, keys)
    table(slide, box, _columns(data, keys, _value_unit(frame, data)), _project_rows(frame, data, keys), data.lang,
          size=size,
          min_size=min_size)


def advanced_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("overview.advanced"))
    if data.advanced.empty:
        layout.note(slide, area, data.tr("overview.no_advanced"))
        return
    project_table(slide, area, data.advanced, data,
                  ["country", "name", "stage", "value", "next_step", "next_step_date"], size=18, min_size=12)


def upcoming_slide(maker: layout.SlideMaker, data: DeckData) -> None:
    slide, area = maker.new(data.tr("deck.section.upcoming"), data.tr("deck.upcoming_window", days=UPCOMING_DAYS))
    if data.upcoming.empty:
        layout.note(slide, area, data.tr("deck.upcoming_none", days=UPCOMING_DAYS))
        return
    project_table(slide, area, data.upcoming, data,
                  ["next_step_date", "country", "name", "next_step", "stage"], size=18, min_size=13)


# --- countries ----------------------------------------------------------------------------------


def country_slide(maker: layout.SlideMaker, data: DeckData, iso3: str) -> None:
    lang = data.lang
    rows = data.table[data.table["country"] == iso3].sort_values(
        ["stage_number", "value_usd_m_effective", "project_id"], ascending=[False, False, True], kind="stable")
    open_value = rows.loc[rows["is_open"], "value_usd_m_effective"].fillna(0).sum()
    line = data.tr("deck.country.line", n=len(rows), value=money.amount(open_value, lang),
                   advanced=int(rows["is_advanced"].sum()))
    slide, area = maker.new(i18n.country(iso3, lang), line)
    left, right = area.split(2.2, 1.0, gap=0.35)
    if rows.empty:
        layout.note(slide, left, data.tr("deck.country.no_projects"))
    else:
        project_table(slide, left, rows, data, ["name", "stage", "status", "value", "next_step", "next_step_date"],
                      size=18, min_size=11)
    layout.labelled(slide, right, _facts(data, iso3))


def _facts(data: DeckData, iso3: str) -> list[tuple[str, str]]:
    """The fact panel of a country slide: attaché post, latest report, latest event, policy."""
    lang = data.lang
    none = data.tr("countries.none")
    extra = data.extras.loc[iso3] if iso3 in data.extras.index else None
    post = extra["attache_post"] if extra is not None else None
    if post is None or pd.isna(post) or not str(post).strip():
        post = data.tr("countries.no_attache")
    else:  # a post named in Korean, on an English slide: say that there is one
        post = readable(post, lang) or data.tr("countries.yes")
    facts = [(data.tr("countries.attache"), post)]
    reports = data.frames["reports"]
    mine = reports[(reports["country"] == iso3) & (reports["date"] <= pd.Timestamp(data.as_of))]
    if len(mine):
        latest = mine.sort_values(["date", "report_id"], kind="stable").iloc[-1]
        age = extra["report_age_days"] if extra is not None else None
        when = data.tr("countries.freshness_value", days=int(age), date=i18n.day(latest["date"])) \
            if age is not None and not pd.isna(age) else i18n.day(latest["date"])
        body = " — ".join(p for p in (readable(latest["title"], lang), readable(latest["summary"], lang)) if p)
        facts.append((data.tr("deck.country.report"), f"{when}\n{body}" if body else when))
    else:
        facts.append((data.tr("deck.country.report"), data.tr("countries.no_report")))
    if extra is not None and not pd.isna(extra["latest_event_date"]):
        name = readable(extra["latest_event"], lang)
        event_day = i18n.day(extra["latest_event_date"])
        facts.append((data.tr("countries.latest_event"), f"{event_day} {name}".strip()))
    else:
        facts.append((data.tr("countries.latest_event"), none))
    policy = data.frames["countries"]
    policy = policy.loc[policy["country"] == iso3, "policy"]
    text = readable(policy.iloc[0], lang) if len(policy) else ""
    if text:
        facts.append((data.tr("countries.policy"), text))
    return facts


SECTIONS: tuple[Section, ...] = (
    Section("title", "deck.section.title", title_slide),
    Section("kpi", "deck.section.kpi", kpi_slide),
    Section("directives", "page.followup", directives_slide),
    Section("changes", "overview.briefing", changes_slide),
    Section("funnel", "chart.funnel", funnel_slide),
    Section("stages", "chart.stage_subcommittee", stages_slide),
    Section("map", "page.map", map_slide),
    Section("country_value", "deck.section.country_value", country_value_slide),
    Section("technologies", "chart.tech_coverage", technologies_slide),
    Section("advanced", "overview.advanced", advanced_slide),
    Section("countries", "page.countries", country_slide, per_country=True),
    Section("upcoming", "deck.section.upcoming", upcoming_slide),
)
BY_KEY = {s.key: s for s in SECTIONS}
ALL_SECTIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
