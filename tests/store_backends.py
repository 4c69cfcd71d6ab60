"""Store test fixtures shared by the store suites: the same tests on every backend.

`store_url` is parametrised over SQLite (a file in tmp_path) and PostgreSQL
(the server in KSMART_TEST_PG_URL). Each PostgreSQL test gets a fresh schema
of its own (dropped and created again, a few milliseconds), selected through
the connection's search_path, so tests never see each other's tables and do
not disturb anything else in the test database; subprocesses get the same URL.

Without KSMART_TEST_PG_URL, or with a server that does not answer, the
PostgreSQL cases are skipped with the reason, except under CI=true, where
they fail: CI must never pass by skipping them (`.ci/run` starts a server).

The fixtures `store_url` and `store` are in conftest.py; this module holds
what they and the store suites use.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import textwrap
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from devkit import synthetic
from ksmart.auth import Actor
from ksmart.store import engine, schema
from ksmart.store.store import Store


ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "KSMART_TEST_PG_URL"
SCHEMA = f"ksmart_t{os.getpid()}"
ANALYST = Actor("lee", "analyst")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@lru_cache(maxsize=1)
def _pg_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        return f"{PG_ENV} is not set (CI sets it; locally e.g. {PG_ENV}=postgresql+psycopg://ksmart:ksmart@127.0.0.1:5432/ksmart_test)"
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect: report it, do not crash collection
        return f"PostgreSQL at {PG_ENV} is not reachable: {str(exc).strip().splitlines()[0]}"
    return None


def pg_url() -> str:
    """The test server's URL with this session's schema first in the search_path."""
    problem = _pg_problem()
    if problem:
        if in_ci():
            pytest.fail(f"PostgreSQL store tests must run in CI: {problem}")
        pytest.skip(f"PostgreSQL store tests skipped: {problem}")
    base = os.environ[PG_ENV].strip()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={SCHEMA}')}"


def fresh_pg_schema(url: str) -> None:
    if not _cleanup_registered:
        atexit.register(drop_pg_schema)
        _cleanup_registered.append(True)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


_cleanup_registered: list = []


def drop_pg_schema() -> None:
    if _pg_problem() is None:
        engine = sa.create_engine(os.environ[PG_ENV].strip())
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


def integrity_ok(store) -> bool:
    """SQLite's own check; PostgreSQL has none comparable (its WAL recovery is the guarantee)."""
    if store.backend != "sqlite":
        return True
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def python(code: str, *args: str, env: dict | None = None, timeout: float = 60, **popen) -> subprocess.Popen:
    """Start `code` in a fresh interpreter with ksmart importable."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen,
    )


def cli(*argv: str, env: dict | None = None, timeout: float = 60, input: str | None = None) -> subprocess.CompletedProcess:
    """`python -m ksmart …` in a subprocess (real exit codes, real stderr)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "ksmart", *argv], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout, input=input)


# --- a store of the previous schema (test_ops.py, test_bundle.py) -----------------------------


def previous_schema_store(url: str) -> tuple[str, list, dict]:
    """A store made by the previous schema version with two versions of data:
    (its dump, its versions, the frames of each version)."""
    eng = engine.make_engine(url, 5.0)
    assert schema.migrate(eng, 5.0, schema.MIGRATIONS[:-1]) == schema.MIGRATIONS[-2][0]
    old = Store(eng, 5.0)
    old.import_frames(synthetic.frames(30, seed=3), mode="replace", reference_date=date(2017, 3, 31), user=ANALYST)
    old.import_frames({"projects": synthetic.frames(4, seed=4)["projects"]}, reference_date=date(2017, 9, 30),
                      user=ANALYST)
    state = old.dump(), old.versions(), {n: old.read(n).frames for n in (1, 2)}
    old.close()
    return state


def dump_without_migrating(url: str) -> tuple[int, str]:
    eng = engine.make_engine(url, 5.0)
    try:
        with eng.connect() as conn:
            found = schema.schema_version(conn)
        return found, Store(eng, 5.0).dump()
    finally:
        eng.dispose()
