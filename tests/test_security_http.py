"""The server's sign-in routes and middleware as plain ASGI (no server process): cross-site
posts refused, no open redirect, the cookie's attributes, refused and failed sign-ins
without a traceback, security headers, the clear-caches message dropped, the download rule.
"""

from __future__ import annotations

import asyncio
import shutil
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ksmart import i18n
from ksmart.ui import cookie, guard, owners, server
from ksmart.ui import routes as sign_in_routes
from tests.ui_fixtures import ANALYST

HOST = "dash.example:8501"
ORIGIN = f"http://{HOST}"


async def _hello(_request):
    return PlainTextResponse("hello")


def asgi_app():
    return Starlette(routes=[*server.routes(), Route("/", _hello)], middleware=server.middleware())


def request(app, method: str, path: str, *, headers: dict | None = None, form: dict | None = None):
    """One HTTP request through `app`: (status, {header: [values]}, body)."""
    body = urlencode(form).encode() if form is not None else b""
    raw = [(b"host", HOST.encode())] + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if form is not None:
        raw.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": raw, "scheme": "http", "server": ("dash.example", 8501), "client": ("10.1.2.3", 5555),
             "http_version": "1.1", "root_path": ""}
    sent, received = [], [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return received.pop(0) if received else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    out: dict[str, list[str]] = {}
    for k, v in start["headers"]:
        out.setdefault(k.decode().lower(), []).append(v.decode())
    return start["status"], out, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture
def store_copy(sample_store, tmp_path, monkeypatch):
    path = tmp_path / "store.db"
    shutil.copy(sample_store.removeprefix("sqlite:///"), path)
    monkeypatch.setenv("KSMART_DB_URL", f"sqlite:///{path}")
    return f"sqlite:///{path}"


def _sign_in(app, name, password, *, origin=ORIGIN, next_path="/data"):
    headers = {"origin": origin} if origin else {}
    return request(app, "POST", "/ksmart/sign-in", headers=headers,
                   form={"ks_user": name, "ks_password": password, "ks_next": next_path, "ks_lang": "ko"})


def test_a_right_password_sets_a_strict_httponly_signed_cookie_and_redirects(store_copy):
    status, headers, _ = _sign_in(asgi_app(), *ANALYST)
    assert status == 303 and headers["location"] == ["/data"]
    morsel = SimpleCookie(headers["set-cookie"][0])[cookie.NAME]
    assert morsel["httponly"] and morsel["samesite"].lower() == "strict" and morsel["path"] == "/"
    assert not morsel["max-age"]  # a browser-session cookie: the server's idle limit decides
    token = cookie.unsign(morsel.value)
    assert token and sign_in_routes.store().session(token).actor.name == ANALYST[0]


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null", f"http://{HOST}.evil.example"])
def test_a_post_from_another_site_or_from_nowhere_is_refused(store_copy, origin):
    status, headers, body = _sign_in(asgi_app(), *ANALYST, origin=origin)
    assert status == 403 and "set-cookie" not in headers
    assert i18n.t("security.bad_origin", "ko") in body.decode()


def test_a_same_origin_referer_stands_in_for_a_missing_origin(store_copy):
    status, _, _ = request(asgi_app(), "POST", "/ksmart/sign-in", headers={"referer": f"{ORIGIN}/data"},
                           form={"ks_user": ANALYST[0], "ks_password": ANALYST[1], "ks_next": "/", "ks_lang": "ko"})
    assert status == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil.example", "data", ""])
def test_next_never_leaves_the_site(store_copy, target):
    status, headers, _ = _sign_in(asgi_app(), *ANALYST, next_path=target)
    assert status == 303 and headers["location"] == ["/"]


def test_a_wrong_password_answers_the_form_again_with_the_message(store_copy):
    status, headers, body = _sign_in(asgi_app(), ANALYST[0], "wrong-password")
    text = body.decode()
    assert status == 401 and "set-cookie" not in headers
    assert i18n.t("error.sign_in_failed", "ko") in text and 'action="/ksmart/sign-in"' in text


def test_a_broken_store_gives_a_friendly_message_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("KSMART_DB_URL", f"sqlite:///{broken}")
    status, _, body = _sign_in(asgi_app(), *ANALYST)
    text = body.decode()
    assert status in (400, 503)
    assert "Traceback" not in text and str(tmp_path) not in text and ".py" not in text
    assert i18n.t("auth.name", "ko") in text  # the form again, to try later


def test_sign_out_deletes_the_session_and_clears_the_cookie(store_copy):
    app = asgi_app()
    _, headers, _ = _sign_in(app, *ANALYST)
    value = SimpleCookie(headers["set-cookie"][0])[cookie.NAME].value
    status, headers, _ = request(app, "POST", "/ksmart/sign-out", form={"ks_next": "/", "ks_lang": "ko"},
                                 headers={"origin": ORIGIN, "cookie": f"{cookie.NAME}={value}"})
    assert status == 303
    cleared = SimpleCookie(headers["set-cookie"][0])[cookie.NAME]
    assert cleared.value == "" and cleared["max-age"] == "0"
    assert sign_in_routes.store().session(cookie.unsign(value)) is None


def test_a_cross_site_sign_out_is_refused(store_copy):
    app = asgi_app()
    _, headers, _ = _sign_in(app, *ANALYST)
    value = SimpleCookie(headers["set-cookie"][0])[cookie.NAME].value
    status, headers, _ = request(app, "POST", "/ksmart/sign-out", form={"ks_next": "/"},
                                 headers={"origin": "http://evil.example", "cookie": f"{cookie.NAME}={value}"})
    assert status == 403 and "set-cookie" not in headers
    assert sign_in_routes.store().session(cookie.unsign(value)) is not None


def test_every_answer_carries_the_security_headers(store_copy):
    for method, path in (("GET", "/"), ("GET", "/ksmart/sign-in"), ("POST", "/ksmart/sign-in")):
        _, headers, _ = request(asgi_app(), method, path, form={} if method == "POST" else None)
        assert headers["x-frame-options"] == ["DENY"]
        assert headers["content-security-policy"] == ["frame-ancestors 'none'"]
        assert headers["x-content-type-options"] == ["nosniff"]
        assert headers["referrer-policy"] == ["same-origin"]


def test_the_entry_turns_error_details_off_and_the_upload_limit_follows_the_setting(monkeypatch):
    monkeypatch.setenv("KSMART_MAX_UPLOAD_MB", "7.5")
    options = server.options()
    assert options["client.showErrorDetails"] == "none"
    assert options["server.maxUploadSize"] == 8
    assert options["server.enableAgentApi"] is False and options["server.enableXsrfProtection"] is True


def test_the_clear_caches_message_never_reaches_streamlit():
    from streamlit.proto.BackMsg_pb2 import BackMsg

    clear, rerun = BackMsg(), BackMsg()
    clear.clear_cache = True
    rerun.rerun_script.query_string = ""
    frames = [{"type": "websocket.receive", "bytes": clear.SerializeToString()},
              {"type": "websocket.receive", "bytes": rerun.SerializeToString()},
              {"type": "websocket.receive", "bytes": b"\xff not protobuf"}]
    seen = []

    async def inner(scope, receive, send):
        for _ in range(2):
            seen.append(await receive())

    async def receive():
        return frames.pop(0)

    asyncio.run(guard.Guard(inner)({"type": "websocket", "path": "/_stcore/stream"}, receive, None))
    assert [m["bytes"] for m in seen] == [rerun.SerializeToString(), b"\xff not protobuf"]


def test_streamlit_still_keeps_the_map_the_download_guard_reads():
    """`owners.media_map` reads MediaFileManager's private session map; without it every
    download would need a sign-in (fail closed). This fails when Streamlit renames it."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    assert isinstance(manager._files_by_session_and_coord, dict)  # owners.media_map reads it


@pytest.mark.parametrize(("holders", "user", "require_login", "allowed"), [
    ({"s1": "lee"}, None, False, False),          # an analyst's export, no cookie: the attack
    ({"s1": "lee"}, "lee", False, True),
    ({"s1": "lee"}, "kim", False, False),         # someone else's export
    ({"s1": None}, None, False, True),            # made without a sign-in: as open as the dashboard
    ({"s1": None}, None, True, False),            # ... unless viewers must sign in
    ({}, None, False, True),                      # made on click (deck, briefing): viewers' content
    ({"s1": owners.UNKNOWN}, None, False, False),  # a forgotten session: fail closed
    ({"s1": owners.UNKNOWN}, "lee", False, True),
])
def test_who_may_download_a_file(monkeypatch, holders, user, require_login, allowed):
    monkeypatch.setenv("KSMART_REQUIRE_LOGIN", "true" if require_login else "false")
    monkeypatch.setattr(guard, "sessions_holding", lambda file_id: list(holders))
    monkeypatch.setattr(owners, "user_of", lambda session_id: holders[session_id])
    assert guard.may_download("abc", user) is allowed


def test_a_signed_in_users_file_stays_theirs_while_their_page_reruns(monkeypatch):
    """During a rerun Streamlit's map no longer names the session showing the file (the race
    a browser test met): what the end of the last run recorded still counts."""
    from ksmart.auth import Actor

    monkeypatch.setenv("KSMART_REQUIRE_LOGIN", "false")
    mapping = {"session-of-kim": {"coordinates": "file-of-kim"}}
    monkeypatch.setattr(owners, "media_map", lambda: mapping)
    monkeypatch.setattr(owners, "_session_id", lambda: "session-of-kim")
    owners.note(Actor("kim", "analyst", via="password"))
    owners.note_files()
    mapping["session-of-kim"] = {}  # the rerun has begun
    assert not guard.may_download("file-of-kim", None) and guard.may_download("file-of-kim", "kim")


def test_without_streamlits_map_every_download_needs_a_sign_in(monkeypatch):
    monkeypatch.setattr(guard, "sessions_holding", lambda file_id: None)
    assert not guard.may_download("abc", None) and guard.may_download("abc", "lee")


def test_with_openid_connect_the_guards_read_streamlits_identity_cookie(monkeypatch):
    import json

    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    from ksmart.ui import signin

    monkeypatch.setattr(signin, "oidc_configured", lambda: True)
    monkeypatch.setattr(signin, "_from_claims",
                        lambda claims: signin.auth.Actor(claims["email"], "analyst", via="oidc"))
    claims = {"origin": ORIGIN, "is_logged_in": True, "email": "lee@molit.go.kr"}
    signed = create_signed_value(get_cookie_secret(), "_streamlit_user", json.dumps(claims)).decode("latin-1")
    actor = signin.oidc_actor_of({"_streamlit_user": signed})
    assert (actor.name, actor.role, actor.via) == ("lee@molit.go.kr", "analyst", "oidc")
    assert signin.oidc_actor_of({"_streamlit_user": signed[:-3] + "xyz"}) is None  # forged
    assert signin.oidc_actor_of({}) is None


def test_the_nginx_example_sets_the_same_headers_and_logs_no_upload_path():
    import re

    from tests.service import NGINX_CONF

    text = NGINX_CONF.read_text()
    for name, value in guard.HEADERS.items():
        shown = value if " " not in value else f'"{value}"'
        assert re.search(rf"^\s*add_header {re.escape(name)} {re.escape(shown)} always;$", text, re.M | re.I), name
        assert re.search(rf"^\s*proxy_hide_header {re.escape(name)};$", text, re.M | re.I), name  # one copy
    upload = re.search(r"location /_stcore/upload_file \{(.*?)\}", text, re.S).group(1)
    assert re.search(r"^\s*access_log off;$", upload, re.M)


def test_a_session_taken_over_without_the_cookie_keeps_its_owner(monkeypatch):
    from ksmart.auth import Actor

    monkeypatch.setattr(owners, "_session_id", lambda: "session-of-lee")
    owners.note(Actor("lee", "analyst", via="password"))
    owners.note(None)  # the thief's run, without the cookie
    owners.note(Actor("", "viewer", via="open"))
    assert owners.user_of("session-of-lee") == "lee"
    monkeypatch.setattr(owners, "_session_id", lambda: "session-of-nobody")
    owners.note(None)
    assert owners.user_of("session-of-nobody") is None and owners.user_of("never-seen") is owners.UNKNOWN
