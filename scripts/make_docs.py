"""Write docs/reference.md from ksmart's own tables, so the docs cannot drift.

Everything in that file comes from the code: the sheets and columns of the
workbook (`ksmart.reference.SHEETS`: headers, types, required, rules, the
template's Korean help), the value types' dtypes (`ksmart.frames.DTYPES`),
the reference tables (stages, statuses, subcommittees, technologies, agencies,
event types, regions), the spellings read as yes, no and empty, and the
validation reason codes with their level and message templates in Korean and
English (`ksmart.ingest.messages`). The hand-written pages in docs/ link here.

    .venv/bin/python scripts/make_docs.py          # rewrite docs/reference.md (`make docs`)
    .venv/bin/python scripts/make_docs.py --check  # exit 1 when the committed file differs

tests/test_docs_links.py fails when the committed file is not what this writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ksmart import countries, frames  # noqa: E402
from ksmart import reference as ref  # noqa: E402
from ksmart.ingest import messages  # noqa: E402

REFERENCE = Path("docs") / "reference.md"

# Reference tables that an enum column may name, by the heading they get below.
_TABLES = [
    ("Stages", ref.STAGES),
    ("Statuses", ref.STATUSES),
    ("Subcommittees", ref.SUBCOMMITTEES),
    ("Technologies", ref.TECHNOLOGIES),
    ("Agencies", ref.AGENCIES),
    ("Event types", ref.EVENT_TYPES),
    ("Action statuses", ref.ACTION_STATUSES),
    ("Regions", countries.REGIONS),
]
_LEVELS = (messages.ERROR, messages.WARNING, messages.INFO)


def _cell(text: object) -> str:
    """A markdown table cell: pipes escaped, line breaks flattened."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: object) -> str:
    """Inline code that survives any backtick inside it."""
    text = str(text)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _codes(items) -> str:
    return ", ".join(_code(i) for i in items)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading made of ASCII words and spaces."""
    return "".join(c for c in heading.lower() if c.isalnum() or c in " -_").replace(" ", "-")


def _table_of(lookup) -> str | None:
    return next((title for title, table in _TABLES if table is lookup), None)


def _rule(col: ref.Column) -> str:
    rules = []
    if col.unique:
        rules.append("unique in the sheet (trimmed, any case)")
    if col.max_length:
        rules.append(f"at most {col.max_length:,} characters")
    if col.type == ref.ENUM and col.enum is not None:
        title = _table_of(col.enum)
        rules.append(f"one of [{title}](#{_anchor(title)})" if title else "one of " + _codes(col.enum.keys))
    if col.type == ref.AGENCY:
        rules.append("an [agency](#agencies), or a name kept as written")
    if col.type == ref.COUNTRY:
        rules.append("a country name (Korean or English) or ISO code, stored as ISO alpha-3")
    if col.key == "technologies":
        rules.append("names from [Technologies](#technologies); others kept and warned")
    elif col.type == ref.LIST and col.items is ref.AGENCIES:
        rules.append("[agencies](#agencies), each kept as written when not one of them")
    if col.type == ref.MEETING:
        rules.append("an event id, else the date of a steering committee; stored as that event's id")
    return "; ".join(rules)


def _sheets() -> list[str]:
    out = ["## Sheets", "",
           "Sheet names are matched after folding (see [Folding](#folding)); any of the names accepted "
           "names the sheet. Other sheets are skipped (`unknown_sheet`, info).", ""]
    rows = [[_code(s.key), s.ko, s.en, ", ".join(s.names), _code(s.id_column) if s.id_column else "",
             f"[columns](#{_anchor('Columns of ' + s.key)})"]
            for s in ref.SHEETS.values()]
    out += _table(["sheet", "Korean", "English", "names accepted", "id column", ""], rows)
    for sheet in ref.SHEETS.values():
        out += [f"### Columns of {sheet.key}", "",
                f"The first Korean header is the one the template writes ({sheet.ko} sheet); "
                "every header listed names the column.", ""]
        rows = [[_code(c.key), ", ".join(c.ko), ", ".join(c.en), c.type, "yes" if c.required else "",
                 _rule(c), getattr(c, "help_ko", "")]
                for c in sheet.columns]
        out += _table(["key", "Korean headers", "English headers", "type", "required", "rule", "template comment (Korean)"],
                      rows)
    return out


def _types() -> list[str]:
    out = ["## Value types", "",
           "Each column type has one parser in `ksmart/ingest/values.py` and one dtype in "
           "`ksmart/frames.py`, the shape every part of ksmart passes on.", ""]
    types = [ref.TEXT, ref.ENUM, ref.COUNTRY, ref.AGENCY, ref.LIST, ref.NUMBER, ref.PERCENT, ref.DATE, ref.YESNO,
             ref.MEETING]
    dtype = {**frames.DTYPES, ref.LIST: "object (tuples of str)"}
    out += _table(["type", "dtype in frames"], [[_code(t), _code(dtype[t])] for t in types])
    return out


def _folding() -> list[str]:
    # Spellings of the tables themselves, written the ways analysts write them.
    ict, energy_env = ref.SUBCOMMITTEES.by_key["ict"], ref.SUBCOMMITTEES.by_key["energy_env"]
    krw, stage = ref.PROJECTS.by_key["value_krw_100m"].header_ko, ref.PROJECTS.by_key["stage"].header_ko
    examples = [ict.en.upper(), ict.en.lower().replace(" ", "  "), ict.ko,
                krw.replace("(", "\uff08").replace(")", "\uff09"), f"{stage} *", energy_env.ko.replace("\u00b7", "\u318d")]
    out = ["## Folding", "",
           "Headers, sheet names and the values of reference tables are compared after `reference.fold`: "
           "case, spaces, line breaks, a trailing `*`, full-width parentheses and the middle dot do not count. "
           "Computed:", ""]
    out += _table(["written", "compared as"], [[_code(e), _code(ref.fold(e))] for e in examples])
    return out


def _lookup_rows(lookup) -> list[list[object]]:
    return [[_code(e.key), e.ko, e.en, ", ".join(e.aliases)] for e in lookup]


def _reference_tables() -> list[str]:
    out = ["## Reference tables", "",
           "Any spelling in a row (key, Korean, English, aliases) is read as its key, after folding. "
           "Pages, slides and messages show the Korean or English label.", ""]
    for title, lookup in _TABLES:
        out += [f"### {title}", ""]
        if lookup is ref.STAGES:
            rows = [[s.number, _code(s.key), s.ko, s.en, f"{s.default_probability:.0%}", ", ".join(s.aliases)]
                    for s in lookup]
            out += _table(["#", "key", "Korean", "English", "default win probability", "aliases"], rows)
            out += [f"Open (pipeline) stages: {_codes(ref.OPEN_STAGES)}. Won: {_codes(ref.WON_STAGES)}. "
                    f"Advanced when active at {_codes(ref.ADVANCED_STAGES)}.", ""]
            continue
        out += _table(["key", "Korean", "English", "aliases"], _lookup_rows(lookup))
        if lookup is ref.STATUSES:
            out += [f"An empty status is {_code(ref.DEFAULT_STATUS)}.", ""]
        if lookup is countries.REGIONS:
            out += ["A country's default region comes from `ksmart/countries.py`; Korean short names and "
                    "aliases of countries from [data/country_aliases.csv](../data/country_aliases.csv).", ""]
    return out


def _spellings() -> list[str]:
    out = ["## Yes, no, empty and footnotes", "",
           "Compared after folding; the forms below are folded.", ""]
    out += _table(["read as", "spellings"], [
        ["yes", _codes(sorted(ref.YES))],
        ["no", _codes(sorted(ref.NO))],
        ["empty, with a `placeholder` warning (in a required cell: `required`)", _codes(sorted(ref.PLACEHOLDERS))],
    ])
    out += ["A row whose first non-empty cell begins with one of " + _codes(ref.FOOTNOTE_PREFIXES)
            + " (any case) and that has nothing in any other recognised column is a footnote (`footnote`, info).",
            "",
            "A workbook whose title rows contain " + _codes(ref.ILLUSTRATIVE_MARKERS)
            + " is illustrative sample data: every page and slide showing it says so.", ""]
    return out


def _reasons() -> list[str]:
    out = ["## Reason codes", "",
           "Every problem of a validation report carries one of these codes (`code` in `validate --json`), "
           "with its sheet, Excel row, column as written and value. Errors block the import; warnings are "
           "shown and the import is allowed; info is for the record. `{name}` is filled from the problem's "
           "details; `{name:X/Y}` picks the Korean particle (X after a final consonant, Y after a vowel) that agrees with the word. "
           "Whole-file problems (not an .xlsx, encrypted, too large, zip bomb…) are not listed here: they "
           "reject the file before any sheet is read (exit code 2).", ""]
    codes = sorted(messages.REASONS, key=lambda c: (_LEVELS.index(messages.REASONS[c]), list(messages.REASONS).index(c)))
    rows = [[_code(c), messages.REASONS[c], _code(messages.template(c, "ko")), _code(messages.template(c, "en"))]
            for c in codes]
    out += _table(["code", "level", "Korean", "English"], rows)
    return out


def render() -> str:
    lines = ["<!-- Generated by scripts/make_docs.py from ksmart's tables (`make docs`); do not edit by hand. -->",
             "", "# Reference: the workbook's sheets, columns, tables and reason codes", "",
             "What the code declares, written out: `ksmart/reference.py` (sheets, columns, stages, statuses, "
             "subcommittees, technologies, agencies, event types), `ksmart/countries.py` (regions), "
             "`ksmart/frames.py` (dtypes) and `ksmart/ingest/messages.py` (reason codes). How a workbook is "
             "read and checked: [workbook.md](workbook.md); the metrics: [metrics.md](metrics.md).", "",
             "Contents: [Sheets](#sheets) · [Value types](#value-types) · [Folding](#folding) · "
             "[Reference tables](#reference-tables) · [Yes, no, empty and footnotes](#yes-no-empty-and-footnotes) · "
             "[Reason codes](#reason-codes)", ""]
    for part in (_sheets, _types, _folding, _reference_tables, _spellings, _reasons):
        lines += part()
    return "\n".join(lines).rstrip("\n") + "\n"


def outputs() -> dict[Path, str]:
    """Each generated file (relative to the repository root) and its text."""
    return {REFERENCE: render()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a file differs")
    args = parser.parse_args(argv)
    stale = []
    for rel, text in outputs().items():
        path = ROOT / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(rel)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
    if args.check and stale:
        print("out of date (run `make docs`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
