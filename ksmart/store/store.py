"""`Store`: the one object the dashboard and the CLI use to reach stored data.

Why a facade: callers think in versions and frames; transactions, locks and
row versions stay behind these methods. Every write is one transaction that
either commits a whole new version (with its audit entry) or leaves the store
exactly as it was; every read is one snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ksmart import auth
from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.auth import Actor
from ksmart.errors import BadArgument, PermissionDenied
from ksmart.i18n import pair
from ksmart.store import audit as audit_log
from ksmart.store import codec, merging
from ksmart.store import dump as dumping
from ksmart.store import engine as eng
from ksmart.store import sessions as session_table
from ksmart.store import schema as store_schema
from ksmart.store import users as user_table
from ksmart.store import versions as ver  # not `versions`: Store.versions() is a method
from ksmart.store.models import AuditEntry, SheetChanges, Snapshot, VersionInfo
from ksmart.store.schema import rows as rows_table
from ksmart.store.schema import versions as versions_table


def _as_date(value, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    raise BadArgument("bad_date", *pair("error.not_a_date", name=name, value=repr(value)))


def unknown_version(number: int) -> BadArgument:
    return BadArgument("unknown_version", *pair("error.unknown_version", number=number))


class Store:
    """Versioned pipeline data in SQLite or PostgreSQL (see `open_store`)."""

    def __init__(self, engine: Engine, busy_timeout: float):
        self.engine = engine
        self.busy_timeout = busy_timeout

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def store_id(self) -> str | None:
        """The store's random id, made once (schema version 3): what exports record as their base's store."""
        with eng.read_transaction(self.engine) as conn:
            return store_schema.store_id(conn)

    # --- versions ----------------------------------------------------------------

    def latest_version(self) -> int | None:
        """The newest version number (one indexed query): cache keys hang on it."""
        with eng.read_transaction(self.engine) as conn:
            return ver.latest_number(conn)

    def versions(self) -> list[VersionInfo]:
        """All versions, oldest first."""
        with eng.read_transaction(self.engine) as conn:
            return ver.all_versions(conn)

    def version_info(self, number: int) -> VersionInfo:
        with eng.read_transaction(self.engine) as conn:
            info = ver.version_row(conn, int(number))
        if info is None:
            raise unknown_version(number)
        return info

    def version_at(self, day: date) -> VersionInfo | None:
        """The latest version whose reference date is on or before `day`."""
        with eng.read_transaction(self.engine) as conn:
            return ver.version_at(conn, _as_date(day, "day"))

    # --- reading -----------------------------------------------------------------

    def read(self, version: int | None = None) -> Snapshot:
        """The frames of every sheet of `version` (None: the latest), from one snapshot."""
        with eng.read_transaction(self.engine) as conn:
            if version is None:
                latest = ver.latest_number(conn)
                info = ver.version_row(conn, latest) if latest is not None else None
                frames = ver.read_frames(conn, None)
            else:
                info = ver.version_row(conn, int(version))
                if info is None:
                    raise unknown_version(version)
                frames = ver.read_frames(conn, info.number)
        return Snapshot(info, frames)

    def project_history(self, project_id: str) -> pd.DataFrame:
        """One row per version in which the project's row changed (a stage timeline)."""
        key = fr.id_key(pd.Series([project_id])).iloc[0]
        with eng.read_transaction(self.engine) as conn:
            result = conn.execute(
                sa.select(rows_table.c.valid_from, versions_table.c.reference_date, rows_table.c.payload)
                .join(versions_table, versions_table.c.number == rows_table.c.valid_from)
                .where(rows_table.c.sheet == "projects", rows_table.c.id_key == key)
                .order_by(rows_table.c.valid_from)
            ).all()
        cells = [codec.decode_one(p) for _, _, p in result]
        return pd.DataFrame(
            {
                "version": pd.Series([int(v) for v, _, _ in result], dtype="int64"),
                "reference_date": pd.Series(pd.to_datetime([d for _, d, _ in result]), dtype="datetime64[ns]"),
                "stage": pd.Series([c.get("stage") for c in cells], dtype=object).astype("str"),
                "status": pd.Series([c.get("status") for c in cells], dtype=object).astype("str"),
                "value_usd_m": pd.Series([c.get("value_usd_m") for c in cells], dtype="float64"),
            }
        )

    # --- writing -------------------------------------------------------------------

    def preview(self, frames: dict[str, pd.DataFrame], *, mode: str = "update") -> dict[str, SheetChanges]:
        """What `import_frames` would do to each uploaded sheet; writes nothing."""
        incoming = _prepare(frames, mode)
        with eng.read_transaction(self.engine) as conn:
            plans = [ver.plan_upload(i, ver.stored_rows(conn, i.sheet), mode) for i in incoming]
            return {p.sheet: ver.changes_of(conn, p) for p in plans}

    def import_frames(
        self,
        frames: dict[str, pd.DataFrame],
        *,
        mode: str = "update",
        reference_date: date,
        user: Actor,
        note: str = "",
        sha256: str = "",
        illustrative: bool = False,
        kind: str = "import",
    ) -> VersionInfo | None:
        """Commit the uploaded sheets as a new version; None when nothing would change.

        `frames` holds only the sheets present in the upload. Update mode
        replaces rows by id and adds new ids; replace mode also removes the
        ids not uploaded. Sheets not present are untouched. Raises StoreBusy
        when another writer holds the store too long (nothing written), and
        PermissionDenied unless `user` is an analyst or admin `auth.Actor`.
        """
        upload = _Upload.of(frames, mode=mode, reference_date=reference_date, user=user, note=note,
                            sha256=sha256, illustrative=illustrative, kind=kind)
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            return upload.write(conn)

    def plan_merge(self, given: merging.MergeInput, resolutions: merging.Resolutions = merging.NONE
                   ) -> merging.MergePlan:
        """The upload merged against its base and the newest version (see `merging`); writes nothing."""
        if given.mode not in ver.MODES:
            raise BadArgument("bad_mode", *pair("error.bad_mode", mode=given.mode))
        with eng.read_transaction(self.engine) as conn:
            return merging.plan(conn, given, resolutions)

    def commit_merge(self, planned: merging.MergePlan, resolutions: merging.Resolutions = merging.NONE, *,
                     reference_date: date, user: Actor, note: str = "", sha256: str = "",
                     illustrative: bool = False) -> VersionInfo | None:
        """Commit a plan shown to someone, re-planned under the write lock with `resolutions`.

        Raises `merging.PlanStale` when a version was committed since `planned`
        (show the new plan), `merging.MergeConflicts` when a conflict has no
        resolution; nothing is written then. None when nothing would change.
        """
        auth.require(user, "analyst", "import")
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            latest = ver.latest_number(conn)
            if latest != planned.latest:
                raise merging.PlanStale(planned.latest, latest)
            again = merging.plan(conn, planned.input, resolutions)
            if again.unresolved:
                raise merging.MergeConflicts(again.unresolved)
            upload = _Upload.of(again.frames, mode=again.mode, reference_date=reference_date, user=user, note=note,
                                sha256=sha256, illustrative=illustrative)
            return upload.write(conn)

    def import_batch(self, uploads: list[dict], *, only_if_empty: bool = False) -> list[VersionInfo]:
        """Several uploads (each the keyword arguments of `import_frames`) in one
        transaction: all of them become versions, or none does (the sample seed).

        With `only_if_empty`, nothing is written when the store already has a
        version (checked under the write lock, so two seeds cannot both run).
        """
        prepared = [_Upload.of(**u) for u in uploads]
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            if only_if_empty and ver.latest_number(conn) is not None:
                return []
            return [info for info in (u.write(conn) for u in prepared) if info is not None]

    def current_frame(self, sheet_key: str) -> pd.DataFrame:
        """One sheet of the latest version (what an upload's meetings may name), without the others."""
        with eng.read_transaction(self.engine) as conn:
            return ver.read_frames(conn, None, sheets=(sheet_key,))[sheet_key]

    def current_ids(self, sheet_key: str = "projects") -> list[str]:
        """The folded ids (`frames.id_key`) of a sheet's current rows: what an
        upload's references may name, without reading the rows themselves."""
        with eng.read_transaction(self.engine) as conn:
            return sorted(ver.stored_rows(conn, sheet_key))

    def rollback(self, number: int, *, user: Actor, note: str = "") -> VersionInfo:
        """A new version whose content is exactly version `number`'s.

        History is never rewritten: the versions in between stay readable.
        Only an analyst or admin may roll back.
        """
        user = auth.require(user, "analyst", "rollback").name
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            target = ver.version_row(conn, int(number))
            if target is None:
                raise unknown_version(number)
            plans = [
                ver.plan_restore(key, ver.stored_rows(conn, key, target.number), ver.stored_rows(conn, key))
                for key in ref.SHEETS
            ]
            return ver.write_version(
                conn, lambda _insert: plans, reference_date=target.reference_date, user=user,
                note=note or " / ".join(pair("store.rollback_note", version=target.number)),
                sha256="", mode="replace", kind="rollback", illustrative=target.illustrative,
                action="rollback", detail=lambda done: f"to version {target.number}: {ver.describe(done)}",
            )

    # --- users ------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str, *, by: Actor) -> None:
        auth.require(by, "admin", "manage_users")
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            user_table.add(conn, name, role, password)
            audit_log.record(conn, at=_utc_now(), user=by.name, action="user_add", version=None,
                             detail=f"{name} ({role})")

    def remove_user(self, name: str, *, by: Actor) -> bool:
        auth.require(by, "admin", "manage_users")
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            removed = user_table.remove(conn, name)
            if removed:
                audit_log.record(conn, at=_utc_now(), user=by.name, action="user_remove", version=None, detail=name)
            return removed

    def users(self) -> list[dict]:
        """Every user: name, role, created_at, must_change."""
        with eng.read_transaction(self.engine) as conn:
            return user_table.listing(conn)

    def must_change(self, name: str) -> bool:
        """Whether user `name` must set a new password before anything else."""
        with eng.read_transaction(self.engine) as conn:
            return user_table.must_change(conn, name)

    def authenticate(self, name: str, password: str, *, client: str | None = None) -> Actor:
        """The signed-in user; PermissionDenied for a wrong name or password or while a delay runs.

        `client` is the address the attempt came from: failures are counted per
        (name, client), so another client's failures never hold this one back.
        """
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            outcome = user_table.authenticate(conn, name, password, client=client)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def change_password(self, name: str, current: str, new: str, *, client: str | None = None) -> Actor:
        """A user's own change: the current password is checked as a sign-in is (throttled, audited),
        then `new` against the policy. Returns the actor, `must_change` cleared."""
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            outcome = user_table.authenticate(conn, name, current, client=client)
            if isinstance(outcome, Actor):
                user_table.set_password(conn, outcome.name, new)
                audit_log.record(conn, at=_utc_now(), user=outcome.name, action="password", version=None,
                                 detail=f"client {client or '?'}")
        if isinstance(outcome, Exception):
            raise outcome
        return Actor(outcome.name, outcome.role, via=outcome.via)

    def set_password(self, name: str, password: str, *, by: Actor) -> str:
        """An admin sets user `name`'s password (the CLI's `user passwd`); clears `must_change`."""
        auth.require(by, "admin", "manage_users")
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            stored = user_table.set_password(conn, name, password)
            audit_log.record(conn, at=_utc_now(), user=by.name, action="password", version=None, detail=stored)
        return stored

    def password_report(self, *, by: Actor) -> dict[str, list]:
        """Case twins, weak and pre-policy passwords (`users.policy_report`); weak ones must change."""
        auth.require(by, "admin", "manage_users")
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            return user_table.policy_report(conn)

    # --- sign-in sessions (the browser's cookie) ------------------------------------

    def open_session(self, name: str, password: str, *, client: str = "") -> tuple[Actor, str]:
        """Sign in: (the user, the token for the session cookie); PermissionDenied otherwise.

        One writer transaction, committed also when the password is refused,
        so that the failure counts.
        """
        now = session_table.now_utc()
        refused = None
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            try:
                opened = session_table.open_session(conn, name, password, client, now)
            except PermissionDenied as exc:
                refused = exc
            else:
                session_table.purge(conn, now)
        if refused is not None:
            raise refused
        return opened

    def session(self, token: str) -> session_table.Session | None:
        """The live session of a cookie's token, its idle clock moved on (at most once a minute)."""
        now = session_table.now_utc()
        with eng.read_transaction(self.engine) as conn:
            found = session_table.lookup(conn, token, now)
        if found is not None and session_table.due_for_touch(found, now):
            with eng.write_transaction(self.engine, self.busy_timeout) as conn:
                session_table.touch(conn, found, now)
        return found

    def close_session(self, token: str) -> bool:
        """Sign-out: the session ends on every server of this store."""
        with eng.write_transaction(self.engine, self.busy_timeout) as conn:
            return session_table.close(conn, token)

    # --- audit and checks -------------------------------------------------------------

    def audit(self) -> list[AuditEntry]:
        """Who imported, replaced, seeded or rolled back what, newest first."""
        with eng.read_transaction(self.engine) as conn:
            return audit_log.entries(conn)

    def dump(self) -> str:
        """A canonical dump of every table: equal dumps mean equal stores."""
        with eng.read_transaction(self.engine) as conn:
            return dumping.dump(conn)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _prepare(frames: dict[str, pd.DataFrame], mode: str) -> list[ver.Incoming]:
    if mode not in ver.MODES:
        raise BadArgument("bad_mode", *pair("error.bad_mode", mode=mode))
    return [ver.prepare(key, frame) for key, frame in frames.items()]


@dataclass(frozen=True)
class _Upload:
    """One upload, checked before any lock is taken (encoded under it, block by block)."""

    incoming: list[ver.Incoming]
    mode: str
    reference_date: date
    user: str
    note: str
    sha256: str
    illustrative: bool
    kind: str

    @classmethod
    def of(cls, frames, *, mode="update", reference_date, user, note="", sha256="", illustrative=False,
           kind="import") -> "_Upload":
        user = auth.require(user, "analyst", "import").name
        if kind not in ("import", "seed"):
            raise BadArgument("bad_kind", *pair("error.bad_kind", kind=kind))
        return cls(_prepare(frames, mode), mode, _as_date(reference_date, "reference_date"), str(user),
                   note or "", sha256 or "", bool(illustrative), kind)

    def write(self, conn) -> VersionInfo | None:
        def plan(insert: ver.Inserter) -> list[ver.SheetPlan]:
            return [ver.plan_upload(i, ver.stored_rows(conn, i.sheet), self.mode, insert) for i in self.incoming]

        action = "seed" if self.kind == "seed" else ("replace" if self.mode == "replace" else "import")
        return ver.write_version(
            conn, plan, reference_date=self.reference_date, user=self.user, note=self.note, sha256=self.sha256,
            mode=self.mode, kind=self.kind, illustrative=self.illustrative, action=action,
            detail=lambda plans: _detail(ver.describe(plans), self.sha256, self.note), if_changed=True,
        )


def _detail(changes: str, sha256: str, note: str) -> str:
    parts = [changes]
    if sha256:
        parts.append(f"sha256 {sha256[:12]}")
    if note:
        parts.append(f"note: {note}")
    return " | ".join(parts)
