"""A small fixed portfolio whose every metric is computed by hand in
test_metrics.py, and a stand-in for `ksmart.countries` so the expected
regions and names do not move when the real country tables do.

Reference date A = 2016-09-08; default settings (1,300 KRW/USD; stalled above
180 days in identified, 270 in engagement, 365 in feasibility, 180 in proposal
and negotiation; stale after 90 days without update; upcoming within 30 days).

| id      | country | subcommittee | stage          | status    | agency   | value (USD m)        | p    |
|---------|---------|--------------|----------------|-----------|----------|----------------------|------|
| KWT-001 | KWT     | urban_infra  | proposal       | active    | LH       | 100                  | 0.5  |
| KWT-002 | KWT     | energy_env   | negotiation    | active    | KEPCO    | 200                  | 0.9* |
| BOL-001 | BOL     | urban_infra  | identified     | active    | LH       | 1,300억원 → 100       | 0.1  |
| BOL-002 | BOL     | ict          | contract       | active    | KOTRA    | 50                   | 1.0  |
| VNM-001 | VNM     | ict          | implementation | on_hold   | LX       | 80                   | 1.0  |
| VNM-002 | VNM     | energy_env   | feasibility    | dropped   | K-water  | 40                   | 0.3  |
| VNM-003 | VNM     | urban_infra  | engagement     | active    | 현대건설  | (missing)            | 0.2  |
| UZB-001 | UZB     | ict          | proposal       | on_hold   | MSIT     | 0                    | 0.5  |
| KWT-003 | KWT     | ict          | engagement     | (empty)   | LH       | 10                   | 0.5* |
| PER-001 | PER     | urban_infra  | contract       | dropped   | LH       | 300                  | 1.0  |

(* a win_probability given in the row)

The dates that make the flags (days before A):

| id      | in stage | since update  | next step     | flags                                                  |
|---------|----------|---------------|---------------|--------------------------------------------------------|
| KWT-001 | 251      | 7             | A + 12        | stalled (proposal, > 180), upcoming                    |
| KWT-002 | 38       | (empty)       | A + 30        | stale (never updated), upcoming                        |
| BOL-001 | (empty)  | 130           |               | stale; no stage date, so not stalled                   |
| BOL-002 | 191      | 7             | A − 1         | overdue by 1 (won, still active)                       |
| VNM-001 | 465      | 465           | A + 2         | none: on hold                                          |
| VNM-002 | 616      | 616           |               | none: dropped                                          |
| VNM-003 | 201      | 19            | A − 10        | overdue by 10; not stalled (engagement allows 270)     |
| UZB-001 | 616      | 616           | A − 69        | none: on hold                                          |
| KWT-003 | 7        | 0             | A             | upcoming (on A is not overdue)                         |
| PER-001 | 981      | 981           |               | none: dropped                                          |
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ksmart import countries, frames
from ksmart.reference import Entry, Lookup

AS_OF = date(2016, 9, 8)
D = pd.Timestamp

ROWS = [
    dict(project_id="KWT-001", name="압둘라 신도시", name_en="Abdullah New Town", country="KWT",
         subcommittee="urban_infra", stage="proposal", status="active", lead_agency="LH", value_usd_m=100.0,
         technologies=("transport", "ITS", "operations_center"), stage_date=D("2016-01-01"),
         next_step_date=D("2016-09-20"), updated_on=D("2016-09-01")),
    dict(project_id="KWT-002", name="스마트그리드 구축 사업", country="KWT", subcommittee="energy_env",
         stage="negotiation", status="active", lead_agency="KEPCO", value_usd_m=200.0, win_probability=0.9,
         technologies=("energy",), stage_date=D("2016-08-01"), next_step_date=D("2016-10-08")),
    dict(project_id="BOL-001", name="산타크루스 스마트시티", country="BOL", subcommittee="urban_infra",
         stage="identified", status="active", lead_agency="LH", value_krw_100m=1300.0,
         updated_on=D("2016-05-01")),
    dict(project_id="BOL-002", name="라파스 전자정부", country="BOL", subcommittee="ict", stage="contract",
         status="active", lead_agency="KOTRA", value_usd_m=50.0, technologies=("governance", "블록체인"),
         stage_date=D("2016-03-01"), next_step_date=D("2016-09-07"), updated_on=D("2016-09-01")),
    dict(project_id="VNM-001", name="하노이 디지털트윈", country="VNM", subcommittee="ict",
         stage="implementation", status="on_hold", lead_agency="LX", value_usd_m=80.0,
         technologies=("digital_twin", "transport"), stage_date=D("2015-06-01"), next_step_date=D("2016-09-10"),
         updated_on=D("2015-06-01")),
    dict(project_id="VNM-002", name="다낭 스마트물관리", country="VNM", subcommittee="energy_env",
         stage="feasibility", status="dropped", lead_agency="K-water", value_usd_m=40.0, technologies=("water",),
         stage_date=D("2015-01-01"), updated_on=D("2015-01-01")),
    dict(project_id="VNM-003", name="호치민 스마트안전", country="VNM", subcommittee="urban_infra",
         stage="engagement", status="active", lead_agency="현대건설", technologies=("스마트교통", "안전", "water"),
         stage_date=D("2016-02-20"), next_step_date=D("2016-08-29"), updated_on=D("2016-08-20")),
    dict(project_id="UZB-001", name="타슈켄트 ICT", country="UZB", subcommittee="ict", stage="proposal",
         status="on_hold", lead_agency="MSIT", value_usd_m=0.0, stage_date=D("2015-01-01"),
         next_step_date=D("2016-07-01"), updated_on=D("2015-01-01")),
    dict(project_id="KWT-003", name="쿠웨이트 5G", country="KWT", subcommittee="ict", stage="engagement",
         status=None, lead_agency="LH", value_usd_m=10.0, win_probability=0.5, technologies=("telecom",),
         stage_date=D("2016-09-01"), next_step_date=D("2016-09-08"), updated_on=D("2016-09-08")),
    dict(project_id="PER-001", name="리마 신도시", country="PER", subcommittee="urban_infra", stage="contract",
         status="dropped", lead_agency="LH", value_usd_m=300.0, stage_date=D("2014-01-01"),
         updated_on=D("2014-01-01")),
]


def projects(rows=None) -> pd.DataFrame:
    return frames.conform("projects", pd.DataFrame(ROWS if rows is None else rows))


REGION = {"KWT": "middle_east", "BOL": "latin_america", "PER": "latin_america", "VNM": "southeast_asia",
          "UZB": "eurasia"}
NAMES = {"KWT": ("쿠웨이트", "Kuwait"), "BOL": ("볼리비아", "Bolivia"), "PER": ("페루", "Peru"),
         "VNM": ("베트남", "Viet Nam"), "UZB": ("우즈베키스탄", "Uzbekistan")}


def fake_region_of(iso3: str) -> str:
    return REGION[iso3]  # KeyError for an unknown code, like the real one


def fake_name(iso3: str, lang: str = "ko") -> str:
    ko, en = NAMES.get(iso3, (iso3, iso3))
    return ko if lang == "ko" else en


FAKE_REGIONS = Lookup([Entry("middle_east", "중동", "Middle East"), Entry("latin_america", "중남미", "Latin America"),
                       Entry("southeast_asia", "동남아시아", "Southeast Asia"), Entry("eurasia", "러시아·중앙아시아", "Eurasia")])


def use_fake_countries(monkeypatch) -> None:
    """Replace the part of `ksmart.countries` that metrics and briefing use (region_of, name,
    REGIONS) by the five countries above; `monkeypatch.undo()` brings the real tables back."""
    monkeypatch.setattr(countries, "region_of", fake_region_of)
    monkeypatch.setattr(countries, "name", fake_name)
    monkeypatch.setattr(countries, "REGIONS", FAKE_REGIONS)
