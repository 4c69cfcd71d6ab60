"""The Data page's parts: template, upload → report → preview → commit, versions, users.

An unsaved upload lives only in this session's `st.session_state` (never in
`st.cache_data`, which every session shares). Every write goes through the
domain (`ksmart.store.importing`, `Store.rollback`, `Store.add_user`) with the
signed-in `Actor`, and the store checks the role again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pandas as pd
import streamlit as st

from ksmart import i18n, settings
from ksmart import reference as ref
from ksmart.auth import ROLES, Actor
from ksmart.errors import FileRejected, KsmartError
from ksmart.ingest import template
from ksmart.ingest.xlsx_safety import Limits, check_xlsx
from ksmart.present import exporting
from ksmart.store import importing
from ksmart.ui import data, pages, state
from ksmart.ui.layout import md
from ksmart.ui.state import View

UPLOAD = "_upload"  # this session's unsaved upload: {"sha", "name", "mode", "result"}
_COMMIT, _ROLLBACK, _FLASH = "_commit_requested", "_rollback_requested", "_data_flash"
REPORT_COLUMNS = ["sheet", "row", "column", "cell", "value", "message"]


def template_download(view: View) -> None:
    buffer = io.BytesIO()
    template.write_template(buffer)
    st.download_button(view.t("data.template"), buffer.getvalue(), file_name="ksmart_template.xlsx",
                       mime=exporting.XLSX_MIME, key="template_download")


def uploaded_file(view: View) -> bytes | None:
    """The workbook this session uploaded (kept across reruns until committed or removed)."""
    upload = st.file_uploader(view.t("data.upload"), type=["xlsx"], key="uploader",
                              help=view.t("data.upload_help", max_mb=f"{settings.get('KSMART_MAX_UPLOAD_MB'):g}"))
    if upload is None:
        st.session_state.pop(UPLOAD, None)
        return None
    return upload.getvalue()


def checked(view: View, content: bytes, mode: str):
    """Validate the upload for `mode` (once per file and mode, kept in this session);
    a whole-file rejection is shown and stops the page.

    The browser's file type is not trusted: the content's signature is checked here again.
    """
    sha = hashlib.sha256(content).hexdigest()
    kept = st.session_state.get(UPLOAD)
    if kept and kept["sha"] == sha and kept["mode"] == mode:
        return kept["result"]
    try:
        check_xlsx(content, Limits.from_settings(), count_rows=False)  # the cells are judged as they are read
        result = importing.validate_upload(data.store(view.url), content, mode=mode)
    except FileRejected as exc:
        st.session_state.pop(UPLOAD, None)
        st.error(view.t("data.rejected", message=exc.message(view.lang)))
        st.stop()
    st.session_state[UPLOAD] = {"sha": sha, "mode": mode, "result": result}
    return result


def report(view: View, result) -> None:
    """Errors and warnings apart, as tables, and the whole report as .xlsx."""
    frame = result.report_frame(view.lang)
    errors, warnings = frame[frame["level"] == "error"], frame[frame["level"] == "warning"]
    headers = {c: view.t("report.sheet_col" if c == "sheet" else f"report.{c}") for c in REPORT_COLUMNS}
    # A report lists at most MAX_PER_CODE problems per reason; the frame ends with one row per reason
    # saying how many more were counted, and the totals count them all.
    if len(errors):
        st.error(view.t("data.errors", n=result.total("error")))
        st.dataframe(errors[REPORT_COLUMNS].rename(columns=headers), hide_index=True, key="report_errors")
    if len(warnings):
        st.warning(view.t("data.warnings", n=result.total("warning")))
        st.dataframe(warnings[REPORT_COLUMNS].rename(columns=headers), hide_index=True, key="report_warnings")
    if not len(errors):
        st.success(view.t("data.valid", counts=_counts(view, result.counts)))
    if len(frame):
        table = frame.rename(columns={**headers, "level": view.t("report.level"), "code": view.t("report.code")})
        st.download_button(view.t("data.report_download"), exporting.table_xlsx_bytes(table, view.t("report.sheet")),
                           file_name="ksmart_validation_report.xlsx", mime=exporting.XLSX_MIME, key="report_download")


def _counts(view: View, counts: dict) -> str:
    return ", ".join(f"{ref.SHEETS[key].label(view.lang)} {n:,}" for key, n in counts.items())


def preview(view: View, result, mode: str) -> bool:
    """What the commit would change, per sheet, before anything is written. True if anything would."""
    changes = importing.preview_upload(data.store(view.url), result, mode=mode)
    rows = []
    for sheet, change in changes.items():
        label = ref.SHEETS[sheet].label(view.lang)
        rows += [{"sheet": label, "kind": view.t("change.added"), "id": i, "fields": ""} for i in change.added]
        rows += [{"sheet": label, "kind": view.t("change.removed"), "id": i, "fields": ""} for i in change.removed]
        rows += [{"sheet": label, "kind": view.t("change.changed"), "id": i,
                  "fields": ", ".join(ref.SHEETS[sheet].by_key[f].header(view.lang) for f in fields)} for i, fields in change.changed.items()]
    if not rows:
        st.info(view.t("data.no_changes"))
        return False
    summary = pd.DataFrame(rows)
    counts = summary.groupby(["sheet", "kind"], sort=False).size()
    st.markdown(" · ".join(f"{s} {k} {n:,}" for (s, k), n in counts.items()))
    headers = {"sheet": view.t("report.sheet_col"), "kind": view.t("change.kind"), "id": "ID",
               "fields": view.t("change.fields")}
    st.dataframe(summary.rename(columns=headers), hide_index=True, key="preview_table")
    return True


def _request(key: str, value) -> None:
    st.session_state[key] = value


def commit_button(view: View) -> None:
    # The click only leaves a request; `commit` does the work in the page's own
    # run, so the progress shows and no rerun can swallow the click.
    st.button(view.t("data.commit"), key="commit", type="primary",
              on_click=_request, args=(_COMMIT, True))


def commit_if_requested(view: View, actor: Actor, result, mode: str, reference_date: dt.date, note: str) -> None:
    if not st.session_state.pop(_COMMIT, False):
        return
    progress = st.progress(10, text=view.t("data.committing"))
    try:
        info = importing.commit_upload(data.store(view.url), result, mode=mode, actor=actor,
                                       reference_date=reference_date, note=note)
    except KsmartError as exc:
        progress.empty()
        st.error(exc.message(view.lang))
        return
    progress.progress(100, text=view.t("data.committed_progress"))
    st.session_state.pop(UPLOAD, None)
    st.session_state.pop("uploader", None)
    st.session_state[_FLASH] = view.t("data.committed", version=info.number) if info else view.t("data.no_changes")
    st.rerun()


def flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def versions_table(view: View) -> list:
    versions = data.versions(view.url, view.latest)
    rows = [{
        view.t("versions.number"): v.number,
        view.t("versions.reference_date"): i18n.day(v.reference_date),
        view.t("versions.committed_at"): f"{settings.local_time(v.committed_at):%Y-%m-%d %H:%M %Z}",
        view.t("versions.user"): v.user,
        view.t("versions.kind"): view.t("kind." + v.kind),
        view.t("versions.counts"): _counts(view, v.counts),
        view.t("versions.note"): v.note,
    } for v in reversed(versions)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="versions_table")
    return versions


def version_actions(view: View, actor: Actor, versions: list) -> None:
    """View, download or roll back to any version (rollback asks for confirmation)."""
    numbers = [v.number for v in reversed(versions)]
    chosen = st.selectbox(view.t("versions.choose"), numbers, key="version_choice",
                          format_func=lambda n: view.t("side.version_option", version=n,
                                                       date=i18n.day(versions[n - 1].reference_date)))
    info = versions[chosen - 1]
    left, middle, right = st.columns(3)
    if left.button(view.t("versions.view"), key="version_view"):
        st.session_state[state.REFERENCE] = chosen
        pages.switch(pages.HOME)
    middle.download_button(view.t("versions.download"), _version_xlsx(view.url, chosen),
                           file_name=f"ksmart_v{chosen}.xlsx", mime=exporting.XLSX_MIME, key="version_download")
    with right.popover(view.t("versions.rollback"), disabled=chosen == view.latest):
        st.warning(view.t("versions.rollback_confirm", version=chosen, date=i18n.day(info.reference_date)))
        st.button(view.t("versions.rollback_do"), key="rollback_confirm", type="primary",
                  on_click=_request, args=(_ROLLBACK, chosen))
    _rollback_if_requested(view, actor)


def _rollback_if_requested(view: View, actor: Actor) -> None:
    target = st.session_state.pop(_ROLLBACK, None)
    if target is None:
        return
    try:
        new = data.store(view.url).rollback(target, user=actor)
    except KsmartError as exc:
        st.error(exc.message(view.lang))
        return
    st.session_state[_FLASH] = view.t("versions.rolled_back", version=new.number, target=target)
    st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _version_xlsx(url: str, number: int) -> bytes:
    store = data.store(url)
    snapshot = store.read(number)
    return exporting.xlsx_bytes(snapshot.frames, reference_date=snapshot.version.reference_date,
                                illustrative=snapshot.version.illustrative, version=number, store_id=store.store_id())


def users_admin(view: View, actor: Actor) -> None:
    store = data.store(view.url)
    st.dataframe(pd.DataFrame(store.users()).rename(columns={
        "name": view.t("auth.name"), "role": view.t("users.role"), "created_at": view.t("users.created")}),
        hide_index=True, key="users_table")
    with st.form("user_add", clear_on_submit=True):
        name = st.text_input(view.t("auth.name"), key="new_user_name")
        role = st.selectbox(view.t("users.role"), ROLES, key="new_user_role",
                            format_func=lambda r: view.t("role." + r))
        password = st.text_input(view.t("auth.password"), type="password", key="new_user_password")
        if st.form_submit_button(view.t("users.add")):
            try:
                store.add_user(name, role, password, by=actor)
                st.success(view.t("users.added", name=md(name)))
            except KsmartError as exc:
                st.error(exc.message(view.lang))
