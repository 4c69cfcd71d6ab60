"""Briefing sentences: order of importance, names, countries, particles."""

import pandas as pd
import pytest

from ksmart import frames
from ksmart.analytics import briefing, changes

D = pd.Timestamp
pytestmark = pytest.mark.usefixtures("fake_countries")  # conftest.py


def projects(*rows):
    base = dict(country="KWT", subcommittee="ict", stage="proposal", status="active", lead_agency="LH")
    return frames.conform("projects", pd.DataFrame([{**base, **r} for r in rows]))


OLD = projects(
    dict(project_id="KWT-001", name="압둘라 신도시", name_en="Abdullah New Town", stage="proposal", value_usd_m=300.0),
    dict(project_id="KWT-002", name="스마트그리드", stage="engagement", value_usd_m=50.0),
    dict(project_id="BOL-001", name="산타크루스 스마트시티 사업", country="BOL", stage="negotiation", value_usd_m=80.0),
    dict(project_id="VNM-001", name="하노이 ICT", country="VNM", value_usd_m=20.0, next_step_date=D("2016-10-01")),
    dict(project_id="VNM-002", name="다낭 스마트물관리", country="VNM", value_usd_m=10.0),
    dict(project_id="UZB-001", name="타슈켄트 교통", country="UZB", stage="contract", value_usd_m=40.0),
    dict(project_id="PER-001", name="리마 신도시", country="PER", value_usd_m=5.0),
    dict(project_id="KWT-004", name="쿠웨이트 안전", status="on_hold", value_usd_m=1.0),
    dict(project_id="KWT-005", name="Smart Port", value_usd_m=None),
)
NEW = projects(
    dict(project_id="KWT-001", name="압둘라 신도시", name_en="Abdullah New Town", stage="negotiation", value_usd_m=300.0),
    dict(project_id="KWT-002", name="스마트그리드", stage="feasibility", value_usd_m=50.0),
    dict(project_id="BOL-001", name="산타크루스 스마트시티 사업", country="BOL", stage="contract", value_usd_m=80.0),
    dict(project_id="VNM-001", name="하노이 ICT", country="VNM", value_usd_m=20.0, status="dropped",
         next_step_date=D("2016-12-03")),
    dict(project_id="VNM-002", name="다낭 스마트물관리", country="VNM", value_usd_m=10.0, status="on_hold"),
    dict(project_id="UZB-001", name="타슈켄트 교통", country="UZB", stage="feasibility", value_usd_m=40.0),
    dict(project_id="KWT-004", name="쿠웨이트 안전", status="active", value_usd_m=1.0),
    dict(project_id="KWT-005", name="Smart Port", value_usd_m=12.5),
    dict(project_id="KWT-006", name="쿠웨이트 5G", stage="identified", value_usd_m=7.0),
)
CHANGES = changes.compare(OLD, NEW)

KO = [
    # advances into negotiation or contract, the further stage first
    "볼리비아 산타크루스 스마트시티 사업이 협상에서 수주·계약 단계로 진전",  # no doubled "사업"
    "쿠웨이트 압둘라 신도시 사업이 제안·입찰에서 협상 단계로 진전",
    "쿠웨이트 스마트그리드 사업이 협의·MOU에서 타당성조사 단계로 진전",
    "쿠웨이트 5G 사업이 발굴 단계로 신규 등록",  # the name already says the country
    # drops and holds, larger project first
    "베트남 하노이 ICT 사업이 진행에서 중단으로 전환",
    "베트남 다낭 스마트물관리 사업이 진행에서 보류로 전환",
    "우즈베키스탄 타슈켄트 교통 사업이 수주·계약에서 타당성조사 단계로 후퇴",
    "쿠웨이트 안전 사업이 보류에서 진행으로 전환",
    "페루 리마 신도시 사업이 사업 목록에서 삭제",
    "베트남 하노이 ICT 사업의 향후일정이 2016-10-01에서 2016-12-03으로 연기",
    "쿠웨이트 Smart Port 사업의 사업비 12.5백만 달러 기재",
]

def test_korean_sentences_in_order_of_importance():
    assert briefing.sentences(CHANGES, NEW, OLD, "ko") == KO


def test_english_sentences():
    en = briefing.sentences(CHANGES, NEW, OLD, "en")
    assert en[0] == "산타크루스 스마트시티 사업 (Bolivia) advanced from Negotiation to Contract won."  # no name_en
    assert en[1] == "Abdullah New Town (Kuwait) advanced from Proposal / tender to Negotiation."
    assert en[4] == "하노이 ICT (Viet Nam) changed from Active to Dropped."
    assert en[-2] == "하노이 ICT (Viet Nam): next step postponed from 2016-10-01 to 2016-12-03."
    assert en[-1] == "Smart Port (Kuwait): value entered, USD 12.5m."
    assert len(en) == len(KO)


def test_headline_advances_contract_then_negotiation_then_implementation():
    old = projects(dict(project_id="A", name="가", stage="contract", value_usd_m=900.0),
                   dict(project_id="B", name="나", stage="proposal", value_usd_m=1.0),
                   dict(project_id="C", name="다", stage="negotiation", value_usd_m=2.0),
                   dict(project_id="D", name="라", stage="identified", value_usd_m=5000.0))
    new = projects(dict(project_id="A", name="가", stage="implementation", value_usd_m=900.0),
                   dict(project_id="B", name="나", stage="negotiation", value_usd_m=1.0),
                   dict(project_id="C", name="다", stage="contract", value_usd_m=2.0),
                   dict(project_id="D", name="라", stage="proposal", value_usd_m=5000.0))
    said = briefing.sentences(changes.compare(old, new), new, old, "en")
    assert [s.split(" (")[0] for s in said] == ["다", "나", "가", "라"]


def test_value_changes_and_cleared_values():
    old = projects(dict(project_id="A", name="가", value_usd_m=1200.0), dict(project_id="B", name="나", value_usd_m=3.0))
    new = projects(dict(project_id="A", name="가", value_usd_m=1500.5), dict(project_id="B", name="나", value_usd_m=None))
    assert briefing.sentences(changes.compare(old, new), new, old) == [
        "쿠웨이트 가 사업의 사업비가 1,200백만 달러에서 1,500.5백만 달러로 변경",
        "쿠웨이트 나 사업의 사업비 기재 삭제(이전 3백만 달러)",
    ]
    assert briefing.sentences(changes.compare(old, new), new, old, "en")[1] == "나 (Kuwait): value removed (was USD 3m)."


def test_particles_follow_the_name():
    old = projects(dict(project_id="A", name="스마트시티 사업", country="BOL"),
                   dict(project_id="B", name="LH 시범사업", stage="identified"))
    new = projects(dict(project_id="A", name="스마트시티 사업", country="BOL", stage="negotiation"),
                   dict(project_id="B", name="LH 시범사업", stage="engagement"))
    assert briefing.sentences(changes.compare(old, new), new, old) == [
        "볼리비아 스마트시티 사업이 제안·입찰에서 협상 단계로 진전",
        "쿠웨이트 LH 시범사업이 발굴에서 협의·MOU 단계로 진전",
    ]


def test_no_change():
    same = changes.compare(NEW, NEW)
    assert briefing.sentences(same, NEW, NEW, "ko") == ["지난 비교 시점 이후 변동 사항 없음"]
    assert briefing.sentences(same, NEW, NEW, "en") == ["No changes since the comparison date."]


def test_ids_matched_without_case():
    old = projects(dict(project_id="kwt-001", name="압둘라 신도시", stage="proposal"))
    new = projects(dict(project_id="KWT-001", name="압둘라 신도시", stage="negotiation"))
    assert briefing.sentences(changes.compare(old, new), new, old) == ["쿠웨이트 압둘라 신도시 사업이 제안·입찰에서 협상 단계로 진전"]
