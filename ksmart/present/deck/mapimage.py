"""The map slide's picture: a world map drawn with Pillow, no browser, no internet.

The dashboard's map is a pydeck canvas that only a browser can draw; the
deck needs a picture, so this draws the same content from the same data:
`ksmart.countries` polygons filled by open pipeline value with
`palette.value_rgb`, great-circle arcs from Seoul (wider for larger value),
points for countries that have no polygon (Singapore, Myanmar…), the Seoul
marker, the largest countries' names and a legend.

Projection: Miller cylindrical, centred on 150°E, the Pacific-centred
view of Korean world maps: Korea sits left of centre, Latin America on the
right, and every arc from Seoul stays on the picture without crossing the
edge (the seam runs down the mid-Atlantic; the rings it cuts, Greenland's,
are drawn on both sides). The map spans all longitudes from 78°N down to
56°S, or further south when the picture is taller than that (a 16:9 PNG);
the legend takes a white band under it, so it hides no country.
Antarctica is not drawn. Drawn at twice the size and scaled down, for smooth edges. Text
needs a font with Hangul: NanumGothic when installed, else the map has no
text at all rather than boxes.
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ksmart import countries as ctry
from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.present import palette as pal
from ksmart.present.deck.text import tr

WIDTH, HEIGHT = 1600, 900
SUPERSAMPLE = 2
CENTRAL_LON = 150.0
LAT_TOP, LAT_BOTTOM = 78.0, -56.0
LABELLED = 6  # countries named on the map, largest open value first
SKIPPED = frozenset({"ATA"})  # Antarctica: a white band across the bottom, no pipeline

INK_RGB = pal.hex_to_rgb(pal.INK)
MUTED_RGB = (107, 114, 128)

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
FONT_REGULAR, FONT_BOLD = FONT_DIR / "NanumGothic.ttf", FONT_DIR / "NanumGothicBold.ttf"


# --- projection ----------------------------------------------------------------------


def _miller(lat: np.ndarray) -> np.ndarray:
    lat = np.clip(lat, -89.0, 89.0)
    return 1.25 * np.log(np.tan(np.pi / 4 + 0.4 * np.radians(lat)))


class Projection:
    """Longitude/latitude to pixels of a `width`-wide map whose top is LAT_TOP
    (one scale for x and y: the picture's height only decides how far south it goes)."""

    def __init__(self, width: float):
        self.width = width
        self.per_radian = width / (2 * math.pi)
        self.y_top = float(_miller(np.array(LAT_TOP)))

    def x(self, lon: np.ndarray) -> np.ndarray:
        """x without wrapping: callers unwrap rings and arcs first."""
        return (np.asarray(lon) - CENTRAL_LON + 180.0) / 360.0 * self.width

    def y(self, lat: np.ndarray) -> np.ndarray:
        return (self.y_top - _miller(np.asarray(lat))) * self.per_radian

    def points(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Pixel points of a line or ring, longitudes unwrapped so that the
        line is continuous and starts within the map."""
        lon = np.degrees(np.unwrap(np.radians(np.asarray(lon, dtype=float))))
        shift = ((lon[0] - CENTRAL_LON + 180.0) // 360.0) * 360.0  # bring the start into [c-180, c+180)
        return np.column_stack([self.x(lon - shift), self.y(lat)])


def _copies(points: np.ndarray, width: float) -> list[np.ndarray]:
    """The points, and a copy one map-width over when they cross an edge."""
    out = [points]
    if points[:, 0].max() > width:
        out.append(points - [width, 0])
    if points[:, 0].min() < 0:
        out.append(points + [width, 0])
    return out


def great_circle(start: tuple[float, float], end: tuple[float, float], n: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """(lons, lats) of `n` points on the great circle from `start` to `end`, both (lon, lat)."""
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


# --- data ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _rings() -> tuple[tuple[str, tuple[np.ndarray, ...], float], ...]:
    """(iso3, outer rings as lon/lat arrays, bounding-box area) of every
    country, largest first so that enclaves (Lesotho) are drawn over their
    surroundings. Holes are not drawn: what fills them is another country."""
    out = []
    for feature in ctry.features():
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = tuple(np.asarray(polygon[0], dtype=float) for polygon in polygons if polygon and len(polygon[0]) > 2)
        if not rings:
            continue
        stacked = np.vstack(rings)
        area = float(np.ptp(stacked[:, 0]) * np.ptp(stacked[:, 1]))
        out.append((feature["properties"]["iso3"], rings, area))
    return tuple(sorted(out, key=lambda r: -r[2]))


def legend_bins(max_value: float) -> list[tuple[tuple[int, int, int], float, float]]:
    """(colour, low, high) of each class of `palette.value_rgb`: its square-root
    scale puts a value in class i when sqrt(value / max) is in [i/n, (i+1)/n)."""
    n = len(pal.VALUE_SCALE)
    return [(pal.VALUE_SCALE[i], max_value * (i / n) ** 2, max_value * ((i + 1) / n) ** 2) for i in range(n)]


def _font(path: Path, size: int):
    try:
        return ImageFont.truetype(str(path), size) if path.exists() else None
    except OSError:
        return None


# --- drawing ---------------------------------------------------------------------------


def render(by_country: Sequence[Mapping], lang: str, *, width: int = WIDTH, height: int | None = HEIGHT) -> bytes:
    """The map as PNG bytes, `width` × `height` pixels; `height=None`: as tall
    as the map down to LAT_BOTTOM plus the legend (the slide's picture).
    `by_country`: `metrics.summary(...)["by_country"]`."""
    if height is None:
        height = natural_height(width)
    s = SUPERSAMPLE
    W, H = width * s, height * s
    em = width / 1600 * s  # text and marker sizes follow the picture's width
    projection = Projection(W)
    values = {r["country"]: float(r["open_value_usd_m"]) for r in by_country}
    top = max(values.values(), default=0.0)
    map_h = H - legend_height(width) * s
    image = Image.new("RGB", (W, H), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, W, map_h], fill=pal.SEA_RGB)

    drawn = set()
    for iso3, rings, _ in _rings():
        if iso3 in SKIPPED:
            continue
        in_pipeline = iso3 in values
        fill = pal.value_rgb(values[iso3], top) if in_pipeline else pal.LAND_RGB
        line = pal.COUNTRY_LINE_RGB if in_pipeline else pal.OUTLINE_RGB
        for ring in rings:
            for points in _copies(projection.points(ring[:, 0], ring[:, 1]), W):
                draw.polygon([tuple(p) for p in points], fill=fill, outline=line, width=s if in_pipeline else 1)
        drawn.add(iso3)

    table = ctry.table()
    centres = {iso3: (float(table.at[iso3, "lon"]), float(table.at[iso3, "lat"]))
               for iso3 in values if iso3 in table.index}
    image = _arcs(image, projection, values, centres, top, W, em)
    draw = ImageDraw.Draw(image)
    for iso3, (lon, lat) in centres.items():  # countries without a polygon: a point, over its arc's end
        if iso3 not in drawn:
            x, y = projection.points([lon], [lat])[0]
            r = 9 * em
            draw.ellipse([x - r, y - r, x + r, y + r], fill=pal.value_rgb(values[iso3], top),
                         outline=pal.COUNTRY_LINE_RGB, width=s)
    seoul = projection.points([ref.SEOUL[0]], [ref.SEOUL[1]])[0]
    r = 11 * em
    draw.ellipse([seoul[0] - r, seoul[1] - r, seoul[0] + r, seoul[1] + r], fill=pal.SEOUL_RGB,
                 outline=(255, 255, 255), width=int(3 * em))

    font = _font(FONT_BOLD, int(28 * em)) or _font(FONT_REGULAR, int(28 * em))
    if font is not None:
        _labels(draw, projection, values, centres, seoul, lang, font, em)
    draw.rectangle([0, map_h, W, H], fill=(255, 255, 255))  # what the map drew below its bottom edge
    _legend(draw, top, lang, em, map_h)
    out = image.reduce(SUPERSAMPLE)  # a box filter: exact for a whole factor, and fast
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _arcs(image: Image.Image, projection: Projection, values: dict, centres: dict, top: float, W: int,
          em: float) -> Image.Image:
    """Great-circle arcs from Seoul, translucent, larger values drawn last (on top)."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for iso3 in sorted((c for c in centres if values[c] > 0), key=lambda c: values[c]):
        lons, lats = great_circle(ref.SEOUL, centres[iso3])
        width = int(round((1.5 + 5.0 * math.sqrt(values[iso3] / top)) * em))
        for points in _copies(projection.points(lons, lats), W):
            draw.line([tuple(p) for p in points], fill=(*pal.ARC_RGB, 190), width=width, joint="curve")
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _labels(draw, projection, values, centres, seoul, lang, font, em) -> None:
    """Names of Seoul and of the largest countries, dark on a white halo; a
    name goes below, above, right or left of its country, wherever it does
    not cover a name already placed, or is left out."""
    halo = {"stroke_width": int(4 * em), "stroke_fill": (255, 255, 255)}
    taken: list[tuple[float, float, float, float]] = []

    def place(x, y, text, fill, anchors) -> None:
        for dx, dy, anchor in anchors:
            box = draw.textbbox((x + dx * em, y + dy * em), text, font=font, anchor=anchor,
                                stroke_width=halo["stroke_width"])
            if not any(_overlap(box, other) for other in taken):
                draw.text((x + dx * em, y + dy * em), text, font=font, fill=fill, anchor=anchor, **halo)
                taken.append(box)
                return

    place(seoul[0], seoul[1], tr("map.seoul", lang), pal.SEOUL_RGB, [(0, -14, "mb"), (14, 0, "lm")])
    around = [(0, 12, "mt"), (0, -12, "mb"), (14, 0, "lm"), (-14, 0, "rm")]
    largest = sorted((c for c in centres if values[c] > 0), key=lambda c: -values[c])[:LABELLED]
    for iso3 in largest:
        x, y = projection.points([centres[iso3][0]], [centres[iso3][1]])[0]
        place(x, y, i18n.country(iso3, lang), INK_RGB, around)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def legend_height(width: int) -> int:
    """Pixels (at the final size) of the legend band under the map."""
    return round(100 * width / 1600)


def natural_height(width: int) -> int:
    """The picture's height for a map from LAT_TOP to LAT_BOTTOM, plus the legend."""
    span = float(_miller(np.array(LAT_TOP)) - _miller(np.array(LAT_BOTTOM)))
    return round(width / (2 * math.pi) * span) + legend_height(width)


def _legend(draw, top: float, lang: str, em: float, map_h: int) -> None:
    """Two lines under the map: the colour classes with their value ranges;
    Seoul and what the lines mean (swatches only without a font)."""
    font, bold = _font(FONT_REGULAR, int(24 * em)), _font(FONT_BOLD, int(24 * em))
    bold = bold or font
    box, gap = int(26 * em), int(10 * em)
    x = y_unit = int(24 * em)
    rows = (map_h + int(32 * em), map_h + int(72 * em))
    classes = [(pal.NO_VALUE_RGB, tr("deck.map.no_value", lang))]
    unit = money.unit_for([top], lang)  # the ranges in one unit, stated in the legend's title
    if top > 0:
        def plain(v: float) -> str:
            return money.number(unit.of(v), unit.decimals)

        classes += [(color, f"{plain(low)}–{plain(high)}") for color, low, high in legend_bins(top)]
    cy = rows[0]
    if bold is not None:
        title = tr("deck.map.legend", lang, unit=unit.label)
        draw.text((x, cy), title, font=bold, fill=INK_RGB, anchor="lm")
        x += int(draw.textlength(title, font=bold)) + 2 * y_unit
    for color, label in classes:
        draw.rectangle([x, cy - box / 2, x + box, cy + box / 2], fill=color, outline=pal.COUNTRY_LINE_RGB, width=int(em))
        x += box + gap
        if font is not None:
            draw.text((x, cy), label, font=font, fill=INK_RGB, anchor="lm")
            x += int(draw.textlength(label, font=font)) + y_unit
    x, cy = y_unit, rows[1]
    r = 9 * em
    draw.ellipse([x + 24 * em - r, cy - r, x + 24 * em + r, cy + r], fill=pal.SEOUL_RGB, outline=(255, 255, 255))
    x += int(48 * em) + gap
    if font is not None:
        label = tr("map.seoul", lang)
        draw.text((x, cy), label, font=font, fill=MUTED_RGB, anchor="lm")
        x += int(draw.textlength(label, font=font)) + 2 * y_unit
    draw.line([(x, cy), (x + 48 * em, cy)], fill=pal.ARC_RGB, width=int(5 * em))
    if font is not None:
        draw.text((x + 48 * em + gap, cy), tr("deck.map.arcs", lang), font=font, fill=MUTED_RGB, anchor="lm")
