"""The Data page in AppTest: the upload flow, roles, session isolation, and a
corpus of bad files that each give their message and leave the store unchanged."""

from __future__ import annotations

import io
import shutil

import pytest

from devkit import synthetic
from ksmart import i18n
from ksmart.auth import Actor
from ksmart.ingest.validation import validate_workbook
from ksmart.store import open_store
from tests import workbooks as wb
from tests.corpus_badfiles import bad_files
from tests.ui_fixtures import ADMIN, ANALYST, VIEWER, app, sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_PAGE = "pages/data.py"


@pytest.fixture
def store_copy(sample_store, tmp_path):
    """A private copy of the seeded sample store (this module writes to it)."""
    path = tmp_path / "store.db"
    shutil.copy(sample_store.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def data_page(url, monkeypatch, user=ANALYST):
    at = app(url, monkeypatch)
    sign_in(at, user)
    return at.switch_page(DATA_PAGE).run()


def upload(at, content: bytes, name: str = "update.xlsx"):
    at.get("file_uploader")[0].upload(name, content, XLSX)
    return at.run()


def table(at, column: str):
    """The shown table that has `column` (AppTest does not expose st.dataframe keys), or None."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def _workbook(frames) -> bytes:
    buffer = io.BytesIO()
    synthetic.write_workbook(frames, buffer)
    return buffer.getvalue()


# --- roles ----------------------------------------------------------------------------


def _data_page_listed(at) -> bool:
    try:
        at.switch_page(DATA_PAGE)
        return True
    except ValueError:  # AppTest only knows the pages the navigation registered
        return False


def test_anonymous_viewers_do_not_see_the_data_page(store_copy, monkeypatch):
    at = app(store_copy, monkeypatch)
    assert not _data_page_listed(at)


def test_a_signed_in_viewer_does_not_see_it_either(store_copy, monkeypatch):
    at = app(store_copy, monkeypatch)
    sign_in(at, VIEWER)
    assert any("viewer1" in c.value for c in at.caption)  # really signed in
    assert not _data_page_listed(at)


def test_a_tampered_session_state_grants_nothing(store_copy, monkeypatch):
    at = app(store_copy, monkeypatch)
    at.session_state["_signin_token"] = "forged-token"
    at.session_state["actor"] = Actor("mallory", "admin")
    at.session_state["role"] = "admin"
    at.run()
    assert not _data_page_listed(at)


def test_analysts_and_admins_see_it(store_copy, monkeypatch):
    for user in (ANALYST, ADMIN):
        at = data_page(store_copy, monkeypatch, user)
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value == i18n.t("page.data", "ko")
        assert at.get("file_uploader")
    assert at.get("text_input") and any(s.value == i18n.t("users.title", "ko") for s in at.subheader)  # admin


def test_a_wrong_password_is_refused_with_a_message(store_copy, monkeypatch):
    at = app(store_copy, monkeypatch)
    sign_in(at, ("analyst1", "wrong-password"))
    assert at.error and "비밀번호" in at.error[0].value
    assert not _data_page_listed(at)


# --- the upload flow ----------------------------------------------------------------------


def test_valid_file_preview_commit_and_rollback(store_copy, monkeypatch):
    with open_store(store_copy) as store:
        latest = store.latest_version()
        frames = store.read().frames
    projects = frames["projects"].copy()
    projects.loc[0, "stage"] = "negotiation" if projects.loc[0, "stage"] != "negotiation" else "proposal"
    at = data_page(store_copy, monkeypatch)
    at = upload(at, _workbook({"projects": projects}))
    assert not at.exception, [e.value for e in at.exception]
    assert any(i18n.t("data.valid", "ko", counts="")[:5] in s.value for s in at.success)
    preview = table(at, "ID")
    assert list(preview["ID"]) == [projects.loc[0, "project_id"]]
    assert preview.iloc[0, 3] == "단계"  # the changed field, by its Korean header

    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with open_store(store_copy) as store:
        assert store.latest_version() == latest + 1
        assert store.versions()[-1].user == "analyst1"
    assert any(f"버전 {latest + 1}" in s.value for s in at.success)

    at.selectbox(key="version_choice").set_value(latest).run()
    at.button(key="rollback_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with open_store(store_copy) as store:
        assert store.latest_version() == latest + 2
        assert store.versions()[-1].kind == "rollback"


def test_file_with_errors_shows_the_report_and_no_commit(store_copy, monkeypatch):
    at = data_page(store_copy, monkeypatch)
    with open_store(store_copy) as store:  # after signing in, which the audit log records
        before = store.dump()
    at = upload(at, wb.with_cell("1,5"))
    errors = table(at, "내용")
    assert list(errors.columns) == ["시트", "행", "열", "값", "내용"]
    assert errors.iloc[0].tolist()[:4] == ["사업", 2, "사업비(백만달러)", "1,5"]
    assert not [b for b in at.button if b.key == "commit"]
    assert at.get("download_button")  # the report as .xlsx
    with open_store(store_copy) as store:
        assert store.dump() == before


def test_replace_mode_preview_lists_the_removals(store_copy, monkeypatch):
    with open_store(store_copy) as store:
        projects = store.read().frames["projects"]
    kept, dropped = projects.iloc[:-3], projects["project_id"].iloc[-3:].tolist()
    at = data_page(store_copy, monkeypatch)
    at = upload(at, _workbook({"projects": kept}))
    at.radio(key="upload_mode").set_value("replace").run()
    preview = table(at, "ID")
    removed = preview[preview.iloc[:, 1] == i18n.t("change.removed", "ko")]["ID"].tolist()
    assert sorted(removed) == sorted(dropped)


def test_an_unsaved_upload_stays_in_its_own_session(store_copy, monkeypatch):
    first = data_page(store_copy, monkeypatch)
    first = upload(first, wb.with_cell("1,5"))
    assert table(first, "내용") is not None
    second = data_page(store_copy, monkeypatch)
    assert "_upload" not in second.session_state
    assert table(second, "내용") is None and table(second, "ID") is None


# --- bad files through the upload path ---------------------------------------------------------


# The page has one path for every rejection (ui.upload.checked: FileRejected -> st.error, stop):
# `make test-fast` sends one file per stage of the checks through it, `make test` all 32;
# test_xlsx_safety.py checks every case's code and message without the page, in both.
FAST_CASES = ("plain_text", "truncated_zip", "xlsm_vba_project", "zip_bomb_ratio", "entity_bomb_sheet",
              "too_many_rows_streamed")


def _cases() -> list:
    cases = sorted(bad_files())  # built once per session, shared with `bad_corpus`
    assert set(FAST_CASES) <= set(cases)
    return [case if case in FAST_CASES else pytest.param(case, marks=pytest.mark.slow) for case in cases]


@pytest.mark.parametrize("case", _cases())
def test_every_bad_file_gives_its_message_and_changes_nothing(case, bad_corpus, store_copy, monkeypatch):
    content, code, limits = bad_corpus[case]  # built once per session (conftest.py)
    assert limits is None, "the upload path checks with the default limits"
    at = data_page(store_copy, monkeypatch)
    with open_store(store_copy) as store:  # after signing in, which the audit log records
        before = store.dump()
    at = upload(at, content, f"{case}.xlsx")
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, case
    assert not [b for b in at.button if b.key == "commit"]
    with open_store(store_copy) as store:
        assert store.dump() == before


CELL_ERRORS = {
    "bad_number": wb.with_cell("1,5"),
    "unknown_stage": wb.with_cell("착공", "단계"),
    "unknown_country": wb.with_cell("쿠웨잇", "국가"),
    "missing_name": wb.with_cell(None, "사업명"),
    "bad_date": wb.with_cell("10월 중", "단계변경일"),
    "bad_percent": wb.with_cell("150%", "수주확률"),
}


@pytest.mark.parametrize("case", sorted(CELL_ERRORS))
def test_cell_errors_are_reported_at_their_cell(case, store_copy, monkeypatch):
    expected = validate_workbook(CELL_ERRORS[case]).errors[0]
    at = data_page(store_copy, monkeypatch)
    at = upload(at, CELL_ERRORS[case])
    row = table(at, "내용").iloc[0]
    assert (row["행"], row["열"], row["내용"]) == (expected.row, expected.column, expected.message("ko"))
