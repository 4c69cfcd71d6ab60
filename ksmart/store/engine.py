"""Connections to the store: one code path for SQLite and PostgreSQL.

Why this module exists: the two backends serialise writers differently, and
everything above it must not care.

- SQLite (the default, one file under `data/`): WAL journal so readers never
  wait for a writer and always see the last committed version; writers open
  their transaction with `BEGIN IMMEDIATE`, so the write lock is taken before
  anything is read and two writers can never interleave; a busy timeout bounds
  the wait. The driver's own transaction handling is switched off
  (`isolation_level=None`) so that SQLAlchemy's begin/commit are the real ones.
- PostgreSQL (several app servers): writers take a transaction-level advisory
  lock (`pg_try_advisory_xact_lock`), polled until the same timeout; readers use
  REPEATABLE READ so that the four sheets of one read come from one snapshot.

A writer that cannot get the lock in time, or a server that cannot be reached,
becomes `errors.StoreBusy` (exit 3): nothing was written.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from ksmart import settings
from ksmart.errors import BadArgument, StoreBusy
from ksmart.i18n import pair

# Any constant works; "ksmart" in ASCII, so it is recognisable in pg_locks.
ADVISORY_LOCK_KEY = 0x6B736D617274
_WRITE_OPTION = "ksmart_write"
_PAGE_SIZE = 16384


def busy_timeout_default() -> float:
    """The writer's bounded wait (KSMART_BUSY_TIMEOUT)."""
    return float(settings.get("KSMART_BUSY_TIMEOUT"))


def store_busy(detail: str = "") -> StoreBusy:
    ko, en = pair("error.store_busy")
    return StoreBusy("store_busy", ko, en + (f" ({detail})" if detail else ""))  # the driver's words: English


def store_unavailable(detail: str = "", where: str = "") -> StoreBusy:
    """The store cannot be used; `where` says which one (`place`), `detail` what the driver said."""
    ko, en = pair("error.store_unavailable")
    said = ": ".join(p for p in (where, detail) if p)
    return StoreBusy("store_unavailable", ko + (f" ({said})" if said else ""), en + (f" ({said})" if said else ""))


def place(url: str | sa.engine.URL) -> str:
    """Where a store is, for a message: the SQLite file, or PostgreSQL's host, port and
    database (never the user or password)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return ""
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def unusable(exc: BaseException) -> bool:
    """A driver error that says the store itself cannot be used (unreachable, corrupt, read-only),
    not a mistake in a statement (integrity, programming errors stay what they are)."""
    return isinstance(exc, sa.exc.OperationalError) or type(exc) is sa.exc.DatabaseError


def first_line(exc: BaseException) -> str:
    """The driver's message, first line only (psycopg adds hints and context)."""
    return (str(getattr(exc, "orig", exc)).strip().splitlines() or [""])[0]


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def bad_url(url: str, why: str) -> BadArgument:
    shown = sa.engine.make_url(url).render_as_string(hide_password=True) if "://" in url else url
    return BadArgument("bad_db_url", *pair("error.bad_db_url", url=shown, why=why))


def make_engine(url: str, busy_timeout: float) -> Engine:
    """An engine for `url` with the pragmas and begin behaviour described above.

    `postgresql://` and `postgres://` mean psycopg 3 (the driver ksmart ships
    with); other backends than SQLite and PostgreSQL are refused (exit 2).
    """
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise bad_url(url, "not an SQLAlchemy URL") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise bad_url(url, f"backend {backend} is not supported")
    if backend == "postgresql":
        try:
            return sa.create_engine(parsed, pool_pre_ping=True)
        except (ImportError, sa.exc.NoSuchModuleError) as exc:
            raise bad_url(url, f"driver {parsed.drivername} is not installed") from exc

    memory = parsed.database in (None, "", ":memory:")
    if not memory:
        try:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store_unavailable(exc.strerror, parsed.database) from exc
    engine = sa.create_engine(
        parsed,
        connect_args={"timeout": busy_timeout, "check_same_thread": False},
        **({"poolclass": StaticPool} if memory else {}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy's begin event below emits BEGIN
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        # 16 KB pages for a new store (an existing one keeps its own): rows are ~0.5 KB of JSON,
        # and writing 50,000 of them takes 0.25 s with SQLite's default 4 KB pages, 0.19 s with these.
        # Only takes effect before the first page is written, hence before the journal mode.
        cur.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
        if not memory:
            cur.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit that returned is on disk, even across a power cut.
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get(_WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _is_busy(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.OperationalError):
        code = getattr(orig, "sqlite_errorcode", None)
        return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(orig) or "busy" in str(orig)
    return False


@contextmanager
def _connect(engine: Engine) -> Iterator[Connection]:
    """A connection; an unreachable server or a locked SQLite file is StoreBusy."""
    try:
        conn = engine.connect()
    except sa.exc.OperationalError as exc:
        if _is_busy(exc):
            raise store_busy(str(exc.orig)) from exc
        raise store_unavailable(first_line(exc), place(engine.url)) from exc
    with conn:
        yield conn


def _advisory_lock(conn: Connection, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pause = 0.02
    while not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar():
        if time.monotonic() >= deadline:
            raise store_busy(f"advisory lock not granted within {timeout:g} s")
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


@contextmanager
def write_transaction(engine: Engine, busy_timeout: float) -> Iterator[Connection]:
    """One writer transaction, serialised with every other writer of the store.

    Commits when the block ends, rolls back on any exception. Raises StoreBusy
    when another writer holds the store for longer than `busy_timeout`.
    """
    try:
        with _connect(engine) as conn:
            if is_sqlite(engine):
                conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                if not is_sqlite(engine):
                    _advisory_lock(conn, busy_timeout)
                yield conn
    except sa.exc.DBAPIError as exc:
        _translate(exc, engine)
        raise


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read-only snapshot: every query in the block sees the same commit."""
    try:
        with _connect(engine) as conn:
            if not is_sqlite(engine):
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
    except sa.exc.DBAPIError as exc:
        _translate(exc, engine)
        raise


def _translate(exc: sa.exc.DBAPIError, engine: Engine) -> None:
    """Raise StoreBusy for a busy or unusable store (located); return for any other error."""
    if _is_busy(exc):
        raise store_busy(str(exc.orig)) from exc
    if unusable(exc):
        raise store_unavailable(first_line(exc), place(engine.url)) from exc
