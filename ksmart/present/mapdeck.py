"""The pipeline world map: a pydeck Deck that needs nothing from the internet.

`map_provider=None` removes the basemap (no tiles, no style JSON) as long as
`map_style` keeps its default: Streamlit reads pydeck's default-style marker
as "no basemap", whereas `map_style=None` makes it load CARTO's. The
geography comes from `ksmart.countries` (countryinfo's polygons, installed
with the package). What the map says is where the open pipeline is and how
large it is, so value is a proportional symbol, never a fill (a fill makes
Russia look larger than Kuwait):

- `sea` and `world`: a pale sea and every country's light outline, not pickable;
- `countries`: the countries of the pipeline, a faint tint, pickable (hover
  anywhere on Bolivia answers for Bolivia);
- `arcs`: great-circle paths from Seoul, wider for larger open value;
- `symbols`: a circle per country on its centre point, area ∝ open pipeline
  value, never smaller than MIN_RADIUS_PX (Singapore shows); a country with
  projects but no open value gets a small hollow ring;
- `seoul`: the starting point; `labels`: name and spoken amount of the largest
  countries and of every priority country, placed where they cover no other label.

Pacific-centred: deck.gl does not wrap a plain viewport across the
antimeridian, so every longitude of the geography, the arcs and the symbols is
moved into one continuous range [WEST, WEST + 360) (the seam runs down the
mid-Atlantic), and the view is the bounding box of Seoul, the countries and
their arcs. The deck's picture (`present.deck.mapimage`) uses the same rules
(`shift_lon`, `arc_path`, `symbol_radius`, `labelled`, `legend_values`).

Tooltips use deck.gl's `text` form (set as text, never as HTML) and are
written in the UI language. Picking a country returns its ISO code through
`selected_country`, which the page turns into a visit to the country's
profile. No Streamlit here.
"""

from __future__ import annotations

import functools
import html
import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pydeck as pdk
from pydeck.bindings import json_tools

from ksmart import countries as ctry
from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.present import palette as pal

COUNTRIES, SYMBOLS, ARCS, LABELS, WORLD, SEA, SEOUL = "countries", "symbols", "arcs", "labels", "world", "sea", "seoul"
PICKABLE = (SYMBOLS, COUNTRIES, ARCS)

MAX_ARC_LAT = 75.0
WEST = -30.0  # the map's seam: longitudes run from here eastwards, 360°, Korea left of the middle

DETAIL_TOLERANCE, DETAIL_DIGITS = 0.05, 2  # pipeline countries: ~5 km, 0.01°
WORLD_TOLERANCE, WORLD_DIGITS = 0.3, 1  # background: shape only

# Symbols, in CSS pixels at normal size (meeting mode: MEETING_SCALE times).
MAX_RADIUS_PX = 40.0  # the largest open value
MIN_RADIUS_PX = 4.5  # any open value, however small, stays visible and clickable
HOLLOW_RADIUS_PX = 5.0  # projects, no open value
LABEL_PX, MEETING_LABEL_PX = 16, 20  # dashboard.md: meeting mode no text under 20 px at 1920
MEETING_SCALE = 1.25
TOP_LABELLED = 8  # countries named by value; every priority country is named too

# The canvas the first view is fitted to: the narrowest the page gives the map
# (1366 wide with the sidebar; meeting mode has none). Wider screens show more sea.
FIT_WIDTH_PX, MEETING_FIT_WIDTH_PX = 900, 1250
HEIGHT_PX, MEETING_HEIGHT_PX = 540, 640

SYMBOL_RGB = (33, 113, 181)
SYMBOL_LINE_RGB = (8, 69, 148)
TINT_RGB = (226, 234, 244)  # the pipeline's countries, behind their symbols
LABEL_INK = list(pal.hex_to_rgb(pal.INK))

# pydeck turns every other string argument into a data accessor; quotes keep a literal.
PIXELS = "'pixels'"

TOOLTIP_STYLE = {"fontFamily": pal.FONT_STACK, "fontSize": "15px", "backgroundColor": pal.INK,
                 "color": "#FFFFFF", "whiteSpace": "pre-line", "padding": "8px 10px", "borderRadius": "4px"}


# --- Pacific-centred geometry ----------------------------------------------------------------


def shift_lon(lon: float) -> float:
    """A longitude in [WEST, WEST + 360)."""
    return (float(lon) - WEST) % 360.0 + WEST


def shift_ring(ring: Sequence[Sequence[float]]) -> list[list[float]]:
    """A ring made continuous (no jump of 360° between points) and moved as a
    whole so that its mean longitude lies in [WEST, WEST + 360)."""
    if not len(ring):
        return []
    lons = np.degrees(np.unwrap(np.radians([float(p[0]) for p in ring])))
    lons += shift_lon(float(lons.mean())) - float(lons.mean())
    return [[float(x), float(p[1])] for x, p in zip(lons, ring)]


def great_circle(start: tuple[float, float], end: tuple[float, float], n: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """(lons, lats) of `n` points on the great circle from `start` to `end`, both (lon, lat);
    longitudes in (-180, 180]."""
    def unit(lon, lat):
        lon, lat = math.radians(lon), math.radians(lat)
        return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])

    a, b = unit(*start), unit(*end)
    omega = math.acos(float(np.clip(a @ b, -1.0, 1.0)))
    steps = np.linspace(0.0, 1.0, n)
    if omega < 1e-9:
        vectors = np.repeat(a[None, :], n, axis=0)
    else:
        vectors = (np.sin((1 - steps) * omega)[:, None] * a + np.sin(steps * omega)[:, None] * b) / math.sin(omega)
    lats = np.degrees(np.arcsin(np.clip(vectors[:, 2], -1, 1)))
    lons = np.degrees(np.arctan2(vectors[:, 1], vectors[:, 0]))
    return lons, lats


def arc_path(end: tuple[float, float], n: int = 64) -> list[list[float]]:
    """[lon, lat] points from Seoul to `end` in the shifted longitudes, ending on
    the country's symbol (`shift_lon` of its longitude). The great circle, unless
    it would cross the seam or pass nearer a pole than MAX_ARC_LAT (places
    nearly antipodal to Seoul: Brazil, Argentina), which a Mercator frame
    cannot hold: then a curve that keeps to the continuous range."""
    lons, lats = great_circle(ref.SEOUL, end, n)
    lons = np.degrees(np.unwrap(np.radians(lons)))
    lons += shift_lon(lons[0]) - lons[0]
    target = shift_lon(end[0])
    if (abs(lons[-1] - target) < 1e-6 and lons.min() >= WEST and lons.max() < WEST + 360
            and np.abs(lats).max() <= MAX_ARC_LAT):
        return [[round(float(x), 3), round(float(y), 3)] for x, y in zip(lons, lats)]
    t = np.linspace(0.0, 1.0, n)
    x0, y0 = shift_lon(ref.SEOUL[0]), ref.SEOUL[1]
    xs = x0 + (target - x0) * t
    ys = y0 + (end[1] - y0) * t + np.sin(np.pi * t) * 0.12 * abs(target - x0)  # bowed north, like a great circle
    return [[round(float(x), 3), round(float(min(y, 80.0)), 3)] for x, y in zip(xs, ys)]


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
    """A (Multi)Polygon simplified, Pacific-centred (`shift_ring`) and rounded;
    polygons whose outer ring collapses are dropped (None when nothing is left)."""
    if not geometry:
        return None
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for rings in polygons:
        kept = [simplify_ring(r, tolerance) for r in rings]
        if not kept or not kept[0]:
            continue
        out.append([[[round(x, digits), round(y, digits)] for x, y in shift_ring(r)] for r in kept if r])
    if not out:
        return None
    return {"type": "MultiPolygon", "coordinates": out}


MARGIN_LON = 100.0  # the world's outline continues this far beyond each end of the map


def _moved(shape: dict, by: float) -> dict:
    return {"type": "MultiPolygon", "coordinates": [[[[x + by, y] for x, y in ring] for ring in polygon]
                                                    for polygon in shape["coordinates"]]}


@functools.lru_cache(maxsize=1)
def _world_json() -> str:
    """The outlines, and a copy of those within MARGIN_LON of either end one
    world over: on a screen wider than the world at the first zoom (a
    projector) the map goes on as outlines, where deck.gl's `repeat` would
    repeat the circles and labels too."""
    features = []
    for feature in ctry.features():
        if feature["properties"].get("iso3") == "ATA":
            continue  # Antarctica: a band across the bottom, no pipeline
        shape = simplify(feature["geometry"], WORLD_TOLERANCE, WORLD_DIGITS)
        if not shape:
            continue
        features.append({"type": "Feature", "properties": {}, "geometry": shape})
        lons = [x for polygon in shape["coordinates"] for ring in polygon for x, _ in ring]
        if min(lons) < WEST + MARGIN_LON:
            features.append({"type": "Feature", "properties": {}, "geometry": _moved(shape, 360.0)})
        if max(lons) > WEST + 360 - MARGIN_LON:
            features.append({"type": "Feature", "properties": {}, "geometry": _moved(shape, -360.0)})
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


# --- symbols and labels: the rules the page and the deck's picture share ---------------------------


def symbol_radius(value: float, top: float, scale: float = 1.0) -> float:
    """Pixels of a country's circle: area ∝ open value (radius ∝ its square
    root), MAX_RADIUS_PX for the largest, never under MIN_RADIUS_PX; a
    country without open value gets the hollow ring's radius."""
    if value <= 0 or top <= 0:
        return HOLLOW_RADIUS_PX * scale
    return max(MAX_RADIUS_PX * math.sqrt(value / top), MIN_RADIUS_PX) * scale


def labelled(by_country: Sequence[Mapping], priority: Iterable[str] = (), top: int = TOP_LABELLED) -> list[str]:
    """The countries named on the map, largest open value first: the `top`
    largest and every priority country of the pipeline."""
    ranked = sorted(by_country, key=lambda r: (-float(r["open_value_usd_m"]), r["country"]))
    wanted = {r["country"] for r in ranked[:top] if float(r["open_value_usd_m"]) > 0} | set(priority)
    return [r["country"] for r in ranked if r["country"] in wanted]


def label_text(iso3: str, value: float, lang: str) -> str:
    """"쿠웨이트 46.5억 달러": the name and the spoken amount (the name alone without open value)."""
    name = i18n.country(iso3, lang)
    return i18n.t("map.legend.label", lang, name=name, value=money.amount(value, lang)) if value > 0 else name


def _nice_below(x: float) -> float:
    """The largest d × 10^k (d = 1…9) not above x."""
    power = 10 ** math.floor(math.log10(x))
    return math.floor(x / power + 1e-9) * power


def legend_values(top: float) -> list[float]:
    """Round reference values for the legend's circles: about the largest, a quarter and a twentieth of it."""
    if top <= 0:
        return []
    values = []
    for share in (1.0, 0.25, 0.05):
        v = _nice_below(top * share)
        if v not in values:
            values.append(v)
    return values


def text_width_em(text: str) -> float:
    """A generous estimate of a label's width in em (Hangul square, Latin narrower):
    what the placement needs, not what the browser measures."""
    width = 0.0
    for ch in text:
        if 0xAC00 <= ord(ch) <= 0xD7A3 or 0x3130 <= ord(ch) <= 0x318F:  # Hangul syllables, jamo
            width += 1.0
        elif ch == " ":
            width += 0.3
        elif ch in ".,'·":
            width += 0.32
        elif ch.isupper() or ch in "mwMW":
            width += 0.72
        else:
            width += 0.6
    return width


@dataclass(frozen=True)
class Viewport:
    """Web Mercator pixels of a deck.gl MapView: 512 px show 360° at zoom 0."""

    longitude: float
    latitude: float
    zoom: float
    width: float
    height: float

    @staticmethod
    def _world(lon: float, lat: float, size: float) -> tuple[float, float]:
        lat = max(min(lat, 85.0), -85.0)
        return ((lon + 180) / 360 * size,
                (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * size)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        size = 512 * 2 ** self.zoom
        (x, y), (cx, cy) = self._world(lon, lat, size), self._world(self.longitude, self.latitude, size)
        return self.width / 2 + x - cx, self.height / 2 + y - cy


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


PAD_X_PX, PAD_Y_PX = 60, 50  # room around the bounding box for the largest circles; labels go inwards


def fit(points: Sequence[Sequence[float]], width_px: float, height_px: float) -> Viewport:
    """The view that shows every (shifted lon, lat) point inside `width_px` × `height_px`
    with PAD_X_PX, PAD_Y_PX to spare."""
    lons = [p[0] for p in points]
    ys = [_mercator_y(p[1]) for p in points]
    lon_span = max(max(lons) - min(lons), 30.0)
    y_span = max(max(ys) - min(ys), 0.4)
    world_x = (width_px - 2 * PAD_X_PX) * 360 / lon_span  # pixels the whole world may take
    world_y = (height_px - 2 * PAD_Y_PX) * 2 * math.pi / y_span
    zoom = max(0.3, min(math.log2(min(world_x, world_y) / 512), 5.0))
    return Viewport(longitude=(max(lons) + min(lons)) / 2, latitude=_inverse_mercator_y((max(ys) + min(ys)) / 2),
                    zoom=zoom, width=width_px, height=height_px)


Box = tuple[float, float, float, float]  # left, top, right, bottom (pixels)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covers(box: Box, circle: tuple[float, float, float]) -> bool:
    x, y, r = circle
    nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


def _candidates(cx: float, cy: float, r: float, w: float, h: float) -> list[tuple[float, float, float]]:
    """(left, top, distance from the circle) of the boxes a label may take: touching its
    circle right, left, above, below or at a corner, then a line or more higher or lower."""
    gap, d = 3.0, r * 0.7071
    out = [(cx + r + gap, cy - h / 2, 0.0), (cx - r - gap - w, cy - h / 2, 0.0),
           (cx - w / 2, cy - r - gap - h, 0.0), (cx - w / 2, cy + r + gap, 0.0),
           (cx + d + gap, cy - d - gap - h, 0.0), (cx + d + gap, cy + d + gap, 0.0),
           (cx - d - gap - w, cy - d - gap - h, 0.0), (cx - d - gap - w, cy + d + gap, 0.0)]
    for step in (1, 2, 3, 4):
        for sign in (1, -1):
            dy = sign * step * h
            out += [(cx + r + gap, cy - h / 2 + dy, abs(dy) - h / 2), (cx - r - gap - w, cy - h / 2 + dy, abs(dy) - h / 2),
                    (cx - w / 2, cy - r - gap - h + min(dy, 0), abs(dy)), (cx - w / 2, cy + r + gap + max(dy, 0), abs(dy))]
    return out


def place_labels(items: Sequence[dict], frame: tuple[float, float], size_px: float,
                 circles: Sequence[tuple[float, float, float]] = (),
                 measure: Callable[[str], float] | None = None, taken: Sequence[Box] = ()) -> list[dict]:
    """Each item (text, x, y, radius: pixels) with `box` and `offset` (the box
    centre from the point); `measure` gives a text's width in pixels (default:
    `text_width_em`); `taken`: boxes no label may cover (a legend). Items come largest first; each takes, of the
    places around its circle (`_candidates`), the one that covers no label
    placed before it, stays inside the frame, covers as few other circles
    (x, y, r in pixels) as possible and is nearest its own."""
    placed: list[Box] = list(taken)
    out = []
    for item in items:
        cx, cy = item["x"], item["y"]
        width = measure(item["text"]) if measure else text_width_em(item["text"]) * size_px
        w, h = width + 8, size_px * 1.3 + 4  # the background's padding

        def score(candidate):
            left, top, distance = candidate
            box = (left, top, left + w, top + h)
            outside = box[0] < 0 or box[1] < 0 or box[2] > frame[0] or box[3] > frame[1]
            others = sum(_covers(box, c) for c in circles if (c[0], c[1]) != (cx, cy))
            return 100 * sum(_overlap(box, p) for p in placed) + 50 * outside + 2 * others + distance / 3

        left, top, _ = min(_candidates(cx, cy, item["radius"], w, h), key=score)
        best = (left, top, left + w, top + h)
        placed.append(best)
        out.append({**item, "box": best,
                    "offset": [round((best[0] + best[2]) / 2 - cx, 1), round((best[1] + best[3]) / 2 - cy, 1)]})
    return out


# --- data --------------------------------------------------------------------------------------


def country_rows(by_country: Sequence[Mapping], lang: str, *, advanced: Mapping[str, int] | None = None,
                 scale: float = 1.0) -> list[dict]:
    """One record per country of the pipeline (summary["by_country"]), largest
    open value first: name, numbers, symbol (radius, colours), centre point in
    the shifted longitudes, tooltip text in `lang`. `advanced`: advanced
    projects per country (`metrics.advanced_projects`)."""
    table = ctry.table()
    advanced = advanced or {}
    top = max((float(r["open_value_usd_m"]) for r in by_country), default=0.0)
    total = sum(float(r["open_value_usd_m"]) for r in by_country)
    rows = []
    for r in sorted(by_country, key=lambda r: (-float(r["open_value_usd_m"]), r["country"])):
        iso3 = r["country"]
        if iso3 not in table.index:
            continue
        place = table.loc[iso3]
        name = i18n.country(iso3, lang)
        value = float(r["open_value_usd_m"])
        hollow = value <= 0
        rows.append({
            "iso3": iso3, "name": name, "value": value, "projects": int(r["projects"]), "open": int(r["open"]),
            "lon": shift_lon(float(place["lon"])), "lat": float(place["lat"]),
            "radius": round(symbol_radius(value, top, scale), 2),
            "fill": [255, 255, 255, 235] if hollow else [*SYMBOL_RGB, 170],
            "line": [*SYMBOL_LINE_RGB, 255],
            "line_width": 2 if hollow else 1,
            "tooltip": i18n.t("map.legend.tooltip", lang, name=name, projects=r["projects"], open=r["open"],
                              advanced=int(advanced.get(iso3, 0)), value=money.amount(value, lang),
                              share=round(100 * value / total) if total else 0),
        })
    return rows


def _features(rows: Sequence[dict]) -> list[dict]:
    """GeoJSON features of the rows that have a polygon (the others are symbols only)."""
    features = []
    for row in rows:
        shape = _detail_json(row["iso3"])
        if shape is not None:
            features.append({"type": "Feature", "geometry": json.loads(shape),
                             "properties": {k: row[k] for k in ("iso3", "name", "tooltip")}})
    return features


def arc_rows(rows: Sequence[dict], scale: float = 1.0) -> list[dict]:
    """One path from Seoul per country with open value (`arc_path`), wider for larger value."""
    top = max((r["value"] for r in rows), default=0.0)
    table = ctry.table()
    return [{"iso3": r["iso3"], "name": r["name"], "tooltip": r["tooltip"],
             "path": arc_path((float(table.at[r["iso3"], "lon"]), r["lat"])),
             "width": round((1.0 + 3.0 * math.sqrt(r["value"] / top)) * scale, 2)}
            for r in rows if r["value"] > 0]


def view(rows: Sequence[dict], *, meeting: bool = False) -> Viewport:
    """The first view: Seoul, every country and every arc inside the frame."""
    arcs = arc_rows(rows)
    points = [[shift_lon(ref.SEOUL[0]), ref.SEOUL[1]]] + [[r["lon"], r["lat"]] for r in rows]
    points += [p for a in arcs for p in a["path"]]
    return fit(points, MEETING_FIT_WIDTH_PX if meeting else FIT_WIDTH_PX,
               MEETING_HEIGHT_PX if meeting else HEIGHT_PX)


def labels(rows: Sequence[dict], priority: Iterable[str], lang: str, viewport: Viewport, size_px: float) -> list[dict]:
    """The labels of the named countries and Seoul, placed (`place_labels`)."""
    by_iso = {r["iso3"]: r for r in rows}
    named = labelled([{"country": r["iso3"], "open_value_usd_m": r["value"]} for r in rows], priority)
    seoul = {"iso3": "", "text": i18n.t("map.seoul", lang), "lon": shift_lon(ref.SEOUL[0]), "lat": ref.SEOUL[1],
             "radius": 6.0}
    items = [seoul] + [{"iso3": c, "text": label_text(c, by_iso[c]["value"], lang), "lon": by_iso[c]["lon"],
                        "lat": by_iso[c]["lat"], "radius": by_iso[c]["radius"]} for c in named]
    for item in items:
        item["x"], item["y"] = viewport.pixel(item["lon"], item["lat"])
    circles = [(*viewport.pixel(r["lon"], r["lat"]), r["radius"]) for r in rows] + [(seoul["x"], seoul["y"], 6.0)]
    return place_labels(items, (viewport.width, viewport.height), size_px, circles)


def character_set(texts: Iterable[str]) -> str:
    """What the labels' font atlas must hold: printable ASCII and every other
    character of `texts` (deck.gl draws a character missing from the atlas as nothing)."""
    chars = {chr(c) for c in range(32, 127)} | {ch for text in texts for ch in text}
    return "".join(sorted(chars - {"`"}))  # the backtick quotes the set for pydeck


def deck(by_country: Sequence[Mapping], lang: str, *, priority: Iterable[str] = (),
         advanced: Mapping[str, int] | None = None, meeting: bool = False) -> CompactDeck:
    """The map of the pipeline: a proportional circle per country, arcs from
    Seoul, names and amounts of the largest and the priority countries, tooltips."""
    scale = MEETING_SCALE if meeting else 1.0
    size_px = MEETING_LABEL_PX if meeting else LABEL_PX
    rows = country_rows(by_country, lang, advanced=advanced, scale=scale)
    arcs = arc_rows(rows, scale)
    viewport = view(rows, meeting=meeting)
    placed = labels(rows, priority, lang, viewport, size_px)
    texts = [{"text": p["text"], "position": [p["lon"], p["lat"]], "offset": p["offset"], "iso3": p["iso3"],
              "color": list(pal.SEOUL_RGB) if not p["iso3"] else LABEL_INK} for p in placed]
    seoul = {"name": i18n.t("map.seoul", lang), "position": [shift_lon(ref.SEOUL[0]), ref.SEOUL[1]],
             "tooltip": i18n.t("map.seoul", lang)}
    layers = [
        pdk.Layer("PolygonLayer", id=SEA, data=[{"polygon": [[WEST - 360, -85], [WEST + 720, -85],
                                                             [WEST + 720, 85], [WEST - 360, 85]]}],
                  get_polygon="polygon", get_fill_color=list(pal.SEA_RGB), stroked=False, pickable=False),
        pdk.Layer("GeoJsonLayer", id=WORLD, data=world(), filled=True, stroked=True,
                  get_fill_color=list(pal.LAND_RGB), get_line_color=list(pal.OUTLINE_RGB),
                  line_width_min_pixels=0.7, pickable=False),
        pdk.Layer("GeoJsonLayer", id=COUNTRIES, data=_features(rows), filled=True, stroked=True, pickable=True,
                  auto_highlight=True, highlight_color=[255, 200, 0, 90],
                  get_fill_color=list(TINT_RGB), get_line_color=list(pal.COUNTRY_LINE_RGB),
                  line_width_min_pixels=0.8),
        pdk.Layer("PathLayer", id=ARCS, data=arcs, get_path="path", get_color=[*pal.ARC_RGB, 140],
                  get_width="width", width_units=PIXELS, cap_rounded=True, joint_rounded=True,
                  pickable=True, auto_highlight=True),
        pdk.Layer("ScatterplotLayer", id=SYMBOLS, data=rows, get_position=["lon", "lat"], get_radius="radius",
                  radius_units=PIXELS, get_fill_color="fill", get_line_color="line", get_line_width="line_width",
                  line_width_units=PIXELS, stroked=True, filled=True, pickable=True, auto_highlight=True,
                  highlight_color=[255, 200, 0, 200]),
        pdk.Layer("ScatterplotLayer", id=SEOUL, data=[seoul], get_position="position",
                  get_fill_color=list(pal.SEOUL_RGB), radius_units=PIXELS, get_radius=6 * scale, pickable=True,
                  stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=2),
        pdk.Layer("TextLayer", id=LABELS, data=texts, get_position="position", get_text="text",
                  get_pixel_offset="offset", get_color="color", get_size=size_px, size_units=PIXELS,
                  get_text_anchor="'middle'", get_alignment_baseline="'center'",
                  font_family='"' + pal.FONT_STACK + '"', font_weight=700,
                  character_set="`" + character_set(t["text"] for t in texts) + "`",
                  background=True, get_background_color=[255, 255, 255, 225], background_padding=[4, 2],
                  pickable=False),
    ]
    initial = pdk.ViewState(longitude=viewport.longitude, latitude=viewport.latitude, zoom=viewport.zoom,
                            min_zoom=0.3, max_zoom=7, pitch=0, bearing=0)
    # no repeat: the circles and labels once; the outlines go on beyond the ends (`world`).
    return CompactDeck(layers=layers, initial_view_state=initial,
                       views=[pdk.View(type="MapView", controller=True, repeat=False)],
                       map_provider=None,
                       tooltip={"text": "{tooltip}", "style": TOOLTIP_STYLE})


# --- legend -------------------------------------------------------------------------------------


def legend_items(by_country: Sequence[Mapping], lang: str, *, meeting: bool = False) -> list[tuple[str, float, str]]:
    """(kind, pixels, text) of each legend entry: "circle" with its radius and
    amount, "hollow", "arc" with its width, "seoul"; `legend_html` and the
    deck's picture draw them."""
    scale = MEETING_SCALE if meeting else 1.0
    top = max((float(r["open_value_usd_m"]) for r in by_country), default=0.0)
    items = [("circle", symbol_radius(v, top, scale), money.amount(v, lang)) for v in legend_values(top)]
    if any(float(r["open_value_usd_m"]) <= 0 for r in by_country):
        items.append(("hollow", HOLLOW_RADIUS_PX * scale, i18n.t("map.legend.hollow", lang)))
    items += [("arc", 3.0 * scale, i18n.t("map.legend.arcs", lang)), ("seoul", 6.0 * scale, i18n.t("map.seoul", lang))]
    return items


def _legend_mark(kind: str, px: float) -> str:
    """The legend's symbol as a CSS shape (`st.html` sanitises inline SVG away), `px` as on the map."""
    fill, line = "rgba(%d, %d, %d, 0.67)" % SYMBOL_RGB, "rgb(%d, %d, %d)" % SYMBOL_LINE_RGB
    if kind == "arc":
        style = (f"width: 36px; height: {px:.1f}px; border-radius: {px:.1f}px; "
                 f"background: rgba({pal.ARC_RGB[0]}, {pal.ARC_RGB[1]}, {pal.ARC_RGB[2]}, 0.6);")
    else:
        ring = {"circle": (fill, f"1px solid {line}"), "hollow": ("#FFFFFF", f"2px solid {line}"),
                "seoul": ("rgb(%d, %d, %d)" % pal.SEOUL_RGB, "2px solid #FFFFFF")}[kind]
        style = (f"width: {2 * px:.1f}px; height: {2 * px:.1f}px; border-radius: 50%; background: {ring[0]}; "
                 f"border: {ring[1]}; box-sizing: border-box;")
    return f'<span class="ks-legend-mark ks-legend-{kind}" aria-hidden="true" style="display: inline-block; {style}"></span>'


def legend_html(by_country: Sequence[Mapping], lang: str, *, meeting: bool = False,
                priority: Iterable[str] = ()) -> str:
    """The map's legend as HTML for `st.html`: reference circles drawn at the
    map's own pixel sizes with their amounts, the hollow ring, the arcs,
    Seoul, and which countries are named. Every text is escaped."""
    item = 'style="display: inline-flex; align-items: center; gap: 0.4rem;"'
    parts = [f'<span class="ks-legend-item" {item}>{_legend_mark(kind, px)}<span>{html.escape(text)}</span></span>'
             for kind, px, text in legend_items(by_country, lang, meeting=meeting)]
    named = i18n.t("map.legend.named" if list(priority) else "map.legend.named_top", lang, n=TOP_LABELLED)
    title = html.escape(i18n.t("map.legend.title", lang))
    return (f'<div class="ks-legend" style="font-family: {pal.FONT_STACK}; color: {pal.INK}; font-size: 1rem; '
            'word-break: keep-all; display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.4rem; '
            f'margin: 0.2rem 0 0.4rem;"><strong>{title}</strong>{"".join(parts)}'
            f'<span style="color: #4B5563;">{html.escape(named)}</span></div>')


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
