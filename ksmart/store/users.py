"""Users of the embedded sign-in: salted scrypt hashes, the password policy, throttled sign-in.

Names are unique without regard to case (`name_key` is the case-folded name)
and sign-in by name ignores case. Sign-in is throttled per (case-folded name,
client address), never per name alone, so failures from one client cannot
lock the user out of another; unknown names are throttled, hashed and answered
exactly like wrong passwords. Above `KSMART_SIGN_IN_FLOOD` failures a minute
(all clients together) a client that has failed waits a minute; one that has
not failed is never held back (`auth.flood_wait`). The failure state is in the
store, so several servers agree. Every attempt goes to the audit log
(`sign_in`, `sign_in_failed`, `sign_in_wait`) with the name and client.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart import auth, passwords, settings
from ksmart.errors import BadArgument, PermissionDenied
from ksmart.i18n import pair
from ksmart.store import audit
from ksmart.store.schema import sign_in_failures as failures
from ksmart.store.schema import sign_in_rate as rate
from ksmart.store.schema import users

_NAME_CHARS = 200  # the columns' size: a typed name or address is cut to it before it is stored
_FORGET_AFTER = timedelta(days=1)  # failure rows older than this no longer count


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def key(name: str) -> str:
    """What names are compared by: stripped, case-folded."""
    return name.strip().casefold()[:_NAME_CHARS]


def _row(conn: Connection, name: str):
    """The user `name` names: the exact name first, else the one case-insensitive match.
    Two case twins of an older store, neither named exactly, count as unknown (migrate reports them)."""
    found = conn.execute(sa.select(users).where(users.c.name_key == key(name))).all()
    exact = [r for r in found if r.name == name.strip()]
    return exact[0] if exact else (found[0] if len(found) == 1 else None)


def add(conn: Connection, name: str, role: str, password: str) -> None:
    name = name.strip()
    auth.check_role(role)
    if not name or len(name) > _NAME_CHARS or not name.isprintable():
        raise BadArgument("bad_user", *pair("security.bad_name", max_length=_NAME_CHARS))
    passwords.check(password, name)
    # Writers are serialised (engine.write_transaction), so this check cannot race another add.
    twin = conn.execute(sa.select(users.c.name).where(users.c.name_key == key(name))).scalar()
    if twin is not None:
        raise BadArgument("user_exists", *pair("error.user_exists", name=twin))
    conn.execute(sa.insert(users).values(name=name, name_key=key(name), role=role,
                                         password_hash=auth.hash_password(password), failed_attempts=0,
                                         created_at=_now(), must_change=False, password_ok=True))


def set_password(conn: Connection, name: str, password: str) -> str:
    """Give user `name` a new password (checked against the policy); clears `must_change`.
    Returns the stored name; BadArgument for an unknown user or a refused password."""
    row = _row(conn, name)
    if row is None:
        raise BadArgument("unknown_user", *pair("error.unknown_user", name=name))
    passwords.check(password, row.name)
    if auth.verify_password(password, row.password_hash):
        raise BadArgument("password_same", *pair("security.password_same"))
    conn.execute(sa.update(users).where(users.c.name == row.name).values(
        password_hash=auth.hash_password(password), must_change=False, password_ok=True))
    return row.name


def remove(conn: Connection, name: str) -> bool:
    return conn.execute(sa.delete(users).where(users.c.name == name)).rowcount > 0


def listing(conn: Connection) -> list[dict]:
    result = conn.execute(sa.select(users.c.name, users.c.role, users.c.created_at, users.c.must_change)
                          .order_by(users.c.name))
    return [{**r._mapping, "must_change": bool(r.must_change)} for r in result]


def must_change(conn: Connection, name: str) -> bool:
    row = _row(conn, name)
    return bool(row is not None and row.must_change)


# --- sign-in -----------------------------------------------------------------------------


def authenticate(conn: Connection, name: str, password: str, now: datetime | None = None, *,
                 client: str | None = None) -> auth.Actor | PermissionDenied:
    """The signed-in actor, or the refusal to raise once this transaction is committed.

    `client` is the address the attempt came from (None: unknown, counted as
    one client ""). The answer and the work done are the same for an unknown
    name as for a wrong password: one hash, one failure row, one audit entry.
    """
    now = now or _now()
    folded, where = key(name), (client or "")[:_NAME_CHARS]
    shown = name.strip()[:_NAME_CHARS]
    wait = max(_pair_wait(conn, folded, where, now), _flood_wait(conn, where, now))
    if wait:
        _audit(conn, now, shown, "sign_in_wait", where)
        return PermissionDenied("sign_in_wait", *pair("error.sign_in_wait", wait=wait), wait=wait)
    row = _row(conn, name)
    # Hash even for an unknown name, against a hash of the same cost, so timing does not tell.
    if auth.verify_password(password, row.password_hash if row is not None else _DUMMY_HASH) and row is not None:
        conn.execute(sa.delete(failures).where(failures.c.name_key == folded, failures.c.client == where))
        change = bool(row.must_change) or not _record_policy(conn, row, password)
        _audit(conn, now, row.name, "sign_in", where)
        return auth.Actor(row.name, row.role, via="password", must_change=change)
    _count_failure(conn, folded, where, now)
    _audit(conn, now, shown, "sign_in_failed", where)
    return PermissionDenied("sign_in_failed", *pair("error.sign_in_failed"))


def _record_policy(conn: Connection, row, password: str) -> bool:
    """Whether the password just given meets the policy; a failing one makes a change due."""
    ok = passwords.meets(password, row.name)
    if row.password_ok is None or bool(row.password_ok) != ok:
        conn.execute(sa.update(users).where(users.c.name == row.name)
                     .values(password_ok=ok, **({} if ok else {"must_change": True})))
    return ok


def _pair_wait(conn: Connection, folded: str, where: str, now: datetime) -> int:
    found = conn.execute(sa.select(failures.c.failed_attempts, failures.c.last_failed_at)
                         .where(failures.c.name_key == folded, failures.c.client == where)).first()
    return auth.wait_remaining(found.failed_attempts, found.last_failed_at, now) if found else 0


def _flood_wait(conn: Connection, where: str, now: datetime) -> int:
    counter = conn.execute(sa.select(rate.c.window_start, rate.c.failures).where(rate.c.id == 1)).first()
    if counter is None or now - counter.window_start >= timedelta(seconds=auth.FLOOD_WINDOW_SECONDS):
        return 0
    last = conn.execute(sa.select(sa.func.max(failures.c.last_failed_at)).where(failures.c.client == where)).scalar()
    return auth.flood_wait(counter.failures, int(settings.get("KSMART_SIGN_IN_FLOOD")), last, now)


def _count_failure(conn: Connection, folded: str, where: str, now: datetime) -> None:
    conn.execute(sa.delete(failures).where(failures.c.last_failed_at < now - _FORGET_AFTER))
    updated = conn.execute(sa.update(failures).where(failures.c.name_key == folded, failures.c.client == where)
                           .values(failed_attempts=failures.c.failed_attempts + 1, last_failed_at=now))
    if updated.rowcount == 0:
        conn.execute(sa.insert(failures).values(name_key=folded, client=where, failed_attempts=1, last_failed_at=now))
    counter = conn.execute(sa.select(rate.c.window_start).where(rate.c.id == 1)).scalar()
    if counter is None:
        conn.execute(sa.insert(rate).values(id=1, window_start=now, failures=1))
    elif now - counter >= timedelta(seconds=auth.FLOOD_WINDOW_SECONDS):
        conn.execute(sa.update(rate).where(rate.c.id == 1).values(window_start=now, failures=1))
    else:
        conn.execute(sa.update(rate).where(rate.c.id == 1).values(failures=rate.c.failures + 1))


def _audit(conn: Connection, now: datetime, name: str, action: str, where: str) -> None:
    audit.record(conn, at=now.replace(tzinfo=timezone.utc), user=name or "?", action=action, version=None,
                 detail=f"client {where or '?'}")


# --- what migrate reports ----------------------------------------------------------------


def policy_report(conn: Connection) -> dict[str, list]:
    """Users the policy cannot vouch for, and marks the weak ones `must_change`:

    `twins`: groups of names equal without regard to case (remove or rename all but one);
    `weak`: users whose password failed the policy when last given (a change is due);
    `unchecked`: users whose password was set before the policy (checked at their next sign-in).
    """
    rows = conn.execute(sa.select(users.c.name, users.c.name_key, users.c.password_ok).order_by(users.c.name)).all()
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r.name_key or key(r.name), []).append(r.name)
    weak = [r.name for r in rows if r.password_ok is not None and not r.password_ok]
    if weak:
        conn.execute(sa.update(users).where(users.c.name.in_(weak)).values(must_change=True))
    return {"twins": [names for names in groups.values() if len(names) > 1], "weak": weak,
            "unchecked": [r.name for r in rows if r.password_ok is None]}


_DUMMY_HASH = auth.hash_password("not a real password")
