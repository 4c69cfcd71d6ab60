"""Commands on workbooks: `validate FILE [--json]`, `template OUT.xlsx`."""

from __future__ import annotations

import json

from ksmart.errors import FileRejected
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
    labels = {"ko": {"error": "오류", "warning": "경고", "info": "참고"},
              "en": {"error": "ERROR", "warning": "WARNING", "info": "INFO"}}[lang]
    lines = []
    for issue in result.errors + result.warnings + result.info:
        where = " ".join(p for p in (
            issue.sheet and f"[{issue.sheet}]",
            issue.row and (f"{issue.row}행" if lang == "ko" else f"row {issue.row}"),
            issue.column and f"'{issue.column}'",
        ) if p)
        lines.append(f"{labels[issue.level]:<8} {where + ': ' if where else ''}{issue.message(lang)}")
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    if lang == "ko":
        lines.append(f"결과: 오류 {len(result.errors)}건, 경고 {len(result.warnings)}건 ({counts})")
    else:
        lines.append(f"Result: {len(result.errors)} error(s), {len(result.warnings)} warning(s) ({counts})")
    return "\n".join(lines)
