"""Money as people say it (pipeline.md): "약 119억 달러", not "11,924 (백만 달러)".

    amount(value_usd_m, lang)            one amount a person reads: KPI cards, sentences,
                                         tooltips, slide text ("44억 달러", "USD 4.4 bn")
    signed_amount(delta_usd_m, lang)     the same with its sign ("+4억 달러", "−USD 30 m")
    unit_for(values, lang) -> Unit       the one unit of a chart or table, chosen by its
                                         largest value; `Unit.of(v)` gives the plain number
                                         to plot or sort, `Unit.label` the header or axis text,
                                         `Unit.text(v)` a label in that unit ("140억 달러")

Values come in USD million, the unit of every stored amount. With `krw_per_usd`
given, the amount is shown in Korean won at that rate (the "KRW" switch).
A value is rounded first, then written in the unit its rounded size calls for,
so 99.99 reads "1억 달러", never "10,000만 달러". The words come from the text
catalogue (keys `money.*`); the tiers below are the spec's table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ksmart.i18n import t


class _Tier(NamedTuple):
    key: str  # the catalogue's money.<key> (amount) and money.unit.<key> (header)
    per_unit: float  # base units in one unit: USD million, or won
    decimals: int  # Python round() digits in that unit: -2 rounds 3,512만 to 3,500만
    start: float  # the smallest base value this tier writes


# Korean counts in 만 (10^4) and 억 (10^8), English in millions and billions.
_TIERS = {
    ("ko", "usd"): (_Tier("usd_fine", 0.01, 0, 0), _Tier("usd_fine", 0.01, -2, 1), _Tier("usd_coarse", 100, 1, 100)),
    ("en", "usd"): (_Tier("usd_fine", 1, 2, 0), _Tier("usd_fine", 1, 1, 1), _Tier("usd_fine", 1, 0, 10),
                    _Tier("usd_coarse", 1000, 1, 1000)),
    ("ko", "krw"): (_Tier("krw_fine", 1e4, 0, 0), _Tier("krw_mid", 1e8, 0, 1e8), _Tier("krw_coarse", 1e12, 1, 1e12)),
    ("en", "krw"): (_Tier("krw_fine", 1e6, 0, 0), _Tier("krw_mid", 1e9, 0, 1e9), _Tier("krw_coarse", 1e12, 1, 1e12)),
}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round(x: float, decimals: int) -> float:
    """Half up, as people round (3.25 -> 3.3, 250 -> 300), not Python's half to even."""
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def number(x: float, decimals: int) -> str:
    """A plain number as tables write it (`Unit.of`'s value): thousands separators,
    at most `decimals` decimals, no trailing ".0"."""
    text = f"{x:,.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tiers(lang: str, krw_per_usd: float | None) -> tuple[_Tier, ...]:
    return _TIERS[("ko" if lang == "ko" else "en", "krw" if krw_per_usd else "usd")]


def _base(value_usd_m: float, krw_per_usd: float | None) -> float:
    return value_usd_m * krw_per_usd * 1e6 if krw_per_usd else value_usd_m


def _tier_index(tiers, size: float) -> int:
    return max(i for i, tier in enumerate(tiers) if size >= tier.start or i == 0)


def amount(value, lang: str, *, krw_per_usd: float | None = None) -> str:
    """One amount in the words of `lang`; None and NaN read "미기재" / "not given"."""
    if _missing(value):
        return t("money.missing", lang)
    tiers = _tiers(lang, krw_per_usd)
    size = abs(_base(float(value), krw_per_usd))
    i = _tier_index(tiers, size)
    while True:  # round in the tier the value is in; a rounded value may reach the next tier
        tier = tiers[i]
        shown = _round(size / tier.per_unit, tier.decimals)
        if i + 1 < len(tiers) and shown * tier.per_unit >= tiers[i + 1].start:
            i += 1
            continue
        if shown == 0:
            return t(f"money.{tier.key.split('_')[0]}_zero", lang)
        return t(f"money.{tier.key}", lang, n=number(shown, tier.decimals))


def signed_amount(delta, lang: str, *, krw_per_usd: float | None = None) -> str:
    """A change with its sign ("+4억 달러", "−3,000만 달러"); none when it rounds to zero."""
    if _missing(delta):
        return t("money.missing", lang)
    text = amount(abs(float(delta)), lang, krw_per_usd=krw_per_usd)
    if text == amount(0, lang, krw_per_usd=krw_per_usd):
        return text
    return ("+" if delta > 0 else "−") + text


@dataclass(frozen=True)
class Unit:
    """One unit for all the numbers of a chart or table: `of(v)` is the plain number to
    plot, sort or add up (USD million in), `label` the text of its header or axis."""

    key: str
    lang: str
    per_unit: float
    decimals: int
    krw_per_usd: float | None = None

    @property
    def label(self) -> str:
        return t(f"money.unit.{self.key}", self.lang)

    def of(self, value):
        if _missing(value):
            return None
        return _round(_base(float(value), self.krw_per_usd) / self.per_unit, self.decimals)

    def text(self, value) -> str:
        """`value` in this unit with its words, for a label inside a chart that states one
        unit ("140억 달러", "USD 14 bn"): unlike `amount`, the unit does not follow the value."""
        if _missing(value):
            return t("money.missing", self.lang)
        return t(f"money.{self.key}", self.lang, n=number(self.of(value), self.decimals))


# Decimals a table may add so that a small value beside a large one does not read 0 ("0.04" bn).
EXTRA_DECIMALS = 2


def unit_for(values, lang: str, *, krw_per_usd: float | None = None) -> Unit:
    """The unit the largest of `values` (USD million) calls for, by the same tiers as `amount`;
    with more decimals (up to EXTRA_DECIMALS) when the smallest value above zero would read 0."""
    tiers = _tiers(lang, krw_per_usd)
    sizes = [abs(_base(float(v), krw_per_usd)) for v in values if not _missing(v)]
    tier = tiers[_tier_index(tiers, max(sizes, default=0.0))]
    smallest = min((x for x in sizes if x > 0), default=None)
    decimals = max(tier.decimals, 0)
    while smallest is not None and decimals < max(tier.decimals, 0) + EXTRA_DECIMALS \
            and _round(smallest / tier.per_unit, decimals) == 0:
        decimals += 1
    return Unit(tier.key, "ko" if lang == "ko" else "en", tier.per_unit, decimals, krw_per_usd)
