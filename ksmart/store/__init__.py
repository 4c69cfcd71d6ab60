"""The versioned store: every accepted upload a version, nothing ever lost.

    open_store(url) -> Store       SQLite file under data/ by default, or
                                   KSMART_DB_URL=postgresql+psycopg://… (same code)

Modules, one job each:

    engine    connections, SQLite pragmas, BEGIN IMMEDIATE / advisory lock, busy -> StoreBusy
    schema    tables, recorded schema version, forward migrations
    codec     frame rows <-> canonical JSON payloads (exact dtype round trip)
    versions  row versions (valid_from / valid_to): planning, writing, reading
    audit     who did what, when
    users     the embedded sign-in's users
    sessions  signed-in browsers (the cookie's token hash), idle expiry
    dump      canonical text of all tables (byte-for-byte comparisons)
    store     the `Store` facade
    merging   three-way merge of an upload against the version its file was exported from
    importing validate an upload against the store, plan (merge, preview) it, commit it

May import: ingest (validation's frames and report) and the ground floor
(reference, settings, errors, frames, auth, the text catalogue). Never
analytics, present, ui or cli.
"""

from __future__ import annotations

import sqlalchemy as sa

from ksmart import settings
from ksmart.store import engine as _engine
from ksmart.store import schema as _schema
from ksmart.store.models import AuditEntry, SheetChanges, Snapshot, VersionInfo
from ksmart.store.store import Store

__all__ = ["open_store", "Store", "VersionInfo", "Snapshot", "AuditEntry", "SheetChanges"]


def open_store(url: str | None = None, *, busy_timeout: float | None = None) -> Store:
    """The store at `url` (None: the KSMART_DB_URL setting), schema created or migrated.

    `busy_timeout` bounds how long a writer waits for another one (seconds;
    default: `engine.busy_timeout_default()`). Raises StoreBusy when the
    database cannot be reached or is locked for longer than that, and
    BadArgument for a URL that is neither SQLite nor PostgreSQL.
    """
    url = url or settings.get("KSMART_DB_URL")
    timeout = _engine.busy_timeout_default() if busy_timeout is None else float(busy_timeout)
    engine = _engine.make_engine(url, timeout)
    try:
        _schema.migrate(engine, timeout)
    except sa.exc.DBAPIError as exc:  # reachable, but not usable: no rights, a read-only file…
        engine.dispose()
        raise _engine.store_unavailable(_engine.first_line(exc), _engine.place(url)) from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, timeout)
