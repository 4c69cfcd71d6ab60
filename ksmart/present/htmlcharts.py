"""The Overview's first-screen charts (funnel, stage × subcommittee) as HTML and CSS.

Why not plotly here: the Overview is what the steering committee opens first,
and every chart library costs the browser a bundle to fetch and parse before
anything is drawn (plotly's smallest, 1.3 MB, about 0.4 s of the page's time to
ready; see the README's benchmarks). Horizontal bars are what CSS lays out
natively: a grid of label and track, bars as widths in per cent, so the charts
follow the column's width and the page's type size (larger in meeting mode),
and appear with the page's first paint, in the page's fonts. Hovering a bar
shows its figures (the `title` tooltip). Their plotly versions (`charts.funnel`,
`charts.stage_subcommittee`: PNG at slide size, fullscreen) open from a button
below them, loaded only then; every other chart stays on plotly; the deck draws
both as native PowerPoint charts.

No Streamlit here: `ui.bar_charts` hands `row(...)` to `st.html`. Every text is
escaped; labels come from `ksmart.i18n` in the UI language.
"""

from __future__ import annotations

import html
import math
from typing import Sequence

import pandas as pd

from ksmart import i18n
from ksmart import reference as ref
from ksmart.i18n import t
from ksmart.present import amounts
from ksmart.present import palette as pal
from ksmart.present.charts import CAPTION_INK, CONNECTOR, GRID

# A bar's text goes inside it when it fits, else beside it (funnel) or only in the tooltip (segments).
# Whether it fits is the browser's call, at the bar's real width: each bar is a CSS size container, and
# its text carries the width it needs (estimated per character: `_need`), in half em, which picks one
# of these rules.
MAX_NEED = 48  # half em
FITS = "\n".join(f"@container (max-width: {n / 2}em) {{ .ks-need{n} {{ display: none; }} "
                 f".ks-need{n} + .ks-beside {{ display: inline; }} }}" for n in range(1, MAX_NEED + 1))

CSS = f"""<style>
.ks-row {{ display: flex; flex-wrap: wrap; gap: 1.5rem 2rem; align-items: flex-start; font-family: {pal.FONT_STACK};
  color: {pal.INK}; word-break: keep-all; overflow-wrap: break-word; }}  /* Korean breaks between words */
.ks-chart {{ flex: 1 1 20rem; min-width: 0; margin: 0; }}  /* one above the other when the column is narrow */
.ks-title {{ font-size: 1.25rem; line-height: 1.3; }}
.ks-caption {{ font-size: 0.8125rem; color: {CAPTION_INK}; margin: 0.2rem 0 0.9rem; }}
.ks-bars {{ display: grid; grid-template-columns: max-content minmax(0, 1fr); column-gap: 0.6rem;
  align-items: center; font-size: 0.9375rem; }}
.ks-label {{ text-align: right; max-width: 9em; line-height: 1.2; }}
.ks-track {{ display: flex; height: 2.1rem; margin: 0.3rem 0; }}  /* rows as far apart as the funnel's */
.ks-funnel .ks-track {{ margin: 0; justify-content: center; }}
.ks-funnel .ks-link {{ height: 0.6rem; background: {CONNECTOR}; grid-column: 2; }}
.ks-bar {{ display: flex; align-items: center; justify-content: center; white-space: nowrap; position: relative;
  container-type: inline-size; }}
.ks-beside {{ display: none; position: absolute; left: 100%; padding-left: 0.3rem; color: {pal.INK}; }}
.ks-grid {{ background-image: linear-gradient(to right, {GRID} 1px, transparent 1px),
  linear-gradient(to left, {GRID} 1px, transparent 1px);
  background-size: var(--ks-step) 100%, 100% 100%; background-repeat: repeat-x, no-repeat; }}
.ks-axis {{ position: relative; height: 1.4rem; font-size: 0.875rem; }}
.ks-axis span {{ position: absolute; top: 0.2rem; transform: translateX(-50%); }}
.ks-axis-title {{ text-align: center; margin-top: 0.3rem; }}
.ks-legend {{ display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; margin-top: 0.9rem; font-size: 0.9375rem; }}
.ks-legend i {{ display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.35rem;
  vertical-align: -0.05rem; }}
{FITS}
</style>"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _need(text: str) -> int:
    """The width `text` needs inside a bar, in half em (rounded up): Hangul a full em, digits and
    Latin letters about 0.6, spaces and separators less; plus a little room at the bar's edges."""
    em = sum(1.0 if ord(c) >= 0x1100 else 0.35 if c in " ·.,:/()" else 0.6 for c in text) + 0.4
    return min(MAX_NEED, math.ceil(em * 2))


def _fitted(text: str, ink: str, beside: bool) -> str:
    """`text` inside its bar in `ink` when it fits; else beside the bar (`beside`) or not at all."""
    inside = f'<span class="ks-need{_need(text)}" style="color:{ink}">{_e(text)}</span>'
    return inside + (f'<span class="ks-beside">{_e(text)}</span>' if beside else "")


def _pct(part: float, whole: float) -> str:
    return f"{(100 * part / whole) if whole else 0:.4g}%"


def _chart(kind: str, title: str, caption: str, body: str) -> str:
    return (f'<figure class="ks-chart ks-{kind}" role="img" aria-label="{_e(title)}">'
            f'<div class="ks-title">{_e(title)}</div><div class="ks-caption">{_e(caption)}</div>{body}</figure>')


def row(charts: Sequence[str]) -> str:
    """Charts side by side in equal widths, with the CSS they need."""
    return CSS + '<div class="ks-row">' + "".join(charts) + "</div>"


def funnel(rows: Sequence[dict], lang: str, caption: str) -> str:
    """How many projects reached each stage (summary["funnel"]), with their value: bars centred
    and as wide as their count, a grey link between stages, the text inside the wide bars."""
    widest = max((r["reached"] for r in rows), default=0)
    parts = []
    texts, value_lines = amounts.funnel_texts(rows, lang), amounts.funnel_value_lines(rows, lang)
    for i, r in enumerate(rows):
        color = pal.STAGE_COLORS[r["stage"]]
        label = i18n.label(ref.STAGES, r["stage"], lang)
        text = texts[i]
        conversion = "-" if r["conversion"] is None else f"{r['conversion'] * 100:.0f}%"
        tip = "\n".join([label, f"{t('hover.reached', lang)}: {r['reached']:,}",
                         value_lines[i],
                         f"{t('hover.conversion', lang)}: {conversion}"])
        if i:  # the grey link from the bar above to this one (an empty cell in the label column)
            link = _link(rows[i - 1]["reached"], r["reached"], widest)
            parts.append(f'<span></span><div class="ks-link" style="clip-path:{link}"></div>')
        parts.append(f'<span class="ks-label">{_e(label)}</span><div class="ks-track">'
                     f'<div class="ks-bar" title="{_e(tip)}" style="width:{_pct(r["reached"], widest)};'
                     f'background:{color}">{_fitted(text, pal.ink_on(color), beside=True)}</div></div>')
    body = '<div class="ks-bars">' + "".join(parts) + "</div>"
    return _chart("funnel", t("chart.funnel", lang), caption, body)


def _link(above: int, below: int, widest: int) -> str:
    """The trapezoid from a centred bar `above` wide to one `below` wide (in shares of `widest`)."""
    a, b = (50 * n / widest if widest else 0 for n in (above, below))
    return f"polygon({50 - a:.4g}% 0, {50 + a:.4g}% 0, {50 + b:.4g}% 100%, {50 - b:.4g}% 100%)"


def count_step(top: int, ticks: int = 4) -> int:
    """A round tick step for counts (1, 2 or 5 × 10^k, at least 1) giving at most `ticks` intervals up to `top`."""
    raw = max(top, 1) / ticks
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def stage_subcommittee(frame: pd.DataFrame, lang: str, caption: str) -> str:
    """Active projects per stage, stacked by subcommittee (`metrics.stage_by_subcommittee`),
    stages top to bottom like the funnel beside it; an axis of project counts and a legend."""
    counts = (frame.pivot_table(index="stage", columns="subcommittee", values="projects", aggfunc="sum")
              .reindex(index=ref.STAGES.keys, columns=ref.SUBCOMMITTEES.keys).fillna(0).astype(int))
    longest = int(counts.sum(axis=1).max())
    step = count_step(longest)
    top = max(step, math.ceil(longest / step) * step)
    names = {k: i18n.label(ref.SUBCOMMITTEES, k, lang) for k in ref.SUBCOMMITTEES.keys}
    parts = []
    for stage, line in counts.iterrows():
        label = i18n.label(ref.STAGES, stage, lang)
        segments = []
        for key, n in line.items():
            if not n:
                continue
            color = pal.SUBCOMMITTEE_COLORS[key]
            segments.append(f'<div class="ks-bar" title="{_e(f"{label} · {names[key]}: {n:,}")}" '
                            f'style="width:{_pct(n, top)};background:{color}">'
                            f"{_fitted(f'{n:,}', pal.ink_on(color), beside=False)}</div>")
        parts.append(f'<span class="ks-label">{_e(label)}</span>'
                     f'<div class="ks-track ks-grid" style="--ks-step:{_pct(step, top)}">{"".join(segments)}</div>')
    ticks = "".join(f'<span style="left:{_pct(v, top)}">{v:,}</span>' for v in range(0, top + 1, step))
    axis = (f'<span></span><div class="ks-axis">{ticks}</div>'
            f'<span></span><div class="ks-axis-title">{_e(t("axis.projects", lang))}</div>')
    legend = "".join(f'<span><i style="background:{pal.SUBCOMMITTEE_COLORS[k]}"></i>{_e(names[k])}</span>'
                     for k in ref.SUBCOMMITTEES.keys)
    body = f'<div class="ks-bars">{"".join(parts)}{axis}</div><div class="ks-legend">{legend}</div>'
    return _chart("stages", t("chart.stage_subcommittee", lang), caption, body)
