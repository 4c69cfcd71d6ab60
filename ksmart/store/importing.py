"""An upload's way into the store, shared by the CLI's `import` and the Data page.

validate (knowing which projects the store already has) → preview what would
change → commit as one new version. Each step is a plain function over the
store, so both front ends say and do exactly the same.
"""

from __future__ import annotations

from datetime import date

from ksmart.auth import Actor
from ksmart.ingest.validation import ValidationResult, validate_workbook
from ksmart.ingest.workbook import Source
from ksmart.store import SheetChanges, Store, VersionInfo
from ksmart.store import versions as ver

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
    """What committing `result` would change, per sheet; writes nothing."""
    return store.preview(result.frames, mode=mode)


def commit_upload(store: Store, result: ValidationResult, *, mode: str, actor: Actor,
                  reference_date: date | None = None, note: str = "") -> VersionInfo | None:
    """Commit a valid upload as one new version (None when nothing changed).

    The store refuses an actor below analyst; a result with errors never gets here.
    """
    if not result.ok:
        raise ValueError("an upload with validation errors cannot be committed")
    return store.import_frames(
        result.frames, mode=mode, reference_date=reference_date or result.reference_date or date.today(),
        user=actor, note=note, sha256=result.sha256, illustrative=result.illustrative,
    )
