"""The deck's building blocks without a deck: text measure and fitting, table plans, the map picture."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ksmart import countries as ctry
from ksmart import reference as ref
from ksmart.present import mapdeck
from ksmart.present import palette as pal
from ksmart.present.deck import layout, mapimage, measure, tables
from tests.ui_fixtures import ROOT

KOREAN_60 = ("압둘라 신도시 스마트시티 통합운영센터 및 스마트 교통·에너지·물관리 연계 구축 시범사업 2단계 확장 추진")[:60]


# --- measure ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, bold, expected", [
    ("가", False, 1.0),  # Hangul: a full em
    ("가나 다", False, 3.32),  # a space is 0.32
    ("2017", False, 2.56),  # digits 0.64
    ("KWT", False, 0.66 + 1.03 + 0.62),  # each Latin letter its own width
    ("KWT", True, 0.78 + 1.11 + 0.69),  # bold Latin wider
    ("ICT솔루션", False, 0.30 + 0.70 + 0.62 + 3 + 0.25),  # + the Asian-Latin spacing where they meet
])
def test_width_em(text, bold, expected):
    assert measure.width_em(text, bold) == pytest.approx(expected)


@pytest.mark.parametrize("text, max_em, expected", [
    ("가나 다라", 10, ["가나 다라"]),
    ("가나 다라", 3, ["가나", "다라"]),  # breaks at the space
    ("가나다라마바", 3, ["가나다", "라마바"]),  # a word longer than the line breaks between syllables
    ("첫 줄\n둘째 줄", 10, ["첫 줄", "둘째 줄"]),  # explicit breaks stay
    ("", 5, [""]),
])
def test_wrap(text, max_em, expected):
    assert measure.wrap(text, max_em) == expected


def test_every_wrapped_line_fits():
    for max_em in (3, 7.5, 12, 25):
        for line in measure.wrap(KOREAN_60 + " Abdullah New Town smart city", max_em):
            assert measure.width_em(line) <= max_em + 1e-9


def test_fit_shrinks_before_it_cuts():
    width, height = 300.0, 60.0  # points
    short = measure.fit(["짧은 제목"], width, height, max_size=32, min_size=12)
    assert short.size == 32 and not short.truncated
    long = measure.fit([KOREAN_60], width, height, max_size=32, min_size=12)
    assert 12 <= long.size < 32 and not long.truncated and long.texts == (KOREAN_60,)
    assert measure.needed_pt(long.texts, width, long.size) <= height


def test_fit_cuts_with_an_ellipsis_at_the_smallest_size():
    fitted = measure.fit([KOREAN_60] * 5, 200.0, 40.0, max_size=20, min_size=14)
    assert fitted.truncated and fitted.size == 14
    assert fitted.texts[-1].endswith(measure.ELLIPSIS)
    assert measure.needed_pt(fitted.texts, 200.0, 14) <= 40.0


def test_clip_keeps_at_most_the_lines_asked():
    clipped = measure.clip(KOREAN_60, 10, 2)
    assert clipped.endswith(measure.ELLIPSIS) and len(measure.wrap(clipped, 10)) == 2
    assert measure.clip("짧다", 10, 2) == "짧다"


# --- table plans -----------------------------------------------------------------------------------


COLUMNS = [tables.Col("사업명", 3.0), tables.Col("단계", lines=1), tables.Col("향후일정", lines=1)]


def test_one_line_columns_fit_their_text_and_names_share_the_rest():
    rows = [["압둘라 신도시 스마트시티", "협상", "2017-12-15"]]
    laid = tables.plan(COLUMNS, rows, 8.0, 3.0, size=18, min_size=11)
    assert laid.size == 18 and laid.rows == (tuple(rows[0]),)
    date_width = measure.width_em("2017-12-15") * 18 / 72 + 2 * tables.CELL_X
    assert laid.widths[2] >= date_width and sum(laid.widths) == pytest.approx(8.0)


def test_many_rows_shrink_then_leave_rows_out():
    rows = [[KOREAN_60, "협상", "2017-12-15"]] * 40
    laid = tables.plan(COLUMNS, rows, 8.0, 4.0, size=18, min_size=11)
    assert laid.size == 11 and 0 < len(laid.rows) < 40
    assert sum(laid.heights) <= 4.0 - tables.NOTE_SIZE * measure.LINE / 72  # room for "외 N건"


@pytest.mark.parametrize("short", [True, False])
def test_thousands_of_rows_lay_out_as_the_first_that_could_ever_fit(short):
    """Rows past what one line each could fit are never measured, and change nothing."""
    rows = [["쿠웨이트" if short else KOREAN_60, f"사업 {i}", "2017-12-15"] for i in range(5000)]
    assert tables.plan(COLUMNS, rows, 8.0, 4.0, size=18, min_size=11) == \
        tables.plan(COLUMNS, rows[:60], 8.0, 4.0, size=18, min_size=11)


def test_fit_count_of_thousands_of_sentences_is_that_of_the_first_few():
    sentences = [f"쿠웨이트 압둘라 신도시 사업이 협상 단계로 올라갔습니다 ({i})." for i in range(5000)]
    box = layout.Box(0, 0, 6.0, 4.0)
    many = layout.fit_count(sentences, box, size=18, min_size=14, gap=0.35, bullet=True)
    assert 0 < many == layout.fit_count(sentences[:40], box, size=18, min_size=14, gap=0.35, bullet=True) < 40


def test_few_long_rows_get_more_lines_instead_of_an_ellipsis():
    laid = tables.plan(COLUMNS, [[KOREAN_60, "협상", "2017-12-15"]], 8.0, 4.0, size=18, min_size=11)
    assert laid.rows[0][0] == KOREAN_60


def test_headers_put_a_unit_on_its_own_line():
    assert tables.header_text("사업비 (백만 달러)") == "사업비\n(백만 달러)"
    assert tables.header_text("국가") == "국가"


SHOTS = ROOT / "artifacts" / "screenshots"


# --- the map picture ------------------------------------------------------------------------------------


def _pixel(png: bytes, lon: float, lat: float, width: int = 1600) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    x, y = mapimage.Projection(width).points([lon], [lat])[0]
    return image.getpixel((int(x), int(y)))


def test_map_draws_proportional_circles_over_light_outlines_and_marks_seoul():
    by_country = [{"country": "KWT", "open_value_usd_m": 4000.0}, {"country": "BRA", "open_value_usd_m": 10.0},
                  {"country": "FRA", "open_value_usd_m": 0.0}]
    png = mapimage.render(by_country, "ko")
    assert Image.open(io.BytesIO(png)).size == (mapimage.WIDTH, mapimage.HEIGHT)
    assert _pixel(png, -42.0, -8.0) == mapdeck.TINT_RGB  # inland Brazil, off its circle: a tint, no fill by value
    assert _pixel(png, -100.0, 40.0) == pal.LAND_RGB  # the United States: not in the pipeline
    assert _pixel(png, -150.0, -30.0) == pal.SEA_RGB  # the South Pacific
    assert _pixel(png, *ref.SEOUL) == pal.SEOUL_RGB
    # Kuwait's circle: blue well beyond Kuwait's own few pixels, its radius from mapdeck's rule
    projection = mapimage.Projection(1600)
    lon, lat = ctry.table().loc["KWT", ["lon", "lat"]]
    r = mapdeck.symbol_radius(4000.0, 4000.0) * mapimage.SYMBOL_SCALE
    x, y = float(projection.x(lon)), float(projection.y(lat))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    inside, outside = image.getpixel((int(x - r * 0.8), int(y))), image.getpixel((int(x - r * 1.3), int(y)))
    assert inside[2] > inside[0] + 60  # blue
    assert not outside[2] > outside[0] + 60
    # France: projects, no open value: a hollow ring (white middle, blue edge)
    lon, lat = ctry.table().loc["FRA", ["lon", "lat"]]
    assert _pixel(png, lon, lat) == (255, 255, 255) or min(_pixel(png, lon, lat)) > 235


def test_map_names_the_top_and_priority_countries_with_their_amounts(monkeypatch):
    drawn = []
    real = mapimage._labels

    def spy(*args, **kwargs):
        drawn.extend(real(*args, **kwargs))
        return drawn

    monkeypatch.setattr(mapimage, "_labels", spy)
    by_country = [{"country": c, "open_value_usd_m": v} for c, v in
                  [("KWT", 4645.0), ("PHL", 1025.0), ("PER", 862.0), ("UZB", 825.0), ("SAU", 650.0),
                   ("THA", 610.0), ("VNM", 550.0), ("BOL", 446.0), ("ARE", 400.0), ("IND", 93.0)]]
    for lang in ("ko", "en"):
        drawn.clear()
        png = mapimage.render(by_country, lang, priority={"BOL", "IND"}, width=1600, height=None)
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / f"map_deck_picture_{lang}.png").write_bytes(png)  # for people to look at
        texts = {d["iso3"]: d["text"] for d in drawn}
        assert set(texts) == {"", "KWT", "PHL", "PER", "UZB", "SAU", "THA", "VNM", "BOL", "IND"}  # not ARE
        assert texts["KWT"] == mapdeck.label_text("KWT", 4645.0, lang)
        assert texts["KWT"] == ("쿠웨이트 46.5억 달러" if lang == "ko" else "Kuwait USD 4.6 bn")
        boxes = [d["box"] for d in drawn]
        assert not any(mapdeck._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_map_draws_countries_without_polygon_as_circles():
    assert not ctry.table().at["SGP", "has_polygon"]
    png = mapimage.render([{"country": "SGP", "open_value_usd_m": 50.0}], "en")
    lon, lat = ctry.table().loc["SGP", ["lon", "lat"]]
    r, g, b = _pixel(png, lon, lat)
    assert b > r + 60  # the circle's blue


def test_map_without_a_korean_font_still_draws(monkeypatch, tmp_path):
    monkeypatch.setattr(mapimage, "FONT_REGULAR", tmp_path / "none.ttf")
    monkeypatch.setattr(mapimage, "FONT_BOLD", tmp_path / "none.ttf")
    png = mapimage.render([{"country": "KWT", "open_value_usd_m": 10.0}], "ko", width=800, height=450)
    assert Image.open(io.BytesIO(png)).size == (800, 450)


def test_great_circle_runs_from_seoul_to_the_country():
    lons, lats = mapimage.great_circle(ref.SEOUL, (-65.0, -17.0))
    assert (lons[0], lats[0]) == pytest.approx(ref.SEOUL)
    assert (lons[-1], lats[-1]) == pytest.approx((-65.0, -17.0))
    # Seoul to Bolivia goes over the Pacific: the unwrapped longitudes only grow eastwards.
    assert np.all(np.diff(np.unwrap(np.radians(lons))) > 0)
