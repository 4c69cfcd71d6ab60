"""The ranked briefing (pipeline.md "How important a change is"): one item per
project with all its changes, the tier table on its boundaries, the order,
the tier-3 summaries, in Korean and English."""

import pandas as pd
import pytest

from ksmart import frames
from ksmart.analytics import briefing, changes

D = pd.Timestamp
TH = briefing.THRESHOLDS
pytestmark = pytest.mark.usefixtures("fake_countries")  # conftest.py


def projects(*rows):
    base = dict(country="KWT", subcommittee="ict", stage="proposal", status="active", lead_agency="LH")
    return frames.conform("projects", pd.DataFrame([{**base, **r} for r in rows]))


def countries(**priority):
    return frames.conform("countries", pd.DataFrame([{"country": c, "priority": p} for c, p in priority.items()]))


def build(old, new, lang="ko", priority=None):
    return briefing.build(changes.compare(old, new), new, old, lang, countries=priority)


# --- the order --------------------------------------------------------------------------------------------
# KWT and UZB are priority countries. A sort by kind (contracts first, then negotiations, advances, new
# projects, drops, …, date slips, value changes last: the old briefing) would open with BOL-001's contract
# and put the flagship KWT-001's value rise and slip last; the spec's order opens with it.

STEP = "기본협약 체결"
OLD = projects(
    dict(project_id="KWT-001", name="압둘라 신도시 스마트시티", name_en="Abdullah New Town", value_usd_m=4000.0,
         next_step=STEP, next_step_date=D("2017-06-30")),
    dict(project_id="BOL-001", name="산타크루스 스마트시티", country="BOL", stage="negotiation", value_usd_m=80.0),
    dict(project_id="VNM-001", name="하노이 ICT", country="VNM", stage="feasibility", value_usd_m=500.0),
    dict(project_id="BOL-002", name="라파스 교통", country="BOL", stage="negotiation", value_usd_m=5.0,
         next_step="협상", next_step_date=D("2017-07-01")),
    dict(project_id="UZB-001", name="타슈켄트 ICT", country="UZB", stage="identified", value_usd_m=10.0),
    dict(project_id="UZB-002", name="사마르칸트 물관리", country="UZB", stage="feasibility", value_usd_m=10.0),
    dict(project_id="KWT-002", name="스마트그리드", stage="engagement", value_usd_m=60.0),
    dict(project_id="KWT-003", name="쿠웨이트 5G", stage="negotiation", value_usd_m=30.0,
         next_step="실사", next_step_date=D("2017-07-01")),
    dict(project_id="VNM-002", name="다낭 스마트물관리", country="VNM", stage="engagement", value_usd_m=200.0,
         next_step="MOU", next_step_date=D("2017-07-01")),
)
NEW = projects(
    dict(project_id="KWT-001", name="압둘라 신도시 스마트시티", name_en="Abdullah New Town", value_usd_m=4400.0,
         next_step=STEP, next_step_date=D("2017-12-15")),
    dict(project_id="BOL-001", name="산타크루스 스마트시티", country="BOL", stage="contract", value_usd_m=80.0),
    dict(project_id="VNM-001", name="하노이 ICT", country="VNM", stage="feasibility", value_usd_m=500.0,
         status="dropped"),
    dict(project_id="BOL-002", name="라파스 교통", country="BOL", stage="negotiation", value_usd_m=5.0,
         next_step="협상", next_step_date=D("2017-08-01")),  # 31 days
    dict(project_id="UZB-001", name="타슈켄트 ICT", country="UZB", stage="engagement", value_usd_m=10.0),
    dict(project_id="UZB-002", name="사마르칸트 물관리", country="UZB", stage="feasibility", value_usd_m=10.0,
         status="on_hold"),
    dict(project_id="KWT-002", name="스마트그리드", stage="engagement", value_usd_m=65.0),
    dict(project_id="KWT-003", name="쿠웨이트 5G", stage="negotiation", value_usd_m=30.0,
         next_step="실사", next_step_date=D("2017-07-31")),  # 30 days
    dict(project_id="VNM-002", name="다낭 스마트물관리", country="VNM", stage="engagement", value_usd_m=200.0,
         next_step="MOU", next_step_date=D("2017-08-01")),
    dict(project_id="PER-001", name="리마 신도시", country="PER", stage="feasibility", value_usd_m=30.0),
)
PRIORITY = countries(KWT=True, UZB=True, BOL=False, VNM=False, PER=None)

KO = [
    # tier 1: the priority country first, then by money at stake
    "쿠웨이트 압둘라 신도시 스마트시티: 사업비 40억 달러→44억 달러, 기본협약 체결 일정 6.30→12.15 연기",
    "베트남 하노이 ICT: 진행→중단",
    "볼리비아 산타크루스 스마트시티: 협상→수주·계약",
    "볼리비아 라파스 교통: 협상 일정 7.1→8.1 연기",
    # tier 2: priority (same money: the further stage first), then the rest
    "우즈베키스탄 사마르칸트 물관리: 진행→보류",
    "우즈베키스탄 타슈켄트 ICT: 발굴→협의·MOU",
    "페루 리마 신도시: 신규 등록(타당성조사, 사업비 3,000만 달러)",
    # tier 3, counted
    "그 밖에 일정 연기 2건, 사업비 소폭 조정 1건",
]
EN = [
    "Abdullah New Town (Kuwait): value USD 4 bn → USD 4.4 bn, next step postponed Jun 30 → Dec 15",
    "하노이 ICT (Viet Nam): Active → Dropped",
    "산타크루스 스마트시티 (Bolivia): Negotiation → Contract won",
    "라파스 교통 (Bolivia): next step postponed Jul 1 → Aug 1",
    "사마르칸트 물관리 (Uzbekistan): Active → On hold",
    "타슈켄트 ICT (Uzbekistan): Identified → Engagement / MOU",
    "리마 신도시 (Peru): new, at Feasibility / master plan, value USD 30 m",
    "Also next steps postponed: 2, small value changes: 1.",
]
ORDER = ["KWT-001", "VNM-001", "BOL-001", "BOL-002", "UZB-002", "UZB-001", "PER-001", "KWT-002", "KWT-003",
         "VNM-002"]


def test_the_order_differs_from_a_sort_by_kind():
    by_kind = sorted(build(OLD, NEW, priority=PRIORITY).items, key=lambda i: briefing.KINDS.index(i.kind))
    assert by_kind[0].project_id == "BOL-001" and [i.project_id for i in by_kind] != ORDER


@pytest.mark.parametrize("lang, expected", [("ko", KO), ("en", EN)])
def test_the_spec_order_in_both_languages(lang, expected):
    said = build(OLD, NEW, lang, PRIORITY)
    assert [i.project_id for i in said.items] == ORDER
    assert said.lines == expected
    assert briefing.sentences(changes.compare(OLD, NEW), NEW, OLD, lang, countries=PRIORITY) == expected


def test_items_carry_tier_money_and_kinds():
    items = {i.project_id: i for i in build(OLD, NEW, priority=PRIORITY).items}
    assert [items[p].tier for p in ORDER] == [1, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert items["KWT-001"].as_json() == {
        "project_id": "KWT-001", "tier": 1, "money_at_stake_usd_m": 4400.0, "kind": "value",
        "kinds": ["value", "slipped"], "sentence": KO[0]}
    assert items["VNM-001"].priority is False and items["UZB-001"].priority is True


def test_without_priorities_money_decides():
    assert [i.project_id for i in build(OLD, NEW).items][:4] == ["KWT-001", "VNM-001", "BOL-001", "BOL-002"]
    tier2 = [i.project_id for i in build(OLD, NEW).items if i.tier == 2]
    assert tier2 == ["PER-001", "UZB-002", "UZB-001"]  # 30 before 10; at 10 the further stage first


def test_summaries_count_tier_three_items_by_main_kind_and_expand_to_them():
    said = build(OLD, NEW, priority=PRIORITY)
    assert [(s.kind, s.count) for s in said.summaries] == [("slipped", 2), ("value", 1)]
    assert [i.project_id for i in said.minor] == ["KWT-003", "VNM-002", "KWT-002"]
    assert said.minor[0].sentence == "쿠웨이트 5G: 실사 일정 7.1→7.31 연기"  # the name says the country
    assert said.minor[2].sentence == "쿠웨이트 스마트그리드: 사업비 6,000만 달러→6,500만 달러"


def test_one_item_per_project_with_every_change():
    old = projects(dict(project_id="A", name="가", stage="proposal", value_usd_m=10.0, next_step="입찰",
                        next_step_date=D("2016-12-30")))
    new = projects(dict(project_id="a ", name="가", stage="feasibility", status="on_hold", value_usd_m=None,
                        next_step="입찰", next_step_date=D("2017-01-15")))
    for lang, sentence in [
        ("ko", "쿠웨이트 가: 제안·입찰→타당성조사, 진행→보류, 사업비 기재 삭제(이전 1,000만 달러), "
               "입찰 일정 2016.12.30→2017.1.15 연기"),
        ("en", "가 (Kuwait): Proposal / tender → Feasibility / master plan, Active → On hold, "
               "value removed (was USD 10 m), next step postponed Dec 30, 2016 → Jan 15, 2017"),
    ]:
        [item] = build(old, new, lang).items
        assert item.sentence == sentence
        assert item.kinds == ("regressed", "on_hold", "value_emptied", "slipped") and item.tier == 2


# --- the tier table, on its boundaries ---------------------------------------------------------------------


@pytest.mark.parametrize("old, new, tier", [
    (1000.0, 1099.99, 2), (1000.0, 1100.0, 1), (1000.0, 900.0, 1),  # |Δ| 99.99 vs 100
    (200.0, 250.0, 1), (200.8, 250.8, 2), (150.0, 200.0, 1), (150.0, 199.99, 2), (201.0, 250.99, 2),  # 50 and 25 % vs 24.9 %
    (300.0, 319.99, 3), (300.0, 320.0, 2),  # Δ 20
    (100.0, 109.99, 3), (100.0, 110.0, 2), (100.0, 90.0, 2),  # 10 % of the old
    (0.0, 50.0, 1), (0.0, 0.5, 2),  # from zero (a value, not missing): every share of it
])
def test_value_tier(old, new, tier):
    assert briefing.value_tier(old, new) == tier
    said = build(projects(dict(project_id="A", name="가", value_usd_m=old)),
                 projects(dict(project_id="A", name="가", value_usd_m=new)))
    assert [(i.tier, i.kind) for i in said.items] == [(tier, "value")]


@pytest.mark.parametrize("stage, status, days, text, tier, kind", [
    ("negotiation", "active", TH.slip_days, "협상", 3, "slipped"),
    ("negotiation", "active", TH.slip_days + 1, "협상", 1, "slipped"),
    ("proposal", "active", TH.slip_days + 1, "협상", 1, "slipped"),
    ("proposal", "on_hold", TH.slip_days + 1, "협상", 3, "slipped"),  # on hold: not advanced
    ("feasibility", "active", 200, "협상", 3, "slipped"),
    ("proposal", "active", 200, "계약", 2, "updated"),  # the text changed too: updated
    ("feasibility", "active", 200, "계약", 3, "updated"),
])
def test_next_step_tier(stage, status, days, text, tier, kind):
    start = D("2017-03-01")
    old = projects(dict(project_id="A", name="가", stage=stage, status=status, next_step="협상",
                        next_step_date=start))
    new = projects(dict(project_id="A", name="가", stage=stage, status=status, next_step=text,
                        next_step_date=start + pd.Timedelta(days=days)))
    assert [(i.tier, i.kind) for i in build(old, new).items] == [(tier, kind)]


def test_updated_next_step_sentence():
    old = projects(dict(project_id="A", name="가", next_step="협상", next_step_date=D("2017-03-01")))
    new = projects(dict(project_id="A", name="가", next_step="계약", next_step_date=D("2017-04-01")))
    assert build(old, new).lines == ["쿠웨이트 가: 향후계획 변경(일정 3.1→4.1)"]
    assert build(old, new, "en").lines == ["가 (Kuwait): next step updated (date Mar 1 → Apr 1)"]


@pytest.mark.parametrize("old_row, new_row, tier, kind", [
    (None, dict(value_usd_m=TH.big_value_usd_m), 1, "added"),
    (None, dict(value_usd_m=99.99), 2, "added"),
    (None, dict(stage="contract", value_usd_m=1.0), 1, "added"),  # added at contract or later
    (None, dict(stage="implementation", value_usd_m=None), 1, "added"),
    (dict(value_usd_m=None), dict(value_usd_m=100.0), 1, "value_given"),
    (dict(value_usd_m=None), dict(value_usd_m=99.99), 2, "value_given"),
    (dict(value_usd_m=150.0), dict(value_usd_m=None), 1, "value_emptied"),
    (dict(value_usd_m=15.0), dict(value_usd_m=None), 2, "value_emptied"),
    (dict(stage="proposal"), dict(stage="contract"), 1, "won"),
    (dict(stage="identified"), dict(stage="implementation"), 1, "won"),
    (dict(stage="contract"), dict(stage="implementation"), 2, "advanced"),
    (dict(stage="proposal"), dict(stage="negotiation"), 1, "negotiation"),
    (dict(stage="identified"), dict(stage="proposal"), 2, "advanced"),
    (dict(stage="contract"), dict(stage="negotiation"), 2, "regressed"),  # back into negotiation: not an advance
    (dict(status="on_hold"), dict(status="dropped"), 1, "dropped"),
    (dict(status="active"), dict(status="on_hold"), 2, "on_hold"),
    (dict(status="dropped"), dict(status="active"), 2, "resumed"),
    (dict(status="on_hold"), dict(status="active"), 2, "resumed"),
    (dict(), None, 2, "removed"),
])
def test_tier_of_each_kind(old_row, new_row, tier, kind):
    old = projects(*([dict(project_id="A", name="가", **old_row)] if old_row is not None else []),
                   dict(project_id="Z", name="그대로"))
    new = projects(*([dict(project_id="A", name="가", **new_row)] if new_row is not None else []),
                   dict(project_id="Z", name="그대로"))
    assert [(i.project_id, i.tier, i.kind) for i in build(old, new).items] == [("A", tier, kind)]


def test_most_important_change_sets_the_tier_and_kind():
    old = projects(dict(project_id="A", name="가", stage="identified", value_usd_m=100.0))
    new = projects(dict(project_id="A", name="가", stage="engagement", value_usd_m=300.0))
    [item] = build(old, new).items
    assert (item.tier, item.kind, item.kinds) == (1, "value", ("value", "advanced"))
    assert item.sentence == "쿠웨이트 가: 발굴→협의·MOU, 사업비 1억 달러→3억 달러"  # parts in a fixed order


def test_removed_project_ranks_by_its_old_stage_and_value():
    old = projects(dict(project_id="A", name="가", stage="identified", value_usd_m=10.0),
                   dict(project_id="B", name="나", stage="negotiation", value_usd_m=10.0),
                   dict(project_id="C", name="다", stage="negotiation", value_usd_m=10.0))
    new = projects(dict(project_id="C", name="다", stage="negotiation", value_usd_m=10.0, status="on_hold"))
    items = build(old, new).items
    assert [i.project_id for i in items] == ["B", "C", "A"]  # stage, then id
    assert [i.money_at_stake_usd_m for i in items] == [10.0, 10.0, 10.0]


def test_money_at_stake_is_the_larger_side_and_missing_is_zero():
    old = projects(dict(project_id="A", name="가", value_usd_m=None), dict(project_id="B", name="나", value_usd_m=8.0))
    new = projects(dict(project_id="A", name="가", value_usd_m=None, status="on_hold"),
                   dict(project_id="B", name="나", value_usd_m=3.0))
    assert [(i.project_id, i.money_at_stake_usd_m) for i in build(old, new).items] == [("B", 8.0), ("A", 0.0)]


def test_no_change():
    said = build(NEW, NEW)
    assert said.items == () and said.lines == ["지난 비교 시점 이후 변동 사항 없음"]
    assert build(NEW, NEW, "en").lines == ["No changes since the comparison date."]


def test_names_and_ids_without_case():
    old = projects(dict(project_id="kwt-001", name="압둘라 신도시", stage="proposal"),
                   dict(project_id="B", name="스마트시티 사업", country="BOL", stage="identified"))
    new = projects(dict(project_id="KWT-001", name="압둘라 신도시", stage="negotiation"),
                   dict(project_id="B", name="스마트시티 사업", country="BOL", stage="engagement"))
    assert build(old, new).lines == ["쿠웨이트 압둘라 신도시: 제안·입찰→협상", "볼리비아 스마트시티 사업: 발굴→협의·MOU"]
    assert build(old, new).items[0].project_id == "KWT-001"  # N's spelling


def test_docs_state_the_thresholds_in_force():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "metrics.md").read_text(encoding="utf-8")
    th = briefing.THRESHOLDS
    assert (f"`briefing.THRESHOLDS` ({th.big_value_usd_m:g}, {th.share_value_usd_m:g}, {th.big_share:.0%}, "
            f"{th.value_usd_m:g}, {th.share:.0%}, {th.slip_days} days)").replace("%", " %") in text


@pytest.mark.parametrize(("lang", "text"), [("ko", "44억 달러"), ("en", "USD 4.4 bn")])
def test_a_value_in_the_change_list_reads_as_people_say_it(lang, text):
    """The CLI's and the deck's change lists write a value like the briefing does."""
    assert briefing.change_label("value_changed", 4400, lang) == text
    assert briefing.change_label("value_changed", None, lang) == "-"
