"""Operations: `migrate` backs a store of the previous schema up, then migrates
it with nothing lost; `backup` makes a consistent copy while the store is in
use; the systemd unit and the nginx example are valid and say what the
README says (store path, port, restart policy, WebSocket, sticky sessions).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from devkit import synthetic
from ksmart.store import backup, engine, open_store, schema
from tests.service import (NGINX_CONF, ROOT, UNIT, UNIT_PYTHON, nginx_main_conf, nginx_or_skip, nginx_upstream_idle_seconds,
                           replica_idle_seconds, unit_entries, unit_value)
from tests.store_backends import (ANALYST, SCHEMA, cli, dump_without_migrating, fresh_pg_schema, pg_url,
                                  previous_schema_store)

STORE_PATH = "/var/lib/ksmart/ksmart.db"


def assert_same_data(url: str, versions: list, frames: dict) -> None:
    with open_store(url) as migrated:
        with migrated.engine.connect() as conn:
            assert schema.schema_version(conn) == schema.SCHEMA_VERSION
        assert migrated.versions() == versions
        for number, sheets in frames.items():
            for key, frame in sheets.items():
                pd.testing.assert_frame_equal(migrated.read(number).frames[key], frame)


# --- migrate, backup ----------------------------------------------------------------


@pytest.mark.slow  # `python -m ksmart` processes (each imports the whole CLI)
def test_migrate_backs_up_a_store_of_the_previous_schema_then_migrates_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'store' / 'ksmart.db'}"
    before, versions, frames = previous_schema_store(url)

    done = cli("--db", url, "migrate", "--backup-dir", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    copy = Path(done.stdout.strip())
    assert copy.parent == tmp_path / "backups"
    assert re.fullmatch(rf"ksmart-\d{{8}}T\d{{6}}Z-schema{schema.MIGRATIONS[-2][0]}\.db", copy.name)
    # The backup is the store as it was: one self-contained file, previous schema, same rows.
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert dump_without_migrating(f"sqlite:///{copy}") == (schema.MIGRATIONS[-2][0], before)
    assert_same_data(url, versions, frames)

    again = cli("--db", url, "migrate", "--backup-dir", str(tmp_path / "backups"))
    assert again.returncode == 0 and again.stdout == "", again.stderr  # current: nothing to back up
    assert len(list(copy.parent.iterdir())) == 1


@pytest.mark.slow  # `python -m ksmart` processes (each imports the whole CLI)
def test_migrate_backs_up_beside_an_sqlite_store_by_default(tmp_path):
    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    before, versions, frames = previous_schema_store(url)
    done = cli("--db", url, "--lang", "en", "migrate")
    assert done.returncode == 0, done.stderr
    copy = Path(done.stdout.strip())
    assert copy.parent == tmp_path / "backups" and "Migrated the store's schema" in done.stderr
    assert dump_without_migrating(f"sqlite:///{copy}")[1] == before
    assert_same_data(url, versions, frames)


def test_a_new_store_is_created_without_a_backup(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'ksmart.db'}"
    done = cli("--db", url, "migrate")
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert not (tmp_path / "new" / "backups").exists()
    assert dump_without_migrating(url)[0] == schema.SCHEMA_VERSION


def test_a_store_newer_than_the_program_is_refused_before_any_backup(tmp_path):
    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    open_store(url).close()
    eng = engine.make_engine(url, 5.0)
    with eng.begin() as conn:
        conn.execute(sa.update(schema.meta).values(value=str(schema.SCHEMA_VERSION + 1)))
    eng.dispose()
    done = cli("--db", url, "migrate")
    assert done.returncode == 3 and "스키마" in done.stderr, done.stderr
    assert not (tmp_path / "backups").exists()


def test_backup_while_a_writer_holds_the_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    with open_store(url) as store:
        store.import_frames(synthetic.frames(20, seed=5), mode="replace", reference_date=date(2017, 3, 31),
                            user=ANALYST)
        committed = store.dump()
        # An uncommitted write in progress: the online backup neither waits for it nor sees it.
        with engine.write_transaction(store.engine, 5.0) as conn:
            conn.execute(sa.delete(schema.audit))
            out = backup.backup(url, tmp_path / "copy.db", busy_timeout=1.0)
    assert dump_without_migrating(f"sqlite:///{out}")[1] == committed
    with open_store(f"sqlite:///{out}") as copy:  # a usable store, not just a file
        assert copy.latest_version() == 1


@pytest.mark.slow  # `python -m ksmart` processes (each imports the whole CLI)
def test_backup_command(tmp_path, sample_store):
    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    shutil.copy(sample_store.removeprefix("sqlite:///"), tmp_path / "ksmart.db")  # a seeded store, seeded once
    out = tmp_path / "b" / "copy.db"
    done = cli("--db", url, "backup", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    assert dump_without_migrating(f"sqlite:///{out}") == dump_without_migrating(url)
    refused = cli("--db", url, "backup", str(out))
    assert refused.returncode == 2 and str(out) in refused.stderr  # never overwritten
    missing = cli("--db", f"sqlite:///{tmp_path / 'nothing.db'}", "backup", str(tmp_path / "x.db"))
    assert missing.returncode == 3 and not (tmp_path / "x.db").exists()


@pytest.mark.postgres
def test_postgresql_migrate_runs_pg_dump_first(tmp_path):
    url = pg_url()
    fresh_pg_schema(url)
    if shutil.which("pg_dump") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump is missing (Debian postgresql-client)")
        pytest.skip("pg_dump is not installed")
    before, versions, frames = previous_schema_store(url)
    done = cli("--db", url, "migrate", "--backup-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip())
    assert dump.suffix == ".dump" and dump.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"TABLE DATA {SCHEMA} ksmart_versions ", listing), listing[:2000]
    assert_same_data(url, versions, frames)


@pytest.mark.postgres
def test_postgresql_migrate_without_pg_dump_refuses_unless_told(tmp_path):
    url = pg_url()
    fresh_pg_schema(url)
    previous_schema_store(url)
    no_pg_dump = {"PATH": str(tmp_path)}  # an empty folder: no pg_dump
    refused = cli("--db", url, "--lang", "en", "migrate", "--backup-dir", str(tmp_path), env=no_pg_dump)
    assert refused.returncode == 2 and "pg_dump --format=custom" in refused.stderr, refused.stderr
    assert "PGPASSWORD=…" in refused.stderr and ":ksmart@" not in refused.stderr  # no password shown
    assert dump_without_migrating(url)[0] == schema.MIGRATIONS[-2][0]  # untouched
    assert cli("--db", url, "migrate", env=no_pg_dump).returncode == 2  # no backup folder for PostgreSQL
    done = cli("--db", url, "migrate", "--no-backup", env=no_pg_dump)
    assert done.returncode == 0, done.stderr
    assert dump_without_migrating(url)[0] == schema.SCHEMA_VERSION


def test_pg_dump_command_keeps_the_password_off_the_command_line():
    argv, env = backup.pg_dump_command(
        "postgresql+psycopg://kim:s3cr%40t@db.example.go.kr:5433/ksmart?sslmode=require", Path("/b/x.dump"))
    assert env == {"PGPASSWORD": "s3cr@t"} and "s3cr" not in " ".join(argv)
    assert argv[:4] == ["pg_dump", "--format=custom", "--no-owner", "--file=/b/x.dump"]
    assert argv[4] == "--dbname=host='db.example.go.kr' port='5433' dbname='ksmart' user='kim' sslmode='require'"


# --- the service and the proxy --------------------------------------------------------


def test_unit_names_store_port_restart_and_backs_up_before_start():
    env = [v for k, v in unit_entries() if k == "Environment"]
    assert f"KSMART_DB_URL=sqlite:///{STORE_PATH}" in env
    assert unit_value("Restart") == "on-failure"
    assert unit_value("WorkingDirectory") == "/opt/ksmart/current/app"
    assert unit_value("StateDirectory") == "ksmart" and STORE_PATH.startswith("/var/lib/ksmart/")
    start = unit_value("ExecStart")
    assert "--server.port %i" in start and "--server.address 127.0.0.1" in start
    assert unit_value("ExecStartPre") == "/opt/ksmart/current/bin/ksmart migrate --backup-dir /var/lib/ksmart/backups"
    # The wrapper install.sh writes reaches the same store when no settings file says otherwise.
    assert f"KSMART_DB_URL:-sqlite:///{STORE_PATH}" in (ROOT / "deploy" / "install.sh").read_text()
    assert f"KSMART_DB_URL=sqlite:///{STORE_PATH}" in (ROOT / "deploy" / "ksmart.env").read_text()


def test_unit_passes_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed")
    # verify also checks that the programs exist: the same unit over a stand-in install.
    prefix = tmp_path / "opt"
    for program in ("current/bin/ksmart", UNIT_PYTHON.removeprefix("/opt/ksmart/")):
        path = prefix / program
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    (prefix / "current" / "app").mkdir(parents=True)
    unit = tmp_path / "ksmart@8501.service"
    unit.write_text(UNIT.read_text().replace("/opt/ksmart", str(prefix)))
    done = subprocess.run([tool, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "" and done.stdout.strip() == "", done.stderr


def test_nginx_example_passes_nginx_t(tmp_path):
    nginx = nginx_or_skip()
    conf = nginx_main_conf(tmp_path)
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_nginx_example_upgrades_websockets_and_sticks_to_a_replica():
    text = NGINX_CONF.read_text()
    assert len(re.findall(r"^\s*server 127\.0\.0\.1:\d+", text, flags=re.M)) >= 2
    assert re.search(r"^\s*hash \$ksmart_route consistent;", text, flags=re.M)
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $ksmart_connection;" in text
    assert "proxy_set_header Host $http_host;" in text
    assert re.search(r"location /_stcore/stream \{[^}]*proxy_read_timeout 1h;", text)


def test_nginx_closes_idle_upstream_connections_before_the_replica_does():
    # Otherwise nginx may send a request on a connection the replica is just closing,
    # then retry it on the other replica, which does not hold the browser's session.
    assert nginx_upstream_idle_seconds() < replica_idle_seconds()
