"""The map deck: no basemap, the expected layers, tooltips in the UI language, light geometry."""

from __future__ import annotations

import json

import pydeck as pdk
import pytest

from ksmart import countries, money
from ksmart import reference as ref
from ksmart.present import mapdeck
from ksmart.present import palette as pal
from tests.ui_fixtures import HANGUL

BY_COUNTRY = [  # summary["by_country"] rows; SGP has no polygon in countryinfo
    {"country": "KWT", "projects": 3, "open": 3, "open_value_usd_m": 4645.0},
    {"country": "BOL", "projects": 3, "open": 3, "open_value_usd_m": 446.0},
    {"country": "SGP", "projects": 1, "open": 1, "open_value_usd_m": 20.0},
    {"country": "COL", "projects": 1, "open": 0, "open_value_usd_m": 0.0},
]


@pytest.fixture(scope="module")
def decks() -> dict[str, dict]:
    return {lang: json.loads(mapdeck.deck(BY_COUNTRY, lang).to_json()) for lang in ("ko", "en")}


def layer(deck: dict, layer_id: str) -> dict:
    return next(l for l in deck["layers"] if l["id"] == layer_id)


def test_no_basemap_and_nothing_to_fetch(decks):
    deck = mapdeck.deck(BY_COUNTRY, "ko")
    assert deck.map_provider is None
    for spec in decks.values():
        assert "mapProvider" not in spec or spec["mapProvider"] is None
        # pydeck's default-style marker, which Streamlit reads as "no basemap";
        # map_style=None would make Streamlit load CARTO's style from the internet.
        assert spec["mapStyle"] == "__MAP_STYLE__"
        assert "http" not in json.dumps(spec)


def test_expected_layers(decks):
    spec = decks["ko"]
    types = {l["id"]: l["@@type"] for l in spec["layers"]}
    assert types == {"sea": "PolygonLayer", "world": "GeoJsonLayer", "countries": "GeoJsonLayer",
                     "points": "ScatterplotLayer", "arcs": "ArcLayer", "seoul": "ScatterplotLayer"}
    arcs = layer(spec, "arcs")
    assert arcs["greatCircle"] is True
    assert arcs["getSourcePosition"] == list(ref.SEOUL)
    assert {a["iso3"] for a in arcs["data"]} == {"KWT", "BOL", "SGP"}  # no arc without open value
    kuwait, bolivia = (next(a for a in arcs["data"] if a["iso3"] == c) for c in ("KWT", "BOL"))
    assert kuwait["width"] > bolivia["width"]
    for pickable in ("countries", "points", "arcs"):
        assert layer(spec, pickable)["pickable"] is True
    assert layer(spec, "world")["pickable"] is False
    assert layer(spec, "points")["radiusUnits"] == "pixels"  # a literal, not a data accessor


def test_countries_without_polygon_are_points(decks):
    spec = decks["en"]
    polygons = {f["properties"]["iso3"] for f in layer(spec, "countries")["data"]}
    points = {p["iso3"] for p in layer(spec, "points")["data"]}
    assert polygons == {"KWT", "BOL", "COL"} and points == {"SGP"}
    assert countries.geometry("SGP") is None


def test_fill_follows_the_palette_value_scale(decks):
    features = {f["properties"]["iso3"]: f["properties"]["fill"] for f in layer(decks["ko"], "countries")["data"]}
    assert features["KWT"][:3] == list(pal.value_rgb(4645.0, 4645.0))
    assert features["BOL"][:3] == list(pal.value_rgb(446.0, 4645.0))
    assert features["COL"][:3] == list(pal.NO_VALUE_RGB)


def test_tooltip_is_text_in_the_ui_language(decks):
    for lang, spec in decks.items():
        deck = mapdeck.deck(BY_COUNTRY, lang)
        assert set(deck._tooltip) == {"text", "style"}  # text, never HTML
        tips = [f["properties"]["tooltip"] for f in layer(spec, "countries")["data"]]
        tips += [p["tooltip"] for p in layer(spec, "points")["data"]]
        kuwait = next(t for t in tips if t.startswith(("쿠웨이트", "Kuwait")))
        kuwait_value = next(r["open_value_usd_m"] for r in BY_COUNTRY if r["country"] == "KWT")
        if lang == "ko":
            assert kuwait.startswith("쿠웨이트\n") and kuwait.endswith(f"진행 파이프라인 {money.amount(kuwait_value, 'ko')}")
            assert kuwait.endswith("46.5억 달러")
        else:
            assert kuwait.startswith("Kuwait\n") and kuwait.endswith(f"Open pipeline {money.amount(kuwait_value, 'en')}")
            assert kuwait.endswith("USD 4.6 bn")
            assert not any(HANGUL.search(t) for t in tips)


def test_geometry_is_light():
    world = json.dumps(mapdeck.world(), separators=(",", ":"))
    assert len(world) < 150_000
    deck = mapdeck.deck([{"country": c, "projects": 1, "open": 1, "open_value_usd_m": 1.0}
                         for c in countries.table().index[countries.table()["has_polygon"]][:60]], "ko")
    text = deck.to_json()
    assert len(text) < 400_000
    assert json.loads(text) == json.loads(pdk.Deck.to_json(deck))  # compact, same content


@pytest.mark.parametrize("ring, kept", [
    ([[0, 0], [1, 0.001], [2, 0], [2, 2], [0, 2], [0, 0]], 5),  # the near-collinear point goes
    ([[0, 0], [0.01, 0], [0.01, 0.01], [0, 0]], 0),  # a sliver collapses
])
def test_simplify_ring(ring, kept):
    out = mapdeck.simplify_ring(ring, 0.05)
    assert len(out) == kept
    if out:
        assert out[0] == out[-1]


def test_simplify_rounds_and_keeps_multipolygons():
    shape = mapdeck.simplify(countries.geometry("KWT"), 0.05, 2)
    assert shape["type"] == "MultiPolygon"
    coords = [c for poly in shape["coordinates"] for ring in poly for point in ring for c in point]
    assert all(round(c, 2) == c for c in coords)
    assert mapdeck.simplify(None, 0.05, 2) is None


@pytest.mark.parametrize("event, expected", [
    ({"selection": {"objects": {"countries": [{"type": "Feature", "properties": {"iso3": "KWT"}}]}}}, "KWT"),
    ({"selection": {"objects": {"points": [{"iso3": "SGP"}]}}}, "SGP"),
    ({"selection": {"objects": {"arcs": [{"iso3": "BOL", "to": [0, 0]}]}}}, "BOL"),
    ({"selection": {"objects": {"seoul": [{"name": "서울"}]}}}, None),
    ({"selection": {"indices": {}, "objects": {}}}, None),
    (None, None),
    ({}, None),
])
def test_selected_country(event, expected):
    assert mapdeck.selected_country(event) == expected
