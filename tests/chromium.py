"""Debian's Chromium driving the dashboard: what test_browser.py, test_browser_upload.py,
test_offline_guard.py and test_bundle.py share (never `playwright install`, which
downloads a browser).

    chromium_or_skip()      skip without /usr/bin/chromium (fail under CI=true)
    serve(url, log_dir)     `streamlit run server.py` on a free loopback port over a store
    Browser(page, base)     one page and every request it made; `show` opens a page of the app
    wait_ready, visit       a page of the app finished rendering, every chart drawn
    screenshot, check_page  a full-page picture; no exception, the title, every chart titled
    outside(urls)           the requests that left 127.0.0.1
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ksmart import i18n
from tests.service import serve_app
from tests.ui_fixtures import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1600, "height": 900}
# Charts each page draws on the sample store (the Countries page has tables only).
CHARTS = {"overview": 2, "map": 1, "pipeline": 1, "countries": 0, "technologies": 2, "activities": 1}
# Every chart of the page, in page order: `st.plotly_chart`'s elements and the Overview's
# bar charts in HTML (ksmart.present.htmlcharts).
PLOTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"], .ks-chart')]"""
# Finished rendering (TECH_NOTES), showing `title`, with every chart drawn (its `.main-svg`, or bars)
# and at least `charts` of them.
READY = f"""({{title, charts, deck}}) => {{
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || app.getAttribute('data-test-script-state') !== 'notRunning'
      || document.querySelector('[data-testid="stSkeleton"]')) return false;
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  const plots = ({PLOTS})();
  return !!h1 && h1.innerText.trim() === title && plots.length >= charts
    && plots.every(c => c.querySelector('.main-svg, .ks-bars'))
    && (!deck || !!document.querySelector('[data-testid="stDeckGlJsonChart"] canvas'));
}}"""
# What a reader sees of each drawn chart, in page order: [title, subtitle].
CHART_TITLES = f"""() => ({PLOTS})().map(c => [c.querySelector('.gtitle, .ks-title')?.textContent,
                                               c.querySelector('.gtitle-subtitle, .ks-caption')?.textContent])"""


def chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs this test")


@contextlib.contextmanager
def serve(store_url: str, log_dir: Path, env: dict | None = None):
    """The app's `st.App` entry (`streamlit run server.py`) on a free loopback port over
    `store_url` (tests/service.py `serve_app`); yields its base URL."""
    chromium_or_skip()
    with serve_app(store_url, log_dir, env) as base:
        yield base


class Browser:
    """One Chromium page and every request it made; `show` opens a page of
    the app in a language or meeting mode, by URL for a new session and by
    the navigation links within one (much faster than reloading)."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.requests: list[str] = []
        self.session: str | None = None  # "ko", "en" or "meeting"
        page.on("request", lambda r: self.requests.append(r.url))

    def show(self, key: str, session: str = "ko") -> None:
        lang = "en" if session == "en" else "ko"
        if session != self.session:
            query = {"ko": "", "en": "?lang=en", "meeting": "?mode=meeting"}[session]
            visit(self.page, self.base, key, query, lang)
            self.session = session
            return
        title = i18n.t(f"page.{key}", lang)
        self.page.locator('[data-testid="stSidebarNavLink"], [data-testid="stTopNavLink"]').filter(
            has_text=title).first.click()
        wait_ready(self.page, key, lang)


def outside(urls: list[str]) -> list[str]:
    """Requests to anywhere but this machine (blob: URLs carry their origin)."""
    bad = []
    for url in urls:
        parts = urlsplit(url.removeprefix("blob:"))
        if parts.scheme == "data":
            continue
        if parts.hostname != "127.0.0.1":
            bad.append(url)
    return bad


def wait_ready(page, key: str, lang: str = "ko") -> None:
    page.wait_for_function(READY, arg={"title": i18n.t(f"page.{key}", lang), "charts": CHARTS.get(key, 0),
                                       "deck": key == "map"}, timeout=60_000)
    page.wait_for_timeout(400)  # plotly and deck.gl paint after their element appears


def visit(page, base: str, key: str, query: str = "", lang: str = "ko") -> None:
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{base}/{'' if key == 'overview' else key}{query}")
    wait_ready(page, key, lang)


def screenshot(page, name: str) -> Path:
    """A full-page picture: stMain scrolls by itself, so the viewport grows to its height first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
    page.wait_for_timeout(500)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(VIEWPORT)
    return path


def check_page(page, key: str, lang: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().strip() == i18n.t(f"page.{key}", lang)
    titles = page.evaluate(CHART_TITLES)
    assert len(titles) >= CHARTS.get(key, 0)
    assert all(title for title, _ in titles), titles  # every chart drawn, with its title
    if key == "map":
        assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() >= 1


def copy_of_store(sample_store: str, folder: Path) -> str:
    """A copy of the sample store in `folder` that a test may change (the URL)."""
    import shutil

    path = folder / "store.db"
    shutil.copy(sample_store.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def sign_in_and_open_data(page, name: str, password: str) -> None:
    """In the sidebar (Korean): sign in as `name`, then open the Data page."""
    page.get_by_text(i18n.t("auth.box", "ko"), exact=True).first.click()
    page.get_by_label(i18n.t("auth.name", "ko")).fill(name)
    page.get_by_label(i18n.t("auth.password", "ko")).fill(password)
    page.get_by_role("button", name=i18n.t("auth.sign_in", "ko"), exact=True).click()
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=i18n.t("page.data", "ko")).click()
