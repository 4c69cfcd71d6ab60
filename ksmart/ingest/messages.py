"""Validation reason codes: their level, and their messages from the text catalogue.

The level of each code (error, warning, info) is decided here; its Korean and
English message is the catalogue's `reason.<code>` text (`ksmart/catalogue/`),
so the CLI, the Data page and the report download say the same thing.
Templates are `str.format` strings over the issue's details (column, value,
allowed, suggestions, first_row, limit, …); a detail named `x_ko` / `x_en`
fills `{x}` in that language, and a missing detail renders empty.
"""

from __future__ import annotations

from ksmart import i18n

ERROR, WARNING, INFO = "error", "warning", "info"

# code -> level; the message of each is the catalogue's `reason.<code>`.
REASONS: dict[str, str] = {
    # errors: block the import
    "missing_column": ERROR,
    "no_header": ERROR,
    "required": ERROR,
    "unknown_value": ERROR,
    "unknown_country": ERROR,
    "duplicate_id": ERROR,
    "bad_number": ERROR,
    "bad_percent": ERROR,
    "bad_date": ERROR,
    "bad_yesno": ERROR,
    "too_long": ERROR,
    "control_character": ERROR,
    "unknown_project": ERROR,
    "formula_no_value": ERROR,
    "too_many_rows": ERROR,
    "unknown_meeting": ERROR,
    "not_a_meeting": ERROR,
    "ambiguous_meeting": ERROR,
    # warnings: shown, import allowed
    "approximate": WARNING,
    "placeholder": WARNING,
    "unknown_technology": WARNING,
    "duplicate_column": WARNING,
    "reference_date_mismatch": WARNING,
    "done_on_missing": WARNING,
    "older_than_stored": WARNING,  # the store's (ksmart.store.importing), not the file's
    "reference_date_raised": WARNING,
    "as_of_today": WARNING,
    # info
    "unknown_sheet": INFO,
    "unknown_column": INFO,
    "footnote": INFO,
    "reference_date_found": INFO,
}


# A report lists at most this many problems of one reason code and counts the rest
# (workbook.md): a file with a million bad cells still gets a readable report in bounded memory.
MAX_PER_CODE = 1_000


class IssueBound:
    """How many problems of each code a report has taken, and how many it left out."""

    def __init__(self, limit: int = MAX_PER_CODE):
        self.limit = limit
        self.taken: dict[str, int] = {}
        self.omitted: dict[str, int] = {}

    def room(self, code: str) -> bool:
        """Whether one more problem of `code` would be listed (worth computing its details)."""
        return self.taken.get(code, 0) < self.limit

    def admit(self, code: str) -> bool:
        """Count one problem of `code`: True when it is listed, False when only counted."""
        if self.room(code):
            self.taken[code] = self.taken.get(code, 0) + 1
            return True
        self.omitted[code] = self.omitted.get(code, 0) + 1
        return False

    def admitted(self, issues):
        """The issues of `issues` that are listed (the rest counted)."""
        return [issue for issue in issues if self.admit(issue.code)]


def level_of(code: str) -> str:
    return REASONS[code]


def template(code: str, lang: str) -> str:
    """The raw message template of reason `code` in `lang` (placeholders unfilled)."""
    if code not in REASONS:
        raise KeyError(code)
    return i18n.template(f"reason.{code}", lang)


def render(code: str, lang: str, details: dict) -> str:
    """The message in `lang`; a detail named `x_ko` / `x_en` fills `{x}`."""
    fields = dict(details)
    suffix = f"_{lang}"
    for name, value in details.items():
        if name.endswith(suffix):
            fields[name[: -len(suffix)]] = value
    return i18n.fill(template(code, lang), fields, lenient=True)
