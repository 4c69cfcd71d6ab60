"""What the store hands out: plain frozen records, no database objects.

Why separate: pages, the CLI and the exports import these names without
pulling in SQLAlchemy or knowing how versions are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd


@dataclass(frozen=True)
class VersionInfo:
    """One committed version. `counts` are the rows of each sheet in it."""

    number: int
    reference_date: date
    committed_at: datetime  # timezone-aware, UTC
    user: str
    note: str
    sha256: str
    mode: str  # "update" | "replace" (a rollback replaces everything)
    counts: dict[str, int]
    illustrative: bool
    kind: str  # "import" | "seed" | "rollback"


@dataclass(frozen=True)
class Snapshot:
    """The conformed frames of every sheet current in `version` (None: the empty store)."""

    version: VersionInfo | None
    frames: dict[str, pd.DataFrame]


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to the store, and when (`at` is timezone-aware UTC)."""

    at: datetime
    user: str
    action: str  # "import" | "replace" | "rollback" | "seed"
    version: int | None
    detail: str


@dataclass(frozen=True)
class SheetChanges:
    """What an upload would do to one sheet: ids as they would be spelled.

    `changed` maps each changed id to the names of its changed fields, in the
    sheet's column order.
    """

    sheet: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)
