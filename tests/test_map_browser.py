"""The map page in a real headless Chromium at the two projector sizes, normal and meeting
mode: the deck.gl canvas draws its circles and labels (Hangul in a Korean font, not
boxes), the legend's text is as large as meeting mode asks, Kuwait's circle is the
largest, Bolivia is named, nothing is requested outside 127.0.0.1. Screenshots go to
artifacts/screenshots/map_*.png (the viewport, what the room sees, and the map alone)
for people to look at.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ksmart import i18n, money
from ksmart.analytics import metrics
from ksmart.present import mapdeck
from tests.chromium import CHROMIUM, FLAGS, SHOTS, Browser, check_page, outside, serve, wait_ready

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
MIN_TEXT_PX = {1366: 16, 1920: 20}  # dashboard.md, meeting mode


@pytest.fixture(scope="module")
def server(sample_store, tmp_path_factory):
    with serve(sample_store, tmp_path_factory.mktemp("map_server")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sample(sample_store):
    from ksmart.store import open_store

    with open_store(sample_store) as store:
        snapshot = store.read()
    by_country = metrics.summary(snapshot.frames["projects"], snapshot.version.reference_date)["by_country"]
    return by_country, metrics.priority_countries(snapshot.frames.get("countries"))


def open_map(chromium, server, size, meeting: bool) -> Browser:
    width, height = size
    page = chromium.new_page(viewport={"width": width, "height": height}, locale="ko-KR")
    browser = Browser(page, server)
    page.goto(f"{server}/map{'?mode=meeting' if meeting else ''}")
    wait_ready(page, "map", "ko")
    check_page(page, "map", "ko")
    page.wait_for_timeout(1500)  # deck.gl builds its font atlas and draws after the canvas appears
    return browser


def canvas_pixels(page) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(page.locator(CANVAS).first.screenshot())).convert("RGB")).astype(int)


def near(pixels: np.ndarray, rgb, tolerance: int = 40) -> np.ndarray:
    return (np.abs(pixels - np.array(rgb)).sum(axis=2) < tolerance)


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "meeting"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_map_draws_symbols_labels_and_legend(chromium, server, sample, size, meeting):
    by_country, priority = sample
    browser = open_map(chromium, server, size, meeting)
    page = browser.page
    name = f"map_{'meeting' if meeting else 'normal'}_{size[0]}"
    page.screenshot(path=SHOTS / f"{name}.png")
    page.locator('[data-testid="stDeckGlJsonChart"]').first.screenshot(path=SHOTS / f"{name}_canvas.png")

    pixels = canvas_pixels(page)
    box = page.locator(CANVAS).first.bounding_box()
    assert box["width"] >= 800 and box["height"] >= mapdeck.HEIGHT_PX - 2
    # the canvas drew: sea, light land, the circles' blue, label ink on white
    assert near(pixels, mapdeck.pal.SEA_RGB, 12).mean() > 0.2
    symbols = near(pixels, (110, 160, 207), 60)  # SYMBOL_RGB at its opacity over land or sea
    assert symbols.mean() > 0.002
    ink = near(pixels, mapdeck.LABEL_INK, 90)
    assert ink.sum() > 1000, "no label text drawn"

    legend = page.locator(".ks-legend")
    assert legend.count() == 1 and legend.is_visible()
    text = legend.inner_text()
    for value in mapdeck.legend_values(max(r["open_value_usd_m"] for r in by_country)):
        assert money.amount(value, "ko") in text
    assert i18n.t("map.legend.hollow", "ko") in text
    if meeting:
        sizes = legend.locator("span, strong").evaluate_all(
            "els => els.filter(e => e.innerText.trim()).map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= MIN_TEXT_PX[size[0]] - 0.5, sizes
    assert outside(browser.requests) == []
    page.close()


def test_hovering_kuwait_shows_its_numbers_and_clicking_bolivia_opens_its_profile(chromium, server, sample):
    by_country, priority = sample
    browser = open_map(chromium, server, SIZES[0], False)
    page = browser.page
    box = page.locator(CANVAS).first.bounding_box()
    rows = mapdeck.country_rows(by_country, "ko")
    first = mapdeck.view(rows)
    viewport = mapdeck.Viewport(first.longitude, first.latitude, first.zoom, box["width"], box["height"])
    tooltip = page.locator(".deck-tooltip")

    def hover(iso3: str, expect: str) -> str:
        row = next(r for r in rows if r["iso3"] == iso3)
        x, y = viewport.pixel(row["lon"], row["lat"])
        for _ in range(20):  # deck.gl picks once its layers are loaded: hover until the tooltip answers
            page.mouse.move(box["x"] + x, box["y"] + y)
            if tooltip.is_visible() and expect in tooltip.inner_text():
                break
            page.mouse.move(box["x"] + x + 60, box["y"] + y + 60)
            page.wait_for_timeout(250)
        return tooltip.inner_text()

    kuwait = hover("KWT", "쿠웨이트")
    assert kuwait.startswith("쿠웨이트\n") and "가시화" in kuwait and money.amount(4645.0, "ko") in kuwait
    share = round(100 * 4645.0 / sum(r["open_value_usd_m"] for r in by_country))
    assert share == 39 and f"(전체의 {share}%)" in kuwait
    assert hover("BOL", "볼리비아").startswith("볼리비아\n")
    row = next(r for r in rows if r["iso3"] == "BOL")
    x, y = viewport.pixel(row["lon"], row["lat"])
    page.mouse.click(box["x"] + x, box["y"] + y)
    wait_ready(page, "countries")
    picker = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    assert "볼리비아" in (picker.text_content() + " ".join(picker.locator("input").evaluate_all(
        "els => els.map(e => e.value)")))
    assert outside(browser.requests) == []
    page.close()
