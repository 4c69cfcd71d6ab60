"""The audit log: who imported, replaced, seeded or rolled back what, and when.

Why a table of its own: versions say what the data was; the audit says who
acted. It is written in the same transaction as the version it describes, so
an entry exists exactly when its version does, and it is never rewritten.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart.store.models import AuditEntry
from ksmart.store.schema import audit as audit_table

def record(conn: Connection, *, at: datetime, user: str, action: str, version: int | None, detail: str) -> None:
    """Append one entry (inside the caller's writer transaction)."""
    conn.execute(
        sa.insert(audit_table).values(
            at=at.astimezone(timezone.utc).replace(tzinfo=None),
            user_name=user,
            action=action,
            version=version,
            detail=detail,
        )
    )


def entries(conn: Connection) -> list[AuditEntry]:
    """Every entry, newest first."""
    result = conn.execute(sa.select(audit_table).order_by(audit_table.c.id.desc()))
    return [
        AuditEntry(
            at=r.at.replace(tzinfo=timezone.utc),
            user=r.user_name,
            action=r.action,
            version=r.version,
            detail=r.detail,
        )
        for r in result
    ]
