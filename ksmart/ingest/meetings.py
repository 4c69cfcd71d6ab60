"""The actions sheet's cross-checks: which meeting each directive belongs to, and its id.

A directive names its steering committee by event id or by date (workbook.md,
sheet actions). Which event that is depends on the events of the file and of
the store, so it is decided here, once every sheet is read: the meeting is
stored as the event's id, and an action without an id gets one derived from
that id and the directive, so writing the date or the id gives the same row.

Problems come back as plain tuples (frame row, code, column key, value,
details); `validation` makes them located issues.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import pandas as pd

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.ingest import values

EVENT_COLUMNS = ("event_id", "date", "type")


class Problem(NamedTuple):
    index: int  # row of the actions frame
    code: str
    column: str  # column key
    value: object
    details: dict


def known_events(file_events: pd.DataFrame | None, stored: pd.DataFrame | None) -> pd.DataFrame | None:
    """The events a directive may name: the file's first (they replace stored ones
    with the same id), then the stored ones; None when neither is known."""
    parts = [f.loc[:, list(EVENT_COLUMNS)] for f in (file_events, stored) if f is not None]
    if not parts:
        return None
    events = pd.concat(parts, ignore_index=True)
    events = events[events["event_id"].notna()]
    return events[~fr.id_key(events["event_id"]).duplicated(keep="first")].reset_index(drop=True)


class _Meetings:
    """Resolves what analysts write in the meeting column to an event id."""

    def __init__(self, events: pd.DataFrame):
        self.by_id = dict(zip(fr.id_key(events["event_id"]), zip(events["event_id"], events["type"])))
        committees = events[events["type"] == ref.MEETING_TYPE]
        days = pd.to_datetime(committees["date"]).dt.date
        self.committees_on: dict = {}
        for day, event_id in zip(days, committees["event_id"]):
            self.committees_on.setdefault(day, []).append(event_id)
        self.other_days = set(pd.to_datetime(events.loc[events["type"] != ref.MEETING_TYPE, "date"]).dt.date)

    def resolve(self, written: str) -> tuple[str | None, str | None, dict]:
        """(event id, problem code, details) for one written meeting."""
        found = self.by_id.get(written.strip().casefold())
        if found is not None:
            event_id, kind = found
            return (event_id, None, {}) if kind == ref.MEETING_TYPE else (None, "not_a_meeting", {"event": event_id})
        day, problem = values.parse_date(written)
        if day is None or problem is not None:
            return None, "unknown_meeting", {}
        on_day = self.committees_on.get(day, [])
        if len(on_day) == 1:
            return on_day[0], None, {}
        if len(on_day) > 1:
            return None, "ambiguous_meeting", {"events": ", ".join(sorted(on_day))}
        return None, ("not_a_meeting" if day in self.other_days else "unknown_meeting"), {}


def follow_up(frame: pd.DataFrame, events: pd.DataFrame | None) -> tuple[pd.DataFrame, list[Problem]]:
    """The actions frame with meetings as event ids and every id filled, and its problems.

    Without any known events (a file checked on its own, without an events
    sheet), meetings are kept as written and not checked.
    """
    out = frame.copy()
    problems: list[Problem] = []
    if events is not None:
        meetings = _Meetings(events)
        resolved = {}
        for written in out["meeting"].dropna().unique().tolist():
            resolved[written] = meetings.resolve(written)
        ids = []
        for index, written in enumerate(out["meeting"].tolist()):
            if not isinstance(written, str):
                ids.append(None)
                continue
            event_id, code, details = resolved[written]
            ids.append(event_id)
            if code:
                problems.append(Problem(index, code, "meeting", written, details))
        out["meeting"] = fr.conform_column(ref.ACTIONS.by_key["meeting"], ids)
    out["action_id"] = fr.conform_column(ref.ACTIONS.by_key["action_id"], derived_ids(out))
    done_undated = (out["status"] == ref.ACTION_DONE) & out["done_on"].isna()
    problems += [Problem(int(i), "done_on_missing", "done_on", None, {}) for i in done_undated[done_undated].index]
    return out, problems


def derived_ids(frame: pd.DataFrame) -> list:
    """Each action's id: as given, else meeting + a digest of the directive (stable across uploads)."""
    out = []
    for given, meeting, directive in zip(frame["action_id"], frame["meeting"], frame["directive"]):
        if isinstance(given, str):
            out.append(given)
            continue
        digest = hashlib.sha1(str(directive if isinstance(directive, str) else "").encode()).hexdigest()[:6]
        out.append(f"{meeting if isinstance(meeting, str) else 'MEETING'}-{digest}")
    return out
