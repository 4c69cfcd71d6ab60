"""Every text the dashboard shows, in Korean and English, from one catalogue.

The texts live in `ksmart/catalogue/ko.toml` and `en.toml`, one file per
language with the same keys; TOML tables group them (`[page]` `overview` is the
key "page.overview"). `t(key, lang, **values)` is the one way code gets a
text: it picks the language and fills `{placeholders}`. Korean particles
agree with the value they follow: `{column:이/가}` gives 이 or 가
(`ksmart.korean`). A number a text shows (a limit, a number of days) is a
placeholder filled by the caller from its setting or constant, never typed
into the text.

Labels of reference data (stages, statuses, subcommittees, technologies,
agencies, event types, regions, countries) are not repeated in the
catalogue: `label` and `country` take them from `ksmart.reference` and
`ksmart.countries`, so a stage is spelled the same on the page, in the CLI and
on the slides. Counts and dates are written by `count` and `day` so
that every screen formats them alike (ISO dates); amounts by `ksmart.money`.

Why one catalogue: switching the language must change every label, title,
axis and header at once; a string typed into a page would stay behind in one
language. `tests/test_catalogue.py` checks that both languages have the same
keys and placeholders, that every key is used, that no English text carries
Hangul, and that no Hangul text hides in code outside the catalogue.
"""

from __future__ import annotations

import functools
import math
import tomllib
from datetime import date
from pathlib import Path

from ksmart import korean
from ksmart import reference as ref

LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{name}.")
        else:
            flat[f"{prefix}{name}"] = value
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of `lang` ("ko" or "en") by its dotted key, read once."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGS)}")
    with (CATALOGUE_DIR / f"{lang}.toml").open("rb") as f:
        return _flatten(tomllib.load(f))


def _lang(lang: str) -> str:
    return "ko" if lang == "ko" else "en"


def template(key: str, lang: str) -> str:
    """The raw text of `key` in `lang`, placeholders unfilled.

    An unknown key raises KeyError: a missing translation should fail a test,
    not show a key on the projector.
    """
    return catalogue(_lang(lang))[key]


def t(key: str, lang: str, **values) -> str:
    """The text of `key` in `lang` with `{placeholders}` filled (a missing value raises KeyError)."""
    text = template(key, lang)
    return fill(text, values) if values else text


def pair(key: str, **values) -> tuple[str, str]:
    """(Korean, English) of `key`, filled alike: what `KsmartError` takes."""
    return t(key, "ko", **values), t(key, "en", **values)


def fill(text: str, values: dict, *, lenient: bool = False) -> str:
    """`text` with its placeholders filled from `values`; string values honour
    particle specs (`{word:을/를}`). With `lenient`, a missing value renders empty."""
    return text.format_map((Lenient if lenient else Fields)(values))


class Fields(dict):
    """Placeholder values; strings and numbers are wrapped so that particle specs work."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if isinstance(value, str):
            return Word(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Number(value)
        return value


class Lenient(Fields):
    """Missing template fields render empty instead of failing."""

    def __missing__(self, key):
        return Word("")


class Word(str):
    """Text whose format spec may name a Korean particle: `{value:이/가}` gives 이 or 가."""

    def __format__(self, spec: str) -> str:
        if "/" in spec:
            return korean.particle(str(self), spec)
        return super().__format__(spec)


class Number:
    """A number whose format spec may name a particle (`{version:이/가}`) or be a
    number format (`{count:,}`)."""

    def __init__(self, value):
        self.value = value

    def __format__(self, spec: str) -> str:
        if "/" in spec:
            return korean.particle(str(self.value), spec)
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)


def label(lookup: ref.Lookup, key, lang: str) -> str:
    """A reference label (stage, status, subcommittee…) in `lang`; "" for empty."""
    if key is None or (isinstance(key, float) and math.isnan(key)):
        return ""
    return lookup.label(str(key), lang)


def country(iso3, lang: str) -> str:
    """A country's display name in `lang` (the ISO code when unknown, "" for empty)."""
    if iso3 is None or (isinstance(iso3, float) and math.isnan(iso3)) or str(iso3) in ("", "nan"):
        return ""
    from ksmart import countries

    return countries.name(str(iso3), lang)


def region(key, lang: str) -> str:
    from ksmart import countries

    return label(countries.REGIONS, key, lang)


def agency(key, lang: str) -> str:
    """A lead agency: the canonical agency's label, or the name as written."""
    return label(ref.AGENCIES, key, lang)


def filter_value(field: str, value, lang: str) -> str:
    """How a value of sidebar filter `field` (a `metrics.Filters` field) reads:
    ("stages", "negotiation") -> 협상 / Negotiation; countries by name."""
    lookups = {"subcommittees": ref.SUBCOMMITTEES, "stages": ref.STAGES, "statuses": ref.STATUSES}
    if field in lookups:
        return label(lookups[field], value, lang)
    return {"countries": country, "regions": region, "lead_agencies": agency}[field](value, lang)


NUMBER_WORDS = range(1, 11)  # the catalogue's number.n1 … number.n10


def number_word(n: int, lang: str) -> str:
    """A small count as a word ("세" as in 세 개, "three"); digits beyond ten."""
    return t(f"number.n{n}", lang) if n in NUMBER_WORDS else f"{n:,}"


def count(n: int, lang: str) -> str:
    return t("unit.count", lang, n=f"{int(n):,}")


def day(value) -> str:
    """An ISO date ("2017-09-30"); "" for empty (None, NaT)."""
    import pandas as pd

    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).date().isoformat()


def project_name(row, lang: str) -> str:
    """A project's name in `lang`: the English name in English when given."""
    if lang == "en":
        name_en = row.get("name_en")
        if isinstance(name_en, str) and name_en.strip():
            return name_en
    return str(row.get("name") or "")


def source_caption(as_of: date, version: int, illustrative: bool, lang: str) -> str:
    """The caption every chart carries: reference date and version, and the
    illustrative mark when the data are the sample."""
    text = t("caption.source", lang, date=day(as_of), version=version)
    return f"{text} · {t('caption.illustrative', lang)}" if illustrative else text
