"""Who is using this session: embedded sign-in or OpenID Connect, resolved on every run.

Embedded sign-in is an HTTP exchange, not a Streamlit widget: the sidebar's
form posts name and password to `/ksmart/sign-in` (`ksmart.ui.routes`), which
opens a session in the store and answers with a signed, HttpOnly,
SameSite=Strict cookie. Every run reads that cookie from this connection's
WebSocket handshake (`cookie.from_browser`) and looks its session up in the
store. So nothing in `st.session_state` or in Streamlit's caches grants
anything: a client that presents someone's Streamlit session ID without the
cookie is nobody, a "clear caches" message signs nobody out, a reload keeps
the sign-in, and a role changed by an admin takes effect at the next rerun.

Where the deployment configures OpenID Connect (`[auth]` in secrets.toml),
`st.login` is used instead, and the role comes from `[ksmart_roles]` there:
`emails = {"a@molit.go.kr" = "admin"}`, `groups = {"ksmart-analysts" = "analyst"}`,
`default = "viewer"`.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import streamlit as st

from ksmart import auth, i18n, settings
from ksmart.ui import cookie, data, forms, layout, owners

_OPEN = auth.Actor("", "viewer", via="open")


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _from_claims(claims: dict) -> auth.Actor:
    mapping = dict(st.secrets.get("ksmart_roles", {}))
    name = str(claims.get("email") or claims.get("name") or "oidc")
    return auth.Actor(name, auth.role_from_claims(claims, mapping), via="oidc")


def _oidc_actor() -> auth.Actor | None:
    if not getattr(st.user, "is_logged_in", False):
        return None
    return _from_claims(st.user.to_dict())


def oidc_actor_of(cookies: dict) -> auth.Actor | None:
    """The OpenID Connect user of an HTTP request (the upload and download guards): Streamlit's
    own signed identity cookie, read as Streamlit reads it for the WebSocket."""
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME
    from streamlit.web.server.starlette.starlette_websocket import _get_signed_cookie_with_chunks

    try:
        raw = _get_signed_cookie_with_chunks(cookies, USER_COOKIE_NAME)
        claims = json.loads(raw) if raw else {}
    except Exception:  # Streamlit changed its cookie: nobody (fail closed)
        return None
    return _from_claims(claims) if claims.get("is_logged_in") else None


def _embedded_actor(url: str) -> auth.Actor | None:
    token = cookie.from_browser()
    if token is None:
        return None
    found = data.store(url).session(token)
    return found.actor if found is not None else None


def actor(url: str) -> auth.Actor | None:
    """The signed-in user, the open viewer (when viewers need not sign in), or None."""
    signed_in = _oidc_actor() if oidc_configured() else _embedded_actor(url)
    owners.note(signed_in)  # for the download guard: this session's files are this user's
    if signed_in is not None:
        return signed_in
    return None if settings.get("KSMART_REQUIRE_LOGIN") else _OPEN


def _here() -> str:
    """This page's path and query in the browser: where the sign-in returns to."""
    try:
        parts = urlsplit(st.context.url or "/")
    except Exception:
        return "/"
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def panel(url: str, lang: str, current: auth.Actor | None) -> None:
    """The sign-in box (sidebar or page): a form, or who is signed in with a sign-out button."""
    if current is not None and current.via != "open":
        st.caption(i18n.t("auth.signed_in", lang, name=layout.md(current.name), role=i18n.t(f"role.{current.role}", lang)))
        if current.via == "oidc":
            st.button(i18n.t("auth.sign_out", lang), key="sign_out", on_click=st.logout)
        else:
            st.html(forms.sign_out_form(lang, _here()))
        return
    if oidc_configured():
        st.button(i18n.t("auth.sign_in_sso", lang), key="sign_in_sso", on_click=st.login)
        return
    st.html(forms.sign_in_form(lang, _here()))


_FORM_OPEN = "_signin_form_open"


def _open_form() -> None:
    st.session_state[_FORM_OPEN] = True


def sidebar_box(url: str, lang: str, current: auth.Actor | None) -> None:
    """The sidebar's sign-in box. Until someone asks for the form it is a button: a
    form on the first screen makes every cold page load fetch more script files
    (issue 8's Overview timing)."""
    with st.sidebar:
        signed_in = current is not None and current.via != "open"
        if not signed_in and not st.session_state.get(_FORM_OPEN):
            st.button(i18n.t("auth.box", lang), key="open_sign_in", icon=":material/login:", width="stretch",
                      on_click=_open_form)
            return
        with st.expander(i18n.t("auth.box", lang), expanded=not signed_in):
            panel(url, lang, current)


def require(url: str, lang: str, role: str) -> auth.Actor:
    """Stop the page unless the user holds `role`; show the sign-in box instead."""
    current = actor(url)
    if current is not None and current.can(role) and current.via != "open":
        return current
    st.warning(i18n.t("auth.needs_role", lang, role=i18n.t(f"role.{role}", lang)))
    panel(url, lang, current)
    st.stop()
