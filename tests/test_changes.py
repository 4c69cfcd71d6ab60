"""The change table between two versions, and which versions are compared."""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from ksmart import frames
from ksmart.analytics import changes
from ksmart.errors import BadArgument

D = pd.Timestamp


def projects(*rows):
    base = dict(country="KWT", subcommittee="ict", stage="proposal", status="active", lead_agency="LH", name="사업")
    return frames.conform("projects", pd.DataFrame([{**base, **r} for r in rows]))


OLD = projects(
    dict(project_id="KWT-001", stage="proposal", value_usd_m=120.0, next_step_date=D("2016-10-01")),
    dict(project_id="KWT-002", stage="negotiation", value_usd_m=100.0, next_step_date=D("2016-10-01")),
    dict(project_id="kwt-003", status="active", value_usd_m=100.0),
    dict(project_id="VNM-001", status="on_hold", value_usd_m=50.0),
    dict(project_id="VNM-002", value_usd_m=None, next_step_date=None),
    dict(project_id="UZB-001", value_usd_m=10.0),
    dict(project_id="UZB-002", status=None, value_krw_100m=1300.0, next_step_date=D("2016-12-01")),
    dict(project_id="PER-001"),
)
NEW = projects(
    dict(project_id="KWT-001", stage="negotiation", value_usd_m=150.0, next_step_date=D("2016-12-01")),
    dict(project_id="KWT-002", stage="feasibility", value_usd_m=100.004, next_step_date=D("2016-09-01")),
    dict(project_id=" KWT-003 ", status="on_hold", value_usd_m=100.01),  # same id, other spelling
    dict(project_id="VNM-001", status="active", value_usd_m=None),
    dict(project_id="VNM-002", value_usd_m=30.0, next_step_date=D("2016-12-01")),
    dict(project_id="UZB-001", value_usd_m=10.0),
    dict(project_id="UZB-002", status="active", value_usd_m=100.0, next_step_date=D("2016-12-01")),
    dict(project_id="BOL-002", stage="identified"),
    dict(project_id="BOL-001"),
)

EXPECTED = {
    "added": ["BOL-001", "BOL-002"],
    "removed": ["PER-001"],
    "advanced": [{"project_id": "KWT-001", "from": "proposal", "to": "negotiation"}],
    "regressed": [{"project_id": "KWT-002", "from": "negotiation", "to": "feasibility"}],
    "status_changed": [
        {"project_id": " KWT-003 ", "from": "active", "to": "on_hold"},
        {"project_id": "VNM-001", "from": "on_hold", "to": "active"},
    ],
    "value_changed": [
        {"project_id": " KWT-003 ", "from": 100.0, "to": 100.01},  # a difference of 0.01 counts
        {"project_id": "KWT-001", "from": 120.0, "to": 150.0},
        {"project_id": "VNM-001", "from": 50.0, "to": None},  # emptied
        {"project_id": "VNM-002", "from": None, "to": 30.0},  # filled
    ],  # KWT-002 (0.004) and UZB-002 (1,300억원 = 100 USD m) are unchanged
    "next_step_slipped": [{"project_id": "KWT-001", "from": "2016-10-01", "to": "2016-12-01"}],
    # KWT-002 moved earlier, VNM-002 had no date, UZB-002 kept its date
}


def test_compare():
    assert changes.compare(OLD, NEW) == EXPECTED


def test_a_version_against_itself_has_no_changes():
    result = changes.compare(NEW, NEW)
    assert changes.is_empty(result) and list(result) == list(changes.CHANGE_KEYS)


def test_compare_the_other_way_mirrors():
    back = changes.compare(NEW, OLD)
    assert back["added"] == ["PER-001"] and back["removed"] == ["BOL-001", "BOL-002"]
    assert back["advanced"] == [{"project_id": "KWT-002", "from": "feasibility", "to": "negotiation"}]
    assert back["next_step_slipped"] == [{"project_id": "KWT-002", "from": "2016-09-01", "to": "2016-10-01"}]


def test_empty_versions():
    empty = frames.empty("projects")
    assert changes.is_empty(changes.compare(empty, empty))
    assert changes.compare(empty, NEW)["added"] == sorted(NEW["project_id"])
    assert changes.compare(OLD, empty)["removed"] == sorted(OLD["project_id"])


def test_exchange_rate_applies_to_both_sides():
    # at 650 KRW/USD, UZB-002's 1,300억원 is 200 USD m: now a change
    assert {"project_id": "UZB-002", "from": 200.0, "to": 100.0} in changes.compare(OLD, NEW, krw_per_usd=650.0)["value_changed"]


# --- the last meeting and the version to compare with ------------------------------------


def events(*rows):
    return frames.conform("events", pd.DataFrame([dict(name="회의", **r) for r in rows]))


EVENTS = events(
    dict(date=D("2016-03-10"), type="steering_committee"),
    dict(date=D("2016-07-15"), type="steering_committee"),
    dict(date=D("2016-08-01"), type="high_level_meeting"),
    dict(date=D("2016-09-08"), type="steering_committee"),  # on the reference date: not "before"
)


@pytest.mark.parametrize(
    "before, expected",
    [
        (date(2016, 9, 8), date(2016, 7, 15)),
        (date(2016, 9, 9), date(2016, 9, 8)),
        (date(2016, 7, 16), date(2016, 7, 15)),
        (date(2016, 3, 10), None),
    ],
)
def test_last_meeting(before, expected):
    assert changes.last_meeting(EVENTS, before) == expected


def test_no_meeting_without_events():
    assert changes.last_meeting(frames.empty("events"), date(2016, 9, 8)) is None


def version(number, day):
    return SimpleNamespace(number=number, reference_date=day)


V1, V2, V3, V4 = (version(1, date(2016, 3, 31)), version(2, date(2016, 6, 30)), version(3, date(2016, 7, 15)),
                  version(4, date(2016, 9, 8)))
VERSIONS = [V1, V2, V3, V4]


@pytest.mark.parametrize(
    "newest, since, expected",
    [
        (V4, date(2016, 7, 15), V3),  # on the meeting day counts
        (V4, date(2016, 7, 14), V2),
        (V4, date(2016, 1, 1), V1),  # no version that old: the oldest
        (V4, None, V1),  # no meeting recorded: the oldest
        (V4, date(2016, 12, 31), V4),  # newer than everything: itself, no changes
        (V2, date(2016, 12, 31), V2),  # versions after the newer one do not count
        (V1, date(2016, 7, 15), V1),
    ],
)
def test_comparison_version(newest, since, expected):
    assert changes.comparison_version(VERSIONS, newest, since) is expected


def test_latest_means_the_highest_number_like_the_store():
    # version 5 rolled back to version 2's content and reference date
    v5 = version(5, V2.reference_date)
    assert changes.comparison_version([*VERSIONS, v5], v5, date(2016, 7, 14)) is v5
    assert changes.comparison_version([*VERSIONS, v5], V4, date(2016, 7, 14)) is V2
    assert changes.choose([*VERSIONS, v5], v5, EVENTS).old is V1  # no meeting before 2016-06-30 but 03-10


def test_single_version_compares_with_itself():
    assert changes.comparison_version([V1], V1, date(2016, 1, 1)) is V1
    assert changes.choose([V1], V1, EVENTS).same


def test_choose_by_meeting_date_or_version():
    by_meeting = changes.choose(VERSIONS, V4, EVENTS)
    assert (by_meeting.old, by_meeting.since, by_meeting.meeting) == (V3, date(2016, 7, 15), True)
    by_date = changes.choose(VERSIONS, V4, EVENTS, since=date(2016, 7, 1))
    assert (by_date.old, by_date.since, by_date.meeting) == (V2, date(2016, 7, 1), False)
    named = changes.choose(VERSIONS, V4, EVENTS, from_version=1)
    assert (named.old, named.since) == (V1, None) and not named.same


def test_choose_unknown_version():
    with pytest.raises(BadArgument) as err:
        changes.choose(VERSIONS, V4, EVENTS, from_version=9)
    assert err.value.code == "unknown_version" and err.value.exit_code == 2
    assert "버전 9가" in err.value.message("ko")
