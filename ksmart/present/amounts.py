"""The amounts of charts and slides as people say them (pipeline.md, "Money as people say it").

A chart states one unit for all its numbers, chosen by its largest value
(`money.unit_for`); a tooltip reads one amount (`money.amount`). The funnel's
values are what the projects that reached each stage are worth: the first
stage's is the total portfolio, named so, so that it is not taken for the
open pipeline of the KPI cards.
"""

from __future__ import annotations

from typing import Sequence

from ksmart import money
from ksmart.i18n import t


def funnel_unit(rows: Sequence[dict], lang: str) -> money.Unit:
    """The one unit of the funnel's value labels (summary["funnel"])."""
    return money.unit_for([r["value_usd_m"] for r in rows], lang)


def funnel_texts(rows: Sequence[dict], lang: str) -> list[str]:
    """Each stage's bar label, its count and its value in the funnel's unit ("47건 · 140억 달러")."""
    unit = funnel_unit(rows, lang)
    return [t("chart.funnel_text", lang, n=f"{r['reached']:,}", value=unit.text(r["value_usd_m"])) for r in rows]


def funnel_value_lines(rows: Sequence[dict], lang: str) -> list[str]:
    """Each stage's value on hover: the first stage's names the total portfolio and says, on a
    second line, what it is."""
    lines = []
    for i, r in enumerate(rows):
        value = money.amount(r["value_usd_m"], lang)
        if i == 0:
            lines.append(f"{t('kpi.total_value', lang)}: {value}\n{t('kpi.help.total_value', lang)}")
        else:
            lines.append(f"{t('hover.reached_value', lang)}: {value}")
    return lines


def open_value_line(value, lang: str) -> str:
    """A country's open pipeline on hover ("진행 파이프라인: 44억 달러")."""
    return f"{t('hover.open_value', lang)}: {money.amount(value, lang)}"
