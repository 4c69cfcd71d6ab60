"""Good and bad cells per value type (workbook.md, "Value types")."""

import datetime as dt

import pytest

from ksmart import reference as ref
from ksmart.ingest import values

D = dt.date
TODAY = D(2026, 11, 25)


@pytest.mark.parametrize(
    "raw, expected, code",
    [
        (1234.0, 1234.0, None),
        (0, 0.0, None),
        ("1,234", 1234.0, None),
        ("1,234.5", 1234.5, None),
        ("  1234  ", 1234.0, None),
        ("$1,234", 1234.0, None),
        ("₩ 1,234", 1234.0, None),
        ("USD 1,234", 1234.0, None),
        ("12,345,678", 12345678.0, None),
        ("약 100", 100.0, "approximate"),
        ("100(추정)", 100.0, "approximate"),
        ("~100", 100.0, "approximate"),
        ("100+", 100.0, "approximate"),
        ("1,5", None, "bad_number"),
        ("12,34", None, "bad_number"),
        ("1,2345", None, "bad_number"),
        (-5.0, None, "bad_number"),
        ("-5", None, "bad_number"),
        ("백억", None, "bad_number"),
        ("100 억원", None, "bad_number"),
        (True, None, "bad_number"),
    ],
)
def test_number(raw, expected, code):
    assert values.parse_number(raw) == (expected, code)


@pytest.mark.parametrize(
    "raw, expected, code",
    [
        (35, 0.35, None),
        ("35", 0.35, None),
        ("35%", 0.35, None),
        ("0.35", 0.35, None),
        (0.35, 0.35, None),
        (1, 1.0, None),
        ("1", 1.0, None),
        ("0.5%", 0.005, None),
        ("100%", 1.0, None),
        ("0", 0.0, None),
        ("101%", None, "bad_percent"),
        (150, None, "bad_percent"),
        ("-10%", None, "bad_percent"),
        ("높음", None, "bad_percent"),
    ],
)
def test_percent(raw, expected, code):
    value, problem = values.parse_percent(raw)
    assert problem == code
    assert value == pytest.approx(expected) if expected is not None else value is None


@pytest.mark.parametrize(
    "raw, expected, code",
    [
        (D(2016, 9, 8), D(2016, 9, 8), None),
        (dt.datetime(2016, 9, 8, 14, 30), D(2016, 9, 8), None),
        (42621, D(2016, 9, 8), None),
        (42621.0, D(2016, 9, 8), None),
        (20160908, D(2016, 9, 8), None),
        ("20160908", D(2016, 9, 8), None),
        ("2016-09-08", D(2016, 9, 8), None),
        ("2016.09.08", D(2016, 9, 8), None),
        ("2016. 9. 8.", D(2016, 9, 8), None),
        ("2016/9/8", D(2016, 9, 8), None),
        ("2016년 9월 8일", D(2016, 9, 8), None),
        ("2016-09-08 00:00:00", D(2016, 9, 8), None),
        ("2016.10", D(2016, 10, 1), "approximate"),
        ("2016-10", D(2016, 10, 1), "approximate"),
        ("2016년 10월", D(2016, 10, 1), "approximate"),
        ("2016.4Q", D(2016, 10, 1), "approximate"),
        ("2016년 4분기", D(2016, 10, 1), "approximate"),
        ("10월 중", None, "bad_date"),
        ("9월 8일", None, "bad_date"),
        ("2016.13.01", None, "bad_date"),
        ("2016-02-30", None, "bad_date"),
        ("1985-01-01", None, "bad_date"),
        ("2060-01-01", None, "bad_date"),
        ("내년 상반기", None, "bad_date"),
        (True, None, "bad_date"),
    ],
)
def test_date(raw, expected, code):
    assert values.parse_date(raw, today=TODAY) == (expected, code)


def test_date_serial_in_1904_system():
    assert values.parse_date(41159, date1904=True, today=TODAY) == (D(2016, 9, 8), None)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("LH; KOTRA", ("LH", "KOTRA")),
        ("LH, KOTRA ,", ("LH", "KOTRA")),
        ("LH/KOTRA", ("LH", "KOTRA")),
        ("LH\nKOTRA\n\n", ("LH", "KOTRA")),
        ("  ", ()),
    ],
)
def test_list(raw, expected):
    assert values.parse_list(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw, lookup, expected",
    [
        ("협상", ref.STAGES, "negotiation"),
        ("협의·MOU", ref.STAGES, "engagement"),
        ("협의MOU", ref.STAGES, "engagement"),
        ("MOU", ref.STAGES, "engagement"),
        ("타당성조사·마스터플랜", ref.STAGES, "feasibility"),
        ("입찰", ref.STAGES, "proposal"),
        ("수주", ref.STAGES, "contract"),
        (4, ref.STAGES, "proposal"),
        ("4", ref.STAGES, "proposal"),
        ("Proposal / tender", ref.STAGES, "proposal"),
        ("IMPLEMENTATION", ref.STAGES, "implementation"),
        ("ICT Solutions", ref.SUBCOMMITTEES, "ict"),
        ("ict solutions", ref.SUBCOMMITTEES, "ict"),
        ("ICT솔루션", ref.SUBCOMMITTEES, "ict"),
        ("에너지/환경", ref.SUBCOMMITTEES, "energy_env"),
        ("에너지ㆍ환경", ref.SUBCOMMITTEES, "energy_env"),
        ("도시 인프라", ref.SUBCOMMITTEES, "urban_infra"),
        ("보류", ref.STATUSES, "on_hold"),
        ("1:1 비즈니스미팅", ref.EVENT_TYPES, "business_meeting"),
        ("운영위원회", ref.EVENT_TYPES, "steering_committee"),
    ],
)
def test_enum(raw, lookup, expected):
    assert values.parse_enum(raw, lookup) == (expected, None)


@pytest.mark.parametrize("raw", ["착공", "8", "단계5"])
def test_enum_unknown(raw):
    assert values.parse_enum(raw, ref.STAGES) == (None, "unknown_value")


@pytest.mark.parametrize(
    "raw, expected",
    [("한전", "KEPCO"), ("수공", "K-water"), ("미래부", "MSIT"), ("국토부", "MOLIT"), ("코트라", "KOTRA"),
     ("LH", "LH"), ("한국토지주택공사", "LH"), ("(주)스마트시티코리아", "(주)스마트시티코리아")],
)
def test_agency(raw, expected):
    assert values.parse_agency(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw, expected",
    [("Y", True), ("예", True), ("O", True), ("true", True), (True, True),
     ("N", False), ("아니오", False), ("X", False), ("false", False)],
)
def test_yesno(raw, expected):
    assert values.parse_yesno(raw) == (expected, None)


def test_yesno_bad():
    assert values.parse_yesno("아마도") == (None, "bad_yesno")


def test_technologies_keep_unknown_names_with_a_warning():
    assert values.parse_technologies("스마트교통, ITS, 드론배송") == (("transport", "transport", "드론배송"), "unknown_technology")
    assert values.parse_technologies("스마트에너지; 통합운영센터") == (("energy", "operations_center"), None)


@pytest.mark.parametrize("raw", ["-", "–", "—", "미정", "해당없음", "없음", "TBD", "N/A", "n/a", "?", " tbd "])
def test_placeholders(raw):
    assert values.is_placeholder(raw)


@pytest.mark.parametrize("raw, text", [(42.0, "42"), (4.5, "4.5"), ("  KWT-001 ", "KWT-001"),
                                       (dt.datetime(2016, 9, 8), "2016-09-08")])
def test_as_text(raw, text):
    assert values.as_text(raw) == text
