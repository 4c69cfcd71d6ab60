"""Every meeting page on a projector (issue 15 point 4, dashboard.md "Meeting mode"):
the pages other than the Overview (tests/test_first_screen.py) in meeting mode at
1366×768 and 1920×1080, Korean and English, in a real headless Chromium.

- no table is drawn on a canvas (`st.dataframe`): type sizes and `keep-all` cannot
  reach a canvas, and a canvas cuts cells; every table fits its box, no cell is cut and no
  date breaks;
- no visible text of the main area (tables, chart labels, ticks, legends,
  captions) is smaller than dashboard.md allows (20 CSS px at 1920, 16 at 1366);
- Korean breaks between words only (`word-break: keep-all` on every Hangul text).

The map's labels are drawn by deck.gl on a canvas; their sizes are checked on the
deck's JSON (tests/test_mapdeck.py). Full-page screenshots go to
artifacts/screenshots/<page>_<size>_meeting_<lang>.png.
"""

from __future__ import annotations

import pytest

from ksmart import i18n
from ksmart.ui.pages import PAGES
from tests.chromium import CHROMIUM, FLAGS, SHOTS, outside, serve, wait_ready
from tests.test_first_screen import SIZES, TABLES, check_keep_all, check_sizes

pytestmark = pytest.mark.browser

# Meeting pages with a test of their own: the Overview (its first screen).
PAGE_KEYS = [p.key for p in PAGES if p.meeting and p.key != "overview"]
CASES = [pytest.param(key, lang, size, id=f"{key}-{size}-{lang}")
         for key in PAGE_KEYS for lang in i18n.LANGS for size in SIZES]


@pytest.fixture(scope="module")
def tab(sample_store, tmp_path_factory):
    """One browser tab per language in meeting mode, moved from page to page by URL."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(sample_store, tmp_path_factory.mktemp("server")) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = chromium.new_context(locale="ko-KR")
        requests, opened, showing = [], {}, {}
        context.on("request", lambda r: requests.append(r.url))

        def open_page(key: str, lang: str, size: tuple[int, int]):
            if lang not in opened:
                opened[lang] = context.new_page()
            page = opened[lang]
            page.set_viewport_size({"width": size[0], "height": size[1]})
            query = "?mode=meeting" + ("&lang=en" if lang == "en" else "")
            if showing.get(lang) != key:
                page.goto(f"{base}/{key}{query}")
                wait_ready(page, key, lang)
                showing[lang] = key
            page.wait_for_timeout(400)  # layout after the resize
            return page

        open_page.requests = requests
        yield open_page
        chromium.close()


def shoot_whole(page, name: str, width: int, height: int) -> None:
    full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, full)})
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(300)


@pytest.mark.parametrize("key, lang, size", CASES)
def test_meeting_page_meets_the_sizes(tab, key, lang, size):
    width, height = SIZES[size]
    page = tab(key, lang, (width, height))
    shoot_whole(page, f"{key}_{width}x{height}_meeting_{lang}", width, height)  # first: a failure has its picture
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() == 0
    tables = page.evaluate(TABLES)
    assert [t for t in tables if not t["fits"] or t["cut"] or t["broken"]] == []
    check_keep_all(page)
    check_sizes(page, width)
    assert outside(tab.requests) == []
