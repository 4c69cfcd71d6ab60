"""`python -m ksmart summary | changes | briefing`: JSON shapes, version choice, exit codes.

Most tests run against a small in-memory stand-in for the store (the
commands only use latest_version, versions, version_info, version_at and
read); the last ones go end to end through a real SQLite store.
"""

import json
import re
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from ksmart import frames
from ksmart.analytics import changes, followup, metrics
from ksmart.auth import Actor
from ksmart.cli import commands_metrics, main
from ksmart.errors import BadArgument
from tests import portfolio as pf

D = pd.Timestamp
CLI_SUMMARY_KEYS = {"as_of", "version", "projects", "active", "on_hold", "dropped", "countries", "open",
                    "open_value_usd_m", "weighted_value_usd_m", "won", "won_value_usd_m", "advanced", "stalled",
                    "stale", "overdue", "upcoming", "value_missing", "by_stage", "funnel", "by_country", "by_subcommittee",
                    "technology_coverage"}
CLI_CHANGES_KEYS = ["from_version", "to_version", "added", "removed", "advanced", "regressed", "status_changed",
                    "value_changed", "next_step_slipped", "actions_completed", "actions_added", "actions_due_slipped",
                    "actions_became_overdue"]
CLI_ACTIONS_KEYS = {"meeting", "total", "done", "in_progress", "not_started", "on_hold", "overdue", "earlier_open"}
NO_ACTIONS = frames.empty("actions")


def older_portfolio() -> pd.DataFrame:
    """pf.ROWS a meeting earlier: KWT-001 was at engagement, KWT-003 did not exist."""
    rows = [dict(r, stage="engagement") if r["project_id"] == "KWT-001" else r for r in pf.ROWS]
    return pf.projects([r for r in rows if r["project_id"] != "KWT-003"])


EVENTS = frames.conform("events", pd.DataFrame([
    dict(event_id="E1", date=D("2016-05-25"), name="제1차 운영위원회", type="steering_committee"),
    dict(event_id="E2", date=D("2016-07-20"), name="제2차 운영위원회", type="steering_committee"),
    dict(event_id="E3", date=D("2016-08-30"), name="고위급면담", type="high_level_meeting", country="KWT"),
]))


class FakeStore:
    """Versions 1 (2016-03-31), 2 (2016-06-30), 3 (2016-09-08); 1 and 2 hold the older portfolio."""

    def __init__(self, dates=(date(2016, 3, 31), date(2016, 6, 30), date(2016, 9, 8))):
        self.infos = [SimpleNamespace(number=i, reference_date=d) for i, d in enumerate(dates, 1)]
        older = {"projects": older_portfolio(), "events": EVENTS, "actions": NO_ACTIONS}
        newest = {"projects": pf.projects(), "events": EVENTS, "actions": NO_ACTIONS}
        self.frames = {i.number: (newest if i.number == len(dates) else older) for i in self.infos}

    def latest_version(self):
        return self.infos[-1].number if self.infos else None

    def versions(self):
        return list(self.infos)

    def version_info(self, n):
        for info in self.infos:
            if info.number == n:
                return info
        raise BadArgument("unknown_version", f"버전 {n} 없음", f"no version {n}")

    def version_at(self, day):
        found = [i for i in self.infos if i.reference_date <= day]
        return found[-1] if found else None

    def read(self, version=None):
        info = self.version_info(version or self.latest_version())
        return SimpleNamespace(version=info, frames=self.frames[info.number])


pytestmark = pytest.mark.usefixtures("fake_countries")  # conftest.py


@pytest.fixture
def store(monkeypatch):
    fake = FakeStore()
    monkeypatch.setattr(commands_metrics, "open_store", lambda url: fake)
    return fake


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


# --- summary -------------------------------------------------------------------------


def test_summary_json_is_the_metrics_of_the_newest_version(store, capsys):
    got = run_json(capsys, "summary", "--json")
    assert CLI_SUMMARY_KEYS <= set(got) and CLI_ACTIONS_KEYS <= set(got["actions"])
    assert got["actions"] == followup.summary(NO_ACTIONS, EVENTS, date(2016, 9, 8))
    assert got["actions"]["meeting"] == "E2" and got["actions"]["total"] == 0
    assert {k: v for k, v in got.items() if k != "actions"} == metrics.summary(pf.projects(), date(2016, 9, 8),
                                                                                version=3)
    assert (got["as_of"], got["version"], got["projects"], got["open_value_usd_m"]) == ("2016-09-08", 3, 10, 410.0)
    assert (got["stalled"], got["stale"], got["overdue"]) == (1, 2, 2)  # tests/portfolio.py's flags table


def test_summary_as_of_picks_the_version_and_the_day(store, capsys):
    got = run_json(capsys, "summary", "--as-of", "2016-07-01", "--json")
    assert (got["as_of"], got["version"], got["projects"]) == ("2016-07-01", 2, 9)


def test_summary_version_and_filters(store, capsys):
    got = run_json(capsys, "summary", "--version", "1", "--countries", "KWT,bol", "--statuses", "진행", "--json")
    assert (got["version"], got["as_of"], got["projects"]) == (1, "2016-03-31", 4)
    assert [c["country"] for c in got["by_country"]] == ["KWT", "BOL"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["summary", "--as-of", "2016-13-01"], "--as-of: 날짜 '2016-13-01'을 읽을 수 없습니다"),
        (["summary", "--as-of", "2016-01-01"], "2016-01-01 이전에 기준일이 있는 버전이 없습니다"),
        (["summary", "--version", "9"], "버전 9 없음"),
        (["changes", "--since", "어제"], "--since: 날짜 '어제'를 읽을 수 없습니다"),
        (["changes", "--from-version", "9"], "버전 9가 없습니다"),
        (["briefing", "--to-version", "0"], "버전 0 없음"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(store, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_english_error_messages(store, capsys):
    code, _, err = run(capsys, "--lang", "en", "summary", "--as-of", "yesterday")
    assert code == 2 and "cannot read the date 'yesterday'" in err
    code, _, err = run(capsys, "briefing", "--lang", "en", "--since", "yesterday")
    assert code == 2 and "cannot read the date" in err  # the briefing's own --lang too


def test_since_and_from_version_exclude_each_other(store, capsys):
    assert run(capsys, "changes", "--since", "2016-07-01", "--from-version", "1")[0] == 2


def test_empty_store(monkeypatch, capsys):
    monkeypatch.setattr(commands_metrics, "open_store", lambda url: FakeStore(dates=()))
    for command in ("summary", "changes", "briefing"):
        code, _, err = run(capsys, command)
        assert code == 2 and "저장된 데이터가 없습니다" in err


def test_summary_text(store, capsys):
    code, out, _ = run(capsys, "summary")
    assert code == 0
    assert out.startswith("기준일 2016-09-08 · 버전 3\n사업 10 (진행 6 · 보류 2 · 중단 2) · 진행 국가 3\n")
    assert "진행 파이프라인 5 · 4.1억 달러 (가중 파이프라인 2.5억 달러)" in out  # as people say it
    assert "진행 파이프라인 (백만 달러)" in out  # the tables keep plain USD m, their header says so
    assert re.search(r"^협상 +1 +4 +630\.00 +75%$", out, re.M)
    assert re.search(r"^쿠웨이트 \(KWT\) +3 +3 +310\.00 +235\.00 +0 +0\.00$", out, re.M)
    code, out, _ = run(capsys, "--lang", "en", "summary")
    assert out.startswith("As of 2016-09-08 · version 3\nProjects 10 (active 6")
    assert re.search(r"^Kuwait \(KWT\) +3 ", out, re.M)
    assert "Open pipeline 5 · USD 410 m (weighted pipeline USD 245 m)" in out


# --- changes ---------------------------------------------------------------------------


def test_changes_since_the_last_meeting(store, capsys):
    got = run_json(capsys, "changes", "--json")
    # newest version 3 (2016-09-08); last steering committee 2016-07-20; version 2 is the latest before it
    assert list(got) == [*CLI_CHANGES_KEYS, "items", "action_items"]  # the change table's keys kept, items added
    items = got.pop("items")
    assert got.pop("action_items") == []
    assert got == {"from_version": 2, "to_version": 3, "added": ["KWT-003"], "removed": [],
                   "advanced": [{"project_id": "KWT-001", "from": "engagement", "to": "proposal"}],
                   "regressed": [], "status_changed": [], "value_changed": [], "next_step_slipped": [],
                   "actions_completed": [], "actions_added": [], "actions_due_slipped": [],
                   "actions_became_overdue": []}
    assert items == [  # pipeline.md's order: same tier, the larger money at stake first
        {"project_id": "KWT-001", "tier": 2, "money_at_stake_usd_m": 100.0, "kind": "advanced",
         "kinds": ["advanced"], "sentence": "쿠웨이트 압둘라 신도시: 협의·MOU→제안·입찰"},
        {"project_id": "KWT-003", "tier": 2, "money_at_stake_usd_m": 10.0, "kind": "added", "kinds": ["added"],
         "sentence": "쿠웨이트 5G: 신규 등록(협의·MOU, 사업비 1,000만 달러)"},
    ]


def test_changes_json_items_follow_the_priority_countries(store, capsys):
    """N's countries sheet decides: with VNM a priority country its small item leads;
    a tier-3 change is an item too, and `briefing` counts it, then lists it."""
    rows = [dict(r, status="on_hold") if r["project_id"] == "VNM-003"
            else dict(r, value_usd_m=52.0) if r["project_id"] == "BOL-002" else r for r in pf.ROWS]
    store.frames[3] = dict(store.frames[3], projects=pf.projects(rows), countries=frames.conform(
        "countries", pd.DataFrame([{"country": "VNM", "priority": True}, {"country": "KWT", "priority": False}])))
    items = run_json(capsys, "--lang", "en", "changes", "--json")["items"]
    assert [(i["project_id"], i["tier"]) for i in items] == [("VNM-003", 2), ("KWT-001", 2), ("KWT-003", 2),
                                                             ("BOL-002", 3)]
    assert items[0]["sentence"] == "호치민 스마트안전 (Viet Nam): Active → On hold"
    assert items[0]["money_at_stake_usd_m"] == 0.0  # no value: 0
    assert items[3]["money_at_stake_usd_m"] == 52.0
    code, out, _ = run(capsys, "briefing", "--lang", "en")
    assert out.splitlines()[1:] == [f"- {i['sentence']}" for i in items[:3]] + [
        "- Also small value changes: 1.", "  - 라파스 전자정부 (Bolivia): value USD 50 m → USD 52 m"]


@pytest.mark.parametrize(
    "argv, versions",
    [
        (["--since", "2016-06-29"], (1, 3)),
        (["--since", "2016-06-30"], (2, 3)),
        (["--since", "2015-01-01"], (1, 3)),  # nothing that old: the oldest
        (["--since", "2016-12-31"], (3, 3)),  # nothing newer: no changes
        (["--from-version", "3", "--to-version", "1"], (3, 1)),  # any two versions, either way
        (["--to-version", "2"], (1, 2)),
    ],
)
def test_changes_version_choice(store, capsys, argv, versions):
    got = run_json(capsys, "changes", *argv, "--json")
    assert (got["from_version"], got["to_version"]) == versions


def test_changes_text(store, capsys):
    code, out, _ = run(capsys, "changes")
    assert code == 0
    assert out.splitlines()[:5] == [
        "버전 2 (2016-06-30) → 버전 3 (2016-09-08) · 지난 운영위원회 2016-07-20",
        "신규 (1)",
        "  KWT-003",
        "삭제 (0)",
        "단계 진전 (1)",
    ]
    assert "  KWT-001: 협의·MOU → 제안·입찰" in out


def test_single_version_has_no_changes(monkeypatch, capsys):
    monkeypatch.setattr(commands_metrics, "open_store", lambda url: FakeStore(dates=(date(2016, 9, 8),)))
    got = run_json(capsys, "changes", "--json")
    assert (got["from_version"], got["to_version"]) == (1, 1) and changes.is_empty(got)
    code, out, _ = run(capsys, "briefing")
    assert out.splitlines()[1:] == ["- 지난 비교 시점 이후 변동 사항 없음"]


# --- briefing ----------------------------------------------------------------------------


def test_briefing(store, capsys):
    code, out, _ = run(capsys, "briefing")
    assert code == 0
    assert out.splitlines() == [
        "버전 2 (2016-06-30) → 버전 3 (2016-09-08) · 지난 운영위원회 2016-07-20",
        "- 쿠웨이트 압둘라 신도시: 협의·MOU→제안·입찰",
        "- 쿠웨이트 5G: 신규 등록(협의·MOU, 사업비 1,000만 달러)",
    ]


@pytest.mark.parametrize("argv", [["briefing", "--lang", "en"], ["--lang", "en", "briefing"]])
def test_briefing_in_english(store, capsys, argv):
    code, out, _ = run(capsys, *argv, "--from-version", "1")
    assert out.splitlines() == [
        "version 1 (2016-03-31) → version 3 (2016-09-08)",
        "- Abdullah New Town (Kuwait): Engagement / MOU → Proposal / tender",
        "- 쿠웨이트 5G (Kuwait): new, at Engagement / MOU, value USD 10 m",
    ]


# --- end to end, with a real store -------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path):
    from ksmart.store import open_store

    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    with open_store(url) as real:
        older = {"projects": older_portfolio(), "events": EVENTS}
        real.import_frames(older, mode="replace", reference_date=date(2016, 6, 30), user=Actor("t", "analyst"))
        real.import_frames({"projects": pf.projects(), "events": EVENTS}, mode="replace",
                           reference_date=date(2016, 9, 8), user=Actor("t", "analyst"))
    return url


def test_end_to_end_with_sqlite(sqlite_url, capsys):
    summary = run_json(capsys, "--db", sqlite_url, "summary", "--json")
    assert summary.pop("actions")["total"] == 0
    assert summary == metrics.summary(pf.projects(), date(2016, 9, 8), version=2)
    got = run_json(capsys, "--db", sqlite_url, "changes", "--json")
    assert (got["from_version"], got["to_version"], got["added"]) == (1, 2, ["KWT-003"])
    assert got["advanced"] == [{"project_id": "KWT-001", "from": "engagement", "to": "proposal"}]
    code, out, _ = run(capsys, "--db", sqlite_url, "briefing", "--lang", "en")
    assert code == 0 and out.splitlines()[1] == "- Abdullah New Town (Kuwait): Engagement / MOU → Proposal / tender"
    assert run(capsys, "--db", sqlite_url, "summary", "--version", "7")[0] == 2


# --- directives ---------------------------------------------------------------------------


def directives(*rows) -> pd.DataFrame:
    """(id, meeting, owners, due, status) rows of an actions sheet."""
    return frames.conform("actions", pd.DataFrame([
        {"action_id": r[0], "meeting": r[1], "directive": f"지시 {r[0]}", "owner": r[2], "due": D(r[3]),
         "status": r[4]} for r in rows]))


@pytest.fixture
def with_directives(store):
    """Version 2 knows E2's two directives; version 3 finds one done, one past due, and a new one of E1."""
    store.frames[2] = dict(store.frames[2], actions=directives(("D1", "E2", ("LH",), "2016-08-31", "in_progress"),
                                                               ("D2", "E2", ("MOLIT", "LH"), "2016-07-31", "in_progress")))
    store.frames[3] = dict(store.frames[3], actions=directives(("D1", "E2", ("LH",), "2016-08-31", "done"),
                                                               ("D2", "E2", ("MOLIT", "LH"), "2016-08-15", "in_progress"),
                                                               ("D3", "E1", ("KOTRA",), "2016-12-31", "not_started")))
    return store


def test_summary_json_carries_the_last_meetings_directives(with_directives, capsys):
    got = run_json(capsys, "summary", "--json")["actions"]
    assert {k: got[k] for k in CLI_ACTIONS_KEYS} == {"meeting": "E2", "total": 2, "done": 1, "in_progress": 1,
                                                    "not_started": 0, "on_hold": 0, "overdue": 1, "earlier_open": 1}
    assert got["by_owner"] == [{"owner": "LH", "total": 2, "done": 1, "overdue": 1},
                               {"owner": "MOLIT", "total": 1, "done": 0, "overdue": 1}]
    code, out, _ = run(capsys, "summary")
    assert "지난 운영위원회(2016.7.20) 지시사항 2건 중 1건 완료, 1건 추진 중, 1건 기한 경과 · 이전 회의 미완료 1건" in out


def test_changes_json_lists_the_directive_changes(with_directives, capsys):
    got = run_json(capsys, "changes", "--json")
    assert (got["actions_completed"], got["actions_added"], got["actions_due_slipped"],
            got["actions_became_overdue"]) == (["D1"], ["D3"], ["D2"], ["D2"])
    assert [(i["action_id"], i["kind"], i["days_overdue"]) for i in got["action_items"]] == [
        ("D2", "overdue", 24), ("D1", "completed", 0)]
    code, out, _ = run(capsys, "changes")
    assert "지시사항 완료 (1)\n  D1" in out and "지시사항 기한 경과 (1)\n  D2" in out


def test_briefing_opens_with_the_directives(with_directives, capsys):
    code, out, _ = run(capsys, "briefing")
    assert out.splitlines()[1:] == [
        "- 지난 운영위원회(2016.7.20) 지시사항 2건 중 1건 완료, 1건 추진 중, 1건 기한 경과 · 이전 회의 미완료 1건",
        "- 지시사항 기한 경과: 지시 D2 (국토교통부, 한국토지주택공사, 기한 2016.8.15, 24일 경과)",
        "- 지시사항 완료: 지시 D1 (한국토지주택공사)",
        "- 지시사항 신규 1건, 기한 연기 1건",
        "- 쿠웨이트 압둘라 신도시: 협의·MOU→제안·입찰",
        "- 쿠웨이트 5G: 신규 등록(협의·MOU, 사업비 1,000만 달러)",
    ]
