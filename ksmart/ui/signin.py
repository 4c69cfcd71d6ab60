"""Who is using this session: embedded sign-in or OpenID Connect, resolved on every run.

The session keeps only an opaque sign-in token; the name behind it lives in a
server-side registry and the role is read from the store on every run. So
putting an `Actor`, a role or a made-up token into `st.session_state` grants
nothing, and a role changed by an admin takes effect at the next rerun.

Where the deployment configures OpenID Connect (`[auth]` in secrets.toml),
`st.login` is used instead, and the role comes from `[ksmart_roles]` there:
`emails = {"a@molit.go.kr" = "admin"}`, `groups = {"ksmart-analysts" = "analyst"}`,
`default = "viewer"`.
"""

from __future__ import annotations

import secrets
import threading

import streamlit as st

from ksmart import auth, i18n, settings
from ksmart.errors import PermissionDenied
from ksmart.ui import data

TOKEN = "_signin_token"
_OPEN = auth.Actor("", "viewer", via="open")


@st.cache_resource(show_spinner=False)
def _registry() -> tuple[dict[str, str], threading.Lock]:
    """token -> user name, for this server process (never handed to the browser)."""
    return {}, threading.Lock()


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _oidc_actor() -> auth.Actor | None:
    if not getattr(st.user, "is_logged_in", False):
        return None
    claims = st.user.to_dict()
    mapping = dict(st.secrets.get("ksmart_roles", {}))
    name = str(claims.get("email") or claims.get("name") or "oidc")
    return auth.Actor(name, auth.role_from_claims(claims, mapping), via="oidc")


def _embedded_actor(url: str) -> auth.Actor | None:
    token = st.session_state.get(TOKEN)
    if not isinstance(token, str):
        return None
    names, lock = _registry()
    with lock:
        name = names.get(token)
    if name is None:
        return None
    role = next((u["role"] for u in data.store(url).users() if u["name"] == name), None)
    return auth.Actor(name, role, via="password") if role else None


def actor(url: str) -> auth.Actor | None:
    """The signed-in user, the open viewer (when viewers need not sign in), or None."""
    signed_in = _oidc_actor() if oidc_configured() else _embedded_actor(url)
    if signed_in is not None:
        return signed_in
    return None if settings.get("KSMART_REQUIRE_LOGIN") else _OPEN


def sign_in(url: str, name: str, password: str) -> auth.Actor:
    """Check the password against the store and open the session (PermissionDenied otherwise)."""
    signed_in = data.store(url).authenticate(name, password)
    token = secrets.token_urlsafe(32)
    names, lock = _registry()
    with lock:
        names[token] = signed_in.name
    st.session_state[TOKEN] = token
    return signed_in


def sign_out() -> None:
    token = st.session_state.pop(TOKEN, None)
    names, lock = _registry()
    with lock:
        names.pop(token, None)


def panel(url: str, lang: str, current: auth.Actor | None) -> None:
    """The sign-in box (sidebar or page): a form, or who is signed in with a sign-out button."""
    if current is not None and current.via != "open":
        st.caption(i18n.t("auth.signed_in", lang, name=current.name, role=i18n.t(f"role.{current.role}", lang)))
        if current.via == "oidc":
            st.button(i18n.t("auth.sign_out", lang), key="sign_out", on_click=st.logout)
        else:
            st.button(i18n.t("auth.sign_out", lang), key="sign_out", on_click=sign_out)
        return
    if oidc_configured():
        st.button(i18n.t("auth.sign_in_sso", lang), key="sign_in_sso", on_click=st.login)
        return
    with st.form("sign_in_form", border=False):
        st.text_input(i18n.t("auth.name", lang), key="sign_in_name")
        st.text_input(i18n.t("auth.password", lang), type="password", key="sign_in_password")
        # A callback, not the button's return value: it runs before the script,
        # whichever page the rerun starts with.
        st.form_submit_button(i18n.t("auth.sign_in", lang), on_click=_submit, args=(url, lang))
    failure = st.session_state.pop(_FAILURE, None)
    if failure:
        st.error(failure)


_FAILURE = "_signin_failure"
_FORM_OPEN = "_signin_form_open"


def _open_form() -> None:
    st.session_state[_FORM_OPEN] = True


def sidebar_box(url: str, lang: str, current: auth.Actor | None) -> None:
    """The sidebar's sign-in box. Until someone asks for the form it is a button: a
    text box on the first screen makes every cold page load fetch Streamlit's
    input code (six script files; issue 8's Overview timing)."""
    with st.sidebar:
        signed_in = current is not None and current.via != "open"
        if not signed_in and not st.session_state.get(_FORM_OPEN):
            st.button(i18n.t("auth.box", lang), key="open_sign_in", icon=":material/login:", width="stretch",
                      on_click=_open_form)
            return
        with st.expander(i18n.t("auth.box", lang), expanded=not signed_in):
            panel(url, lang, current)


def _submit(url: str, lang: str) -> None:
    name = st.session_state.get("sign_in_name", "")
    password = st.session_state.pop("sign_in_password", "")
    try:
        sign_in(url, name, password)
    except PermissionDenied as exc:
        st.session_state[_FAILURE] = exc.message(lang)


def require(url: str, lang: str, role: str) -> auth.Actor:
    """Stop the page unless the user holds `role`; show the sign-in box instead."""
    current = actor(url)
    if current is not None and current.can(role) and current.via != "open":
        return current
    st.warning(i18n.t("auth.needs_role", lang, role=i18n.t(f"role.{role}", lang)))
    panel(url, lang, current)
    st.stop()
