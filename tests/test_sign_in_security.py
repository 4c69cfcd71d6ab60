"""Issue 17's attacks on the embedded sign-in, each a test: lockout by another client, name
discovery, floods, weak passwords, case twins; what `migrate` reports and the forced change."""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import pytest
import sqlalchemy as sa

from ksmart import i18n, passwords
from ksmart.auth import Actor, cli_actor
from ksmart.errors import BadArgument, PermissionDenied
from ksmart.store import engine, open_store, schema
from tests.store_backends import cli

ADMIN = cli_actor("root")
RIGHT = "Seoul-smart-2017"
ATTACKER, USER = "10.0.0.66", "10.0.0.5"


def refusal(store, name: str, password: str, client: str) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as refused:
        store.authenticate(name, password, client=client)
    return refused.value


# --- point 2: throttling by (name, client), a flood ceiling, no name discovery, audit --------------


def test_failures_from_another_client_never_lock_the_user_out(store):
    store.add_user("choi", "analyst", RIGHT, by=ADMIN)
    for _ in range(6):
        refusal(store, "choi", "guess", ATTACKER)
    assert refusal(store, "choi", RIGHT, ATTACKER).code == "sign_in_wait"  # the attacker is held back …
    assert store.authenticate("choi", RIGHT, client=USER) == Actor("choi", "analyst")  # … the user is not


def test_a_flood_holds_back_clients_that_failed_never_one_that_did_not(store, monkeypatch):
    monkeypatch.setenv("KSMART_SIGN_IN_FLOOD", "5")
    store.add_user("choi", "analyst", RIGHT, by=ADMIN)
    for n in range(8):  # many addresses, one try each: no pair delay, but a flood
        assert refusal(store, f"user{n}", "guess", f"10.1.0.{n}").code == "sign_in_failed"
    assert refusal(store, "choi", RIGHT, "10.1.0.3").code == "sign_in_wait"  # has failed: slowed
    assert store.authenticate("choi", RIGHT, client=USER).name == "choi"  # has not failed: never refused
    assert refusal(store, "choi", "typo", "10.2.0.1").code == "sign_in_failed"  # a first wrong try is answered


def test_unknown_names_and_wrong_passwords_get_the_same_answers(store):
    store.add_user("choi", "analyst", RIGHT, by=ADMIN)
    answers = {}
    for name in ("choi", "nobody"):
        seen = []
        for _ in range(4):
            r = refusal(store, name, "guess", ATTACKER)
            seen.append((r.code, r.message("ko"), r.message("en")))
        answers[name] = seen
    assert answers["choi"] == answers["nobody"]
    assert [code for code, _, _ in answers["choi"]] == ["sign_in_failed", "sign_in_failed", "sign_in_wait",
                                                        "sign_in_wait"]


def test_unknown_names_and_wrong_passwords_take_the_same_time(store):
    store.add_user("choi", "analyst", RIGHT, by=ADMIN)
    times = {"choi": [], "nobody": []}
    for n in range(7):
        for name in times:  # interleaved, each from a fresh address (no delay involved)
            started = time.perf_counter()
            refusal(store, name, "guess", f"10.3.{n}.{len(times[name])}{name[0]}")
            times[name].append(time.perf_counter() - started)
    known, unknown = statistics.median(times["choi"]), statistics.median(times["nobody"])
    assert 0.6 < known / unknown < 1.6, times


def test_every_attempt_is_audited_with_time_name_and_client(store):
    store.add_user("choi", "analyst", RIGHT, by=ADMIN)
    before = datetime.now().astimezone()
    refusal(store, "nobody", "guess", ATTACKER)
    refusal(store, "choi", "guess", ATTACKER)
    refusal(store, "choi", "guess", ATTACKER)
    refusal(store, "choi", "guess", ATTACKER)
    store.authenticate("choi", RIGHT, client=USER)
    entries = [e for e in store.audit() if e.action.startswith("sign_in")][::-1]
    assert [(e.user, e.action, e.detail) for e in entries] == [
        ("nobody", "sign_in_failed", f"client {ATTACKER}"), ("choi", "sign_in_failed", f"client {ATTACKER}"),
        ("choi", "sign_in_failed", f"client {ATTACKER}"), ("choi", "sign_in_wait", f"client {ATTACKER}"), ("choi", "sign_in", f"client {USER}")]
    assert all(e.at >= before.replace(microsecond=0) for e in entries)


def test_the_failure_state_is_in_the_store_so_every_server_agrees(store_url):
    with open_store(store_url) as one, open_store(store_url) as other:
        one.add_user("choi", "analyst", RIGHT, by=ADMIN)
        for _ in range(2):
            refusal(one, "choi", "guess", ATTACKER)
        assert refusal(other, "choi", RIGHT, ATTACKER).code == "sign_in_wait"


def test_sign_in_without_a_client_still_works(store):
    """ksmart/ui/signin.py calls it without an address: one shared client, as before."""
    store.add_user("choi", "analyst", RIGHT, by=ADMIN)
    assert store.authenticate("choi", RIGHT).name == "choi"


# --- point 3: the password policy and names without regard to case ----------------------------------


@pytest.mark.parametrize("password, code", [
    ("12345678", "password_short"), ("password", "password_short"), (" " * 8, "password_short"),
    ("1q2w3e4r5t", "password_common"),  # long enough, two kinds, but on everyone's list
    ("qwer1234!", "password_common"), ("Password123", "password_common"),
    ("kimsmart-2017", "password_name"), ("KIMSMART", "password_short"), ("xx-KimSmart-9", "password_name"),
])
def test_weak_passwords_are_refused_with_a_message_in_both_languages(store, password, code):
    with pytest.raises(BadArgument) as refused:
        store.add_user("kimsmart", "viewer", password, by=ADMIN)
    assert refused.value.code == code
    assert refused.value.message("ko") == i18n.t(f"security.{code}", "ko", long=passwords.LONG, short=passwords.SHORT)
    assert refused.value.message("en") == i18n.t(f"security.{code}", "en", long=passwords.LONG, short=passwords.SHORT)
    assert store.users() == []


@pytest.mark.parametrize("password", ["Seoul-smart-2017", "a7#kQ2!x", "lh-overseas-team", "스마트시티-부산-2017"])
def test_passwords_that_meet_the_policy_are_accepted(password):
    assert passwords.meets(password, "kimsmart")


def test_the_command_line_refuses_a_weak_password(store_url):
    done = cli("--db", store_url, "--lang", "en", "user", "add", "han", "--role", "analyst", "--password-stdin",
               input="12345678\n")
    assert done.returncode == 2 and "at least" in done.stderr, done.stderr


def test_names_are_unique_without_regard_to_case_and_sign_in_ignores_case(store):
    store.add_user("Admin1", "admin", RIGHT, by=ADMIN)
    with pytest.raises(BadArgument) as twin:
        store.add_user("admin1", "viewer", "another-password-9", by=ADMIN)
    assert twin.value.code == "user_exists"
    assert [u["name"] for u in store.users()] == ["Admin1"]
    assert store.authenticate("ADMIN1", RIGHT, client=USER).name == "Admin1"


# --- migrate's report and the forced change ------------------------------------------------------------


def _store_of_schema_2(url: str, users: dict[str, str]) -> None:
    """A store as version 2 made it, with users whose passwords predate the policy."""
    from ksmart import auth

    eng = engine.make_engine(url, 5.0)
    assert schema.migrate(eng, 5.0, schema.MIGRATIONS[:2]) == 2
    v2_users = sa.Table("ksmart_users", sa.MetaData(), autoload_with=eng)
    with eng.begin() as conn:
        for name, password in users.items():
            conn.execute(sa.insert(v2_users).values(name=name, role="analyst", password_hash=auth.hash_password(password),
                                                    failed_attempts=0, created_at=datetime(2017, 1, 1)))
    eng.dispose()


def test_migrate_reports_case_twins_and_passwords_it_cannot_vouch_for(store_url):
    _store_of_schema_2(store_url, {"Kim": RIGHT, "kim": RIGHT, "lee": "12345678", "park": RIGHT})
    first = cli("--db", store_url, "--lang", "en", "migrate", "--no-backup")
    assert first.returncode == 0, first.stderr
    assert "differ only in case" in first.stderr and "Kim / kim" in first.stderr
    assert "set before the policy" in first.stderr and "lee" in first.stderr

    with open_store(store_url) as store:
        lee = store.authenticate("lee", "12345678", client=USER)  # the old password still opens the door …
        assert lee.must_change  # … to the change form only
        assert store.authenticate("park", RIGHT, client=USER).must_change is False  # a good one passes
        with pytest.raises(PermissionDenied):  # twins, neither named exactly: no guess which one
            store.authenticate("KIM", RIGHT, client=USER)
        assert store.authenticate("kim", RIGHT, client=USER).name == "kim"

    again = cli("--db", store_url, "--lang", "en", "migrate", "--no-backup")
    assert "fail the policy" in again.stderr and "lee" in again.stderr.split("fail the policy")[1].splitlines()[0]
    assert "park" not in again.stderr


def test_must_change_is_set_by_migrate_and_cleared_by_a_change(store_url):
    _store_of_schema_2(store_url, {"lee": "12345678"})
    assert cli("--db", store_url, "migrate", "--no-backup").returncode == 0
    with open_store(store_url) as store:
        store.authenticate("lee", "12345678", client=USER)
        # Recorded as weak: migrate marks it, whatever the flag was.
        with store.engine.begin() as conn:
            conn.execute(sa.update(schema.users).values(must_change=False))
    assert cli("--db", store_url, "migrate", "--no-backup").returncode == 0
    with open_store(store_url) as store:
        assert store.must_change("lee")
        with pytest.raises(PermissionDenied):
            store.change_password("lee", "wrong", "Seoul-smart-2018", client=USER)
        with pytest.raises(BadArgument) as weak:
            store.change_password("lee", "12345678", "password1", client=USER)
        assert weak.value.code == "password_short"
        changed = store.change_password("lee", "12345678", "Seoul-smart-2018", client=USER)
        assert changed.must_change is False and not store.must_change("lee")
        assert store.authenticate("lee", "Seoul-smart-2018", client=USER).must_change is False
        with pytest.raises(PermissionDenied):
            store.authenticate("lee", "12345678", client="10.9.9.9")


def test_user_passwd_from_the_command_line_clears_must_change(store_url):
    _store_of_schema_2(store_url, {"lee": "12345678"})
    assert cli("--db", store_url, "migrate", "--no-backup").returncode == 0
    with open_store(store_url) as store:
        assert store.authenticate("lee", "12345678", client=USER).must_change
    listed = cli("--db", store_url, "user", "list")
    assert "lee\tanalyst\t2017-01-01\tmust_change" in listed.stdout, listed
    weak = cli("--db", store_url, "user", "passwd", "lee", "--password-stdin", input="password\n")
    assert weak.returncode == 2
    done = cli("--db", store_url, "user", "passwd", "LEE", "--password-stdin", input="Busan-smart-2019\n")
    assert done.returncode == 0, done.stderr
    assert "must_change" not in cli("--db", store_url, "user", "list").stdout
    with open_store(store_url) as store:
        assert store.authenticate("lee", "Busan-smart-2019", client=USER) == Actor("lee", "analyst")
    unknown = cli("--db", store_url, "user", "passwd", "nobody", "--password-stdin", input="Busan-smart-2019\n")
    assert unknown.returncode == 2
