"""Synthetic pipeline workbooks, and the writer that lays typed frames out as analysts do.

Two jobs share this module:

- `frames(n)` invents a plausible portfolio of any size from a seed, so load,
  performance and round-trip tests can run on 50,000 projects without anyone's
  real data. Generation is vectorised numpy; per-row Python appears only where
  a value has to become a Python object anyway (tuples of a list column).
- `write_workbook(frames, target)` writes typed frames (`frames.conform`) as a
  workbook that `workbook.md` accepts: one sheet per frame, optional title and
  기준일 rows above the header, Korean or English headers and labels, real Excel
  dates and numbers. The illustrative sample (`scripts/make_sample.py`) uses it.

Output is reproducible: the same frames give the same bytes (zip entry times and
the document's modified stamp are pinned), so regenerated files do not churn.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from os import PathLike
from typing import BinaryIO, Mapping, Sequence

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.present import exporting

__all__ = ["frames", "write_workbook", "workbook_bytes", "COUNTRIES", "STEERING_COMMITTEE_DATES"]


# --- what the generator draws from ---------------------------------------------

# iso3, 권역, city (ko), city (en), has an attaché (주재관).  Sixty real countries
# where Korean smart-city exports were plausible in 2016–2018; 17 host attachés.
COUNTRIES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("VNM", "아시아", "하노이", "Hanoi", True),
    ("IDN", "아시아", "자카르타", "Jakarta", True),
    ("PHL", "아시아", "마닐라", "Manila", True),
    ("MYS", "아시아", "쿠알라룸푸르", "Kuala Lumpur", True),
    ("THA", "아시아", "방콕", "Bangkok", False),
    ("MMR", "아시아", "양곤", "Yangon", True),
    ("KHM", "아시아", "프놈펜", "Phnom Penh", True),
    ("LAO", "아시아", "비엔티안", "Vientiane", False),
    ("IND", "아시아", "뉴델리", "New Delhi", True),
    ("BGD", "아시아", "다카", "Dhaka", False),
    ("LKA", "아시아", "콜롬보", "Colombo", False),
    ("NPL", "아시아", "카트만두", "Kathmandu", False),
    ("PAK", "아시아", "이슬라마바드", "Islamabad", False),
    ("MNG", "아시아", "울란바토르", "Ulaanbaatar", True),
    ("SGP", "아시아", "싱가포르", "Singapore", False),
    ("BRN", "아시아", "반다르스리브가완", "Bandar Seri Begawan", False),
    ("KAZ", "중앙아시아", "아스타나", "Astana", True),
    ("UZB", "중앙아시아", "타슈켄트", "Tashkent", True),
    ("KGZ", "중앙아시아", "비슈케크", "Bishkek", False),
    ("TJK", "중앙아시아", "두샨베", "Dushanbe", False),
    ("TKM", "중앙아시아", "아시가바트", "Ashgabat", False),
    ("AZE", "중앙아시아", "바쿠", "Baku", False),
    ("KWT", "중동", "쿠웨이트시티", "Kuwait City", True),
    ("SAU", "중동", "리야드", "Riyadh", True),
    ("ARE", "중동", "두바이", "Dubai", True),
    ("QAT", "중동", "도하", "Doha", False),
    ("OMN", "중동", "무스카트", "Muscat", False),
    ("BHR", "중동", "마나마", "Manama", False),
    ("IRN", "중동", "테헤란", "Tehran", True),
    ("IRQ", "중동", "바그다드", "Baghdad", False),
    ("JOR", "중동", "암만", "Amman", False),
    ("TUR", "중동", "이스탄불", "Istanbul", False),
    ("EGY", "아프리카", "카이로", "Cairo", False),
    ("ETH", "아프리카", "아디스아바바", "Addis Ababa", True),
    ("KEN", "아프리카", "나이로비", "Nairobi", False),
    ("TZA", "아프리카", "다르에스살람", "Dar es Salaam", False),
    ("RWA", "아프리카", "키갈리", "Kigali", False),
    ("UGA", "아프리카", "캄팔라", "Kampala", False),
    ("GHA", "아프리카", "아크라", "Accra", False),
    ("NGA", "아프리카", "라고스", "Lagos", False),
    ("SEN", "아프리카", "다카르", "Dakar", False),
    ("CIV", "아프리카", "아비장", "Abidjan", False),
    ("MAR", "아프리카", "라바트", "Rabat", False),
    ("DZA", "아프리카", "알제", "Algiers", False),
    ("ZAF", "아프리카", "요하네스버그", "Johannesburg", False),
    ("MOZ", "아프리카", "마푸투", "Maputo", False),
    ("BOL", "중남미", "산타크루즈", "Santa Cruz", True),
    ("PER", "중남미", "리마", "Lima", True),
    ("COL", "중남미", "보고타", "Bogota", False),
    ("ECU", "중남미", "키토", "Quito", False),
    ("CHL", "중남미", "산티아고", "Santiago", False),
    ("BRA", "중남미", "상파울루", "Sao Paulo", False),
    ("MEX", "중남미", "멕시코시티", "Mexico City", False),
    ("PAN", "중남미", "파나마시티", "Panama City", False),
    ("CRI", "중남미", "산호세", "San Jose", False),
    ("PRY", "중남미", "아순시온", "Asuncion", False),
    ("GTM", "중남미", "과테말라시티", "Guatemala City", False),
    ("DOM", "중남미", "산토도밍고", "Santo Domingo", False),
    ("RUS", "유럽", "블라디보스토크", "Vladivostok", False),
    ("POL", "유럽", "바르샤바", "Warsaw", False),
)

# The launch meeting (출범식) counts as the 1st steering committee; then quarterly.
STEERING_COMMITTEE_DATES = tuple(
    np.datetime64(d)
    for d in (
        "2016-05-25", "2016-09-08", "2016-12-15", "2017-03-16", "2017-06-22", "2017-09-21",
        "2017-12-14", "2018-03-15", "2018-06-21", "2018-09-13", "2018-12-13",
    )
)

FIRST_DAY = np.datetime64("2015-01-01")
LAST_DAY = np.datetime64("2018-12-31")
LAUNCH = STEERING_COMMITTEE_DATES[0]

_SUBCOMMITTEES = ref.SUBCOMMITTEES.keys
_STAGES = ref.STAGES.keys
_TECHS = ref.TECHNOLOGIES.keys

# P(stage) of a synthetic project: a funnel, wide at the top.
_STAGE_P = np.array([0.25, 0.22, 0.18, 0.12, 0.08, 0.08, 0.07])
_STATUS_P = {"active": 0.84, "on_hold": 0.09, "dropped": 0.07}

# Who leads, by subcommittee: agencies by canonical key, firms as written.
_LEADS = {
    "urban_infra": {"LH": 0.40, "LX": 0.08, "MOLIT": 0.10, "KOTRA": 0.05, "현대건설": 0.12,
                    "포스코건설": 0.10, "한화건설": 0.08, "대우건설": 0.07},
    "energy_env": {"KEPCO": 0.35, "K-water": 0.30, "ME": 0.05, "MOTIE": 0.05, "LS산전": 0.10,
                   "포스코건설": 0.05, "KOTRA": 0.10},
    "ict": {"MSIT": 0.15, "LX": 0.15, "KOTRA": 0.10, "LG CNS": 0.20, "KT": 0.15, "삼성SDS": 0.10,
            "SK C&C": 0.10, "한국정보화진흥원": 0.05},
}
_PARTNERS = ("LH", "한전", "수공", "LX", "KOTRA", "KT", "LG CNS", "삼성SDS", "SK C&C", "현대건설",
             "포스코건설", "한화건설", "LS산전", "KAIST", "국토연구원")

# P(technology | subcommittee), in catalogue order, and the technologies a
# project of that subcommittee is named after (one of them is always included).
_TECH_P = {
    "urban_infra": (0.40, 0.35, 0.30, 0.20, 0.10, 0.35, 0.45, 0.20, 0.25, 0.08, 0.08, 0.20),
    "energy_env": (0.10, 0.60, 0.50, 0.10, 0.05, 0.20, 0.15, 0.45, 0.10, 0.02, 0.02, 0.10),
    "ict": (0.35, 0.10, 0.05, 0.35, 0.35, 0.45, 0.05, 0.05, 0.35, 0.15, 0.15, 0.40),
}
_PRIMARY = {
    "urban_infra": ("building", "transport", "operations_center"),
    "energy_env": ("energy", "water", "environment"),
    "ict": ("operations_center", "governance", "transport", "digital_twin", "safety", "telecom"),
}
_SUFFIX = {  # name suffix (ko, en) by subcommittee
    "urban_infra": (("스마트시티 조성", "smart city development"), ("신도시 개발", "new town development"),
                    ("마스터플랜", "master plan"), ("시범지구 조성", "pilot district")),
    "energy_env": (("구축 사업", "deployment"), ("고도화 사업", "upgrade"), ("시범사업", "pilot")),
    "ict": (("플랫폼 구축", "platform"), ("시스템 구축", "system"), ("시범사업", "pilot")),
}
_SCALE_USD_M = {"urban_infra": 300.0, "energy_env": 80.0, "ict": 30.0}  # median project value
_CLIENTS = ("주택부", "공공사업부", "교통부", "정보통신부", "에너지부", "수자원청", "시청", "투자청")
_FINANCING = ("ODA", "EDCF", "KSP", "PPP", "MDB", "정부", "민간")
_OWNERS = ("김○○", "이○○", "박○○", "최○○", "정○○", "강○○", "조○○", "윤○○")
_NEXT_STEP = {
    "identified": "현지 수요조사",
    "engagement": "MOU 체결 추진",
    "feasibility": "타당성조사 중간보고",
    "proposal": "제안서 제출",
    "negotiation": "계약조건 협상",
    "contract": "착수보고회",
    "implementation": "중간 점검",
}
_REPORT_TOPICS = (
    ("스마트시티 정책 동향", "정부의 스마트시티 추진 계획과 예산 편성 동향 보고"),
    ("발주 동향", "관련 사업 발주 일정과 입찰 참여 요건 정리"),
    ("고위급 면담 결과", "발주처 면담 결과와 후속 협의 일정 보고"),
    ("경쟁국 진출 동향", "중국·일본 기업의 수주 활동과 대응 방안"),
    ("재원 조달 동향", "MDB·EDCF 재원 활용 가능성 검토"),
)
_EVENT_NAMES = {  # type -> name pattern; {city} is the project's city
    "high_level_meeting": "{city} 고위급 면담",
    "business_meeting": "{city} 발주처 1:1 비즈니스미팅",
    "promotion_booth": "{city} 스마트시티 전시회 홍보부스",
    "site_visit": "{city} 대표단 송도 현장방문",
    "tour_program": "{city} 공무원 스마트시티 투어프로그램",
    "mou_signing": "{city} 스마트시티 협력 MOU 체결",
    "other": "{city} 스마트시티 협력 세미나",
}
_EVENT_TYPE_P = {"high_level_meeting": 0.22, "business_meeting": 0.30, "promotion_booth": 0.08,
                 "site_visit": 0.12, "tour_program": 0.08, "mou_signing": 0.10, "other": 0.10}
_EVENT_OUTCOMES = ("후속 협의 일정 합의", "사업 제안 요청 접수", "실무협의체 구성 합의", "현지 조사단 파견 추진")
_COMMITTEE_MEMBERS = ("국토부", "LH", "한전", "수공", "LX", "KOTRA")


# --- frames: the synthetic portfolio -------------------------------------------


def frames(n_projects: int, seed: int = 2016) -> dict[str, pd.DataFrame]:
    """A synthetic portfolio of `n_projects` as typed frames for every sheet.

    About n/5 attaché reports, n/10 events (never fewer than the steering
    committees, which are always there, so the "since the last meeting" logic
    has something to anchor on) and n/20 directives of those committees. Reports and events name real project ids.
    The same seed gives equal frames.
    """
    if n_projects < 0:
        raise ValueError("n_projects must be 0 or more")
    rng = np.random.default_rng(seed)
    projects = _projects(rng, n_projects)
    countries = fr.conform("countries", _countries(rng, projects["country"]))
    reports = fr.conform("reports", _reports(rng, projects, round(n_projects / 5)))
    events = fr.conform("events", _events(rng, projects, round(n_projects / 10)))
    # Drawn last, so the other sheets stay what they were before directives existed.
    actions = fr.conform("actions", _actions(rng, projects, events, round(n_projects / 20)))
    return {"projects": fr.conform("projects", projects), "countries": countries, "reports": reports,
            "events": events, "actions": actions}


def _country_table() -> pd.DataFrame:
    return pd.DataFrame(COUNTRIES, columns=["country", "region", "city", "city_en", "attache"])


def _pick(rng: np.random.Generator, options: Mapping[str, float] | Sequence[str], size: int) -> np.ndarray:
    """`size` draws from `options` (a sequence, uniform, or a mapping to weights)."""
    if isinstance(options, Mapping):
        keys = np.array(list(options), dtype=object)
        p = np.array(list(options.values()), dtype=float)
        return keys[rng.choice(len(keys), size=size, p=p / p.sum())]
    return _objects(options)[rng.integers(0, len(options), size=size)]


def _objects(items: Sequence) -> np.ndarray:
    """A 1-D object array of `items`, even when the items are tuples."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def _per_group(rng: np.random.Generator, groups: np.ndarray, table: Mapping[str, object], draw) -> np.ndarray:
    """Draw per row from `table[group]` with `draw(rng, options, size)`, group by group."""
    out = np.empty(len(groups), dtype=object)
    for key, options in table.items():
        rows = np.flatnonzero(groups == key)
        out[rows] = draw(rng, options, len(rows))
    return out


def _tuples_from_mask(mask: np.ndarray, items: Sequence[str]) -> np.ndarray:
    """Rows of a boolean matrix as tuples of the chosen items, built once per distinct row."""
    codes = mask.astype(np.int64) @ (1 << np.arange(mask.shape[1], dtype=np.int64))
    distinct, inverse = np.unique(codes, return_inverse=True)
    lookup = np.empty(len(distinct), dtype=object)
    for i, code in enumerate(distinct):
        lookup[i] = tuple(item for bit, item in enumerate(items) if code >> bit & 1)
    return lookup[inverse]


def _days(rng: np.random.Generator, size: int, start=FIRST_DAY, end=LAST_DAY) -> np.ndarray:
    span = int((end - start).astype(int))
    return start + rng.integers(0, span + 1, size=size).astype("timedelta64[D]")


def _blank(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    """`values` with about `share` of them missing (None/NaT/NaN by dtype)."""
    values = values.copy()
    holes = rng.random(len(values)) < share
    if values.dtype.kind == "M":
        values[holes] = np.datetime64("NaT")
    elif values.dtype.kind == "f":
        values[holes] = np.nan
    else:
        values[holes] = None
    return values


def _projects(rng: np.random.Generator, n: int) -> pd.DataFrame:
    table = _country_table()
    weight = np.where(table["attache"], 3.0, 1.0)
    where = rng.choice(len(table), size=n, p=weight / weight.sum())
    country = table["country"].to_numpy()[where]
    city = table["city"].to_numpy()[where]
    city_en = table["city_en"].to_numpy()[where]

    sub_no = rng.integers(0, len(_SUBCOMMITTEES), size=n)
    sub = _objects(_SUBCOMMITTEES)[sub_no]
    stage_no = rng.choice(len(_STAGES), size=n, p=_STAGE_P)
    stage = _objects(_STAGES)[stage_no]
    technologies, primary_no = _technologies(rng, sub, sub_no)
    suffix = _per_group(rng, sub, _SUFFIX, _pick)
    tech_ko = _objects([ref.TECHNOLOGIES.label(t, "ko") for t in _TECHS])
    tech_en = _objects([ref.TECHNOLOGIES.label(t, "en") for t in _TECHS])

    values = _values(rng, sub, n)
    dates = _project_dates(rng, n)
    default_p = np.array([ref.STAGES.by_key[s].default_probability for s in _STAGES])[stage_no]
    override = rng.random(n) < 0.08
    probability = np.where(
        override, np.clip(default_p + rng.choice([-0.1, -0.05, 0.05, 0.1], size=n), 0.05, 1.0).round(2), np.nan
    )
    return pd.DataFrame(
        {
            "project_id": _ids(country),
            "name": _join(city, tech_ko[primary_no], [s[0] for s in suffix]),
            "name_en": _join(city_en, tech_en[primary_no], [s[1] for s in suffix]),
            "country": country,
            "city": city,
            "subcommittee": sub,
            "stage": stage,
            "status": _pick(rng, _STATUS_P, n),
            "lead_agency": _per_group(rng, sub, _LEADS, _pick),
            "partners": _tuples_from_mask(rng.random((n, len(_PARTNERS))) < 0.12, _PARTNERS),
            "client": _blank(rng, _join(city, _pick(rng, _CLIENTS, n)), 0.2),
            "win_probability": probability,
            "financing": _blank(rng, _pick(rng, _FINANCING, n), 0.25),
            "technologies": technologies,
            "next_step": pd.Series(stage).map(_NEXT_STEP).to_numpy(dtype=object),
            "owner": _pick(rng, _OWNERS, n),
            "note": _blank(rng, np.full(n, "가상 데이터", dtype=object), 0.9),
            **values,
            **dates,
        }
    )


def _technologies(rng: np.random.Generator, sub: np.ndarray, sub_no: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each project's technologies (tuples of keys) and the one it is named after.

    The named one is drawn from its subcommittee's typical technologies and
    always included, so a name never promises what the list lacks.
    """
    primary_no = pd.Index(_TECHS).get_indexer(_per_group(rng, sub, _PRIMARY, _pick))
    chance = np.array([_TECH_P[s] for s in _SUBCOMMITTEES])[sub_no]
    mask = rng.random((len(sub), len(_TECHS))) < chance
    mask[np.arange(len(sub)), primary_no] = True
    return _tuples_from_mask(mask, _TECHS), primary_no


def _ids(country: np.ndarray) -> np.ndarray:
    """Ids like KWT-007: the country code and a running number within the country."""
    rank = pd.Series(country).groupby(country).cumcount().to_numpy() + 1
    width = max(3, len(str(rank.max()))) if len(rank) else 3
    return (pd.Series(country) + "-" + pd.Series(rank).astype(str).str.zfill(width)).to_numpy(dtype=object)


def _join(*parts) -> np.ndarray:
    """Element-wise ' '.join of equally long string arrays."""
    out = pd.Series(np.asarray(parts[0], dtype=object))
    for part in parts[1:]:
        out = out + " " + pd.Series(np.asarray(part, dtype=object))
    return out.to_numpy(dtype=object)


def _values(rng: np.random.Generator, sub: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """USD values (lognormal by subcommittee); some given only in 억원, a few missing."""
    scale = pd.Series(sub).map(_SCALE_USD_M).to_numpy(dtype=float)
    usd = (scale * rng.lognormal(0.0, 1.0, size=n)).round(1)
    krw = (usd * 13).round(0)  # 1 USD m = 13억원 at 1,300 KRW/USD
    kind = rng.choice(4, size=n, p=[0.80, 0.10, 0.05, 0.05])  # usd only, krw only, missing, both
    return {
        "value_usd_m": np.where((kind == 0) | (kind == 3), usd, np.nan),
        "value_krw_100m": np.where((kind == 1) | (kind == 3), krw, np.nan),
    }


def _project_dates(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Stage date, last update after it, next step after that; all within 2015–2018."""
    stage_date = _days(rng, n, FIRST_DAY, np.datetime64("2018-10-31"))
    updated = np.minimum(stage_date + rng.integers(0, 121, size=n).astype("timedelta64[D]"), LAST_DAY)
    next_date = np.minimum(updated + rng.integers(14, 241, size=n).astype("timedelta64[D]"), LAST_DAY)
    return {
        "stage_date": _blank(rng, stage_date, 0.05),
        "next_step_date": _blank(rng, next_date, 0.15),
        "updated_on": _blank(rng, updated, 0.05),
    }


def _countries(rng: np.random.Generator, used: pd.Series) -> pd.DataFrame:
    """One row per country that has a project, attaché countries with their post."""
    table = _country_table()
    table = table[table["country"].isin(set(used))].reset_index(drop=True)
    n = len(table)
    post = np.where(table["attache"], table["city"] + " 주재관", None)
    return pd.DataFrame(
        {
            "country": table["country"],
            "region": table["region"],
            "attache_post": post,
            "policy": _blank(rng, _join(table["city"], np.full(n, "중심 스마트시티 추진계획 수립", dtype=object)), 0.3),
            "priority": pd.array(table["attache"].to_numpy() & (rng.random(n) < 0.7), dtype="boolean"),
        }
    )


def _reports(rng: np.random.Generator, projects: pd.DataFrame, n: int) -> pd.DataFrame:
    """Attaché reports on projects in attaché countries (any project when there is none)."""
    attache = set(_country_table().query("attache")["country"])
    pool = np.flatnonzero(projects["country"].isin(attache).to_numpy())
    if len(pool) == 0:
        pool = np.arange(len(projects))
    if len(pool) == 0 or n == 0:  # no projects to report on
        return pd.DataFrame()
    rows = projects.iloc[rng.choice(pool, size=n)]
    topic = rng.integers(0, len(_REPORT_TOPICS), size=n)
    titles = np.array([t for t, _ in _REPORT_TOPICS], dtype=object)[topic]
    summaries = np.array([s for _, s in _REPORT_TOPICS], dtype=object)[topic]
    return pd.DataFrame(
        {
            "report_id": [f"RP-{i:06d}" for i in range(1, n + 1)],
            "country": rows["country"].to_numpy(),
            "date": _days(rng, n),
            "author": _join(rows["city"].to_numpy(), np.full(n, "주재관", dtype=object)),
            "title": _join(rows["city"].to_numpy(), titles),
            "summary": summaries,
            "project_id": _blank(rng, rows["project_id"].to_numpy(dtype=object), 0.3),
        }
    )


def _events(rng: np.random.Generator, projects: pd.DataFrame, n: int) -> pd.DataFrame:
    """The steering committees, then meetings, visits and signings about projects."""
    committees = _steering_committees()
    n_more = max(n - len(committees), 0) if len(projects) else 0
    if n_more == 0:
        return committees
    rows = projects.iloc[rng.integers(0, len(projects), size=n_more)]
    kind = _pick(rng, _EVENT_TYPE_P, n_more)
    city = rows["city"].to_numpy(dtype=object)
    names = np.array([_EVENT_NAMES[k].format(city=c) for k, c in zip(kind, city)], dtype=object)
    more = pd.DataFrame(
        {
            "date": _days(rng, n_more, LAUNCH, LAST_DAY),
            "name": names,
            "type": kind,
            "country": rows["country"].to_numpy(),
            "counterpart": _join(city, _pick(rng, _CLIENTS, n_more)),
            "participants": _tuples_from_mask(rng.random((n_more, len(_PARTNERS))) < 0.15, _PARTNERS),
            "project_id": _blank(rng, rows["project_id"].to_numpy(dtype=object), 0.4),
            "outcome": _blank(rng, _pick(rng, _EVENT_OUTCOMES, n_more), 0.3),
        }
    )
    # Chronological, as analysts keep them; a stable sort keeps it deterministic.
    events = pd.concat([committees, more], ignore_index=True).sort_values("date", kind="stable", ignore_index=True)
    events["event_id"] = [f"EV-{i:05d}" for i in range(1, len(events) + 1)]
    return events


_ACTION_STATUS_P = {"done": 0.45, "in_progress": 0.3, "not_started": 0.17, "on_hold": 0.08}
_ACTION_OWNERS = ("MOLIT", "LH", "KEPCO", "K-water", "LX", "KOTRA", "MSIT")
_DIRECTIVES = ("{city} 사업에 국내 요소기술 최대 반영", "{city} 발주처 초청 투어프로그램 추진",
               "{city} 사업 금융지원(EDCF) 방안 마련", "{city} 후속 고위급 면담 추진")


def _actions(rng: np.random.Generator, projects: pd.DataFrame, events: pd.DataFrame, n: int) -> pd.DataFrame:
    """Directives of the steering committees, about projects, due months after the meeting."""
    committees = events[events["type"] == "steering_committee"]
    if n == 0 or len(projects) == 0 or len(committees) == 0:
        return pd.DataFrame()
    meeting = committees.iloc[rng.integers(0, len(committees), size=n)]
    rows = projects.iloc[rng.integers(0, len(projects), size=n)]
    meeting_day = meeting["date"].to_numpy(dtype="datetime64[D]")
    due = np.minimum(meeting_day + rng.integers(30, 270, size=n).astype("timedelta64[D]"), LAST_DAY)
    status = _pick(rng, _ACTION_STATUS_P, n)
    done_day = np.minimum(meeting_day + rng.integers(10, 300, size=n).astype("timedelta64[D]"), LAST_DAY)
    done_on = np.where(status == "done", done_day, np.datetime64("NaT"))
    owners = _tuples_from_mask(rng.random((n, len(_ACTION_OWNERS))) < 0.2, _ACTION_OWNERS)
    owners[[not o for o in owners]] = _objects([("MOLIT",)])[0]
    texts = _pick(rng, _DIRECTIVES, n)
    return pd.DataFrame(
        {
            "action_id": [f"AC-{i:05d}" for i in range(1, n + 1)],
            "meeting": meeting["event_id"].to_numpy(),
            "directive": [t.format(city=c) for t, c in zip(texts, rows["city"].to_numpy(dtype=object))],
            "owner": owners,
            "due": _blank(rng, due, 0.1),
            "status": status,
            "done_on": done_on,
            "project_id": rows["project_id"].to_numpy(),
            "country": rows["country"].to_numpy(),
            "result": _blank(rng, _pick(rng, _EVENT_OUTCOMES, n), 0.4),
        }
    )


def _steering_committees() -> pd.DataFrame:
    n = len(STEERING_COMMITTEE_DATES)
    names = ["K-Smart City 수출추진단 출범식 (제1차 운영위원회)"] + [f"제{k}차 운영위원회" for k in range(2, n + 1)]
    return pd.DataFrame(
        {
            "event_id": [f"EV-{i:05d}" for i in range(1, n + 1)],
            "date": np.array(STEERING_COMMITTEE_DATES, dtype="datetime64[D]"),
            "name": names,
            "type": "steering_committee",
            "participants": [_COMMITTEE_MEMBERS] * n,
            "outcome": "위원장 국토교통부 제1차관, 분과별 추진 현황 점검",
        }
    )


# --- write_workbook: typed frames as an analyst's workbook ------------------------

_PINNED_ZIP_TIME = (2016, 5, 25, 0, 0, 0)  # the group's launch; any fixed time would do


def write_workbook(
    frames: Mapping[str, pd.DataFrame],
    target: str | PathLike | BinaryIO,
    *,
    lang: str = "ko",
    title: str | None = None,
    reference_date: date | None = None,
    footnotes: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Write typed frames as an .xlsx workbook that `workbook.md` accepts.

    Args:
        frames: sheet key → typed frame (`frames.conform` shape); any subset of
            the sheets, written in the reference order.
        target: a path, or a binary file-like object opened for writing.
        lang: "ko" or "en": sheet names, headers and enum/agency labels.
        title: text for A1 of every sheet (e.g. `reference.ILLUSTRATIVE_TITLE`).
        reference_date: adds a "기준일: YYYY.MM.DD" line under the title.
        footnotes: sheet key → lines written after the data (each should start
            with "※" so the loader reads it as a footnote).
    """
    wb = Workbook(write_only=True)
    for key, sheet in ref.SHEETS.items():
        if key in frames:
            _write_sheet(wb, sheet, frames[key], lang, title, reference_date, (footnotes or {}).get(key, ()))
    buffer = io.BytesIO()
    wb.save(buffer)
    data = _pinned(buffer.getvalue(), reference_date)
    if hasattr(target, "write"):
        target.write(data)
    else:
        with open(target, "wb") as out:
            out.write(data)


def workbook_bytes(n_projects: int, seed: int = 2016, **kw) -> bytes:
    """A synthetic workbook of `n_projects` as .xlsx bytes; `kw` go to `write_workbook`."""
    buffer = io.BytesIO()
    write_workbook(frames(n_projects, seed), buffer, **kw)
    return buffer.getvalue()


def _write_sheet(wb, sheet: ref.Sheet, frame: pd.DataFrame, lang, title, reference_date, footnotes) -> None:
    exporting.write_sheet(wb, sheet, fr.conform(sheet.key, frame), lang,
                          lambda ws: _title_rows(ws, title, reference_date), below=footnotes)


def _title_rows(ws, title: str | None, reference_date: date | None) -> list[list]:
    """Rows above the header: title, 기준일 line, then a blank row when there is either."""
    rows = []
    if title:
        cell = WriteOnlyCell(ws, title)
        cell.font = Font(bold=True, size=12)
        rows.append([cell])
    if reference_date is not None:
        rows.append([f"기준일: {reference_date:%Y.%m.%d}"])
    if rows:
        rows.append([])
    return rows


def _pinned(data: bytes, reference_date: date | None) -> bytes:
    """The .xlsx with fixed zip entry times and document dates, so equal input gives equal bytes."""
    stamp = (datetime(*_PINNED_ZIP_TIME) if reference_date is None
             else datetime(reference_date.year, reference_date.month, reference_date.day))
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members, _ = _members(data)
    if "docProps/core.xml" in members:
        members["docProps/core.xml"] = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                              rb"\g<1>" + iso + rb"\g<2>", members["docProps/core.xml"])
    return _zipped(members, stamp.timetuple()[:6])


def _members(data: bytes) -> tuple[dict[str, bytes], tuple]:
    """The zip's members by name, and the time stamped on its first entry."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        infos = src.infolist()
        return {info.filename: src.read(info) for info in infos}, infos[0].date_time


def _zipped(members: dict[str, bytes], date_time: tuple) -> bytes:
    """The members as a deflated .xlsx, every entry stamped `date_time` (equal input, equal bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in members.items():
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


_INLINE_STRING_CELL = re.compile(rb'(<c\b[^>]*?) t="inlineStr"><is>(.*?)</is></c>', re.DOTALL)
_CONTENT_TYPE_SHARED = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_RELATION_SHARED = (b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')


def with_shared_strings(data: bytes) -> bytes:
    """The workbook with its text in a shared-strings table, as Excel saves it.

    openpyxl writes each text cell inline; Excel keeps every distinct text
    once, in `xl/sharedStrings.xml`, and the cells refer to it by number. The
    same values either way: performance and block-reading tests need both.
    """
    index: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        number = index.setdefault(match.group(2), len(index))  # the `<is>` markup kept as written
        return match.group(1) + b' t="s"><v>%d</v></c>' % number

    bodies, date_time = _members(data)  # stamped with the source's (pinned) time
    for name, body in bodies.items():
        if name.startswith("xl/worksheets/"):
            bodies[name] = _INLINE_STRING_CELL.sub(shared, body)
    bodies["[Content_Types].xml"] = bodies["[Content_Types].xml"].replace(
        b"</Types>", _CONTENT_TYPE_SHARED + b"</Types>")
    bodies["xl/_rels/workbook.xml.rels"] = bodies["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", _RELATION_SHARED + b"</Relationships>")
    bodies["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" uniqueCount="%d">' % len(index)
        + b"".join(b"<si>" + item + b"</si>" for item in index) + b"</sst>")
    return _zipped(bodies, date_time)
