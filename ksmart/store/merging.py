"""Three-way merge of an upload against the version its file was exported from.

Why: analysts download the workbook, edit their rows for a week, and upload;
meanwhile others commit. Replacing rows wholesale would roll their work back
without a word. So an upload whose file records its base version
(`ingest.stamp`, this store's) is merged field by field, values compared in
the store's canonical form (`codec`: the JSON of a payload):

- changed in the file only: taken; changed in the store only: kept;
  changed in both to one value: that value; to different values: a `Conflict`;
- a column the file lacks is not given (the stored value stays);
- a row deleted in the store since the base: stays deleted unless the file
  changed it (then a conflict); a row in the file and in the store but not in
  the base (added in both): a conflict on each field where they differ;
- replace mode: rows added in the store since the base are kept (listed in
  `kept_added`); a row the file drops that the store changed since the base
  is a conflict.

Sheets are whatever `reference.SHEETS` declares: a new sheet merges without
code here. A file without a base merges nothing: its frames go as they are
(the store's update / replace of workbook.md).

`plan(conn, …)` runs inside the caller's transaction: once in a read one for
the preview, again under the write lock for the commit (see `Store.commit_merge`).
A conflict is settled by a resolution, "keep" (the stored value) or "take"
(the file's), per `Conflict.key` or as a default for all; an unsettled one
keeps the stored value in the plan's frames and blocks the commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Connection

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.errors import BadArgument, KsmartError
from ksmart.i18n import pair
from ksmart.store import codec
from ksmart.store import versions as ver
from ksmart.store.models import SheetChanges

KEEP, TAKE = "keep", "take"
RESOLUTIONS = (KEEP, TAKE)

# Conflict kinds; `field` is None for the whole-row ones.
BOTH_CHANGED = "both_changed"
ADDED_IN_BOTH = "added_in_both"
DELETED_IN_STORE = "deleted_in_store"
REMOVED_IN_FILE = "removed_in_file"
KINDS = (BOTH_CHANGED, ADDED_IN_BOTH, DELETED_IN_STORE, REMOVED_IN_FILE)

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class PlanStale(KsmartError):
    """The store got a new version between the plan shown and the commit: plan (and show) again."""

    exit_code = 3

    def __init__(self, planned: int | None, latest: int | None):
        super().__init__("plan_stale", *pair("merge.stale", planned=planned or 0, latest=latest or 0))
        self.planned, self.latest = planned, latest


class MergeConflicts(KsmartError):
    """Conflicts without a resolution: nothing is written."""

    exit_code = 1

    def __init__(self, conflicts: tuple["Conflict", ...]):
        super().__init__("merge_conflicts", *pair("merge.unresolved", count=len(conflicts)))
        self.conflicts = conflicts


@dataclass(frozen=True)
class Conflict:
    """One field (or, `field` None, one row) changed on both sides since the base.

    Values are canonical (codec JSON values: text, number, "YYYY-MM-DD", list;
    None for empty); for a whole-row conflict they are the rows as dicts (None:
    no such row on that side).
    """

    sheet: str
    row_id: str  # as spelled in the file, else in the store
    field: str | None
    kind: str
    base: object
    stored: object
    file: object

    @property
    def key(self) -> str:
        """What a resolution is given under: `sheet/folded id/field` (field empty for a row)."""
        return f"{self.sheet}/{fr.id_key(pd.Series([self.row_id])).iloc[0]}/{self.field or ''}"


@dataclass(frozen=True)
class Resolutions:
    """How conflicts are settled: `choices` by `Conflict.key`, else `default` (None: unsettled)."""

    choices: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None

    def __post_init__(self):
        for value in (*self.choices.values(), *([self.default] if self.default else [])):
            if value not in RESOLUTIONS:
                raise BadArgument("bad_resolution", *pair("merge.bad_resolution", value=value,
                                                          allowed=", ".join(RESOLUTIONS)))

    def of(self, conflict: Conflict) -> str | None:
        return self.choices.get(conflict.key, self.default)


NONE = Resolutions()


@dataclass(frozen=True)
class MergeInput:
    """What is merged: the uploaded sheets (conformed frames), the columns each gives, base and mode."""

    frames: Mapping[str, pd.DataFrame]
    columns: Mapping[str, tuple[str, ...]]
    base: int | None
    mode: str


@dataclass(frozen=True)
class MergePlan:
    """What an upload does once merged: the frames to write and what needs a person's choice.

    `frames` hold the sheets of the upload as they will be written with `mode`
    (resolved conflicts applied, unsettled ones keeping the stored side).
    `latest` is the version planned against: a commit refuses (`PlanStale`) when
    the store has moved on.
    """

    input: MergeInput
    latest: int | None
    frames: dict[str, pd.DataFrame]
    changes: dict[str, SheetChanges] = field(default_factory=dict)  # the preview of `frames`
    conflicts: tuple[Conflict, ...] = ()
    unresolved: tuple[Conflict, ...] = ()
    kept_added: dict[str, tuple[str, ...]] = field(default_factory=dict)  # replace: kept, added in the store

    @property
    def base(self) -> int | None:
        return self.input.base if self.latest is not None else None

    @property
    def mode(self) -> str:
        return self.input.mode


def plan(conn: Connection, given: MergeInput, resolutions: Resolutions = NONE) -> MergePlan:
    """Merge the upload against its base and the newest version, in `conn`'s snapshot
    (without a base: the uploaded frames as they are), with the preview of the result."""
    latest = ver.latest_number(conn)
    if given.base is None or latest is None:
        frames = dict(given.frames)
        return MergePlan(given, latest, frames, _changes(conn, frames, given.mode))
    out, conflicts, unresolved, kept = {}, [], [], {}
    for key, frame in given.frames.items():
        sheet = _SheetMerge(conn, key, fr.conform(key, frame), given.columns.get(key) or ref.SHEETS[key].keys,
                            given.base, given.mode, resolutions)
        out[key] = sheet.run()
        conflicts.extend(sheet.conflicts)
        unresolved.extend(c for c in sheet.conflicts if resolutions.of(c) is None)
        if sheet.kept_added:
            kept[key] = tuple(sheet.kept_added)
    return MergePlan(given, latest, out, _changes(conn, out, given.mode), tuple(conflicts), tuple(unresolved), kept)


def _changes(conn: Connection, frames: Mapping[str, pd.DataFrame], mode: str) -> dict[str, SheetChanges]:
    plans = [ver.plan_upload(ver.prepare(k, f), ver.stored_rows(conn, k), mode) for k, f in frames.items()]
    return {p.sheet: ver.changes_of(conn, p) for p in plans}


class _SheetMerge:
    """One sheet: classify every row by digests, read the payloads only of rows that need a field merge."""

    def __init__(self, conn, key, frame, given, base, mode, resolutions):
        self.conn, self.key, self.frame, self.mode, self.resolutions = conn, key, frame, mode, resolutions
        sheet = ref.SHEETS[key]
        self.id_column = sheet.id_column
        self.all_given = set(given) >= set(sheet.keys)
        self.fields = [k for k in sheet.keys if k in set(given) and k != sheet.id_column]
        self.stored = ver.stored_rows(conn, key)
        self.base = ver.stored_rows(conn, key, base)
        self.conflicts: list[Conflict] = []
        self.kept_added: list[str] = []

    def run(self) -> pd.DataFrame:
        payloads = codec.encode(self.key, self.frame)
        keys = fr.id_key(self.frame[self.id_column]).tolist()
        digests = ver.digests(payloads)
        need: list[int] = []  # stored row ids whose payloads the merge reads
        todo: list[tuple[int, str, str]] = []  # (row index, folded id, what to do)
        for i, (k, dig) in enumerate(zip(keys, digests)):
            s, b = self.stored.get(k), self.base.get(k)
            if s is not None and s.digest == dig:
                todo.append((i, k, "file"))  # already as stored
            elif b is not None and b.digest == dig:
                todo.append((i, k, "stored"))  # the file did not touch it: the store's state stands
                if s is not None:
                    need.append(s.row_id)
            elif s is None and b is None:
                todo.append((i, k, "file"))  # new on both sides
            elif s is not None and b is not None and s.digest == b.digest and self.all_given:
                todo.append((i, k, "file"))  # only the file changed it
            else:
                todo.append((i, k, "merge"))
                need.extend(r.row_id for r in (s, b) if r is not None)
        in_file = set(keys)
        leftovers = [k for k in self.stored if k not in in_file] if self.mode == "replace" else []
        for k in leftovers:  # the stored row, and its base when the store changed it (a possible conflict)
            s, b = self.stored[k], self.base.get(k)
            need.extend([s.row_id] if b is None or b.digest == s.digest else [s.row_id, b.row_id])
        texts = ver.payloads_of(self.conn, need) if need else {}
        rows: list[str] = []
        for i, k, what in todo:
            s, b = self.stored.get(k), self.base.get(k)
            if what == "file":
                rows.append(payloads[i])
            elif what == "stored":
                if s is not None:
                    rows.append(texts[s.row_id])
            else:
                merged = self._merge_row(codec.decode_one(payloads[i]), _dict(texts, b), _dict(texts, s))
                if merged is not None:
                    rows.append(_dumps(merged))
        for k in leftovers:
            rows.extend(self._dropped(k, texts))
        return codec.decode(self.key, rows) if rows else fr.empty(self.key)

    def _merge_row(self, file: dict, base: dict | None, stored: dict | None) -> dict | None:
        row_id = file.get(self.id_column, "")
        if stored is None:  # deleted in the store since the base (new rows never get here)
            if all(file.get(c) == base.get(c) for c in self.fields):
                return None
            conflict = Conflict(self.key, row_id, None, DELETED_IN_STORE, base, None, self._given(file))
            if self._choose(conflict) != TAKE:
                return None
            return _without_empty({**base, **self._given(file), self.id_column: row_id})
        merged = dict(stored)
        merged[self.id_column] = row_id  # the spelling of the newest upload is kept
        for c in self.fields:
            f, s = file.get(c), stored.get(c)
            if f == s:
                continue
            if base is not None:
                b = base.get(c)
                if f == b:
                    continue  # only the store changed it
                if s == b:
                    merged[c] = f  # only the file changed it
                    continue
            conflict = Conflict(self.key, row_id, c, BOTH_CHANGED if base is not None else ADDED_IN_BOTH,
                                None if base is None else base.get(c), s, f)
            if self._choose(conflict) == TAKE:
                merged[c] = f
        return _without_empty(merged)

    def _dropped(self, k: str, texts: dict[int, str]) -> list[str]:
        """Replace mode, a stored row the file does not have: removed, kept (added in the store), or a conflict."""
        s, b = self.stored[k], self.base.get(k)
        stored_text = texts[s.row_id]
        if b is None:
            self.kept_added.append(str(codec.decode_one(stored_text).get(self.id_column, k)))
            return [stored_text]
        if b.digest == s.digest:
            return []
        stored, base = codec.decode_one(stored_text), codec.decode_one(texts[b.row_id])
        conflict = Conflict(self.key, str(stored.get(self.id_column, k)), None, REMOVED_IN_FILE, base, stored, None)
        return [] if self._choose(conflict) == TAKE else [stored_text]

    def _given(self, row: dict) -> dict:
        return {c: row.get(c) for c in (self.id_column, *self.fields)}

    def _choose(self, conflict: Conflict) -> str | None:
        self.conflicts.append(conflict)
        return self.resolutions.of(conflict)


def _dict(texts: dict[int, str], stored: ver.Stored | None) -> dict | None:
    return None if stored is None else codec.decode_one(texts[stored.row_id])


def _without_empty(row: dict) -> dict:
    return {k: v for k, v in row.items() if v is not None and v != []}
