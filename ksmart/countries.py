"""Countries: ISO codes, Korean and English names, aliases, regions, centre points, polygons.

Every country fact comes from installed packages, never from the network:

- pycountry: the ISO 3166-1 list (alpha-2/3 codes; English short, official
  and common names) and its Korean gettext catalogue;
- countryinfo: centre points, capitals, UN region/subregion and GeoJSON
  polygons, read straight from its JSON data files (its own loader also
  indexes sub-national territories such as Wales or the Gaza Strip, and
  importing the package costs more than reading the files);
- data/country_aliases.csv (iso3, alias, ko_short): the short forms Korean
  officials write where the catalogue has only a formal one (러시아 for
  "러시아 연방"), English short forms (Vietnam, UAE), and, marked `ko_short` = Y,
  the Korean display name.

Matching. Every spelling is compared through `_key`: `reference.fold`, and on
top of it accents, punctuation, "&" for "and", a leading "the" and "St." for
"Saint" do not count, so the UN style "Bolivia (Plurinational State of)" and
pycountry's "Bolivia, Plurinational State of" are one key. Spellings come in
tiers, strongest first: the alias table, ISO codes, pycountry names (English
and Korean) with the display names, countryinfo's names. A key that two
countries claim within one tier is ambiguous and never resolves, not even
through a weaker tier. The alias table uses this on purpose (콩고/Congo,
도미니카, Virgin Islands): picking one country there would be silently wrong
half the time, whereas an error lists both. Placeholders of the workbook
("N/A", "-") never resolve, so "N/A" is not Namibia's alpha-2 code "NA".

Everything is read on first use and cached for the process (about 0.1 s).
The values handed out are fresh objects (frames, dicts, lists), so a caller
that modifies one cannot corrupt the cache that Streamlit pages share.
"""

from __future__ import annotations

import csv
import difflib
import functools
import gettext
import importlib.util
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ksmart.reference import PLACEHOLDERS, Entry, Lookup, fold

if TYPE_CHECKING:
    import pandas as pd

ALIASES_CSV = Path(__file__).resolve().parent.parent / "data" / "country_aliases.csv"

# Regions as Korean ministries and KOTRA group partner countries, not the UN
# continents: the Middle East is one market from Iran to Morocco, Russia goes
# with the former Soviet states of Central Asia and the Caucasus (외교부
# 유라시아국, KOTRA's CIS), and Türkiye with Europe (외교부 유럽국). Aliases let
# the Countries sheet's 권역 column be written the usual ways.
REGIONS = Lookup(
    [
        Entry("east_asia", "동아시아", "East Asia", ("동북아", "동북아시아", "Northeast Asia")),
        Entry("southeast_asia", "동남아시아", "Southeast Asia", ("동남아", "ASEAN")),
        Entry("south_asia", "남아시아", "South Asia", ("서남아", "서남아시아")),
        Entry("eurasia", "러시아·중앙아시아", "Russia & Central Asia",
              ("중앙아시아", "중앙아", "유라시아", "CIS", "Eurasia", "Central Asia")),
        Entry("middle_east", "중동", "Middle East", ("중동·북아프리카", "MENA")),
        Entry("africa", "아프리카", "Africa", ("Sub-Saharan Africa",)),
        Entry("europe", "유럽", "Europe"),
        Entry("north_america", "북미", "North America", ("북아메리카",)),
        Entry("latin_america", "중남미", "Latin America",
              ("남미", "중미", "라틴아메리카", "Latin America and the Caribbean")),
        Entry("oceania", "오세아니아", "Oceania", ("대양주", "태평양", "Pacific")),
    ]
)

# countryinfo's UN subregion -> our region; `_REGION_OVERRIDES` wins.
_SUBREGION_REGIONS = {
    "Eastern Asia": "east_asia",
    "South-eastern Asia": "southeast_asia",
    "Southern Asia": "south_asia",
    "Central Asia": "eurasia",
    "Western Asia": "middle_east",
    "Northern Africa": "middle_east",
    "Sub-Saharan Africa": "africa",
    "Eastern Europe": "europe",
    "Northern Europe": "europe",
    "Southern Europe": "europe",
    "Western Europe": "europe",
    "Northern America": "north_america",
    "Latin America and the Caribbean": "latin_america",
    "Australia and New Zealand": "oceania",
    "Melanesia": "oceania",
    "Micronesia": "oceania",
    "Polynesia": "oceania",
}
_REGION_OVERRIDES = {
    # Former Soviet states outside the EU's orbit, with Russia.
    "RUS": "eurasia", "BLR": "eurasia", "ARM": "eurasia", "AZE": "eurasia", "GEO": "eurasia",
    # UN files Iran under Southern Asia; Korean practice puts it in the Middle East.
    "IRN": "middle_east",
    "TUR": "europe", "CYP": "europe",
    # UN Northern Africa, but not the Arab Mediterranean market.
    "SDN": "africa", "ESH": "africa",
    # countryinfo gives these no region at all.
    "ATA": "oceania", "HMD": "oceania",
}

# Centre points for the few countries where countryinfo has neither a centre
# nor a capital (lat, lon).
_CENTRE_FALLBACKS = {
    "ATA": (-75.0, 0.0),
    "BVT": (-54.42, 3.36),  # Bouvet Island
    "UMI": (19.28, 166.65),  # Wake Island, the largest of the group
}

# English display names where pycountry's name (or common name) is not the
# form people write or reads as a UN list entry ("Congo, The Democratic
# Republic of the"). Each must resolve back to its code.
_EN_SHORT = {
    "BRN": "Brunei",
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "RUS": "Russia",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
}

_YES = "Y"


# --- matching keys -------------------------------------------------------------

_THE = re.compile(r"^the\s+")
_SAINT = re.compile(r"\bst(?:\.\s*|\s+)(?=\w)")
_NON_WORD = re.compile(r"[\W_]+")


def _key(value: object) -> str:
    """`fold(value)`, and also blind to accents, punctuation, "&"/"and", a
    leading "the" and "St."/"Saint": the spellings of one country in the
    wild differ in exactly these ways ("Côte d’Ivoire", "Cote d'Ivoire")."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().strip()
    text = _SAINT.sub("saint ", _THE.sub("", text)).replace("&", " and ")
    text = unicodedata.normalize("NFKD", fold(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub("", unicodedata.normalize("NFC", text))


def _jamo(key: str) -> str:
    """The key with Hangul split into letters, so that difflib sees 쿠웨잇 as
    one letter away from 쿠웨이트 rather than two syllables away."""
    return unicodedata.normalize("NFD", key)


# --- sources ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Alias:
    iso3: str
    alias: str
    ko_short: bool


@dataclass(frozen=True)
class _Country:
    iso3: str
    iso2: str
    name_ko: str
    name_en: str
    region: str
    lat: float
    lon: float
    geometry_json: str | None  # kept as text: every caller gets its own copy
    iso_names: tuple[str, ...]  # pycountry's English and Korean names
    other_names: tuple[str, ...]  # countryinfo's name, alternative and native spellings


def _countryinfo_dir() -> Path:
    """countryinfo's data folder, found without importing the package."""
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("countryinfo is not installed (see requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _merge(records: list[dict]) -> dict:
    """One record from several files of one country (CUW, PSE and VAT have
    two): field by field, the file with a polygon and a centre first."""
    ordered = sorted(records, key=lambda r: (not r.get("geoJSON"), not r.get("latlng")))
    merged: dict = {}
    for record in ordered:
        for field_name, value in record.items():
            if value and not merged.get(field_name):
                merged[field_name] = value
    return merged


@functools.lru_cache(maxsize=1)
def _countryinfo() -> dict[str, dict]:
    """countryinfo's records by alpha-3, from its `data/` files only
    (`data_no_iso/` holds territories that are not ISO countries)."""
    by_iso3: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(_countryinfo_dir().glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if iso3:
            by_iso3[iso3].append(record)
    return {iso3: _merge(records) for iso3, records in by_iso3.items()}


@functools.lru_cache(maxsize=1)
def _korean() -> Callable[[str], str]:
    """pycountry's Korean catalogue; a missing catalogue is an error, not English."""
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"]).gettext


@functools.lru_cache(maxsize=1)
def _aliases() -> tuple[_Alias, ...]:
    """The alias table, checked: a typo in it should fail loudly at load."""
    import pycountry

    known = {c.alpha_3 for c in pycountry.countries}
    rows: list[_Alias] = []
    with ALIASES_CSV.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            iso3, alias, mark = (row.get(c, "") or "" for c in ("iso3", "alias", "ko_short"))
            if iso3 not in known or not alias.strip() or mark.strip() not in ("", _YES):
                raise ValueError(f"{ALIASES_CSV.name} line {line}: bad row {row!r} "
                                 f"(iso3 must be an ISO alpha-3 code, alias non-empty, ko_short Y or empty)")
            rows.append(_Alias(iso3, alias.strip(), mark.strip() == _YES))
    return tuple(rows)


def _ko_short_names() -> dict[str, str]:
    """iso3 -> the Korean display name marked in the alias table."""
    names: dict[str, str] = {}
    for a in _aliases():
        if a.ko_short:
            if a.iso3 in names:
                raise ValueError(f"{ALIASES_CSV.name}: two ko_short names for {a.iso3}")
            names[a.iso3] = a.alias
    return names


# --- building one country ----------------------------------------------------------


def _point(value) -> tuple[float, float] | None:
    """(lat, lon) from countryinfo's [lat, lng], or None when absent or invalid.
    BES lists one capital per island: the first is taken."""
    if value and isinstance(value[0], (list, tuple)):
        value = value[0]
    if not value or len(value) != 2:
        return None
    lat, lon = float(value[0]), float(value[1])
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _centre(iso3: str, info: dict, geometry: dict | None) -> tuple[float, float]:
    """The country's centre point; its capital when countryinfo has no centre,
    or when the centre lies outside the country's own polygon while the
    capital lies inside (countryinfo puts Kuwait's centre in Iraq)."""
    candidates = (info.get("latlng"), info.get("capital_latlng"), _CENTRE_FALLBACKS.get(iso3))
    points = [p for p in map(_point, candidates) if p]
    if not points:
        raise ValueError(f"no centre point for {iso3}: add it to _CENTRE_FALLBACKS")
    capital = _point(info.get("capital_latlng"))
    if geometry and capital and not _inside(points[0], geometry) and _inside(capital, geometry):
        return capital
    return points[0]


def _inside(point: tuple[float, float], geometry: dict) -> bool:
    """Whether (lat, lon) lies in a GeoJSON (Multi)Polygon (even-odd rule, so
    holes count as outside)."""
    lat, lon = point
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for rings in polygons:
        crossings = 0
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                    crossings += 1
        if crossings % 2:
            return True
    return False


def _region(iso3: str, info: dict) -> str:
    region = _REGION_OVERRIDES.get(iso3) or _SUBREGION_REGIONS.get(info.get("subregion") or "")
    if region is None:
        raise ValueError(f"no region for {iso3} (subregion {info.get('subregion')!r}): add it to _REGION_OVERRIDES")
    return region


def _geometry(info: dict) -> dict | None:
    """The (Multi)Polygon geometry from countryinfo's one-feature
    FeatureCollection; None when the package has no polygon."""
    collection = info.get("geoJSON") or {}
    geometries = [f.get("geometry") or {} for f in collection.get("features", ())]
    shapes = [g for g in geometries if g.get("type") in ("Polygon", "MultiPolygon") and g.get("coordinates")]
    if not shapes:
        return None
    return {"type": shapes[0]["type"], "coordinates": shapes[0]["coordinates"]}


def _iso_names(country, ko: Callable[[str], str]) -> tuple[str, ...]:
    english = [n for n in (getattr(country, a, None) for a in ("name", "official_name", "common_name")) if n]
    return tuple(dict.fromkeys([*english, *(ko(n) for n in english)]))


def _other_names(info: dict) -> tuple[str, ...]:
    names = [info.get("name"), *(info.get("altSpellings") or ()), info.get("nativeName")]
    return tuple(dict.fromkeys(n for n in names if isinstance(n, str) and n.strip()))


def _build(country, info: dict, ko: Callable[[str], str], ko_short: dict[str, str]) -> _Country:
    iso3 = country.alpha_3
    common = getattr(country, "common_name", None) or country.name
    geometry = _geometry(info)
    lat, lon = _centre(iso3, info, geometry)
    return _Country(
        iso3=iso3,
        iso2=country.alpha_2,
        name_ko=ko_short.get(iso3) or ko(common),
        name_en=_EN_SHORT.get(iso3) or common,
        region=_region(iso3, info),
        lat=lat,
        lon=lon,
        geometry_json=json.dumps(geometry) if geometry else None,
        iso_names=_iso_names(country, ko),
        other_names=_other_names(info),
    )


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, _Country]:
    """Every ISO 3166-1 country by alpha-3, in code order."""
    import pycountry

    info, ko, short = _countryinfo(), _korean(), _ko_short_names()
    built = (_build(c, info.get(c.alpha_3, {}), ko, short) for c in pycountry.countries)
    return {c.iso3: c for c in sorted(built, key=lambda c: c.iso3)}


# --- the spelling index --------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    exact: dict[str, str]  # key -> iso3
    ambiguous: dict[str, tuple[str, ...]]  # key -> the countries it could mean
    similar: dict[str, str]  # jamo key of a name -> iso3, for suggestions


def _tiers(countries: dict[str, _Country]) -> list[list[tuple[str, str]]]:
    """(spelling, iso3) pairs, strongest source first (see the module docstring)."""
    return [
        [(a.alias, a.iso3) for a in _aliases()],
        [(code, c.iso3) for c in countries.values() for code in (c.iso3, c.iso2)],
        [(n, c.iso3) for c in countries.values() for n in (c.name_ko, c.name_en, *c.iso_names)],
        [(n, c.iso3) for c in countries.values() for n in c.other_names],
    ]


def _claim(tier: Iterable[tuple[str, str]], exact: dict, ambiguous: dict, blocked: set[str]) -> None:
    """Add a tier's keys not yet decided: one country -> exact, several -> ambiguous."""
    claims: dict[str, set[str]] = defaultdict(set)
    for spelling, iso3 in tier:
        key = _key(spelling)
        if key and key not in exact and key not in ambiguous and key not in blocked:
            claims[key].add(iso3)
    for key, isos in claims.items():
        if len(isos) == 1:
            exact[key] = next(iter(isos))
        else:
            ambiguous[key] = tuple(sorted(isos))


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    countries = _countries()
    placeholders = {_key(p) for p in PLACEHOLDERS}
    exact: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    tiers = _tiers(countries)
    for tier in tiers:
        _claim(tier, exact, ambiguous, placeholders)
    codes = {_key(code) for code, _ in tiers[1]}
    similar = {_jamo(k): iso3 for k, iso3 in exact.items() if k not in codes and len(k) > 1}
    return _Index(exact, ambiguous, similar)


# --- public API -------------------------------------------------------------------------


def resolve(value: object) -> str | None:
    """ISO alpha-3 for any accepted spelling of a country, else None.

    None also for empty cells, placeholders and ambiguous names (콩고, Congo):
    the caller reports those with `suggestions`.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _resolve_key(_key(value))


@functools.lru_cache(maxsize=4096)
def _resolve_key(key: str) -> str | None:
    return _index().exact.get(key)


def suggestions(value: object, n: int = 3, lang: str = "ko") -> list[str]:
    """Display names of the countries closest to `value`, best first, for the
    unknown_country message; for an ambiguous name, the countries it could mean."""
    return [name(iso3, lang) for iso3 in _suggest_key(_key(value), n)]


@functools.lru_cache(maxsize=1024)
def _suggest_key(key: str, n: int) -> tuple[str, ...]:
    index = _index()
    picked = list(index.ambiguous.get(key, ()))
    if key in index.exact:
        picked.insert(0, index.exact[key])
    # Several names per country: ask difflib for more than n, then dedupe.
    for match in difflib.get_close_matches(_jamo(key), index.similar, n=8 * n, cutoff=0.6):
        picked.append(index.similar[match])
    return tuple(dict.fromkeys(picked))[:n]


def _country(iso3: str) -> _Country | None:
    return _countries().get(str(iso3).strip().upper())


def name(iso3: str, lang: str = "ko") -> str:
    """The usual short name to show (볼리비아 / Bolivia); an unknown code is
    shown as given, like `Lookup.label`, so a page never fails on display."""
    country = _country(iso3)
    if country is None:
        return str(iso3)
    return country.name_ko if lang == "ko" else country.name_en


def region_of(iso3: str) -> str:
    """The REGIONS key of a country. Raises KeyError for an unknown code:
    there is no honest default region."""
    country = _country(iso3)
    if country is None:
        raise KeyError(f"unknown ISO alpha-3 country code: {iso3!r}")
    return country.region


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    import pandas as pd

    rows = [
        {"iso3": c.iso3, "iso2": c.iso2, "name_ko": c.name_ko, "name_en": c.name_en, "region": c.region,
         "lat": c.lat, "lon": c.lon, "has_polygon": c.geometry_json is not None}
        for c in _countries().values()
    ]
    frame = pd.DataFrame(rows).set_index("iso3")
    return frame.astype({"lat": "float64", "lon": "float64", "has_polygon": "bool"})


def table() -> pd.DataFrame:
    """One row per ISO country, index iso3: iso2, name_ko, name_en, region,
    lat, lon (centre point, else capital) and has_polygon. A copy: callers
    may add columns."""
    return _table().copy()


def geometry(iso3: str) -> dict | None:
    """The country's GeoJSON geometry (Polygon or MultiPolygon), or None where
    countryinfo has none (SGP, BHR, …: draw those as a point at the centre)."""
    country = _country(iso3)
    if country is None or country.geometry_json is None:
        return None
    return json.loads(country.geometry_json)


@functools.lru_cache(maxsize=1)
def _features_json() -> str:
    return "[" + ",".join(
        f'{{"type":"Feature","properties":{{"iso3":"{c.iso3}"}},"geometry":{c.geometry_json}}}'
        for c in _countries().values()
        if c.geometry_json is not None
    ) + "]"


def features() -> list[dict]:
    """GeoJSON Features of every country with a polygon, properties {"iso3"}:
    the map's choropleth and the deck's map picture join on iso3."""
    return json.loads(_features_json())
