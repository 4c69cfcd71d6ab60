"""Users of the embedded sign-in: stored with salted scrypt hashes, throttled after failures."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart import auth
from ksmart.errors import BadArgument, PermissionDenied
from ksmart.i18n import pair
from ksmart.store.schema import users

MIN_PASSWORD_LENGTH = 8


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def add(conn: Connection, name: str, role: str, password: str) -> None:
    name = name.strip()
    auth.check_role(role)
    if not name or len(password) < MIN_PASSWORD_LENGTH:
        raise BadArgument("bad_user", *pair("error.bad_user", min_length=MIN_PASSWORD_LENGTH))
    if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
        raise BadArgument("user_exists", *pair("error.user_exists", name=name))
    conn.execute(sa.insert(users).values(name=name, role=role, password_hash=auth.hash_password(password),
                                         failed_attempts=0, created_at=_now()))


def remove(conn: Connection, name: str) -> bool:
    return conn.execute(sa.delete(users).where(users.c.name == name)).rowcount > 0


def listing(conn: Connection) -> list[dict]:
    result = conn.execute(sa.select(users.c.name, users.c.role, users.c.created_at).order_by(users.c.name))
    return [dict(r._mapping) for r in result]


def authenticate(conn: Connection, name: str, password: str, now: datetime | None = None) -> auth.Actor | PermissionDenied:
    """The signed-in actor, or the refusal to raise once the failure count is committed."""
    now = now or _now()
    row = conn.execute(sa.select(users).where(users.c.name == name.strip())).first()
    if row is not None:
        wait = auth.wait_remaining(row.failed_attempts, row.last_failed_at, now)
        if wait:
            return PermissionDenied("sign_in_wait", *pair("error.sign_in_wait", wait=wait), wait=wait)
    # Hash even for an unknown name, so timing does not tell which names exist.
    stored = row.password_hash if row is not None else _DUMMY_HASH
    if row is not None and auth.verify_password(password, stored):
        conn.execute(sa.update(users).where(users.c.name == row.name).values(failed_attempts=0, last_failed_at=None))
        return auth.Actor(row.name, row.role, via="password")
    if row is None:
        auth.verify_password(password, stored)
    else:
        conn.execute(sa.update(users).where(users.c.name == row.name)
                     .values(failed_attempts=row.failed_attempts + 1, last_failed_at=now))
    return PermissionDenied("sign_in_failed", *pair("error.sign_in_failed"))


_DUMMY_HASH = auth.hash_password("not a real password")
