"""The versioned store, on SQLite and PostgreSQL: versions, modes, history, audit."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pandas as pd
import pytest
import sqlalchemy as sa

from devkit import synthetic
from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.auth import Actor
from ksmart.errors import BadArgument, StoreBusy
from ksmart.store import open_store, schema
from ksmart.store.schema import rows as rows_table
from tests.store_backends import integrity_ok

D1, D2, D3 = date(2016, 6, 30), date(2016, 9, 30), date(2016, 12, 31)


def projects(*rows: dict) -> pd.DataFrame:
    base = {"name": "사업", "country": "KWT", "subcommittee": "ict", "stage": "identified", "lead_agency": "LH"}
    return fr.conform("projects", pd.DataFrame([{**base, **r} for r in rows]))


def countries(*codes: str) -> pd.DataFrame:
    return fr.conform("countries", pd.DataFrame({"country": list(codes)}))


def ids(frame: pd.DataFrame, column: str = "project_id") -> list[str]:
    return frame[column].tolist()


def row_count(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(rows_table)).scalar()


def assert_frames_equal(got: dict, want: dict) -> None:
    for key in ref.SHEETS:
        expected = fr.conform(key, want.get(key))
        assert got[key].equals(expected), f"{key} differs:\n{got[key]}\n---\n{expected}"


# --- reading and writing versions --------------------------------------------------


def test_an_empty_store_reads_four_empty_conformed_frames(store):
    snap = store.read()
    assert snap.version is None and store.latest_version() is None and store.versions() == []
    assert_frames_equal(snap.frames, {})
    assert store.version_at(D3) is None and store.audit() == []


def test_replace_into_an_empty_store_reads_back_equal_with_its_version_record(store):
    data = synthetic.frames(120, seed=7)
    before = datetime.now(timezone.utc)
    info = store.import_frames(data, mode="replace", reference_date=D1, user=Actor("kim", "analyst"), note="첫 반영",
                               sha256="ab" * 32, illustrative=True)
    assert info.number == 1 and store.latest_version() == 1
    assert info.reference_date == D1 and info.user == "kim" and info.note == "첫 반영"
    assert info.sha256 == "ab" * 32 and info.mode == "replace" and info.kind == "import" and info.illustrative
    assert before <= info.committed_at <= datetime.now(timezone.utc)
    assert info.counts == {k: len(v) for k, v in data.items()}
    assert store.version_info(1) == info and store.versions() == [info]
    snap = store.read()
    assert snap.version == info
    assert_frames_equal(snap.frames, data)
    assert_frames_equal(store.read(1).frames, data)


def test_update_replaces_matched_rows_adds_new_ones_and_keeps_the_rest(store):
    store.import_frames({"projects": projects({"project_id": "A"}, {"project_id": "B"}), "countries": countries("KWT")},
                        mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    info = store.import_frames({"projects": projects({"project_id": "B", "stage": "proposal"}, {"project_id": "C"})},
                               reference_date=D2, user=Actor("u", "analyst"))
    got = store.read().frames
    assert ids(got["projects"]) == ["A", "B", "C"]
    assert got["projects"].set_index("project_id").loc["B", "stage"] == "proposal"
    assert ids(got["countries"], "country") == ["KWT"]  # a sheet not uploaded is untouched
    assert info.mode == "update" and info.counts["projects"] == 3 and info.counts["countries"] == 1


def test_replace_removes_ids_not_uploaded_but_only_in_the_sheets_present(store):
    store.import_frames({"projects": projects({"project_id": "A"}, {"project_id": "B"}), "countries": countries("KWT", "BOL")},
                        mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    store.import_frames({"projects": projects({"project_id": "B"}, {"project_id": "C"})}, mode="replace",
                        reference_date=D2, user=Actor("u", "analyst"))
    got = store.read().frames
    assert ids(got["projects"]) == ["B", "C"]
    assert ids(got["countries"], "country") == ["KWT", "BOL"]


def test_ids_match_without_regard_to_case_and_keep_the_newest_spelling(store):
    store.import_frames({"projects": projects({"project_id": "KWT-001", "stage": "identified"})},
                        reference_date=D1, user=Actor("u", "analyst"))
    store.import_frames({"projects": projects({"project_id": " kwt-001 ", "stage": "proposal"})}, reference_date=D2, user=Actor("u", "analyst"))
    got = store.read().frames["projects"]
    assert ids(got) == [" kwt-001 "] and got["stage"].tolist() == ["proposal"]
    changes = store.preview({"projects": projects({"project_id": "Kwt-001", "stage": "proposal"})})["projects"]
    assert changes.changed == {"Kwt-001": ("project_id",)} and not changes.added
    store.import_frames({"projects": projects({"project_id": "Kwt-001", "stage": "proposal"})}, reference_date=D3, user=Actor("u", "analyst"))
    assert ids(store.read().frames["projects"]) == ["Kwt-001"]
    assert store.read(1).frames["projects"]["project_id"].tolist() == ["KWT-001"]


def test_countries_are_keyed_by_iso3(store):
    store.import_frames({"countries": countries("KWT", "BOL")}, reference_date=D1, user=Actor("u", "analyst"))
    store.import_frames({"countries": fr.conform("countries", pd.DataFrame({"country": ["kwt"], "priority": [True]}))},
                        reference_date=D2, user=Actor("u", "analyst"))
    got = store.read().frames["countries"]
    assert ids(got, "country") == ["kwt", "BOL"] and got["priority"].tolist() == [True, pd.NA]


def test_every_old_version_reads_back_exactly_as_it_was(store):
    v1 = {"projects": projects({"project_id": "A", "value_usd_m": 1.5}, {"project_id": "B"}), "countries": countries("KWT")}
    v2 = {"projects": projects({"project_id": "B", "partners": ("x", "y")}, {"project_id": "C"})}
    v3 = {"countries": countries("BOL"), "projects": projects({"project_id": "A", "value_usd_m": 2.0})}
    store.import_frames(v1, mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    store.import_frames(v2, mode="replace", reference_date=D2, user=Actor("u", "analyst"))
    store.import_frames(v3, reference_date=D3, user=Actor("u", "analyst"))
    assert_frames_equal(store.read(1).frames, v1)
    assert_frames_equal(store.read(2).frames, {"projects": v2["projects"], "countries": v1["countries"]})
    expected3 = pd.concat([v2["projects"], v3["projects"]], ignore_index=True)
    assert_frames_equal(store.read(3).frames, {"projects": expected3, "countries": pd.concat(
        [v1["countries"], v3["countries"]], ignore_index=True)})
    assert store.read().version.number == 3


def test_importing_the_same_frames_twice_creates_no_second_version(store):
    data = synthetic.frames(60, seed=3)
    assert store.import_frames(data, mode="replace", reference_date=D1, user=Actor("u", "analyst")).number == 1
    before = store.dump()
    assert store.import_frames(data, mode="replace", reference_date=D2, user=Actor("u", "analyst")) is None
    assert store.import_frames({"projects": data["projects"]}, reference_date=D2, user=Actor("u", "analyst")) is None
    assert store.latest_version() == 1 and store.dump() == before


def test_version_numbers_are_dense_and_version_at_picks_the_latest_on_or_before_a_day(store):
    for i, day in enumerate((D1, D2, D3)):
        store.import_frames({"projects": projects({"project_id": f"P{i}"})}, reference_date=day, user=Actor("u", "analyst"))
    assert [v.number for v in store.versions()] == [1, 2, 3]
    assert store.version_at(date(2016, 6, 29)) is None
    assert store.version_at(D1).number == 1
    assert store.version_at(date(2016, 10, 1)).number == 2
    assert store.version_at(date(2030, 1, 1)).number == 3
    with pytest.raises(BadArgument) as err:
        store.version_info(9)
    assert err.value.code == "unknown_version"
    with pytest.raises(BadArgument):
        store.read(9)


def test_rollback_makes_a_new_version_equal_to_the_old_one_and_keeps_history(store):
    v1 = {"projects": projects({"project_id": "A"}, {"project_id": "B"}), "countries": countries("KWT")}
    store.import_frames(v1, mode="replace", reference_date=D1, user=Actor("u", "analyst"), illustrative=True)
    store.import_frames({"projects": projects({"project_id": "C"}, {"project_id": "A", "stage": "contract"})},
                        mode="replace", reference_date=D2, user=Actor("u", "analyst"))
    store.import_frames({"projects": projects({"project_id": "B"}), "countries": countries("BOL")},
                        reference_date=D3, user=Actor("u", "analyst"))
    v3 = store.read(3).frames
    info = store.rollback(1, user=Actor("lee", "analyst"), note="잘못 올림")
    assert info.number == 4 and info.kind == "rollback" and info.user == "lee" and info.note == "잘못 올림"
    assert info.reference_date == D1 and info.illustrative and info.counts == store.version_info(1).counts
    assert_frames_equal(store.read(4).frames, v1)
    assert_frames_equal(store.read(3).frames, v3)  # history itself is not rewritten
    store.rollback(3, user=Actor("lee", "analyst"))
    assert_frames_equal(store.read(5).frames, v3)
    with pytest.raises(BadArgument):
        store.rollback(42, user=Actor("lee", "analyst"))
    assert store.latest_version() == 5


def test_the_audit_lists_who_did_what_newest_first(store):
    store.import_frames({"projects": projects({"project_id": "A"})}, mode="replace", reference_date=D1, user=Actor("seed", "analyst"),
                        kind="seed")
    store.import_frames({"projects": projects({"project_id": "B"})}, reference_date=D2, user=Actor("kim", "analyst"), sha256="f" * 64)
    store.import_frames({"projects": projects({"project_id": "C"})}, mode="replace", reference_date=D2, user=Actor("park", "analyst"))
    store.rollback(2, user=Actor("lee", "analyst"))
    entries = store.audit()
    assert [(e.action, e.user, e.version) for e in entries] == [
        ("rollback", "lee", 4), ("replace", "park", 3), ("import", "kim", 2), ("seed", "seed", 1)]
    assert entries[0].at >= entries[-1].at and entries[0].at.tzinfo is not None
    assert "to version 2" in entries[0].detail and "projects +1" in entries[2].detail
    assert "ffffffffffff" in entries[2].detail


def test_storage_grows_with_the_changed_rows_only(store):
    data = synthetic.frames(200, seed=5)
    store.import_frames(data, mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    base = row_count(store)
    assert base == sum(len(f) for f in data.values())
    changed = data["projects"].copy()
    rows = changed.index[changed["stage"] != "negotiation"][:3]
    changed.loc[rows, "stage"] = "negotiation"
    store.import_frames({"projects": changed}, reference_date=D2, user=Actor("u", "analyst"))
    assert row_count(store) == base + 3
    extra = projects({"project_id": "NEW-1"}, {"project_id": "NEW-2"})
    store.import_frames({"projects": extra}, reference_date=D3, user=Actor("u", "analyst"))
    assert row_count(store) == base + 5
    store.import_frames({"projects": changed}, mode="replace", reference_date=D3, user=Actor("u", "analyst"))  # removes NEW-1/2
    assert row_count(store) == base + 5  # removal closes rows, copies nothing
    assert store.read().frames["projects"].equals(changed)


def test_preview_lists_added_removed_and_changed_fields_and_writes_nothing(store):
    store.import_frames({"projects": projects({"project_id": "A"}, {"project_id": "B", "value_usd_m": 3.0})},
                        mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    before = store.dump()
    upload = {"projects": projects({"project_id": "b", "value_usd_m": 4.0, "stage": "proposal"}, {"project_id": "C"})}
    update = store.preview(upload)["projects"]
    assert update.added == ("C",) and update.removed == () and update.unchanged == 0
    assert update.changed == {"b": ("project_id", "stage", "value_usd_m")}
    replace = store.preview(upload, mode="replace")["projects"]
    assert replace.removed == ("A",) and replace.any
    same = store.preview({"projects": store.read().frames["projects"]})["projects"]
    assert not same.any and same.unchanged == 2
    assert store.dump() == before


def test_project_history_has_one_row_per_version_in_which_the_project_changed(store):
    store.import_frames({"projects": projects({"project_id": "A", "stage": "identified", "value_usd_m": 1.0})},
                        reference_date=D1, user=Actor("u", "analyst"))
    store.import_frames({"projects": projects({"project_id": "Z"})}, reference_date=D2, user=Actor("u", "analyst"))
    store.import_frames({"projects": projects({"project_id": "a", "stage": "proposal", "status": "on_hold"})},
                        reference_date=D3, user=Actor("u", "analyst"))
    history = store.project_history("A")
    assert list(history.columns) == ["version", "reference_date", "stage", "status", "value_usd_m"]
    assert history["version"].tolist() == [1, 3]
    assert history["reference_date"].tolist() == [pd.Timestamp(D1), pd.Timestamp(D3)]
    assert history["stage"].tolist() == ["identified", "proposal"]
    assert history["status"].isna().tolist() == [True, False] and history["value_usd_m"].isna().tolist() == [False, True]
    assert store.project_history("nope").empty


def test_every_dtype_round_trips_exactly(store):
    odd = projects(
        {"project_id": "P1", "name": "", "note": "줄\n바꿈 \"따옴표\" \\ 탭\t", "value_usd_m": 0.1 + 0.2,
         "value_krw_100m": 1e16, "win_probability": 1.0, "partners": ("LH", "한전", "A, B"), "stage_date": "1990-01-01",
         "next_step_date": "2046-12-31", "technologies": ("transport",)},
        {"project_id": "P2", "value_usd_m": -0.0, "win_probability": 5e-324, "partners": (), "name": "😀 ü ß"},
        {"project_id": "P3", "value_usd_m": 123456789.123456789, "city": "=cmd|' /C calc'!A0"},
    )
    yesno = fr.conform("countries", pd.DataFrame({"country": ["KWT", "BOL", "VNM"], "priority": [True, False, None],
                                                  "policy": ["", None, "x"]}))
    store.import_frames({"projects": odd, "countries": yesno}, mode="replace", reference_date=D1, user=Actor("u", "analyst"))
    got = store.read().frames
    assert got["projects"].equals(odd) and got["countries"].equals(yesno)
    assert str(got["projects"].loc[1, "value_usd_m"]) == "-0.0"


@pytest.mark.parametrize("frame, code", [
    (projects({"project_id": "A"}, {"project_id": "a "}), "duplicate_id"),
    (projects({"project_id": "A"}, {"project_id": None}), "missing_id"),
    (projects({"project_id": "  "}), "missing_id"),
])
def test_frames_without_usable_ids_are_refused_and_change_nothing(store, frame, code):
    store.import_frames({"countries": countries("KWT")}, reference_date=D1, user=Actor("u", "analyst"))
    before = store.dump()
    with pytest.raises(BadArgument) as err:
        store.import_frames({"projects": frame}, reference_date=D2, user=Actor("u", "analyst"))
    assert err.value.code == code and store.dump() == before


def test_bad_arguments_are_refused(store):
    with pytest.raises(BadArgument):
        store.import_frames({"projects": projects({"project_id": "A"})}, mode="merge", reference_date=D1, user=Actor("u", "analyst"))
    with pytest.raises(BadArgument):
        store.import_frames({"nonsense": projects({"project_id": "A"})}, reference_date=D1, user=Actor("u", "analyst"))
    with pytest.raises(BadArgument):
        store.import_frames({"projects": projects({"project_id": "A"})}, reference_date="2016-01-01", user=Actor("u", "analyst"))
    assert store.latest_version() is None


# --- schema -----------------------------------------------------------------------------------


def test_the_schema_version_is_recorded_and_a_newer_store_is_refused(store_url):
    s = open_store(store_url)
    with s.engine.connect() as conn:
        assert schema.schema_version(conn) == schema.SCHEMA_VERSION
        conn.execute(sa.update(schema.meta).values(value=str(schema.SCHEMA_VERSION + 1)))
        conn.commit()
    s.close()
    with pytest.raises(StoreBusy) as err:
        open_store(store_url)
    assert err.value.code == "store_too_new"


def test_migrate_applies_only_the_missing_steps_in_order(store_url):
    s = open_store(store_url)
    applied = []

    nxt = schema.SCHEMA_VERSION + 1

    def step(conn):
        applied.append(nxt)
        conn.execute(sa.text("CREATE TABLE ksmart_probe (x INTEGER)"))

    steps = [*schema.MIGRATIONS, (nxt, step)]
    assert schema.migrate(s.engine, 5.0, steps) == nxt and applied == [nxt]
    assert schema.migrate(s.engine, 5.0, steps) == nxt and applied == [nxt]  # nothing left to do
    with s.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE ksmart_probe"))
        conn.execute(sa.update(schema.meta).values(value=str(schema.SCHEMA_VERSION)))
    s.close()


def test_an_unreachable_server_is_store_busy_not_a_traceback():
    with pytest.raises(StoreBusy) as err:
        open_store("postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=2")
    assert err.value.code == "store_unavailable" and err.value.exit_code == 3


@pytest.mark.parametrize("url", ["mysql://a:b@host/db", "not a url"])
def test_an_unusable_url_is_a_bad_argument(url):
    with pytest.raises(BadArgument) as err:
        open_store(url)
    assert err.value.code == "bad_db_url" and "b@" not in err.value.message("en")


def test_counts_are_stored_as_json_of_every_sheet(store):
    store.import_frames({"projects": projects({"project_id": "A"})}, reference_date=D1, user=Actor("u", "analyst"))
    with store.engine.connect() as conn:
        raw = conn.execute(sa.select(schema.versions.c.counts)).scalar()
    assert json.loads(raw) == {"projects": 1, "countries": 0, "reports": 0, "events": 0, "actions": 0}
    assert integrity_ok(store)


@pytest.mark.parametrize("encode_rows", [1, 2, 3])
def test_imports_encoded_in_small_slices_give_every_version_and_preview_as_in_one(monkeypatch, tmp_path, encode_rows):
    """Added, changed, unchanged and removed rows spread over many slices: same versions, same order."""
    from ksmart.store import versions as ver

    first = projects(*({"project_id": f"P{i}", "stage": "identified"} for i in range(7)))
    second = projects({"project_id": "P6", "stage": "proposal"}, {"project_id": "P1"}, {"project_id": "N1"},
                      {"project_id": "P3", "value_usd_m": 5.0}, {"project_id": "N2"})

    def run(url: str) -> tuple:
        with open_store(url) as s:
            s.import_frames({"projects": first}, mode="replace", reference_date=D1, user=Actor("u", "analyst"))
            preview = s.preview({"projects": second}, mode="replace")
            s.import_frames({"projects": second}, mode="update", reference_date=D2, user=Actor("u", "analyst"))
            s.import_frames({"projects": second}, mode="replace", reference_date=D3, user=Actor("u", "analyst"))
            return preview, [s.read(v.number).frames["projects"] for v in s.versions()], s.audit()

    want = run(f"sqlite:///{tmp_path}/one.db")
    monkeypatch.setattr(ver, "ENCODE_ROWS", encode_rows)
    got = run(f"sqlite:///{tmp_path}/sliced.db")
    assert got[0] == want[0]
    assert len(got[1]) == len(want[1]) == 3 and all(g.equals(w) for g, w in zip(got[1], want[1]))
    assert [(a.action, a.detail) for a in got[2]] == [(a.action, a.detail) for a in want[2]]
