"""Nothing is lost: failures mid-commit, killed writers, concurrent writers and readers.

Each test runs on SQLite and PostgreSQL (see store_backends). Writers are
paused inside their transaction by wrapping `versions._insert_rows`, so the
moment of failure is deterministic rather than a race with a timer.
"""

from __future__ import annotations

import signal
import threading
from datetime import date

import pytest

from devkit import synthetic
from ksmart import cli
from ksmart.auth import Actor
from ksmart.present import exporting
from ksmart.store import audit, engine, open_store, versions
from tests.store_backends import integrity_ok, python

D1, D2 = date(2016, 6, 30), date(2016, 9, 30)

# A writer that stops inside its transaction, after its rows are written, and
# waits (prints "inside", then blocks on stdin) until it is released or killed.
PAUSED_WRITER = """
import sys
from datetime import date
from devkit import synthetic
from ksmart.store import open_store, versions
from ksmart.auth import Actor

real = versions._insert_rows
paused = []

def pause_after_rows(conn, sheet, inserts, number):
    real(conn, sheet, inserts, number)
    if not paused:
        paused.append(1)
        print("inside", flush=True)
        sys.stdin.readline()  # until released (or killed)

versions._insert_rows = pause_after_rows
store = open_store(sys.argv[1])
info = store.import_frames(synthetic.frames(int(sys.argv[2]), seed=11), mode="replace",
                           reference_date=date(2017, 3, 31), user=Actor("writer", "analyst"))
print("committed", info.number, flush=True)
"""


def _wait_inside(proc) -> None:
    line = proc.stdout.readline()
    assert line.strip() == "inside", f"writer did not reach its transaction: {line!r} {proc.stderr.read()}"


@pytest.fixture
def v1(store):
    data = synthetic.frames(80, seed=1)
    store.import_frames(data, mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    return data


def _assert_still_v1(url, data, dump=None):
    s = open_store(url)
    try:
        assert s.latest_version() == 1 and len(s.versions()) == 1 and len(s.audit()) == 1
        got = s.read().frames
        assert all(got[k].equals(data[k]) for k in data)
        assert integrity_ok(s)
        if dump is not None:
            assert s.dump() == dump
        # the store still takes writes, and numbers stay dense
        info = s.import_frames({"projects": synthetic.frames(5, seed=99)["projects"]}, reference_date=D2, user=Actor("u", "analyst"))
        assert info.number == 2
    finally:
        s.close()


@pytest.mark.parametrize("where", ["after_rows", "at_audit", "rollback_audit"])
def test_an_exception_in_the_middle_of_a_commit_leaves_the_previous_version(store, store_url, v1, monkeypatch, where):
    before = store.dump()
    if where == "after_rows":
        real = versions._insert_rows

        def boom(conn, *args):
            real(conn, *args)
            raise RuntimeError("injected")

        monkeypatch.setattr(versions, "_insert_rows", boom)
    else:
        monkeypatch.setattr(audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("injected")))
    with pytest.raises(RuntimeError, match="injected"):
        if where == "rollback_audit":
            store.rollback(1, user=Actor("u", "analyst"))
        else:
            store.import_frames(synthetic.frames(120, seed=2), mode="replace", reference_date=D2, user=Actor("u", "analyst"))
    monkeypatch.undo()
    _assert_still_v1(store_url, v1, before)


@pytest.mark.slow
def test_a_writer_holding_the_store_makes_others_busy_and_killed_leaves_the_previous_version(
        store, store_url, v1, tmp_path, monkeypatch, capsys):
    workbook = tmp_path / "upload.xlsx"
    exporting.write_xlsx({"projects": synthetic.frames(10, seed=8)["projects"]}, workbook, reference_date=D2)
    before = store.dump()
    store.close()
    holder = python(PAUSED_WRITER, store_url, "3000", stdin=-1)
    try:
        _wait_inside(holder)  # 3000 projects written, not committed
        with open_store(store_url) as reader:  # another process reads the last committed version
            assert reader.latest_version() == 1 and reader.read().frames["projects"].equals(v1["projects"])
        monkeypatch.setattr(engine, "busy_timeout_default", lambda: 0.5)  # fail fast instead of waiting 5 s
        assert cli.main(["--lang", "en", "--db", store_url, "import", str(workbook)]) == 3
        err = capsys.readouterr().err
        assert "Store busy" in err and "Traceback" not in err
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        holder.kill()
    assert holder.returncode == -signal.SIGKILL
    _assert_still_v1(store_url, v1, before)


def test_a_reader_during_an_import_sees_only_the_last_committed_version(store, v1, monkeypatch):
    inside, release = threading.Event(), threading.Event()
    real = versions._insert_rows

    def paused(conn, *args):
        real(conn, *args)
        inside.set()
        assert release.wait(30)

    monkeypatch.setattr(versions, "_insert_rows", paused)
    result = {}
    writer = threading.Thread(target=lambda: result.setdefault("info", store.import_frames(
        synthetic.frames(50, seed=4), mode="replace", reference_date=D2, user=Actor("w", "analyst"))))
    writer.start()
    try:
        assert inside.wait(30)
        assert store.latest_version() == 1 and [v.number for v in store.versions()] == [1]
        snap = store.read()
        assert snap.version.number == 1 and all(snap.frames[k].equals(v1[k]) for k in v1)
    finally:
        release.set()
        writer.join(30)
    assert result["info"].number == 2 and store.latest_version() == 2


@pytest.mark.slow
def test_two_imports_started_together_both_commit_one_after_the_other_or_one_is_busy(store, store_url, tmp_path):
    store.close()
    data = synthetic.frames(300, seed=6)
    files = []
    for i, part in enumerate((data["projects"].iloc[:150], data["projects"].iloc[150:])):
        path = tmp_path / f"part{i}.xlsx"
        exporting.write_xlsx({"projects": part}, path, reference_date=D1)
        files.append(path)
    procs = [python("import sys\nfrom ksmart.cli import main\nsys.exit(main(sys.argv[1:]))",
                    "--lang", "en", "--db", store_url, "import", str(f), "--user", f"u{i}")
             for i, f in enumerate(files)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    for out, err, rc in results:
        assert rc in (0, 3), err
        assert "Traceback" not in err
        if rc == 3:
            assert "Store busy" in err
    committed = [rc for _, _, rc in results].count(0)
    # One waits for the other (busy_timeout) or gives up with "Store busy"; both giving up is a failure.
    assert committed >= 1, f"both imports reported busy: {[err for _, err, _ in results]}"
    s = open_store(store_url)
    try:
        assert [v.number for v in s.versions()] == list(range(1, committed + 1))
        if committed == 2:  # no lost update: both halves are there
            assert sorted(s.read().frames["projects"]["project_id"]) == sorted(data["projects"]["project_id"])
        assert integrity_ok(s)
    finally:
        s.close()


def test_a_new_sqlite_store_has_16_kb_pages_and_an_older_store_keeps_its_own(tmp_path):
    """New stores get larger pages (faster bulk imports); one made with 4 KB pages still opens and imports."""
    import sqlite3

    new_path, old_path = tmp_path / "new.db", tmp_path / "old.db"
    open_store(f"sqlite:///{new_path}").close()
    sqlite3.connect(old_path).execute("PRAGMA page_size = 4096").connection.execute("VACUUM")  # an empty 4 KB file
    frames = synthetic.frames(30)
    with open_store(f"sqlite:///{old_path}") as old:
        old.import_frames(frames, mode="replace", reference_date=date(2018, 12, 31), user=Actor("a", "analyst"))
        assert old.read().frames["projects"]["project_id"].tolist() == frames["projects"]["project_id"].tolist()
    page_size = {p.name: sqlite3.connect(p).execute("PRAGMA page_size").fetchone()[0] for p in (new_path, old_path)}
    assert page_size == {"new.db": 16384, "old.db": 4096}
