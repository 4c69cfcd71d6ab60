"""The pipeline world map: a pydeck Deck that needs nothing from the internet.

`map_provider=None` removes the basemap (no tiles, no style JSON) as long as
`map_style` keeps its default: Streamlit reads pydeck's default-style marker
as "no basemap", whereas `map_style=None` makes it load CARTO's. The
geography comes from `ksmart.countries` (countryinfo's polygons, installed
with the package) and is drawn as layers:

- `sea` and `world`: a pale sea and every country's outline, simplified hard
  and rounded to 0.1°, not pickable: context, a few dozen kilobytes;
- `countries`: the countries of the pipeline, filled by open pipeline value
  (`palette.value_rgb`), pickable, with a tooltip;
- `points`: the same for countries without a polygon (Singapore, Bahrain…);
- `arcs`: great-circle arcs from Seoul, wider for larger open value;
- `seoul`: the starting point.

Tooltips use deck.gl's `text` form (set as text, never as HTML) and are
written in the UI language. Picking a country returns its ISO code through
`selected_country`, which the page turns into a visit to the country's
profile. No Streamlit here.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any, Mapping, Sequence

import pydeck as pdk
from pydeck.bindings import json_tools

from ksmart import countries as ctry
from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.present import palette as pal

COUNTRIES, POINTS, ARCS, WORLD, SEA, SEOUL = "countries", "points", "arcs", "world", "sea", "seoul"
PICKABLE = (COUNTRIES, POINTS, ARCS)


DETAIL_TOLERANCE, DETAIL_DIGITS = 0.05, 2  # pipeline countries: ~5 km, 0.01°
WORLD_TOLERANCE, WORLD_DIGITS = 0.3, 1  # background: shape only

# pydeck turns every other string argument into a data accessor; quotes keep a literal.
PIXELS = "'pixels'"

TOOLTIP_STYLE = {"fontFamily": pal.FONT_STACK, "fontSize": "15px", "backgroundColor": pal.INK,
                 "color": "#FFFFFF", "whiteSpace": "pre-line", "padding": "8px 10px", "borderRadius": "4px"}


# --- geometry ------------------------------------------------------------------


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify_ring(ring: Sequence[Sequence[float]], tolerance: float) -> list[list[float]]:
    """Douglas–Peucker on one closed ring (iterative); the ring stays closed
    and keeps at least four points, or [] when it collapses to a sliver."""
    points = [(float(x), float(y)) for x, y in ring]
    if len(points) < 4:
        return []
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    kept = [list(p) for p, k in zip(points, keep) if k]
    return kept if len(kept) >= 4 else []


def simplify(geometry: Mapping | None, tolerance: float, digits: int) -> dict | None:
    """A (Multi)Polygon simplified and rounded; polygons whose outer ring
    collapses are dropped (None when nothing is left)."""
    if not geometry:
        return None
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for rings in polygons:
        kept = [simplify_ring(r, tolerance) for r in rings]
        if not kept or not kept[0]:
            continue
        out.append([[[round(x, digits), round(y, digits)] for x, y in r] for r in kept if r])
    if not out:
        return None
    return {"type": "MultiPolygon", "coordinates": out}


@functools.lru_cache(maxsize=1)
def _world_json() -> str:
    features = []
    for feature in ctry.features():
        shape = simplify(feature["geometry"], WORLD_TOLERANCE, WORLD_DIGITS)
        if shape:
            features.append({"type": "Feature", "properties": {}, "geometry": shape})
    return json.dumps(features, separators=(",", ":"))


def world() -> list[dict]:
    """Every country's outline, simplified for the background (a fresh copy)."""
    return json.loads(_world_json())


@functools.lru_cache(maxsize=512)
def _detail_json(iso3: str) -> str | None:
    shape = simplify(ctry.geometry(iso3), DETAIL_TOLERANCE, DETAIL_DIGITS)
    return json.dumps(shape, separators=(",", ":")) if shape else None


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact: pydeck indents it by two spaces per
    level, which makes polygon coordinates five times larger on the wire."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=json_tools.default_serialize, separators=(",", ":"))


# --- data --------------------------------------------------------------------------


def country_rows(by_country: Sequence[Mapping], lang: str) -> list[dict]:
    """One record per country of the pipeline (summary["by_country"]): name,
    numbers, fill colour, centre point, tooltip text in `lang`."""
    table = ctry.table()
    top = max((r["open_value_usd_m"] for r in by_country), default=0.0)
    rows = []
    for r in by_country:
        iso3 = r["country"]
        if iso3 not in table.index:
            continue
        place = table.loc[iso3]
        name = i18n.country(iso3, lang)
        value = float(r["open_value_usd_m"])
        rows.append({
            "iso3": iso3, "name": name, "value": value, "projects": int(r["projects"]), "open": int(r["open"]),
            "fill": [*pal.value_rgb(value, top), 225],
            "lon": float(place["lon"]), "lat": float(place["lat"]),
            "tooltip": i18n.t("map.tooltip", lang, name=name, projects=r["projects"], open=r["open"],
                              value=money.amount(value, lang)),
        })
    return rows


def _features(rows: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """(GeoJSON features of the rows with a polygon, rows drawn as points)."""
    features, points = [], []
    for row in rows:
        shape = _detail_json(row["iso3"])
        if shape is None:
            points.append(row)
        else:
            features.append({"type": "Feature", "geometry": json.loads(shape),
                             "properties": {k: row[k] for k in ("iso3", "name", "fill", "tooltip")}})
    return features, points


def view_state(rows: Sequence[dict], width_px: int = 1100, height_px: int = 560) -> pdk.ViewState:
    """A view that shows Seoul and every country of the pipeline."""
    lons = [r["lon"] for r in rows] + [ref.SEOUL[0]]
    lats = [r["lat"] for r in rows] + [ref.SEOUL[1]]
    lon_span = max(max(lons) - min(lons), 40.0) * 1.25
    lat_span = max(max(lats) - min(lats), 25.0) * 1.4
    # Web Mercator: 512 px show 360° at zoom 0.
    zoom = min(math.log2(width_px * 360 / (512 * lon_span)), math.log2(height_px * 180 / (512 * lat_span)) + 0.6)
    return pdk.ViewState(longitude=(max(lons) + min(lons)) / 2, latitude=(max(lats) + min(lats)) / 2,
                         zoom=max(0.4, min(zoom, 5.0)), min_zoom=0.3, max_zoom=7, pitch=0, bearing=0)


def deck(by_country: Sequence[Mapping], lang: str, *, height_px: int = 560) -> CompactDeck:
    """The map of the pipeline: countries by open value, arcs from Seoul, points, tooltips."""
    rows = country_rows(by_country, lang)
    features, points = _features(rows)
    top = max((r["value"] for r in rows), default=0.0)
    arcs = [{**{k: r[k] for k in ("iso3", "name", "tooltip")}, "to": [r["lon"], r["lat"]],
             "width": 1 + 4 * math.sqrt(r["value"] / top) if top else 1}
            for r in rows if r["value"] > 0]
    seoul = {"name": i18n.t("map.seoul", lang), "position": list(ref.SEOUL), "tooltip": i18n.t("map.seoul", lang)}
    layers = [
        pdk.Layer("PolygonLayer", id=SEA, data=[{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}],
                  get_polygon="polygon", get_fill_color=list(pal.SEA_RGB), stroked=False, pickable=False),
        pdk.Layer("GeoJsonLayer", id=WORLD, data=world(), filled=True, stroked=True,
                  get_fill_color=list(pal.LAND_RGB), get_line_color=list(pal.OUTLINE_RGB),
                  line_width_min_pixels=0.5, pickable=False),
        pdk.Layer("GeoJsonLayer", id=COUNTRIES, data=features, filled=True, stroked=True, pickable=True,
                  auto_highlight=True, highlight_color=[255, 200, 0, 160],
                  get_fill_color="properties.fill", get_line_color=list(pal.COUNTRY_LINE_RGB),
                  line_width_min_pixels=1),
        pdk.Layer("ScatterplotLayer", id=POINTS, data=points, get_position=["lon", "lat"],
                  get_fill_color="fill", get_line_color=list(pal.COUNTRY_LINE_RGB), stroked=True,
                  radius_units=PIXELS, get_radius=8, line_width_min_pixels=1, pickable=True, auto_highlight=True),
        pdk.Layer("ArcLayer", id=ARCS, data=arcs, great_circle=True, get_source_position=list(ref.SEOUL),
                  get_target_position="to", get_source_color=[*pal.ARC_RGB, 170],
                  get_target_color=[*pal.ARC_RGB, 110], get_width="width", width_units=PIXELS,
                  pickable=True, auto_highlight=True),
        pdk.Layer("ScatterplotLayer", id=SEOUL, data=[seoul], get_position="position",
                  get_fill_color=list(pal.SEOUL_RGB), radius_units=PIXELS, get_radius=7, pickable=True,
                  stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=2),
    ]
    # repeat: on a screen wider than the world at this zoom (a projector), the
    # world continues on both sides instead of ending in a blank strip.
    return CompactDeck(layers=layers, initial_view_state=view_state(rows, height_px=height_px),
                       views=[pdk.View(type="MapView", controller=True, repeat=True)],
                       map_provider=None,
                       tooltip={"text": "{tooltip}", "style": TOOLTIP_STYLE})


def selected_country(event: Any) -> str | None:
    """The ISO code of the country picked on the map (a `st.pydeck_chart`
    selection event or its session-state dict), or None."""
    try:
        objects = event["selection"]["objects"] or {}
    except (KeyError, TypeError):
        return None
    for layer in PICKABLE:
        for obj in objects.get(layer) or ():
            iso3 = obj.get("iso3") or (obj.get("properties") or {}).get("iso3")
            if iso3:
                return str(iso3)
    return None
