"""An analyst in a real Chromium: signs in, uploads a workbook through the real
file uploader, sees the validation report and the preview, and commits."""

from __future__ import annotations

import pytest

from ksmart import i18n
from ksmart.store import open_store
from tests import workbooks as wb
from tests.chromium import (
    CHROMIUM,
    FLAGS,
    VIEWPORT,
    copy_of_store,
    outside,
    screenshot,
    serve,
    sign_in_and_open_data,
    wait_ready,
)
from tests.ui_fixtures import ANALYST

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_url(sample_store, tmp_path_factory):
    return copy_of_store(sample_store, tmp_path_factory.mktemp("upload"))


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

        sign_in_and_open_data(page, *ANALYST)
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
