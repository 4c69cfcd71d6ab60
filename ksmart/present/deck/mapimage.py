"""The map slide's picture: a world map drawn with Pillow, no browser, no internet.

The dashboard's map is a pydeck canvas that only a browser can draw; the
deck needs a picture, so this draws the same content by the same rules
(`ksmart.present.mapdeck`): light country outlines (the pipeline's countries
faintly tinted), great-circle arcs from Seoul (`mapdeck.arc_path`, wider for
larger value), a circle per country whose area is its open pipeline value
(`mapdeck.symbol_radius`, a hollow ring without open value), name and spoken
amount of the largest and the priority countries (`mapdeck.labelled`,
placed by `mapdeck.place_labels` with the font's own widths), the Seoul
marker and a legend: nested reference circles in the South Atlantic corner,
the other marks in a white band under the map.

Projection: Miller cylindrical, centred on 150°E, the Pacific-centred
view of Korean world maps: its seam is `mapdeck.WEST`, so the shifted
longitudes of the page's map are this picture's x from 0 to its width, and
every arc from Seoul stays on the picture without crossing the edge (the
rings the seam cuts, Greenland's, are drawn on both sides). The map spans
all longitudes from 78°N down to 56°S, or further south when the picture is
taller than that (a 16:9 PNG); the legend takes a white band under it, so it
hides no country. Antarctica is not drawn. Drawn at twice the size and
scaled down, for smooth edges. Text needs a font with Hangul: NanumGothic
when installed, else the map has no text at all rather than boxes.
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ksmart import countries as ctry
from ksmart import money
from ksmart import reference as ref
from ksmart.present import mapdeck
from ksmart.present import palette as pal
from ksmart.present.deck.text import tr

great_circle = mapdeck.great_circle  # the deck's tests and callers knew it here

WIDTH, HEIGHT = 1600, 900
SUPERSAMPLE = 2
CENTRAL_LON = mapdeck.WEST + 180.0
LAT_TOP, LAT_BOTTOM = 78.0, -56.0
SYMBOL_SCALE = 1.5  # circle pixels per page pixel at 1600 wide (the picture is read on a slide)
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


def _font(path: Path, size: int):
    try:
        return ImageFont.truetype(str(path), size) if path.exists() else None
    except OSError:
        return None


# --- drawing ---------------------------------------------------------------------------


def render(by_country: Sequence[Mapping], lang: str, *, width: int = WIDTH, height: int | None = HEIGHT,
           priority: Iterable[str] = ()) -> bytes:
    """The map as PNG bytes, `width` × `height` pixels; `height=None`: as tall
    as the map down to LAT_BOTTOM plus the legend (the slide's picture).
    `by_country`: `metrics.summary(...)["by_country"]`; `priority`: the
    priority countries (`metrics.priority_countries`), named whatever their value."""
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
    for iso3, rings, _ in _rings():
        if iso3 in SKIPPED:
            continue
        in_pipeline = iso3 in values
        fill = mapdeck.TINT_RGB if in_pipeline else pal.LAND_RGB
        line = pal.COUNTRY_LINE_RGB if in_pipeline else pal.OUTLINE_RGB
        for ring in rings:
            for points in _copies(projection.points(ring[:, 0], ring[:, 1]), W):
                draw.polygon([tuple(p) for p in points], fill=fill, outline=line, width=s if in_pipeline else 1)

    table = ctry.table()
    centres = {iso3: (float(table.at[iso3, "lon"]), float(table.at[iso3, "lat"]))
               for iso3 in values if iso3 in table.index}
    points = {iso3: _xy(projection, mapdeck.shift_lon(lon), lat) for iso3, (lon, lat) in centres.items()}
    radii = {iso3: mapdeck.symbol_radius(values[iso3], top) * SYMBOL_SCALE * em for iso3 in centres}
    image = _arcs(image, projection, values, centres, top, em)
    image = _symbols(image, values, points, radii, em)
    draw = ImageDraw.Draw(image)
    seoul = _xy(projection, ref.SEOUL[0], ref.SEOUL[1])
    r = 9 * em
    draw.ellipse([seoul[0] - r, seoul[1] - r, seoul[0] + r, seoul[1] + r], fill=pal.SEOUL_RGB,
                 outline=(255, 255, 255), width=int(3 * em))

    panel = _reference_circles(draw, top, lang, em, W, map_h) if top > 0 else None
    font = _font(FONT_BOLD, int(26 * em)) or _font(FONT_REGULAR, int(26 * em))
    if font is not None:
        _labels(draw, by_country, priority, points, radii, seoul, lang, font, (W, map_h), em,
                [panel] if panel else [])
    draw.rectangle([0, map_h, W, H], fill=(255, 255, 255))  # what the map drew below its bottom edge
    _legend(draw, by_country, priority, lang, em, map_h)
    out = image.reduce(SUPERSAMPLE)  # a box filter: exact for a whole factor, and fast
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _xy(projection: Projection, lon: float, lat: float) -> tuple[float, float]:
    """Pixels of a point in the shifted longitudes (`mapdeck.shift_lon`): x = 0 at the seam."""
    return float(projection.x(lon)), float(projection.y(lat))


def _arcs(image: Image.Image, projection: Projection, values: dict, centres: dict, top: float,
          em: float) -> Image.Image:
    """The page's arcs from Seoul, translucent, larger values drawn last (on top)."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for iso3 in sorted((c for c in centres if values[c] > 0), key=lambda c: values[c]):
        path = np.asarray(mapdeck.arc_path(centres[iso3]))
        width = max(1, int(round((1.0 + 3.0 * math.sqrt(values[iso3] / top)) * em * SYMBOL_SCALE / 1.5)))
        xy = np.column_stack([projection.x(path[:, 0]), projection.y(path[:, 1])])
        draw.line([tuple(p) for p in xy], fill=(*pal.ARC_RGB, 150), width=width, joint="curve")
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _symbols(image: Image.Image, values: dict, points: dict, radii: dict, em: float) -> Image.Image:
    """The circles, largest first so that a small one inside a large one shows; hollow rings last."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for iso3 in sorted(points, key=lambda c: -values[c]):
        (x, y), r = points[iso3], radii[iso3]
        box = [x - r, y - r, x + r, y + r]
        if values[iso3] > 0:
            draw.ellipse(box, fill=(*mapdeck.SYMBOL_RGB, 175), outline=(*mapdeck.SYMBOL_LINE_RGB, 255),
                         width=max(1, int(1.5 * em)))
        else:
            draw.ellipse(box, fill=(255, 255, 255, 240), outline=(*mapdeck.SYMBOL_LINE_RGB, 255),
                         width=max(2, int(3 * em)))
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _labels(draw, by_country, priority, points, radii, seoul, lang, font, frame, em, taken) -> list[dict]:
    """Seoul and the named countries (`mapdeck.labelled`), dark on a white box,
    placed by `mapdeck.place_labels` with the font's widths; returns what it drew."""
    items = [{"iso3": "", "text": tr("map.seoul", lang), "x": seoul[0], "y": seoul[1], "radius": 9 * em}]
    for iso3 in mapdeck.labelled(by_country, priority):
        if iso3 in points:
            value = next(float(r["open_value_usd_m"]) for r in by_country if r["country"] == iso3)
            items.append({"iso3": iso3, "text": mapdeck.label_text(iso3, value, lang), "x": points[iso3][0],
                          "y": points[iso3][1], "radius": radii[iso3]})
    circles = [(*points[c], radii[c]) for c in points] + [(seoul[0], seoul[1], 9 * em)]
    size = font.size
    placed = mapdeck.place_labels(items, frame, size / 1.3, circles, measure=lambda t: draw.textlength(t, font=font), taken=taken)
    for item in placed:
        left, top, right, bottom = item["box"]
        draw.rectangle([left, top, right, bottom], fill=(255, 255, 255))
        ink = pal.SEOUL_RGB if not item["iso3"] else INK_RGB
        draw.text(((left + right) / 2, (top + bottom) / 2), item["text"], font=font, fill=ink, anchor="mm")
    return placed


def _reference_circles(draw, top: float, lang: str, em: float, W: int, map_h: int):
    """The legend's circles at the map's sizes, nested on a common bottom in
    the South Atlantic corner, each with its amount to its left, on a white
    panel; returns the panel's box (labels keep off it)."""
    values = mapdeck.legend_values(top)
    font = _font(FONT_REGULAR, int(22 * em))
    title = tr("map.legend.title", lang)
    biggest = mapdeck.symbol_radius(values[0], top) * SYMBOL_SCALE * em
    amounts = max((draw.textlength(money.amount(v, lang), font=font) for v in values), default=0) if font else 0
    title_w = draw.textlength(title, font=font) if font else 0
    cx, bottom = W - biggest - 30 * em, map_h - 24 * em
    left = min(cx - biggest - amounts - 40 * em, W - title_w - 34 * em)
    panel = (left, bottom - 2 * biggest - 50 * em, W - 10 * em, bottom + 12 * em)
    draw.rectangle(panel, fill=(255, 255, 255), outline=pal.OUTLINE_RGB)
    if font is not None:
        draw.text((panel[0] + 12 * em, panel[1] + 10 * em), title, font=font, fill=INK_RGB)
    for value in values:
        r = mapdeck.symbol_radius(value, top) * SYMBOL_SCALE * em
        draw.ellipse([cx - r, bottom - 2 * r, cx + r, bottom], outline=mapdeck.SYMBOL_LINE_RGB,
                     width=max(1, int(2 * em)))
        draw.line([(cx - biggest - 12 * em, bottom - 2 * r), (cx, bottom - 2 * r)], fill=MUTED_RGB, width=max(1, int(em)))
        if font is not None:
            draw.text((cx - biggest - 18 * em, bottom - 2 * r), money.amount(value, lang), font=font,
                      fill=INK_RGB, anchor="rm")
    return panel


def legend_height(width: int) -> int:
    """Pixels (at the final size) of the legend band under the map."""
    return round(100 * width / 1600)


def natural_height(width: int) -> int:
    """The picture's height for a map from LAT_TOP to LAT_BOTTOM, plus the legend."""
    span = float(_miller(np.array(LAT_TOP)) - _miller(np.array(LAT_BOTTOM)))
    return round(width / (2 * math.pi) * span) + legend_height(width)


def _legend(draw, by_country, priority, lang: str, em: float, map_h: int) -> None:
    """One line under the map: the hollow ring, the arcs, Seoul, who is named
    (the marks alone without a font). The circles' sizes are in the map's corner."""
    font = _font(FONT_REGULAR, int(24 * em))
    gap = int(12 * em)
    x, cy = int(24 * em), map_h + int(50 * em)
    items = mapdeck.legend_items(by_country, lang)
    for kind, px, text in [item for item in items if item[0] != "circle"]:
        r = px * SYMBOL_SCALE * em
        if kind == "arc":
            draw.line([(x, cy), (x + 48 * em, cy)], fill=pal.ARC_RGB, width=max(1, int(r)))
            x += int(48 * em)
        else:
            fill, line = {"hollow": ((255, 255, 255), mapdeck.SYMBOL_LINE_RGB),
                          "seoul": (pal.SEOUL_RGB, (255, 255, 255))}[kind]
            draw.ellipse([x, cy - r, x + 2 * r, cy + r], fill=fill, outline=line, width=max(2, int(3 * em)))
            x += int(2 * r)
        x += gap
        if font is not None:
            draw.text((x, cy), text, font=font, fill=MUTED_RGB, anchor="lm")
            x += int(draw.textlength(text, font=font)) + 3 * gap
    if font is not None:
        named = "map.legend.named" if list(priority) else "map.legend.named_top"
        draw.text((x, cy), tr(named, lang, n=mapdeck.TOP_LABELLED), font=font, fill=MUTED_RGB, anchor="lm")
