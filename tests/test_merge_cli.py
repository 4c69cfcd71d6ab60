"""Based uploads end to end: the export's stamp, two analysts through `import`, the
reference date rules, and the properties that merging a file equal to its base
(or the store's own latest export) changes nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devkit import synthetic
from ksmart import cli
from ksmart import reference as ref
from ksmart.ingest.stamp import MAX_PART_BYTES, Stamp, read_stamp
from ksmart.ingest.template import write_template
from ksmart.ingest.validation import validate_workbook
from ksmart.present import exporting
from ksmart.store import importing, open_store
from ksmart.store.merging import MergeInput
from tests.examples import examples
from tests.store_backends import ANALYST

D1, D2 = date(2017, 3, 31), date(2017, 9, 30)


def main(url: str, *argv: str, lang: str = "en") -> int:
    return cli.main(["--lang", lang, "--db", url, *argv])


@pytest.fixture
def exported(store_url, tmp_path, capsys):
    """A store with one version and the export an analyst downloaded from it."""
    data = synthetic.frames(10, seed=8)
    with open_store(store_url) as s:
        s.import_frames(data, mode="replace", reference_date=D1, user=ANALYST)
    out = tmp_path / "export.xlsx"
    assert main(store_url, "export", "xlsx", str(out)) == 0
    capsys.readouterr()
    return out


def edit_cells(src: Path, dst: Path, **by_header) -> Path:
    """The analyst's edit in Excel: the first project's cells under the given Korean headers."""
    wb = openpyxl.load_workbook(src)
    ws = wb[ref.SHEETS["projects"].ko]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "사업ID")
    columns = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    for header, text in by_header.items():
        ws.cell(header_row + 1, columns[header]).value = text
    wb.save(dst)
    return dst


def first_project(url: str):
    with open_store(url) as s:
        return s.read().frames["projects"].iloc[0]


# --- the stamp ----------------------------------------------------------------------------


def test_an_export_records_its_base_invisibly_and_in_the_title_row(store_url, exported):
    with open_store(store_url) as s:
        store_id = s.store_id()
    assert re.fullmatch(r"[0-9a-f]{32}", store_id)
    assert read_stamp(exported.read_bytes()) == Stamp(store_id, 1)
    title = openpyxl.load_workbook(exported)[ref.SHEETS["projects"].ko]["A1"].value
    assert "버전 1" in title and store_id[:8] in title
    with open_store(store_url) as s:
        assert s.store_id() == store_id  # made once, never again


def test_a_template_and_an_export_without_a_store_have_no_base(tmp_path):
    buffer = io.BytesIO()
    write_template(buffer)
    assert read_stamp(buffer.getvalue()) is None
    assert read_stamp(exporting.xlsx_bytes(synthetic.frames(3, seed=1), version=4)) is None


def _with_custom_part(data: bytes, xml: bytes) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == "docProps/custom.xml" else src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "ksmart_version">]><Properties/>',
    b"<Properties>" + b"<x/>" * (MAX_PART_BYTES // 4) + b"</Properties>",
    b'<Properties><property name="ksmart_store_id"><s>abc</s></property>'
    b'<property name="ksmart_version"><s>two</s></property></Properties>',
    b"<Properties><broken",
])
def test_a_hostile_or_broken_stamp_counts_as_none(xml):
    data = exporting.xlsx_bytes(synthetic.frames(3, seed=1), version=2, store_id="f" * 32)
    assert read_stamp(data) == Stamp("f" * 32, 2)
    assert read_stamp(_with_custom_part(data, xml)) is None


def test_a_base_from_another_store_counts_as_none(exported, tmp_path):
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with open_store(other) as s:
        s.import_frames(synthetic.frames(10, seed=8), mode="replace", reference_date=D1, user=ANALYST)
        result = validate_workbook(exported)
        assert result.stamp is not None and importing.base_of(s, result) is None
        assert importing.plan_upload(s, result).base is None


# --- two analysts, one export ---------------------------------------------------------------


def test_two_analysts_editing_different_fields_of_one_project_both_keep_their_edit(store_url, exported, tmp_path,
                                                                                   capsys):
    kepco = edit_cells(exported, tmp_path / "kepco.xlsx", 비고="KEPCO: grid study done")
    lh = edit_cells(exported, tmp_path / "lh.xlsx", 향후계획="LH: site visit")
    assert main(store_url, "import", str(kepco), "--user", "kepco") == 0
    assert main(store_url, "import", str(lh), "--user", "lh") == 0
    assert "Merged against base version 1 (0 conflicts" in capsys.readouterr().err
    row = first_project(store_url)
    assert (row["note"], row["next_step"]) == ("KEPCO: grid study done", "LH: site visit")


def test_two_analysts_editing_the_same_field_conflict_until_one_side_is_chosen(store_url, exported, tmp_path,
                                                                               capsys):
    base_note = first_project(store_url)["note"]
    kepco = edit_cells(exported, tmp_path / "kepco.xlsx", 비고="KEPCO note")
    lh = edit_cells(exported, tmp_path / "lh.xlsx", 비고="LH note")
    assert main(store_url, "import", str(kepco)) == 0
    capsys.readouterr()
    with open_store(store_url) as s:
        before = s.dump()

    assert main(store_url, "import", str(lh)) == 1
    err = capsys.readouterr().err
    pid = first_project(store_url)["project_id"]
    assert f"{pid} 'Note': base (empty) → store KEPCO note, file LH note" in err and "--on-conflict" in err
    assert pd_isna(base_note)
    assert main(store_url, "import", str(lh), lang="ko") == 1
    assert "저장소 KEPCO note, 파일 LH note" in capsys.readouterr().err
    assert main(store_url, "import", str(lh), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["version"] is None and report["base"] == 1
    [conflict] = report["conflicts"]
    assert {k: conflict[k] for k in ("id", "field", "kind", "base", "stored", "file")} == {
        "id": pid, "field": "note", "kind": "both_changed", "base": None, "stored": "KEPCO note", "file": "LH note"}
    with open_store(store_url) as s:
        assert s.dump() == before  # nothing written by the refusals

    assert main(store_url, "import", str(lh), "--on-conflict", "keep") == 0
    assert first_project(store_url)["note"] == "KEPCO note"
    assert main(store_url, "import", str(lh), "--on-conflict", "take") == 0
    assert first_project(store_url)["note"] == "LH note"


def pd_isna(value) -> bool:
    return value is None or value != value


def test_importing_the_stores_own_latest_export_changes_nothing(store_url, exported, tmp_path, capsys):
    assert main(store_url, "import", str(exported), "--replace") == 0
    assert "Nothing changed" in capsys.readouterr().err
    with open_store(store_url) as s:
        assert s.latest_version() == 1


# --- reference dates ---------------------------------------------------------------------------


def test_a_based_upload_never_moves_the_reference_date_back(store_url, exported, tmp_path, capsys):
    with open_store(store_url) as s:  # a colleague's newer version
        s.import_frames({"countries": synthetic.frames(10, seed=9)["countries"]}, reference_date=D2, user=ANALYST)
    mine = edit_cells(exported, tmp_path / "mine.xlsx", 비고="mine")
    assert main(store_url, "import", str(mine), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["reference_date"] == D2.isoformat() and report["version"] == 3
    assert "reference_date_raised" in [w["code"] for w in report["warnings"]]


def test_a_file_without_a_base_older_than_the_store_is_warned_about(store_url, tmp_path, capsys):
    data = synthetic.frames(10, seed=8)
    with open_store(store_url) as s:
        s.import_frames(data, mode="replace", reference_date=D2, user=ANALYST)
    old = tmp_path / "old.xlsx"
    older = {**data, "projects": data["projects"].assign(note="as it was")}
    exporting.write_xlsx(older, old, reference_date=D1)  # no stamp: an old copy from somewhere
    assert main(store_url, "import", str(old), "--json", "--on-conflict", "take") == 0
    report = json.loads(capsys.readouterr().out)
    [warning] = [w for w in report["warnings"] if w["code"] == "older_than_stored"]
    assert D1.isoformat() in warning["message"] and D2.isoformat() in warning["message"]
    assert report["base"] is None and report["reference_date"] == D1.isoformat()


# --- properties ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A store with four versions: additions, edits and deletions on several sheets."""
    url = f"sqlite:///{tmp_path_factory.mktemp('merge') / 'history.db'}"
    a, b = synthetic.frames(14, seed=31), synthetic.frames(14, seed=32)
    store = open_store(url)
    store.import_frames(a, mode="replace", reference_date=D1, user=ANALYST)
    edited = a["projects"].copy()
    edited.loc[:4, "note"] = "edited"
    edited.loc[2:6, "stage"] = "negotiation"
    store.import_frames({"projects": edited.iloc[2:], "events": b["events"]}, mode="replace", reference_date=D1,
                        user=ANALYST)
    store.import_frames({"projects": b["projects"].iloc[:5], "countries": b["countries"]}, reference_date=D2,
                        user=ANALYST)
    store.import_frames({"reports": b["reports"]}, mode="replace", reference_date=D2, user=ANALYST)
    yield store
    store.close()


def _file_of(data, frames, sheets):
    """Some sheets of `frames`, each with some of its columns (the id always)."""
    chosen, columns = {}, {}
    for key in sheets:
        sheet = ref.SHEETS[key]
        given = data.draw(st.lists(st.sampled_from(sheet.keys), unique=True), label=f"{key} columns")
        columns[key] = tuple(k for k in sheet.keys if k in given or k == sheet.id_column)
        chosen[key] = frames[key]
    return chosen, columns


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_merging_a_file_equal_to_its_base_or_to_the_latest_version_changes_nothing(history, data):
    latest = history.latest_version()
    base = data.draw(st.integers(1, latest), label="base")
    source = data.draw(st.sampled_from(["base", "latest"]), label="file equal to")
    mode = data.draw(st.sampled_from(["update", "replace"]), label="mode")
    sheets = data.draw(st.lists(st.sampled_from(list(ref.SHEETS)), min_size=1, unique=True), label="sheets")
    frames, columns = _file_of(data, history.read(base if source == "base" else latest).frames, sheets)
    planned = history.plan_merge(MergeInput(frames, columns, base, mode))
    assert planned.conflicts == ()
    assert not any(c.any for c in planned.changes.values()), planned.changes


def test_the_pages_one_step_commit_merges_and_stops_at_a_conflict(store_url, exported, tmp_path):
    kepco = edit_cells(exported, tmp_path / "kepco.xlsx", 비고="KEPCO note")
    lh = edit_cells(exported, tmp_path / "lh.xlsx", 비고="LH note", 향후계획="LH step")
    with open_store(store_url) as s:
        importing.commit_upload(s, importing.validate_upload(s, kepco), mode="update", actor=ANALYST)
        result = importing.validate_upload(s, lh)
        pid = s.read().frames["projects"]["project_id"].iloc[0]
        assert importing.preview_upload(s, result)["projects"].changed == {pid: ("next_step",)}  # kept side shown
        with pytest.raises(importing.MergeConflicts) as err:
            importing.commit_upload(s, result, mode="update", actor=ANALYST)
        assert "1" in err.value.message("en") and s.latest_version() == 2
        plan = importing.plan_upload(s, result)
        [conflict] = plan.conflicts
        importing.commit_plan(s, plan, actor=ANALYST, resolutions=importing.Resolutions({conflict.key: "take"}))
        row = s.read().frames["projects"].iloc[0]
        assert (row["note"], row["next_step"]) == ("LH note", "LH step")
