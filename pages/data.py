"""데이터 관리 Data: analysts upload, check, preview and commit workbooks; versions and rollback.

Only analysts and admins get past `require`; the store checks the role again
on every write.
"""

import datetime

import streamlit as st

from ksmart import ui

view = ui.page("data", allow_empty=True)
actor = ui.signin.require(view.url, view.lang, "analyst")
ui.upload.flash()

st.subheader(view.t("data.upload_title"))
ui.upload.template_download(view)
content = ui.upload.uploaded_file(view)
if content is not None:
    mode = st.radio(view.t("data.mode"), ["update", "replace"], key="upload_mode", horizontal=True,
                    format_func=lambda m: view.t("mode." + m), help=view.t("data.mode_help"))
    result = ui.upload.checked(view, content, mode)
    ui.upload.report(view, result)
    if result.ok:
        st.markdown(f"#### {view.t('data.preview')}")
        if ui.upload.preview(view, result, mode):
            reference_date = st.date_input(view.t("data.reference_date"), key="upload_reference_date",
                                           value=result.reference_date or datetime.date.today())
            note = st.text_input(view.t("data.note"), key="upload_note")
            ui.upload.commit_button(view)
            ui.upload.commit_if_requested(view, actor, result, mode, reference_date, note)

if not view.empty:
    st.subheader(view.t("versions.title"))
    versions = ui.upload.versions_table(view)
    ui.upload.version_actions(view, actor, versions)

if actor.can("admin"):
    st.subheader(view.t("users.title"))
    ui.upload.users_admin(view, actor)
