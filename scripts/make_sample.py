"""Build the illustrative sample workbooks in data/sample/ from data/sample/source/.

The sample is invented (not ministry data). It is declared as CSV files, so a
reader can see the whole portfolio and how it moves:

- snapshots.csv: the reference dates (기준일) and the file written for each;
- projects.csv: what does not change about a project (name, country, lead…);
- project_states.csv: a project's changing fields (stage, status, value, next
  step…); each row holds from its `as_of` snapshot until the project's next
  row, and a project first appears at its earliest row;
- countries.csv, reports.csv, events.csv: as in the workbook; a report or an
  event appears in every snapshot on or after its date;
- actions.csv: what does not change about a steering committee's directive
  (its meeting as an event id, text, owners, project, country); it appears in
  every snapshot on or after its meeting;
- action_states.csv: a directive's follow-up (due, status, done on, result),
  held from its `as_of` snapshot until the directive's next row.

Each snapshot is the full state at its date, written like an analyst's file:
the illustrative title, a 기준일 line, a blank row, Korean headers, and a
footnote under the projects. Output is byte-for-byte reproducible, so running
this again over unchanged sources leaves the committed files unchanged.

    .venv/bin/python scripts/make_sample.py            # rewrite data/sample/*.xlsx
    .venv/bin/python scripts/make_sample.py --out DIR  # write elsewhere
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script, without installing ksmart
    sys.path.insert(0, str(ROOT))

from devkit import synthetic  # noqa: E402
from ksmart import frames as fr  # noqa: E402
from ksmart import reference as ref  # noqa: E402

SOURCE = ROOT / "data" / "sample" / "source"
OUT = ROOT / "data" / "sample"
FOOTNOTES = {
    "projects": [
        "※ 사업비는 추정치이며, 이 파일의 사업·수치는 모두 예시용 가상 데이터입니다 (환산 기준 1,300원/달러).",
    ],
}
ACTION_STATE_COLUMNS = ("due", "status", "done_on", "result")
STATE_COLUMNS = ("stage", "status", "stage_date", "value_usd_m", "value_krw_100m", "win_probability",
                 "next_step", "next_step_date", "note", "updated_on")


class SourceError(ValueError):
    """The declaration contradicts itself or the reference tables; names the file and row."""


@dataclass(frozen=True)
class Declaration:
    snapshots: list[tuple[date, str]]
    countries: pd.DataFrame
    projects: pd.DataFrame
    states: pd.DataFrame
    reports: pd.DataFrame
    events: pd.DataFrame
    actions: pd.DataFrame
    action_states: pd.DataFrame


def read_source(source: Path = SOURCE) -> Declaration:
    """Read the CSV declaration as text (empty cells as None), checked against the references."""
    tables = {name: _read_csv(source / f"{name}.csv") for name in
              ("snapshots", "countries", "projects", "project_states", "reports", "events", "actions",
               "action_states")}
    snapshots = [(date.fromisoformat(r["reference_date"]), r["file"]) for r in tables["snapshots"].to_dict("records")]
    decl = Declaration(snapshots, tables["countries"], tables["projects"], tables["project_states"],
                       tables["reports"], tables["events"], tables["actions"], tables["action_states"])
    _check_declaration(decl)
    return decl


def _read_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).astype(object)
    return frame.map(lambda v: v.strip() or None)


def snapshot_frames(decl: Declaration, as_of: date) -> dict[str, pd.DataFrame]:
    """The typed frames of the portfolio as it stood on `as_of`."""
    projects = _projects_at(decl, as_of)
    day = pd.Timestamp(as_of)
    reports = decl.reports[pd.to_datetime(decl.reports["date"]) <= day]
    events = decl.events[pd.to_datetime(decl.events["date"]) <= day]
    countries = decl.countries[
        decl.countries["country"].isin(set(projects["country"])) | decl.countries["attache_post"].notna()
    ]
    frames = {
        "projects": fr.conform("projects", _typed_projects(projects)),
        "countries": fr.conform("countries", _typed_countries(countries)),
        "reports": fr.conform("reports", reports.reset_index(drop=True)),
        "events": fr.conform("events", _typed_events(events)),
        "actions": fr.conform("actions", _typed_actions(_actions_at(decl, as_of))),
    }
    _check_references(frames, as_of)
    return frames


def build(out: Path = OUT, source: Path = SOURCE) -> list[Path]:
    """Write every snapshot's workbook into `out`; returns their paths in date order."""
    decl = read_source(source)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for as_of, name in sorted(decl.snapshots):
        path = out / name
        synthetic.write_workbook(snapshot_frames(decl, as_of), path, lang="ko", title=ref.ILLUSTRATIVE_TITLE,
                                 reference_date=as_of, footnotes=FOOTNOTES)
        written.append(path)
    return written


# --- from declaration rows to typed frames ----------------------------------------


def _projects_at(decl: Declaration, as_of: date) -> pd.DataFrame:
    """Each project's latest state on or before `as_of`, joined to its fixed fields."""
    states = decl.states[pd.to_datetime(decl.states["as_of"]) <= pd.Timestamp(as_of)]
    latest = states.sort_values("as_of", kind="stable").groupby("project_id", sort=False).tail(1)
    joined = decl.projects.merge(latest[["project_id", *STATE_COLUMNS]], on="project_id", how="inner")
    return joined.reset_index(drop=True)


def _actions_at(decl: Declaration, as_of: date) -> pd.DataFrame:
    """The directives of the meetings held by `as_of`, each in its latest state on or before it."""
    meeting_day = dict(zip(decl.events["event_id"], pd.to_datetime(decl.events["date"])))
    held = decl.actions[decl.actions["meeting"].map(meeting_day) <= pd.Timestamp(as_of)]
    states = decl.action_states[pd.to_datetime(decl.action_states["as_of"]) <= pd.Timestamp(as_of)]
    latest = states.sort_values("as_of", kind="stable").groupby("action_id", sort=False).tail(1)
    joined = held.merge(latest[["action_id", *ACTION_STATE_COLUMNS]], on="action_id", how="left")
    stateless = joined.loc[joined["status"].isna(), "action_id"].tolist()
    if stateless:
        raise SourceError(f"action_states.csv: no state on or before {as_of} for {stateless}")
    return joined.reset_index(drop=True)


def _typed_actions(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    out["status"] = [_resolve(ref.ACTION_STATUSES, v, "action_states.csv", aid)
                     for v, aid in zip(rows["status"], rows["action_id"])]
    out["owner"] = [tuple(ref.AGENCIES.resolve(item) or item for item in _items(v)) for v in rows["owner"]]
    return out


def _typed_projects(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    for key, lookup, file in (("subcommittee", ref.SUBCOMMITTEES, "projects.csv"),
                              ("stage", ref.STAGES, "project_states.csv"),
                              ("status", ref.STATUSES, "project_states.csv")):
        out[key] = [_resolve(lookup, v, file, pid) for v, pid in zip(rows[key], rows["project_id"])]
    out["lead_agency"] = [ref.AGENCIES.resolve(v) or v for v in rows["lead_agency"]]
    out["technologies"] = [
        tuple(_resolve(ref.TECHNOLOGIES, t, "projects.csv", pid) for t in _items(v))
        for v, pid in zip(rows["technologies"], rows["project_id"])
    ]
    out["partners"] = [tuple(_items(v)) for v in rows["partners"]]
    for key in ("value_usd_m", "value_krw_100m", "win_probability"):
        out[key] = pd.to_numeric(rows[key])
    return out


def _typed_countries(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.reset_index(drop=True).copy()
    out["priority"] = out["priority"].map({"Y": True, "N": False})
    return out


def _typed_events(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.reset_index(drop=True).copy()
    out["type"] = [_resolve(ref.EVENT_TYPES, v, "events.csv", eid) for v, eid in zip(out["type"], out["event_id"])]
    out["participants"] = [tuple(_items(v)) for v in out["participants"]]
    return out


def _items(value) -> list[str]:
    """A `;`-separated cell as its items (pandas may hand an empty cell over as NaN)."""
    text = value if isinstance(value, str) else ""
    return [item.strip() for item in text.split(";") if item.strip()]


def _resolve(lookup: ref.Lookup, value: str | None, file: str, row_id: str) -> str:
    key = lookup.resolve(value) if isinstance(value, str) else None
    if key is None:
        raise SourceError(f"{file}, {row_id}: {value!r} is none of {', '.join(lookup.keys)}")
    return key


# --- consistency of the declaration ----------------------------------------------------


def _check_declaration(decl: Declaration) -> None:
    """What would make a snapshot invalid or misleading, caught before anything is written."""
    _check_unique(decl)
    _check_states(decl)
    _check_actions(decl)
    known = set(decl.countries["country"])
    for name, frame in (("projects.csv", decl.projects), ("reports.csv", decl.reports), ("events.csv", decl.events)):
        missing = sorted(set(frame["country"].dropna()) - known)
        if missing:
            raise SourceError(f"{name}: countries {missing} are not in countries.csv")


def _check_unique(decl: Declaration) -> None:
    for name, frame, key in (("projects.csv", decl.projects, "project_id"),
                             ("countries.csv", decl.countries, "country"),
                             ("reports.csv", decl.reports, "report_id"),
                             ("events.csv", decl.events, "event_id"),
                             ("actions.csv", decl.actions, "action_id")):
        duplicated = frame[key][frame[key].duplicated()].tolist()
        if duplicated:
            raise SourceError(f"{name}: duplicate {key} {duplicated}")


def _check_states(decl: Declaration) -> None:
    """Every project has states, each at a snapshot date, none dated after its snapshot."""
    states = decl.states
    unknown_as_of = sorted(set(states["as_of"]) - {d.isoformat() for d, _ in decl.snapshots})
    if unknown_as_of:
        raise SourceError(f"project_states.csv: as_of {unknown_as_of} is not a date in snapshots.csv")
    without_state = sorted(set(decl.projects["project_id"]) - set(states["project_id"]))
    stray = sorted(set(states["project_id"]) - set(decl.projects["project_id"]))
    if without_state or stray:
        raise SourceError(f"projects without a state {without_state}; states of undeclared projects {stray}")
    as_of = pd.to_datetime(states["as_of"])
    late = (pd.to_datetime(states["stage_date"]) > as_of) | (pd.to_datetime(states["updated_on"]) > as_of)
    if late.any():
        raise SourceError(f"project_states.csv: dates after the snapshot in {states.loc[late, 'project_id'].tolist()}")


def _check_actions(decl: Declaration) -> None:
    """Every directive names a steering committee; every state is of a declared directive, at a snapshot."""
    committees = set(decl.events.loc[decl.events["type"] == "steering_committee", "event_id"])
    stray_meetings = sorted(set(decl.actions["meeting"]) - committees)
    if stray_meetings:
        raise SourceError(f"actions.csv: meetings {stray_meetings} are not steering committees in events.csv")
    stray = sorted(set(decl.action_states["action_id"]) - set(decl.actions["action_id"]))
    unknown_as_of = sorted(set(decl.action_states["as_of"]) - {d.isoformat() for d, _ in decl.snapshots})
    if stray or unknown_as_of:
        raise SourceError(f"action_states.csv: undeclared directives {stray}, as_of not a snapshot {unknown_as_of}")


def _check_references(frames: dict[str, pd.DataFrame], as_of: date) -> None:
    """Every report and event names a project that already exists at that snapshot."""
    ids = set(frames["projects"]["project_id"])
    for key in ("reports", "events", "actions"):
        named = set(frames[key]["project_id"].dropna())
        if named - ids:
            raise SourceError(f"{key}.csv: {sorted(named - ids)} not yet in the portfolio on {as_of}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"directory for the workbooks (default {OUT})")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
