"""Validation reason codes: their level and their Korean and English messages.

One table, so the CLI, the Data page and the report download say the same
thing. Templates are `str.format` strings over the issue's details (column,
value, allowed, suggestions, first_row, limit, …).
"""

from __future__ import annotations

from dataclasses import dataclass

from ksmart import korean

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Reason:
    level: str
    ko: str
    en: str


REASONS: dict[str, Reason] = {
    # errors: block the import
    "missing_column": Reason(
        ERROR,
        "필수 열 '{column}'{column:이/가} 없습니다. 머리글 행에 '{column}' 열을 추가하세요.",
        "Required column '{column}' is missing. Add a '{column}' column to the header row.",
    ),
    "no_header": Reason(
        ERROR,
        "머리글 행을 찾지 못했습니다. 처음 30행 안에 '{expected}' 같은 열 이름이 세 개 이상 있는 행이 있어야 합니다.",
        "No header row found: one of the first 30 rows must name at least three columns such as '{expected}'.",
    ),
    "required": Reason(
        ERROR,
        "'{column}'{column:은/는} 필수 항목인데 비어 있습니다.",
        "'{column}' is required but empty.",
    ),
    "unknown_value": Reason(
        ERROR,
        "'{value}'{value:은/는} '{column}'에 쓸 수 없는 값입니다. 가능한 값: {allowed}",
        "'{value}' is not a valid '{column}'. Allowed: {allowed}",
    ),
    "unknown_country": Reason(
        ERROR,
        "국가 '{value}'{value:을/를} 알 수 없습니다. 국가명이나 ISO 코드(예: KWT)를 쓰세요.{suggestions}",
        "Unknown country '{value}'. Use a country name or ISO code (e.g. KWT).{suggestions}",
    ),
    "duplicate_id": Reason(
        ERROR,
        "'{value}'{value:은/는} {first_row}행과 같은 ID입니다. ID는 중복될 수 없습니다.",
        "'{value}' repeats the ID of row {first_row}. IDs must be unique.",
    ),
    "bad_number": Reason(
        ERROR,
        "'{value}'{value:은/는} 0 이상의 숫자가 아닙니다. 예: 1,234 또는 1234.5 (쉼표는 천 단위 구분에만)",
        "'{value}' is not a number ≥ 0. E.g. 1,234 or 1234.5 (commas only as thousands separators).",
    ),
    "bad_percent": Reason(
        ERROR,
        "'{value}'{value:은/는} 0–100% 사이의 비율이 아닙니다. 예: 35%, 35, 0.35",
        "'{value}' is not a percentage between 0 and 100 %. E.g. 35%, 35, 0.35.",
    ),
    "bad_date": Reason(
        ERROR,
        "'{value}'{value:은/는} 날짜로 읽을 수 없습니다. 예: 2016-09-08, 2016.9.8, 2016년 9월 8일 (1990년 이후, 연도 필수)",
        "'{value}' is not a date. E.g. 2016-09-08, 2016.9.8 (year required, 1990 or later).",
    ),
    "bad_yesno": Reason(
        ERROR,
        "'{value}'{value:은/는} 예/아니오 값이 아닙니다. Y 또는 N을 쓰세요.",
        "'{value}' is not yes/no. Use Y or N.",
    ),
    "too_long": Reason(
        ERROR,
        "'{column}'{column:이/가} {length}자로 너무 깁니다 (최대 {limit}자).",
        "'{column}' has {length} characters; at most {limit} are allowed.",
    ),
    "unknown_project": Reason(
        ERROR,
        "관련 사업 '{value}'{value:이/가} 사업 목록에 없습니다. 사업 시트의 사업ID를 쓰세요.",
        "Project '{value}' is not in the projects. Use a Project ID from the projects sheet.",
    ),
    "formula_no_value": Reason(
        ERROR,
        "수식의 계산된 값이 저장되어 있지 않습니다. Excel에서 파일을 열어 다시 저장하거나 값으로 붙여넣으세요.",
        "The formula has no saved value. Open and save the file in Excel, or paste values.",
    ),
    "too_many_rows": Reason(
        ERROR,
        "데이터 행이 {count:,}개로 한도 {limit:,}개를 넘습니다.",
        "{count:,} data rows exceed the limit of {limit:,}.",
    ),
    # warnings: shown, import allowed
    "approximate": Reason(
        WARNING,
        "'{value}'{value:을/를} 근사값 {parsed}{parsed:으로/로} 읽었습니다.",
        "'{value}' was read as the approximate value {parsed}.",
    ),
    "placeholder": Reason(
        WARNING,
        "'{value}'{value:은/는} 빈 값으로 처리했습니다.",
        "'{value}' was read as empty.",
    ),
    "unknown_technology": Reason(
        WARNING,
        "요소기술 '{unknown}'{unknown:은/는} 기술 목록에 없어 적힌 그대로 저장합니다. 목록: {allowed}",
        "Technology '{unknown}' is not in the catalogue and is kept as written. Catalogue: {allowed}",
    ),
    "duplicate_column": Reason(
        WARNING,
        "'{column}' 열이 {first_column}열과 같은 항목이라 무시합니다 (앞의 열을 사용).",
        "Column '{column}' repeats column {first_column} and is ignored (the first one counts).",
    ),
    "reference_date_mismatch": Reason(
        WARNING,
        "파일의 기준일({file_date})이 지정한 기준일({given_date})과 다릅니다. 지정한 기준일을 씁니다.",
        "The file's reference date ({file_date}) differs from the one given ({given_date}); the given one is used.",
    ),
    # info
    "unknown_sheet": Reason(
        INFO,
        "시트 '{sheet}'{sheet:은/는} 알 수 없는 시트라 읽지 않았습니다.",
        "Sheet '{sheet}' is not a known sheet and was skipped.",
    ),
    "unknown_column": Reason(
        INFO,
        "열 '{column}'{column:은/는} 알 수 없는 열이라 읽지 않았습니다.",
        "Column '{column}' is not a known column and was skipped.",
    ),
    "footnote": Reason(INFO, "각주 행으로 보고 건너뛰었습니다.", "Read as a footnote row and skipped."),
    "reference_date_found": Reason(
        INFO,
        "파일에서 기준일 {file_date}{file_date:을/를} 찾았습니다.",
        "Reference date {file_date} found in the file.",
    ),
}


def level_of(code: str) -> str:
    return REASONS[code].level


def template(code: str, lang: str) -> str:
    """The message template of `code` in `lang` ("ko" or "en"), fields unfilled."""
    return REASONS[code].ko if lang == "ko" else REASONS[code].en


def render(code: str, lang: str, details: dict) -> str:
    """The message in `lang`; a detail named `x_ko` / `x_en` fills `{x}`."""
    reason = REASONS[code]
    template = reason.ko if lang == "ko" else reason.en
    fields = _Defaults(details)
    suffix = f"_{lang}"
    for name, value in details.items():
        if name.endswith(suffix):
            fields[name[: -len(suffix)]] = value
    return template.format_map(fields)


class _Defaults(dict):
    """Missing template fields render empty instead of failing."""

    def __missing__(self, key):
        return _Word("")

    def __getitem__(self, key):
        value = super().__getitem__(key)
        return _Word(value) if isinstance(value, str) else value


class _Word(str):
    """Text whose format spec may name a Korean particle: `{value:이/가}` gives 이 or 가."""

    def __format__(self, spec: str) -> str:
        if "/" in spec:
            return korean.particle(str(self), spec)
        return super().__format__(spec)
