"""The store's tables, its recorded schema version, and forward migrations.

Why: stores live for years on analysts' servers and are never rebuilt, so the
schema can only move forward, one recorded step at a time. `ksmart_meta` holds
`schema_version`; `MIGRATIONS` lists the steps in order; `migrate` applies the
missing ones inside one writer transaction (so two servers starting at once
cannot both migrate) and refuses a store written by a newer ksmart.

Tables (version 1):

- `ksmart_versions`: one row per version (dense numbers 1, 2, 3 …).
- `ksmart_rows`: one row per *row version* of any sheet. A row is current in
  versions `valid_from <= v < valid_to` (`valid_to` NULL: still current), so
  storage grows with the rows that changed, never with full copies. `payload`
  is the canonical JSON of the row (see `codec`) and `digest` its hash (so a
  change check reads 32 characters a row, not the row), `id_key` the folded
  id, `ord` its place in the sheet (first appearance).
- `ksmart_audit`: who imported, replaced, seeded or rolled back what, and when.

Version 2 adds `ksmart_users`: the embedded sign-in (name, role, salted scrypt
hash, failed attempts for the sign-in delay).

Version 3 (issue 17) makes sign-in hold against other clients and names
unique without regard to case: `ksmart_users` gains `name_key` (the
case-folded name, what sign-in and uniqueness compare), `must_change` (a new
password is due at the next sign-in) and `password_ok` (whether the password
met the policy when it was last given: NULL for one set before the policy, so
the next sign-in checks it); `ksmart_sign_in_failures` keeps failed attempts
per (case-folded name, client address), for known and unknown names alike, and
`ksmart_sign_in_rate` counts failures of the current minute, all clients
together (the flood ceiling). The old per-user failure columns stay, unused.

Version 4 adds `ksmart_sessions`: one row per signed-in browser (the hash of
its cookie's token, never the token), so every server of one store agrees on
who is signed in, and a sign-out or an idle expiry ends it everywhere.

Version 5 records `store_id` in `ksmart_meta`: a random id made once, that
exports carry so that an upload knows whether its base version is this
store's (a copy of another store's export has no base here).
"""

from __future__ import annotations

import uuid
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ksmart.errors import StoreBusy
from ksmart.i18n import pair
from ksmart.store import engine as eng

metadata = sa.MetaData()

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

meta = sa.Table(
    "ksmart_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

versions = sa.Table(
    "ksmart_versions",
    metadata,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("reference_date", sa.Date, nullable=False),
    sa.Column("committed_at", sa.DateTime(timezone=False), nullable=False),  # naive UTC on both backends
    sa.Column("user_name", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("sha256", sa.String(64), nullable=False, default=""),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("illustrative", sa.Boolean, nullable=False, default=False),
    sa.Column("counts", sa.Text, nullable=False),  # JSON {sheet: rows in this version}
    sa.Index("ix_ksmart_versions_reference_date", "reference_date"),
)

rows = sa.Table(
    "ksmart_rows",
    metadata,
    sa.Column("id", _BigId, primary_key=True, autoincrement=True),
    sa.Column("sheet", sa.String(16), nullable=False),
    sa.Column("id_key", sa.Text, nullable=False),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("valid_from", sa.Integer, sa.ForeignKey("ksmart_versions.number"), nullable=False),
    sa.Column("valid_to", sa.Integer, nullable=True),
    sa.Column("digest", sa.String(32), nullable=False),  # blake2b-128 of payload: cheap change detection
    sa.Column("payload", sa.Text, nullable=False),
    sa.Index("ix_ksmart_rows_current", "sheet", "valid_to"),
    sa.Index("ix_ksmart_rows_key", "sheet", "id_key"),
)

audit = sa.Table(
    "ksmart_audit",
    metadata,
    sa.Column("id", _BigId, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=False), nullable=False),
    sa.Column("user_name", sa.String(200), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)


def _users_v2_columns() -> list[sa.Column]:
    return [
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
        sa.Column("last_failed_at", sa.DateTime(timezone=False), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
    ]


# The columns version 3 adds to ksmart_users, as (name, SQL type, SQL default or None).
_USERS_V3_COLUMNS = [("name_key", sa.String(200), None), ("must_change", sa.Boolean(), "FALSE"),
                     ("password_ok", sa.Boolean(), None)]

users = sa.Table(
    "ksmart_users",
    metadata,
    *_users_v2_columns(),
    sa.Column("name_key", sa.String(200), nullable=True, index=True),
    sa.Column("must_change", sa.Boolean, nullable=False, default=False),
    sa.Column("password_ok", sa.Boolean, nullable=True),
)

sign_in_failures = sa.Table(
    "ksmart_sign_in_failures",
    metadata,
    sa.Column("name_key", sa.String(200), primary_key=True),
    sa.Column("client", sa.String(200), primary_key=True),  # "" when the caller gave no address
    sa.Column("failed_attempts", sa.Integer, nullable=False),
    sa.Column("last_failed_at", sa.DateTime(timezone=False), nullable=False),
    sa.Index("ix_ksmart_sign_in_failures_client", "client", "last_failed_at"),
    sa.Index("ix_ksmart_sign_in_failures_at", "last_failed_at"),  # forgetting old rows
)

sign_in_rate = sa.Table(
    "ksmart_sign_in_rate",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # always 1: one counter
    sa.Column("window_start", sa.DateTime(timezone=False), nullable=False),
    sa.Column("failures", sa.Integer, nullable=False),
)


sessions = sa.Table(
    "ksmart_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 hex of the cookie's token
    sa.Column("user_name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=False), nullable=False),
    sa.Column("client", sa.String(64), nullable=False, default=""),  # the address it signed in from
    sa.Index("ix_ksmart_sessions_user", "user_name"),
)


def _v1_create_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[meta, versions, rows, audit])


def _v2_users(conn: Connection) -> None:
    # The table as version 2 made it (its own MetaData): `users` above has version 3's columns.
    sa.Table(users.name, sa.MetaData(), *_users_v2_columns()).create(conn)


def _v3_sign_in(conn: Connection) -> None:
    for name, kind, default in _USERS_V3_COLUMNS:
        sql_type = kind.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {users.name} ADD COLUMN {name} {sql_type}"
                             + (f" NOT NULL DEFAULT {default}" if default else ""))
    conn.exec_driver_sql(f"CREATE INDEX ix_ksmart_users_name_key ON {users.name} (name_key)")
    for (name,) in conn.execute(sa.select(users.c.name)).all():
        conn.execute(sa.update(users).where(users.c.name == name).values(name_key=name.casefold()))
    metadata.create_all(conn, tables=[sign_in_failures, sign_in_rate])


def _v4_sessions(conn: Connection) -> None:
    metadata.create_all(conn, tables=[sessions])


def _v5_store_id(conn: Connection) -> None:
    conn.execute(sa.insert(meta).values(key=STORE_ID_KEY, value=uuid.uuid4().hex))


# Ordered steps: (schema version reached, step). A later step alters tables
# with plain DDL on `conn`; never edit a released step.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1_create_tables),
    (2, _v2_users),
    (3, _v3_sign_in),
    (4, _v4_sessions),
    (5, _v5_store_id),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


STORE_ID_KEY = "store_id"


def store_id(conn: Connection) -> str | None:
    """The store's id (None before schema version 3)."""
    if not sa.inspect(conn).has_table(meta.name):
        return None
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == STORE_ID_KEY)).scalar()


def schema_version(conn: Connection) -> int:
    """The recorded schema version; 0 for a database without our tables."""
    if not sa.inspect(conn).has_table(meta.name):
        return 0
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def _too_new(found: int) -> StoreBusy:
    return StoreBusy("store_too_new", *pair("error.store_too_new", found=found, known=SCHEMA_VERSION))


def migrate(engine: Engine, busy_timeout: float, steps: list | None = None) -> int:
    """Bring the schema up to date; returns the schema version now recorded.

    A cheap read first, so that opening an up-to-date store takes no write lock.
    """
    steps = MIGRATIONS if steps is None else steps
    target = steps[-1][0]
    with eng.read_transaction(engine) as conn:
        found = schema_version(conn)
    if found > target:
        raise _too_new(found)
    if found == target:
        return found
    with eng.write_transaction(engine, busy_timeout) as conn:
        found = schema_version(conn)  # again, under the lock: another server may have done it
        if found > target:
            raise _too_new(found)
        for number, step in steps:
            if number > found:
                step(conn)
                _record(conn, number)
                found = number
    return found


def _record(conn: Connection, number: int) -> None:
    updated = conn.execute(sa.update(meta).where(meta.c.key == "schema_version").values(value=str(number)))
    if updated.rowcount == 0:
        conn.execute(sa.insert(meta).values(key="schema_version", value=str(number)))
