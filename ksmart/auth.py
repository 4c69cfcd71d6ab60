"""Who may do what: roles, password hashes, sign-in throttling, OIDC role mapping.

Roles are ordered: viewer < analyst < admin. Viewers see the dashboard;
analysts and admins import and roll back; admins manage users. The rule
"only analysts write" is enforced by `require`, which the store's write
functions call, so hiding a widget is never the only guard.

Passwords are stored as salted scrypt hashes (`scrypt$n$r$p$salt$hash`).
After failed attempts a client must wait before its next try for that name
(doubling, capped); while sign-ins fail in a flood, a client that has failed
waits longer (`flood_wait`), one that has not is never held back.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from ksmart.errors import PermissionDenied
from ksmart.i18n import pair, t

ROLES = ("viewer", "analyst", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}

# scrypt cost: ~50 ms here; enough to make offline guessing slow, cheap for a sign-in.
_N, _R, _P = 2**14, 8, 1
_MAX_DELAY_SECONDS = 60


@dataclass(frozen=True)
class Actor:
    """The person (or tool) doing something, with the role it was granted."""

    name: str
    role: str
    via: str = "password"  # password | oidc | cli | open (viewer without sign-in)
    # The password must be changed before anything else (set by `migrate` or a sign-in with a
    # password that fails the policy; cleared by a change): see ksmart.ui.password.
    must_change: bool = False

    def can(self, role: str) -> bool:
        return _RANK.get(self.role, -1) >= _RANK[role]


def cli_actor(name: str | None = None) -> Actor:
    """Whoever runs the command line already holds the store's credentials."""
    return Actor(name or os.environ.get("USER") or "cli", "admin", via="cli")


def require(actor: object, role: str, action: str) -> Actor:
    """Return `actor` if it holds `role`; else refuse, whatever the caller's UI showed.

    `action` names what was refused: the catalogue's `auth.action.<action>`
    (import, rollback, manage_users).
    """
    if not isinstance(actor, Actor) or not actor.can(role):
        who = getattr(actor, "name", None) or "?"
        raise PermissionDenied(
            "permission_denied",
            t("error.permission_denied", "ko", who=who, action=t(f"auth.action.{action}", "ko"),
              role=t(f"role.{role}", "ko")),
            t("error.permission_denied", "en", who=who, action=t(f"auth.action.{action}", "en"), role=role),
        )
    return actor


def check_role(role: str) -> str:
    if role not in _RANK:
        from ksmart.errors import BadArgument

        raise BadArgument("bad_role", *pair("error.bad_role", roles=", ".join(ROLES)))
    return role


# --- passwords ------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(candidate, _unb64(digest))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


def retry_delay(failed_attempts: int) -> int:
    """Seconds to wait after `failed_attempts` failures in a row: 0, 0, 2, 4, 8 … 60."""
    if failed_attempts < 2:
        return 0
    return min(2 ** (failed_attempts - 1), _MAX_DELAY_SECONDS)


def wait_remaining(failed_attempts: int, last_failed_at: dt.datetime | None, now: dt.datetime) -> int:
    if last_failed_at is None:
        return 0
    until = last_failed_at + dt.timedelta(seconds=retry_delay(failed_attempts))
    return max(0, int((until - now).total_seconds() + 0.999))


def flood_wait(failures_in_window: int, ceiling: int, client_last_failed_at: dt.datetime | None,
               now: dt.datetime) -> int:
    """Seconds a client waits because sign-ins fail in a flood (0 when they do not).

    Above `ceiling` failures a minute, every client that has failed within the
    last minute waits a minute after its last failure, whatever name it tries;
    a client without a recent failure is never held back, so a flood from
    elsewhere cannot keep a user with the right password out.
    """
    if ceiling <= 0 or failures_in_window <= ceiling or client_last_failed_at is None:
        return 0
    until = client_last_failed_at + dt.timedelta(seconds=FLOOD_WINDOW_SECONDS)
    return max(0, int((until - now).total_seconds() + 0.999))


FLOOD_WINDOW_SECONDS = 60


# --- OpenID Connect --------------------------------------------------------------------


def role_from_claims(claims: dict, mapping: dict) -> str:
    """The highest role the deployment grants to this identity.

    `mapping` comes from secrets.toml, e.g. {"emails": {"a@x.go.kr": "admin"},
    "groups": {"ksmart-analysts": "analyst"}, "default": "viewer"}.
    """
    granted = [mapping.get("default", "viewer")]
    email = str(claims.get("email", "")).casefold()
    emails = {str(k).casefold(): v for k, v in (mapping.get("emails") or {}).items()}
    if email in emails:
        granted.append(emails[email])
    groups = claims.get("groups") or []
    for group in groups if isinstance(groups, (list, tuple)) else [groups]:
        if group in (mapping.get("groups") or {}):
            granted.append(mapping["groups"][group])
    return max((g for g in granted if g in _RANK), key=_RANK.get, default="viewer")
