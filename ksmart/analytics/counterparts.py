"""Counterpart agencies met (발주처): who the group met, how often, when last, about which projects.

An agency is a name as analysts write it, folded like every value of the
workbook (`reference.fold`: case, spaces, line breaks, middle dots and
full-width parentheses do not count), within a country: the same folded
name in two countries is two agencies (every city has its 교통국). Nothing
else is merged: "쿠웨이트 주택청(PAHW)" and "쿠웨이트 주택부" stay apart, since only
the analysts know whether two names are one agency.

The known agencies are the events' counterparts (with the event's country)
and the projects' clients (with the project's country). An event meets
its counterpart, and every participant that names a known agency (the
participants are mostly the Korean side: LH, 한전, KOTRA …, which are not
counterparts). A name written without a country (an event in Korea, such
as the GICC) belongs to the one country where that name is known, if there
is exactly one.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from ksmart import frames
from ksmart import reference as ref
from ksmart.analytics.metrics import Filters, apply_filters, countries_pass, filter_events, map_distinct

COLUMNS = ["counterpart", "country", "meetings", "last_met", "first_met", "project_ids", "project_names",
           "project_names_en", "event_ids"]

Key = tuple[str, "str | None"]  # (folded name, ISO alpha-3 or None)


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _key(folded: str | None, country) -> Key | None:
    """A written name's (folded name, country); None when no name is written."""
    return (folded, country if isinstance(country, str) and country else None) if folded else None


def _keys(names: pd.Series, countries: pd.Series) -> list[Key | None]:
    """`_key` of each row, folding each distinct spelling once (tens of thousands of projects
    name far fewer clients)."""
    return list(map(_key, map_distinct(names, ref.fold).tolist(), countries.tolist()))


class _Agencies:
    """The known agencies of a version (`keys`: every event's counterpart and project's client),
    and how a written name finds its agency."""

    def __init__(self, keys):
        self.known: set[Key] = {k for k in keys if k}
        countries: dict[str, set[str]] = defaultdict(set)
        for folded, country in self.known:
            if country is not None:
                countries[folded].add(country)
        # A name without a country goes to its only country (a GICC meeting in Seoul with an agency
        # that is some project's client); with two or more, it stays apart rather than guess.
        self._only = {folded: next(iter(found)) for folded, found in countries.items() if len(found) == 1}

    def find(self, key: Key | None) -> Key | None:
        """The agency of a written (folded name, country), if it is a known one."""
        if key is None:
            return None
        folded, country = key
        key = folded, country if country is not None else self._only.get(folded)
        return key if key in self.known else None


def counterparts(events: pd.DataFrame, projects: pd.DataFrame, *, as_of=None,
                 filters: Filters = Filters()) -> pd.DataFrame:
    """One row per counterpart agency met: the name as last written, its country (ISO alpha-3, or
    empty), meetings (the events that met it, each counted once), last_met and first_met,
    its projects (the filtered projects it is the client of, and those of the events that met it:
    project_ids, project_names, project_names_en, by id) and event_ids; newest meeting first,
    then most meetings, then name.

    Agencies never met are not listed. Events after `as_of` (planned ones) are not meetings yet.
    The filters act as on the events (`metrics.filter_events`) and the projects; a country or
    region filter also drops agencies of other countries, or of none.
    """
    clients = pd.Series(_keys(projects["client"], projects["country"]), index=projects.index, dtype=object)
    agencies = _Agencies([*_keys(events["counterpart"], events["country"]), *clients.tolist()])
    shown = filter_events(events, projects, filters)
    if as_of is not None:
        shown = shown[shown["date"] <= pd.Timestamp(as_of)]
    kept = apply_filters(projects, filters)
    kept_ids = frames.id_key(kept["project_id"]).tolist()

    met: dict[Key, dict] = {}
    ids = set(kept_ids)
    for event in shown[["event_id", "date", "country", "counterpart", "participants", "project_id"]].itertuples(index=False):
        written = [n for n in (_text(event.counterpart), *map(_text, event.participants)) if n]
        keys: dict[Key, str] = {}
        for name in written:  # first spelling wins within an event: the counterpart's
            key = agencies.find(_key(ref.fold(name), event.country))
            if key is not None:
                keys.setdefault(key, name)
        project = event.project_id.strip().casefold() if isinstance(event.project_id, str) else None
        for key, name in keys.items():
            row = met.setdefault(key, {"events": [], "projects": set()})
            row["events"].append((event.date, event.event_id, name))
            if project in ids:
                row["projects"].add(project)
    for key, pid in zip(map(agencies.find, clients.loc[kept.index].tolist()), kept_ids):
        if key in met:
            met[key]["projects"].add(pid)
    wanted = set().union(*(row["projects"] for row in met.values()))
    # a set, not Series.isin, which is slow on text; an array, since an empty list picks columns
    named = kept[np.fromiter((i in wanted for i in kept_ids), dtype=bool, count=len(kept_ids))]
    names = {i: (pid, name, name_en) for i, pid, name, name_en in zip(
        frames.id_key(named["project_id"]).tolist(), named["project_id"].tolist(), named["name"].tolist(),
        named["name_en"].tolist())}
    return _table(met, names, filters)


def _table(met: dict[Key, dict], names: dict, filters: Filters) -> pd.DataFrame:
    rows = []
    for (_, country), found in met.items():
        meetings = sorted(found["events"], key=lambda e: (e[0], str(e[1])))
        projects = sorted((names[p] for p in found["projects"]), key=lambda p: p[0])
        rows.append({
            "counterpart": meetings[-1][2], "country": country, "meetings": len(meetings),
            "last_met": meetings[-1][0], "first_met": meetings[0][0],
            "project_ids": tuple(p[0] for p in projects), "project_names": tuple(p[1] for p in projects),
            "project_names_en": tuple(p[2] if isinstance(p[2], str) else None for p in projects),
            "event_ids": tuple(e[1] for e in meetings),
        })
    table = pd.DataFrame(rows, columns=COLUMNS).astype({"counterpart": "str", "country": "str", "meetings": "int64"})
    table["last_met"] = pd.to_datetime(table["last_met"]).astype("datetime64[ns]")
    table["first_met"] = pd.to_datetime(table["first_met"]).astype("datetime64[ns]")
    if filters.countries or filters.regions:
        table = table[countries_pass(table["country"], filters)]
    table = table.sort_values(["last_met", "meetings", "counterpart"], ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)
