"""Validating a workbook: raw grids in, typed frames and a report of every problem out.

`validate_workbook` never stops at the first problem: each issue carries the
sheet, the Excel row, the header as written, the value, a reason code and
messages in Korean and English (levels in `messages.REASONS`, texts in the catalogue). Whole-file problems
raise `FileRejected` instead (see `xlsx_safety`, `workbook`).

Values are parsed once per distinct value of a column (`pd.factorize`), so a
50,000-row sheet costs a few pandas operations per column, not a Python call
per cell.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from ksmart import frames as frames_mod
from ksmart import i18n
from ksmart import reference as ref
from ksmart.errors import FileRejected
from ksmart.ingest import meetings, messages, values
from ksmart.ingest.cell_extent import cell_address
from ksmart.ingest.sheet_blocks import Block
from ksmart.ingest.stamp import Stamp
from ksmart.ingest.workbook import RawSheet, Source, read_workbook
from ksmart.ingest.xlsx_safety import Limits

HEADER_SEARCH_ROWS = 30
HEADER_MIN_COLUMNS = 3


EXCEL_CELL_CHARACTERS = 32_767  # what an Excel cell holds: longer text could not be exported unchanged
# C0 controls but tab, line feed and carriage return; DEL and the C1 controls (workbook.md: `control_character`)
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

@dataclass
class Issue:
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    details: dict = field(default_factory=dict)
    cell: str | None = None  # the Excel address, e.g. `L5`, of a located problem

    @property
    def level(self) -> str:
        return messages.level_of(self.code)

    def message(self, lang: str = "ko") -> str:
        fields = {"sheet": self.sheet, "column": self.column, "value": self.value, **self.details}
        return messages.render(self.code, lang, fields)

    def to_json(self, lang: str = "ko") -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "cell": self.cell,
                "value": self.value, "code": self.code, "message": self.message(lang)}


@dataclass
class ValidationResult:
    issues: list[Issue]
    frames: dict[str, pd.DataFrame]  # conformed, only the sheets present
    sheet_names: dict[str, str]  # sheet key -> name as written
    excel_rows: dict[str, np.ndarray]  # sheet key -> Excel row of each frame row
    sha256: str
    reference_date: dt.date | None = None
    illustrative: bool = False
    omitted: dict[str, int] = field(default_factory=dict)  # code -> problems counted but not listed
    stamp: Stamp | None = None  # the base the file was exported from (ingest.stamp)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sheet key -> column keys the file has

    def _of(self, level: str) -> list[Issue]:
        return [i for i in self.issues if i.level == level]

    @property
    def errors(self) -> list[Issue]:
        return self._of(messages.ERROR)

    @property
    def warnings(self) -> list[Issue]:
        return self._of(messages.WARNING)

    @property
    def info(self) -> list[Issue]:
        return self._of(messages.INFO)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def sheets_present(self) -> list[str]:
        return list(self.frames)

    @property
    def counts(self) -> dict[str, int]:
        return {key: len(frame) for key, frame in self.frames.items()}

    def to_json(self, lang: str = "ko") -> dict:
        return {
            "ok": self.ok,
            "errors": [i.to_json(lang) for i in self.errors],
            "warnings": [i.to_json(lang) for i in self.warnings],
            "info": [i.to_json(lang) for i in self.info],
            "counts": self.counts,
            "omitted": omitted_json(self.omitted, lang),
        }

    def report_frame(self, lang: str = "ko") -> pd.DataFrame:
        """One row per issue: level, sheet, row, column, value, code, message."""
        rows = [{"level": i.level, **i.to_json(lang)} for i in self.issues]
        rows += [{"level": o["level"], "code": o["code"], "message": o["message"]}
                 for o in omitted_json(self.omitted, lang)]
        return pd.DataFrame(rows, columns=["level", "sheet", "row", "column", "cell", "value", "code", "message"])

    def total(self, level: str) -> int:
        """Problems of `level`, those counted but not listed included."""
        return len(self._of(level)) + sum(n for code, n in self.omitted.items() if messages.level_of(code) == level)


def omitted_json(omitted: dict[str, int], lang: str) -> list[dict]:
    """One line per code whose problems were counted beyond the report's bound."""
    return [{"code": code, "level": messages.level_of(code), "count": n,
             "message": i18n.t("report_bound.omitted", lang, n=n, code=code, limit=messages.MAX_PER_CODE)}
            for code, n in omitted.items()]


def validate_workbook(
    source: Source,
    *,
    reference_date: dt.date | None = None,
    known_project_ids: Iterable[str] | None = None,
    known_events: pd.DataFrame | None = None,
    replace: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
) -> ValidationResult:
    """Read and check a workbook (path, bytes or file-like).

    `known_project_ids` are the projects a report, event or action may name
    besides those in the file (the store's); without them and without a
    projects sheet, such references are not checked. `known_events` (event_id,
    date, type: the store's events) are the meetings a directive may name
    besides the file's; without them and without an events sheet, meetings
    are not checked. `replace`: the upload replaces the sheets it holds, so a
    projects or events sheet in the file is all there is of them.
    """
    limits = limits or Limits.from_settings()
    book = read_workbook(source, limits)
    bound = messages.IssueBound()
    context = _Context(date1904=book.date1904, today=today or dt.date.today(), max_rows=limits.max_rows, bound=bound)
    issues = bound.admitted(Issue("unknown_sheet", sheet=name, details={"sheet": name}) for name in book.skipped_sheets)
    parsed = {raw.key: _SheetReader(raw, context).read() for raw in book.sheets}
    for sheet in parsed.values():
        issues.extend(sheet.issues)
    frames = {key: sheet.frame for key, sheet in parsed.items()}
    excel_rows = {key: sheet.excel_rows for key, sheet in parsed.items()}
    names = {raw.key: raw.name for raw in book.sheets}
    if replace and "projects" in frames:
        known_project_ids = None
    if replace and "events" in frames:
        known_events = None
    if "actions" in frames:
        frames["actions"], follow_up_issues = _check_actions(frames, excel_rows, names, parsed, known_events)
        issues.extend(bound.admitted(follow_up_issues))
    issues.extend(bound.admitted(_check_project_references(frames, excel_rows, names, parsed, known_project_ids)))

    file_date = next((s.reference_date for s in parsed.values() if s.reference_date), None)
    issues.extend(bound.admitted(_reference_date_issues(file_date, reference_date, context.today)))
    _locate(issues, {raw.name: parsed[raw.key].column_of for raw in book.sheets})
    order = {name: i for i, name in enumerate([*names.values(), *book.skipped_sheets])}
    issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0))
    return ValidationResult(
        issues=issues,
        frames=frames,
        sheet_names=names,
        excel_rows=excel_rows,
        sha256=book.sha256,
        reference_date=reference_date or file_date,
        illustrative=any(s.illustrative for s in parsed.values()),
        omitted=bound.omitted,
        stamp=book.stamp,
        columns={key: _given_columns(key, sheet.headers) for key, sheet in parsed.items()},
    )


def _locate(issues: list[Issue], column_of: dict[str, dict[str, int]]) -> None:
    """Give each located problem its cell address (`L5`) from its sheet's header positions."""
    for issue in issues:
        position = column_of.get(issue.sheet, {}).get(issue.column)
        if issue.cell is None and issue.row and position is not None:
            issue.cell = cell_address(issue.row, position + 1)


def _given_columns(sheet_key: str, headers: dict[str, str]) -> tuple[str, ...]:
    """The columns a sheet of the file gives, in the sheet's order (a derived id counts as given)."""
    sheet = ref.SHEETS[sheet_key]
    return tuple(c.key for c in sheet.columns if c.key in headers or c.key == sheet.id_column)


@dataclass(frozen=True)
class _Context:
    date1904: bool
    today: dt.date
    max_rows: int
    bound: messages.IssueBound = field(default_factory=messages.IssueBound)  # shared by every sheet


@dataclass
class _ParsedSheet:
    frame: pd.DataFrame
    excel_rows: np.ndarray
    issues: list[Issue]
    headers: dict[str, str]  # column key -> header as written
    reference_date: dt.date | None
    illustrative: bool
    column_of: dict[str, int] = field(default_factory=dict)  # header as written -> 0-based position


class _SheetReader:
    """Reads one raw sheet: header, title area, data rows, typed columns."""

    def __init__(self, raw: RawSheet, context: _Context):
        self.raw = raw
        self.sheet = ref.SHEETS[raw.key]
        self.context = context
        self.issues: list[Issue] = []
        self.column_of: dict[str, int] = {}  # header as written -> position, for cell addresses
        self.aliases = {ref.fold(alias): col.key for col in self.sheet.columns for alias in col.aliases}

    def issue(self, code: str, row: int | None = None, column: str | None = None, value=None, **details):
        if not self.context.bound.admit(code):  # counted, not listed: the report stays bounded
            return
        text = None if value is None else values.as_text(value)
        self.issues.append(Issue(code, self.raw.name, row, column, text, details))

    # -- layout ---------------------------------------------------------------------

    def read(self) -> _ParsedSheet:
        blocks = self.raw.blocks()
        first_blocks = _blocks_covering(blocks, HEADER_SEARCH_ROWS)
        head = _head_rows(first_blocks, HEADER_SEARCH_ROWS)
        header_index = self._find_header(head)
        if header_index is None:
            expected = ", ".join(c.header_ko for c in self.sheet.columns[:4])
            self.issue("no_header", expected=expected, rows=HEADER_SEARCH_ROWS,
                       min_columns_ko=i18n.number_word(HEADER_MIN_COLUMNS, "ko"),
                       min_columns_en=i18n.number_word(HEADER_MIN_COLUMNS, "en"))
            return _ParsedSheet(frames_mod.empty(self.sheet.key), np.array([], dtype=int), self.issues, {}, None, False)
        positions, headers = self._map_columns(head[header_index], header_index)
        for col in self.sheet.columns:
            if col.required and col.key not in positions:
                self.issue("missing_column", header_index + 1, col.header_ko)
        title_rows = head[:header_index]
        data = self._data_rows(header_index, positions, itertools.chain(first_blocks, blocks))
        frame = self._typed_frame(data, positions, headers)
        return _ParsedSheet(frame, data.excel_rows, self.issues, headers,
                            _reference_date_in(title_rows, self.context), _is_illustrative(title_rows),
                            self.column_of)

    def _find_header(self, head: list[list]) -> int | None:
        for index, row in enumerate(head):
            keys = {self.aliases.get(ref.fold(cell)) for cell in row if isinstance(cell, str) and cell.strip()}
            if len(keys - {None}) >= HEADER_MIN_COLUMNS:
                return index
        return None

    def _map_columns(self, header_row: list, header_index: int) -> tuple[dict[str, int], dict[str, str]]:
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        for position, cell in enumerate(header_row):
            text = values.as_text(cell)
            if not text:
                continue
            self.column_of.setdefault(text, position)
            key = self.aliases.get(ref.fold(text))
            if key is None:
                self.issue("unknown_column", header_index + 1, text)
            elif key in positions:
                self.issue("duplicate_column", header_index + 1, text, first_column=headers[key])
            else:
                positions[key] = position
                headers[key] = text
        return positions, headers

    def _data_rows(self, header_index: int, positions: dict[str, int], blocks: Iterable[Block]) -> "_DataRows":
        """The rows below the header that fill a known column, factorised column by column, block by block."""
        columns = {key: _ColumnBuilder() for key in positions}
        excel_rows: list[np.ndarray] = []
        formula_cells: set[tuple[int, int]] = set()
        for block in blocks:
            formula_cells |= block.formula_cells
            skip = max(0, header_index + 1 - block.first_row)
            rows = block.rows[skip:]
            if not rows:
                continue
            grid = _grid(rows)
            blank = np.full(len(rows), "", dtype=object)
            codes = {key: columns[key].add(grid[:, p] if p < grid.shape[1] else blank) for key, p in positions.items()}
            n_filled = sum((~columns[key].empty(c) for key, c in codes.items()), np.zeros(len(rows), dtype=int))
            keep = n_filled > 0
            for i in np.flatnonzero(n_filled == 1):
                if self._is_footnote(rows[i], positions):
                    keep[i] = False
            for key, c in codes.items():
                columns[key].keep(c[keep])
            excel_rows.append(np.flatnonzero(keep) + block.first_row + skip + 1)
        rows_kept = np.concatenate(excel_rows) if excel_rows else np.array([], dtype=int)
        if len(rows_kept) > self.context.max_rows:  # the safety pass bounds the last row number
            details = {"count": len(rows_kept), "limit": self.context.max_rows}
            raise FileRejected("too_many_rows", messages.render("too_many_rows", "ko", details),
                               messages.render("too_many_rows", "en", details))
        return _DataRows({key: builder.cells() for key, builder in columns.items()}, rows_kept, formula_cells)

    @staticmethod
    def _is_footnote(row: list, positions: dict[str, int]) -> bool:
        """First non-empty cell starts like a footnote, and no other known column is filled."""
        first = next((p for p, c in enumerate(row) if not values.is_empty(c)), None)
        if first is None or not values.as_text(row[first]).casefold().startswith(ref.FOOTNOTE_PREFIXES):
            return False
        return all(p == first or values.is_empty(row[p]) for p in positions.values() if p < len(row))

    # -- values --------------------------------------------------------------------

    def _typed_frame(self, data: "_DataRows", positions: dict[str, int], headers: dict[str, str]) -> pd.DataFrame:
        formula_rows = self._formula_rows(data, positions)
        columns = {}
        for key in list(data.cells):
            # Typed to the frame's dtype at once, and the raw column let go: at 50,000
            # rows, holding every column as Python objects and as Arrow text together
            # was the peak of an import's memory.
            cells = data.cells.pop(key)
            col = self.sheet.by_key[key]
            typed = self._parse_column(col, headers[key], cells, data.excel_rows, formula_rows.get(key, set()))
            del cells
            columns[key] = frames_mod.conform_column(col, typed)
        n = len(data.excel_rows)
        self._fill_defaults(columns, n)
        self._check_unique(columns, data.excel_rows, headers)
        # Every column is conformed by now (the absent ones made empty): no `frames.conform` pass over the frame.
        return pd.DataFrame({col.key: columns[col.key] if col.key in columns
                             else frames_mod.conform_column(col, [None] * n) for col in self.sheet.columns})

    def _formula_rows(self, data: "_DataRows", positions: dict[str, int]) -> dict[str, set[int]]:
        """Column key -> Excel rows whose cell is a formula without a saved value."""
        by_position = {p: key for key, p in positions.items()}
        kept = set(data.excel_rows.tolist()) if data.formula_cells else set()
        found: dict[str, set[int]] = {}
        for row, position in data.formula_cells:
            key = by_position.get(position)
            if key is not None and row + 1 in kept:
                found.setdefault(key, set()).add(row + 1)
        return found

    def _parse_column(self, col: ref.Column, header: str, cells: "_Cells", excel_rows: np.ndarray,
                      formula_rows: set[int]) -> np.ndarray:
        """The column's typed values; each distinct raw value is parsed once."""
        parsed, problems = self._parse_uniques(col, cells.uniques)
        typed = _typed_column(col, parsed, cells.codes)
        for i in cells.rows_where([p is not None for p in problems]):
            row = int(excel_rows[i])
            if row not in formula_rows:
                raw = cells.raw(i)
                code = problems[cells.codes[i]]
                details = self._details(col, code, raw, parsed[cells.codes[i]]) if self.context.bound.room(code) else {}
                self.issue(code, row, header, raw, **details)
        for row in sorted(formula_rows):
            self.issue("formula_no_value", row, header)
        if col.type == ref.TEXT:
            self._check_text(parsed, header, cells, excel_rows, col.max_length or EXCEL_CELL_CHARACTERS)
        return typed

    def _check_text(self, parsed: list, header: str, cells: "_Cells", excel_rows: np.ndarray, limit: int) -> None:
        """Text that an export could not write back unchanged (longer than `limit`, at most a cell's
        limit), or that carries control characters (a terminal, a log or a formula would act on them)."""
        too_long = [isinstance(v, str) and len(v) > limit for v in parsed]
        for i in cells.rows_where(too_long):
            value = parsed[cells.codes[i]]
            self.issue("too_long", int(excel_rows[i]), header, value[:40] + "…", length=len(value), limit=limit)
        controlled = [isinstance(v, str) and CONTROL_CHARACTER.search(v) is not None and len(v) <= limit
                      for v in parsed]
        for i in cells.rows_where(controlled):
            value = parsed[cells.codes[i]]
            found = CONTROL_CHARACTER.search(value).group()
            self.issue("control_character", int(excel_rows[i]), header, CONTROL_CHARACTER.sub("\ufffd", value)[:60],
                       character=f"U+{ord(found):04X}")

    def _parse_uniques(self, col: ref.Column, uniques: np.ndarray) -> tuple[list, list]:
        if col.type == ref.TEXT:  # most distinct values are free text: keep them cheap
            return _parse_text_uniques(uniques, col.required)
        if col.type == ref.NUMBER:  # amounts are mostly distinct floats: skip the parser chain for them
            pairs = [(u, None) if type(u) is float and u >= 0 else self._parse_value(col, u) for u in uniques]
            return [p[0] for p in pairs], [p[1] for p in pairs]
        pairs = [self._parse_value(col, raw) for raw in uniques]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def _parse_value(self, col: ref.Column, raw) -> tuple[object, str | None]:
        if values.is_empty(raw):
            return None, ("required" if col.required else None)
        if values.is_placeholder(raw):
            return None, ("required" if col.required else "placeholder")
        value, problem = _PARSERS[col.type](raw, col, self.context)
        return value, problem

    def _details(self, col: ref.Column, code: str, raw, parsed) -> dict:
        if code == "unknown_value":
            return {"allowed_ko": ", ".join(col.enum.labels("ko")), "allowed_en": ", ".join(col.enum.labels("en"))}
        if code == "unknown_country":
            return _country_suggestions(raw)
        if code == "bad_date":
            return {"min_year": values.MIN_YEAR}
        if code == "approximate":
            shown = parsed.isoformat() if isinstance(parsed, dt.date) else f"{parsed:g}"
            return {"parsed": shown}
        if code == "unknown_technology":
            unknown = ", ".join(t for t in parsed if t not in ref.TECHNOLOGIES.by_key)
            return {"unknown": unknown, "allowed_ko": ", ".join(ref.TECHNOLOGIES.labels("ko")),
                    "allowed_en": ", ".join(ref.TECHNOLOGIES.labels("en"))}
        return {}

    def _fill_defaults(self, columns: dict[str, pd.Series], n: int) -> None:
        if self.sheet.key == "projects":
            status = pd.Series(columns["status"]) if "status" in columns else pd.Series([None] * n, dtype="str")
            columns["status"] = frames_mod.conform_column(self.sheet.by_key["status"],
                                                          status.fillna(ref.DEFAULT_STATUS))
        if self.sheet.key in ("reports", "events"):
            _derive_ids(self.sheet.key, columns, n)
            id_col = self.sheet.by_key[self.sheet.id_column]
            columns[id_col.key] = frames_mod.conform_column(id_col, columns[id_col.key])

    def _check_unique(self, columns: dict[str, pd.Series], excel_rows: np.ndarray, headers: dict[str, str]) -> None:
        for col in self.sheet.columns:
            if not col.unique or col.key not in columns or self.sheet.key in _IDS_DERIVED_LATER:
                continue
            self.issues.extend(_duplicate_ids(pd.Series(columns[col.key]), excel_rows, self.raw.name,
                                              headers.get(col.key, col.header_ko)))


# Sheets whose ids are derived from other sheets (actions: from the meeting's event id),
# so their uniqueness is checked once that is done.
_IDS_DERIVED_LATER = ("actions",)


def _duplicate_ids(ids: pd.Series, excel_rows: np.ndarray, sheet: str, header: str) -> list[Issue]:
    """`duplicate_id` on each later row whose id an earlier row already has."""
    present = ids.notna()
    keys = frames_mod.id_key(ids[present])
    duplicated = keys.duplicated(keep="first")
    if not duplicated.any():  # the usual case: spare a dict of every id
        return []
    first_row = dict(zip(keys[~duplicated], excel_rows[present.to_numpy()][~duplicated.to_numpy()]))
    return [Issue("duplicate_id", sheet, int(excel_rows[index]), header, values.as_text(ids[index]),
                  {"first_row": int(first_row[keys[index]])})
            for index in keys.index[duplicated.to_numpy()]]


def _check_actions(frames, excel_rows, names, parsed, stored_events) -> tuple[pd.DataFrame, list[Issue]]:
    """Directives' meetings resolved to event ids, ids derived, then ids checked unique."""
    events = meetings.known_events(frames.get("events"), stored_events)
    frame, problems = meetings.follow_up(frames["actions"], events)
    sheet, rows, headers = names["actions"], excel_rows["actions"], parsed["actions"].headers
    columns = ref.ACTIONS.by_key
    issues = [Issue(p.code, sheet, int(rows[p.index]), headers.get(p.column, columns[p.column].header_ko),
                    None if p.value is None else values.as_text(p.value), p.details) for p in problems]
    issues += _duplicate_ids(frame["action_id"], rows, sheet, headers.get("action_id", columns["action_id"].header_ko))
    return frame, issues


def _grid(rows: list[list]) -> np.ndarray:
    """The data rows as one (rows × columns) object array; short rows padded with "".

    Why not `zip(*rows)`: flattening into `np.fromiter` and slicing columns
    is about twice as fast at 50,000 rows × 22 columns, and each column is
    then an array already (`np.asarray` of a tuple probes every cell for
    nesting). calamine's grids are rectangular; padding only guards the rest.
    """
    width = max(map(len, rows), default=0)
    if any(len(row) != width for row in rows):
        rows = [list(row) + [""] * (width - len(row)) for row in rows]
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def _blocks_covering(blocks: Iterator[Block], n_rows: int) -> list[Block]:
    """The first blocks, up to the one that reaches row `n_rows` (the header search area)."""
    taken = []
    for block in blocks:
        taken.append(block)
        if block.first_row + len(block.rows) >= n_rows:
            break
    return taken


def _head_rows(blocks: list[Block], n_rows: int) -> list[list]:
    """Rows 0 … n_rows-1 of the sheet, empty lists where the file has none."""
    head: list[list] = [[] for _ in range(n_rows)]
    for block in blocks:
        for i, row in enumerate(block.rows[:max(0, n_rows - block.first_row)]):
            head[block.first_row + i] = row
    last = max((i for i, row in enumerate(head) if row), default=-1)
    return head[:last + 1]


class _ColumnBuilder:
    """One recognised column, factorised block by block over one table of distinct values.

    Each block is factorised by `pd.factorize` (each cell hashed once in C);
    only the block's distinct values meet the column's table, a dict from
    value to code, in Python. So the first-seen value objects are kept and
    nothing else, and the codes are those of factorising the whole column at
    once (the dict and pandas' hash table agree on equality: 1 == 1.0 ==
    True), without ever holding its cells. Missing cells (None, NaN; calamine
    gives neither) are code -1 until `cells()` makes them one NaN value, as
    `factorize(use_na_sentinel=False)` would.
    """

    def __init__(self):
        self.codes_of: dict | None = {}  # distinct value -> code; let go by `cells()`
        self.uniques: list[np.ndarray] = []  # the distinct values, in code order, as each block added them
        self.empty_flags = np.zeros(1, dtype=bool)  # `values.is_empty` of each distinct value, then of missing
        self.kept: list[np.ndarray] = []

    def add(self, raw_cells: np.ndarray) -> np.ndarray:
        """The block's codes (-1: missing)."""
        local, block_uniques = pd.factorize(np.asarray(raw_cells, dtype=object))  # -1: None, NaN
        codes_of = self.codes_of
        seen = len(codes_of)
        # len(codes_of) is read before each insertion: a new value gets the next code.
        to_code = np.fromiter((codes_of.setdefault(u, len(codes_of)) for u in block_uniques), dtype=np.int32,
                              count=len(block_uniques))
        new = block_uniques[to_code >= seen]  # in code order: codes are handed out in this order
        if len(new):
            self.uniques.append(new)
            self.empty_flags = np.concatenate([self.empty_flags[:-1], _empty_flags(new), [False]])
        return np.append(to_code, np.int32(-1))[local]  # local -1 (missing) picks the trailing -1

    def empty(self, codes: np.ndarray) -> np.ndarray:
        return self.empty_flags[codes]  # -1 picks the last flag: missing is not empty

    def keep(self, codes: np.ndarray) -> None:
        self.kept.append(codes)

    def cells(self) -> "_Cells":
        self.codes_of = None  # every block is in: the table is no longer needed
        uniques = np.concatenate(self.uniques) if self.uniques else np.array([], dtype=object)
        self.uniques = [uniques]
        codes = np.concatenate(self.kept) if self.kept else np.array([], dtype=np.int32)
        missing = codes < 0
        if missing.any():
            codes[missing] = len(uniques)
            uniques = np.append(uniques, np.array([np.nan], dtype=object))
        return _Cells(codes, uniques)


def _empty_flags(uniques: np.ndarray) -> np.ndarray:
    """`values.is_empty` of each distinct value."""
    return np.fromiter(map(values.is_empty, uniques), dtype=bool, count=len(uniques))


@dataclass
class _Cells:
    """One recognised column of the data rows, factorised: row i holds uniques[codes[i]]."""

    codes: np.ndarray
    uniques: np.ndarray

    def raw(self, i: int):
        return self.uniques[self.codes[i]]

    def rows_where(self, unique_flags) -> np.ndarray:
        """Rows whose distinct value is flagged."""
        flagged = np.flatnonzero(np.asarray(unique_flags, dtype=bool))
        if flagged.size == 0:
            return flagged
        return np.flatnonzero(np.isin(self.codes, flagged))


@dataclass
class _DataRows:
    cells: dict[str, _Cells]
    excel_rows: np.ndarray
    formula_cells: set[tuple[int, int]]  # (row, col), 0-based: formulas without a saved value


def _parse_text_uniques(uniques: np.ndarray, required: bool) -> tuple[list, list]:
    """Text cells, stripped; empty and placeholder cells flagged as `_parse_value` would."""
    texts = [u.strip() if type(u) is str else values.as_text(u) for u in uniques]
    parsed: list = [t or None for t in texts]
    problems: list = [None] * len(texts)
    for i, text in enumerate(texts):
        if not text:
            problems[i] = "required" if required else None
        elif len(text) <= values.PLACEHOLDER_MAX_LENGTH and values.is_placeholder(text):
            parsed[i], problems[i] = None, ("required" if required else "placeholder")
    return parsed, problems


def _typed_column(col: ref.Column, parsed: list, codes: np.ndarray):
    """The column's values in row order, from its parsed distinct values.

    Text is put into Arrow once per distinct value and gathered by code there:
    no Python object per row (at 50,000 rows those were the peak of memory).
    """
    if frames_mod.DTYPES.get(col.type) == "str":
        return pd.array(parsed, dtype="str").take(codes)
    return _typed_array(col, parsed)[codes]


def _typed_array(col: ref.Column, parsed) -> np.ndarray:
    """Parsed distinct values as an array of the column's dtype, ready to index by codes."""
    if col.type in (ref.NUMBER, ref.PERCENT):
        return np.array([np.nan if v is None else v for v in parsed], dtype="float64")
    if col.type == ref.DATE:
        return pd.to_datetime(pd.Series(parsed, dtype=object)).to_numpy(dtype="datetime64[ns]")
    out = np.empty(len(parsed), dtype=object)
    out[:] = [() if v is None else v for v in parsed] if col.type == ref.LIST else list(parsed)
    return out


# Each parser: (raw cell, column, context) -> (value, problem code)
_PARSERS = {
    ref.TEXT: lambda raw, col, ctx: values.parse_text(raw),
    ref.ENUM: lambda raw, col, ctx: values.parse_enum(raw, col.enum),
    ref.COUNTRY: lambda raw, col, ctx: values.parse_country(raw),
    ref.AGENCY: lambda raw, col, ctx: values.parse_agency(raw),
    ref.LIST: lambda raw, col, ctx: (values.parse_technologies(raw) if col.items is ref.TECHNOLOGIES
                                     else values.parse_agencies(raw) if col.items is ref.AGENCIES
                                     else values.parse_list(raw)),
    ref.MEETING: lambda raw, col, ctx: values.parse_meeting(raw, date1904=ctx.date1904),
    ref.NUMBER: lambda raw, col, ctx: values.parse_number(raw),
    ref.PERCENT: lambda raw, col, ctx: values.parse_percent(raw),
    ref.DATE: lambda raw, col, ctx: values.parse_date(raw, date1904=ctx.date1904, today=ctx.today),
    ref.YESNO: lambda raw, col, ctx: values.parse_yesno(raw),
}


def _country_suggestions(raw) -> dict:
    from ksmart import countries

    text = values.as_text(raw)
    ko = countries.suggestions(text, lang="ko")
    en = countries.suggestions(text, lang="en")
    return {"suggestions_ko": i18n.t("reason_hint.suggestions", "ko", names=", ".join(ko)) if ko else "",
            "suggestions_en": i18n.t("reason_hint.suggestions", "en", names=", ".join(en)) if en else ""}


def _derive_ids(sheet_key: str, columns: dict[str, pd.Series], n: int) -> None:
    """Reports and events without an id get one from their content, stable across uploads."""
    id_key = ref.SHEETS[sheet_key].id_column
    empty = np.full(n, None, dtype=object)
    ids = columns.get(id_key, empty)
    missing = np.flatnonzero(pd.isna(ids))
    if missing.size == 0:
        return
    text_key = "title" if sheet_key == "reports" else "name"
    country, day, text = (columns.get(k, empty) for k in ("country", "date", text_key))
    derived = np.array(ids, dtype=object)
    for i in missing:
        digest = hashlib.sha1(str(text[i] or "").encode()).hexdigest()[:6]
        stamp = pd.Timestamp(day[i]).strftime("%Y%m%d") if not pd.isna(day[i]) else "nodate"
        derived[i] = f"{country[i] or 'INT'}-{stamp}-{digest}"
    columns[id_key] = derived


def _id_keys(ids) -> set[str]:
    return {str(i).strip().casefold() for i in ids if isinstance(i, str)}


def _check_project_references(frames, excel_rows, names, parsed, known_project_ids) -> list[Issue]:
    known = _id_keys(known_project_ids or [])
    if "projects" in frames:
        # As a list: iterating Arrow-backed strings one by one is several times slower.
        known |= _id_keys(frames["projects"]["project_id"].dropna().tolist())
    elif known_project_ids is None:
        return []
    issues = []
    for key in ("reports", "events", "actions"):
        if key not in frames:
            continue
        ids = frames[key]["project_id"].tolist()
        header = parsed[key].headers.get("project_id")
        for index, pid in enumerate(ids):
            if isinstance(pid, str) and pid.strip().casefold() not in known:
                issues.append(Issue("unknown_project", names[key], int(excel_rows[key][index]), header, pid))
    return issues


_DATE_LINE = [
    re.compile(r"기준일?\s*[:：]?\s*(?P<date>\d{4}[^)]*?)\s*(?:기준)?\)?$"),
    re.compile(r"\(?\s*(?P<date>\d{4}[^()]*?)\s*기준\s*\)?$"),
    re.compile(r"(?:as of|reference date)\s*[:：]?\s*(?P<date>\d{4}.*)$", re.IGNORECASE),
]


def _reference_date_in(title_rows: list[list], context: _Context) -> dt.date | None:
    """The reference date written above the header, e.g. `기준일: 2017.09.30` or `(2017.9.30 기준)`."""
    for row in title_rows:
        cells = [c for c in row if not values.is_empty(c)]
        for i, cell in enumerate(cells):
            text = values.as_text(cell)
            if ref.fold(text) in ("기준일", "asof", "referencedate") and i + 1 < len(cells):
                day, problem = values.parse_date(cells[i + 1], date1904=context.date1904, today=context.today)
                if day and problem is None:
                    return day
            for pattern in _DATE_LINE:
                match = pattern.search(text)
                if match:
                    day, problem = values.parse_date(match["date"].strip(), today=context.today)
                    if day and problem is None:
                        return day
    return None


def _is_illustrative(title_rows: list[list]) -> bool:
    text = " ".join(values.as_text(c) for row in title_rows for c in row if isinstance(c, str)).casefold()
    return any(marker.casefold() in text for marker in ref.ILLUSTRATIVE_MARKERS)


def _reference_date_issues(file_date: dt.date | None, given: dt.date | None, today: dt.date) -> list[Issue]:
    if file_date is None:  # no date anywhere: today's, and the analyst is told (issue 19)
        return [] if given is not None else [Issue("as_of_today", details={"today": today.isoformat()})]
    details = {"file_date": file_date.isoformat(), "given_date": given.isoformat() if given else ""}
    if given is not None and given != file_date:
        return [Issue("reference_date_mismatch", details=details)]
    return [Issue("reference_date_found", details=details)]
