"""Countries: spellings -> ISO alpha-3, display names, regions, centre points, polygons."""

from __future__ import annotations

import ast
import csv
import gettext
import json
import math
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from ksmart import countries
from ksmart.countries import REGIONS, features, geometry, name, region_of, resolve, suggestions, table

ROOT = Path(__file__).resolve().parent.parent
ISO3 = sorted(c.alpha_3 for c in pycountry.countries)

SPELLINGS = [
    # workbook.md's examples
    ("쿠웨이트", "KWT"),
    ("Kuwait", "KWT"),
    ("KWT", "KWT"),
    ("KW", "KWT"),
    ("볼리비아", "BOL"),
    ("Bolivia", "BOL"),
    ("Bolivia (Plurinational State of)", "BOL"),
    ("베트남", "VNM"),
    ("Viet Nam", "VNM"),
    ("Vietnam", "VNM"),
    ("러시아", "RUS"),
    ("Russia", "RUS"),
    ("터키", "TUR"),
    ("튀르키예", "TUR"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("라오스", "LAO"),
    ("이란", "IRN"),
    ("탄자니아", "TZA"),
    # odd case, spaces, line breaks, full-width characters
    ("  kuwait ", "KWT"),
    ("kwt", "KWT"),
    ("kw", "KWT"),
    ("KUWAIT*", "KWT"),
    (" 볼리비아\n", "BOL"),
    ("bolivia （plurinational state of）", "BOL"),
    ("VIET  NAM", "VNM"),
    ("viet-nam", "VNM"),
    ("TURKIYE", "TUR"),
    ("러시아 연방", "RUS"),
    ("러시아연방", "RUS"),
    ("볼리비아 다국가 연합국", "BOL"),
    # official and UN-style names, both orders
    ("Plurinational State of Bolivia", "BOL"),
    ("Bolivia, Plurinational State of", "BOL"),
    ("Iran (Islamic Republic of)", "IRN"),
    ("Iran, Islamic Republic of", "IRN"),
    ("Tanzania, United Republic of", "TZA"),
    ("United Republic of Tanzania", "TZA"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("Micronesia (Federated States of)", "FSM"),
    ("Congo (Democratic Republic of the)", "COD"),
    ("Korea (Republic of)", "KOR"),
    ("Republic of Moldova", "MDA"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Russian Federation", "RUS"),
    ("Syrian Arab Republic", "SYR"),
    ("State of Kuwait", "KWT"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("United States of America", "USA"),
    # English short forms
    ("Laos", "LAO"),
    ("Iran", "IRN"),
    ("Tanzania", "TZA"),
    ("South Korea", "KOR"),
    ("Korea", "KOR"),
    ("UAE", "ARE"),
    ("U.A.E.", "ARE"),
    ("UK", "GBR"),
    ("USA", "USA"),
    ("US", "USA"),
    ("u.s.", "USA"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("DR Congo", "COD"),
    ("DRC", "COD"),
    ("Republic of the Congo", "COG"),
    ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d’Ivoire", "CIV"),
    ("Venezuela", "VEN"),
    ("Syria", "SYR"),
    ("Moldova", "MDA"),
    ("Micronesia", "FSM"),
    ("The Gambia", "GMB"),
    ("St. Kitts & Nevis", "KNA"),
    ("Trinidad & Tobago", "TTO"),
    ("Guinea Bissau", "GNB"),
    ("Burma", "MMR"),
    ("Swaziland", "SWZ"),
    ("Cape Verde", "CPV"),
    ("Macau", "MAC"),
    ("Taiwan", "TWN"),
    # Korean short forms officials write
    ("미국", "USA"),
    ("영국", "GBR"),
    ("한국", "KOR"),
    ("대한민국", "KOR"),
    ("북한", "PRK"),
    ("사우디", "SAU"),
    ("사우디아라비아", "SAU"),
    ("아랍에미리트", "ARE"),
    ("아랍에미레이트", "ARE"),
    ("체코", "CZE"),
    ("콩고민주공화국", "COD"),
    ("콩고 민주 공화국", "COD"),
    ("민주콩고", "COD"),
    ("콩고공화국", "COG"),
    ("필리핀", "PHL"),
    ("인도네시아", "IDN"),
    ("인니", "IDN"),
    ("미얀마", "MMR"),
    ("캄보디아", "KHM"),
    ("몽골", "MNG"),
    ("카자흐스탄", "KAZ"),
    ("우즈베키스탄", "UZB"),
    ("우즈벡", "UZB"),
    ("키르기스스탄", "KGZ"),
    ("키르기즈스탄", "KGZ"),
    ("에티오피아", "ETH"),
    ("케냐", "KEN"),
    ("가나", "GHA"),
    ("나이지리아", "NGA"),
    ("알제리", "DZA"),
    ("이집트", "EGY"),
    ("모로코", "MAR"),
    ("콜롬비아", "COL"),
    ("페루", "PER"),
    ("에콰도르", "ECU"),
    ("칠레", "CHL"),
    ("파라과이", "PRY"),
    ("코스타리카", "CRI"),
    ("파나마", "PAN"),
    ("멕시코", "MEX"),
    ("브라질", "BRA"),
    ("아르헨티나", "ARG"),
    ("인도", "IND"),
    ("스리랑카", "LKA"),
    ("방글라데시", "BGD"),
    ("네팔", "NPL"),
    ("파키스탄", "PAK"),
    ("오만", "OMN"),
    ("카타르", "QAT"),
    ("바레인", "BHR"),
    ("이라크", "IRQ"),
    ("요르단", "JOR"),
    ("투르크메니스탄", "TKM"),
    ("타지키스탄", "TJK"),
    ("아제르바이잔", "AZE"),
    ("우크라이나", "UKR"),
    ("폴란드", "POL"),
    ("헝가리", "HUN"),
    ("룩셈부르크", "LUX"),
    ("호주", "AUS"),
    ("오스트레일리아", "AUS"),
    ("뉴질랜드", "NZL"),
    ("피지", "FJI"),
    ("싱가포르", "SGP"),
    ("말레이시아", "MYS"),
    ("태국", "THA"),
    ("일본", "JPN"),
    ("중국", "CHN"),
    ("대만", "TWN"),
    ("남아공", "ZAF"),
    ("조지아", "GEO"),
    ("그루지야", "GEO"),
    ("시리아", "SYR"),
    ("베네수엘라", "VEN"),
    ("도미니카공화국", "DOM"),
    ("도미니카 연방", "DMA"),
]


@pytest.mark.parametrize(("spelling", "iso3"), SPELLINGS)
def test_resolve_accepted_spellings(spelling, iso3):
    assert resolve(spelling) == iso3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("쿠웨잇", "쿠웨이트"),
        ("Kuwiat", "쿠웨이트"),
        ("Phillipines", "필리핀"),
        ("우즈벡키스탄", "우즈베키스탄"),
        ("Columbia", "콜롬비아"),
    ],
)
def test_unknown_names_resolve_to_none_and_suggest_the_close_one(value, expected):
    assert resolve(value) is None
    assert suggestions(value)[0] == expected


def test_suggestions_in_english():
    assert resolve("Bolivya") is None
    assert suggestions("Bolivya", lang="en")[0] == "Bolivia"
    assert suggestions("쿠웨잇", lang="en") == ["Kuwait"]
    assert len(suggestions("Bolivya", n=2)) <= 2


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("콩고", {"COD", "COG"}),
        ("Congo", {"COD", "COG"}),
        ("도미니카", {"DMA", "DOM"}),
        ("Virgin Islands", {"VGB", "VIR"}),
    ],
)
def test_ambiguous_names_do_not_pick_a_country_and_suggest_all_it_could_mean(value, meant):
    assert resolve(value) is None
    assert set(suggestions(value, n=len(meant), lang="en")) == {name(i, "en") for i in meant}


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), "-", "N/A", "n/a", "NA", "미정", "?", 414, "Atlantis"])
def test_empty_placeholder_and_nonsense_do_not_resolve(value):
    # "NA" would be Namibia's alpha-2 code, but in a workbook it means "not available".
    assert resolve(value) is None


@pytest.mark.parametrize(
    ("iso3", "ko", "en"),
    [
        ("BOL", "볼리비아", "Bolivia"),
        ("RUS", "러시아", "Russia"),
        ("LAO", "라오스", "Laos"),
        ("IRN", "이란", "Iran"),
        ("TZA", "탄자니아", "Tanzania"),
        ("GBR", "영국", "United Kingdom"),
        ("USA", "미국", "United States"),
        ("VNM", "베트남", "Vietnam"),
        ("TUR", "튀르키예", "Türkiye"),
        ("KWT", "쿠웨이트", "Kuwait"),
        ("KOR", "한국", "South Korea"),
        ("TWN", "대만", "Taiwan"),
        ("COD", "콩고민주공화국", "DR Congo"),
        ("COG", "콩고공화국", "Republic of the Congo"),
        ("AUS", "호주", "Australia"),
        ("MNG", "몽골", "Mongolia"),
        ("SYR", "시리아", "Syria"),
    ],
)
def test_display_names(iso3, ko, en):
    assert name(iso3) == ko
    assert name(iso3, "ko") == ko
    assert name(iso3, "en") == en
    assert name(iso3.lower(), "en") == en


def test_unknown_code_is_shown_as_given():
    assert name("XXX") == "XXX"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_display_name_resolves_back_to_its_code(lang):
    # What the app shows (and exports) must be readable again on import.
    assert [i for i in ISO3 if resolve(name(i, lang)) != i] == []


def test_every_code_and_catalogue_name_resolves():
    ko = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"]).gettext
    # COG's ISO names are also what people call COD; Namibia's "NA" means "not available".
    exceptions = {"Congo", "콩고", "NA"}
    failures = []
    for c in pycountry.countries:
        names = [n for n in (getattr(c, a, None) for a in ("name", "official_name", "common_name")) if n]
        spellings = [c.alpha_3, c.alpha_2, c.alpha_3.lower(), *names, *(ko(n) for n in names)]
        failures += [(c.alpha_3, s) for s in spellings if s not in exceptions and resolve(s) != c.alpha_3]
    assert failures == []


def _alias_rows():
    with (ROOT / "data" / "country_aliases.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_alias_table_rows_resolve_or_are_declared_ambiguous():
    rows = _alias_rows()
    assert rows and set(rows[0]) == {"iso3", "alias", "ko_short"}
    claims = defaultdict(set)
    for row in rows:
        claims[row["alias"]].add(row["iso3"])
    for alias, isos in claims.items():
        assert resolve(alias) == (next(iter(isos)) if len(isos) == 1 else None), alias


def test_alias_table_marks_at_most_one_korean_display_name_per_country():
    rows = _alias_rows()
    assert {r["ko_short"] for r in rows} <= {"", "Y"}
    marked = [r["iso3"] for r in rows if r["ko_short"] == "Y"]
    assert len(marked) == len(set(marked))
    assert all(r["iso3"] in ISO3 for r in rows)
    for row in rows:
        if row["ko_short"] == "Y":
            assert name(row["iso3"]) == row["alias"]


def test_table_has_one_row_per_iso_country():
    frame = table()
    assert list(frame.index) == ISO3
    assert frame.index.name == "iso3"
    assert list(frame.columns) == ["iso2", "name_ko", "name_en", "region", "lat", "lon", "has_polygon"]
    assert frame["has_polygon"].dtype == bool
    assert frame.loc["KWT", "iso2"] == "KW"
    assert frame.loc["BOL", "name_ko"] == "볼리비아"


def test_every_country_has_a_region_and_a_valid_centre_point():
    frame = table()
    assert set(frame["region"]) <= set(REGIONS.keys)
    assert frame["lat"].between(-90, 90).all()
    assert frame["lon"].between(-180, 180).all()
    assert frame[["lat", "lon"]].notna().all().all()
    assert all(region_of(i) in REGIONS.keys for i in ISO3)


def test_table_is_a_copy():
    frame = table()
    frame.loc["KWT", "name_ko"] = "changed"
    assert table().loc["KWT", "name_ko"] == "쿠웨이트"


@pytest.mark.parametrize(
    ("iso3", "region"),
    [
        ("KOR", "east_asia"), ("MNG", "east_asia"), ("TWN", "east_asia"),
        ("VNM", "southeast_asia"), ("IDN", "southeast_asia"), ("LAO", "southeast_asia"),
        ("IND", "south_asia"), ("BGD", "south_asia"),
        ("KAZ", "eurasia"), ("UZB", "eurasia"), ("RUS", "eurasia"), ("AZE", "eurasia"),
        ("KWT", "middle_east"), ("SAU", "middle_east"), ("IRN", "middle_east"), ("EGY", "middle_east"),
        ("MAR", "middle_east"),
        ("KEN", "africa"), ("TZA", "africa"), ("SDN", "africa"),
        ("TUR", "europe"), ("POL", "europe"), ("UKR", "europe"), ("HUN", "europe"),
        ("USA", "north_america"), ("CAN", "north_america"),
        ("BOL", "latin_america"), ("MEX", "latin_america"), ("CRI", "latin_america"),
        ("AUS", "oceania"), ("FJI", "oceania"),
    ],
)
def test_region_of(iso3, region):
    assert region_of(iso3) == region


def test_region_of_unknown_code_raises():
    with pytest.raises(KeyError):
        region_of("XXX")


@pytest.mark.parametrize(
    ("label", "key"),
    [("동남아시아", "southeast_asia"), ("동남아", "southeast_asia"), ("중동", "middle_east"),
     ("Latin America", "latin_america"), ("중남미", "latin_america"), ("CIS", "eurasia")],
)
def test_regions_resolve_the_usual_labels(label, key):
    assert REGIONS.resolve(label) == key


def _rings(geom: dict) -> list:
    if geom["type"] == "Polygon":
        return geom["coordinates"]
    return [ring for polygon in geom["coordinates"] for ring in polygon]


@pytest.mark.parametrize("iso3", ["KWT", "BOL", "VNM", "MNG"])
def test_polygon_present_and_around_the_centre_point(iso3):
    geom = geometry(iso3)
    assert geom["type"] in ("Polygon", "MultiPolygon")
    points = [p for ring in _rings(geom) for p in ring]
    lon, lat = zip(*points)  # GeoJSON order is [lon, lat]
    row = table().loc[iso3]
    assert min(lon) <= row["lon"] <= max(lon) and min(lat) <= row["lat"] <= max(lat)
    assert row["has_polygon"]


@pytest.mark.parametrize("iso3", ["SGP", "BHR"])
def test_no_polygon_but_a_centre_point(iso3):
    assert geometry(iso3) is None
    row = table().loc[iso3]
    assert not row["has_polygon"]
    assert math.isfinite(row["lat"]) and math.isfinite(row["lon"])


def test_geometry_of_unknown_code_is_none():
    assert geometry("XXX") is None


def test_geometry_is_a_fresh_copy():
    geometry("KWT")["coordinates"].clear()
    assert geometry("KWT")["coordinates"]


def test_features_are_valid_geojson_with_iso3():
    feats = features()
    assert feats == json.loads(json.dumps(feats))
    collection = {"type": "FeatureCollection", "features": feats}
    assert json.loads(json.dumps(collection))["type"] == "FeatureCollection"
    frame = table()
    assert sorted(f["properties"]["iso3"] for f in feats) == sorted(frame.index[frame["has_polygon"]])
    assert len(feats) > 150
    for feature in feats:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        for ring in _rings(feature["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1], feature["properties"]["iso3"]
            assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)


def test_features_are_a_fresh_copy():
    features()[0]["properties"]["iso3"] = "changed"
    assert features()[0]["properties"]["iso3"] != "changed"


def test_loading_makes_no_network_connection():
    # A fresh interpreter, so nothing is cached and import-time work counts too.
    script = textwrap.dedent(
        """
        import socket

        def refuse(*args, **kwargs):
            raise AssertionError("network access attempted")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from ksmart import countries
        countries.table()
        countries.features()
        countries.geometry("KWT")
        assert countries.resolve("쿠웨이트") == "KWT"
        assert countries.suggestions("쿠웨잇") == ["쿠웨이트"]
        print("loaded offline")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded offline"  # how long loading takes: benchmarks/unit_timings.py


def test_countries_imports_nothing_of_ours_but_reference():
    tree = ast.parse(Path(countries.__file__).read_text(encoding="utf-8"))
    ours = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("ksmart"))
    }
    plain = {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        if alias.name.startswith("ksmart")
    }
    assert ours <= {"reference", "ksmart.reference"} and not plain
