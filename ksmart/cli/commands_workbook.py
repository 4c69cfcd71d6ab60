"""Commands on workbooks: validate, template."""

from __future__ import annotations


def register(sub) -> None:
    pass
