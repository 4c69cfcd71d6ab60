"""Issue 17 in a real Chromium, against the st.App entry as deployed (`streamlit run server.py`):
a reload keeps the sign-in, sign-out ends it, no other site can frame the dashboard, and a
stored-data export's `/media/…` address is refused without the sign-in's cookie.

On the code before issue 17 a reload signed the user out, any page could frame the
dashboard, and the export's address worked for anyone until the session expired.
"""

from __future__ import annotations

import shutil

import pytest

from ksmart import i18n
from tests.chromium import CHROMIUM, FLAGS, VIEWPORT, outside, serve, wait_ready
from tests.ui_fixtures import ANALYST

pytestmark = pytest.mark.browser
SIGNED_IN = i18n.t("auth.signed_in", "ko", name=ANALYST[0], role=i18n.t("role.analyst", "ko"))


@pytest.fixture(scope="module")
def server(sample_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser_security")
    shutil.copy(sample_store.removeprefix("sqlite:///"), folder / "store.db")
    with serve(f"sqlite:///{folder / 'store.db'}", folder) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def sign_in(page, user=ANALYST) -> None:
    """Through the sidebar's form, as a person does: the form posts, the page comes back signed in."""
    page.get_by_role("button", name=i18n.t("auth.box", "ko"), exact=True).first.click()
    page.get_by_label(i18n.t("auth.name", "ko")).fill(user[0])
    page.get_by_label(i18n.t("auth.password", "ko")).fill(user[1])
    page.locator("form.ks-auth button[type=submit]").click()
    page.wait_for_load_state()
    wait_ready(page, "overview")


def signed_in(page) -> bool:
    return page.locator('[data-testid="stSidebar"]').get_by_text(SIGNED_IN).count() > 0


def data_page_listed(page) -> bool:
    return page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=i18n.t("page.data", "ko")).count() > 0


def test_a_reload_keeps_the_sign_in_and_sign_out_ends_it(server, chromium):
    context = chromium.new_context(viewport=VIEWPORT, locale="ko-KR")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server)
    wait_ready(page, "overview")
    assert not data_page_listed(page)
    sign_in(page)
    assert data_page_listed(page)
    session_cookie = next(c for c in context.cookies() if c["name"] == "ksmart_session")
    assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Strict"
    assert page.evaluate("() => document.cookie").find("ksmart_session") < 0  # no script can read it

    page.reload()
    wait_ready(page, "overview")
    page.locator('[data-testid="stSidebar"]').get_by_text(i18n.t("auth.box", "ko"), exact=True).first.click()
    assert signed_in(page) and data_page_listed(page)

    page.get_by_role("button", name=i18n.t("auth.sign_out", "ko"), exact=True).click()
    page.wait_for_load_state()
    wait_ready(page, "overview")
    assert not data_page_listed(page)
    assert not [c for c in context.cookies() if c["name"] == "ksmart_session"]
    # The cookie as it was, put back (e.g. copied before the sign-out): the store ended the session.
    context.add_cookies([session_cookie])
    page.reload()
    wait_ready(page, "overview")
    assert not data_page_listed(page)
    assert outside(requests) == []
    context.close()


def test_no_other_site_can_frame_the_dashboard(server, chromium):
    page = chromium.new_page(viewport=VIEWPORT)
    response = page.goto(server)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    page.set_content(f'<iframe id="f" src="{server}/" width="800" height="600"></iframe>')
    page.wait_for_timeout(3000)
    frame = page.frame_locator("#f")
    assert frame.locator('[data-testid="stApp"]').count() == 0  # Chromium refused to draw it
    page.close()


def test_an_exports_media_address_is_refused_without_the_cookie(server, chromium):
    context = chromium.new_context(viewport=VIEWPORT, locale="ko-KR", accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    wait_ready(page, "overview")
    sign_in(page)
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=i18n.t("page.data", "ko")).click()
    button = page.get_by_role("button", name=i18n.t("versions.download", "ko"))
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    address = download.value.url
    assert "/media/" in address and download.value.suggested_filename.endswith(".xlsx")

    assert context.request.get(address).status == 200  # with the analyst's cookie
    stranger = chromium.new_context()  # someone who read the address in a proxy log
    assert stranger.request.get(address).status == 403
    stranger.close()
    context.close()
