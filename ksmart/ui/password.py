"""The forced password change: a user whose password fails the policy (or predates it and
was flagged by `migrate`) sets a new one before anything else.

`must_change_form(url, lang, actor)` is called after sign-in: it returns True
(and shows the form) while the change is pending, False otherwise; the caller
stops the page while it is True. The flag is read from the store on every run
(`Store.must_change`), not from the session, so it holds on every server and
after a reload. The change itself checks the current password as a sign-in
does (throttled per name and client, audited) and the new one against the policy.
"""

from __future__ import annotations

import streamlit as st

from ksmart import auth, i18n
from ksmart.errors import KsmartError
from ksmart.ui import data

_FAILURE, _DONE = "_password_failure", "_password_changed"
# widget key -> its label
KEYS = {"password_current": "security.current", "password_new": "security.new", "password_again": "security.again"}


def must_change_form(url: str, lang: str, actor: auth.Actor | None) -> bool:
    """True while `actor` must set a new password (the form is shown); False otherwise."""
    if st.session_state.pop(_DONE, False):
        st.success(i18n.t("security.changed", lang))
    if actor is None or actor.via != "password":
        return False
    if not (actor.must_change or data.store(url).must_change(actor.name)):
        return False
    st.subheader(i18n.t("security.must_change_title", lang))
    st.warning(i18n.t("security.must_change_body", lang))
    with st.form("password_change_form"):
        for key, label in KEYS.items():
            st.text_input(i18n.t(label, lang), type="password", key=key)
        st.form_submit_button(i18n.t("security.change", lang), on_click=_submit, args=(url, lang, actor.name))
    failure = st.session_state.pop(_FAILURE, None)
    if failure:
        st.error(failure)
    return True


def _client() -> str | None:
    """The browser's address as Streamlit sees it (None in tests and behind some proxies)."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) else None


def _submit(url: str, lang: str, name: str) -> None:
    current, new, again = (st.session_state.pop(key, "") for key in KEYS)
    if new != again:
        st.session_state[_FAILURE] = i18n.t("error.password_mismatch", lang)
        return
    try:
        data.store(url).change_password(name, current, new, client=_client())
    except KsmartError as exc:
        st.session_state[_FAILURE] = exc.message(lang)
        return
    st.session_state[_DONE] = True
