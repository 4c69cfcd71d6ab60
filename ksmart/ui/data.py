"""Cached access to the store and to the metrics the pages show.

The store object (an SQLAlchemy engine inside) is a `st.cache_resource`,
shared and never mutated. Everything else is `st.cache_data`, keyed on what
changes the answer: the store URL, a version number (a version's content
never changes once committed), the reference date, the filters and, where
text is made, the language. `latest(url)` asks the store for its newest
version on every run (one indexed query), so an upload shows on every open
session's next rerun without any cache being cleared.

The functions here call `ksmart.analytics.metrics`, `ksmart.analytics.changes` and
`ksmart.analytics.briefing` and pick columns. Three small aggregations that pipeline.md
names but `ksmart.analytics.metrics` does not offer yet are done here, each marked
"(not yet in metrics)": technology coverage per subcommittee and a country's
report freshness and latest event.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from ksmart import countries as ctry
from ksmart import reference as ref
from ksmart.analytics import briefing as brief
from ksmart.analytics import changes as chg
from ksmart.analytics import counterparts as met
from ksmart.analytics import metrics
from ksmart.analytics.metrics import Filters
from ksmart.errors import KsmartError
from ksmart.present import mapdeck
from ksmart.store import Store, VersionInfo, open_store
from ksmart.store import engine as store_engine

# Enough for the sessions of one meeting room and a few analysts; frames of a
# 50,000-project version are tens of megabytes, so few of those.
_SMALL, _FRAMES = 256, 6


@st.cache_resource(show_spinner=False)
def _opened(url: str) -> Store:
    return open_store(url)


def store(url: str) -> Store:
    """The store at `url`, opened once per process. Whatever keeps it from opening (a corrupt
    SQLite file, an unreachable PostgreSQL) is a StoreBusy that says which store and what failed,
    shown by the page (`View.error`) instead of a traceback; a failure is not cached."""
    try:
        return _opened(url)
    except KsmartError:
        raise
    except Exception as exc:
        raise store_engine.store_unavailable(store_engine.first_line(exc), store_engine.place(url)) from exc


def latest(url: str) -> int | None:
    """The newest version number, asked on every run (not cached)."""
    return store(url).latest_version()


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def versions(url: str, latest_version: int) -> list[VersionInfo]:
    """All versions, oldest first; `latest_version` is only the cache key."""
    return store(url).versions()


@st.cache_data(show_spinner=False, max_entries=_FRAMES)
def frames(url: str, version: int) -> dict[str, pd.DataFrame]:
    return store(url).read(version).frames


def _projects(url: str, version: int, filters: Filters) -> pd.DataFrame:
    return metrics.apply_filters(frames(url, version)["projects"], filters)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def filter_options(url: str, version: int) -> dict[str, list[str]]:
    """The values each sidebar filter offers: reference tables in their
    order, countries, regions and agencies as present in the version."""
    projects = frames(url, version)["projects"]
    present_regions = set(metrics.regions(projects["country"]))
    return {
        "countries": sorted(projects["country"].dropna().unique()),
        "regions": [k for k in ctry.REGIONS.keys if k in present_regions],
        "subcommittees": ref.SUBCOMMITTEES.keys,
        "lead_agencies": [k for k in ref.AGENCIES.keys if (projects["lead_agency"] == k).any()]
        + sorted(set(projects["lead_agency"].dropna()) - set(ref.AGENCIES.keys)),
        "stages": ref.STAGES.keys,
        "statuses": ref.STATUSES.keys,
    }


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def comparison(url: str, latest_version: int, version: int, choice) -> tuple[VersionInfo, date | None, bool]:
    """(older version, the date it was chosen by, whether that is the last
    steering committee) for `choice`: "meeting" or a version number."""
    infos = versions(url, latest_version)
    new = next(v for v in infos if v.number == version)
    if choice == "meeting" or choice is None:
        picked = chg.choose(infos, new, frames(url, version)["events"])
    else:
        picked = chg.choose(infos, new, frames(url, version)["events"], from_version=int(choice))
    return picked.old, picked.since, picked.meeting


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def summary(url: str, version: int, as_of: date, filters: Filters) -> dict:
    return metrics.summary(frames(url, version)["projects"], as_of, filters=filters, version=version)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def stage_subcommittee(url: str, version: int, filters: Filters) -> pd.DataFrame:
    return metrics.stage_by_subcommittee(_projects(url, version, filters))


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def _ranked(url: str, old: int, new: int, filters: Filters, lang: str) -> brief.Briefing:
    before, after = _projects(url, old, filters), _projects(url, new, filters)
    return brief.build(chg.compare(before, after), after, before, lang, countries=frames(url, new)["countries"])


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def briefing(url: str, old: int, new: int, filters: Filters, lang: str, top: int) -> dict:
    """The briefing from version `old` to `new` (both filtered alike), as the
    Overview shows it: `headline` (tier 1 and 2 sentences, in the order of
    pipeline.md, the first `top`) and `headline_total`; `summary` (the tier-3
    summary sentence, or None), `minor` (the first `top` tier-3 sentences, by
    summary kind) and `minor_total`; `none` (the "no change" sentence, or None).

    Bounded on purpose: between two versions of a large portfolio there are
    thousands of items (1 MB of markdown that the browser would take seconds
    to lay out); the whole list is `briefing_text`, built when someone asks."""
    ranked = _ranked(url, old, new, filters, lang)
    headline, minor = ranked.headline, ranked.minor
    return {"headline": [i.sentence for i in headline[:top]], "headline_total": len(headline),
            "summary": ranked.summary_sentence, "minor": [i.sentence for i in minor[:top]],
            "minor_total": len(minor), "none": ranked.none_sentence}


def briefing_text(url: str, old: int, new: int, filters: Filters, lang: str) -> str:
    """The whole briefing, one line each, tier-3 items under their summary (a download's content)."""
    ranked = _ranked(url, old, new, filters, lang)
    return "".join([*(f"- {line}\n" for line in ranked.lines), *(f"  - {i.sentence}\n" for i in ranked.minor)])


_LIST_COLUMNS = ["project_id", "name", "name_en", "country", "subcommittee", "stage", "status", "lead_agency",
                 "value_usd_m_effective", "probability", "days_in_stage", "days_since_update", "next_step",
                 "next_step_date", "stalled", "overdue", "days_overdue", "upcoming", "stale", "tech_count", "is_open",
                 "is_advanced"]


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def advanced(url: str, version: int, as_of: date, filters: Filters, top: int) -> tuple[pd.DataFrame, int]:
    """The first `top` advanced projects (furthest stage, largest value first) and how many there are."""
    rows = metrics.advanced_projects(frames(url, version)["projects"], as_of, filters=filters)
    return rows[_LIST_COLUMNS].head(top), len(rows)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def flagship(url: str, version: int, as_of: date, filters: Filters, top: int) -> tuple[pd.DataFrame, int]:
    """The first `top` flagship projects (advanced, and the active ones of priority countries;
    `metrics.flagship_projects`) and how many there are."""
    sheets = frames(url, version)
    rows = metrics.flagship_projects(sheets["projects"], sheets.get("countries"), as_of, filters=filters)
    return rows[[*_LIST_COLUMNS, "priority"]].head(top), len(rows)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def project_list(url: str, version: int, as_of: date, filters: Filters) -> pd.DataFrame:
    """Every filtered project with its row-level metrics, furthest stage and largest value first."""
    table = metrics.project_table(_projects(url, version, filters), as_of)
    table = table.sort_values(["stage_number", "value_usd_m_effective", "project_id"],
                              ascending=[False, False, True], kind="stable", na_position="last")
    return table[_LIST_COLUMNS]


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def project_history(url: str, latest_version: int, project_id: str) -> pd.DataFrame:
    """A project's rows over the versions (`latest_version` is the cache key)."""
    return store(url).project_history(project_id)


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def world_map(url: str, version: int, as_of: date, filters: Filters, lang: str,
              meeting: bool = False) -> tuple[mapdeck.CompactDeck, str]:
    """(the map, its legend as HTML): symbols by open value, the priority countries named,
    advanced projects per country in the tooltips."""
    by_country = summary(url, version, as_of, filters)["by_country"]
    priority = metrics.priority_countries(frames(url, version).get("countries"))
    advanced = metrics.advanced_projects(frames(url, version)["projects"], as_of, filters=filters)["country"].value_counts()
    return (mapdeck.deck(by_country, lang, priority=priority, advanced=advanced.to_dict(), meeting=meeting),
            mapdeck.legend_html(by_country, lang, meeting=meeting, priority=priority))


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def technologies(url: str, version: int, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(coverage: active projects per technology × subcommittee, the active
    projects with their technology matrix, largest value first). The
    coverage per subcommittee is not yet in metrics."""
    projects = _projects(url, version, filters)
    active = projects[metrics.statuses(projects) == "active"]
    matrix = metrics.technology_matrix(active)
    coverage = matrix.groupby(active["subcommittee"].to_numpy()).sum().T.reindex(
        columns=ref.SUBCOMMITTEES.keys, fill_value=0)
    value = metrics.project_values(active).fillna(0.0)
    rows = active[["project_id", "name", "name_en", "country", "stage"]].assign(
        value_usd_m_effective=value, tech_count=matrix.sum(axis=1))
    order = value.sort_values(ascending=False, kind="stable").index
    return coverage, rows.loc[order].join(matrix.loc[order])


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def events(url: str, version: int, filters: Filters) -> pd.DataFrame:
    """The events the filters keep (`metrics.filter_events`), oldest first."""
    sheets = frames(url, version)
    kept = metrics.filter_events(sheets["events"], sheets["projects"], filters)
    return kept.sort_values(["date", "event_id"], kind="stable")


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def counterparts(url: str, version: int, as_of: date, filters: Filters) -> pd.DataFrame:
    """The counterpart agencies met, newest meeting first (`ksmart.analytics.counterparts`)."""
    sheets = frames(url, version)
    return met.counterparts(sheets["events"], sheets["projects"], as_of=as_of, filters=filters)


def _stages(projects: pd.DataFrame) -> pd.Series:
    """Stage by case-folded project id."""
    stages = pd.Series(projects["stage"].to_numpy(), index=projects["project_id"].str.casefold())
    return stages[~stages.index.duplicated()]


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def followups(url: str, latest_version: int, version: int, filters: Filters) -> pd.DataFrame:
    """Events linked to a project with the project's stage at the event and
    now: the stage in the latest version whose reference date is on or
    before the event (the oldest version when none is), and in `version`.
    One frame read per version concerned, not one query per event."""
    linked = events(url, version, filters)
    linked = linked[linked["project_id"].notna()]
    keys = linked["project_id"].str.casefold()
    infos = [v for v in versions(url, latest_version) if v.number <= version]  # oldest first
    dates = pd.to_datetime([v.reference_date for v in infos]).to_numpy()
    at = np.clip(np.searchsorted(dates, linked["date"].to_numpy(), side="right") - 1, 0, None)
    before = pd.Series(pd.NA, index=linked.index, dtype="object")
    for i in np.unique(at):
        rows = at == i
        before[rows] = keys[rows].map(_stages(frames(url, infos[i].number)["projects"])).to_numpy()
    now = frames(url, version)["projects"]
    named = now.set_index(now["project_id"].str.casefold())
    named = named[~named.index.duplicated()]
    return linked.assign(stage_before=before, stage_now=keys.map(_stages(now)).to_numpy(),
                         project_name=keys.map(named["name"]).to_numpy(),
                         project_name_en=keys.map(named["name_en"]).to_numpy())


@st.cache_data(show_spinner=False, max_entries=_SMALL)
def country_profile(url: str, version: int, as_of: date, iso3: str) -> dict:
    """One country's facts: its Countries-sheet row, reports and events
    (newest first), the days since its latest report, its latest event
    (pipeline.md's country-level extras; not yet in metrics)."""
    sheets = frames(url, version)
    row = sheets["countries"][sheets["countries"]["country"] == iso3]
    reports = sheets["reports"][sheets["reports"]["country"] == iso3].sort_values("date", ascending=False)
    events_ = sheets["events"][sheets["events"]["country"] == iso3].sort_values("date", ascending=False)
    latest_report = reports["date"].max() if len(reports) else None
    return {
        "info": row.iloc[0].to_dict() if len(row) else {},
        "reports": reports,
        "events": events_,
        "latest_report": latest_report,
        "report_age_days": int((pd.Timestamp(as_of) - latest_report).days) if latest_report is not None else None,
        "latest_event": events_.iloc[0].to_dict() if len(events_) else None,
    }


def country_choices(url: str, version: int, as_of: date, filters: Filters) -> list[str]:
    """The countries of the filtered pipeline, largest open value first."""
    return [r["country"] for r in summary(url, version, as_of, filters)["by_country"]]
