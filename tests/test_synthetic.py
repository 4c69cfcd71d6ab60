"""The synthetic workbook generator and the illustrative sample built from it.

Synthetic frames: deterministic for a seed, sized as asked, ids unique, every
reference resolvable, dtypes exactly `frames.conform`'s. The writer: title and
기준일 rows, headers in either language, values as an analyst types them.
The sample: four dated workbooks, illustrative in every sheet, reproducible
from data/sample/source/, showing the movement the briefing talks about.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from devkit import synthetic
from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.ingest import validation

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SAMPLE_FILES = sorted(SAMPLE.glob("pipeline_*.xlsx"))
ISO3 = {row[0] for row in synthetic.COUNTRIES}


def _load_make_sample():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "scripts" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_sample = _load_make_sample()


@pytest.fixture(scope="module")
def portfolio() -> dict[str, pd.DataFrame]:
    return synthetic.frames(300, seed=11)


# --- synthetic frames --------------------------------------------------------------


def test_same_seed_same_frames_other_seed_other_frames():
    first, again, other = synthetic.frames(120, seed=5), synthetic.frames(120, seed=5), synthetic.frames(120, seed=6)
    for key in ref.SHEETS:
        pd.testing.assert_frame_equal(first[key], again[key])
    assert not first["projects"].equals(other["projects"])


def test_same_seed_same_bytes():
    assert synthetic.workbook_bytes(40, seed=3) == synthetic.workbook_bytes(40, seed=3)


@pytest.mark.parametrize("n", [0, 1, 7, 300])
def test_sizes(n):
    frames = synthetic.frames(n)
    committees = len(synthetic.STEERING_COMMITTEE_DATES)
    assert len(frames["projects"]) == n
    assert len(frames["reports"]) == (round(n / 5) if n else 0)
    assert len(frames["events"]) == max(round(n / 10), committees)
    assert set(frames["countries"]["country"]) == set(frames["projects"]["country"])


def test_frames_have_exactly_the_conform_shape(portfolio):
    for key, frame in portfolio.items():
        assert list(frame.columns) == ref.SHEETS[key].keys
        pd.testing.assert_frame_equal(frame, fr.conform(key, frame))


def test_ids_are_unique(portfolio):
    for key in ("projects", "countries", "reports", "events"):
        id_column = ref.SHEETS[key].id_column
        ids = fr.id_key(portfolio[key][id_column])
        assert ids.notna().all() and ids.is_unique, key


def test_reports_and_events_name_existing_projects(portfolio):
    known = set(portfolio["projects"]["project_id"])
    for key in ("reports", "events"):
        named = portfolio[key]["project_id"].dropna()
        assert len(named) > 0 and set(named) <= known, key


def test_values_are_varied_and_within_the_references(portfolio):
    p = portfolio["projects"]
    assert set(p["stage"]) == set(ref.STAGES.keys)
    assert set(p["status"]) == set(ref.STATUSES.keys)
    assert set(p["subcommittee"]) == set(ref.SUBCOMMITTEES.keys)
    assert set(p["country"]) <= ISO3 and p["country"].nunique() >= 40
    assert {t for techs in p["technologies"] for t in techs} == set(ref.TECHNOLOGIES.keys)
    assert p["technologies"].map(len).min() >= 1
    assert p["value_usd_m"].isna().any() and (p["value_usd_m"].isna() & p["value_krw_100m"].notna()).any()
    assert (p["value_usd_m"].dropna() >= 0).all()
    overrides = p["win_probability"].dropna()
    assert 0 < len(overrides) < len(p) and overrides.between(0, 1).all()
    events = portfolio["events"]
    assert (events["type"] == "steering_committee").sum() >= 3
    assert set(events["type"]) <= set(ref.EVENT_TYPES.keys)


def test_dates_fall_in_2015_to_2018(portfolio):
    for key, sheet in ref.SHEETS.items():
        for col in sheet.columns:
            if col.type == ref.DATE:
                years = portfolio[key][col.key].dropna().dt.year
                assert years.between(2015, 2018).all(), (key, col.key)


def test_fifty_thousand_projects_have_unique_ids():
    """The size the benchmarks use; how long it takes is benchmarks/unit_timings.py's figure."""
    frames = synthetic.frames(50_000)
    assert len(frames["projects"]) == 50_000 and frames["projects"]["project_id"].is_unique


# --- write_workbook ----------------------------------------------------------------------


def _sheets(data: bytes) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_layout_title_reference_date_header_footnote(lang):
    frames = synthetic.frames(20)
    data = synthetic.workbook_bytes(20, lang=lang, title="예시 데이터 제목", reference_date=dt.date(2016, 9, 30))
    buffer = io.BytesIO()
    synthetic.write_workbook(frames, buffer, lang=lang, footnotes={"projects": ["※ 사업비는 추정치"]})
    sheets, plain = _sheets(data), _sheets(buffer.getvalue())
    assert list(sheets) == [s.label(lang) for s in ref.SHEETS.values()]
    for key, sheet in ref.SHEETS.items():
        rows = sheets[sheet.label(lang)]
        assert rows.iloc[0, 0] == "예시 데이터 제목"
        assert rows.iloc[1, 0] == "기준일: 2016.09.30"
        assert rows.iloc[2].isna().all()
        assert rows.iloc[3].tolist() == [c.header(lang) for c in sheet.columns]
        assert len(rows) == 4 + len(frames[key])
        assert plain[sheet.label(lang)].iloc[0].tolist() == [c.header(lang) for c in sheet.columns]
    assert plain[ref.PROJECTS.label(lang)].iloc[-1, 0] == "※ 사업비는 추정치"


def test_cells_are_what_an_analyst_types():
    frames = {"projects": fr.conform("projects", pd.DataFrame({
        "project_id": ["KWT-001"], "name": ["압둘라 신도시 스마트시티"], "country": ["KWT"],
        "subcommittee": ["urban_infra"], "stage": ["negotiation"], "status": ["active"], "lead_agency": ["LH"],
        "partners": [("KT", "한전")], "value_usd_m": [4000.0], "win_probability": [0.35],
        "technologies": [("transport", "energy")], "stage_date": [pd.Timestamp("2016-09-08")],
    })), "countries": fr.conform("countries", pd.DataFrame({"country": ["KWT"], "priority": [True]}))}
    buffer = io.BytesIO()
    synthetic.write_workbook(frames, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    row = {c.header_ko: cell for c, cell in zip(ref.PROJECTS.columns, book["사업"][2])}
    assert row["국가"].value == "KWT"
    assert (row["분과"].value, row["단계"].value, row["상태"].value) == ("도시인프라", "협상", "진행")
    assert row["주관기관"].value == "한국토지주택공사"
    assert row["참여기관"].value == "KT, 한전"
    assert row["적용기술"].value == "스마트교통, 스마트에너지"
    assert row["사업비(백만달러)"].value == 4000 and row["사업비(백만달러)"].data_type == "n"
    assert row["수주확률"].value == pytest.approx(0.35) and row["수주확률"].number_format == "0.0%"
    assert row["단계변경일"].is_date and row["단계변경일"].value.date() == dt.date(2016, 9, 8)
    assert row["사업비(억원)"].value is None
    assert book["국가"]["E2"].value == "Y"


def test_english_technology_labels_survive_list_splitting():
    """Some English labels hold commas ("Smart energy (grid, AMI)"): what is written must split back."""
    frames = {"projects": fr.conform("projects", pd.DataFrame({
        "project_id": ["X-1"], "name": ["n"], "country": ["KWT"], "subcommittee": ["ict"], "stage": ["identified"],
        "lead_agency": ["LH"], "technologies": [tuple(ref.TECHNOLOGIES.keys)],
    }))}
    buffer = io.BytesIO()
    synthetic.write_workbook(frames, buffer, lang="en")
    text = _sheets(buffer.getvalue())["Projects"].iloc[1, ref.PROJECTS.keys.index("technologies")]
    items = [part.strip() for part in re.split(r"[,;/\n]", text)]
    assert [ref.TECHNOLOGIES.resolve(item) for item in items] == ref.TECHNOLOGIES.keys


def test_writes_to_a_path(tmp_path):
    target = tmp_path / "synthetic.xlsx"
    synthetic.write_workbook(synthetic.frames(5), target)
    assert target.read_bytes() == synthetic.workbook_bytes(5)


# --- the illustrative sample -----------------------------------------------------------------


def _file_date(path: Path) -> dt.date:
    return dt.date.fromisoformat(re.search(r"(\d{4}-\d{2}-\d{2})", path.name).group(1))


def _projects_sheet(path: Path) -> pd.DataFrame:
    """The projects sheet read plainly: header found by its first cell, labels as written."""
    rows = pd.read_excel(path, sheet_name=ref.PROJECTS.ko, header=None, engine="calamine")
    header_at = rows.index[rows[0] == ref.PROJECTS.by_key["project_id"].header_ko][0]
    table = rows.iloc[header_at + 1:].set_axis(rows.iloc[header_at].tolist(), axis=1)
    table = table[table["사업ID"].notna() & ~table["사업ID"].astype(str).str.startswith("※")]
    return table.set_index("사업ID")


def _stage(path: Path, project_id: str) -> str:
    return ref.STAGES.resolve(_projects_sheet(path).loc[project_id, "단계"])


def test_four_dated_samples_in_order_over_2016_and_2017():
    dates = [_file_date(p) for p in SAMPLE_FILES]
    assert len(dates) >= 4 and dates == sorted(dates) and len(set(dates)) == len(dates)
    assert {d.year for d in dates} == {2016, 2017}
    declared = [d for d, _ in make_sample.read_source().snapshots]
    assert dates == sorted(declared)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sheet_is_marked_illustrative_and_dated(path):
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    assert set(sheets) == {s.ko for s in ref.SHEETS.values()}
    for name, rows in sheets.items():
        assert rows.iloc[0, 0] == ref.ILLUSTRATIVE_TITLE, name
        assert rows.iloc[1, 0] == f"기준일: {_file_date(path):%Y.%m.%d}", name
    footnote = sheets[ref.PROJECTS.ko].iloc[-1, 0]
    assert footnote.startswith("※ 사업비는 추정치")


def test_latest_sample_kuwait_bolivia_advanced_mongolia_at_mou():
    projects = _projects_sheet(SAMPLE_FILES[-1])
    country_stage = [(p, ref.STAGES.resolve(s), ref.STATUSES.resolve(st))
                     for p, s, st in zip(projects["국가"], projects["단계"], projects["상태"])]
    for iso in ("KWT", "BOL"):
        assert any(c == iso and s in ref.ADVANCED_STAGES and st == "active" for c, s, st in country_stage), iso
    assert ("MNG", "engagement", "active") in country_stage
    assert len(projects) >= 55 and projects["국가"].nunique() >= 20


def test_latest_sample_covers_the_references():
    projects = _projects_sheet(SAMPLE_FILES[-1])
    assert {ref.STAGES.resolve(s) for s in projects["단계"]} == set(ref.STAGES.keys)
    assert {ref.STATUSES.resolve(s) for s in projects["상태"]} == set(ref.STATUSES.keys)
    assert {ref.SUBCOMMITTEES.resolve(s) for s in projects["분과"]} == set(ref.SUBCOMMITTEES.keys)
    leads = {ref.AGENCIES.resolve(a) or a for a in projects["주관기관"]}
    assert {"LH", "KEPCO", "K-water", "LX", "KOTRA", "MOLIT", "MSIT"} <= leads
    assert leads - set(ref.AGENCIES.keys), "some private firms lead"
    countries = pd.read_excel(SAMPLE_FILES[-1], sheet_name=ref.COUNTRIES_SHEET.ko, header=3, engine="calamine")
    assert countries["주재관"].notna().sum() == 17


def test_samples_show_movement_between_snapshots():
    first, *_, last = SAMPLE_FILES
    assert (_stage(first, "KWT-001"), _stage(last, "KWT-001")) == ("proposal", "negotiation")
    assert (_stage(first, "BOL-001"), _stage(last, "BOL-001")) == ("feasibility", "proposal")
    assert (_stage(first, "MNG-001"), _stage(last, "MNG-001")) == ("identified", "engagement")
    old, new = _projects_sheet(first), _projects_sheet(last)
    assert len(set(new.index) - set(old.index)) >= 10
    status = {pid: (ref.STATUSES.resolve(old.loc[pid, "상태"]), ref.STATUSES.resolve(new.loc[pid, "상태"]))
              for pid in old.index}
    assert ("active", "dropped") in status.values() and ("active", "on_hold") in status.values()
    both = old.index.intersection(new.index)
    assert (old.loc[both, "사업비(백만달러)"] != new.loc[both, "사업비(백만달러)"]).any()
    slipped = pd.to_datetime(new.loc[both, "향후일정"]) > pd.to_datetime(old.loc[both, "향후일정"])
    assert slipped.any()


def test_sample_events_include_launch_gicc_and_steering_committees():
    events = pd.read_excel(SAMPLE_FILES[-1], sheet_name=ref.EVENTS.ko, header=3, engine="calamine")
    types = events["유형"].map(ref.EVENT_TYPES.resolve)
    committees = events[types == "steering_committee"].sort_values("일자")
    assert pd.Timestamp(committees["일자"].iloc[0]).date() == dt.date(2016, 5, 25)
    assert dt.date(2016, 9, 8) in {pd.Timestamp(d).date() for d in committees["일자"]}
    assert len(committees) >= 4
    gicc = events[events["행사명"].str.contains("GICC 2016") & (types == "other")]
    assert gicc["결과"].str.contains("49개국").any() and gicc["결과"].str.contains("136명").any()
    assert (types == "business_meeting").sum() >= 3 and events.loc[types == "business_meeting", "관련사업"].notna().all()
    assert {"promotion_booth", "site_visit", "mou_signing", "high_level_meeting"} <= set(types)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_holds_only_what_happened_by_its_date(path):
    as_of = pd.Timestamp(_file_date(path))
    for sheet in (ref.REPORTS, ref.EVENTS):
        rows = pd.read_excel(path, sheet_name=sheet.ko, header=3, engine="calamine")
        date_header = sheet.by_key["date"].header_ko
        assert (pd.to_datetime(rows[date_header]) <= as_of).all()


def test_sample_readme_says_it_is_invented():
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "가상" in text and "illustrative" in text.lower() and "make_sample.py" in text


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def test_committed_samples_are_what_the_script_builds(tmp_path):
    built = make_sample.build(tmp_path)
    assert [p.name for p in built] == [p.name for p in SAMPLE_FILES]
    for fresh in built:
        assert _members(fresh) == _members(SAMPLE / fresh.name), f"{fresh.name}: run scripts/make_sample.py"


# --- against the validator (workbook.md) -----------------------------------------------------

@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_validates_and_round_trips(path):
    result = validation.validate_workbook(path)
    assert result.errors == []
    as_of = _file_date(path)
    assert result.reference_date == as_of
    expected = make_sample.snapshot_frames(make_sample.read_source(), as_of)
    for key, frame in expected.items():
        pd.testing.assert_frame_equal(result.frames[key].reset_index(drop=True), frame)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_synthetic_workbook_validates_and_round_trips(lang):
    result = validation.validate_workbook(synthetic.workbook_bytes(300, lang=lang))
    assert result.errors == []
    for key, frame in synthetic.frames(300).items():
        pd.testing.assert_frame_equal(result.frames[key].reset_index(drop=True), frame)


def test_no_sample_project_is_left_without_a_state():
    decl = make_sample.read_source()
    latest = max(d for d, _ in decl.snapshots)
    assert set(make_sample.snapshot_frames(decl, latest)["projects"]["project_id"]) == set(decl.projects["project_id"])
    assert np.all(decl.states.groupby("project_id")["as_of"].apply(lambda s: s.is_monotonic_increasing))
