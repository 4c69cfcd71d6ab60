"""`user add NAME --role viewer|analyst|admin [--password-stdin]`, `user passwd NAME [--password-stdin]`,
`user list`, `user remove NAME`."""

from __future__ import annotations

import getpass
import sys

from ksmart.auth import ROLES, cli_actor
from ksmart.errors import BadArgument
from ksmart.i18n import pair, t
from ksmart.store import open_store


def register(sub) -> None:
    actions = sub.group("user", dest="user_action", help="manage the users of the embedded sign-in")

    add = actions.add_parser("add", help="add a user (password asked on the terminal)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=run_add)

    passwd = actions.add_parser("passwd", help="set a user's new password (clears 'must change')")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(func=run_passwd)

    listing = actions.add_parser("list", help="list users and roles")
    listing.set_defaults(func=run_list)

    remove = actions.add_parser("remove", help="remove a user")
    remove.add_argument("name")
    remove.set_defaults(func=run_remove)


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{t('cli.password', 'ko')} / {t('cli.password', 'en')}: ")
    if first != getpass.getpass(f"{t('cli.password_again', 'ko')} / {t('cli.password_again', 'en')}: "):
        raise BadArgument("password_mismatch", *pair("error.password_mismatch"))
    return first


def run_add(args) -> int:
    password = _password(args)
    with open_store(args.db) as store:
        store.add_user(args.name, args.role, password, by=cli_actor())
    print(f"{args.name} ({args.role})")
    return 0


def run_passwd(args) -> int:
    password = _password(args)
    with open_store(args.db) as store:
        name = store.set_password(args.name, password, by=cli_actor())
    print(t("security.password_set", args.lang, name=name), file=sys.stderr)
    return 0


def run_list(args) -> int:
    with open_store(args.db) as store:
        for user in store.users():
            due = "\tmust_change" if user["must_change"] else ""
            print(f"{user['name']}\t{user['role']}\t{user['created_at']:%Y-%m-%d}{due}")
    return 0


def run_remove(args) -> int:
    with open_store(args.db) as store:
        if not store.remove_user(args.name, by=cli_actor()):
            raise BadArgument("unknown_user", *pair("error.unknown_user", name=args.name))
    return 0
