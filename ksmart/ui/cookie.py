"""The sign-in cookie: a random token, signed, HttpOnly, SameSite=Strict.

The token means something only while the store's session table has its hash
(`ksmart.store.sessions`); the signature (HMAC with Streamlit's
`server.cookieSecret`, the same on every replica) lets a server turn a forged
or mangled cookie away without asking the store.

`from_browser()` is the one place a script run reads it (from the WebSocket
handshake of this connection, `st.context.cookies`); AppTest cannot send
cookies, so the UI tests stand in for this function.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

NAME = "ksmart_session"
_PURPOSE = b"ksmart-session-v1:"


def _secret() -> bytes:
    from streamlit import config

    return str(config.get_option("server.cookieSecret")).encode()


def _mac(token: str) -> str:
    digest = hmac.new(_secret(), _PURPOSE + token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(token: str) -> str:
    """The cookie's value for `token`."""
    return f"{token}.{_mac(token)}"


def unsign(value: str | None) -> str | None:
    """The token of a cookie value whose signature holds; None for anything else."""
    if not value or value.count(".") != 1:
        return None
    token, mac = value.split(".")
    return token if token and hmac.compare_digest(mac, _mac(token)) else None


def token_of(cookies: Mapping[str, str]) -> str | None:
    """The signed token among a request's cookies (HTTP routes and middleware)."""
    return unsign(cookies.get(NAME))


def from_browser() -> str | None:
    """The token this run's browser connection presented, or None."""
    import streamlit as st

    try:
        return token_of(st.context.cookies)
    except Exception:  # no client context (a bare script run)
        return None
