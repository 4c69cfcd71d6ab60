"""The far-cell workbook through the real uploader: the server answers with the message and stays up.

Before issue 18 a single cell at XFD1048576 made calamine abort the server process:
every signed-in analyst's session gone at once.
"""

from __future__ import annotations

import pytest

from ksmart import i18n
from tests import workbooks as wb
from tests.chromium import CHROMIUM, FLAGS, VIEWPORT, copy_of_store, serve, sign_in_and_open_data, wait_ready
from tests.corpus_realworld import far_cell
from tests.ui_fixtures import ANALYST

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_url(sample_store, tmp_path_factory):
    return copy_of_store(sample_store, tmp_path_factory.mktemp("far_cell"))


def test_the_far_cell_file_gets_its_message_and_the_server_stays_up(store_url, tmp_path):
    from playwright.sync_api import sync_playwright

    far = tmp_path / "far.xlsx"
    far.write_bytes(far_cell("XFD1048576", "A1"))
    valid = tmp_path / "valid.xlsx"
    valid.write_bytes(wb.messy_valid())
    with serve(store_url, tmp_path) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = chromium.new_page(viewport=VIEWPORT, locale="ko-KR")
        page.goto(base)
        wait_ready(page, "overview")
        sign_in_and_open_data(page, *ANALYST)
        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        uploader.set_input_files(str(far))
        alert = page.locator('[data-testid="stAlert"]').filter(has_text="XFD1048576")
        alert.wait_for(timeout=60_000)
        assert "Projects" in alert.inner_text()
        # the same server, the same session: the next upload is validated as usual
        uploader.set_input_files(str(valid))
        page.get_by_text(i18n.t("data.preview", "ko")).wait_for(timeout=60_000)
        # and a new visitor is served too
        other = chromium.new_page(viewport=VIEWPORT, locale="ko-KR")
        other.goto(base)
        wait_ready(other, "overview")
        chromium.close()
