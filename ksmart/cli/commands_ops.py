"""Operations: `migrate [--backup-dir DIR] [--no-backup]`, `backup OUT`.

`migrate` is what the service runs before every start (deploy/ksmart@.service):
nothing to do when the schema is current; otherwise a backup first, then the
migration (see `ksmart.store.backup`). A backup's path goes to stdout (for
scripts); what a person reads goes to stderr.
"""

from __future__ import annotations

import sys

from ksmart import settings
from ksmart.cli.commands_store import db_option


def register(sub) -> None:
    p = sub.add_parser("migrate", help="back up the store if its schema is behind, then migrate it")
    p.add_argument("--backup-dir", help="where the backup goes (default: backups/ beside an SQLite store)")
    p.add_argument("--no-backup", action="store_true", help="migrate without a backup (you made your own)")
    db_option(p)
    p.set_defaults(func=run_migrate)

    p = sub.add_parser("backup", help="a consistent copy of the store (SQLite online backup, PostgreSQL pg_dump)")
    p.add_argument("out", help="the backup file to write (never overwritten)")
    db_option(p)
    p.set_defaults(func=run_backup)


def _url(args) -> str:
    return getattr(args, "db", None) or settings.get("KSMART_DB_URL")


def run_migrate(args) -> int:
    from ksmart.store import backup

    done = backup.migrate(_url(args), args.backup_dir, no_backup=args.no_backup)
    ko = args.lang == "ko"
    if done.backup:
        print(done.backup)
        _say(f"백업: {done.backup}" if ko else f"Backup: {done.backup}")
    if done.found == 0:
        _say(f"새 저장소를 만들었습니다 (스키마 버전 {done.reached})." if ko
             else f"Created a new store (schema version {done.reached}).")
    elif done.found == done.reached:
        _say(f"저장소 스키마가 최신입니다 (버전 {done.reached})." if ko
             else f"The store's schema is up to date (version {done.reached}).")
    else:
        _say(f"저장소 스키마를 버전 {done.found}에서 {done.reached}(으)로 올렸습니다." if ko
             else f"Migrated the store's schema from version {done.found} to {done.reached}.")
    return 0


def run_backup(args) -> int:
    from ksmart.store import backup

    out = backup.backup(_url(args), args.out)
    print(out)
    _say(f"백업했습니다: {out}" if args.lang == "ko" else f"Backed up to {out}")
    return 0


def _say(text: str) -> None:
    print(text, file=sys.stderr)
