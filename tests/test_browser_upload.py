"""An analyst in a real Chromium: signs in, uploads a workbook through the real
file uploader, sees the validation report and the preview, and commits."""

from __future__ import annotations

import shutil

import pytest

from ksmart import i18n
from ksmart.store import open_store
from tests import workbooks as wb
from tests.chromium import CHROMIUM, FLAGS, VIEWPORT, outside, screenshot, serve, wait_ready
from tests.ui_fixtures import ANALYST

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_url(sample_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "store.db"
    shutil.copy(sample_store.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def test_upload_report_preview_and_commit(store_url, tmp_path):
    from playwright.sync_api import sync_playwright

    workbook = tmp_path / "update.xlsx"
    workbook.write_bytes(wb.messy_valid())  # valid, with warnings to report
    with open_store(store_url) as store:
        before = store.latest_version()
    with serve(store_url, tmp_path) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = chromium.new_page(viewport=VIEWPORT, locale="ko-KR")
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base)
        wait_ready(page, "overview")

        page.get_by_text(i18n.t("auth.box", "ko"), exact=True).first.click()
        page.get_by_label(i18n.t("auth.name", "ko")).fill(ANALYST[0])
        page.get_by_label(i18n.t("auth.password", "ko")).fill(ANALYST[1])
        page.get_by_role("button", name=i18n.t("auth.sign_in", "ko"), exact=True).click()
        page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=i18n.t("page.data", "ko")).click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))

        page.get_by_text(i18n.t("data.warnings", "ko", n=4)).wait_for(timeout=60_000)
        page.get_by_text(i18n.t("data.preview", "ko")).wait_for()
        screenshot(page, "ko_data_upload")
        page.get_by_role("button", name=i18n.t("data.commit", "ko")).click()
        page.get_by_text(i18n.t("data.committed", "ko", version=before + 1)).wait_for(timeout=60_000)
        chromium.close()
    with open_store(store_url) as store:
        assert store.latest_version() == before + 1
        assert store.versions()[-1].user == ANALYST[0]
    assert outside(requests) == []
