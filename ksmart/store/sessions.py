"""Server-side sign-in sessions: who a browser's session cookie stands for, until when.

Why in the store: several servers behind nginx share one store, so a sign-in
made on one is valid on the others, and a sign-out or an idle expiry ends it
on all of them at once. Nothing of it lives in a server's memory or in
Streamlit's caches, which any client can ask to clear.

The table keeps the SHA-256 of the token, never the token: whoever reads the
store (a backup, a dump) cannot present it as a cookie.

A session ends when it has been idle longer than its role allows
(`idle_limit`: KSMART_IDLE_MINUTES for analysts and admins,
KSMART_VIEWER_IDLE_HOURS for viewers), when its user is removed, or at sign-out.
`last_seen_at` is written at most once a `TOUCH_EVERY`, not on every rerun.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart import auth, settings
from ksmart.store import users as user_table
from ksmart.store.schema import sessions, users

TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Session:
    """A live sign-in: the user as the store knows them now."""

    token_hash: str
    actor: auth.Actor
    last_seen_at: datetime


def now_utc() -> datetime:
    """Naive UTC, as every timestamp of the store."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit(role: str) -> timedelta:
    """How long a session of `role` may stay idle before it ends."""
    if role == "viewer":
        return timedelta(hours=float(settings.get("KSMART_VIEWER_IDLE_HOURS")))
    return timedelta(minutes=float(settings.get("KSMART_IDLE_MINUTES")))


def check_password(conn: Connection, name: str, password: str, client: str, now: datetime) -> auth.Actor:
    """The one place where a sign-in's name and password are checked (PermissionDenied otherwise).

    `client` is the address the attempt came from, for throttling and the audit.
    """
    outcome = user_table.authenticate(conn, name, password, now, client=client or None)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def open_session(conn: Connection, name: str, password: str, client: str, now: datetime) -> tuple[auth.Actor, str]:
    """Check the password and open a session: (the user, the new token for the cookie).

    The caller commits the transaction whatever happens: a failed attempt's count must stay.
    """
    actor = check_password(conn, name, password, client, now)
    token = secrets.token_urlsafe(32)
    conn.execute(sa.insert(sessions).values(token_hash=token_hash(token), user_name=actor.name, created_at=now,
                                            last_seen_at=now, client=client[:64]))
    return actor, token


def lookup(conn: Connection, token: str, now: datetime) -> Session | None:
    """The live session of `token` (its user's current role), or None: unknown, idle too long, user removed."""
    row = conn.execute(
        sa.select(sessions.c.token_hash, sessions.c.last_seen_at, users.c.name, users.c.role)
        .join(users, users.c.name == sessions.c.user_name)
        .where(sessions.c.token_hash == token_hash(token))
    ).first()
    if row is None or now - row.last_seen_at > idle_limit(row.role):
        return None
    return Session(row.token_hash, auth.Actor(row.name, row.role, via="password"), row.last_seen_at)


def due_for_touch(session: Session, now: datetime) -> bool:
    return now - session.last_seen_at >= TOUCH_EVERY


def touch(conn: Connection, session: Session, now: datetime) -> None:
    conn.execute(sa.update(sessions).where(sessions.c.token_hash == session.token_hash).values(last_seen_at=now))


def close(conn: Connection, token: str) -> bool:
    """End the session of `token` (sign-out); whether there was one."""
    return conn.execute(sa.delete(sessions).where(sessions.c.token_hash == token_hash(token))).rowcount > 0


def purge(conn: Connection, now: datetime) -> int:
    """Remove the sessions that can no longer be used (idle too long, user gone); how many."""
    stale = conn.execute(
        sa.select(sessions.c.token_hash, sessions.c.last_seen_at, users.c.role)
        .join(users, users.c.name == sessions.c.user_name, isouter=True)
    ).all()
    dead = [r.token_hash for r in stale if r.role is None or now - r.last_seen_at > idle_limit(r.role)]
    if dead:
        conn.execute(sa.delete(sessions).where(sessions.c.token_hash.in_(dead)))
    return len(dead)
