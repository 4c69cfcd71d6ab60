"""The metrics of pipeline.md, from a projects frame at a reference date.

Pure pandas, no I/O: the CLI, the pages and the deck call these functions so
that one number means the same everywhere. Everything is column-wise; the
only Python loops run over reference tables or distinct values (countries,
technology spellings, groups), never over projects.

`project_table` is the row-level view (one row per project with its
effective value, probability, flags and day counts); `summary` aggregates it
into the JSON of cli.md. The pages' other views: `advanced_projects`,
`stalled_projects`, `overdue_projects`, `upcoming_projects`,
`stage_by_subcommittee`, `technology_matrix`, `technology_by_subcommittee`, `filter_events`, `group_totals` (any
breakdown) and `country_extras` (attaché post, report freshness, latest
event). Settings (exchange rate, stalled limits per stage, stale and
upcoming thresholds, stage probabilities) default to `ksmart.settings` and
can be overridden per call with keyword arguments (`Params`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np
import pandas as pd

from ksmart import countries as country_tables
from ksmart import reference as ref
from ksmart import settings

MONEY_DIGITS = 2
CONVERSION_DIGITS = 4
GROUP_FIELDS = ("projects", "open", "open_value_usd_m", "weighted_value_usd_m", "won", "won_value_usd_m")
_MONEY_FIELDS = frozenset(f for f in GROUP_FIELDS if f.endswith("_usd_m"))


# --- parameters ------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """The configurable numbers of pipeline.md; None means "from settings".

    `stalled_days` gives the stalled limit of some open stages (stage key ->
    days); `stalled_stage_days` the limit of all five at once, like the old
    single setting. A stage's own value wins over the all-stage one, a call's
    over the settings (where likewise `KSMART_STALLED_DAYS_<STAGE>` wins over
    `KSMART_STALLED_STAGE_DAYS`). Resolved, `stalled_days` has every open stage.
    """

    krw_per_usd: float | None = None
    stalled_days: Mapping[str, int] | None = None
    stalled_stage_days: int | None = None
    stale_days: int | None = None
    upcoming_days: int | None = None
    stage_probabilities: Mapping[str, float] | None = None

    def resolved(self) -> "Params":
        """These parameters with every None replaced by its setting."""
        values = {name: getattr(self, name) if getattr(self, name) is not None else settings.get(setting)
                  for name, setting in _SETTING_OF.items()}
        limits = {stage: self.stalled_stage_days if self.stalled_stage_days is not None else settings.get(name)
                  for stage, name in settings.STALLED_DAYS.items()}
        limits.update(self.stalled_days or {})
        probabilities = {s.key: s.default_probability for s in ref.STAGES}
        probabilities.update(self.stage_probabilities or {})
        return Params(**values, stalled_days=limits, stalled_stage_days=self.stalled_stage_days,
                      stage_probabilities=probabilities)


_SETTING_OF = {
    "krw_per_usd": "KSMART_KRW_PER_USD",
    "stale_days": "KSMART_STALE_DAYS",
    "upcoming_days": "KSMART_UPCOMING_DAYS",
}


def map_distinct(values: pd.Series, fn, missing=None, dtype=object) -> np.ndarray:
    """`fn` of each value, calling it once per distinct value (a portfolio
    has a few dozen countries and stages but tens of thousands of rows, and
    `Series.map` over text columns is the slow part otherwise). Empty values
    give `missing`."""
    codes, uniques = pd.factorize(values)
    lookup = np.array([*(fn(u) for u in uniques), missing], dtype=dtype)
    return lookup[codes]  # code -1 (empty) picks the trailing `missing`


# --- filters ---------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The sidebar filters; an empty tuple means "no filter on this field".

    Values may be keys or any accepted spelling (협상, ICT, 한전, kwt).
    """

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    subcommittees: tuple[str, ...] = ()
    lead_agencies: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __post_init__(self):
        # Widgets hand over lists (or one string); tuples keep Filters hashable, so a cache can key on it.
        for f in fields(self):
            value = getattr(self, f.name)
            object.__setattr__(self, f.name, (value,) if isinstance(value, str) else tuple(value or ()))

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


# filter field -> (column it selects on, how a user's value becomes the stored one)
FILTER_COLUMNS = {
    "countries": ("country", lambda v: v.strip().upper()),
    "regions": ("region", lambda v: country_tables.REGIONS.resolve(v) or v),
    "subcommittees": ("subcommittee", lambda v: ref.SUBCOMMITTEES.resolve(v) or v),
    "lead_agencies": ("lead_agency", lambda v: ref.AGENCIES.resolve(v) or v),
    "stages": ("stage", lambda v: ref.STAGES.resolve(v) or v),
    "statuses": ("status", lambda v: ref.STATUSES.resolve(v) or v),
}


def regions(countries: pd.Series) -> pd.Series:
    """The region key of each ISO alpha-3 code, from
    `ksmart.countries.region_of` (one call per distinct country); empty for
    a code it does not know, which no region then counts."""
    region_of = country_tables.region_of

    def region(iso3: str) -> str | None:
        try:
            return region_of(iso3)
        except KeyError:
            return None

    return pd.Series(map_distinct(countries, region), index=countries.index, dtype="str", name="region")


def statuses(projects: pd.DataFrame) -> pd.Series:
    """Each project's status; empty means active (workbook.md)."""
    return projects["status"].fillna(ref.DEFAULT_STATUS)


def apply_filters(projects: pd.DataFrame, filters: Filters = Filters()) -> pd.DataFrame:
    """The rows of `projects` that pass every non-empty filter (index kept)."""
    if filters.is_empty():
        return projects
    mask = pd.Series(True, index=projects.index)
    for name, (column, normalise) in FILTER_COLUMNS.items():
        wanted = getattr(filters, name)
        if not wanted:
            continue
        if column == "region":
            values = regions(projects["country"])
        elif column == "status":
            values = statuses(projects)
        else:
            values = projects[column]
        mask &= values.isin({normalise(str(v)) for v in wanted}).to_numpy()
    return projects[mask]


def countries_pass(values: pd.Series, filters: Filters = Filters()) -> pd.Series:
    """Whether each country code passes the country and region filters (an empty code does not,
    when either is set)."""
    ok = pd.Series(True, index=values.index)
    if filters.countries:
        ok &= values.isin({FILTER_COLUMNS["countries"][1](str(c)) for c in filters.countries})
    if filters.regions:
        ok &= regions(values).isin({FILTER_COLUMNS["regions"][1](str(r)) for r in filters.regions})
    return ok


def filter_events(events: pd.DataFrame, projects: pd.DataFrame, filters: Filters = Filters()) -> pd.DataFrame:
    """The events the filters keep (index kept).

    Events that concern no country and no project (steering committees,
    GICC) always stay: they are the group's own calendar. Others stay when
    their country passes the country and region filters and, when a
    project-level filter is set, their project passes it (`projects` are
    the unfiltered ones).
    """
    if filters.is_empty():
        return events
    general = events["country"].isna() & events["project_id"].isna()
    keep = countries_pass(events["country"], filters) | general
    if filters.subcommittees or filters.lead_agencies or filters.stages or filters.statuses:
        ids = set(apply_filters(projects, filters)["project_id"].str.casefold())
        keep &= events["project_id"].str.casefold().isin(ids) | general
    return events[keep]


# --- row-level values ----------------------------------------------------------------


def project_values(projects: pd.DataFrame, krw_per_usd: float | None = None) -> pd.Series:
    """Each project's value in USD million: value_usd_m, else value_krw_100m
    converted (1억원 = 100 / rate USD million); NaN when both are empty."""
    rate = Params(krw_per_usd=krw_per_usd).resolved().krw_per_usd
    return projects["value_usd_m"].fillna(projects["value_krw_100m"] * 100.0 / rate).rename("value_usd_m_effective")


def probabilities(projects: pd.DataFrame, stage_probabilities: Mapping[str, float] | None = None) -> pd.Series:
    """Each project's win probability: its own when given, else its stage's
    default (0 for an unknown stage)."""
    defaults = Params(stage_probabilities=stage_probabilities).resolved().stage_probabilities
    by_stage = pd.Series(map_distinct(projects["stage"], lambda k: defaults.get(k, 0.0), 0.0, "float64"),
                         index=projects.index)
    return projects["win_probability"].fillna(by_stage).rename("probability")


def stage_numbers(projects: pd.DataFrame) -> pd.Series:
    """Stage number 1–7 of each project (0 for an empty or unknown stage)."""
    numbers = map_distinct(projects["stage"], lambda k: ref.STAGE_NUMBER.get(k, 0), 0, "int64")
    return pd.Series(numbers, index=projects.index, name="stage_number")


def technology_matrix(projects: pd.DataFrame) -> pd.DataFrame:
    """A boolean frame, one row per project and one column per catalogue
    technology, True where the project lists it (in any accepted spelling)."""
    keys = ref.TECHNOLOGIES.keys
    column = {k: i for i, k in enumerate(keys)}
    resolved: dict[str, int | None] = {}

    def row(items) -> np.ndarray:
        out = np.zeros(len(keys), dtype=bool)
        for item in items:
            if item not in resolved:
                resolved[item] = column.get(ref.TECHNOLOGIES.resolve(item))
            if resolved[item] is not None:
                out[resolved[item]] = True
        return out

    # one row per distinct list (a few thousand in 50,000 projects), then taken per project
    codes, uniques = pd.factorize(projects["technologies"])  # tuples (frames.py): hashable
    distinct = np.vstack([*(row(items) for items in uniques), np.zeros(len(keys), dtype=bool)])
    matrix = distinct[codes]
    return pd.DataFrame(matrix, index=projects.index, columns=keys)


def _days_since(as_of: pd.Timestamp, dates: pd.Series) -> pd.Series:
    return (as_of - dates).dt.days  # float64, NaN where the date is empty


def _enrich(projects: pd.DataFrame, as_of, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The project table and the technology matrix (computed once for both)."""
    p = params.resolved()
    day = pd.Timestamp(as_of).normalize()
    table = projects.copy()
    table["status"] = statuses(projects)
    table["region"] = regions(projects["country"])
    active = table["status"] == "active"
    value = project_values(projects, p.krw_per_usd)
    table["stage_number"] = stage_numbers(projects)
    table["value_usd_m_effective"] = value
    table["probability"] = probabilities(projects, p.stage_probabilities)
    table["weighted"] = value * table["probability"]
    in_stage = _days_since(day, projects["stage_date"])
    since_update = _days_since(day, projects["updated_on"])
    table["days_in_stage"] = in_stage.astype("Int64")
    table["days_since_update"] = since_update.astype("Int64")
    table["is_open"] = active & projects["stage"].isin(ref.OPEN_STAGES)
    table["is_won"] = projects["stage"].isin(ref.WON_STAGES) & (table["status"] != "dropped")
    table["is_advanced"] = active & projects["stage"].isin(ref.ADVANCED_STAGES)
    limit = pd.Series(map_distinct(projects["stage"], lambda k: p.stalled_days.get(k, np.nan), np.nan, "float64"),
                      index=projects.index)
    table["stalled"] = table["is_open"] & (in_stage > limit)  # NaN (no stage date, not an open stage) is False
    table["stale"] = table["is_open"] & (projects["updated_on"].isna() | (since_update > p.stale_days))
    next_step = projects["next_step_date"]
    table["overdue"] = active & (next_step < day)
    table["days_overdue"] = _days_since(day, next_step).where(table["overdue"]).astype("Int64")
    upcoming_end = day + pd.Timedelta(days=p.upcoming_days)
    table["upcoming"] = active & next_step.between(day, upcoming_end)
    matrix = technology_matrix(projects)
    table["tech_count"] = matrix.sum(axis=1).astype("int64")
    return table, matrix


def project_table(projects: pd.DataFrame, as_of, **params) -> pd.DataFrame:
    """`projects` with the row-level values of pipeline.md added.

    Added columns: region, stage_number, value_usd_m_effective, probability,
    weighted (value × probability, any status), days_in_stage and
    days_since_update (Int64, NA without a date), is_open, is_won,
    is_advanced, the flags stalled (days in stage above the stage's limit),
    stale (not updated for too long, or never), overdue (next step past due)
    and upcoming, days_overdue (Int64, NA unless overdue), tech_count;
    status is filled (empty → active). Keyword arguments override settings
    (see `Params`).
    """
    return _enrich(projects, as_of, Params(**params))[0]


def _sorted_rows(projects, as_of, filters, params, flag, by, ascending) -> pd.DataFrame:
    table = project_table(apply_filters(projects, filters), as_of, **params)
    return table[table[flag]].sort_values([*by, "project_id"], ascending=[*ascending, True], kind="stable")


def advanced_projects(projects: pd.DataFrame, as_of, *, filters: Filters = Filters(), **params) -> pd.DataFrame:
    """Advanced (가시화) projects, furthest stage and largest value first."""
    return _sorted_rows(projects, as_of, filters, params, "is_advanced",
                        ["stage_number", "value_usd_m_effective"], [False, False])


def priority_countries(countries: pd.DataFrame | None) -> frozenset[str]:
    """The ISO codes that the countries sheet marks `priority` = yes (none without the sheet)."""
    if countries is None or "priority" not in countries or countries.empty:
        return frozenset()
    flags = countries["priority"].astype("boolean").fillna(False)
    return frozenset(countries.loc[flags.to_numpy(dtype=bool), "country"].dropna())


def flagship_projects(projects: pd.DataFrame, countries: pd.DataFrame | None, as_of, *,
                      filters: Filters = Filters(), **params) -> pd.DataFrame:
    """What the committee asks about first: the advanced projects and the active projects of
    priority countries (e.g. Kuwait, Bolivia); priority countries first, the advanced ones among
    them first, then largest value and furthest stage. Adds the boolean column `priority`."""
    table = project_table(apply_filters(projects, filters), as_of, **params)
    table["priority"] = table["country"].isin(priority_countries(countries))
    chosen = table[table["is_advanced"] | (table["priority"] & (table["status"] == "active"))]
    return chosen.sort_values(["priority", "is_advanced", "value_usd_m_effective", "stage_number", "project_id"],
                              ascending=[False, False, False, False, True], kind="stable", na_position="last")


def stalled_projects(projects: pd.DataFrame, as_of, *, filters: Filters = Filters(), **params) -> pd.DataFrame:
    """Stalled projects, longest in their stage first."""
    return _sorted_rows(projects, as_of, filters, params, "stalled", ["days_in_stage"], [False])


def overdue_projects(projects: pd.DataFrame, as_of, *, filters: Filters = Filters(), **params) -> pd.DataFrame:
    """Projects whose next step is past due, most days overdue first."""
    return _sorted_rows(projects, as_of, filters, params, "overdue", ["days_overdue"], [False])


def upcoming_projects(projects: pd.DataFrame, as_of, *, filters: Filters = Filters(), **params) -> pd.DataFrame:
    """Projects with a next step within the upcoming window, soonest first."""
    return _sorted_rows(projects, as_of, filters, params, "upcoming", ["next_step_date"], [True])


# --- aggregates ------------------------------------------------------------------------


def _money(x) -> float:
    return round(float(x), MONEY_DIGITS)


def _group_parts(table: pd.DataFrame) -> pd.DataFrame:
    """Per project, its contribution to each GROUP_FIELDS sum."""
    value = table["value_usd_m_effective"].fillna(0.0)
    is_open, is_won = table["is_open"], table["is_won"]
    return pd.DataFrame({
        "projects": 1,
        "open": is_open.astype("int64"),
        "open_value_usd_m": value.where(is_open, 0.0),
        "weighted_value_usd_m": table["weighted"].fillna(0.0).where(is_open, 0.0),
        "won": is_won.astype("int64"),
        "won_value_usd_m": value.where(is_won, 0.0),
    }, index=table.index)


def _record(row: Mapping) -> dict:
    return {f: (_money(row[f]) if f in _MONEY_FIELDS else int(row[f])) for f in GROUP_FIELDS}


def group_totals(table: pd.DataFrame, column: str, parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """GROUP_FIELDS per value of `column` of a project table (rows without a
    value in `column` are left out), largest open value first, then by key.
    `parts` is `_group_parts(table)` when the caller has it already."""
    parts = _group_parts(table) if parts is None else parts
    totals = parts.groupby(table[column].rename(column), dropna=True).sum()
    return totals.reset_index().sort_values(["open_value_usd_m", column], ascending=[False, True], kind="stable")


def _group_list(table: pd.DataFrame, parts: pd.DataFrame, column: str) -> list[dict]:
    return [{column: row[column], **_record(row)} for row in group_totals(table, column, parts).to_dict("records")]


def _group_dict(table: pd.DataFrame, parts: pd.DataFrame, column: str, keys: list[str]) -> dict[str, dict]:
    totals = group_totals(table, column, parts).set_index(column).reindex(keys, fill_value=0)
    return {k: _record(row) for k, row in totals.iterrows()}


def _funnel(table: pd.DataFrame) -> list[dict]:
    n = len(ref.STAGES)
    number = table["stage_number"].to_numpy()
    at_stage = np.bincount(number, minlength=n + 1)[1:]
    value_at_stage = np.bincount(number, weights=table["value_usd_m_effective"].fillna(0.0).to_numpy(),
                                 minlength=n + 1)[1:]
    reached = at_stage[::-1].cumsum()[::-1].tolist()  # stage k or later
    values = value_at_stage[::-1].cumsum()[::-1].tolist()
    out = []
    for i, stage in enumerate(ref.STAGES.keys):
        nxt = reached[i + 1] if i + 1 < n else None
        conversion = round(nxt / reached[i], CONVERSION_DIGITS) if nxt is not None and reached[i] else None
        out.append({"stage": stage, "reached": reached[i], "value_usd_m": _money(values[i]), "conversion": conversion})
    return out


def _technologies_per_project(counts: pd.Series) -> dict:
    if counts.empty:
        return {"mean": None, "median": None, "max": None}
    return {"mean": round(float(counts.mean()), 2), "median": float(counts.median()), "max": int(counts.max())}


def summary(projects: pd.DataFrame, as_of, *, filters: Filters = Filters(), version: int | None = None,
            **params) -> dict:
    """Every metric of pipeline.md as the `summary --json` dict of cli.md.

    `as_of` is the reference date A of the day-based metrics; `version` is only
    echoed. Beyond cli.md's keys: by_lead_agency and by_region (lists like
    by_country) and technologies_per_project (mean, median, max over active
    projects).
    """
    table, matrix = _enrich(apply_filters(projects, filters), as_of, Params(**params))
    active = table["status"] == "active"
    parts = _group_parts(table)
    totals = _record(parts.sum())
    status_counts = table["status"].value_counts()
    by_stage = table.loc[active, "stage"].value_counts().reindex(ref.STAGES.keys, fill_value=0)
    return {
        "as_of": pd.Timestamp(as_of).date().isoformat(),
        "version": version,
        "projects": totals["projects"],
        **{s: int(status_counts.get(s, 0)) for s in ref.STATUSES.keys},
        "countries": int(table.loc[active, "country"].nunique()),
        "open": totals["open"],
        "open_value_usd_m": totals["open_value_usd_m"],
        "weighted_value_usd_m": totals["weighted_value_usd_m"],
        "won": totals["won"],
        "won_value_usd_m": totals["won_value_usd_m"],
        "advanced": int(table["is_advanced"].sum()),
        "stalled": int(table["stalled"].sum()),
        "stale": int(table["stale"].sum()),
        "overdue": int(table["overdue"].sum()),
        "upcoming": int(table["upcoming"].sum()),
        "value_missing": int(table["value_usd_m_effective"].isna().sum()),
        "by_stage": {k: int(v) for k, v in by_stage.items()},
        "funnel": _funnel(table),
        "by_country": _group_list(table, parts, "country"),
        "by_subcommittee": _group_dict(table, parts, "subcommittee", ref.SUBCOMMITTEES.keys),
        "by_lead_agency": _group_list(table, parts, "lead_agency"),
        "by_region": _group_list(table, parts, "region"),
        "technology_coverage": {k: int(v) for k, v in matrix[active].sum().items()},
        "technologies_per_project": _technologies_per_project(table.loc[active, "tech_count"]),
    }


def stage_by_subcommittee(projects: pd.DataFrame, krw_per_usd: float | None = None) -> pd.DataFrame:
    """Active projects per stage × subcommittee: a long frame with every
    combination (zeros included) in reference order, columns stage,
    subcommittee, projects, open_value_usd_m."""
    active = projects[statuses(projects) == "active"]
    value = project_values(active, krw_per_usd).fillna(0.0)
    is_open = active["stage"].isin(ref.OPEN_STAGES)
    grid = pd.MultiIndex.from_product([ref.STAGES.keys, ref.SUBCOMMITTEES.keys], names=["stage", "subcommittee"])
    counts = pd.DataFrame({"projects": 1, "open_value_usd_m": value.where(is_open, 0.0)}, index=active.index)
    out = counts.groupby([active["stage"], active["subcommittee"]]).sum()
    return out.reindex(grid, fill_value=0).reset_index().astype({"projects": "int64", "open_value_usd_m": "float64"})


def technology_by_subcommittee(projects: pd.DataFrame) -> pd.DataFrame:
    """Active projects that include each technology, per subcommittee: index
    the catalogue keys, columns the subcommittee keys (zeros included)."""
    active = projects[statuses(projects) == "active"]
    counts = technology_matrix(active).groupby(active["subcommittee"]).sum()
    return counts.reindex(ref.SUBCOMMITTEES.keys, fill_value=0).T.astype("int64")


def country_extras(countries: pd.DataFrame, reports: pd.DataFrame, events: pd.DataFrame, as_of) -> pd.DataFrame:
    """The country-level extras of pipeline.md at reference date A.

    One row per country named in any of the three sheets, sorted by code:
    country, attache_post (empty: no attaché), latest_report_date and
    report_age_days (A − that date; the report freshness), latest_event,
    latest_event_type and latest_event_date. Reports and events dated after
    A have not happened yet at A and do not count.
    """
    day = pd.Timestamp(as_of).normalize()
    latest_report = reports.loc[reports["date"] <= day].groupby("country")["date"].max()
    happened = events.loc[events["country"].notna() & (events["date"] <= day)]
    latest_event = (happened.sort_values(["date", "event_id"], kind="stable")
                    .drop_duplicates("country", keep="last").set_index("country"))
    codes = pd.Index(sorted({*countries["country"].dropna(), *latest_report.index, *latest_event.index}),
                     dtype="str", name="country")
    out = pd.DataFrame(index=codes)
    out["attache_post"] = countries.drop_duplicates("country").set_index("country")["attache_post"].reindex(codes)
    out["latest_report_date"] = latest_report.reindex(codes).astype("datetime64[ns]")
    out["report_age_days"] = (day - out["latest_report_date"]).dt.days.astype("Int64")
    out["latest_event"] = latest_event["name"].reindex(codes)
    out["latest_event_type"] = latest_event["type"].reindex(codes)
    out["latest_event_date"] = latest_event["date"].reindex(codes).astype("datetime64[ns]")
    return out.reset_index()
