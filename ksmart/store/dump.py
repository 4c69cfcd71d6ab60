"""A canonical text dump of every store table, for byte-for-byte comparisons.

Why not the database file: SQLite's file changes on checkpoints and vacuum
without any change of content, and PostgreSQL has no file to compare. The dump
lists each table (sorted by name) and its rows ordered by primary key, every
value as JSON, so two stores with the same content give the same text.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart.store.schema import metadata


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def dump(conn: Connection) -> str:
    lines = []
    inspector = sa.inspect(conn)
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        if not inspector.has_table(table.name):
            continue
        # The columns the database has: a store of an older schema lacks the later ones.
        present = {c["name"] for c in inspector.get_columns(table.name)}
        columns = [c for c in table.columns if c.name in present]
        lines.append(f"## {table.name}")
        lines.append(json.dumps([c.name for c in columns]))
        order = list(table.primary_key.columns) or columns
        for row in conn.execute(sa.select(*columns).order_by(*order)):
            lines.append(json.dumps([_plain(v) for v in row], ensure_ascii=False))
    return "\n".join(lines) + "\n"
