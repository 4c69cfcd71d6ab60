"""`Commands`: what each `commands_*` module registers its subcommands with.

A thin layer over argparse's public `add_subparsers()` / `add_parser()` that
remembers what it made, so that no one needs argparse's private action
classes: `group()` gives the subcommands of a command that has its own,
created once whichever module asks first (`export xlsx` and `export deck`
come from two modules), and `names()` lists every command line (the README
test).
"""

from __future__ import annotations

import argparse


class Commands:
    """The subcommands of one parser (`dest` names the chosen one in the parsed args)."""

    def __init__(self, parser: argparse.ArgumentParser, dest: str, **kwargs):
        self._subparsers = parser.add_subparsers(dest=dest, required=True, **kwargs)
        self._names: list[str] = []
        self._groups: dict[str, Commands] = {}

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        self._names.append(name)
        return self._subparsers.add_parser(name, **kwargs)

    def group(self, name: str, dest: str, help: str, **kwargs) -> "Commands":
        """The subcommands of command `name`, which is created (with `help`) on the first call."""
        if name not in self._groups:
            self._groups[name] = Commands(self.add_parser(name, help=help), dest, **kwargs)
        return self._groups[name]

    def names(self) -> list[str]:
        """Every command line, in registration order: `import`, …, `export`, `export xlsx`, …"""
        found = []
        for name in self._names:
            found.append(name)
            if name in self._groups:
                found.extend(f"{name} {sub}" for sub in self._groups[name].names())
        return found
