"""The server's middleware: what every request passes before Streamlit sees it.

- Security headers on every HTTP answer: no framing (`frame-ancestors 'none'`,
  `X-Frame-Options: DENY`), `nosniff`, `Referrer-Policy: same-origin`.
- The WebSocket's "clear caches" back-message is dropped. Streamlit lets any
  client send it, and it empties every user's `st.cache_data` and
  `st.cache_resource`: a free load attack (and, before the sign-in moved to
  the store, a way to sign everyone out). Dropping it at the door is one
  small, public hook (ASGI middleware) and leaves the caches where they are;
  the caches refill by themselves when the store's version changes.
- Uploads (`/_stcore/upload_file/<session>/<file>`) only with the cookie of a
  signed-in analyst or admin, into a session that runs for that same user,
  within a byte budget per session (KSMART_UPLOAD_BUDGET_MB, counting what the
  session already holds).
- Downloads (`/media/<file>`): a file made in a signed-in session only with
  that user's cookie; one made without a sign-in as open as the dashboard is
  (with KSMART_REQUIRE_LOGIN, a signed-in cookie in every case).
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse

from ksmart import i18n, settings
from ksmart.ui import cookie, owners

_LOG = logging.getLogger(__name__)

HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
_RAW_HEADERS = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
STREAM, UPLOAD, MEDIA = "/_stcore/stream", "/_stcore/upload_file/", "/media/"
MB = 1024 * 1024


def is_clear_cache(data: bytes | None) -> bool:
    """Whether a WebSocket frame is Streamlit's "clear caches" back-message."""
    if not data:
        return False
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    try:
        msg.ParseFromString(data)
    except Exception:  # not ours to judge: Streamlit closes the connection
        return False
    return msg.WhichOneof("type") == "clear_cache"


def _runtime():
    from streamlit import runtime

    return runtime.get_instance() if runtime.exists() else None


def held_bytes(session_id: str) -> int:
    """What the session's uploads hold in the server's memory now."""
    live = _runtime()
    storage = getattr(getattr(live, "uploaded_file_mgr", None), "file_storage", None)
    if storage is None:
        return 0
    return sum(len(rec.data) for rec in dict(storage.get(session_id, {})).values())


def sessions_holding(file_id: str) -> list[str] | None:
    """The Streamlit sessions whose page shows media file `file_id` now; None when unknowable."""
    mapping = owners.media_map()
    if mapping is None:
        return None
    return [s for s, files in list(mapping.items()) if file_id in dict(files).values()]


def may_download(file_id: str, user: str | None) -> bool:
    """The rule of the module docstring. A file is a signed-in user's when a session of theirs
    shows it now, or showed it at the end of one of its runs (`owners.file_users`: during a
    rerun Streamlit forgets which session shows what until the page is drawn again)."""
    if settings.get("KSMART_REQUIRE_LOGIN") and user is None:
        return False
    holders = sessions_holding(file_id)
    if holders is None:
        return user is not None
    named = [u for u in (owners.user_of(s) for s in holders) if u is not None] + owners.file_users(file_id)
    if not named:  # made without a sign-in (or made on click: the deck, the briefing text)
        return True
    return user is not None and any(u is owners.UNKNOWN or u == user for u in named)


async def signed_in_user(conn: HTTPConnection):
    """The live session's actor for this request's cookie (or OpenID Connect's), or None."""
    from ksmart.ui import routes, signin

    if signin.oidc_configured():
        return signin.oidc_actor_of(dict(conn.cookies))
    token = cookie.token_of(conn.cookies)
    if token is None:
        return None

    try:
        found = await run_in_threadpool(routes.store().session, token)
    except Exception:
        _LOG.exception("session lookup failed")
        return None
    return found.actor if found is not None else None


def _answer(key: str, status: int, **values):
    return PlainTextResponse(i18n.t(key, i18n.DEFAULT_LANG, **values) + "\n" + i18n.t(key, "en", **values),
                             status_code=status)


class Guard:
    """The ASGI middleware of the module docstring (first of the st.App middleware)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and scope["path"].endswith(STREAM):
            return await self.app(scope, self._without_clear_cache(receive), send)
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = self._with_headers(send)
        path = scope["path"]
        if path.startswith(UPLOAD) and scope["method"] != "OPTIONS":
            refusal, receive = await self._upload(scope, receive)
        elif path.startswith(MEDIA):
            refusal = await self._download(scope)
        else:
            refusal = None
        if refusal is not None:
            return await refusal(scope, receive, send)
        return await self.app(scope, receive, send)

    @staticmethod
    def _with_headers(send):
        async def sending(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower().decode() not in HEADERS]
                message = {**message, "headers": kept + _RAW_HEADERS}
            await send(message)

        return sending

    @staticmethod
    def _without_clear_cache(receive):
        async def receiving():
            while True:
                message = await receive()
                if message["type"] == "websocket.receive" and is_clear_cache(message.get("bytes")):
                    _LOG.warning("dropped a 'clear caches' message from a client")
                    continue
                return message

        return receiving

    async def _upload(self, scope, receive):
        conn = HTTPConnection(scope)
        actor = await signed_in_user(conn)
        parts = scope["path"][len(UPLOAD):].split("/")
        session_id = parts[0] if parts else ""
        if actor is None or not actor.can("analyst") or owners.user_of(session_id) != actor.name:
            return _answer("security.upload_refused", 403), receive
        if scope["method"] != "PUT":
            return None, receive
        allowance = int(float(settings.get("KSMART_UPLOAD_BUDGET_MB")) * MB) - held_bytes(session_id)
        declared = conn.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > allowance:
            return self._over_budget(), receive
        body, more = [], True
        size = 0
        while more:  # read at most the allowance (a missing or false Content-Length changes nothing)
            message = await receive()
            if message["type"] != "http.request":
                return None, _replay([], message, receive)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > allowance:
                return self._over_budget(), receive
            body.append(chunk)
            more = message.get("more_body", False)
        return None, _replay(body, None, receive)

    @staticmethod
    def _over_budget():
        return _answer("security.upload_budget", 413, mb=f"{float(settings.get('KSMART_UPLOAD_BUDGET_MB')):g}")

    async def _download(self, scope):
        name = scope["path"][len(MEDIA):].split("/")[-1]
        file_id = name.split(".")[0]
        actor = await signed_in_user(HTTPConnection(scope))
        if may_download(file_id, actor.name if actor is not None else None):
            return None
        return _answer("security.download_refused", 403)


def _replay(chunks: list[bytes], last, receive):
    """A `receive` that hands the app the body already read, then listens to the connection again."""
    pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}] if last is None else [last]

    async def receiving():
        if pending:
            return pending.pop(0)
        return await receive()

    return receiving
