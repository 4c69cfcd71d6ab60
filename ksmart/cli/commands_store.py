"""Commands on the store: import, versions, rollback, export xlsx, seed (cli.md).

Each one is a thin layer: arguments in, `ksmart.store` / `ksmart.ingest.validation` /
`ksmart.present.exporting` called, a short text (or `--json`) out, and cli.md's exit
code: 0 done, 1 validation errors (nothing written), 2 unusable input or
arguments, 3 store busy or unavailable. A version number goes to stdout (for
scripts); what a person reads about it goes to stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

from ksmart import reference as ref
from ksmart import settings
from ksmart.auth import Actor, cli_actor
from ksmart.cli.output import one_line
from ksmart.cli.registry import Commands
from ksmart.errors import BadArgument, FileRejected
from ksmart.i18n import pair, t

SAMPLE_DIR = settings.DATA_DIR / "sample"
_SHEET_KO = {key: sheet.ko for key, sheet in ref.SHEETS.items()}
# The text tables' columns, headed by the catalogue's cli.audit.* and cli.versions.* texts.
AUDIT_COLUMNS = ("at", "user", "action", "version", "detail")
VERSION_COLUMNS = ("version", "as_of", "committed", "user", "kind")  # then SHA-256, the sheets, the note
ON_CONFLICT = ("fail", "keep", "take")
_PLAN_ATTEMPTS = 3  # a commit that finds a newer version plans again (no person saw the first plan)


# --- arguments --------------------------------------------------------------------


def register(sub) -> None:
    p = sub.add_parser("import", help="validate a workbook, then commit it as a new version")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="the sheets in the file replace the stored ones")
    p.add_argument("--as-of", help=f"reference date ({t('data.reference_date', 'ko')}), YYYY-MM-DD; "
                                   "default: the file's, else today")
    p.add_argument("--user", help="who imports (default: the login name)")
    p.add_argument("--note", default="", help="a note kept with the version")
    p.add_argument("--on-conflict", choices=ON_CONFLICT, default="fail",
                   help="a field changed in the store and in the file since the file's base version: "
                        "fail (default: exit 1, nothing written), keep the stored value, or take the file's")
    p.add_argument("--json", action="store_true", help="print the report and version as JSON")
    db_option(p)
    p.set_defaults(func=run_import)

    p = sub.add_parser("versions", help="list the versions")
    p.add_argument("--json", action="store_true")
    p.add_argument("--audit", action="store_true", help="list the audit log instead (who did what, when)")
    db_option(p)
    p.set_defaults(func=run_versions)

    p = sub.add_parser("rollback", help="make a new version whose content is exactly version N's")
    p.add_argument("number", type=int, metavar="N")
    p.add_argument("--user", help="who rolls back (default: the login name)")
    p.add_argument("--note", default="")
    db_option(p)
    p.set_defaults(func=run_rollback)

    p = export_targets(sub).add_parser("xlsx", help="the stored data as a workbook that import accepts")
    p.add_argument("out")
    p.add_argument("--version", type=int, help="version number (default: the newest)")
    db_option(p)
    p.set_defaults(func=run_export_xlsx)

    p = sub.add_parser("seed", help="load the illustrative sample workbooks as successive versions")
    p.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) when the store has versions")
    p.add_argument("--dir", default=str(SAMPLE_DIR), help=f"folder of dated workbooks (default: {SAMPLE_DIR})")
    db_option(p)
    p.set_defaults(func=run_seed)


def export_targets(sub: Commands) -> Commands:
    """The subcommands of `export` (xlsx here; deck in another module), created once.

    Any module registering an `export X` command calls this, in any order.
    """
    return sub.group("export", dest="export_target", help="write stored data to a file (xlsx, deck)",
                     metavar="{xlsx,deck}")


def db_option(p) -> None:
    # SUPPRESS: given after the command it wins; absent, the top-level --db stays.
    p.add_argument("--db", default=argparse.SUPPRESS, help="store URL (default: KSMART_DB_URL or data/ksmart.db)")


def _store(args):
    from ksmart.store import open_store  # here, so that the other commands run without SQLAlchemy work

    return open_store(getattr(args, "db", None))


def _user(args) -> Actor:
    """Whoever runs the command line holds the store's credentials: an admin actor."""
    if getattr(args, "user", None):
        return cli_actor(args.user)
    try:
        return cli_actor(getpass.getuser())
    except Exception:  # no login name (some containers)
        return cli_actor(os.environ.get("USER") or "cli")


_DATE = re.compile(r"^\s*(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})\.?\s*$|^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_day(text: str | None, option: str = "--as-of") -> date | None:
    """YYYY-MM-DD (also YYYY.MM.DD, YYYY/MM/DD, YYYYMMDD); a bad one is exit 2."""
    if text is None:
        return None
    m = _DATE.match(text)
    try:
        if not m:
            raise ValueError(text)
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        return date(y, mo, d)
    except ValueError:
        raise BadArgument("bad_date", *pair("error.bad_date_option", option=option, text=text)) from None


def _print_json(payload) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def _say(text: str) -> None:
    print(text, file=sys.stderr)


# --- import ------------------------------------------------------------------------


def run_import(args) -> int:
    from ksmart.cli.commands_workbook import rejected_json, report_text
    from ksmart.cli.conflicts import conflict_json, conflict_lines
    from ksmart.store.importing import PlanStale, Resolutions, commit_plan, plan_upload, validate_upload

    as_of = parse_day(args.as_of)
    mode = "replace" if args.replace else "update"
    resolutions = Resolutions(default=None if args.on_conflict == "fail" else args.on_conflict)
    store = _store(args)
    try:
        try:
            result = validate_upload(store, args.file, mode=mode, reference_date=as_of)
        except FileRejected as exc:
            if not args.json:
                raise
            _print_json(rejected_json(exc, args.lang))
            return exc.exit_code
        if not result.ok:
            if args.json:
                _print_json({**result.to_json(args.lang), "version": None, "created": False})
            else:
                _say(report_text(result, args.lang))
            return 1
        for attempt in range(_PLAN_ATTEMPTS):
            plan = plan_upload(store, result, mode=mode, reference_date=as_of, resolutions=resolutions)
            if plan.unresolved:
                break
            try:
                info = commit_plan(store, plan, actor=_user(args), note=args.note, resolutions=resolutions)
                break
            except PlanStale:
                if attempt == _PLAN_ATTEMPTS - 1:
                    raise
        result = plan.result
        latest = store.latest_version() if plan.unresolved or info is None else info.number
        changes = next((a.detail.split(" | ")[0] for a in store.audit()[:1]
                        if not plan.unresolved and info and a.version == info.number), "")
    finally:
        store.close()
    merge = {"base": plan.base, "conflicts": [conflict_json(c, args.lang, plan.result.sheet_names) for c in plan.conflicts],
             "kept_added": {k: sorted(v) for k, v in plan.kept_added.items()}}
    if plan.unresolved:
        if args.json:
            _print_json({**result.to_json(args.lang), **merge, "ok": False, "version": None, "created": False})
        else:
            _say("\n".join(conflict_lines(plan.unresolved, args.lang, plan.result.sheet_names)))
            _say(t("merge.conflicts_found", args.lang, count=len(plan.unresolved), base=plan.base))
        return 1
    if args.json:
        _print_json({**result.to_json(args.lang), **merge, "version": latest, "created": info is not None,
                     **({"reference_date": info.reference_date, "counts": info.counts} if info else {})})
        return 0
    print(latest)
    if result.warnings:
        _say(report_text(result, args.lang))
    for line in conflict_lines(plan.conflicts, args.lang, plan.result.sheet_names, kept=plan.kept_added):
        _say(line)
    if plan.base is not None:
        _say(t("merge.based", args.lang, base=plan.base, conflicts=len(plan.conflicts), policy=args.on_conflict))
    if info is None:
        _say(t("cli.import.unchanged", args.lang, version=latest))
    else:
        _say(_version_line(info, args.lang) + (f" ({changes})" if changes else ""))
    return 0


def _version_line(info, lang: str) -> str:
    counts = ", ".join(f"{_SHEET_KO[k] if lang == 'ko' else k} {v}" for k, v in info.counts.items())
    return t("cli.import.committed", lang, version=info.number, date=info.reference_date, counts=counts)


# --- versions, rollback ----------------------------------------------------------------


def version_json(info) -> dict:
    return {
        "version": info.number, "reference_date": info.reference_date.isoformat(),
        "committed_at": settings.local_time(info.committed_at).isoformat(), "user": info.user, "sha256": info.sha256,
        "counts": info.counts, "note": info.note, "mode": info.mode, "kind": info.kind,
        "illustrative": info.illustrative,
    }


def run_versions(args) -> int:
    store = _store(args)
    try:
        if args.audit:
            entries = store.audit()
        else:
            infos = store.versions()
    finally:
        store.close()
    if args.audit:
        if args.json:
            _print_json([{"at": settings.local_time(e.at).isoformat(), "user": e.user, "action": e.action, "version": e.version,
                          "detail": e.detail} for e in entries])
        else:
            head = [t(f"cli.audit.{c}", args.lang) for c in AUDIT_COLUMNS]
            print(_table(head, [[f"{settings.local_time(e.at):%Y-%m-%d %H:%M:%S %Z}", e.user, e.action, e.version, e.detail] for e in entries]))
        return 0
    if args.json:
        _print_json([version_json(i) for i in infos])
        return 0
    head = [*(t(f"cli.versions.{c}", args.lang) for c in VERSION_COLUMNS),
            "SHA-256", *(_SHEET_KO.values() if args.lang == "ko" else ref.SHEETS), t("cli.versions.note", args.lang)]
    sample = t("cli.versions.sample", args.lang)
    rows = [
        [i.number, i.reference_date, f"{settings.local_time(i.committed_at):%Y-%m-%d %H:%M:%S %Z}", i.user,
         i.kind if i.kind != "import" else i.mode, i.sha256[:12],
         *(i.counts.get(k, 0) for k in ref.SHEETS), i.note + (f" [{sample}]" if i.illustrative else "")]
        for i in infos
    ]
    print(_table(head, rows) if rows else t("cli.versions.none", args.lang))
    return 0


def run_rollback(args) -> int:
    store = _store(args)
    try:
        info = store.rollback(args.number, user=_user(args), note=args.note)
    finally:
        store.close()
    print(info.number)
    _say(t("cli.rolled_back", args.lang, target=args.number, version=info.number))
    return 0


# --- export, seed ----------------------------------------------------------------------


def run_export_xlsx(args) -> int:
    from ksmart.present.exporting import write_xlsx

    store = _store(args)
    try:
        snapshot = store.read(args.version)
        store_id = store.store_id()
    finally:
        store.close()
    if snapshot.version is None:
        raise BadArgument("empty_store", *pair("error.empty_store"))
    info = snapshot.version
    write_xlsx(snapshot.frames, args.out, reference_date=info.reference_date, illustrative=info.illustrative,
               version=info.number, store_id=store_id)
    print(args.out)
    _say(t("cli.exported", args.lang, version=info.number, date=info.reference_date))
    return 0


_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def run_seed(args) -> int:
    from ksmart.cli.commands_workbook import report_text
    from ksmart.ingest.validation import validate_workbook

    files = sorted(Path(args.dir).glob("*.xlsx"))
    if not files:
        raise BadArgument("no_sample", *pair("error.no_sample", dir=args.dir))
    store = _store(args)
    try:
        if store.latest_version() is not None:
            if args.if_empty:
                _say(t("cli.seed.not_empty", args.lang))
                return 0
            raise BadArgument("store_not_empty", *pair("error.store_not_empty"))
        uploads = []
        for path in files:
            result = validate_workbook(path)
            if not result.ok:
                _say(f"{path.name}:\n{report_text(result, args.lang)}")
                return 1
            uploads.append({
                "frames": result.frames, "mode": "replace", "user": cli_actor("seed"), "kind": "seed",
                "reference_date": result.reference_date or _date_in_name(path) or date.today(),
                "note": path.name, "sha256": result.sha256, "illustrative": result.illustrative,
            })
        uploads.sort(key=lambda u: (u["reference_date"], u["note"]))
        created = store.import_batch(uploads, only_if_empty=True)
    finally:
        store.close()
    for info in created:
        print(info.number)
        _say(_version_line(info, args.lang) + f" ({info.note})")
    return 0


def _date_in_name(path: Path) -> date | None:
    m = _FILE_DATE.search(path.stem)
    try:
        return date(*map(int, m.groups())) if m else None
    except ValueError:
        return None


# --- text table ------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: list, rows: list[list]) -> str:
    cells = [[str(c) for c in headers]] + [["" if c is None else one_line(c) for c in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells
    )
