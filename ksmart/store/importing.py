"""An upload's way into the store, shared by the CLI's `import` and the Data page.

validate (knowing which projects the store already has) → plan: merge against
the file's base version when it records one of this store's (`merging`),
with the preview and the conflicts → commit as one new version, re-planned
under the write lock. Each step is a plain function over the store, so both
front ends say and do exactly the same.

For a page that lets people settle conflicts:

    plan = plan_upload(store, result, mode=mode, reference_date=day)
    plan.result.warnings, plan.changes, plan.conflicts, plan.kept_added   # show these
    choices = {c.key: "keep" or "take" for c in plan.conflicts}           # one per conflict
    commit_plan(store, plan, actor=actor, note=note, resolutions=Resolutions(choices))
    # PlanStale: someone committed since; plan again and show it. MergeConflicts: a choice is missing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from ksmart.auth import Actor
from ksmart.ingest.validation import Issue, ValidationResult, validate_workbook
from ksmart.ingest.workbook import Source
from ksmart.store import SheetChanges, Store, VersionInfo, merging
from ksmart.store import versions as ver
from ksmart.store.merging import Conflict, MergeConflicts, PlanStale, Resolutions  # noqa: F401 (for the pages)

MODES = ver.MODES  # re-exported for the pages and the CLI


def validate_upload(store: Store, source: Source, *, mode: str = "update",
                    reference_date: date | None = None) -> ValidationResult:
    """Validate with the right idea of which projects a report, event or action
    may name and which meetings a directive may name.

    Update mode: the stored projects and events count too. Replace mode: a
    projects or events sheet in the file replaces the stored one, so only the
    file's count; without one, the stored ones still do.
    """
    return validate_workbook(source, reference_date=reference_date, replace=mode == "replace",
                             known_project_ids=store.current_ids("projects"),
                             known_events=store.current_frame("events"))


def preview_upload(store: Store, result: ValidationResult, *, mode: str = "update") -> dict[str, SheetChanges]:
    """What committing `result` would change, per sheet (merged against its base, if any); writes nothing."""
    return plan_upload(store, result, mode=mode).changes


def commit_upload(store: Store, result: ValidationResult, *, mode: str, actor: Actor,
                  reference_date: date | None = None, note: str = "") -> VersionInfo | None:
    """Plan and commit a valid upload at once, as one new version (None when nothing changed).

    A based upload is merged (`plan_upload`); a conflict raises `MergeConflicts`
    (nothing written): settling conflicts takes `plan_upload` and `commit_plan`.
    The store refuses an actor below analyst; a result with errors never gets here.
    """
    plan = plan_upload(store, result, mode=mode, reference_date=reference_date)
    return commit_plan(store, plan, actor=actor, note=note)


# --- merging an upload against its base (issue 19) ------------------------------------


@dataclass(frozen=True)
class UploadPlan:
    """What committing an upload would do, for the page and the CLI to show.

    `result` is the validation result with the store's warnings added
    (`reference_date_raised`, `older_than_stored`); `merge.changes` the
    preview per sheet; `conflicts` what needs a choice (keep or take, by
    `Conflict.key`) before `commit_plan`.
    """

    result: ValidationResult
    merge: merging.MergePlan
    reference_date: date

    @property
    def base(self) -> int | None:
        return self.merge.base

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.merge.conflicts

    @property
    def unresolved(self) -> tuple[Conflict, ...]:
        return self.merge.unresolved

    @property
    def changes(self) -> dict[str, SheetChanges]:
        return self.merge.changes

    @property
    def kept_added(self) -> dict[str, tuple[str, ...]]:
        return self.merge.kept_added


def base_of(store: Store, result: ValidationResult) -> int | None:
    """The file's base version when it is one of this store's versions; else None."""
    stamp = result.stamp
    if stamp is None or stamp.store_id != store.store_id():
        return None
    latest = store.latest_version()
    return stamp.version if latest is not None and stamp.version <= latest else None


def plan_upload(store: Store, result: ValidationResult, *, mode: str = "update", reference_date: date | None = None,
                resolutions: Resolutions = merging.NONE) -> UploadPlan:
    """Merge a valid upload against its base (if it records one of this store's) and the
    newest version; writes nothing."""
    base = base_of(store, result)
    given = merging.MergeInput(result.frames, result.columns, base, mode)
    planned = store.plan_merge(given, resolutions)
    day = reference_date or result.reference_date or date.today()
    newest = store.version_info(planned.latest) if planned.latest is not None else None
    extra = []
    if newest is not None and day < newest.reference_date:
        details = {"file_date": day.isoformat(), "stored_date": newest.reference_date.isoformat(),
                   "version": newest.number}
        if planned.base is not None:  # a based upload never moves the store's date back
            extra.append(Issue("reference_date_raised", details=details))
            day = newest.reference_date
        else:
            extra.append(Issue("older_than_stored", details=details))
    return UploadPlan(dataclasses.replace(result, issues=[*result.issues, *extra]), planned, day)


def commit_plan(store: Store, plan: UploadPlan, *, actor: Actor, note: str = "",
                resolutions: Resolutions = merging.NONE) -> VersionInfo | None:
    """Commit `plan` as shown: re-planned under the write lock with `resolutions`.

    Raises `PlanStale` when the store moved since the plan (plan and show it
    again) and `MergeConflicts` when a conflict has no resolution.
    """
    result = plan.result
    if not result.ok:
        raise ValueError("an upload with validation errors cannot be committed")
    return store.commit_merge(plan.merge, resolutions, reference_date=plan.reference_date, user=actor, note=note,
                              sha256=result.sha256, illustrative=result.illustrative)
