"""The KPIs: which figures the steering committee sees, and how each one reads.

    OVERVIEW   the Overview's cards, as (label key, summary field)
    DECK       the deck's KPI slide: the Overview's, and won value, stalled and upcoming
    text(field, value, lang)    a figure as people say it ("119.2억 달러", "1,234")
    change(field, delta, lang)  its change with its sign ("+4억 달러", "−3", "0")
    WORSE_WHEN_MORE             figures whose rise is bad news (their deltas show red)
"""

from __future__ import annotations

from ksmart import money

PROJECTS, COUNTRIES = ("kpi.projects", "projects"), ("kpi.countries", "countries")
OPEN_VALUE, WEIGHTED_VALUE = ("kpi.open_value", "open_value_usd_m"), ("kpi.weighted_value", "weighted_value_usd_m")
WON, WON_VALUE = ("kpi.won", "won"), ("deck.kpi.won_value", "won_value_usd_m")
ADVANCED, STALLED, OVERDUE = ("kpi.advanced", "advanced"), ("kpi.stalled", "stalled"), ("kpi.overdue", "overdue")
UPCOMING = ("deck.kpi.upcoming", "upcoming")

OVERVIEW = (PROJECTS, COUNTRIES, OPEN_VALUE, WEIGHTED_VALUE, WON, ADVANCED, OVERDUE)
DECK = (PROJECTS, COUNTRIES, OPEN_VALUE, WEIGHTED_VALUE, WON, WON_VALUE, ADVANCED, STALLED, OVERDUE, UPCOMING)

# pipeline.md: more stalled or overdue projects (or stale data) is bad, fewer is good.
WORSE_WHEN_MORE = frozenset({"stalled", "stale", "overdue"})


def text(field: str, value, lang: str) -> str:
    """A figure as people say it, on a card or a slide: an amount of a `*_usd_m` field
    ("119.2억 달러", "USD 11.9 bn") or a count ("1,234")."""
    return money.amount(value, lang) if field.endswith("_usd_m") else f"{int(value):,}"


def change(field: str, delta, lang: str) -> str:
    """A figure's change with its sign ("+4억 달러", "−3"); "0" (or the amount's zero) for none."""
    if field.endswith("_usd_m"):
        return money.signed_amount(delta, lang)
    return f"{int(delta):+,}".replace("-", "−") if delta else "0"
