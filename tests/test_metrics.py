"""Every metric of pipeline.md on the hand-computed portfolio of tests/portfolio.py."""

from datetime import date

import pandas as pd
import pytest

from ksmart import frames
from ksmart import reference as ref
from ksmart.analytics import metrics
from ksmart.analytics.metrics import Filters
from tests import portfolio as pf


pytestmark = pytest.mark.usefixtures("fake_countries")  # conftest.py


def group(projects, open_, open_value, weighted, won, won_value):
    return dict(projects=projects, open=open_, open_value_usd_m=open_value, weighted_value_usd_m=weighted,
                won=won, won_value_usd_m=won_value)


ZERO = group(0, 0, 0.0, 0.0, 0, 0.0)

EXPECTED = {
    "as_of": "2016-09-08",
    "version": 7,
    "projects": 10,
    "active": 6,  # KWT-003 has no status: active
    "on_hold": 2,
    "dropped": 2,
    "countries": 3,  # KWT, BOL, VNM have active projects
    "open": 5,  # KWT-001, KWT-002, BOL-001, VNM-003, KWT-003
    "open_value_usd_m": 410.0,  # 100 + 200 + 100 (1,300억원) + missing + 10
    "weighted_value_usd_m": 245.0,  # 50 + 180 (p 0.9) + 10 + 0 + 5 (p 0.5)
    "won": 2,  # BOL-002 (active), VNM-001 (on hold); PER-001 is dropped
    "won_value_usd_m": 130.0,
    "advanced": 2,  # KWT-001, KWT-002; UZB-001 is on hold
    "stalled": 1,  # KWT-001 251 days in proposal (> 180); VNM-003's 201 in engagement are within 270
    "stale": 2,  # BOL-001 130 days without update, KWT-002 never updated; neither counts as stalled
    "overdue": 2,  # BOL-002 (won, active) 1 day, VNM-003 10 days; UZB-001 is on hold, KWT-003's is on A
    "upcoming": 3,  # KWT-003 on A, KWT-001, KWT-002 on A + 30; VNM-001 is on hold
    "value_missing": 1,  # VNM-003; UZB-001's 0 is a value
    "by_stage": {"identified": 1, "engagement": 2, "feasibility": 0, "proposal": 1, "negotiation": 1,
                 "contract": 1, "implementation": 0},
    "funnel": [
        {"stage": "identified", "reached": 10, "value_usd_m": 880.0, "conversion": 0.9},
        {"stage": "engagement", "reached": 9, "value_usd_m": 780.0, "conversion": 0.7778},
        {"stage": "feasibility", "reached": 7, "value_usd_m": 770.0, "conversion": 0.8571},
        {"stage": "proposal", "reached": 6, "value_usd_m": 730.0, "conversion": 0.6667},
        {"stage": "negotiation", "reached": 4, "value_usd_m": 630.0, "conversion": 0.75},
        {"stage": "contract", "reached": 3, "value_usd_m": 430.0, "conversion": 0.3333},
        {"stage": "implementation", "reached": 1, "value_usd_m": 80.0, "conversion": None},
    ],
    "by_country": [
        {"country": "KWT", **group(3, 3, 310.0, 235.0, 0, 0.0)},
        {"country": "BOL", **group(2, 1, 100.0, 10.0, 1, 50.0)},
        {"country": "PER", **group(1, 0, 0.0, 0.0, 0, 0.0)},  # ties at 0: by code
        {"country": "UZB", **group(1, 0, 0.0, 0.0, 0, 0.0)},
        {"country": "VNM", **group(3, 1, 0.0, 0.0, 1, 80.0)},
    ],
    "by_subcommittee": {
        "urban_infra": group(4, 3, 200.0, 60.0, 0, 0.0),
        "energy_env": group(2, 1, 200.0, 180.0, 0, 0.0),
        "ict": group(4, 1, 10.0, 5.0, 2, 130.0),
    },
    "by_lead_agency": [
        {"lead_agency": "LH", **group(4, 3, 210.0, 65.0, 0, 0.0)},
        {"lead_agency": "KEPCO", **group(1, 1, 200.0, 180.0, 0, 0.0)},
        {"lead_agency": "K-water", **group(1, 0, 0.0, 0.0, 0, 0.0)},
        {"lead_agency": "KOTRA", **group(1, 0, 0.0, 0.0, 1, 50.0)},
        {"lead_agency": "LX", **group(1, 0, 0.0, 0.0, 1, 80.0)},
        {"lead_agency": "MSIT", **group(1, 0, 0.0, 0.0, 0, 0.0)},
        {"lead_agency": "현대건설", **group(1, 1, 0.0, 0.0, 0, 0.0)},  # kept as written
    ],
    "by_region": [
        {"region": "middle_east", **group(3, 3, 310.0, 235.0, 0, 0.0)},
        {"region": "latin_america", **group(3, 1, 100.0, 10.0, 1, 50.0)},
        {"region": "eurasia", **group(1, 0, 0.0, 0.0, 0, 0.0)},
        {"region": "southeast_asia", **group(3, 1, 0.0, 0.0, 1, 80.0)},
    ],
    # active projects only; spellings (ITS, 스마트교통, 안전) resolved, unknown 블록체인 ignored
    "technology_coverage": {"transport": 2, "energy": 1, "water": 1, "safety": 1, "governance": 1,
                            "operations_center": 1, "building": 0, "environment": 0, "digital_twin": 0,
                            "health": 0, "education": 0, "telecom": 1},
    "technologies_per_project": {"mean": 1.33, "median": 1.0, "max": 3},  # 2, 1, 0, 1, 3, 1
}


def test_summary_of_the_fixed_portfolio():
    assert metrics.summary(pf.projects(), pf.AS_OF, version=7) == EXPECTED


def test_summary_keys_and_order_follow_cli_md():
    s = metrics.summary(pf.projects(), pf.AS_OF)
    cli_keys = ["as_of", "version", "projects", "active", "on_hold", "dropped", "countries", "open",
                "open_value_usd_m", "weighted_value_usd_m", "won", "won_value_usd_m", "advanced", "stalled",
                "stale", "overdue", "upcoming", "value_missing", "by_stage", "funnel", "by_country", "by_subcommittee",
                "technology_coverage"]
    assert [k for k in s if k in cli_keys] == cli_keys
    assert list(s["by_stage"]) == ref.STAGES.keys
    assert [f["stage"] for f in s["funnel"]] == ref.STAGES.keys
    assert list(s["by_subcommittee"]) == ref.SUBCOMMITTEES.keys
    assert list(s["technology_coverage"]) == ref.TECHNOLOGIES.keys


def test_as_of_accepts_a_timestamp_and_reports_iso():
    assert metrics.summary(pf.projects(), pd.Timestamp("2016-09-08 15:30"))["as_of"] == "2016-09-08"


# --- filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters, ids",
    [
        (Filters(), [r["project_id"] for r in pf.ROWS]),
        (Filters(countries=("KWT",)), ["KWT-001", "KWT-002", "KWT-003"]),
        (Filters(countries=("kwt", "bol")), ["KWT-001", "KWT-002", "BOL-001", "BOL-002", "KWT-003"]),
        (Filters(regions=("latin_america",)), ["BOL-001", "BOL-002", "PER-001"]),
        (Filters(regions=("중동",)), ["KWT-001", "KWT-002", "KWT-003"]),  # any spelling of a region
        (Filters(subcommittees=("ICT",)), ["BOL-002", "VNM-001", "UZB-001", "KWT-003"]),
        (Filters(lead_agencies=("토지주택공사",)), ["KWT-001", "BOL-001", "KWT-003", "PER-001"]),
        (Filters(lead_agencies=("현대건설",)), ["VNM-003"]),
        (Filters(stages=("협상", "proposal")), ["KWT-001", "KWT-002", "UZB-001"]),
        (Filters(statuses=("보류",)), ["VNM-001", "UZB-001"]),
        (Filters(statuses=("active",)), ["KWT-001", "KWT-002", "BOL-001", "BOL-002", "VNM-003", "KWT-003"]),
        (Filters(countries=("KWT",), subcommittees=("ict",)), ["KWT-003"]),
        (Filters(countries=("KWT",), statuses=("dropped",)), []),
    ],
)
def test_apply_filters(filters, ids):
    assert metrics.apply_filters(pf.projects(), filters)["project_id"].tolist() == ids


def test_filters_take_lists_and_single_values_and_stay_hashable():
    f = Filters(countries=["KWT", "BOL"], stages="협상", statuses=None)
    assert (f.countries, f.stages, f.statuses) == (("KWT", "BOL"), ("협상",), ())
    assert hash(f) == hash(Filters(countries=("KWT", "BOL"), stages=("협상",)))
    assert Filters().is_empty() and not f.is_empty()


def test_summary_over_a_filter():
    s = metrics.summary(pf.projects(), pf.AS_OF, filters=Filters(countries=("KWT",)))
    assert (s["projects"], s["active"], s["countries"], s["open"]) == (3, 3, 1, 3)
    assert (s["open_value_usd_m"], s["weighted_value_usd_m"], s["won"]) == (310.0, 235.0, 0)
    assert [c["country"] for c in s["by_country"]] == ["KWT"]
    assert s["by_subcommittee"]["ict"] == group(1, 1, 10.0, 5.0, 0, 0.0)
    assert s["technology_coverage"]["transport"] == 1
    assert s["funnel"][0]["reached"] == 3


def test_summary_over_on_hold_and_dropped_only():
    s = metrics.summary(pf.projects(), pf.AS_OF, filters=Filters(statuses=("on_hold", "dropped")))
    assert (s["projects"], s["active"], s["on_hold"], s["dropped"], s["countries"]) == (4, 0, 2, 2, 0)
    assert (s["open"], s["won"], s["won_value_usd_m"], s["advanced"], s["stalled"], s["upcoming"]) == (0, 1, 80.0, 0, 0, 0)
    assert (s["stale"], s["overdue"]) == (0, 0)  # UZB-001's next step is past due, but it is on hold
    assert [f["reached"] for f in s["funnel"]] == [4, 4, 4, 3, 2, 2, 1]  # the furthest stages reached
    assert sum(s["technology_coverage"].values()) == 0


# --- row level ----------------------------------------------------------------------


def test_project_table():
    t = metrics.project_table(pf.projects(), pf.AS_OF).set_index("project_id")
    assert t.loc["KWT-003", "status"] == "active"
    assert t.loc["BOL-001", "value_usd_m_effective"] == 100.0
    assert pd.isna(t.loc["VNM-003", "value_usd_m_effective"]) and pd.isna(t.loc["VNM-003", "weighted"])
    assert t["probability"].tolist() == [0.5, 0.9, 0.1, 1.0, 1.0, 0.3, 0.2, 0.5, 0.5, 1.0]
    assert t.loc["KWT-002", "weighted"] == pytest.approx(180.0)
    assert t.loc["KWT-001", "days_in_stage"] == 251
    assert pd.isna(t.loc["BOL-001", "days_in_stage"])  # no stage date
    assert t.loc["BOL-001", "days_since_update"] == 130
    assert str(t["days_in_stage"].dtype) == "Int64"
    assert t.index[t["stalled"]].tolist() == ["KWT-001"]
    assert t.index[t["stale"]].tolist() == ["KWT-002", "BOL-001"]
    assert t.index[t["overdue"]].tolist() == ["BOL-002", "VNM-003"]
    assert t["days_overdue"].dropna().to_dict() == {"BOL-002": 1, "VNM-003": 10}
    assert str(t["days_overdue"].dtype) == "Int64" and pd.isna(t.loc["UZB-001", "days_overdue"])
    assert t.index[t["upcoming"]].tolist() == ["KWT-001", "KWT-002", "KWT-003"]
    assert t.index[t["is_open"]].tolist() == ["KWT-001", "KWT-002", "BOL-001", "VNM-003", "KWT-003"]
    assert t.index[t["is_won"]].tolist() == ["BOL-002", "VNM-001"]
    assert t.index[t["is_advanced"]].tolist() == ["KWT-001", "KWT-002"]
    assert t["tech_count"].tolist() == [2, 1, 0, 1, 2, 1, 3, 0, 1, 0]
    assert t["stage_number"].tolist() == [4, 5, 1, 6, 7, 3, 2, 4, 2, 6]
    assert t.loc["PER-001", "region"] == "latin_america"


def test_row_lists():
    ids = lambda frame: frame["project_id"].tolist()  # noqa: E731
    assert ids(metrics.advanced_projects(pf.projects(), pf.AS_OF)) == ["KWT-002", "KWT-001"]
    assert ids(metrics.stalled_projects(pf.projects(), pf.AS_OF)) == ["KWT-001"]
    assert ids(metrics.overdue_projects(pf.projects(), pf.AS_OF)) == ["VNM-003", "BOL-002"]  # most days first
    assert ids(metrics.upcoming_projects(pf.projects(), pf.AS_OF)) == ["KWT-003", "KWT-001", "KWT-002"]
    assert ids(metrics.upcoming_projects(pf.projects(), pf.AS_OF, upcoming_days=12)) == ["KWT-003", "KWT-001"]
    assert ids(metrics.advanced_projects(pf.projects(), pf.AS_OF, filters=Filters(subcommittees=("energy_env",)))) == ["KWT-002"]


def test_project_values_and_probabilities():
    p = pf.projects()
    assert metrics.project_values(p, krw_per_usd=650.0)[2] == 200.0  # 1,300억원 at 650 KRW/USD
    assert metrics.probabilities(p, {"proposal": 0.6}).tolist()[0] == 0.6
    assert metrics.probabilities(p, {"negotiation": 0.1}).tolist()[1] == 0.9  # the row's own wins


def test_technology_matrix():
    m = metrics.technology_matrix(pf.projects())
    assert list(m.columns) == ref.TECHNOLOGIES.keys
    assert m.loc[6, ["transport", "safety", "water"]].all() and m.loc[6].sum() == 3
    assert not m.loc[2].any()


def test_stage_by_subcommittee():
    grid = metrics.stage_by_subcommittee(pf.projects())
    assert len(grid) == 21
    assert list(grid.columns) == ["stage", "subcommittee", "projects", "open_value_usd_m"]
    got = grid[grid["projects"] > 0].set_index(["stage", "subcommittee"]).to_dict("index")
    assert got == {
        ("identified", "urban_infra"): {"projects": 1, "open_value_usd_m": 100.0},
        ("engagement", "urban_infra"): {"projects": 1, "open_value_usd_m": 0.0},
        ("engagement", "ict"): {"projects": 1, "open_value_usd_m": 10.0},
        ("proposal", "urban_infra"): {"projects": 1, "open_value_usd_m": 100.0},
        ("negotiation", "energy_env"): {"projects": 1, "open_value_usd_m": 200.0},
        ("contract", "ict"): {"projects": 1, "open_value_usd_m": 0.0},  # won, not open
    }


# --- settings and overrides -------------------------------------------------------------


def test_probability_overrides():
    s = metrics.summary(pf.projects(), pf.AS_OF, stage_probabilities={"proposal": 0.6, "negotiation": 0.1})
    assert s["weighted_value_usd_m"] == 255.0  # 60 + 180 (the row's 0.9 wins) + 10 + 5
    assert s["open_value_usd_m"] == 410.0


def test_exchange_rate_override():
    s = metrics.summary(pf.projects(), pf.AS_OF, krw_per_usd=650.0)
    assert s["open_value_usd_m"] == 510.0
    assert s["by_country"][1] == {"country": "BOL", **group(2, 1, 200.0, 20.0, 1, 50.0)}
    assert s["funnel"][0]["value_usd_m"] == 980.0


def test_thresholds_from_settings(monkeypatch):
    monkeypatch.setenv("KSMART_UPCOMING_DAYS", "7")
    monkeypatch.setenv("KSMART_STALE_DAYS", "200")
    s = metrics.summary(pf.projects(), pf.AS_OF)
    assert s["upcoming"] == 1  # only KWT-003
    assert s["stale"] == 1  # KWT-002, never updated; BOL-001's 130 days are within 200
    assert metrics.summary(pf.projects(), pf.AS_OF, stale_days=100)["stale"] == 2


def test_the_old_stale_setting_is_still_read(monkeypatch):
    monkeypatch.setenv("KSMART_STALLED_UPDATE_DAYS", "200")  # its old name, from an earlier release's settings
    assert metrics.summary(pf.projects(), pf.AS_OF)["stale"] == 1
    monkeypatch.setenv("KSMART_STALE_DAYS", "100")  # the new name wins
    assert metrics.summary(pf.projects(), pf.AS_OF)["stale"] == 2


def stalled_ids(**params) -> list[str]:
    return metrics.stalled_projects(pf.projects(), pf.AS_OF, **params)["project_id"].tolist()


def test_stalled_limits_per_stage_from_settings(monkeypatch):
    # KWT-001 251 days in proposal, VNM-003 201 in engagement, KWT-002 38 in negotiation, KWT-003 7 in engagement
    assert stalled_ids() == ["KWT-001"]
    monkeypatch.setenv("KSMART_STALLED_DAYS_ENGAGEMENT", "200")
    assert stalled_ids() == ["KWT-001", "VNM-003"]
    monkeypatch.setenv("KSMART_STALLED_DAYS_PROPOSAL", "251")  # exactly at the limit is not above it
    assert stalled_ids() == ["VNM-003"]
    monkeypatch.setenv("KSMART_STALLED_DAYS_NEGOTIATION", "37")
    assert stalled_ids() == ["VNM-003", "KWT-002"]


def test_the_old_single_stalled_setting_sets_all_five(monkeypatch):
    monkeypatch.setenv("KSMART_STALLED_STAGE_DAYS", "30")
    assert stalled_ids() == ["KWT-001", "VNM-003", "KWT-002"]  # KWT-003's 7 days are within 30
    monkeypatch.setenv("KSMART_STALLED_STAGE_DAYS", "300")
    assert stalled_ids() == []
    monkeypatch.setenv("KSMART_STALLED_DAYS_PROPOSAL", "250")  # a stage's own setting wins over the single one
    assert stalled_ids() == ["KWT-001"]
    assert metrics.Params().resolved().stalled_days == {
        "identified": 300, "engagement": 300, "feasibility": 300, "proposal": 250, "negotiation": 300}


def test_stalled_limits_per_call_override_the_settings(monkeypatch):
    monkeypatch.setenv("KSMART_STALLED_DAYS_PROPOSAL", "10")
    assert stalled_ids(stalled_stage_days=300) == []  # a call's single limit sets all five
    assert stalled_ids(stalled_stage_days=300, stalled_days={"engagement": 200}) == ["VNM-003"]
    assert stalled_ids(stalled_days={"proposal": 300}) == []


def one_project(stage, **dates) -> pd.DataFrame:
    row = dict(project_id="X-1", country="KWT", subcommittee="ict", stage=stage, lead_agency="LH", value_usd_m=1.0,
               updated_on=pd.Timestamp(pf.AS_OF))
    return pf.projects([{**row, **dates}])


DEFAULT_LIMITS = {"identified": 180, "engagement": 270, "feasibility": 365, "proposal": 180, "negotiation": 180}


@pytest.mark.parametrize("stage, limit", DEFAULT_LIMITS.items())
def test_stalled_is_above_the_stage_limit_not_at_it(stage, limit):
    day = pd.Timestamp(pf.AS_OF)
    at_limit = metrics.project_table(one_project(stage, stage_date=day - pd.Timedelta(days=limit)), pf.AS_OF)
    over = metrics.project_table(one_project(stage, stage_date=day - pd.Timedelta(days=limit + 1)), pf.AS_OF)
    assert (at_limit["days_in_stage"].item(), at_limit["stalled"].item()) == (limit, False)
    assert (over["days_in_stage"].item(), over["stalled"].item()) == (limit + 1, True)


def test_the_default_limits_are_pipeline_md_s():
    assert metrics.Params().resolved().stalled_days == DEFAULT_LIMITS


@pytest.mark.parametrize("stage", ["contract", "implementation"])
def test_a_won_project_is_never_stalled_or_stale(stage):
    t = metrics.project_table(one_project(stage, stage_date=pd.Timestamp("2000-01-01"), updated_on=None), pf.AS_OF)
    assert not t["stalled"].item() and not t["stale"].item()


def test_stale_and_overdue_boundaries():
    day = pd.Timestamp(pf.AS_OF)
    t = metrics.project_table(pf.projects([
        dict(project_id=f"X-{n}", country="KWT", subcommittee="ict", stage="proposal", lead_agency="LH",
             updated_on=day - pd.Timedelta(days=n), next_step_date=day - pd.Timedelta(days=n - 90))
        for n in (90, 91)]), pf.AS_OF).set_index("project_id")
    assert t["stale"].to_dict() == {"X-90": False, "X-91": True}  # more than 90 days, not 90
    assert t["overdue"].to_dict() == {"X-90": False, "X-91": True}  # next step on A is not overdue; A − 1 is
    assert t["days_overdue"].fillna(0).to_dict() == {"X-90": 0, "X-91": 1}


def test_day_metrics_move_with_the_reference_date():
    s = metrics.summary(pf.projects(), date(2016, 6, 30))
    # KWT-001 then 181 days in proposal (stalled); BOL-001 60 days without update (not stale), KWT-002 never
    assert (s["stalled"], s["stale"]) == (1, 1)
    assert (s["overdue"], s["upcoming"]) == (0, 0)  # every next step still ahead, none within 30 days
    later = metrics.summary(pf.projects(), date(2016, 10, 9))
    assert later["overdue"] == 5  # every active project's next step is then past: A + 30 (10-08) included


# --- edge cases ---------------------------------------------------------------------------


def test_empty_portfolio():
    s = metrics.summary(frames.empty("projects"), pf.AS_OF)
    assert {k: s[k] for k in ("projects", "active", "open", "open_value_usd_m", "won", "countries",
                              "value_missing", "stalled", "upcoming")} == dict.fromkeys(
        ("projects", "active", "open", "open_value_usd_m", "won", "countries", "value_missing", "stalled", "upcoming"), 0)
    assert s["funnel"] == [{"stage": k, "reached": 0, "value_usd_m": 0.0, "conversion": None} for k in ref.STAGES.keys]
    assert s["by_country"] == s["by_lead_agency"] == s["by_region"] == []
    assert s["by_subcommittee"] == {k: ZERO for k in ref.SUBCOMMITTEES.keys}
    assert s["technology_coverage"] == dict.fromkeys(ref.TECHNOLOGIES.keys, 0)
    assert s["technologies_per_project"] == {"mean": None, "median": None, "max": None}
    assert metrics.project_table(frames.empty("projects"), pf.AS_OF).empty
    assert metrics.stage_by_subcommittee(frames.empty("projects"))["projects"].sum() == 0
    assert metrics.technology_by_subcommittee(frames.empty("projects")).shape == (12, 3)


def test_filter_matching_nothing_is_the_empty_summary():
    s = metrics.summary(pf.projects(), pf.AS_OF, filters=Filters(countries=("FRA",)))
    assert s["projects"] == 0 and s["by_country"] == []


def test_missing_values_dates_and_statuses():
    rows = [dict(project_id="X-1", country="KWT", subcommittee="ict", stage="proposal", lead_agency="LH")]
    s = metrics.summary(pf.projects(rows), pf.AS_OF)
    assert (s["active"], s["open"], s["advanced"], s["value_missing"]) == (1, 1, 1, 1)
    assert (s["open_value_usd_m"], s["weighted_value_usd_m"], s["stalled"], s["upcoming"]) == (0.0, 0.0, 0, 0)
    t = metrics.project_table(pf.projects(rows), pf.AS_OF)
    assert t["days_in_stage"].isna().all() and t["tech_count"].tolist() == [0]


def test_unknown_country_has_no_region():
    rows = [dict(project_id="X-1", country="ATA", subcommittee="ict", stage="proposal", lead_agency="LH",
                 value_usd_m=5.0)]
    s = metrics.summary(pf.projects(rows), pf.AS_OF)
    assert s["by_region"] == [] and s["by_country"][0]["country"] == "ATA"


def test_money_is_rounded_to_cents():
    rows = [dict(project_id=f"X-{i}", country="KWT", subcommittee="ict", stage="identified", lead_agency="LH",
                 value_krw_100m=1.0) for i in range(3)]  # 100 / 1,300 = 0.0769… each
    s = metrics.summary(pf.projects(rows), pf.AS_OF)
    assert s["open_value_usd_m"] == 0.23
    assert s["weighted_value_usd_m"] == 0.02


def test_with_the_real_country_tables(monkeypatch):
    monkeypatch.undo()  # the real country tables, not the stand-in of the autouse fixture
    s = metrics.summary(pf.projects(), pf.AS_OF)
    assert s["by_region"] == EXPECTED["by_region"]
    assert metrics.apply_filters(pf.projects(), Filters(regions=("중동",)))["country"].unique().tolist() == ["KWT"]


def test_technology_by_subcommittee():
    grid = metrics.technology_by_subcommittee(pf.projects())
    assert list(grid.index) == ref.TECHNOLOGIES.keys and list(grid.columns) == ref.SUBCOMMITTEES.keys
    assert grid.loc["transport"].tolist() == [2, 0, 0]  # KWT-001, VNM-003 (urban_infra); VNM-001 is on hold
    assert grid.loc["telecom"].tolist() == [0, 0, 1]
    assert grid.loc["governance", "ict"] == 1 and grid.loc["energy", "energy_env"] == 1
    assert grid.sum().sum() == sum(EXPECTED["technology_coverage"].values())


def test_country_extras():
    countries = frames.conform("countries", pd.DataFrame([
        dict(country="KWT", attache_post="주쿠웨이트 대사관"), dict(country="BOL")]))
    reports = frames.conform("reports", pd.DataFrame([
        dict(report_id="R1", country="KWT", date=pd.Timestamp("2016-08-01"), title="a"),
        dict(report_id="R2", country="KWT", date=pd.Timestamp("2016-09-01"), title="b"),
        dict(report_id="R3", country="KWT", date=pd.Timestamp("2016-10-01"), title="after A"),
        dict(report_id="R4", country="VNM", date=pd.Timestamp("2016-01-08"), title="c")]))
    events = frames.conform("events", pd.DataFrame([
        dict(event_id="E1", country="KWT", date=pd.Timestamp("2016-05-01"), name="고위급면담", type="high_level_meeting"),
        dict(event_id="E2", country="KWT", date=pd.Timestamp("2016-08-15"), name="현장방문", type="site_visit"),
        dict(event_id="E3", country="KWT", date=pd.Timestamp("2016-12-01"), name="planned", type="other"),
        dict(event_id="E4", date=pd.Timestamp("2016-07-20"), name="운영위원회", type="steering_committee")]))
    got = metrics.country_extras(countries, reports, events, pf.AS_OF).set_index("country")
    assert got.index.tolist() == ["BOL", "KWT", "VNM"]
    assert got.loc["KWT", "attache_post"] == "주쿠웨이트 대사관" and pd.isna(got.loc["BOL", "attache_post"])
    assert got.loc["KWT", "latest_report_date"] == pd.Timestamp("2016-09-01")  # R3 is after A
    assert got["report_age_days"].tolist()[1:] == [7, 244]
    assert pd.isna(got.loc["BOL", "report_age_days"])
    assert (got.loc["KWT", "latest_event"], got.loc["KWT", "latest_event_type"]) == ("현장방문", "site_visit")
    assert got.loc["KWT", "latest_event_date"] == pd.Timestamp("2016-08-15")
    assert pd.isna(got.loc["VNM", "latest_event"])
    empty = metrics.country_extras(frames.empty("countries"), frames.empty("reports"), frames.empty("events"), pf.AS_OF)
    assert empty.empty and "report_age_days" in empty.columns


@pytest.mark.parametrize(("priority", "expected"), [
    (None, ["KWT-002", "KWT-001"]),  # no countries sheet: the advanced projects alone
    (["BOL", "UZB"], ["BOL-001", "BOL-002", "KWT-002", "KWT-001"]),  # UZB-001 is on hold: not flagship
    (["KWT"], ["KWT-002", "KWT-001", "KWT-003"]),  # an empty status is active
])
def test_flagship_projects_are_the_advanced_and_the_priority_countries_active_ones(priority, expected):
    countries = None if priority is None else pd.DataFrame(
        {"country": ["KWT", "BOL", "UZB", "VNM"], "priority": [c in priority for c in ("KWT", "BOL", "UZB", "VNM")]})
    rows = metrics.flagship_projects(pf.projects(), countries, pf.AS_OF)
    assert rows["project_id"].tolist() == expected
    assert rows["priority"].tolist() == [pid[:3] in (priority or []) for pid in expected]
