"""Plotly figures of the dashboard, built from metrics outputs, in one look.

Every figure goes through `style`: the Korean-capable font stack and ink of
`ksmart.present.palette`, a left-aligned title, and a subtitle that is the data's
caption (reference date, version, illustrative mark), so a PNG taken from the
chart's toolbar still says where its numbers come from. Colours are the
palette's, per stage and per subcommittee, everywhere. `config` is the
`st.plotly_chart` config: a minimal mode bar whose camera button downloads a
1600 × 900 PNG (a 16:9 slide).

No Streamlit here: the pages (and tests) call these with metrics outputs and
the UI language; every title, axis, legend entry and hover label comes from
`ksmart.i18n`. Text that users typed (project and event names) is escaped for
plotly's pseudo-HTML with `plain`, so a name like `<img src=x>` is shown, not
interpreted.
"""

from __future__ import annotations

import html
import unicodedata
from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.i18n import t
from ksmart.present import amounts
from ksmart.present import palette as pal

FONT_SIZE = 15
TITLE_SIZE = 20
CAPTION_SIZE = 13
PNG_WIDTH, PNG_HEIGHT = 1600, 900
GRID = "#E5E7EB"
CAPTION_INK = "#6B7280"
CONNECTOR = "#F3F4F6"  # the funnel's links between stages

# Mode-bar buttons that make no sense on these charts (zooming a funnel) or
# clutter a projector screen; the camera (PNG download) stays.
MODEBAR_REMOVE = (
    "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d",
    "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian", "toggleHover", "resetViews",
)

# Event types in a qualitative order; the steering committee stands out in the accent colour.
EVENT_COLORS = dict(zip(
    ref.EVENT_TYPES.keys,
    (pal.ACCENT, "#3182BD", "#31A354", "#FD8D3C", "#756BB1", "#E7BA52", "#17BECF", pal.NEUTRAL),
))


def config(filename: str) -> dict:
    """The `st.plotly_chart(config=…)` of every chart: minimal mode bar, PNG at slide size."""
    return {
        "displaylogo": False,
        "showSendToCloud": False,  # plotly.js 4 shows a "Share chart" button (an upload) unless told
        "displayModeBar": "hover",
        "modeBarButtonsToRemove": list(MODEBAR_REMOVE),
        "toImageButtonOptions": {"format": "png", "width": PNG_WIDTH, "height": PNG_HEIGHT, "scale": 1,
                                 "filename": filename},
    }


def plain(text) -> str:
    """User text made inert for plotly's pseudo-HTML labels (`<`, `>`, `&` escaped)."""
    return html.escape("" if text is None or (isinstance(text, float) and text != text) else str(text),
                       quote=False)


def short(text: str, limit: int = 28) -> str:
    """Long names cut with an ellipsis so axis labels stay on one line: between words where
    there is a space in reach (a Korean word stays whole), else at `limit`."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space >= limit // 2 else head).rstrip() + "…"


def _width(word: str) -> int:
    """How wide `word` is drawn, in Latin letters: Hangul and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)


def wrap_words(text: str, width: int = 16) -> str:
    """`text` broken into lines of at most `width` (Latin letters; Hangul counts two) with
    plotly's `<br>`, only between words: plotly draws a label on one line unless told, and
    knows no `word-break: keep-all`, so Korean would otherwise run off or be cut. A word
    wider than `width` keeps a line of its own. Escape user text (`plain`) before."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(lines[-1]) + 1 + _width(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def style(fig: go.Figure, *, title: str, caption: str, height: int = 420, legend: bool = True) -> go.Figure:
    """The shared look: fonts, colours, the title with the data caption as
    subtitle, and the legend along the bottom edge (where wrapping onto a
    second line cannot run into the title)."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top",
               "font": {"size": TITLE_SIZE, "color": pal.INK},
               "subtitle": {"text": caption, "font": {"size": CAPTION_SIZE, "color": CAPTION_INK}}},
        font={"family": pal.FONT_STACK, "size": FONT_SIZE, "color": pal.INK},
        paper_bgcolor=pal.BACKGROUND,
        plot_bgcolor=pal.BACKGROUND,
        height=height,
        margin={"l": 12, "r": 24, "t": 84, "b": 96 if legend else 40},
        showlegend=legend,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0.01,
                "yanchor": "bottom", "title": {"text": ""}, "traceorder": "normal"},
        hoverlabel={"font": {"family": pal.FONT_STACK, "size": 14}},
        separators=".,",
        bargap=0.25,
    )
    fig.update_xaxes(gridcolor=GRID, zerolinecolor=GRID, automargin=True, title_standoff=8)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, automargin=True, title_standoff=8)
    return fig


MEETING_MIN_PX = 20  # dashboard.md: no text under 20 px at 1920 wide (16 at 1366) in meeting mode


def enlarge(fig: go.Figure, factor: float = 1.3) -> go.Figure:
    """The same figure with larger type, for meeting mode (read from the back of the room): every
    text at least `MEETING_MIN_PX` (ticks, legend, bar texts too); bar texts that cannot be drawn
    that large inside their bar are left to the tooltip."""
    layout = fig.layout

    def size(current, default):
        return max(MEETING_MIN_PX, round((current or default) * factor))

    fig.update_layout(
        font_size=size(layout.font.size, FONT_SIZE),
        title_font_size=size(layout.title.font.size, TITLE_SIZE),
        title_subtitle_font_size=size(layout.title.subtitle.font.size, CAPTION_SIZE),
        legend_font_size=size(layout.legend.font.size, FONT_SIZE),
        hoverlabel_font_size=size(layout.hoverlabel.font.size, FONT_SIZE),
        uniformtext_minsize=MEETING_MIN_PX,
        height=round((layout.height or 420) * 1.15),
        margin_t=round((layout.margin.t or 84) * factor),
        margin_b=round((layout.margin.b or 40) * factor),
    )
    for axis in ("xaxis", "yaxis"):
        fig.update_layout({axis: {"tickfont": {"size": size(layout[axis].tickfont.size, FONT_SIZE)},
                                  "title": {"font": {"size": size(layout[axis].title.font.size, FONT_SIZE)}}}})
    for trace in fig.data:
        if "textfont" in trace and trace.textfont.size is not None:
            trace.textfont.size = max(MEETING_MIN_PX, trace.textfont.size)
    return fig


# --- overview ----------------------------------------------------------------


def funnel(rows: Sequence[dict], lang: str, caption: str) -> go.Figure:
    """How many projects reached each stage (summary["funnel"]), with their value."""
    stages = [r["stage"] for r in rows]
    colors = [pal.STAGE_COLORS[s] for s in stages]
    labels = [wrap_words(i18n.label(ref.STAGES, s, lang)) for s in stages]
    texts = amounts.funnel_texts(rows, lang)  # one unit for the chart, in every label
    value_lines = [html.escape(lines).replace("\n", "<br>") for lines in amounts.funnel_value_lines(rows, lang)]
    conversion = ["-" if r["conversion"] is None else f"{r['conversion'] * 100:.0f}%" for r in rows]
    reached = [r["reached"] for r in rows]
    # Text inside the wide bars, beside the narrow ones (where it would shrink to nothing).
    inside = ["inside" if n >= 0.4 * max(reached, default=0) and n else "outside" for n in reached]
    fig = go.Figure(go.Funnel(
        y=labels, x=reached, text=texts, textinfo="text", textposition=inside,
        textfont={"color": [pal.ink_on(c) if i == "inside" else pal.INK for c, i in zip(colors, inside)]},
        cliponaxis=False,
        marker={"color": colors, "line": {"width": 0}},
        connector={"fillcolor": CONNECTOR, "line": {"width": 0}},
        customdata=list(zip(value_lines, conversion)),
        hovertemplate=(f"<b>%{{y}}</b><br>{t('hover.reached', lang)}: %{{x:,}}<br>%{{customdata[0]}}<br>"
                       f"{t('hover.conversion', lang)}: %{{customdata[1]}}<extra></extra>"),
    ))
    fig.update_yaxes(title_text="")
    fig.update_xaxes(visible=False)
    return style(fig, title=t("chart.funnel", lang), caption=caption, legend=False)


def stage_subcommittee(frame: pd.DataFrame, lang: str, caption: str) -> go.Figure:
    """Active projects per stage, stacked by subcommittee (`metrics.stage_by_subcommittee`);
    stages top to bottom like the funnel beside it."""
    stage_labels = [wrap_words(i18n.label(ref.STAGES, s, lang)) for s in ref.STAGES.keys]
    fig = go.Figure()
    for key in ref.SUBCOMMITTEES.keys:
        part = frame[frame["subcommittee"] == key].set_index("stage").reindex(ref.STAGES.keys, fill_value=0)
        counts = part["projects"].astype(int).tolist()
        name = i18n.label(ref.SUBCOMMITTEES, key, lang)
        fig.add_bar(
            name=name, y=stage_labels, x=counts, orientation="h", marker_color=pal.SUBCOMMITTEE_COLORS[key],
            text=[str(c) if c else "" for c in counts], textposition="inside", insidetextanchor="middle",
            textangle=0, textfont={"color": "#FFFFFF"}, hovertemplate=f"%{{y}} · {name}: %{{x:,}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", uniformtext={"minsize": 11, "mode": "hide"})
    fig.update_xaxes(title_text=t("axis.projects", lang), rangemode="tozero", tickformat=",d")
    fig.update_yaxes(title_text="", categoryorder="array", categoryarray=stage_labels[::-1])
    return style(fig, title=t("chart.stage_subcommittee", lang), caption=caption)


# --- map page --------------------------------------------------------------------


def country_values(by_country: Sequence[dict], lang: str, caption: str, top: int = 15) -> go.Figure:
    """Open pipeline value of the largest countries (summary["by_country"]), largest on top."""
    rows = [r for r in by_country if r["open_value_usd_m"] > 0][:top]
    names = [wrap_words(i18n.country(r["country"], lang)) for r in rows][::-1]
    values = [r["open_value_usd_m"] for r in rows][::-1]
    unit = money.unit_for(values, lang)  # one unit for the axis and the bar labels, stated on the axis
    colors = [f"rgb{pal.value_rgb(v, max(values, default=0))}" for v in values]
    fig = go.Figure(go.Bar(
        x=[unit.of(v) for v in values], y=names, orientation="h",
        marker={"color": colors, "line": {"color": "#9CA3AF", "width": 0.5}},
        text=[money.number(unit.of(v), unit.decimals) for v in values], textposition="outside", cliponaxis=False,
        customdata=[[html.escape(amounts.open_value_line(r["open_value_usd_m"], lang)), r["open"], r["projects"]]
                    for r in rows][::-1],
        hovertemplate=(f"<b>%{{y}}</b><br>%{{customdata[0]}}"
                       f"<br>{t('col.open', lang)}: %{{customdata[1]}} / {t('hover.projects', lang)} "
                       f"%{{customdata[2]}}<extra></extra>"),
    ))
    fig.update_xaxes(title_text=t("axis.value", lang, measure=t("hover.open_value", lang), unit=unit.label),
                     tickformat=",", rangemode="tozero")
    height = max(320, 150 + 30 * len(rows))
    title = t("chart.country_value", lang) + f" ({t('caption.top', lang, n=top)})"
    return style(fig, title=title, caption=caption, height=height, legend=False)


# --- technologies ------------------------------------------------------------------


def technology_coverage(coverage: pd.DataFrame, lang: str, caption: str) -> go.Figure:
    """Active projects per technology, stacked by subcommittee.

    `coverage`: index = technology keys (catalogue order), columns =
    subcommittee keys, values = active projects that include the technology.
    """
    techs = list(coverage.index)[::-1]  # first catalogue entry on top
    labels = [wrap_words(i18n.label(ref.TECHNOLOGIES, k, lang), 20) for k in techs]
    fig = go.Figure()
    for key in ref.SUBCOMMITTEES.keys:
        values = coverage.reindex(techs)[key].fillna(0).astype(int).tolist() if key in coverage else [0] * len(techs)
        fig.add_bar(
            name=i18n.label(ref.SUBCOMMITTEES, key, lang), x=values, y=labels, orientation="h",
            marker_color=pal.SUBCOMMITTEE_COLORS[key],
            text=[str(v) if v else "" for v in values], textposition="inside", textangle=0,
            textfont={"color": "#FFFFFF"},
            hovertemplate=f"%{{y}} · {i18n.label(ref.SUBCOMMITTEES, key, lang)}: %{{x:,}}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("axis.projects", lang), tickformat=",d", rangemode="tozero")
    height = max(380, 160 + 32 * len(techs))
    return style(fig, title=t("chart.tech_coverage", lang), caption=caption, height=height)


def technology_matrix(matrix: pd.DataFrame, project_labels: Sequence[str], lang: str, caption: str) -> go.Figure:
    """Which project includes which catalogue technology (a grid of filled cells).

    `matrix`: one boolean row per project (in display order), columns =
    technology keys; `project_labels` the row labels (user text, escaped here).
    """
    tech_labels = [i18n.label(ref.TECHNOLOGIES, k, lang) for k in matrix.columns]
    names = [plain(short(str(n), 30)) for n in project_labels]
    z = matrix.astype(int).to_numpy()
    fig = go.Figure(go.Heatmap(
        z=z, x=tech_labels, y=names, xgap=2, ygap=2, showscale=False, zmin=0, zmax=1,
        colorscale=[[0, "#F3F4F6"], [1, pal.STAGE_COLORS["proposal"]]],
        hovertemplate=f"%{{y}}<br>%{{x}}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", title_text="", tickfont={"size": 13})
    fig.update_xaxes(side="top", tickangle=-35, title_text="")
    height = max(360, 190 + 24 * len(names))
    return style(fig, title=t("chart.tech_matrix", lang), caption=caption, height=height, legend=False)


# --- activities ------------------------------------------------------------------------


def events_timeline(events: pd.DataFrame, lang: str, caption: str) -> go.Figure:
    """Every event on a time axis, one row per event type, steering committees marked.

    `events`: the events frame (date, name, type, country…).
    """
    present = [k for k in ref.EVENT_TYPES.keys if (events["type"] == k).any()]
    fig = go.Figure()
    for key in present:
        rows = events[events["type"] == key]
        label = wrap_words(i18n.label(ref.EVENT_TYPES, key, lang))
        countries = [i18n.country(c, lang) for c in rows["country"]]
        fig.add_scatter(
            x=rows["date"], y=[label] * len(rows), mode="markers", name=label,
            marker={"size": 16 if key == "steering_committee" else 12, "color": EVENT_COLORS[key],
                    "symbol": "diamond" if key == "steering_committee" else "circle",
                    "line": {"color": "#FFFFFF", "width": 1}},
            customdata=[[plain(n), c] for n, c in zip(rows["name"], countries)],
            hovertemplate="<b>%{customdata[0]}</b><br>%{x|%Y-%m-%d} · %{customdata[1]}<extra></extra>",
        )
    for day in events.loc[events["type"] == "steering_committee", "date"]:
        fig.add_vline(x=day, line={"color": pal.ACCENT, "width": 1, "dash": "dot"}, opacity=0.5)
    fig.update_xaxes(title_text="", tickformat="%Y-%m")
    fig.update_yaxes(title_text="", categoryorder="array",
                     categoryarray=[wrap_words(i18n.label(ref.EVENT_TYPES, k, lang)) for k in present][::-1])
    height = max(320, 170 + 44 * len(present))
    return style(fig, title=t("chart.events_timeline", lang), caption=caption, height=height, legend=False)


# --- pipeline ----------------------------------------------------------------------------


def stage_history(history: pd.DataFrame, lang: str, caption: str) -> go.Figure:
    """A project's stage in each version where its row changed (`Store.project_history`)."""
    numbers = history["stage"].map(ref.STAGE_NUMBER).fillna(0).astype(int)
    colors = [pal.STAGE_COLORS.get(s, pal.NEUTRAL) for s in history["stage"]]
    statuses = [i18n.label(ref.STATUSES, s, lang) for s in history["status"]]
    fig = go.Figure(go.Scatter(
        x=history["reference_date"], y=numbers, mode="lines+markers", line={"shape": "hv", "color": pal.NEUTRAL},
        marker={"size": 14, "color": colors, "line": {"color": "#FFFFFF", "width": 1}},
        customdata=[[i18n.label(ref.STAGES, s, lang), st, v] for s, st, v in
                    zip(history["stage"], statuses, history["version"])],
        hovertemplate="%{x|%Y-%m-%d} · v%{customdata[2]}<br><b>%{customdata[0]}</b> (%{customdata[1]})<extra></extra>",
    ))
    fig.update_yaxes(tickvals=[s.number for s in ref.STAGES], ticktext=ref.STAGES.labels(lang),
                     range=[0.5, len(ref.STAGES) + 0.5], title_text="")
    fig.update_xaxes(title_text=t("axis.version", lang), tickformat="%Y-%m-%d")
    return style(fig, title=t("chart.stage_history", lang), caption=caption, height=380, legend=False)
