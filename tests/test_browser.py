"""The dashboard in a real headless Chromium: charts and the map canvas render,
Hangul is drawn with a Korean font, nothing is requested outside 127.0.0.1,
picking a country on the map opens its profile. Full-page screenshots of every
page in Korean, English and meeting mode go to artifacts/screenshots/ (the
path is printed) for people to look at.

One `streamlit run` server and one browser for the module; Debian's chromium
(never `playwright install`, which downloads a browser).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ksmart import i18n
from ksmart.analytics import metrics
from ksmart.ingest.validation import validate_workbook
from ksmart.present import mapdeck
from ksmart.ui.pages import PAGES
from tests.chromium import (
    CHART_TITLES,
    CHROMIUM,
    FLAGS,
    SHOTS,
    VIEWPORT,
    Browser,
    check_page,
    outside,
    screenshot,
    serve,
    wait_ready,
)
from tests.ui_fixtures import SAMPLE_FILES

pytestmark = pytest.mark.browser

# Pages every viewer sees; the Data page (analysts) is driven by test_browser_upload.py.
OPEN_PAGES = [p.key for p in PAGES if p.role is None]
KOREAN_FONTS = ("nanum", "noto sans cjk", "noto serif cjk", "malgun", "apple sd gothic")


@pytest.fixture(scope="module")
def server(sample_store, tmp_path_factory):
    with serve(sample_store, tmp_path_factory.mktemp("server")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server, pytestconfig):
    from playwright.sync_api import sync_playwright

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield Browser(chromium.new_page(viewport=VIEWPORT, locale="ko-KR"), server)
        chromium.close()
    with pytestconfig.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(f"\nscreenshots: {SHOTS} ({len(list(SHOTS.glob('*.png')))} files)")


def platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium actually used for the text of `selector` (CDP), e.g. NanumGothic."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


# --- tests, in order: the first one makes the server's first request -------------------


def test_first_request_for_a_page_url_goes_through_app_py(browser):
    browser.show("map")  # Streamlit would run pages/map.py alone here (see ui.pages.guard)
    check_page(browser.page, "map", "ko")
    sidebar = browser.page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text(i18n.t("filter.stages", "ko"), exact=True).count() >= 1


@pytest.mark.parametrize("key", OPEN_PAGES)
def test_page_in_korean(browser, key):
    browser.show(key, "ko")
    check_page(browser.page, key, "ko")
    fonts = platform_fonts(browser.page, "h1")
    assert any(f["familyName"].lower().startswith(KOREAN_FONTS) for f in fonts), fonts
    screenshot(browser.page, f"ko_{key}")
    assert outside(browser.requests) == []


@pytest.mark.parametrize("key", OPEN_PAGES)
def test_page_in_english(browser, key):
    browser.show(key, "en")
    check_page(browser.page, key, "en")
    screenshot(browser.page, f"en_{key}")
    assert outside(browser.requests) == []


@pytest.mark.parametrize("key", [p.key for p in PAGES if p.meeting and p.role is None])
def test_page_in_meeting_mode(browser, key):
    browser.show(key, "meeting")
    check_page(browser.page, key, "ko")
    assert not browser.page.locator('[data-testid="stSidebar"]').is_visible()
    screenshot(browser.page, f"meeting_{key}")
    assert outside(browser.requests) == []


def test_language_switch_in_the_sidebar(browser):
    browser.show("overview", "ko")
    browser.page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    browser.session = "en"
    wait_ready(browser.page, "overview", "en")
    check_page(browser.page, "overview", "en")
    titles = [title for title, _ in browser.page.evaluate(CHART_TITLES)]
    assert titles == [i18n.t("chart.funnel", "en"), i18n.t("chart.stage_subcommittee", "en")]


BAR_CHARTS = """() => {
  const charts = [...document.querySelectorAll('.ks-chart')], box = e => e.getBoundingClientRect();
  const shown = e => getComputedStyle(e).display !== 'none';
  return {charts: charts.map(c => [box(c).left, box(c).top, box(c).width, box(c).bottom]),
          column: box(charts[0].closest('.ks-row')).width,
          gap: parseFloat(getComputedStyle(charts[0].parentElement).columnGap),
          funnel: [...charts[0].querySelectorAll('.ks-bar')].map(b => box(b).width / box(b.parentElement).width),
          // every bar's text: inside and not cut, or (funnel) beside the bar, or (segments) in the tooltip only
          texts: [...document.querySelectorAll('.ks-bar')].map(b => {
            const inside = b.querySelector('[class^="ks-need"]'), beside = b.querySelector('.ks-beside');
            return {inside: shown(inside), fits: box(inside).width <= box(b).width + 0.5,
                    beside: !!beside && shown(beside), tip: !!b.title};
          })};
}"""


@pytest.mark.parametrize("session", ["ko", "meeting"])
def test_overview_charts_are_html_bars_that_fit_their_column(browser, session):
    """The Overview's two charts are HTML (ksmart.present.htmlcharts), no chart library: side by side
    in equal halves of their row (the page's width, under the first screen), the funnel's bars as wide as their counts, every bar's
    text inside it only where it fits (else beside it or in the tooltip), Hangul in a Korean
    font; in a narrow window (a phone) the charts stand one above the other."""
    browser.show("overview", session)
    page = browser.page
    assert page.locator('[data-testid="stPlotlyChart"], iframe').count() == 0
    caption = "기준일 2017-09-30 · 버전 4 · 예시 데이터(가상)"
    assert page.evaluate(CHART_TITLES) == [[i18n.t("chart.funnel", "ko"), caption],
                                           [i18n.t("chart.stage_subcommittee", "ko"), caption]]
    state = page.evaluate(BAR_CHARTS)
    (x1, y1, w1, _), (x2, y2, w2, _) = state["charts"]
    assert y1 == y2 and w1 == pytest.approx(w2, abs=1) and x2 > x1 + w1
    assert w1 + w2 + state["gap"] == pytest.approx(state["column"], abs=1)
    projects = validate_workbook(SAMPLE_FILES[-1]).frames["projects"]  # the sample store's newest version
    reached = [r["reached"] for r in metrics.summary(projects, date(2017, 9, 30))["funnel"]]
    assert state["funnel"] == [pytest.approx(n / max(reached), abs=0.01) for n in reached]
    texts = state["texts"]
    assert all(t["tip"] and (t["fits"] if t["inside"] else True) for t in texts), texts
    assert sum(t["inside"] for t in texts) >= len(texts) // 2  # most numbers are on their bars
    assert all(t["inside"] or t["beside"] for t in texts[:len(reached)]), texts  # the funnel shows all
    fonts = platform_fonts(page, ".ks-title")
    assert any(f["familyName"].lower().startswith(KOREAN_FONTS) for f in fonts), fonts
    page.set_viewport_size({"width": 640, "height": VIEWPORT["height"]})  # the charts fill the page width
    try:
        page.wait_for_function("() => { const c = [...document.querySelectorAll('.ks-chart')]"
                               ".map(e => e.getBoundingClientRect()); return c[1].top >= c[0].bottom; }",
                               timeout=10_000)
        narrow = page.evaluate(BAR_CHARTS)
        assert all(t["fits"] for t in narrow["texts"] if t["inside"]), narrow["texts"]
    finally:
        page.set_viewport_size(VIEWPORT)
    assert outside(browser.requests) == []


def test_overview_charts_download_as_png_from_the_plotly_dialog(browser):
    """The spec's PNG at slide size from the chart's toolbar: the button under the Overview's
    charts opens them in plotly (a dialog), whose camera button saves a 1600 × 900 PNG named
    after the chart and date; the toolbar offers no upload ("Share chart")."""
    browser.show("overview", "ko")
    page = browser.page
    page.get_by_role("button", name=i18n.t("overview.charts_png", "ko")).click()
    dialog = page.get_by_role("dialog")
    funnel = dialog.locator('[data-testid="stPlotlyChart"]').first
    funnel.locator(".main-svg").first.wait_for(timeout=30_000)
    funnel.locator(".main-svg").first.hover()
    titles = funnel.locator(".modebar-btn").evaluate_all("els => els.map(e => e.getAttribute('data-title'))")
    assert titles == ["Download plot as a PNG"], titles
    with page.expect_download(timeout=20_000) as download:
        funnel.locator(".modebar-btn").first.click()
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1600, 900)
    assert download.value.suggested_filename == "ksmart_funnel_2017-09-30.png"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=10_000)
    assert outside(browser.requests) == []


def test_clicking_a_country_on_the_map_opens_its_profile(browser, sample_store):
    from ksmart.store import open_store

    browser.show("map", "ko")
    with open_store(sample_store) as store:
        snapshot = store.read()
    rows = mapdeck.country_rows(metrics.summary(snapshot.frames["projects"],
                                                snapshot.version.reference_date)["by_country"], "ko")
    box = browser.page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    first = mapdeck.view(rows)  # the middle of Bolivia, in the map's shifted longitudes
    x, y = mapdeck.Viewport(first.longitude, first.latitude, first.zoom, box["width"], box["height"]).pixel(
        mapdeck.shift_lon(-64.7), -16.3)
    tooltip = browser.page.locator(".deck-tooltip")
    for _ in range(20):  # deck.gl picks once its layers are loaded: hover until the tooltip answers
        browser.page.mouse.move(box["x"] + x, box["y"] + y)  # the middle of Bolivia
        if tooltip.is_visible() and "볼리비아" in tooltip.inner_text():
            break
        browser.page.mouse.move(box["x"] + x + 40, box["y"] + y)
        browser.page.wait_for_timeout(250)
    assert tooltip.inner_text().startswith("볼리비아\n")  # in the UI language, as text
    browser.page.mouse.click(box["x"] + x, box["y"] + y)
    wait_ready(browser.page, "countries")
    check_page(browser.page, "countries", "ko")
    picker = browser.page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    assert "볼리비아" in (picker.text_content() + " ".join(picker.locator("input").evaluate_all(
        "els => els.map(e => e.value)")))
    assert outside(browser.requests) == []


def test_no_request_left_this_machine(browser):
    assert browser.requests, "no request recorded"
    assert outside(browser.requests) == []
