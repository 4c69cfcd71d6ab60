"""Issue 17's attacks 1, 2 and 5 as an attacker on the network makes them: raw WebSocket
clients speaking Streamlit's protocol (tests/streamlit_protocol.py) against the server
as it is deployed (`streamlit run server.py`).

On the code before issue 17 each of these passed for the attacker: the sign-in lived in
`st.cache_resource` (cleared by any client's "clear caches" message) and in the session
(taken over by anyone presenting its ID), and any session could park uploads.
"""

from __future__ import annotations

import shutil

import pytest

from ksmart import i18n
from tests import streamlit_protocol as sp
from tests.service import serve_app
from tests.ui_fixtures import ADMIN, ANALYST, VIEWER

BUDGET_MB, MAX_UPLOAD_MB = 3, 2
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(sample_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("protocol")
    shutil.copy(sample_store.removeprefix("sqlite:///"), folder / "store.db")
    env = {"KSMART_UPLOAD_BUDGET_MB": str(BUDGET_MB), "KSMART_MAX_UPLOAD_MB": str(MAX_UPLOAD_MB)}
    with serve_app(f"sqlite:///{folder / 'store.db'}", folder, env) as base:
        yield base, folder / "streamlit.log"


def signed_in_as(drawn: bytes, user: tuple[str, str], role: str) -> bool:
    """Whether a run drew the sidebar's "signed in as" line for `user`."""
    line = i18n.t("auth.signed_in", "ko", name=user[0], role=i18n.t(f"role.{role}", "ko"))
    return line.encode() in drawn


def data_page_drawn(drawn: bytes) -> bool:
    """Whether a run drew the Data page (analysts and admins): its template download."""
    return i18n.t("data.template", "ko").encode() in drawn


def test_a_strangers_clear_caches_message_signs_nobody_out_and_empties_no_cache(server):
    base, log = server
    admin = sp.Client(base, sp.sign_in(base, *ADMIN))
    assert signed_in_as(admin.run(), ADMIN, "admin")
    stranger = sp.Client(base)  # never signed in
    stranger.run()
    for _ in range(3):
        stranger.clear_caches()
    assert not signed_in_as(stranger.run(), ADMIN, "admin")  # the messages reached the server before this run
    assert signed_in_as(admin.run(), ADMIN, "admin")
    assert log.read_text().count("dropped a 'clear caches' message") >= 3  # so the data caches stay too
    admin.close()
    stranger.close()


def test_a_replayed_session_id_without_the_cookie_is_nobody_also_after_the_admin_left(server):
    base, _ = server
    cookie = sp.sign_in(base, *ADMIN)
    admin = sp.Client(base, cookie)
    assert signed_in_as(admin.run(), ADMIN, "admin") and data_page_drawn(admin.run("data"))
    session_id = admin.session_id

    thief = sp.Client(base, session_id=session_id)  # e.g. read from a proxy's upload log
    drawn = thief.run("data")
    assert thief.session_id == session_id  # Streamlit did hand over the session
    assert not signed_in_as(drawn, ADMIN, "admin") and not data_page_drawn(drawn)
    thief.close()
    admin.close()

    later = sp.Client(base, session_id=session_id)  # the admin has gone
    drawn = later.run("data")
    assert later.session_id == session_id
    assert not signed_in_as(drawn, ADMIN, "admin") and not data_page_drawn(drawn)
    later.close()

    # The admin's own browser, reconnecting with its cookie, is still the admin (no false alarm).
    back = sp.Client(base, cookie, session_id=session_id)
    assert signed_in_as(back.run(), ADMIN, "admin")
    back.close()


def test_a_forged_or_mangled_cookie_is_nobody(server):
    base, _ = server
    cookie = sp.sign_in(base, *ADMIN)
    token, mac = cookie.split(".")
    for forged in (f"{token}.{mac[:-2]}xx", f"{token[:-2]}xx.{mac}", token, "x.y"):
        client = sp.Client(base, forged)
        assert not signed_in_as(client.run(), ADMIN, "admin")
        client.close()


def test_an_anonymous_session_cannot_upload_and_an_analyst_stays_within_the_budget(server):
    base, _ = server
    anonymous = sp.Client(base)
    anonymous.run()
    assert sp.upload(base, anonymous.session_id, b"x" * 1000) == 403

    viewer_cookie = sp.sign_in(base, *VIEWER)
    viewer = sp.Client(base, viewer_cookie)
    viewer.run()
    assert sp.upload(base, viewer.session_id, b"x" * 1000, cookie=viewer_cookie) == 403

    cookie = sp.sign_in(base, *ANALYST)
    analyst = sp.Client(base, cookie)
    analyst.run()
    assert sp.upload(base, anonymous.session_id, b"x" * 1000, cookie=cookie) == 403  # not the analyst's session
    assert sp.upload(base, analyst.session_id, b"x" * (MAX_UPLOAD_MB * MB + 1), cookie=cookie) == 413  # maxUploadSize
    one = int(1.4 * MB)
    assert sp.upload(base, analyst.session_id, b"x" * one, cookie=cookie) == 204
    assert sp.upload(base, analyst.session_id, b"x" * one, cookie=cookie) == 204
    assert sp.upload(base, analyst.session_id, b"x" * one, cookie=cookie) == 413  # 4.2 MB > the 3 MB budget
    # A session ID without the cookie is nobody here too.
    assert sp.upload(base, analyst.session_id, b"x" * 1000) == 403
    for client in (anonymous, viewer, analyst):
        client.close()


def test_signing_out_ends_the_session_for_every_connection(server):
    base, _ = server
    cookie = sp.sign_in(base, *ANALYST)
    assert sp.sign_out(base, cookie) == 303
    client = sp.Client(base, cookie)  # the old cookie, replayed
    assert not signed_in_as(client.run(), ANALYST, "analyst")
    client.close()


def test_streamlits_agent_api_stays_off_and_answers_carry_the_security_headers(server):
    import json
    import urllib.error
    import urllib.request

    base, _ = server
    request = urllib.request.Request(f"{base}/_stcore/agent/interact", data=json.dumps({}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        answer = urllib.request.urlopen(request, timeout=30)
        status, body = answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    assert status != 200 and b"not_available" in body
    for path in ("/", "/_stcore/health", "/media/0123456789abcdef.xlsx"):
        try:
            headers = urllib.request.urlopen(f"{base}{path}", timeout=30).headers
        except urllib.error.HTTPError as exc:
            headers = exc.headers
        assert headers["X-Frame-Options"] == "DENY" and headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"


def test_a_broken_store_shows_no_traceback_to_the_browser(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    with serve_app(f"sqlite:///{broken}", tmp_path) as base:
        client = sp.Client(base)
        drawn = client.run()
        client.close()
    # (Streamlit itself always tells the browser where app.py is: NewSession.main_script_path.)
    assert b"Traceback" not in drawn and b'File "' not in drawn and str(tmp_path).encode() not in drawn


@pytest.mark.postgres
def test_two_servers_of_one_postgresql_store_agree_on_who_is_signed_in(tmp_path):
    """Behind nginx a browser may reach either replica: a sign-in on one holds on the other
    (the same cookie secret, one session table), and a sign-out on one ends it on both."""
    from tests.store_backends import fresh_pg_schema, pg_url
    from tests.ui_fixtures import add_users

    url = pg_url()
    fresh_pg_schema(url)
    add_users(url)
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": "the-same-on-every-replica"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with serve_app(url, tmp_path / "a", env) as a, serve_app(url, tmp_path / "b", env) as b:
        cookie = sp.sign_in(a, *ANALYST)
        on_b = sp.Client(b, cookie)
        assert signed_in_as(on_b.run(), ANALYST, "analyst")
        assert sp.sign_out(b, cookie) == 303
        assert not signed_in_as(on_b.run(), ANALYST, "analyst")  # the same connection, next rerun
        on_a = sp.Client(a, cookie)
        assert not signed_in_as(on_a.run(), ANALYST, "analyst")
        on_a.close()
        on_b.close()
