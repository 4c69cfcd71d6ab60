"""The Activities page's counterparts table on a projector: 1366×768 in meeting mode, in a real
headless Chromium. Every column shows, no cell is cut, no text is smaller than meeting mode
allows, no Korean word breaks across lines, and a country link opens that country's profile
in a new tab, still in meeting mode. The screenshot goes to
artifacts/screenshots/activities_counterparts_1366x768_meeting_ko.png."""

from __future__ import annotations

import pytest

from ksmart import i18n
from tests.chromium import CHROMIUM, FLAGS, SHOTS, outside, serve, wait_ready
from tests.test_first_screen import HANGUL_BREAKS, MIN_PX

pytestmark = pytest.mark.browser

# The counterparts table (found by its first header): does it fit, which cells are cut, the
# smallest text of its cells, and the words (runs without a space) drawn on more than one line.
TABLE = r"""(first) => {
  const t = [...document.querySelectorAll('[data-testid="stMain"] table')]
    .find(t => t.querySelector('th')?.innerText.trim() === first);
  if (!t) return null;
  const box = t.parentElement.getBoundingClientRect(), r = t.getBoundingClientRect();
  const cells = [...t.querySelectorAll('td, th')], broken = [];
  for (const c of cells) {
    const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      for (const m of n.textContent.matchAll(/\S+/g)) {
        const range = document.createRange(); range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return {columns: t.querySelectorAll('th').length, rows: t.querySelectorAll('tbody tr').length,
          fits: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.right <= innerWidth,
          cut: cells.filter(c => c.scrollWidth > c.clientWidth + 0.5).map(c => c.innerText.slice(0, 30)),
          smallest: Math.min(...cells.map(c => parseFloat(getComputedStyle(c).fontSize)),
                             ...[...t.querySelectorAll('a')].map(a => parseFloat(getComputedStyle(a).fontSize))),
          broken};
}"""


def test_counterparts_table_in_meeting_mode_at_1366(sample_store, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = 1366, 768
    with serve(sample_store, tmp_path_factory.mktemp("server")) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = chromium.new_context(locale="ko-KR", viewport={"width": width, "height": height})
            requests = []
            context.on("request", lambda r: requests.append(r.url))
            page = context.new_page()
            page.goto(f"{base}/activities?mode=meeting")
            wait_ready(page, "activities")
            heading = page.locator('[data-testid="stMain"] h3').filter(has_text=i18n.t("counterparts.title", "ko"))
            heading.evaluate("e => e.scrollIntoView({block: 'start'})")  # the table on the screen
            page.wait_for_timeout(300)
            page.screenshot(path=SHOTS / f"activities_counterparts_{width}x{height}_meeting_ko.png")

            table = page.evaluate(TABLE, i18n.t("counterparts.agency", "ko"))
            assert table is not None, "no counterparts table"
            assert table["columns"] == 5 and table["rows"] >= 10, table
            assert table["fits"] and table["cut"] == [], table
            assert table["smallest"] >= MIN_PX[width], table
            assert table["broken"] == [], table
            assert page.evaluate(HANGUL_BREAKS) == []

            # the country link opens the profile in a new tab, in meeting mode
            link = page.locator('[data-testid="stMain"] table a').filter(has_text="쿠웨이트").first
            with context.expect_page() as opened:
                link.click()
            profile = opened.value
            wait_ready(profile, "countries")
            assert "mode=meeting" in profile.url and "country=KWT" in profile.url
            picked = profile.evaluate("() => [...document.querySelectorAll('[data-testid=\"stMain\"] "
                                      "[data-testid=\"stSelectbox\"] input')].map(i => i.value + ' ' + "
                                      "(i.getAttribute('aria-label') || '')).join(' ')")
            assert i18n.country("KWT", "ko") in picked
            assert profile.locator('[data-testid="stSidebar"]').is_hidden()  # meeting mode: no sidebar
            assert outside(requests) == []
        finally:
            chromium.close()
