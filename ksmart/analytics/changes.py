"""What changed between two versions, and which versions to compare.

`compare` is the change table of pipeline.md: one merge of the two projects
frames on the case-folded id, then column-wise tests. `last_meeting`,
`comparison_version` and `choose` implement the rule for "since the last
meeting", so the CLI and the dashboard pick the same older version. Nothing
here reads the store: callers pass frames and version records (anything with
`.number` and `.reference_date`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

import pandas as pd

from ksmart.analytics.metrics import project_values, stage_numbers, statuses
from ksmart.errors import BadArgument
from ksmart.frames import id_key
from ksmart.i18n import pair

VALUE_TOLERANCE = 0.01  # pipeline.md: values differing by less are unchanged
CHANGE_KEYS = ("added", "removed", "advanced", "regressed", "status_changed", "value_changed", "next_step_slipped")


def _side(projects: pd.DataFrame, krw_per_usd: float | None) -> pd.DataFrame:
    """The columns `compare` looks at, keyed by the case-folded id."""
    return pd.DataFrame({
        "key": id_key(projects["project_id"]),
        "project_id": projects["project_id"],
        "stage": projects["stage"],
        "stage_number": stage_numbers(projects),
        "status": statuses(projects),
        "value": project_values(projects, krw_per_usd),
        "next_step_date": projects["next_step_date"],
    })


def _pairs(rows: pd.DataFrame, column: str, fmt=lambda values: values) -> list[dict]:
    """[{project_id, from, to}] for `rows` of the merge, sorted by id; `fmt`
    turns a column of values into what JSON shows."""
    rows = rows.sort_values("project_id_new", kind="stable")
    return [{"project_id": pid, "from": a, "to": b}
            for pid, a, b in zip(rows["project_id_new"], fmt(rows[f"{column}_old"]), fmt(rows[f"{column}_new"]))]


def _iso(days: pd.Series) -> pd.Series:
    return days.dt.strftime("%Y-%m-%d")


def _among(keys: pd.Series, others: pd.Series) -> pd.Series:
    """Which `keys` are among `others`. As object arrays: pandas 3.1's isin
    between two Arrow string columns is ten times slower (0.1 s at 50,000)."""
    return keys.astype(object).isin(others.astype(object))


def _money(values: pd.Series) -> pd.Series:
    """Rounded to 0.01, None where empty (JSON null)."""
    return values.round(2).astype(object).where(values.notna(), None)


def compare(old_projects: pd.DataFrame, new_projects: pd.DataFrame, *, krw_per_usd: float | None = None) -> dict:
    """The change table from O (`old_projects`) to N (`new_projects`).

    Ids match without regard to case or surrounding spaces; matched rows are
    reported under N's spelling. Values are effective USD million (KRW
    converted at one rate for both sides), rounded to 0.01; dates are ISO.
    Returns the `changes --json` dict of cli.md without from/to_version.
    """
    old, new = _side(old_projects, krw_per_usd), _side(new_projects, krw_per_usd)
    both = old.merge(new, on="key", how="inner", suffixes=("_old", "_new"), sort=False)
    value_old, value_new = both["value_old"], both["value_new"]
    value_changed = (
        (value_old.notna() & value_new.notna() & ((value_new - value_old).abs() >= VALUE_TOLERANCE - 1e-9))
        | (value_old.isna() != value_new.isna())
    )
    slipped = both["next_step_date_new"] > both["next_step_date_old"]  # NaT compares False
    return {
        "added": sorted(new.loc[~_among(new["key"], old["key"]), "project_id"]),
        "removed": sorted(old.loc[~_among(old["key"], new["key"]), "project_id"]),
        "advanced": _pairs(both[both["stage_number_new"] > both["stage_number_old"]], "stage"),
        "regressed": _pairs(both[both["stage_number_new"] < both["stage_number_old"]], "stage"),
        "status_changed": _pairs(both[both["status_new"] != both["status_old"]], "status"),
        "value_changed": _pairs(both[value_changed], "value", _money),
        "next_step_slipped": _pairs(both[slipped], "next_step_date", _iso),
    }


def is_empty(changes: dict) -> bool:
    return not any(changes.get(k) for k in CHANGE_KEYS)


# --- which versions --------------------------------------------------------------


def last_meeting(events: pd.DataFrame, before: date) -> date | None:
    """The date of the latest steering committee strictly before `before`."""
    meetings = events.loc[(events["type"] == "steering_committee")
                          & (events["date"] < pd.Timestamp(before)), "date"]
    return None if meetings.empty else meetings.max().date()


def comparison_version(versions: Sequence[Any], newest: Any, since: date | None) -> Any:
    """The older version O to compare `newest` with (pipeline.md).

    O is the latest version (highest number, as `Store.version_at` reads
    "latest") up to `newest` whose reference date is on or before `since`;
    when none is that old, or `since` is None (no meeting recorded), the
    oldest version. With a single version this is `newest` itself, whose
    changes are empty.
    """
    candidates = [v for v in versions if v.number <= newest.number] or [newest]
    on_or_before = [v for v in candidates if since is not None and v.reference_date <= since]
    return max(on_or_before, key=lambda v: v.number) if on_or_before else min(candidates, key=lambda v: v.number)


@dataclass(frozen=True)
class Comparison:
    """Two versions to compare, and why the older one was chosen.

    `since` is the date the older version was chosen by (the last meeting or
    the user's date), None when the user named the version.
    """

    old: Any
    new: Any
    since: date | None = None
    meeting: bool = False

    @property
    def same(self) -> bool:
        return self.old.number == self.new.number


def choose(versions: Sequence[Any], new: Any, events: pd.DataFrame, *, since: date | None = None,
           from_version: int | None = None) -> Comparison:
    """The comparison the CLI and the dashboard show by default.

    `new` is version N (usually the newest) and `events` N's events sheet.
    A `from_version` wins, then a `since` date; otherwise the last steering
    committee before N's reference date. Raises BadArgument for an unknown
    `from_version`.
    """
    if from_version is not None:
        named = [v for v in versions if v.number == from_version]
        if not named:
            raise BadArgument("unknown_version", *pair("error.no_version", version=str(from_version)))
        return Comparison(named[0], new)
    meeting = since is None
    if meeting:
        since = last_meeting(events, new.reference_date)
    return Comparison(comparison_version(versions, new, since), new, since, meeting)
