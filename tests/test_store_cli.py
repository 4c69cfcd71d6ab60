"""`python -m ksmart import | versions | rollback | export xlsx | seed` on both backends."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from devkit import synthetic
from ksmart import cli
from ksmart import reference as ref
from ksmart.auth import Actor
from ksmart.present import exporting
from ksmart.store import open_store
from tests.store_backends import cli as run_cli

D1, D2 = date(2016, 6, 30), date(2016, 9, 30)
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample"


def main(url: str, *argv: str) -> int:
    return cli.main(["--lang", "en", "--db", url, *argv])


def workbook(path: Path, frames: dict, **kw) -> Path:
    exporting.write_xlsx(frames, path, **kw)
    return path


@pytest.fixture
def data():
    return synthetic.frames(60, seed=21)


def test_import_prints_the_version_and_the_same_file_again_makes_none(store_url, data, tmp_path, capsys):
    wb = workbook(tmp_path / "a.xlsx", data, reference_date=D1)
    assert main(store_url, "import", str(wb), "--replace", "--user", "kim", "--note", "Q2") == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1" and "Version 1 committed" in err
    assert main(store_url, "import", str(wb), "--replace") == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1" and "Nothing changed" in err
    with open_store(store_url) as s:
        info = s.version_info(1)
        assert (info.user, info.note, info.mode, info.reference_date) == ("kim", "Q2", "replace", D1)
        assert info.sha256 == hashlib.sha256(wb.read_bytes()).hexdigest()
        assert all(s.read().frames[k].equals(data[k]) for k in data)


def test_the_reference_date_comes_from_as_of_then_the_file_then_today(store_url, data, tmp_path, capsys):
    projects = data["projects"]
    assert main(store_url, "import", str(workbook(tmp_path / "a.xlsx", {"projects": projects.iloc[:5]},
                                                  reference_date=D1)), "--as-of", "2017-01-02") == 0
    assert main(store_url, "import", str(workbook(tmp_path / "b.xlsx", {"projects": projects.iloc[5:9]},
                                                  reference_date=D2))) == 0
    assert main(store_url, "import", str(workbook(tmp_path / "c.xlsx", {"projects": projects.iloc[9:12]}))) == 0
    assert main(store_url, "import", str(tmp_path / "c.xlsx"), "--as-of", "2016-13-45") == 2
    with open_store(store_url) as s:
        assert [v.reference_date for v in s.versions()] == [date(2017, 1, 2), D2, date.today()]


def test_versions_lists_every_version_and_the_audit(store_url, data, tmp_path, capsys):
    main(store_url, "import", str(workbook(tmp_path / "a.xlsx", data, reference_date=D1)), "--user", "kim")
    main(store_url, "rollback", "1", "--user", "lee")
    capsys.readouterr()
    assert main(store_url, "versions", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(v["version"], v["user"], v["kind"]) for v in listed] == [(1, "kim", "import"), (2, "lee", "rollback")]
    assert set(listed[0]) >= {"version", "reference_date", "committed_at", "user", "sha256", "counts", "note"}
    assert listed[0]["counts"] == {k: len(v) for k, v in data.items()}
    assert main(store_url, "versions") == 0
    text = capsys.readouterr().out
    assert "kim" in text and "lee" in text and listed[0]["sha256"][:12] in text
    assert main(store_url, "versions", "--audit", "--json") == 0
    audit = json.loads(capsys.readouterr().out)
    assert [(a["action"], a["user"], a["version"]) for a in audit] == [("rollback", "lee", 2), ("import", "kim", 1)]


def test_rollback_creates_a_version_and_an_unknown_one_is_exit_2(store_url, data, tmp_path, capsys):
    main(store_url, "import", str(workbook(tmp_path / "a.xlsx", data, reference_date=D1)), "--replace")
    changed = data["projects"].iloc[:10]
    main(store_url, "import", str(workbook(tmp_path / "b.xlsx", {"projects": changed}, reference_date=D2)), "--replace")
    capsys.readouterr()
    assert main(store_url, "rollback", "1", "--user", "lee") == 0
    assert capsys.readouterr().out.strip() == "3"
    assert main(store_url, "rollback", "7") == 2
    assert "no version 7" in capsys.readouterr().err
    with open_store(store_url) as s:
        assert s.read().frames["projects"].equals(data["projects"])


def test_export_then_import_replace_gives_identical_data(store_url, tmp_path, capsys):
    data = synthetic.frames(150, seed=5)
    notes = ["=1+2", "+82 10", "-3 지연", "@담당", "=HYPERLINK(\"http://x\",\"y\")"]
    data["projects"].loc[: len(notes) - 1, "note"] = notes
    with open_store(store_url) as s:
        s.import_frames(data, mode="replace", reference_date=D2, user=Actor("u", "analyst"), illustrative=True)
        s.import_frames({"projects": data["projects"].iloc[:20]}, mode="replace", reference_date=D2, user=Actor("u", "analyst"))
    out = tmp_path / "export.xlsx"
    assert main(store_url, "export", "xlsx", str(out), "--version", "1") == 0
    assert capsys.readouterr().out.strip() == str(out)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(fresh, "import", str(out), "--replace") == 0
    with open_store(fresh) as s:
        snap = s.read()
        assert all(snap.frames[k].equals(data[k]) for k in data)
        assert snap.version.illustrative and snap.version.reference_date == D2
    assert main(store_url, "rollback", "1") == 0
    capsys.readouterr()
    assert main(store_url, "import", str(out), "--replace", "--json") == 0  # same store, same data
    assert json.loads(capsys.readouterr().out)["created"] is False


def test_export_of_an_empty_store_is_exit_2(store_url, tmp_path):
    assert main(store_url, "export", "xlsx", str(tmp_path / "x.xlsx")) == 2
    assert main(store_url, "export", "xlsx", str(tmp_path / "x.xlsx"), "--version", "3") == 2


def test_a_rejected_file_leaves_the_store_byte_for_byte_unchanged(store_url, data, tmp_path, capsys):
    main(store_url, "import", str(workbook(tmp_path / "a.xlsx", data, reference_date=D1)), "--replace")
    bad = data["projects"].copy()
    bad.loc[2, "stage"] = "착공"  # not a stage
    bad.loc[4, "country"] = "Atlantis"
    rejected = workbook(tmp_path / "bad.xlsx", {"projects": bad})
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("이건 엑셀이 아닙니다")
    with open_store(store_url) as s:
        before = s.dump()
    db_file = Path(store_url.removeprefix("sqlite:///")) if store_url.startswith("sqlite") else None
    file_before = db_file.read_bytes() if db_file else None
    capsys.readouterr()
    assert main(store_url, "import", str(rejected), "--replace") == 1
    assert "착공" in capsys.readouterr().err
    assert main(store_url, "import", str(rejected), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["version"] is None
    assert {e["code"] for e in report["errors"]} >= {"unknown_value", "unknown_country"}
    assert main(store_url, "import", str(not_xlsx)) == 2
    assert main(store_url, "import", str(tmp_path / "missing.xlsx")) == 2
    with open_store(store_url) as s:
        assert s.dump() == before
    if db_file:
        assert db_file.read_bytes() == file_before


def test_seed_loads_dated_workbooks_in_date_order_once(store_url, data, tmp_path, capsys):
    folder = tmp_path / "sample"
    folder.mkdir()
    workbook(folder / "pipeline_2016-09-30.xlsx", data, reference_date=D2, illustrative=True)
    workbook(folder / "pipeline_2016-06-30.xlsx", {k: data[k].iloc[:10] for k in ("projects", "countries")},
             reference_date=D1, illustrative=True)
    assert main(store_url, "seed", "--dir", str(folder)) == 0
    assert capsys.readouterr().out.split() == ["1", "2"]
    with open_store(store_url) as s:
        infos = s.versions()
        assert [(v.reference_date, v.user, v.kind, v.illustrative) for v in infos] == [
            (D1, "seed", "seed", True), (D2, "seed", "seed", True)]
        assert infos[0].counts["projects"] == 10 and [a.action for a in s.audit()] == ["seed", "seed"]
    assert main(store_url, "seed", "--dir", str(folder)) == 2
    assert main(store_url, "seed", "--dir", str(folder), "--if-empty") == 0
    assert main(store_url, "seed", "--dir", str(tmp_path / "nothing-here")) == 2
    with open_store(store_url) as s:
        assert s.latest_version() == 2


@pytest.mark.skipif(not any(SAMPLES.glob("*.xlsx")), reason="no sample workbooks in data/sample yet")
def test_the_shipped_samples_seed_and_round_trip(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'seeded.db'}"
    assert main(url, "seed", "--if-empty") == 0
    with open_store(url) as s:
        infos = s.versions()
        assert len(infos) == len(list(SAMPLES.glob("*.xlsx"))) and all(v.illustrative for v in infos)
        dates = [v.reference_date for v in infos]
        assert dates == sorted(dates)
        latest = s.read()
    out = tmp_path / "export.xlsx"
    assert main(url, "export", "xlsx", str(out)) == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(fresh, "import", str(out), "--replace") == 0
    with open_store(fresh) as s:
        assert all(s.read().frames[k].equals(latest.frames[k]) for k in ref.SHEETS)


@pytest.mark.slow  # three `python -m ksmart` processes and a 2 s connect timeout
def test_exit_codes_from_a_real_process(tmp_path, data):
    """The codes of cli.md as a shell sees them, with a message and no traceback
    (exit 0 from a real process: see the concurrent imports in test_store_safety)."""
    url = f"sqlite:///{tmp_path / 'p.db'}"
    bad = data["projects"].copy()
    bad.loc[0, "stage"] = "착공"
    rejected = workbook(tmp_path / "bad.xlsx", {"projects": bad})
    unreachable = "postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=2"
    for db, argv, code, says in ((url, ["import", str(rejected)], 1, "착공"),
                                 (url, ["import", str(tmp_path / "none.xlsx")], 2, "none.xlsx"),
                                 (unreachable, ["versions"], 3, "Store unavailable")):
        done = run_cli("--lang", "en", "--db", db, *argv)
        assert done.returncode == code, (argv, done.stderr)
        assert says in done.stderr and "Traceback" not in done.stderr


def test_numbers_in_versions_json_are_plain(store_url, tmp_path, capsys):
    with open_store(store_url) as s:
        s.import_frames({"projects": synthetic.frames(3)["projects"]}, reference_date=D1, user=Actor("u", "analyst"))
    assert main(store_url, "versions", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["reference_date"] == "2016-06-30" and isinstance(listed[0]["counts"]["projects"], int)
    assert pd.Timestamp(listed[0]["committed_at"]).tzinfo is not None
