"""Three-way merge of a based upload (store/merging): every rule by hand, on both backends.

The store holds version 1 (the base an analyst exported), then version 2 (a
colleague's commit); the "file" is version 1's frames with the analyst's
edits. Plans are made with `Store.plan_merge` and committed with
`Store.commit_merge`, so the rules are checked without a workbook in between
(test_merge_cli.py goes through real exports and the command line).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from devkit import synthetic
from ksmart import reference as ref
from ksmart.store import merging
from ksmart.store.merging import MergeInput, Resolutions
from tests.store_backends import ANALYST

D1, D2, D3 = date(2017, 3, 31), date(2017, 6, 30), date(2017, 9, 30)
ALL = ref.SHEETS["projects"].keys


def edited(frame: pd.DataFrame, pid: str, **values) -> pd.DataFrame:
    out = frame.copy()
    row = out.index[out["project_id"] == pid][0]
    for key, value in values.items():
        out.at[row, key] = value
    return out


def value(store, pid: str, key: str, sheet: str = "projects"):
    frame = store.read().frames[sheet]
    id_col = ref.SHEETS[sheet].id_column
    return frame.loc[frame[id_col] == pid, key].iloc[0]


def ids(store, sheet: str = "projects") -> list[str]:
    return store.read().frames[sheet][ref.SHEETS[sheet].id_column].tolist()


@pytest.fixture
def v1(store):
    data = synthetic.frames(8, seed=5)
    store.import_frames(data, mode="replace", reference_date=D1, user=ANALYST)
    return data


def colleague(store, projects: pd.DataFrame, mode: str = "update"):
    """Version 2: someone else's commit after the export."""
    return store.import_frames({"projects": projects}, mode=mode, reference_date=D2, user=ANALYST)


def plan(store, file: pd.DataFrame, *, columns=ALL, mode="update", resolutions=merging.NONE, base=1, sheet="projects"):
    return store.plan_merge(MergeInput({sheet: file}, {sheet: tuple(columns)}, base, mode), resolutions)


def commit(store, planned, resolutions=merging.NONE):
    return store.commit_merge(planned, resolutions, reference_date=D3, user=ANALYST)


def test_a_change_in_the_file_only_is_taken_and_one_in_the_store_only_is_kept(store, v1):
    p = v1["projects"]
    a, b = p["project_id"].iloc[0], p["project_id"].iloc[1]
    colleague(store, edited(p, a, note="stored note"))
    file = edited(edited(p, a, next_step="file step"), b, value_usd_m=999.0)
    planned = plan(store, file)
    assert planned.base == 1 and planned.latest == 2 and planned.conflicts == ()
    assert planned.changes["projects"].changed == {a: ("next_step",), b: ("value_usd_m",)}
    commit(store, planned)
    assert value(store, a, "note") == "stored note"  # the file's stale empty note did not overwrite it
    assert value(store, a, "next_step") == "file step" and value(store, b, "value_usd_m") == 999.0


def test_one_field_changed_on_both_sides_is_a_conflict_resolved_per_field(store, v1):
    p = v1["projects"]
    a = p["project_id"].iloc[0]
    base_value = p["next_step"].iloc[0]
    colleague(store, edited(p, a, next_step="stored step", owner="kim"))
    file = edited(p, a, next_step="file step", owner="lee", note="file note")
    planned = plan(store, file)
    assert [(c.sheet, c.row_id, c.field, c.kind, c.base, c.stored, c.file) for c in planned.conflicts] == [
        ("projects", a, "next_step", merging.BOTH_CHANGED, base_value, "stored step", "file step"),
        ("projects", a, "owner", merging.BOTH_CHANGED, p["owner"].iloc[0], "kim", "lee"),
    ]
    assert planned.unresolved == planned.conflicts
    before = store.dump()
    with pytest.raises(merging.MergeConflicts) as err:
        commit(store, planned)
    assert err.value.exit_code == 1 and len(err.value.conflicts) == 2 and store.dump() == before
    step, owner = (c.key for c in planned.conflicts)
    assert step == f"projects/{a.casefold()}/next_step"
    commit(store, planned, Resolutions({step: merging.TAKE, owner: merging.KEEP}))
    assert (value(store, a, "next_step"), value(store, a, "owner"), value(store, a, "note")) == \
        ("file step", "kim", "file note")


def test_the_same_change_on_both_sides_is_no_conflict(store, v1):
    p = v1["projects"]
    a = p["project_id"].iloc[0]
    colleague(store, edited(p, a, stage="negotiation"))
    planned = plan(store, edited(p, a, stage="negotiation"))
    assert planned.conflicts == () and not planned.changes["projects"].any


def test_a_column_the_file_lacks_is_not_given_never_emptied(store, v1):
    p = v1["projects"]
    a = p["project_id"].iloc[0]
    colleague(store, edited(p, a, note="stored note", owner="kim"))
    without = [k for k in ALL if k not in ("note", "owner", "status")]
    file = edited(p, a, next_step="file step").assign(note=None, owner=None, status="active")
    planned = plan(store, file, columns=without)
    assert planned.conflicts == ()
    commit(store, planned)
    assert (value(store, a, "note"), value(store, a, "owner")) == ("stored note", "kim")
    assert value(store, a, "next_step") == "file step"
    assert ids(store) == p["project_id"].tolist()  # no row lost, none added


def test_a_row_deleted_in_the_store_stays_deleted_unless_the_file_changed_it(store, v1):
    p = v1["projects"]
    gone, edited_gone = p["project_id"].iloc[0], p["project_id"].iloc[1]
    colleague(store, p[~p["project_id"].isin([gone, edited_gone])], mode="replace")
    file = edited(p, edited_gone, note="still wanted")
    planned = plan(store, file)
    [conflict] = planned.conflicts
    assert (conflict.row_id, conflict.field, conflict.kind, conflict.stored) == \
        (edited_gone, None, merging.DELETED_IN_STORE, None)
    assert conflict.file["note"] == "still wanted" and "note" not in conflict.base
    assert not planned.changes["projects"].any  # unsettled: the stored side (deleted) stands
    commit(store, planned, Resolutions(default=merging.KEEP))
    assert gone not in ids(store) and edited_gone not in ids(store)
    again = plan(store, file, base=1)
    commit(store, again, Resolutions({again.conflicts[0].key: merging.TAKE}))
    assert gone not in ids(store) and value(store, edited_gone, "note") == "still wanted"
    assert value(store, edited_gone, "name") == p["name"].iloc[1]


def test_a_row_added_in_both_with_one_id_conflicts_where_values_differ(store, v1):
    p = v1["projects"]
    new = p.iloc[[0]].assign(project_id="NEW-001", note="stored", owner="same")
    colleague(store, pd.concat([p, new], ignore_index=True))
    mine = new.assign(note="file", project_id="new-001")
    planned = plan(store, pd.concat([p, mine], ignore_index=True))
    [conflict] = planned.conflicts
    assert (conflict.row_id, conflict.field, conflict.kind, conflict.base, conflict.stored, conflict.file) == \
        ("new-001", "note", merging.ADDED_IN_BOTH, None, "stored", "file")
    same = plan(store, pd.concat([p, new], ignore_index=True))
    assert same.conflicts == () and not same.changes["projects"].any


def test_replace_mode_keeps_and_lists_rows_added_in_the_store_since_the_base(store, v1):
    p = v1["projects"]
    dropped, changed_in_store = p["project_id"].iloc[0], p["project_id"].iloc[1]
    added = p.iloc[[2]].assign(project_id="ADD-009")
    colleague(store, pd.concat([edited(p, changed_in_store, note="stored"), added], ignore_index=True))
    file = p[~p["project_id"].isin([dropped, changed_in_store])]
    planned = plan(store, file, mode="replace")
    assert planned.kept_added == {"projects": ("ADD-009",)}
    [conflict] = planned.conflicts
    assert (conflict.row_id, conflict.kind, conflict.file) == (changed_in_store, merging.REMOVED_IN_FILE, None)
    assert conflict.stored["note"] == "stored"
    assert planned.changes["projects"].removed == (dropped,)
    commit(store, planned, Resolutions(default=merging.TAKE))
    kept = ids(store)
    assert "ADD-009" in kept and dropped not in kept and changed_in_store not in kept


def test_sheets_are_merged_generically(store, v1):
    events = v1["events"]
    eid = events["event_id"].iloc[0]
    store.import_frames({"events": edited_events(events, eid, outcome="stored")}, reference_date=D2, user=ANALYST)
    planned = plan(store, edited_events(events, eid, counterpart="file"), sheet="events",
                   columns=ref.SHEETS["events"].keys)
    assert planned.conflicts == ()
    commit(store, planned)
    assert value(store, eid, "outcome", "events") == "stored" and value(store, eid, "counterpart", "events") == "file"


def edited_events(frame: pd.DataFrame, eid: str, **values) -> pd.DataFrame:
    out = frame.copy()
    row = out.index[out["event_id"] == eid][0]
    for key, v in values.items():
        out.at[row, key] = v
    return out


def test_a_commit_after_another_one_is_stale_and_writes_nothing(store, v1):
    p = v1["projects"]
    a = p["project_id"].iloc[0]
    planned = plan(store, edited(p, a, note="mine"))
    colleague(store, edited(p, a, owner="kim"))
    before = store.dump()
    with pytest.raises(merging.PlanStale) as err:
        commit(store, planned)
    assert (err.value.planned, err.value.latest) == (1, 2) and store.dump() == before
    assert "2" in err.value.message("en")
    commit(store, plan(store, edited(p, a, note="mine")))  # planned again: both changes kept
    assert (value(store, a, "note"), value(store, a, "owner")) == ("mine", "kim")


def test_without_a_base_the_file_replaces_rows_as_before(store, v1):
    p = v1["projects"]
    a = p["project_id"].iloc[0]
    colleague(store, edited(p, a, note="stored note"))
    planned = plan(store, edited(p, a, next_step="file step"), base=None)
    assert planned.base is None and planned.conflicts == ()
    commit(store, planned)
    assert pd.isna(value(store, a, "note")) and value(store, a, "next_step") == "file step"


def test_a_bad_resolution_is_refused():
    with pytest.raises(merging.BadArgument):
        Resolutions({"projects/x/note": "overwrite"})
    with pytest.raises(merging.BadArgument):
        Resolutions(default="both")


def test_a_store_of_the_previous_schema_gets_its_id_once_on_migration(store_url):
    from ksmart.store import open_store
    from tests.store_backends import dump_without_migrating, previous_schema_store

    previous_schema_store(store_url)
    with open_store(store_url) as s:
        made = s.store_id()
    assert made and len(made) == 32
    with open_store(store_url) as s:
        assert s.store_id() == made and dump_without_migrating(store_url)[1] == s.dump()
