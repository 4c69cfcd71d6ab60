"""Cell value parsers: one per value type of workbook.md.

Each parser takes one raw cell value as python-calamine gives it (str, float,
int, bool, date, datetime, or "" for an empty cell) and returns
`(value, code)`: the parsed value (None when empty) and a reason code when the
cell is not clean (`bad_number`, `approximate`, …), else None. Validation calls
them once per distinct value of a column, so they may be plain Python.
"""

from __future__ import annotations

import datetime as dt
import re

from ksmart import reference as ref

Result = tuple[object, "str | None"]

_EXCEL_EPOCH_1900 = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's leap-year bug
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
# A date before MIN_YEAR or more than MAX_YEARS_AHEAD years after today is a typo.
MIN_YEAR = 1990
MAX_YEARS_AHEAD = 30


def as_text(raw: object) -> str:
    """A cell as the text a person sees: 42.0 becomes "42", dates ISO."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        return raw.date().isoformat()
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat()
    return "" if raw is None else str(raw).strip()


def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


PLACEHOLDER_MAX_LENGTH = max(map(len, ref.PLACEHOLDERS))


def is_placeholder(raw: object) -> bool:
    # The length test spares folding every long text cell.
    return isinstance(raw, str) and len(raw.strip()) <= PLACEHOLDER_MAX_LENGTH and ref.fold(raw) in ref.PLACEHOLDERS


# --- text, lists, yes/no -------------------------------------------------------


def parse_text(raw: object) -> Result:
    return as_text(raw) or None, None


_LIST_SEPARATORS = re.compile(r"[;,/\n\r]+")


def parse_list(raw: object) -> Result:
    items = tuple(p.strip() for p in _LIST_SEPARATORS.split(as_text(raw)))
    return tuple(p for p in items if p), None


def parse_yesno(raw: object) -> Result:
    if isinstance(raw, bool):
        return raw, None
    folded = ref.fold(as_text(raw))
    if folded in ref.YES:
        return True, None
    if folded in ref.NO:
        return False, None
    return None, "bad_yesno"


# --- numbers and percentages ------------------------------------------------------

_NUMBER = re.compile(
    r"""^(?P<pre>약|대략|~|±)?\s*
        (?:US\$|\$|₩|￦|USD|KRW)?\s*
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*
        (?:USD|KRW|달러|불|원)?\s*
        (?P<post>\(추정\)|（추정）|추정|\+|내외|이상)?$""",
    re.VERBOSE | re.IGNORECASE,
)


def _number_from_text(text: str) -> tuple[float | None, bool]:
    """(number, approximate) from text such as "$1,234" or "약 100"; None if not a number."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None, False
    number = float(match["num"].replace(",", ""))
    return number, bool(match["pre"] or match["post"])


def parse_number(raw: object) -> Result:
    if isinstance(raw, bool):
        return None, "bad_number"
    if isinstance(raw, (int, float)):
        return (float(raw), None) if raw >= 0 else (None, "bad_number")
    number, approximate = _number_from_text(as_text(raw))
    if number is None:
        return None, "bad_number"
    return number, ("approximate" if approximate else None)


def parse_percent(raw: object) -> Result:
    """A fraction 0–1: `35`, `35%` and `0.35` are all 0.35; `1` is 100 %."""
    if isinstance(raw, bool):
        return None, "bad_percent"
    text = as_text(raw)
    has_sign = text.endswith("%") or text.endswith("％")
    if isinstance(raw, (int, float)):
        number, approximate = float(raw), False
    else:
        number, approximate = _number_from_text(text.rstrip("%％").strip())
    if number is None or number < 0:
        return None, "bad_percent"
    fraction = number / 100 if has_sign or number > 1 else number
    if fraction > 1:
        return None, "bad_percent"
    return fraction, ("approximate" if approximate else None)


# --- dates ------------------------------------------------------------------------

_YMD_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})\s*\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일?$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*\.?$"),
    re.compile(r"^(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월(?:\s*중)?$"),
]
_QUARTER_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*[-./]?\s*(?P<q>[1-4])\s*Q$", re.IGNORECASE),
    re.compile(r"^(?P<y>\d{4})\s*[-./]?\s*Q\s*(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^(?P<y>\d{4})\s*년\s*(?P<q>[1-4])\s*분기$"),
]


def _date_from_text(text: str) -> tuple[dt.date | None, bool]:
    """(date, approximate): a month or quarter is read as its first day."""
    for pattern in _YMD_PATTERNS:
        if match := pattern.match(text):
            return _safe_date(int(match["y"]), int(match["m"]), int(match["d"])), False
    for pattern in _MONTH_PATTERNS:
        if match := pattern.match(text):
            return _safe_date(int(match["y"]), int(match["m"]), 1), True
    for pattern in _QUARTER_PATTERNS:
        if match := pattern.match(text):
            return _safe_date(int(match["y"]), 3 * int(match["q"]) - 2, 1), True
    return None, False


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_from_number(number: float, date1904: bool) -> dt.date | None:
    if number.is_integer() and 19000101 <= number <= 29991231:
        digits = str(int(number))
        return _safe_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if 1 <= number < 2_958_466:  # Excel's serial range (up to 9999-12-31)
        epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH_1900
        return epoch + dt.timedelta(days=int(number))
    return None


def parse_date(raw: object, *, date1904: bool = False, today: dt.date | None = None) -> Result:
    approximate = False
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, bool):
        day = None
    elif isinstance(raw, (int, float)):
        day = _date_from_number(float(raw), date1904)
    else:
        day, approximate = _date_from_text(as_text(raw))
    if day is None:
        return None, "bad_date"
    today = today or dt.date.today()
    if day.year < MIN_YEAR or day > _add_years(today, MAX_YEARS_AHEAD):
        return None, "bad_date"
    return day, ("approximate" if approximate else None)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- reference values ----------------------------------------------------------------


def parse_enum(raw: object, lookup: ref.Lookup) -> Result:
    key = lookup.resolve(as_text(raw))
    return (key, None) if key else (None, "unknown_value")


def parse_agency(raw: object) -> Result:
    """Canonical key of a public agency, or the name as written (a company)."""
    text = as_text(raw)
    return ref.AGENCIES.resolve(text) or text, None


def parse_country(raw: object) -> Result:
    from ksmart import countries

    iso3 = countries.resolve(as_text(raw))
    return (iso3, None) if iso3 else (None, "unknown_country")


def parse_agencies(raw: object) -> Result:
    """A list of agencies: canonical keys for known ones, others as written (companies)."""
    items, _ = parse_list(raw)
    return tuple(ref.AGENCIES.resolve(item) or item for item in items), None


def parse_meeting(raw: object, *, date1904: bool = False) -> Result:
    """A meeting as the analyst named it: an event id (text) or a date cell (ISO text).

    Which event it is depends on the events of the file and of the store, so
    `ksmart.ingest.meetings` resolves it once every sheet is read.
    """
    if isinstance(raw, (dt.date, int, float)) and not isinstance(raw, bool):
        day, problem = parse_date(raw, date1904=date1904)
        return (day.isoformat(), None) if day and problem is None else (None, "bad_date")
    return as_text(raw) or None, None


def parse_technologies(raw: object) -> Result:
    """Catalogue keys for known names; unknown names kept as written and warned."""
    items, _ = parse_list(raw)
    keys = tuple(ref.TECHNOLOGIES.resolve(item) or item for item in items)
    unknown = any(key not in ref.TECHNOLOGIES.by_key for key in keys)
    return keys, ("unknown_technology" if unknown else None)
