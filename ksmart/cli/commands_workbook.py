"""Commands on workbooks: `validate FILE [--json]`, `template OUT.xlsx`."""

from __future__ import annotations

import json

from ksmart.cli.output import one_line
from ksmart.errors import FileRejected
from ksmart.i18n import t
from ksmart.ingest.template import write_template
from ksmart.ingest.validation import ValidationResult, validate_workbook


def register(sub) -> None:
    validate = sub.add_parser("validate", help="check a workbook; write nothing")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.set_defaults(func=run_validate)

    template = sub.add_parser("template", help="write an empty workbook to fill in")
    template.add_argument("out")
    template.set_defaults(func=run_template)


def run_validate(args) -> int:
    try:
        result = validate_workbook(args.file)
    except FileRejected as exc:
        if not args.json:
            raise
        print_json(rejected_json(exc, args.lang))
        return exc.exit_code
    if args.json:
        print_json(result.to_json(args.lang))
    else:
        print(report_text(result, args.lang))
    return 0 if result.ok else 1


def run_template(args) -> int:
    write_template(args.out)
    print(args.out)
    return 0


def print_json(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def rejected_json(exc: FileRejected, lang: str) -> dict:
    """A whole-file rejection in the shape of the validation report (no sheet, no row)."""
    issue = {"sheet": None, "row": None, "column": None, "value": None, "code": exc.code, "message": exc.message(lang)}
    return {"ok": False, "errors": [issue], "warnings": [], "info": [], "counts": {}}


def report_text(result: ValidationResult, lang: str) -> str:
    """The report as lines a person reads: one per issue, located, then a summary."""
    lines = []
    for issue in result.errors + result.warnings + result.info:
        where = " ".join(p for p in (
            issue.sheet and f"[{issue.sheet}]",
            issue.row and t("cli.report.row", lang, row=issue.row),
            issue.column and f"'{one_line(issue.column)}'",
        ) if p)
        lines.append(f"{t(f'cli.report.{issue.level}', lang):<8} {where + ': ' if where else ''}"
                     f"{one_line(issue.message(lang))}")
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    lines.append(t("cli.report.result", lang, errors=len(result.errors), warnings=len(result.warnings), counts=counts))
    return "\n".join(lines)
