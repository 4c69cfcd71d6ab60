"""Roles, password hashes, sign-in throttling and OIDC role mapping."""

import datetime as dt

import pytest

from ksmart import auth
from ksmart.errors import PermissionDenied


def test_password_hash_is_salted_scrypt_and_verifies():
    first, second = auth.hash_password("비밀번호123"), auth.hash_password("비밀번호123")
    assert first.startswith("scrypt$") and first != second
    assert auth.verify_password("비밀번호123", first)
    assert not auth.verify_password("비밀번호124", first)
    assert not auth.verify_password("x", "not-a-hash")


@pytest.mark.parametrize(
    "role, needed, allowed",
    [("viewer", "viewer", True), ("viewer", "analyst", False), ("analyst", "analyst", True),
     ("analyst", "admin", False), ("admin", "analyst", True), ("admin", "admin", True), ("guest", "viewer", False)],
)
def test_role_order(role, needed, allowed):
    assert auth.Actor("kim", role).can(needed) is allowed


def test_require_refuses_plain_names_and_low_roles():
    assert auth.require(auth.Actor("lee", "analyst"), "analyst", "import").name == "lee"
    for actor in ("lee", None, {"name": "lee", "role": "admin"}, auth.Actor("park", "viewer")):
        with pytest.raises(PermissionDenied) as excinfo:
            auth.require(actor, "analyst", "import")
        assert "권한" in excinfo.value.message("ko")


@pytest.mark.parametrize("failures, delay", [(0, 0), (1, 0), (2, 2), (3, 4), (5, 16), (7, 60), (20, 60)])
def test_retry_delay_doubles_and_is_capped(failures, delay):
    assert auth.retry_delay(failures) == delay


def test_wait_remaining_counts_down():
    failed_at = dt.datetime(2026, 11, 25, 12, 0, 0)
    assert auth.wait_remaining(3, failed_at, failed_at + dt.timedelta(seconds=1)) == 3
    assert auth.wait_remaining(3, failed_at, failed_at + dt.timedelta(seconds=5)) == 0
    assert auth.wait_remaining(0, None, failed_at) == 0


@pytest.mark.parametrize(
    "claims, role",
    [
        ({"email": "Chief@molit.go.kr"}, "admin"),
        ({"email": "a@lh.or.kr", "groups": ["ksmart-analysts"]}, "analyst"),
        ({"email": "a@lh.or.kr", "groups": "ksmart-analysts"}, "analyst"),
        ({"email": "guest@example.org"}, "viewer"),
        ({}, "viewer"),
    ],
)
def test_role_from_oidc_claims(claims, role):
    mapping = {"emails": {"chief@molit.go.kr": "admin"}, "groups": {"ksmart-analysts": "analyst"}, "default": "viewer"}
    assert auth.role_from_claims(claims, mapping) == role
