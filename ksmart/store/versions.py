"""Writing and reading versions as row versions (valid_from / valid_to).

Why this shape: an upload usually changes a few rows of thousands, so a new
version stores only the rows that were added or changed (a new row version
from this version on) and closes the rows that changed or went away
(`valid_to` = this version). Reading version v takes, per sheet, the rows with
`valid_from <= v < valid_to`: one query per sheet, put in `ord` order (the
row's first appearance), so a version reads back exactly as it was imported.

Changes are found by comparing digests of the canonical payloads, so deciding
what changed reads 32 characters per stored row, not the rows. Everything here
runs inside a transaction that the caller opened (see `engine`); the CPU work
of checking ids happens before, in `prepare`; rows are encoded under the lock,
a block at a time, each block written as soon as it is encoded, so an import
holds one block's JSON in memory, not the sheet's (issue 8: memory ≤ 8 × the
file). Bulk writes go straight to the driver (PostgreSQL: COPY; SQLite:
executemany): a block is one statement, not thousands of objects.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.errors import BadArgument
from ksmart.i18n import pair, t
from ksmart.store import audit, codec
from ksmart.store.models import SheetChanges, VersionInfo
from ksmart.store.schema import rows, versions

MODES = ("update", "replace")
ENCODE_ROWS = 2048  # rows encoded at a time: their JSON pieces are what an import holds in memory
_CHUNK = 900  # ids per IN (...) list: below every backend's parameter limit
_ROW_COLUMNS = ("sheet", "id_key", "ord", "valid_from", "digest", "payload")


def digest(payload: str) -> str:
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def digests(payloads: list[str]) -> list[str]:
    """`digest` of each payload; inlined, as a call per row costs a third of the work at 50,000 rows."""
    blake2b = hashlib.blake2b
    return [blake2b(p.encode("utf-8"), digest_size=16).hexdigest() for p in payloads]


# --- incoming rows --------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """One uploaded sheet, checked and ready to encode: the conformed frame and its folded ids."""

    sheet: str
    frame: pd.DataFrame
    keys: pd.Series  # `frames.id_key` of the ids, row for row

    def encoded(self, rows: int | None = None) -> Iterator[tuple[list[str], list[str], list[str], list[str]]]:
        """(folded ids, ids as spelled, payloads, digests), `rows` (default `ENCODE_ROWS`) rows at a time.

        Python strings are made a block at a time too: 50,000 ids as objects are
        megabytes that the import would otherwise hold from start to end.
        """
        rows = rows or ENCODE_ROWS
        encoder = codec.Encoder(self.sheet, self.frame)
        keys = pa.array(self.keys.array)
        ids = pa.array(self.frame[ref.SHEETS[self.sheet].id_column].array)
        for start in range(0, len(self.frame), rows):
            payloads = encoder.rows(start, start + rows)
            yield (keys.slice(start, rows).to_pylist(), ids.slice(start, rows).to_pylist(), payloads,
                   digests(payloads))


def prepare(sheet_key: str, frame: pd.DataFrame) -> Incoming:
    """Check an uploaded sheet; every row needs a unique, non-empty id.

    The validator guarantees both; frames built in code are checked here so
    that the store never holds a row it cannot address.
    """
    if sheet_key not in ref.SHEETS:
        raise BadArgument("unknown_sheet", *pair("error.unknown_sheet", sheet=sheet_key))
    sheet = ref.SHEETS[sheet_key]
    id_col = sheet.by_key[sheet.id_column]
    frame = fr.conform(sheet_key, frame)
    ids = frame[sheet.id_column]
    blank = np.flatnonzero((ids.isna() | (ids.str.strip() == "")).to_numpy(dtype=bool))
    if blank.size:
        raise BadArgument("missing_id", *_named("error.missing_id", sheet, id_col, row=blank[0] + 1))
    keys = fr.id_key(ids)
    duplicated = keys.duplicated()
    if duplicated.any():
        dup = keys[duplicated].iloc[0]
        raise BadArgument("duplicate_id", *_named("error.duplicate_store_id", sheet, id_col, value=dup))
    return Incoming(sheet_key, frame, keys)


def _named(key: str, sheet: ref.Sheet, column, **values) -> tuple[str, str]:
    """(Korean, English) of `key`, the sheet and column named in each language."""
    return tuple(t(key, lang, sheet=sheet.ko if lang == "ko" else sheet.en,
                   column=column.header_ko if lang == "ko" else column.header_en, **values) for lang in ("ko", "en"))


# --- stored rows ---------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    row_id: int
    ord: int
    digest: str


def _valid_at(version: int | None):
    if version is None:
        return rows.c.valid_to.is_(None)
    return sa.and_(rows.c.valid_from <= version, sa.or_(rows.c.valid_to.is_(None), rows.c.valid_to > version))


def stored_rows(conn: Connection, sheet_key: str, version: int | None = None) -> dict[str, Stored]:
    """The sheet's rows valid in `version` (None: the current ones), by folded id."""
    result = fetch_all(
        conn, sa.select(rows.c.id_key, rows.c.id, rows.c.ord, rows.c.digest).where(
            rows.c.sheet == sheet_key, _valid_at(version)
        )
    )
    return {key: Stored(row_id, ord_, dig) for key, row_id, ord_, dig in result}


def fetch_all(conn: Connection, statement) -> list[tuple]:
    """All rows of a plain select as tuples, straight from the driver's cursor.

    For the bulk reads of 50,000 rows: SQLAlchemy's Row objects and type
    processing cost as much as the query. Only for columns whose driver values
    are already what we want (ints, text).
    """
    compiled = statement.compile(dialect=conn.dialect)
    params = compiled.params
    if conn.dialect.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def payloads_of(conn: Connection, row_ids: list[int]) -> dict[int, str]:
    out = {}
    for chunk in _chunks(row_ids):
        out.update(conn.execute(sa.select(rows.c.id, rows.c.payload).where(rows.c.id.in_(chunk))).all())
    return out


def read_frames(conn: Connection, version: int | None, sheets=None) -> dict[str, pd.DataFrame]:
    """All sheets (or those of `sheets`) as they were in `version` (None: current), one query each.

    Sorted here rather than by the database: sorting the payloads themselves
    would make the server spill tens of megabytes to disk at 50,000 rows.
    """
    out = {}
    for sheet_key in sheets or ref.SHEETS:
        result = fetch_all(
            conn, sa.select(rows.c.ord, rows.c.id, rows.c.payload).where(rows.c.sheet == sheet_key, _valid_at(version))
        )
        result.sort(key=lambda r: (r[0], r[1]))
        out[sheet_key] = codec.decode(sheet_key, [r[2] for r in result])
    return out


def current_counts(conn: Connection) -> dict[str, int]:
    found = dict(
        conn.execute(
            sa.select(rows.c.sheet, sa.func.count()).where(rows.c.valid_to.is_(None)).group_by(rows.c.sheet)
        ).all()
    )
    return {key: int(found.get(key, 0)) for key in ref.SHEETS}


# --- planning a change ---------------------------------------------------------------


@dataclass
class SheetPlan:
    """What one sheet's write does: rows to close and copy; rows inserted (counted: they
    go to the database as they are encoded, see `plan_upload`)."""

    sheet: str
    close: list[int] = field(default_factory=list)  # row ids whose valid_to becomes this version
    copy: list[int] = field(default_factory=list)  # row ids re-inserted as they were (rollback)
    inserted: int = 0
    added: list[str] = field(default_factory=list)  # ids as spelled in the upload
    changed: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # id -> (old row id, new payload)
    removed: list[int] = field(default_factory=list)  # row ids
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.close or self.inserted or self.copy)


# Takes a sheet's new row versions, (id_key, ord, digest, payload) each, and writes them.
Inserter = Callable[[str, list[tuple[str, int, str, str]]], None]


def plan_upload(incoming: Incoming, current: dict[str, Stored], mode: str, insert: Inserter | None = None) -> SheetPlan:
    """Update: matched ids replaced, new ids added, the rest kept.
    Replace: additionally, ids not in the upload are removed.

    Rows are encoded a block at a time and the new row versions of each block
    go straight to `insert` (the write), so the JSON of a 50,000-row sheet is
    never in memory at once. Without `insert` (a preview) nothing is written
    and the changed rows keep their new payload, for the changed fields.
    """
    plan = SheetPlan(incoming.sheet)
    next_ord = max((s.ord for s in current.values()), default=-1) + 1
    for keys, spelled_ids, payloads, digs in incoming.encoded():
        if current:
            batch = []
            for key, spelled, payload, dig in zip(keys, spelled_ids, payloads, digs):
                old = current.get(key)
                if old is None:
                    batch.append((key, next_ord, dig, payload))
                    plan.added.append(spelled)
                    next_ord += 1
                elif old.digest != dig:
                    plan.close.append(old.row_id)
                    batch.append((key, old.ord, dig, payload))
                    plan.changed[spelled] = (old.row_id, None if insert else payload)
                else:
                    plan.unchanged += 1
        else:  # a first import of the sheet: every row is new, in upload order (no lookups)
            batch = list(zip(keys, range(next_ord, next_ord + len(keys)), digs, payloads))
            plan.added.extend(spelled_ids)
            next_ord += len(keys)
        plan.inserted += len(batch)
        if insert is not None and batch:
            insert(incoming.sheet, batch)
    if mode == "replace" and current:
        given = set(incoming.keys.tolist())
        for key, old in current.items():
            if key not in given:
                plan.close.append(old.row_id)
                plan.removed.append(old.row_id)
    return plan


def plan_restore(sheet_key: str, target: dict[str, Stored], current: dict[str, Stored]) -> SheetPlan:
    """Make the current rows exactly `target` (an older version's), order included.

    Rows come back as stored copies (`copy`), never re-encoded; the added /
    changed / removed entries only count for the audit line (folded ids).
    """
    plan = SheetPlan(sheet_key)
    for key, old in current.items():
        want = target.get(key)
        if want is None or (want.ord, want.digest) != (old.ord, old.digest):
            plan.close.append(old.row_id)
            if want is None:
                plan.removed.append(old.row_id)
            else:
                plan.changed[key] = (old.row_id, "")
        else:
            plan.unchanged += 1
    for key, want in target.items():
        old = current.get(key)
        if old is None or (want.ord, want.digest) != (old.ord, old.digest):
            plan.copy.append(want.row_id)
            if old is None:
                plan.added.append(key)
    return plan


def changes_of(conn: Connection, plan: SheetPlan) -> SheetChanges:
    """The preview of an upload plan: ids as spelled and the changed fields."""
    sheet = ref.SHEETS[plan.sheet]
    old_payloads = payloads_of(conn, [row_id for row_id, _ in plan.changed.values()] + plan.removed)
    changed = {}
    for spelled, (row_id, new_payload) in plan.changed.items():
        old, new = codec.decode_one(old_payloads[row_id]), codec.decode_one(new_payload)
        changed[spelled] = tuple(k for k in sheet.keys if old.get(k) != new.get(k))
    removed = tuple(str(codec.decode_one(old_payloads[r]).get(sheet.id_column, "")) for r in plan.removed)
    return SheetChanges(plan.sheet, tuple(plan.added), removed, changed, plan.unchanged)


# --- writing ---------------------------------------------------------------------------


def latest_number(conn: Connection) -> int | None:
    return conn.execute(sa.select(sa.func.max(versions.c.number))).scalar()


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _close_rows(conn: Connection, row_ids: list[int], number: int) -> None:
    for chunk in _chunks(row_ids):
        conn.execute(sa.update(rows).where(rows.c.id.in_(chunk)).values(valid_to=number))


def _copy_rows(conn: Connection, row_ids: list[int], number: int) -> None:
    """Re-insert stored rows unchanged from version `number` on (rollback)."""
    columns = [rows.c.sheet, rows.c.id_key, rows.c.ord, sa.literal(number, sa.Integer), rows.c.digest, rows.c.payload]
    for chunk in _chunks(row_ids):
        conn.execute(
            sa.insert(rows).from_select(list(_ROW_COLUMNS), sa.select(*columns).where(rows.c.id.in_(chunk)))
        )


def _insert_rows(conn: Connection, sheet_key: str, inserts: list[tuple[str, int, str, str]], number: int) -> None:
    """Bulk insert straight through the driver: no per-row SQLAlchemy work."""
    if not inserts:
        return
    records = [(sheet_key, key, ord_, number, dig, payload) for key, ord_, dig, payload in inserts]
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        with dbapi.cursor() as cur, cur.copy(f"COPY {rows.name} ({', '.join(_ROW_COLUMNS)}) FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {rows.name} ({', '.join(_ROW_COLUMNS)}) VALUES ({', '.join([mark] * len(_ROW_COLUMNS))})"
    conn.exec_driver_sql(sql, records)


def write_version(
    conn: Connection,
    plan: Callable[[Inserter], list[SheetPlan]],
    *,
    reference_date: date,
    user: str,
    note: str,
    sha256: str,
    mode: str,
    kind: str,
    illustrative: bool,
    action: str,
    detail: Callable[[list[SheetPlan]], str],
    if_changed: bool = False,
) -> VersionInfo | None:
    """Commit the plans that `plan` makes as the next version, with its audit entry
    (caller's transaction). `plan` gets the inserter of this version's rows.

    With `if_changed`, a plan that changes no row leaves no version (None).
    """
    number = (latest_number(conn) or 0) + 1
    committed_at = datetime.now(timezone.utc)
    record = {
        "number": number,
        "reference_date": reference_date,
        "committed_at": committed_at.replace(tzinfo=None),
        "user_name": user,
        "note": note,
        "sha256": sha256,
        "mode": mode,
        "kind": kind,
        "illustrative": illustrative,
        "counts": "{}",
    }
    conn.execute(sa.insert(versions).values(**record))
    plans = plan(lambda sheet_key, batch: _insert_rows(conn, sheet_key, batch, number))
    if if_changed and not any(p.any for p in plans):
        conn.execute(sa.delete(versions).where(versions.c.number == number))  # nothing was inserted
        return None
    for sheet_plan in plans:
        _close_rows(conn, sheet_plan.close, number)
        _copy_rows(conn, sheet_plan.copy, number)
    record["counts"] = json.dumps(current_counts(conn))
    conn.execute(sa.update(versions).where(versions.c.number == number).values(counts=record["counts"]))
    audit.record(conn, at=committed_at, user=user, action=action, version=number, detail=detail(plans))
    return to_info(record)


def describe(plans: list[SheetPlan]) -> str:
    """A short change summary for the audit log: `projects +3 ~2 -1; …`."""
    parts = [f"{p.sheet} +{len(p.added)} ~{len(p.changed)} -{len(p.removed)}" for p in plans if p.any]
    return "; ".join(parts) or "no row changed"


# --- version records -------------------------------------------------------------------


def to_info(row) -> VersionInfo:
    m = row if isinstance(row, dict) else row._mapping
    committed = m["committed_at"]
    if isinstance(committed, str):  # defensive: text from an SQLite written by hand
        committed = datetime.fromisoformat(committed)
    if committed.tzinfo is None:
        committed = committed.replace(tzinfo=timezone.utc)
    ref_date = m["reference_date"]
    if isinstance(ref_date, datetime):
        ref_date = ref_date.date()
    return VersionInfo(
        number=int(m["number"]),
        reference_date=ref_date,
        committed_at=committed,
        user=m["user_name"],
        note=m["note"],
        sha256=m["sha256"],
        mode=m["mode"],
        counts={k: int(v) for k, v in json.loads(m["counts"]).items()},
        illustrative=bool(m["illustrative"]),
        kind=m["kind"],
    )


def version_row(conn: Connection, number: int) -> VersionInfo | None:
    row = conn.execute(sa.select(versions).where(versions.c.number == number)).first()
    return to_info(row) if row is not None else None


def all_versions(conn: Connection) -> list[VersionInfo]:
    return [to_info(r) for r in conn.execute(sa.select(versions).order_by(versions.c.number))]


def version_at(conn: Connection, day: date) -> VersionInfo | None:
    row = conn.execute(
        sa.select(versions).where(versions.c.reference_date <= day).order_by(versions.c.number.desc()).limit(1)
    ).first()
    return to_info(row) if row is not None else None
