"""Roles enforced in the store's write functions, the embedded sign-in, and the
schema migration that added users (a store of the previous schema opens with nothing lost)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from devkit import synthetic
from ksmart.auth import Actor, cli_actor
from ksmart.errors import PermissionDenied
from ksmart.store import engine, open_store, schema
from tests.store_backends import cli

D1 = date(2017, 3, 31)
ANALYST, VIEWER, ADMIN = Actor("lee", "analyst"), Actor("park", "viewer"), Actor("kim", "admin")


@pytest.mark.parametrize("who", ["lee", None, VIEWER, {"name": "x", "role": "admin"}])
def test_import_and_rollback_refused_without_an_analyst(store, who):
    store.import_frames(synthetic.frames(5, seed=1), mode="replace", reference_date=D1, user=ANALYST)
    before = store.dump()
    with pytest.raises(PermissionDenied):
        store.import_frames(synthetic.frames(6, seed=2), mode="replace", reference_date=D1, user=who)
    with pytest.raises(PermissionDenied):
        store.rollback(1, user=who)
    assert store.dump() == before


def test_only_admins_manage_users(store):
    with pytest.raises(PermissionDenied):
        store.add_user("choi", "analyst", "password-1", by=ANALYST)
    store.add_user("choi", "analyst", "password-1", by=ADMIN)
    assert [(u["name"], u["role"]) for u in store.users()] == [("choi", "analyst")]
    with pytest.raises(PermissionDenied):
        store.remove_user("choi", by=VIEWER)
    assert store.remove_user("choi", by=ADMIN)
    assert store.users() == []


def test_sign_in_and_delay_after_failures(store):
    store.add_user("choi", "analyst", "password-1", by=ADMIN)
    assert store.authenticate("choi", "password-1") == Actor("choi", "analyst", via="password")
    for _ in range(2):
        with pytest.raises(PermissionDenied) as failed:
            store.authenticate("choi", "wrong")
        assert failed.value.code == "sign_in_failed"
    with pytest.raises(PermissionDenied) as waiting:
        store.authenticate("choi", "password-1")  # right password, but too soon
    assert waiting.value.code == "sign_in_wait" and waiting.value.details["wait"] > 0
    with pytest.raises(PermissionDenied) as unknown:
        store.authenticate("nobody", "password-1")
    assert unknown.value.code == "sign_in_failed"


def test_passwords_are_stored_hashed(store):
    store.add_user("choi", "admin", "password-1", by=ADMIN)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.users.c.password_hash)).scalar()
    assert stored.startswith("scrypt$") and "password-1" not in stored


def test_user_add_from_the_command_line(store_url):
    done = cli("--db", store_url, "user", "add", "han", "--role", "analyst", "--password-stdin", input="password-9\n")
    assert done.returncode == 0, done.stderr
    with open_store(store_url) as s:
        assert s.authenticate("han", "password-9").role == "analyst"


def test_a_store_of_the_previous_schema_migrates_with_nothing_lost(store_url):
    previous = schema.MIGRATIONS[:-1]
    eng = engine.make_engine(store_url, 5.0)
    assert schema.migrate(eng, 5.0, previous) == previous[-1][0]
    eng.dispose()

    from ksmart.store.store import Store

    old = Store(engine.make_engine(store_url, 5.0), 5.0)
    old.import_frames(synthetic.frames(30, seed=3), mode="replace", reference_date=D1, user=ANALYST)
    old.import_frames({"projects": synthetic.frames(4, seed=4)["projects"]}, reference_date=date(2017, 9, 30),
                      user=ANALYST)
    versions_before = old.versions()
    frames_before = {n: old.read(n).frames for n in (1, 2)}
    old.close()

    with open_store(store_url) as migrated:
        with migrated.engine.connect() as conn:
            assert schema.schema_version(conn) == schema.SCHEMA_VERSION
        assert migrated.versions() == versions_before
        for number, frames in frames_before.items():
            for key, frame in frames.items():
                pd.testing.assert_frame_equal(migrated.read(number).frames[key], frame)
        migrated.add_user("kim", "admin", "password-1", by=cli_actor())
        assert migrated.authenticate("kim", "password-1").role == "admin"
