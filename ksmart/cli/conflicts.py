"""Merge conflicts of `import` as lines a person reads and as JSON (`--json`'s `conflicts`).

Values are shown as the workbook shows them: enums by their label, lists
joined, percentages with %, empty as the catalogue's "(empty)".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ksmart import reference as ref
from ksmart.cli.output import one_line
from ksmart.i18n import t
from ksmart.store.merging import DELETED_IN_STORE, REMOVED_IN_FILE, Conflict

_ROW_TEXT = {DELETED_IN_STORE: "merge.deleted_in_store", REMOVED_IN_FILE: "merge.removed_in_file"}


def shown(sheet_key: str, field: str, value, lang: str) -> str:
    """A canonical value as the workbook shows it, on one line (a cell's breaks written as escapes)."""
    return one_line(_shown(sheet_key, field, value, lang))


def _shown(sheet_key: str, field: str, value, lang: str) -> str:
    if value is None or value == [] or value == "":
        return t("merge.empty", lang)
    col = ref.SHEETS[sheet_key].by_key[field]
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if col.enum is not None and value in col.enum.by_key:
        return col.enum.label(value, lang)
    if col.type == ref.PERCENT and isinstance(value, (int, float)):
        return f"{value * 100:g}%"
    return str(value)


def _sheet_name(sheet_key: str, lang: str, names: Mapping[str, str]) -> str:
    return names.get(sheet_key) or ref.SHEETS[sheet_key].label(lang)


def conflict_lines(conflicts: Iterable[Conflict], lang: str, names: Mapping[str, str] = {},
                   kept: Mapping[str, tuple[str, ...]] = {}) -> list[str]:
    lines = []
    for c in conflicts:
        sheet = _sheet_name(c.sheet, lang, names)
        if c.field is None:
            lines.append(t("merge.conflict_row", lang, sheet=sheet, row_id=c.row_id, what=t(_ROW_TEXT[c.kind], lang)))
        else:
            lines.append(t("merge.conflict_field", lang, sheet=sheet, row_id=c.row_id,
                           field=ref.SHEETS[c.sheet].by_key[c.field].header(lang),
                           **{side: shown(c.sheet, c.field, getattr(c, side), lang) for side in ("base", "stored", "file")}))
    for key, ids in kept.items():
        lines.append(t("merge.kept_added", lang, sheet=_sheet_name(key, lang, names), count=len(ids),
                       ids=", ".join(sorted(ids))))
    return lines


def conflict_json(c: Conflict, lang: str, names: Mapping[str, str] = {}) -> dict:
    """One conflict for `--json`: canonical values (rows as objects for a whole-row conflict) and its message."""
    return {"key": c.key, "sheet": _sheet_name(c.sheet, lang, names), "sheet_key": c.sheet, "id": c.row_id,
            "field": c.field, "kind": c.kind, "base": c.base, "stored": c.stored, "file": c.file,
            "message": conflict_lines([c], lang, names)[0]}
