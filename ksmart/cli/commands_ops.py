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
from ksmart.i18n import t


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
    lang = args.lang
    if done.backup:
        print(done.backup)
        _say(t("cli.migrate.backup", lang, path=done.backup))
    if done.found == 0:
        _say(t("cli.migrate.created", lang, reached=done.reached))
    elif done.found == done.reached:
        _say(t("cli.migrate.current", lang, reached=done.reached))
    else:
        _say(t("cli.migrate.migrated", lang, found=done.found, reached=done.reached))
    _report_users(_url(args), lang)
    return 0


def _report_users(url: str, lang: str) -> None:
    """What the password policy cannot vouch for (`Store.password_report`); weak ones must change."""
    from ksmart.auth import cli_actor
    from ksmart.store import open_store

    with open_store(url) as store:
        report = store.password_report(by=cli_actor())
    for twins in report["twins"]:
        _say(t("security.report_twins", lang, names=" / ".join(twins)))
    if report["weak"]:
        _say(t("security.report_weak", lang, names=", ".join(report["weak"])))
    if report["unchecked"]:
        _say(t("security.report_unchecked", lang, names=", ".join(report["unchecked"])))


def run_backup(args) -> int:
    from ksmart.store import backup

    out = backup.backup(_url(args), args.out)
    print(out)
    _say(t("cli.backed_up", args.lang, path=out))
    return 0


def _say(text: str) -> None:
    print(text, file=sys.stderr)
