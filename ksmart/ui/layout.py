"""What every page lays out the same way: header, notices, KPI cards, charts, tables.

User text (project, event and report names) is shown through `st.dataframe`,
or markdown escaped by `md`: `text_table` (whose links
are built from page keys and quoted parameters, `pages.link`) and `safe_table`
(st.table renders markdown) escape every cell; never through `unsafe_allow_html`. `md` also
breaks up web and mail addresses, which Streamlit's markdown would link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.analytics import metrics
from ksmart.present import charts, htmlcharts
from ksmart.present import kpis as kpi_table  # `kpis` is the cards' function below
from ksmart.present.kpis import text as kpi_text  # the cards' values; the browser tests read them here
from ksmart.ui import pages, state
from ksmart.ui.state import View

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


# Streamlit's markdown (remark-gfm) turns web and mail addresses in plain text into links after
# escapes are resolved, so escaping is not enough: a word joiner (invisible, U+2060) inside
# "://", after "www" and after "@" leaves nothing its autolink patterns match.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\\?\.)|(?<=@)", re.IGNORECASE)


def md(text) -> str:
    """User text made literal for `st.markdown`: every markdown, directive
    (`:red[…]`, `:material/…:`) and math character escaped, and web and mail
    addresses broken up (`_AUTOLINK`), so a name can neither format nor link
    nor load an image."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
    return _AUTOLINK.sub("\u2060", escaped)


def page(key: str, *, allow_empty: bool = False) -> View:
    """Set up page `key`: title, data context line, illustrative notice;
    stop with the empty state when there is no data (or the store failed),
    unless the page is where data gets in (`allow_empty`)."""
    view = pages.guard()
    title, side = st.columns([5, 1], vertical_alignment="bottom")
    title.title(view.t(f"page.{key}"))
    if view.meeting:
        side.button(view.t("side.meeting_exit"), key="leave_meeting", on_click=state.leave_meeting,
                    width="stretch")
    if view.error:
        st.error(view.t("notice.store_error", message=view.error))
        st.stop()
    if view.empty:
        if allow_empty:
            return view
        empty_state(view)
        st.stop()
    context(view)
    return view


def context(view: View) -> None:
    """One line under the title: reference date, version, comparison, active filters, illustrative mark."""
    parts = [view.t("context.line", date=i18n.day(view.as_of), version=view.version.number)]
    if view.old is not None and view.old.number != view.version.number:
        parts.append(view.t("context.compare", label=view.since_label(), version=view.old.number,
                             date=i18n.day(view.old.reference_date)))
    active = [view.t(f"filter.{name}") for name in state.FILTER_KEYS if getattr(view.filters, name)]
    if active:
        parts.append(view.t("filter.active_note", fields=", ".join(active)))
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if view.illustrative:
            st.badge(view.t("notice.illustrative"), icon="⚠️", color="orange")
        st.caption(" · ".join(md(p) for p in parts))


def empty_state(view: View) -> None:
    st.info(f"**{view.t('notice.empty_title')}**\n\n{view.t('notice.empty_body')}")


def as_written(view: View) -> None:
    """In English, say why some text stays Korean: free text has no English column in the workbook."""
    if view.lang != "ko":
        st.caption(view.t("as_written"))


def no_match(view: View, projects: int) -> None:
    """Stop the page with a friendly note when the filters keep no project."""
    if projects == 0:
        st.info(view.t("notice.no_match"))
        st.stop()


def chart(view: View, fig, name: str) -> None:
    """A plotly figure with the shared config (PNG at slide size), larger in meeting mode."""
    if view.meeting:
        charts.enlarge(fig)
    st.plotly_chart(fig, theme=None, config=charts.config(_png_name(view, name)))


_CHARTS_DIALOG = "charts_dialog"


def bar_charts(view: View, charts_html: Sequence[str], figures: Callable[[], Sequence[tuple[object, str]]]) -> None:
    """The first screen's bar charts (`ksmart.present.htmlcharts`), side by side: HTML drawn
    with the page, no chart library to load. A button opens the same charts as
    plotly `figures` ((figure, name) pairs, built only then) in a dialog, where
    each chart's toolbar saves its PNG at slide size or shows it fullscreen."""
    st.html(htmlcharts.row(charts_html))
    # A callback, not the button's value: a run that starts without app.py is repeated (pages.guard),
    # and a flag in the session survives that where the click would not.
    st.button(view.t("overview.charts_png"), icon=":material/image:", key="charts_png",
              on_click=lambda: st.session_state.update({_CHARTS_DIALOG: True}))
    if st.session_state.pop(_CHARTS_DIALOG, False):
        st.dialog(view.t("overview.charts_png"), width="large")(_plotly_charts)(view, figures())


def _plotly_charts(view: View, figures: Sequence[tuple[object, str]]) -> None:
    for fig, name in figures:
        chart(view, fig, name)


def _png_name(view: View, name: str) -> str:
    return f"ksmart_{name}_{i18n.day(view.as_of)}"


# --- KPI cards -------------------------------------------------------------------

KPIS = kpi_table.OVERVIEW  # the cards, declared once with the deck's (ksmart.present.kpis)


def kpi_delta(view: View, field: str, change) -> str:
    """A card's change with its sign ("+4억 달러", "-3", "0"). An ASCII minus, not "−":
    `st.metric` reads the direction of its arrow from a leading "-"."""
    return kpi_table.change(field, change, view.lang).replace("−", "-", 1)


# The card's one line on hover: the totals, so that none is taken for another.
KPI_HELP = {"kpi.open_value": "kpi.help.open_value", "kpi.weighted_value": "kpi.help.weighted_value",
            "kpi.total_value": "kpi.help.total_value"}


def kpi_help(view: View, label: str) -> str | None:
    return view.t(KPI_HELP[label]) if label in KPI_HELP else None


def kpis(view: View, now: dict, before: dict | None, cards: Sequence[tuple[str, str]] = KPIS) -> None:
    """KPI cards with their change since the comparison version (none when it is the same version)."""
    columns = st.columns(len(cards))
    for column, (label, field) in zip(columns, cards):
        delta, color = None, "normal"
        if before is not None:
            change = now[field] - before[field]
            delta = kpi_delta(view, field, change)
            color = "off" if delta == kpi_delta(view, field, 0) else "inverse" if field in kpi_table.WORSE_WHEN_MORE else "normal"
        column.metric(view.t(label), kpi_text(field, now[field], view.lang), delta=delta, delta_color=color,
                      help=kpi_help(view, label))


# --- tables ------------------------------------------------------------------------

COLUMN_LABEL = {
    "project_id": "col.project_id", "name": "col.name", "country": "col.country",
    "subcommittee": "col.subcommittee", "stage": "col.stage", "status": "col.status",
    "lead_agency": "col.lead_agency", "value": "col.value", "probability": "col.probability",
    "days_in_stage": "col.days_in_stage", "days_since_update": "col.days_since_update",
    "next_step": "col.next_step", "next_step_date": "col.next_step_date", "next_step_when": "col.next_step_when",
    "flags": "col.flags",
    "tech_count": "col.technologies",
}
_LOOKUPS = {"subcommittee": ref.SUBCOMMITTEES, "stage": ref.STAGES, "status": ref.STATUSES}


def _column(view: View, table: pd.DataFrame, column: str, text: bool) -> list:
    """One shown column of `table`: labels in the UI language, numbers as numbers (text for `st.table`)."""
    lang = view.lang
    if column == "name":
        return [i18n.project_name(r, lang) for r in table[["name", "name_en"]].to_dict("records")]
    if column == "country":
        return [i18n.country(c, lang) for c in table["country"]]
    if column in _LOOKUPS:
        return [i18n.label(_LOOKUPS[column], v, lang) for v in table[column]]
    if column == "lead_agency":
        return [i18n.agency(v, lang) for v in table["lead_agency"]]
    if column == "value":  # plain numbers to sort and add up, in the one unit the header states
        unit = value_unit(view, table)
        values = [unit.of(v) for v in table["value_usd_m_effective"]]
        return ["" if v is None else money.number(v, unit.decimals) for v in values] if text else values
    if column == "probability":
        return (table["probability"] * 100).round(0).tolist()
    if column == "next_step_date":
        # word joiners: `st.table` would break a date at its hyphens in a narrow column
        return ([i18n.day(d).replace("-", "-\u2060") for d in table["next_step_date"]] if text
                else table["next_step_date"].tolist())
    if column == "next_step_when":  # the step and its date in one cell, for a compact table
        return [_step_when(view, step, when) for step, when in zip(table["next_step"], table["next_step_date"])]
    if column == "flags":
        return [" · ".join(text for text, _ in flags(view, row)) for row in table[_FLAG_COLUMNS].to_dict("records")]
    if text and column in ("days_in_stage", "days_since_update", "tech_count"):
        return ["" if pd.isna(v) else f"{int(v):,}" for v in table[column]]
    if text:  # an empty cell, never "nan"
        return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in table[column]]
    return table[column].tolist()


def value_unit(view: View, table: pd.DataFrame) -> money.Unit:
    """The one unit of a project table's value column, chosen by its largest value."""
    return money.unit_for(table["value_usd_m_effective"], view.lang)


def value_header(view: View, table: pd.DataFrame) -> str:
    """The value column's header with its unit ("사업비 (억 달러)")."""
    return view.t("col.value", unit=value_unit(view, table).label)


# (row flag, catalogue key, colour on the stage board), in the order shown. Stale is a check on
# the data, not a warning about the project: last and grey, never red like stalled and overdue.
FLAGS: tuple[tuple[str, str, str], ...] = (
    ("stalled", "pipeline.flag_stalled", "red"),
    ("overdue", "pipeline.flag_overdue", "red"),
    ("upcoming", "pipeline.flag_upcoming", "orange"),
    ("stale", "pipeline.flag_stale", "gray"),
)
_FLAG_COLUMNS = [*(f for f, _, _ in FLAGS), "days_overdue"]


def flags(view: View, row: Mapping) -> list[tuple[str, str]]:
    """The flags a project row (of `metrics.project_table`) carries: (text, colour) pairs."""
    days = row["days_overdue"]
    return [(view.t(key, days=f"{int(days):,}" if flag == "overdue" else ""), colour)
            for flag, key, colour in FLAGS if row[flag]]


def flags_legend(view: View) -> str:
    """What each flag means, with the limits the metrics counted with (settings)."""
    p = metrics.Params().resolved()
    limits = ", ".join(view.t("pipeline.limit", stage=i18n.label(ref.STAGES, stage, view.lang), days=days)
                       for stage, days in p.stalled_days.items())
    return view.t("pipeline.legend", limits=limits, upcoming=p.upcoming_days, stale=p.stale_days)


def _step_when(view: View, step, when) -> str:
    step = step if isinstance(step, str) and step.strip() else None
    when = None if when is None or pd.isna(when) else i18n.day(when)
    if step and when:
        return view.t("col.next_step_when_value", step=step, date=when)
    return step or when or "-"


def project_rows(view: View, table: pd.DataFrame, columns: Sequence[str], *, text_values: bool = False) -> pd.DataFrame:
    """Projects (a `metrics.project_table` slice) as shown: labels in the UI
    language under translated headers. `text_values` writes numbers and dates
    as text, for `st.table`, which does not format them."""
    def header(c: str) -> str:
        return value_header(view, table) if c == "value" else view.t(COLUMN_LABEL[c])

    return pd.DataFrame({header(c): _column(view, table, c, text_values) for c in columns})


# Chromium breaks a narrow cell at a hyphen ("2017-/12-15", "KWT-/001") and beside a middle dot
# ("에너지/·환경") even under keep-all: word joiners keep dates, ids and names whole.
_JOINED_HYPHEN = re.compile(r"(?<=\w)\\-(?=\w)")  # as `md` writes a hyphen


def _text_cell(value) -> str:
    return _JOINED_HYPHEN.sub("\\\\-\u2060", md(value)).replace("\u00b7", "\u2060\u00b7\u2060")


@dataclass(frozen=True)
class Link:
    """A text table cell's text that opens another page (`url` from `pages.link`, never user text)."""

    text: str
    url: str


def _cell(value) -> str:
    """A text table cell: text, a `Link`, or a tuple of both (written one after the other)."""
    if isinstance(value, tuple):
        return "".join(_cell(v) for v in value)
    if isinstance(value, Link):
        return f"[{_text_cell(value.text)}]({value.url})"
    return _text_cell(value)


def text_table(frame: pd.DataFrame, right: Sequence[str] = ()) -> None:
    """`frame` (text cells, as `project_rows(text_values=True)` makes them, or `Link`s) as a markdown table.

    For a first screen: `st.table` makes a cold browser fetch and parse
    Streamlit's Arrow reader (~1 MB of script), which put 0.3–0.4 s on the
    Overview's time to ready (issue 8's benchmark, 8 loads each way); a
    markdown table needs nothing the page has not loaded already. Every
    header and cell goes through `md`; the columns named in `right` (amounts)
    are right-aligned. A date or an id never breaks at its hyphens, a name never beside its
    middle dot (word joiners: `_cell`).
    """
    header = "| " + " | ".join(md(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in right else "---" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    st.markdown("\n".join([header, rule, *rows]))


MEETING_TABLE_ROWS = 20  # on a projector a table is read, not scrolled: the rest is counted


def table(view: View, source: pd.DataFrame | Sequence[Mapping], shape: Callable[[pd.DataFrame, bool], pd.DataFrame | dict],
          *, right: Sequence[str] = (), **dataframe_args) -> None:
    """Rows of `source` as `shape(rows, text)` makes them (a frame, or header -> values): in normal
    mode an `st.dataframe` to sort and scroll; in meeting mode the first `MEETING_TABLE_ROWS` as a
    text table and the rest counted, because a canvas is out of reach of meeting mode's type sizes
    and of `keep-all`, and cuts cells."""
    source = source if isinstance(source, pd.DataFrame) else pd.DataFrame(list(source))

    def shaped(rows: pd.DataFrame, text: bool) -> pd.DataFrame:
        out = shape(rows, text)
        if isinstance(out, pd.DataFrame):
            return out
        return text_frame(out) if text else pd.DataFrame(out)

    if not view.meeting:
        st.dataframe(shaped(source, False), hide_index=True, **dataframe_args)
        return
    text_table(shaped(source.head(MEETING_TABLE_ROWS), True), right)
    if len(source) > MEETING_TABLE_ROWS:
        st.caption(view.t("more", n=len(source) - MEETING_TABLE_ROWS))


def safe_table(data, **kwargs) -> None:
    """`st.table` with every header and cell through `md`: Streamlit 1.67 renders a table's
    cells as markdown, so a name in it could otherwise format or link."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    shown = frame.map(lambda v: v if v is None or (not isinstance(v, str) and pd.isna(v)) else md(v))
    shown.columns = [md(c) if isinstance(c, str) else c for c in frame.columns]
    if all(isinstance(i, str) for i in frame.index):
        shown.index = [md(i) for i in frame.index]
    st.table(shown, **kwargs)


def text_frame(columns: dict) -> pd.DataFrame:
    """`columns` (header -> values) as text cells for `text_table`: dates as days, empty cells empty."""
    def cell(v) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return i18n.day(v) if isinstance(v, (pd.Timestamp, date)) else str(v)

    return pd.DataFrame({header: [cell(v) for v in values] for header, values in columns.items()})


def column_formats(view: View, table: pd.DataFrame | None = None) -> dict:
    """`column_config` for every numeric and date column the pages show in `st.dataframe`;
    the value column's (its header names its unit) when the projects `table` is given."""
    values = {} if table is None else {value_header(view, table): st.column_config.NumberColumn(format="localized")}
    return {
        **values,
        view.t("col.date"): st.column_config.DateColumn(format="YYYY-MM-DD"),
        view.t("col.probability"): st.column_config.NumberColumn(format="%d%%"),
        view.t("col.days_in_stage"): st.column_config.NumberColumn(format="localized"),
        view.t("col.days_since_update"): st.column_config.NumberColumn(format="localized"),
        view.t("col.next_step_date"): st.column_config.DateColumn(format="YYYY-MM-DD"),
    }


# --- counterparts met ----------------------------------------------------------------


def counterpart_rows(view: View, table: pd.DataFrame) -> pd.DataFrame:
    """Counterpart agencies met (`ksmart.analytics.counterparts`) as `text_table` cells: the country
    links to its profile, each project id to the project's detail (`pages.link`)."""
    lang = view.lang

    def country(iso3) -> Link | str:
        return Link(i18n.country(iso3, lang), pages.link("countries", country=iso3)) if isinstance(iso3, str) else ""

    def projects(row: Mapping) -> tuple:
        parts: list = []
        for pid, name, name_en in zip(row["project_ids"], row["project_names"], row["project_names_en"]):
            parts += [", "] if parts else []
            parts += [Link(pid, pages.link("pipeline", project=pid)), " ",
                      i18n.project_name({"name": name, "name_en": name_en}, lang)]
        return tuple(parts)

    rows = table.to_dict("records")
    return pd.DataFrame({
        view.t("counterparts.agency"): [r["counterpart"] for r in rows],
        view.t("col.country"): [country(r["country"]) for r in rows],
        view.t("counterparts.meetings"): [f"{r['meetings']:,}" for r in rows],
        view.t("counterparts.last_met"): [i18n.day(r["last_met"]) for r in rows],
        view.t("counterparts.projects"): [projects(r) for r in rows],
    }, columns=[view.t(k) for k in ("counterparts.agency", "col.country", "counterparts.meetings",
                                    "counterparts.last_met", "counterparts.projects")])
