"""Counterpart agencies met (ksmart.analytics.counterparts), computed by hand, and an invariant."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ksmart import frames
from ksmart.analytics import counterparts as cp
from ksmart.analytics.metrics import Filters
from tests.examples import examples

AS_OF = date(2017, 9, 30)


def projects_frame(rows) -> pd.DataFrame:
    base = {"subcommittee": "urban_infra", "stage": "proposal", "lead_agency": "LH"}
    return frames.conform("projects", pd.DataFrame([{**base, **r} for r in rows]))


def events_frame(rows) -> pd.DataFrame:
    base = {"type": "business_meeting"}
    return frames.conform("events", pd.DataFrame([{**base, **r} for r in rows]))


PROJECTS = projects_frame([
    {"project_id": "KWT-001", "name": "압둘라 신도시", "name_en": "Abdullah", "country": "KWT",
     "client": "쿠웨이트 주택청(PAHW)", "stage": "negotiation"},
    {"project_id": "KWT-002", "name": "쿠웨이트 ITS", "country": "KWT", "client": "쿠웨이트 공공사업부"},
    {"project_id": "KEN-002", "name": "나이로비 배전망", "name_en": "Nairobi grid", "country": "KEN",
     "client": "케냐 전력공사(KPLC)", "stage": "identified"},
    {"project_id": "VNM-001", "name": "호찌민 교통", "country": "VNM", "client": "교통국"},
    {"project_id": "THA-001", "name": "방콕 교통", "country": "THA", "client": "교통국"},
])

EVENTS = events_frame([
    {"event_id": "E1", "date": "2016-06-14", "name": "면담", "type": "high_level_meeting", "country": "KWT",
     "counterpart": "쿠웨이트 주택청(PAHW)", "participants": "국토부;LH", "project_id": "KWT-001"},
    # GICC in Seoul: no country; the counterpart written with other spaces, case and full-width parentheses
    {"event_id": "E2", "date": "2016-09-08", "name": "GICC 1:1", "counterpart": " 쿠웨이트  주택청 （pahw） ",
     "participants": "LH;KT;한전"},
    # a participant that is some project's client is met too; LH is not a counterpart
    {"event_id": "E3", "date": "2016-09-08", "name": "GICC 세션", "type": "other",
     "participants": "LH;케냐 전력공사(KPLC);쿠웨이트 주택청(PAHW)"},
    # counterpart and participant at once: one meeting
    {"event_id": "E4", "date": "2017-01-24", "name": "방문", "type": "high_level_meeting", "country": "KWT",
     "counterpart": "쿠웨이트 주택부", "participants": "쿠웨이트 주택부;국토부", "project_id": "KWT-001"},
    {"event_id": "E5", "date": "2017-02-01", "name": "교통 협의", "country": "VNM", "counterpart": "교통국"},
    {"event_id": "E6", "date": "2017-03-01", "name": "교통 협의", "country": "THA", "counterpart": "교통 국"},
    # a GICC meeting with a name known in two countries: not guessed
    {"event_id": "E7", "date": "2016-09-09", "name": "교통 세미나", "counterpart": "교통국"},
    {"event_id": "E8", "date": "2016-09-09", "name": "송도 현장방문", "type": "site_visit",
     "counterpart": "인천경제자유구역청", "participants": "LH;LX"},
    # after the reference date: planned, not met yet
    {"event_id": "E9", "date": "2017-12-01", "name": "면담", "country": "KWT", "counterpart": "쿠웨이트 주택청(PAHW)"},
])


def by_name(table: pd.DataFrame) -> dict[tuple, dict]:
    return {(r["counterpart"], r["country"] if isinstance(r["country"], str) else None): r
            for r in table.to_dict("records")}


def test_one_row_per_agency_met_with_meetings_dates_and_projects():
    table = cp.counterparts(EVENTS, PROJECTS, as_of=AS_OF)
    rows = by_name(table)
    assert set(rows) == {
        ("쿠웨이트 주택청(PAHW)", "KWT"), ("쿠웨이트 주택부", "KWT"), ("케냐 전력공사(KPLC)", "KEN"), ("교통국", "VNM"),
        ("교통 국", "THA"), ("교통국", None), ("인천경제자유구역청", None),
    }
    pahw = rows[("쿠웨이트 주택청(PAHW)", "KWT")]
    # E1, E2 (same agency, folded; Seoul, so its only country), E3 (as a participant); E9 is planned
    assert pahw["meetings"] == 3 and pahw["event_ids"] == ("E1", "E2", "E3")
    assert pahw["last_met"] == pd.Timestamp("2016-09-08") and pahw["first_met"] == pd.Timestamp("2016-06-14")
    assert pahw["project_ids"] == ("KWT-001",) and pahw["project_names"] == ("압둘라 신도시",)
    assert pahw["project_names_en"] == ("Abdullah",)
    assert rows[("쿠웨이트 주택부", "KWT")]["meetings"] == 1  # counterpart and participant of E4: once
    assert rows[("쿠웨이트 주택부", "KWT")]["project_ids"] == ("KWT-001",)  # the event's project
    kplc = rows[("케냐 전력공사(KPLC)", "KEN")]
    assert (kplc["meetings"], kplc["project_ids"], kplc["event_ids"]) == (1, ("KEN-002",), ("E3",))
    assert rows[("교통국", "VNM")]["project_ids"] == ("VNM-001",) and rows[("교통 국", "THA")]["project_ids"] == ("THA-001",)
    assert rows[("교통국", None)]["event_ids"] == ("E7",)  # known in VNM and THA: left apart
    assert rows[("인천경제자유구역청", None)]["project_ids"] == ()
    assert not any("공공사업부" in name for name, _ in rows)  # a client never met is not listed
    assert not any(name in ("LH", "국토부", "KT", "한전", "LX") for name, _ in rows)  # the Korean side


def test_newest_meeting_first_then_most_meetings_then_name():
    table = cp.counterparts(EVENTS, PROJECTS, as_of=AS_OF)
    assert list(zip(table["counterpart"], table["last_met"].dt.strftime("%Y-%m-%d"))) == [
        ("교통 국", "2017-03-01"), ("교통국", "2017-02-01"), ("쿠웨이트 주택부", "2017-01-24"),
        ("교통국", "2016-09-09"), ("인천경제자유구역청", "2016-09-09"),
        ("쿠웨이트 주택청(PAHW)", "2016-09-08"), ("케냐 전력공사(KPLC)", "2016-09-08"),
    ]


def test_the_name_shown_is_the_latest_spelling_and_planned_meetings_count_once_their_day_has_come():
    table = by_name(cp.counterparts(EVENTS, PROJECTS, as_of=date(2017, 12, 1)))
    pahw = table[("쿠웨이트 주택청(PAHW)", "KWT")]
    assert pahw["meetings"] == 4 and pahw["event_ids"][-1] == "E9"
    early = by_name(cp.counterparts(EVENTS[EVENTS["event_id"] != "E3"], PROJECTS, as_of=AS_OF))
    assert early[("쿠웨이트  주택청 （pahw）", "KWT")]["meetings"] == 2  # E2's spelling, trimmed


def test_without_a_reference_date_every_event_counts():
    assert by_name(cp.counterparts(EVENTS, PROJECTS))[("쿠웨이트 주택청(PAHW)", "KWT")]["meetings"] == 4


def test_a_country_filter_keeps_that_countrys_agencies_only():
    table = cp.counterparts(EVENTS, PROJECTS, as_of=AS_OF, filters=Filters(countries=("kwt",)))
    # the GICC meetings in Seoul (no country) still count for Kuwait's agency; no agency of none
    assert sorted(zip(table["counterpart"], table["meetings"])) == [("쿠웨이트 주택부", 1), ("쿠웨이트 주택청(PAHW)", 3)]


def test_a_project_filter_keeps_the_projects_and_the_events_it_keeps():
    table = by_name(cp.counterparts(EVENTS, PROJECTS, as_of=AS_OF, filters=Filters(stages=("identified",))))
    assert table[("케냐 전력공사(KPLC)", "KEN")]["project_ids"] == ("KEN-002",)
    # E1 and E4 concern KWT-001 (negotiation): gone; E2 and E3 are general events: they stay
    assert table[("쿠웨이트 주택청(PAHW)", "KWT")]["event_ids"] == ("E2", "E3")
    assert table[("쿠웨이트 주택청(PAHW)", "KWT")]["project_ids"] == ()  # KWT-001 is filtered out
    assert ("쿠웨이트 주택부", "KWT") not in table
    regional = cp.counterparts(EVENTS, PROJECTS, as_of=AS_OF, filters=Filters(regions=("africa",)))
    assert list(regional["counterpart"]) == ["케냐 전력공사(KPLC)"]


def test_no_events_no_rows_with_the_columns():
    table = cp.counterparts(frames.empty("events"), PROJECTS, as_of=AS_OF)
    assert table.empty and list(table.columns) == cp.COLUMNS


def test_the_sample_shows_the_gicc_business_meetings():
    from ksmart.ingest.validation import validate_workbook
    from ksmart.settings import PROJECT_ROOT

    sheets = validate_workbook(PROJECT_ROOT / "data/sample/pipeline_2017-09-30.xlsx").frames
    rows = by_name(cp.counterparts(sheets["events"], sheets["projects"], as_of=AS_OF))
    gicc = sheets["events"][sheets["events"]["name"].str.startswith("GICC 1:1")]
    assert len(gicc) == 6
    for event in gicc.itertuples():
        row = rows[(event.counterpart, event.country)]
        assert event.event_id in row["event_ids"] and event.project_id in row["project_ids"]
    pahw = rows[("쿠웨이트 주택청(PAHW)", "KWT")]
    assert (pahw["meetings"], pahw["last_met"]) == (2, pd.Timestamp("2016-09-08"))


# --- invariant ------------------------------------------------------------------------------------

# Agencies with their spellings (the same agency written differently) and country.
AGENCIES = [
    (("교통국", "교통 국", "교통국 "), "VNM"),
    (("교통국", " 교통  국"), "THA"),
    (("Ministry of Housing", "ministry of  HOUSING", "MINISTRY OF HOUSING"), "KWT"),
    (("전력공사(KPLC)", "전력공사 （KPLC）"), "KEN"),
    (("전력공사",), "KEN"),
]
KOREAN_SIDE = ["LH", "국토부", "KT"]

mention = st.tuples(st.integers(0, len(AGENCIES) - 1), st.integers(0, 2)).map(
    lambda m: (m[0], AGENCIES[m[0]][0][m[1] % len(AGENCIES[m[0]][0])]))
event_row = st.tuples(
    st.none() | mention, st.lists(st.none() | mention, max_size=4), st.booleans(),
    st.dates(date(2016, 1, 1), date(2017, 12, 31)))


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(event_row, max_size=12), st.sets(st.integers(0, len(AGENCIES) - 1)))
def test_meetings_add_up_to_the_event_agency_pairs(generated, clients):
    """Σ meetings = the number of (event, agency) pairs: the counterpart always, a participant when
    it is a known agency (some event's counterpart or some project's client); every event with
    its country, so that each spelling finds exactly its agency."""
    projects = projects_frame([{"project_id": f"P-{i}", "name": "사업", "country": AGENCIES[i][1],
                                "client": AGENCIES[i][0][0]} for i in sorted(clients)])
    known = set(clients) | {c[0] for c, _, _, _ in generated if c is not None}
    rows, pairs = [], set()
    for n, (counterpart, participants, korean, day) in enumerate(generated):
        # an event's country is its counterpart's, or its first participant's
        named = [m for m in (counterpart, *participants) if m is not None]
        country = AGENCIES[named[0][0]][1] if named else None
        written = [m for m in participants if m is not None and AGENCIES[m[0]][1] == country]
        rows.append({"event_id": f"E{n}", "date": day, "name": "행사", "country": country,
                     "counterpart": counterpart[1] if counterpart else None,
                     "participants": tuple(KOREAN_SIDE if korean else []) + tuple(m[1] for m in written)})
        pairs |= {(n, counterpart[0])} if counterpart else set()
        pairs |= {(n, m[0]) for m in written if m[0] in known}
    events = events_frame(rows) if rows else frames.empty("events")
    table = cp.counterparts(events, projects)
    assert table["meetings"].sum() == len(pairs)
    assert len(table) == len({agency for _, agency in pairs})  # one row per agency met
    assert (table["meetings"] == table["event_ids"].map(len)).all()
    assert table["last_met"].is_monotonic_decreasing


@pytest.mark.parametrize("name, other", [
    ("쿠웨이트 주택청(PAHW)", "쿠웨이트 주택청"), ("교통국", "교통부"), ("Ministry of Housing", "Ministry of Housings"),
])
def test_different_names_are_never_merged(name, other):
    events = events_frame([{"event_id": "A", "date": "2017-01-01", "name": "x", "country": "KWT", "counterpart": name},
                           {"event_id": "B", "date": "2017-01-02", "name": "x", "country": "KWT", "counterpart": other}])
    assert len(cp.counterparts(events, PROJECTS)) == 2


def test_no_project_at_all_still_counts_the_meetings():
    table = cp.counterparts(EVENTS, frames.empty("projects"), as_of=AS_OF)
    assert table["project_ids"].map(len).sum() == 0
    rows = by_name(table)
    assert rows[("쿠웨이트 주택청(PAHW)", "KWT")]["meetings"] == 3  # still known as E1's counterpart
    assert ("케냐 전력공사(KPLC)", "KEN") not in rows  # known only as a client: a participant, no longer met
