"""Users of the embedded sign-in: stored with salted scrypt hashes, throttled after failures."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart import auth
from ksmart.errors import BadArgument, PermissionDenied
from ksmart.store.schema import users


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def add(conn: Connection, name: str, role: str, password: str) -> None:
    name = name.strip()
    auth.check_role(role)
    if not name or len(password) < 8:
        raise BadArgument("bad_user", "사용자 이름이 필요하고 비밀번호는 8자 이상이어야 합니다.",
                          "A user name is required and the password needs at least 8 characters.")
    if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
        raise BadArgument("user_exists", f"사용자 {name}은(는) 이미 있습니다.", f"User {name} already exists.")
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
            return PermissionDenied("sign_in_wait", f"로그인 실패가 반복되었습니다. {wait}초 후에 다시 시도하세요.",
                                   f"Too many failed sign-ins. Try again in {wait} seconds.", wait=wait)
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
    return PermissionDenied("sign_in_failed", "이름 또는 비밀번호가 맞지 않습니다.", "Wrong name or password.")


_DUMMY_HASH = auth.hash_password("not a real password")
