"""Native PowerPoint charts in the dashboard's colours: editable, "Edit Data" works.

Each chart keeps its numbers in the workbook PowerPoint embeds, so staff can
restyle or correct it in PowerPoint; colours come from `ksmart.present.palette`
(per stage, per subcommittee, per value), as on the dashboard.

- `funnel`: projects reaching each stage, a horizontal stacked bar whose
  first series is a transparent spacer that centres the bars, and whose
  third (also transparent) carries the "60건 · 12,452" labels just right of
  each bar, where they stay readable however narrow the bar is;
- `stacked_bars`: stage × subcommittee and technologies × subcommittee;
- `value_bars`: open pipeline value of the largest countries.

Categories run top to bottom in reference order (the axis is reversed, as
the dashboard draws them). No chart title: the slide title says it.
"""

from __future__ import annotations

from typing import Sequence

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.util import Pt

from ksmart.present import palette as pal
from ksmart.present.deck import layout

LABEL_SIZE = 16
DATA_LABEL_SIZE = 14
LEGEND_SIZE = 15
COUNT_FORMAT = '#,##0;-#,##0;""'  # zero segments get no label
VALUE_FORMAT = '#,##0;-#,##0;""'
FUNNEL_ROOM = 1.5  # the value axis runs to this × the widest bar: room for the labels
BAR_OUTLINE = "#9CA3AF"


def _add(slide, box: layout.Box, kind, data: CategoryChartData, name: str):
    frame = slide.shapes.add_chart(kind, *box.emu(), data)
    frame.name = name
    chart = frame.chart
    chart.font.size = Pt(DATA_LABEL_SIZE)
    chart.font.color.rgb = layout.rgb(pal.INK)
    chart.has_title = False
    return chart


def _category_axis(chart) -> None:
    axis = chart.category_axis
    axis.reverse_order = True  # first category on top, as on the dashboard
    axis.tick_labels.font.size = Pt(LABEL_SIZE)
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.format.line.color.rgb = layout.rgb(layout.RULE)
    axis.has_major_gridlines = False


def _hidden_value_axis(chart, maximum: float | None = None) -> None:
    axis = chart.value_axis
    axis.visible = False
    axis.has_major_gridlines = False
    axis.minimum_scale = 0
    if maximum:
        axis.maximum_scale = maximum


def _legend_top(chart) -> None:
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(LEGEND_SIZE)


def _fill(fmt, color: str | None) -> None:
    """A solid fill, or none at all (a transparent spacer) for None."""
    if color is None:
        fmt.fill.background()
        fmt.line.fill.background()
    else:
        fmt.fill.solid()
        fmt.fill.fore_color.rgb = layout.rgb(color)


def funnel(slide, box: layout.Box, categories: Sequence[str], reached: Sequence[int], labels: Sequence[str],
           colors: Sequence[str], series_names: tuple[str, str, str]):
    """Projects reaching each stage as a centred funnel (see the module docstring).

    `labels` are the texts shown beside the bars; `series_names` name the
    spacer, the counts and the label carrier in PowerPoint's data sheet.
    """
    widest = max(reached, default=0) or 1
    spacer = [(widest - n) / 2 for n in reached]
    data = CategoryChartData(number_format="#,##0")
    data.categories = list(categories)
    data.add_series(series_names[0], spacer)
    data.add_series(series_names[1], list(reached))
    data.add_series(series_names[2], spacer)
    chart = _add(slide, box, XL_CHART_TYPE.BAR_STACKED, data, "Funnel")
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 35
    plot.overlap = 100
    _category_axis(chart)
    chart.category_axis.format.line.fill.background()
    _hidden_value_axis(chart, widest * FUNNEL_ROOM)
    left, counts, right = plot.series
    _fill(left.format, None)
    _fill(right.format, None)
    for point, color in zip(counts.points, colors):
        _fill(point.format, color)
    for point, text in zip(right.points, labels):
        label = point.data_label
        label.position = XL_LABEL_POSITION.INSIDE_BASE
        frame = label.text_frame
        frame.text = text
        run = frame.paragraphs[0].runs[0]
        run.font.size = Pt(LABEL_SIZE)
        run.font.color.rgb = layout.rgb(pal.INK)
    return chart


def stacked_bars(slide, box: layout.Box, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float], str]],
                 *, name: str, label_size: float = DATA_LABEL_SIZE):
    """Horizontal stacked bars, one series per (name, values, colour); a
    legend on top and each non-zero segment labelled with its count."""
    data = CategoryChartData(number_format="#,##0")
    data.categories = list(categories)
    for series_name, values, _ in series:
        data.add_series(series_name, [float(v) for v in values])
    chart = _add(slide, box, XL_CHART_TYPE.BAR_STACKED, data, name)
    plot = chart.plots[0]
    plot.gap_width = 45
    plot.overlap = 100
    _category_axis(chart)
    _hidden_value_axis(chart)
    _legend_top(chart)
    for chart_series, (_, _, color) in zip(plot.series, series):
        _fill(chart_series.format, color)
        labels = chart_series.data_labels
        labels.show_value = True
        labels.number_format = COUNT_FORMAT
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.size = Pt(label_size)
        labels.font.bold = True
        labels.font.color.rgb = layout.rgb(pal.ink_on(color))
    return chart


def value_bars(slide, box: layout.Box, categories: Sequence[str], values: Sequence[float], colors: Sequence[str],
               series_name: str, *, name: str, decimals: int = 0):
    """One horizontal bar per category, coloured per bar, value labels outside the bar end
    (with up to `decimals` decimals: 44.5 in 억 달러)."""
    number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    data.add_series(series_name, [float(v) for v in values])
    chart = _add(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data, name)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    _category_axis(chart)
    _hidden_value_axis(chart, max(values, default=0) * 1.18 or None)
    series = plot.series[0]
    for point, color in zip(series.points, colors):
        _fill(point.format, color)
        point.format.line.color.rgb = layout.rgb(BAR_OUTLINE)
        point.format.line.width = Pt(0.5)
    labels = series.data_labels
    labels.show_value = True
    labels.number_format = VALUE_FORMAT if not decimals else f'{number_format};-{number_format};""'
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(LABEL_SIZE)
    labels.font.color.rgb = layout.rgb(pal.INK)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    return chart
