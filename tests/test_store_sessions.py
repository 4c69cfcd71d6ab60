"""Sign-in sessions in the store (issue 17): opened by a right password only, idle expiry by
role from the settings, sign-out, removed users, the token never stored, several servers
agreeing; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from ksmart.auth import cli_actor
from ksmart.errors import PermissionDenied
from ksmart.store import open_store, schema
from ksmart.store import sessions as session_table


def secret(name: str) -> str:
    """A password the policy accepts (ksmart.passwords), one per user."""
    return f"Harbour{ord(name[0])}-Lantern!"


@pytest.fixture
def users(store):
    for name, role in (("lee", "analyst"), ("kim", "admin"), ("park", "viewer")):
        store.add_user(name, role, secret(name), by=cli_actor())
    return store


def _age(store, token: str, by: timedelta) -> None:
    """Make the session of `token` look idle for `by` (as if its last run was that long ago)."""
    with store.engine.begin() as conn:
        conn.execute(sa.update(schema.sessions).where(schema.sessions.c.token_hash == session_table.token_hash(token))
                     .values(last_seen_at=session_table.now_utc() - by))


def test_a_right_password_opens_a_session_and_a_wrong_one_none(users):
    actor, token = users.open_session("lee", secret("lee"), client="10.0.0.7")
    assert (actor.name, actor.role) == ("lee", "analyst")
    assert users.session(token).actor == actor
    with pytest.raises(PermissionDenied):
        users.open_session("lee", "wrong-password", client="10.0.0.7")
    with users.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.sessions)).all()
    assert len(rows) == 1 and rows[0].client == "10.0.0.7"
    assert token not in repr(rows)  # only its hash is kept
    assert users.session("not-a-token") is None


@pytest.mark.parametrize(("name", "limit"), [("lee", timedelta(minutes=30)), ("kim", timedelta(minutes=30)),
                                             ("park", timedelta(hours=12))])
def test_idle_expiry_follows_the_role(users, name, limit):
    _actor, token = users.open_session(name, secret(name))
    _age(users, token, limit - timedelta(minutes=1))
    assert users.session(token) is not None  # and its clock moves on
    assert users.session(token) is not None
    _age(users, token, limit + timedelta(minutes=1))
    assert users.session(token) is None


def test_idle_limits_come_from_the_settings(users, monkeypatch):
    monkeypatch.setenv("KSMART_IDLE_MINUTES", "5")
    monkeypatch.setenv("KSMART_VIEWER_IDLE_HOURS", "1")
    assert session_table.idle_limit("analyst") == timedelta(minutes=5)
    assert session_table.idle_limit("viewer") == timedelta(hours=1)
    _actor, token = users.open_session("lee", secret("lee"))
    _age(users, token, timedelta(minutes=6))
    assert users.session(token) is None


def test_a_run_moves_the_idle_clock_at_most_once_a_minute(users):
    _actor, token = users.open_session("lee", secret("lee"))
    first = users.session(token).last_seen_at
    assert users.session(token).last_seen_at == first  # no write for every rerun
    _age(users, token, timedelta(minutes=2))
    users.session(token)
    assert users.session(token).last_seen_at >= first


def test_sign_out_and_user_removal_end_sessions(users):
    _actor, token = users.open_session("lee", secret("lee"))
    _actor, other = users.open_session("kim", secret("kim"))
    assert users.close_session(token) and users.session(token) is None
    assert not users.close_session(token)
    users.remove_user("kim", by=cli_actor())
    assert users.session(other) is None


def test_a_role_change_shows_at_the_next_lookup(users):
    _actor, token = users.open_session("park", secret("park"))
    with users.engine.begin() as conn:
        conn.execute(sa.update(schema.users).where(schema.users.c.name == "park").values(role="analyst"))
    assert users.session(token).actor.role == "analyst"


def test_stale_sessions_are_purged_at_the_next_sign_in(users):
    _actor, token = users.open_session("lee", secret("lee"))
    _age(users, token, timedelta(hours=1))
    users.open_session("kim", secret("kim"))
    with users.engine.connect() as conn:
        assert [r.user_name for r in conn.execute(sa.select(schema.sessions))] == ["kim"]


def test_two_servers_of_one_store_agree(users, store_url):
    _actor, token = users.open_session("lee", secret("lee"))
    with open_store(store_url) as other_server:
        assert other_server.session(token).actor.name == "lee"
        other_server.close_session(token)
    assert users.session(token) is None
