"""Directives and their follow-up (pipeline.md): hand-computed figures, changes and
sentences, and invariants on generated directives."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.analytics import briefing, followup
from tests.examples import examples

A = date(2017, 9, 30)
O = date(2017, 3, 31)
EVENTS = fr.conform("events", pd.DataFrame({
    "event_id": ["EV-1", "EV-2", "EV-B", "EV-3", "EV-9"],
    "date": pd.to_datetime(["2016-09-08", "2017-03-16", "2017-05-01", "2017-06-22", "2017-10-20"]),
    "name": ["제2차 운영위원회", "제4차 운영위원회", "비즈니스미팅", "제5차 운영위원회", "제6차 운영위원회"],
    "type": ["steering_committee", "steering_committee", "business_meeting", "steering_committee",
             "steering_committee"],
}))


def actions(*rows) -> pd.DataFrame:
    """Rows of (id, meeting, owners, due, status[, done_on])."""
    records = [{"action_id": r[0], "meeting": r[1], "directive": f"지시 {r[0]}", "owner": r[2],
                "due": pd.Timestamp(r[3]) if r[3] else None, "status": r[4],
                "done_on": pd.Timestamp(r[5]) if len(r) > 5 and r[5] else None} for r in rows]
    return fr.conform("actions", pd.DataFrame(records))


NEW = actions(
    ("A1", "EV-3", ("MOLIT", "LH"), "2017-12-31", "in_progress"),
    ("A2", "EV-3", ("LH", "LX"), "2017-09-15", "in_progress"),       # overdue 15 days
    ("A3", "EV-3", ("MOLIT",), "2017-08-31", "done", "2017-07-19"),  # done before due: not overdue
    ("A4", "EV-3", ("LH",), "2017-08-31", "not_started"),            # overdue 30 days
    ("A5", "EV-3", ("KOTRA", "현대건설"), "2017-09-30", "on_hold"),     # due on A: not overdue
    ("A6", "EV-3", ("MOLIT",), None, "not_started"),
    ("E1", "EV-1", ("MOLIT",), "2017-06-30", "not_started"),         # earlier, open and overdue 92 days
    ("E2", "EV-2", ("LH",), "2017-04-30", "done", "2017-04-10"),    # earlier, done
    ("E3", "ev-2", ("LH",), "2017-12-31", "in_progress"),            # earlier, open (id in another case)
)
OLD = actions(
    ("E1", "EV-1", ("MOLIT",), "2017-06-30", "not_started"),
    ("E2", "EV-2", ("LH",), "2017-04-30", "in_progress"),
    ("e3", "EV-2", ("LH",), "2017-06-30", "in_progress"),            # due moves to 12-31 in N
)


def test_the_last_meetings_figures_by_hand():
    figures = followup.summary(NEW, EVENTS, A)
    assert {k: v for k, v in figures.items() if k != "by_owner"} == {
        "meeting": "EV-3", "meeting_date": "2017-06-22", "total": 6, "done": 1, "in_progress": 2,
        "not_started": 2, "on_hold": 1, "overdue": 2, "earlier_open": 2, "earlier_overdue": 1}


def test_each_owner_of_a_multi_owner_directive_is_counted():
    assert followup.summary(NEW, EVENTS, A)["by_owner"] == [
        {"owner": "MOLIT", "total": 3, "done": 1, "overdue": 0},
        {"owner": "LH", "total": 3, "done": 0, "overdue": 2},
        {"owner": "LX", "total": 1, "done": 0, "overdue": 1},
        {"owner": "KOTRA", "total": 1, "done": 0, "overdue": 0},
        {"owner": "현대건설", "total": 1, "done": 0, "overdue": 0},
    ]


def test_days_overdue_and_their_order():
    overdue = followup.overdue_actions(NEW, EVENTS, A)
    assert overdue["action_id"].tolist() == ["E1", "A4", "A2"]
    assert overdue["days_overdue"].tolist() == [92, 30, 15]


def test_the_meeting_is_the_last_committee_strictly_before_the_date_or_the_one_chosen():
    assert followup.last_meeting(EVENTS, date(2017, 6, 22)) == "EV-2"
    assert followup.last_meeting(EVENTS, date(2016, 9, 8)) is None
    assert followup.summary(NEW, EVENTS, date(2016, 9, 8))["meeting"] is None
    earlier = followup.summary(NEW, EVENTS, A, meeting="EV-2")
    assert (earlier["total"], earlier["done"], earlier["earlier_open"]) == (2, 1, 1)  # E1 is of an earlier meeting


def test_changes_between_two_versions_by_hand():
    assert followup.compare(OLD, NEW, O, A) == {
        "actions_completed": ["E2"],
        "actions_added": ["A1", "A2", "A3", "A4", "A5", "A6"],
        "actions_due_slipped": ["E3"],
        "actions_became_overdue": ["A2", "A4", "E1"],  # due in [O, A), not done; A5 is due on A itself
    }
    assert followup.compare(NEW, NEW, A, A) == {k: [] for k in followup.CHANGE_KEYS}


def test_the_follow_up_opens_the_briefing_in_the_order_of_pipeline_md():
    fu = followup.follow_up(NEW, OLD, EVENTS, A, O, "ko")
    assert fu.line == "지난 운영위원회(2017.6.22) 지시사항 6건 중 1건 완료, 2건 추진 중, 2건 미착수, 1건 보류, 2건 기한 경과" \
                      " · 이전 회의 미완료 2건"
    assert [(i.action_id, i.kind) for i in fu.items] == [("E1", "overdue"), ("A4", "overdue"), ("A2", "overdue"),
                                                         ("E2", "completed")]
    assert fu.items[0].sentence == "지시사항 기한 경과: 지시 E1 (국토교통부, 기한 2017.6.30, 92일 경과)"
    assert fu.items[-1].sentence == "지시사항 완료: 지시 E2 (한국토지주택공사, 2017.4.10 완료)"
    assert fu.summary_sentence == "지시사항 신규 6건, 기한 연기 1건"
    projects = fr.empty("projects")
    ranked = briefing.build({}, projects, projects, "ko", follow_up=fu)
    assert ranked.lines == [fu.line, *(i.sentence for i in fu.items), fu.summary_sentence, ranked.none_sentence]
    english = followup.follow_up(NEW, OLD, EVENTS, A, O, "en")
    assert english.line.startswith("Directives of the last steering committee (22 Jun 2017): 6, of which 1 done")
    assert "MOLIT" in english.items[0].sentence and "국토교통부" not in english.items[0].sentence


def test_a_meeting_without_directives_says_so_only_when_earlier_ones_are_open():
    earlier_only = NEW[NEW["meeting"] != "EV-3"]
    fu = followup.follow_up(earlier_only, earlier_only, EVENTS, A, A, "ko")
    assert fu.line == "지난 운영위원회(2017.6.22) 지시사항 기록 없음 · 이전 회의 미완료 2건"
    assert fu.items == () and fu.summary_sentence is None
    nothing = followup.follow_up(NEW.iloc[0:0], NEW.iloc[0:0], EVENTS, A, A, "ko")
    assert nothing.lines == []  # a store without directives: the briefing is as before


# --- invariants ---------------------------------------------------------------------

OWNERS = ["MOLIT", "LH", "KOTRA", "현대건설"]
row = st.fixed_dictionaries({
    "meeting": st.sampled_from(["EV-1", "EV-2", "EV-3", "EV-B", "EV-404"]),
    "owner": st.lists(st.sampled_from(OWNERS), min_size=1, max_size=3, unique=True).map(tuple),
    "due": st.none() | st.dates(date(2016, 1, 1), date(2018, 12, 31)).map(pd.Timestamp),
    "status": st.sampled_from(ref.ACTION_STATUSES.keys),
})
sheets = st.lists(row, max_size=15).map(lambda rows: fr.conform("actions", pd.DataFrame(
    [{**r, "action_id": f"X{i}", "directive": "d"} for i, r in enumerate(rows)], columns=ref.ACTIONS.keys)))
days = st.dates(date(2016, 1, 1), date(2018, 12, 31))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets, days)
def test_statuses_add_up_and_overdue_ones_are_never_done(frame, as_of):
    figures = followup.summary(frame, EVENTS, as_of)
    assert figures["done"] + figures["in_progress"] + figures["not_started"] + figures["on_hold"] == figures["total"]
    assert 0 <= figures["overdue"] <= figures["total"] - figures["done"]
    assert figures["earlier_overdue"] <= figures["earlier_open"]
    table = followup.action_table(frame, EVENTS, as_of)
    assert not (table["overdue"] & (table["status"] == "done")).any()
    assert (table.loc[table["overdue"], "days_overdue"] > 0).all()
    for owner in figures["by_owner"]:
        assert owner["done"] <= owner["total"] and owner["overdue"] <= owner["total"] - owner["done"]
    assert sum(o["total"] for o in figures["by_owner"]) >= figures["total"]


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets, sheets, days, days)
def test_changes_are_ids_of_n_and_completed_ones_are_done(old, new, d1, d2):
    o, n = min(d1, d2), max(d1, d2)
    found = followup.compare(old, new, o, n)
    ids = set(new["action_id"])
    for key in followup.CHANGE_KEYS:
        assert set(found[key]) <= ids and found[key] == sorted(found[key])
    done = set(new.loc[new["status"] == "done", "action_id"])
    assert set(found["actions_completed"]) <= done
    assert not set(found["actions_became_overdue"]) & done
    assert not set(found["actions_completed"]) & set(found["actions_added"])
    overdue_now = set(followup.action_table(new, EVENTS, n).query("overdue")["action_id"])
    assert set(found["actions_became_overdue"]) <= overdue_now
