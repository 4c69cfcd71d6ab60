"""`python -m ksmart …`: the command line of cli.md.

Each `commands_*.py` module registers its subcommands with `register(sub)`
(`sub` a `registry.Commands`);
a command function takes the parsed args and returns an exit code. Errors of
ksmart become a message on stderr and the exit code of cli.md. All output
passes `output.clean_streams` (control characters from user text made visible).

May import: every part of the domain; never Streamlit or ksmart.ui.
"""

from __future__ import annotations

import argparse
import sys

from ksmart import i18n
from ksmart.cli import commands_deck, commands_metrics, commands_ops, commands_store, commands_users, commands_workbook
from ksmart.cli.output import clean_streams
from ksmart.cli.registry import Commands
from ksmart.errors import KsmartError
from ksmart.memory import use_malloc_for_arrow

COMMAND_MODULES = [commands_workbook, commands_metrics, commands_store, commands_deck, commands_users, commands_ops]


def build_parser() -> argparse.ArgumentParser:
    return _build()[0]


def command_names() -> list[str]:
    """Every command line of the CLI: `validate`, …, `export xlsx`, `user add`, …."""
    return _build()[1].names()


def _build() -> tuple[argparse.ArgumentParser, Commands]:
    parser = argparse.ArgumentParser(prog="python -m ksmart", description="K-Smart City pipeline data")
    parser.add_argument("--db", help="store URL (default: KSMART_DB_URL or data/ksmart.db)")
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG, help="language of messages")
    sub = Commands(parser, dest="command")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser, sub


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: bad arguments are exit 2, --help is 0
        return int(exc.code or 0)
    use_malloc_for_arrow()  # before any command reads a workbook (ksmart.memory)
    with clean_streams():
        try:
            return int(args.func(args) or 0)
        except KsmartError as exc:
            print(exc.message(getattr(args, "lang", "ko")), file=sys.stderr)
            return exc.exit_code
        except BrokenPipeError:  # `… | head` closed the pipe: not an error of ours
            sys.stderr.close()
            return 0
