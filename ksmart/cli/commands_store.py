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
from ksmart.cli.registry import Commands
from ksmart.errors import BadArgument, FileRejected

SAMPLE_DIR = settings.DATA_DIR / "sample"
_SHEET_KO = {key: sheet.ko for key, sheet in ref.SHEETS.items()}


# --- arguments --------------------------------------------------------------------


def register(sub) -> None:
    p = sub.add_parser("import", help="validate a workbook, then commit it as a new version")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="the sheets in the file replace the stored ones")
    p.add_argument("--as-of", help="reference date (기준일), YYYY-MM-DD; default: the file's, else today")
    p.add_argument("--user", help="who imports (default: the login name)")
    p.add_argument("--note", default="", help="a note kept with the version")
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
        raise BadArgument("bad_date", f"{option}: 날짜를 읽을 수 없습니다: {text} (예: 2016-09-30)",
                          f"{option}: not a date: {text} (e.g. 2016-09-30)") from None


def _print_json(payload) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def _say(text: str) -> None:
    print(text, file=sys.stderr)


# --- import ------------------------------------------------------------------------


def run_import(args) -> int:
    from ksmart.cli.commands_workbook import rejected_json, report_text
    from ksmart.store.importing import commit_upload, validate_upload

    as_of = parse_day(args.as_of)
    mode = "replace" if args.replace else "update"
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
        info = commit_upload(store, result, mode=mode, actor=_user(args), note=args.note)
        latest = info.number if info else store.latest_version()
        changes = next((a.detail.split(" | ")[0] for a in store.audit()[:1] if info and a.version == info.number), "")
    finally:
        store.close()
    if args.json:
        _print_json({**result.to_json(args.lang), "version": latest, "created": info is not None,
                     **({"reference_date": info.reference_date, "counts": info.counts} if info else {})})
        return 0
    print(latest)
    if result.warnings:
        _say(report_text(result, args.lang))
    if info is None:
        _say(f"변경 사항이 없어 새 버전을 만들지 않았습니다 (현재 버전 {latest})." if args.lang == "ko"
             else f"Nothing changed; no new version (current version {latest}).")
    else:
        _say(_version_line(info, args.lang) + (f" ({changes})" if changes else ""))
    return 0


def _version_line(info, lang: str) -> str:
    counts = ", ".join(f"{_SHEET_KO[k] if lang == 'ko' else k} {v}" for k, v in info.counts.items())
    if lang == "ko":
        return f"버전 {info.number} 반영: 기준일 {info.reference_date}, {counts}"
    return f"Version {info.number} committed: as of {info.reference_date}, {counts}"


# --- versions, rollback ----------------------------------------------------------------


def version_json(info) -> dict:
    return {
        "version": info.number, "reference_date": info.reference_date.isoformat(),
        "committed_at": info.committed_at.isoformat(), "user": info.user, "sha256": info.sha256,
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
            _print_json([{"at": e.at.isoformat(), "user": e.user, "action": e.action, "version": e.version,
                          "detail": e.detail} for e in entries])
        else:
            head = ["시각", "사용자", "작업", "버전", "내용"] if args.lang == "ko" else ["At", "User", "Action", "Version", "Detail"]
            print(_table(head, [[f"{e.at:%Y-%m-%d %H:%M:%S}", e.user, e.action, e.version, e.detail] for e in entries]))
        return 0
    if args.json:
        _print_json([version_json(i) for i in infos])
        return 0
    if args.lang == "ko":
        head = ["버전", "기준일", "반영 시각(UTC)", "사용자", "구분", "SHA-256", *_SHEET_KO.values(), "메모"]
    else:
        head = ["Version", "As of", "Committed (UTC)", "User", "Kind", "SHA-256", *ref.SHEETS, "Note"]
    rows = [
        [i.number, i.reference_date, f"{i.committed_at:%Y-%m-%d %H:%M:%S}", i.user,
         i.kind if i.kind != "import" else i.mode, i.sha256[:12],
         *(i.counts.get(k, 0) for k in ref.SHEETS), i.note + (" [예시]" if i.illustrative else "")]
        for i in infos
    ]
    print(_table(head, rows) if rows else ("저장된 버전이 없습니다." if args.lang == "ko" else "No versions yet."))
    return 0


def run_rollback(args) -> int:
    store = _store(args)
    try:
        info = store.rollback(args.number, user=_user(args), note=args.note)
    finally:
        store.close()
    print(info.number)
    _say(f"버전 {args.number}의 내용으로 버전 {info.number}을(를) 만들었습니다." if args.lang == "ko"
         else f"Version {info.number} holds version {args.number}'s content.")
    return 0


# --- export, seed ----------------------------------------------------------------------


def run_export_xlsx(args) -> int:
    from ksmart.present.exporting import write_xlsx

    store = _store(args)
    try:
        snapshot = store.read(args.version)
    finally:
        store.close()
    if snapshot.version is None:
        raise BadArgument("empty_store", "저장된 데이터가 없습니다. 먼저 import 또는 seed를 실행하세요.",
                          "The store is empty. Run import or seed first.")
    info = snapshot.version
    write_xlsx(snapshot.frames, args.out, reference_date=info.reference_date, illustrative=info.illustrative,
               version=info.number)
    print(args.out)
    _say(f"버전 {info.number} (기준일 {info.reference_date})" if args.lang == "ko"
         else f"Version {info.number} (as of {info.reference_date})")
    return 0


_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def run_seed(args) -> int:
    from ksmart.cli.commands_workbook import report_text
    from ksmart.ingest.validation import validate_workbook

    files = sorted(Path(args.dir).glob("*.xlsx"))
    if not files:
        raise BadArgument("no_sample", f"예시 데이터 파일이 없습니다: {args.dir}", f"No sample workbooks in {args.dir}")
    store = _store(args)
    try:
        if store.latest_version() is not None:
            if args.if_empty:
                _say("저장소에 이미 데이터가 있어 예시 데이터를 넣지 않았습니다." if args.lang == "ko"
                     else "The store already holds data; nothing seeded.")
                return 0
            raise BadArgument("store_not_empty", "저장소가 비어 있지 않습니다. seed는 빈 저장소에만 실행합니다 (--if-empty 참고).",
                              "The store is not empty; seed only loads an empty store (see --if-empty).")
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
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells
    )
