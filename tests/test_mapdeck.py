"""The map deck: no basemap, proportional circles, labels that do not collide, a Pacific-centred
view that holds every arc, tooltips in the UI language, light geometry."""

from __future__ import annotations

import json

import pydeck as pdk
import pytest

from ksmart import countries, i18n, money
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


PRIORITY = frozenset({"BOL", "IND"})  # IND has no project here: named only where it has one


def test_expected_layers(decks):
    spec = decks["ko"]
    types = {l["id"]: l["@@type"] for l in spec["layers"]}
    assert types == {"sea": "PolygonLayer", "world": "GeoJsonLayer", "countries": "GeoJsonLayer",
                     "arcs": "PathLayer", "symbols": "ScatterplotLayer", "seoul": "ScatterplotLayer",
                     "labels": "TextLayer"}
    assert [l["id"] for l in spec["layers"]][-1] == "labels"  # labels over everything
    arcs = layer(spec, "arcs")
    assert {a["iso3"] for a in arcs["data"]} == {"KWT", "BOL", "SGP"}  # no arc without open value
    kuwait, bolivia = (next(a for a in arcs["data"] if a["iso3"] == c) for c in ("KWT", "BOL"))
    assert kuwait["width"] > bolivia["width"]
    for pickable in ("countries", "symbols", "arcs"):
        assert layer(spec, pickable)["pickable"] is True
    assert layer(spec, "world")["pickable"] is False and layer(spec, "labels")["pickable"] is False
    assert layer(spec, "symbols")["radiusUnits"] == "pixels"  # a literal, not a data accessor
    assert spec["views"][0]["repeat"] is False  # circles and labels once; the outlines go on (`world`)


def test_no_choropleth_every_country_is_a_symbol(decks):
    spec = decks["en"]
    fills = {tuple(f["properties"].get("fill", ())) for f in layer(spec, "countries")["data"]}
    assert fills == {()}  # one tint for all, no fill by value
    assert layer(spec, "countries")["getFillColor"] == list(mapdeck.TINT_RGB)
    assert {r["iso3"] for r in layer(spec, "symbols")["data"]} == {"KWT", "BOL", "SGP", "COL"}
    assert countries.geometry("SGP") is None  # no polygon, still a circle


def test_circle_area_is_proportional_to_open_value(decks):
    rows = {r["iso3"]: r for r in layer(decks["ko"], "symbols")["data"]}
    kuwait, bolivia = rows["KWT"], rows["BOL"]
    assert kuwait["radius"] == mapdeck.MAX_RADIUS_PX
    assert bolivia["radius"] == pytest.approx(mapdeck.MAX_RADIUS_PX * (446.0 / 4645.0) ** 0.5, abs=0.01)
    assert (bolivia["radius"] / kuwait["radius"]) ** 2 == pytest.approx(446.0 / 4645.0, rel=1e-3)
    assert rows["SGP"]["radius"] == mapdeck.MIN_RADIUS_PX  # 20 m would be 2.6 px: the minimum keeps it visible
    assert rows["COL"]["radius"] == mapdeck.HOLLOW_RADIUS_PX and rows["COL"]["fill"][:3] == [255, 255, 255]
    assert rows["KWT"]["fill"][:3] == list(mapdeck.SYMBOL_RGB)
    assert [r["iso3"] for r in layer(decks["ko"], "symbols")["data"]][0] == "KWT"  # largest drawn first, under


def test_meeting_mode_draws_larger_symbols_and_labels():
    spec = json.loads(mapdeck.deck(BY_COUNTRY, "ko", meeting=True).to_json())
    rows = {r["iso3"]: r for r in layer(spec, "symbols")["data"]}
    assert rows["KWT"]["radius"] == pytest.approx(mapdeck.MAX_RADIUS_PX * mapdeck.MEETING_SCALE)
    assert layer(spec, "labels")["getSize"] == mapdeck.MEETING_LABEL_PX >= 20
    assert layer(json.loads(mapdeck.deck(BY_COUNTRY, "ko").to_json()), "labels")["getSize"] >= 16


@pytest.mark.parametrize("radius, value", [(mapdeck.MIN_RADIUS_PX, 0.001), (mapdeck.MAX_RADIUS_PX, 1.0)])
def test_symbol_radius_bounds(radius, value):
    assert mapdeck.symbol_radius(value, 1.0) == pytest.approx(radius)
    assert mapdeck.symbol_radius(value, 1.0, 1.25) == pytest.approx(radius * 1.25)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_labels_name_the_top_and_the_priority_countries(lang):
    by_country = [{"country": c, "projects": 1, "open": 1, "open_value_usd_m": v}
                  for c, v in zip(["KWT", "PHL", "PER", "UZB", "SAU", "THA", "VNM", "IDN", "KEN", "BOL"],
                                  [4645, 1025, 862, 825, 650, 610, 550, 500, 395, 120])]
    spec = json.loads(mapdeck.deck(by_country, lang, priority=PRIORITY).to_json())
    labels = layer(spec, "labels")
    texts = [d["text"] for d in labels["data"]]
    named = {d["iso3"] for d in labels["data"]} - {""}
    assert named == {"KWT", "PHL", "PER", "UZB", "SAU", "THA", "VNM", "IDN", "BOL"}  # top 8 + Bolivia, not Kenya
    kuwait = i18n.t("map.legend.label", lang, name=i18n.country("KWT", lang), value=money.amount(4645.0, lang))
    assert kuwait in texts and i18n.t("map.seoul", lang) in texts
    if lang == "ko":
        assert "쿠웨이트 46.5억 달러" in texts and "볼리비아 1.2억 달러" in texts
    else:
        assert "Kuwait USD 4.6 bn" in texts and not any(HANGUL.search(t) for t in texts)
    # deck.gl draws only what its font atlas holds: every character of every label, in a Hangul font
    assert set("".join(texts)) <= set(labels["characterSet"])
    assert labels["fontFamily"] == pal.FONT_STACK and "NanumGothic" in labels["fontFamily"]


def test_label_boxes_do_not_intersect_and_stay_in_the_frame():
    by_country = [{"country": c, "projects": 2, "open": 2, "open_value_usd_m": v} for c, v in [
        ("KWT", 4645), ("PHL", 1025), ("PER", 862), ("UZB", 825), ("SAU", 650), ("THA", 610), ("VNM", 550),
        ("BOL", 446), ("ARE", 400), ("KEN", 395), ("MMR", 290), ("MNG", 210), ("IDN", 125), ("QAT", 120),
        ("IND", 93), ("KHM", 45), ("LAO", 0.0)]]
    for meeting in (False, True):
        for lang in ("ko", "en"):
            scale = mapdeck.MEETING_SCALE if meeting else 1.0
            rows = mapdeck.country_rows(by_country, lang, scale=scale)
            viewport = mapdeck.view(rows, meeting=meeting)
            size = mapdeck.MEETING_LABEL_PX if meeting else mapdeck.LABEL_PX
            placed = mapdeck.labels(rows, {"IND", "MNG", "IDN", "BOL"}, lang, viewport, size)
            assert len(placed) == 1 + 8 + 3  # Seoul, the top 8, three more priority countries
            for i, a in enumerate(placed):
                assert 0 <= a["box"][0] and a["box"][2] <= viewport.width, a
                assert 0 <= a["box"][1] and a["box"][3] <= viewport.height, a
                for b in placed[i + 1:]:
                    assert not mapdeck._overlap(a["box"], b["box"]), (meeting, lang, a["text"], b["text"])


def test_label_width_estimate_is_generous():
    from PIL import ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", 16)
    for text in ("쿠웨이트 46.5억 달러", "Saudi Arabia USD 650 m", "우즈베키스탄 8.3억 달러", "Kuwait USD 4.6 bn"):
        assert font.getlength(text) <= mapdeck.text_width_em(text) * 16


def test_pacific_centred_longitudes_and_view_contain_every_arc():
    far = BY_COUNTRY + [{"country": c, "projects": 1, "open": 1, "open_value_usd_m": 50.0}
                        for c in ("ARG", "BRA", "USA", "GBR", "FJI", "NZL")]
    spec = json.loads(mapdeck.deck(far, "en").to_json())
    symbols = {r["iso3"]: r for r in layer(spec, "symbols")["data"]}
    assert all(mapdeck.WEST <= r["lon"] < mapdeck.WEST + 360 for r in symbols.values())
    assert symbols["BOL"]["lon"] == pytest.approx(-65.0 + 360)  # Latin America east of the Pacific
    assert symbols["GBR"]["lon"] < 10  # Europe stays west
    state = spec["initialViewState"]
    rows = mapdeck.country_rows(far, "en")
    viewport = mapdeck.view(rows)
    assert (state["longitude"], state["zoom"]) == (viewport.longitude, viewport.zoom)
    for arc in layer(spec, "arcs")["data"]:
        path = arc["path"]
        assert path[0] == pytest.approx([ref.SEOUL[0], ref.SEOUL[1]], abs=1e-3)
        assert path[-1][0] == pytest.approx(symbols[arc["iso3"]]["lon"], abs=1e-3)  # ends on its circle
        steps = [abs(b[0] - a[0]) for a, b in zip(path, path[1:])]
        assert max(steps) < 20  # continuous: no jump across the seam
        for lon, lat in path:
            x, y = viewport.pixel(lon, lat)
            assert 0 <= x <= viewport.width and 0 <= y <= viewport.height, (arc["iso3"], lon, lat)
    for r in symbols.values():
        x, y = viewport.pixel(r["lon"], r["lat"])
        assert r["radius"] <= x <= viewport.width - r["radius"] and 0 <= y <= viewport.height


def test_tooltip_is_text_in_the_ui_language(decks):
    for lang, spec in decks.items():
        deck = mapdeck.deck(BY_COUNTRY, lang, advanced={"KWT": 2})
        assert set(deck._tooltip) == {"text", "style"}  # text, never HTML
        tips = [r["tooltip"] for r in json.loads(deck.to_json())["layers"][4]["data"]]
        kuwait = next(t for t in tips if t.startswith(("쿠웨이트", "Kuwait")))
        total = sum(r["open_value_usd_m"] for r in BY_COUNTRY)
        share = round(100 * 4645.0 / total)
        if lang == "ko":
            assert kuwait == f"쿠웨이트\n사업 3건 · 진행 3건 · 가시화 2건\n진행 파이프라인 46.5억 달러 (전체의 {share}%)"
        else:
            assert kuwait == f"Kuwait\n3 projects · 3 open · 2 advanced\nOpen pipeline USD 4.6 bn ({share}% of all)"
            assert not any(HANGUL.search(t) for t in tips)
        colombia = next(t for t in tips if t.startswith(("콜롬비아", "Colombia")))
        assert colombia.endswith(("(전체의 0%)", "(0% of all)"))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_legend_shows_reference_circles_at_map_size(lang):
    html = mapdeck.legend_html(BY_COUNTRY, lang, priority=PRIORITY)
    assert mapdeck.legend_values(4645.0) == [4000.0, 1000.0, 200.0]
    for value in (4000.0, 1000.0, 200.0):
        assert money.amount(value, lang) in html
        diameter = 2 * mapdeck.symbol_radius(value, 4645.0)
        assert f"width: {diameter:.1f}px; height: {diameter:.1f}px" in html
    assert i18n.t("map.legend.hollow", lang) in html and i18n.t("map.legend.arcs", lang) in html
    assert i18n.t("map.legend.named", lang, n=mapdeck.TOP_LABELLED) in html
    assert "<svg" not in html and "<script" not in html  # st.html keeps plain elements
    no_hollow = mapdeck.legend_html(BY_COUNTRY[:2], lang)
    assert i18n.t("map.legend.hollow", lang) not in no_hollow
    assert i18n.t("map.legend.named_top", lang, n=mapdeck.TOP_LABELLED) in no_hollow


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
    ({"selection": {"objects": {"symbols": [{"iso3": "SGP", "radius": 4.5}]}}}, "SGP"),
    ({"selection": {"objects": {"arcs": [{"iso3": "BOL", "to": [0, 0]}]}}}, "BOL"),
    ({"selection": {"objects": {"seoul": [{"name": "서울"}]}}}, None),
    ({"selection": {"indices": {}, "objects": {}}}, None),
    (None, None),
    ({}, None),
])
def test_selected_country(event, expected):
    assert mapdeck.selected_country(event) == expected
