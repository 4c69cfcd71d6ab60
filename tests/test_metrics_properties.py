"""Invariants of the metrics and the change table on generated portfolios."""

from dataclasses import fields
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksmart import frames
from ksmart import reference as ref
from ksmart.analytics import changes, metrics
from tests import portfolio as pf
from tests.examples import examples

AS_OF = date(2016, 9, 8)
IDS = [f"P-{i}" for i in range(12)]

maybe = lambda s: st.none() | s  # noqa: E731
days = st.dates(date(2014, 1, 1), date(2017, 12, 31)).map(pd.Timestamp)
money = st.floats(0, 5000, allow_nan=False).map(lambda x: round(x, 3))

row = st.fixed_dictionaries({
    "project_id": st.sampled_from(IDS).flatmap(lambda i: st.sampled_from([i, i.lower()])),
    "name": st.just("사업"),
    "country": st.sampled_from(sorted(pf.REGION)),
    "subcommittee": st.sampled_from(ref.SUBCOMMITTEES.keys),
    "stage": st.sampled_from(ref.STAGES.keys),
    "status": maybe(st.sampled_from(ref.STATUSES.keys)),
    "lead_agency": st.sampled_from(["LH", "KEPCO", "K-water", "현대건설"]),
    "value_usd_m": maybe(money),
    "value_krw_100m": maybe(money),
    "win_probability": maybe(st.floats(0, 1)),
    "technologies": st.lists(st.sampled_from([*ref.TECHNOLOGIES.keys, "ITS", "블록체인"]), max_size=4).map(tuple),
    "stage_date": maybe(days),
    "next_step_date": maybe(days),
    "updated_on": maybe(days),
})
portfolios = st.lists(row, max_size=12, unique_by=lambda r: r["project_id"].casefold()).map(
    lambda rows: frames.conform("projects", pd.DataFrame(rows))
)
SETTINGS = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


pytestmark = pytest.mark.usefixtures("fake_countries")  # conftest.py


@SETTINGS
@given(portfolios)
def test_funnel_never_increases_along_the_stages(projects):
    funnel = metrics.summary(projects, AS_OF)["funnel"]
    reached = [f["reached"] for f in funnel]
    values = [f["value_usd_m"] for f in funnel]
    assert reached == sorted(reached, reverse=True)
    assert all(a >= b - 0.01 for a, b in zip(values, values[1:]))
    assert reached[0] == len(projects)


@SETTINGS
@given(portfolios)
def test_open_won_and_dropped_or_held_partition_the_projects(projects):
    t = metrics.project_table(projects, AS_OF)
    dropped_or_held = t["status"].isin(["dropped", "on_hold"]) & ~t["is_won"]
    parts = t["is_open"].astype(int) + t["is_won"].astype(int) + dropped_or_held.astype(int)
    assert (parts == 1).all()
    s = metrics.summary(projects, AS_OF)
    assert s["open"] + s["won"] + int(dropped_or_held.sum()) == s["projects"]
    assert s["active"] + s["on_hold"] + s["dropped"] == s["projects"]
    assert sum(s["by_stage"].values()) == s["active"]


@SETTINGS
@given(portfolios)
def test_weighted_never_exceeds_open_value(projects):
    s = metrics.summary(projects, AS_OF)
    assert s["weighted_value_usd_m"] <= s["open_value_usd_m"] + 0.01
    for g in [*s["by_country"], *s["by_subcommittee"].values(), *s["by_region"], *s["by_lead_agency"]]:
        assert g["weighted_value_usd_m"] <= g["open_value_usd_m"] + 0.01


@SETTINGS
@given(portfolios)
def test_breakdowns_add_up_to_the_totals(projects):
    s = metrics.summary(projects, AS_OF)
    for breakdown in (s["by_country"], list(s["by_subcommittee"].values()), s["by_region"], s["by_lead_agency"]):
        for key in ("projects", "open", "won"):
            assert sum(g[key] for g in breakdown) == s[key]
        for key in ("open_value_usd_m", "won_value_usd_m"):
            assert sum(g[key] for g in breakdown) == pytest.approx(s[key], abs=0.01 * (len(breakdown) + 1))


@SETTINGS
@given(portfolios, st.sampled_from([f.name for f in fields(metrics.Filters)]))
def test_a_filter_only_narrows(projects, field):
    full = metrics.project_table(projects, AS_OF)
    column = metrics.FILTER_COLUMNS[field][0]
    values = tuple(full[column].dropna().unique()[:1])
    narrowed = metrics.apply_filters(projects, metrics.Filters(**{field: values}))
    assert set(narrowed.index) <= set(projects.index)
    assert metrics.summary(narrowed, AS_OF)["projects"] == int(full[column].isin(values).sum())


@SETTINGS
@given(portfolios)
def test_changes_from_a_version_to_itself_are_empty(projects):
    assert changes.is_empty(changes.compare(projects, projects))


def _folded(entries):
    return {(e["project_id"].strip().casefold(), e["from"], e["to"]) for e in entries}


def _swapped(entries):
    return {(i, b, a) for i, a, b in _folded(entries)}


@SETTINGS
@given(portfolios, portfolios)
def test_changes_both_ways_mirror_each_other(old, new):
    there, back = changes.compare(old, new), changes.compare(new, old)
    assert there["added"] == back["removed"] and there["removed"] == back["added"]
    assert _folded(there["advanced"]) == _swapped(back["regressed"])
    assert _folded(there["regressed"]) == _swapped(back["advanced"])
    assert _folded(there["status_changed"]) == _swapped(back["status_changed"])
    assert _folded(there["value_changed"]) == _swapped(back["value_changed"])
    # a next step moved later one way moved earlier the other: never slipped both ways
    assert not {i for i, _, _ in _folded(there["next_step_slipped"])} & {i for i, _, _ in _folded(back["next_step_slipped"])}


@SETTINGS
@given(portfolios, st.dictionaries(st.sampled_from(ref.OPEN_STAGES), st.integers(0, 800)), maybe(st.integers(0, 800)))
def test_the_flags_stay_inside_their_sets(projects, stalled_days, stale_days):
    """stalled ⊆ open, stale ⊆ open, overdue ⊆ active, whatever the limits; days_overdue only where overdue."""
    t = metrics.project_table(projects, AS_OF, stalled_days=stalled_days, stale_days=stale_days)
    active = t["status"] == "active"
    assert not (t["stalled"] & ~t["is_open"]).any()
    assert not (t["stale"] & ~t["is_open"]).any()
    assert not (t["overdue"] & ~active).any()
    assert (t["days_overdue"].notna() == t["overdue"]).all() and (t["days_overdue"].dropna() > 0).all()
    assert not (t["stalled"] & t["days_in_stage"].isna()).any()  # no stage date, not stalled
    s = metrics.summary(projects, AS_OF, stalled_days=stalled_days, stale_days=stale_days)
    assert (s["stalled"], s["stale"], s["overdue"]) == tuple(int(t[f].sum()) for f in ("stalled", "stale", "overdue"))
