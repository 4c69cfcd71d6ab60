"""Backups of the store, and the schema migration that takes one first.

    backup(url, out) -> Path              SQLite: online backup API; PostgreSQL: pg_dump -Fc
    migrate(url, backup_dir=None, ...)    back up when the schema is behind, then migrate

Why: `open_store` moves the schema forward on start and a step is never undone,
so an upgrade needs a copy of the store as it was. `migrate` (the service runs
it before every start) does nothing when the schema is current; when it is
behind, it first writes `ksmart-<UTC time>-schema<N>.db` (or `.dump`), then
migrates. An empty or new store (schema 0) has nothing to lose: no backup.

SQLite backups use the online backup API (`sqlite3.Connection.backup`): a
consistent copy of the last commit, WAL included, while the app keeps serving
(readers and writers are not blocked). The copy is written under a temporary
name, switched to rollback-journal mode (one self-contained file), checked with
`PRAGMA quick_check`, flushed to disk, and only then renamed into place.

PostgreSQL backups run `pg_dump --format=custom` (restore with `pg_restore`)
when `pg_dump` is on PATH; the password goes through PGPASSWORD, never on the
command line. Without `pg_dump`, `migrate` refuses and prints the command to
run, unless `--no-backup` says the operator made their own.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from ksmart.errors import BadArgument, StoreBusy
from ksmart.i18n import pair
from ksmart.store import engine as eng
from ksmart.store import schema


@dataclass(frozen=True)
class Migration:
    """What `migrate` did: schema found and reached, and the backup written (if any)."""

    found: int
    reached: int
    backup: Path | None


def _url(url: str) -> sa.engine.URL:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise eng.bad_url(url, "not an SQLAlchemy URL") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise eng.bad_url(url, f"backend {backend} is not supported")
    return parsed


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite store; None for PostgreSQL. An in-memory store is refused."""
    parsed = _url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if parsed.database in (None, "", ":memory:"):
        raise BadArgument("memory_store", *pair("error.memory_store"))
    return Path(parsed.database).expanduser()


def _exists(out: Path) -> BadArgument:
    return BadArgument("backup_exists", *pair("error.backup_exists", path=out))


def backup(url: str, out: str | Path, busy_timeout: float | None = None) -> Path:
    """Write a consistent copy of the store at `url` to `out` (never overwritten).

    Raises BadArgument when `out` exists or pg_dump is missing, StoreBusy when
    the store cannot be read or the dump fails.
    """
    out = Path(out).expanduser()
    if out.exists():
        raise _exists(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    timeout = eng.busy_timeout_default() if busy_timeout is None else float(busy_timeout)
    path = sqlite_path(url)
    partial = out.with_name(out.name + ".partial")
    try:
        if path is not None:
            _backup_sqlite(path, partial, timeout)
        else:
            _backup_postgres(url, partial)
        _fsync(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _backup_sqlite(src: Path, dest: Path, timeout: float) -> None:
    if not src.is_file():
        raise eng.store_unavailable(f"{src}: no such file")
    try:
        source = sqlite3.connect(str(src), timeout=timeout)
        try:
            copy = sqlite3.connect(str(dest))
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal/-shm beside it
                check = copy.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise eng.store_busy(str(exc)) from exc
        raise eng.store_unavailable(str(exc)) from exc
    if check != "ok":
        raise StoreBusy("backup_corrupt", *pair("error.backup_corrupt", check=check))


def pg_dump_command(url: str, out: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments and the environment it needs (the password as PGPASSWORD)."""
    parsed = _url(url)
    words = {"host": parsed.host, "port": parsed.port, "dbname": parsed.database, "user": parsed.username}
    words.update({k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()})
    conninfo = " ".join(f"{k}={_conninfo_value(str(v))}" for k, v in words.items() if v not in (None, ""))
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={out}", f"--dbname={conninfo}"], env


def _conninfo_value(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _backup_postgres(url: str, dest: Path) -> None:
    argv, env = pg_dump_command(url, dest)
    if shutil.which(argv[0]) is None:
        raise BadArgument("pg_dump_missing", *pair("error.pg_dump_missing", command=_shown(url, dest)))
    done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise StoreBusy("backup_failed", *pair("error.backup_failed", detail=detail))


def _shown(url: str, out: Path) -> str:
    argv, env = pg_dump_command(url, out)
    return ("PGPASSWORD=… " if env else "") + shlex.join(argv)


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def schema_state(url: str, busy_timeout: float | None = None) -> tuple[int, int]:
    """(recorded schema version, this program's) without changing anything."""
    timeout = eng.busy_timeout_default() if busy_timeout is None else float(busy_timeout)
    engine = eng.make_engine(url, timeout)
    try:
        with eng.read_transaction(engine) as conn:
            return schema.schema_version(conn), schema.SCHEMA_VERSION
    except sa.exc.DBAPIError as exc:
        raise eng.store_unavailable(eng.first_line(exc)) from exc
    finally:
        engine.dispose()


def backup_name(found: int, backend: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    return f"ksmart-{stamp}-schema{found}.{'db' if backend == 'sqlite' else 'dump'}"


def default_backup_dir(url: str) -> Path:
    """`backups/` beside an SQLite store; PostgreSQL has no such place (BadArgument)."""
    path = sqlite_path(url)
    if path is None:
        raise BadArgument("backup_dir_needed", *pair("error.backup_dir_needed"))
    return path.parent / "backups"


def migrate(url: str, backup_dir: str | Path | None = None, *, no_backup: bool = False,
            busy_timeout: float | None = None) -> Migration:
    """Bring the store's schema up to date, backing it up first when it is behind.

    A store newer than this program is refused (StoreBusy "store_too_new", as
    `open_store` does) before anything is written.
    """
    timeout = eng.busy_timeout_default() if busy_timeout is None else float(busy_timeout)
    found, target = schema_state(url, timeout)
    written = None  # a newer store gets no backup: schema.migrate refuses it below
    if 0 < found < target and not no_backup:
        folder = Path(backup_dir).expanduser() if backup_dir else default_backup_dir(url)
        backend = "sqlite" if sqlite_path(url) is not None else "postgresql"
        out = folder / backup_name(found, backend)
        for n in range(2, 100):  # two replicas starting in the same second
            if not out.exists():
                break
            out = out.with_name(f"{out.stem}-{n}{out.suffix}")
        written = backup(url, out, timeout)
    engine = eng.make_engine(url, timeout)
    try:
        reached = schema.migrate(engine, timeout)
    except sa.exc.DBAPIError as exc:
        raise eng.store_unavailable(eng.first_line(exc), eng.place(url)) from exc
    finally:
        engine.dispose()
    return Migration(found, reached, written)
