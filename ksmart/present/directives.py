"""The directives' follow-up as people see it: the Overview's line and bar, the tables' rows.

The Overview opens with one line per pipeline.md ("지난 운영위원회(2017.6.22) 지시사항
7건 중 2건 완료 …"), a bar by status beside it, and the overdue directives named
on the next line, most days overdue first. HTML and CSS like `htmlcharts`
(drawn with the page, no chart library), every text escaped. `rows` gives the
cells of the Follow-up page's and the Countries page's tables, and the deck's.
"""

from __future__ import annotations

import html
from typing import Sequence

import pandas as pd

from ksmart import i18n
from ksmart import reference as ref
from ksmart.analytics import followup
from ksmart.i18n import t
from ksmart.present import palette as pal

BAR_ORDER = ("done", "in_progress", "not_started", "on_hold")  # progress reads from the left
OVERDUE_NAMED = 3  # on the Overview's line; the rest are counted ("외 2건")

CSS = f"""<style>
.ks-fu {{ font-family: {pal.FONT_STACK}; color: {pal.INK}; word-break: keep-all; overflow-wrap: break-word;
  font-size: 1rem; line-height: 1.45; margin: 0.1rem 0 0.2rem; }}
.ks-fu-head {{ display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.8rem; }}
.ks-fu-bar {{ display: inline-flex; width: 13rem; height: 1.5rem; border-radius: 0.2rem; overflow: hidden;
  flex: 0 0 auto; }}
.ks-fu-bar span {{ display: flex; align-items: center; justify-content: center; font-size: 1rem; }}
.ks-fu-late {{ color: {pal.ACCENT}; }}
</style>"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def status_bar(figures: dict, lang: str) -> str:
    """The meeting's directives as one bar, a segment per status (done first) with its count."""
    total = figures["total"]
    parts = []
    for key in BAR_ORDER:
        n = figures[key]
        if not n:
            continue
        color = pal.ACTION_STATUS_COLORS[key]
        tip = f"{i18n.label(ref.ACTION_STATUSES, key, lang)}: {n:,}"
        parts.append(f'<span title="{_e(tip)}" style="width:{100 * n / total:.4g}%;background:{color};'
                     f'color:{pal.ink_on(color)}">{n:,}</span>')
    return f'<span class="ks-fu-bar" role="img" aria-label="{_e(t("followup.bar", lang))}">{"".join(parts)}</span>'


def overdue_names(overdue: pd.DataFrame, lang: str, named: int = OVERDUE_NAMED) -> str | None:
    """"기한 경과: 다낭 … (30일), 산타크루즈 … (15일) 외 1건", most days overdue first; None when none."""
    if overdue.empty:
        return None
    names = [t("followup.overdue_name", lang, directive=r["directive"], days=int(r["days_overdue"]))
             for r in overdue.head(named).to_dict("records")]
    more = t("followup.overdue_more", lang, n=len(overdue) - named) if len(overdue) > named else ""
    return t("followup.overdue_list", lang, names=", ".join(names), more=more)


def overview_block(figures: dict, overdue: pd.DataFrame, lang: str) -> str | None:
    """The Overview's opening: the bar and the follow-up line, then the overdue ones named
    (`overdue`: the meeting's overdue directives, most days first). None without directives to follow."""
    line = followup.status_line(figures, lang)
    if line is None:
        return None
    bar = status_bar(figures, lang) if figures["total"] else ""
    late = overdue_names(overdue, lang)
    late_html = f'<div class="ks-fu-late">{_e(late)}</div>' if late else ""
    return CSS + f'<div class="ks-fu"><div class="ks-fu-head">{bar}<span>{_e(line)}</span></div>{late_html}</div>'


def status_text(row: dict, lang: str) -> str:
    """A directive's status, and how late it is when overdue ("추진중 · 기한 경과 15일")."""
    text = i18n.label(ref.ACTION_STATUSES, row["status"], lang)
    if row.get("overdue"):
        text += " · " + t("followup.days_overdue", lang, days=int(row["days_overdue"]))
    return text


COLUMNS = ("directive", "owner", "due", "status", "result", "project", "country")
HEADERS = {"directive": "followup.col.directive", "owner": "followup.col.owner", "due": "followup.col.due",
           "status": "followup.col.status", "result": "followup.col.result", "project": "followup.col.project",
           "country": "followup.col.country", "meeting": "followup.col.meeting"}


def rows(table: pd.DataFrame, lang: str, columns: Sequence[str] = COLUMNS,
         project_names: dict | None = None) -> dict[str, list[str]]:
    """Header -> text cells of directives (`followup.action_table` rows, in their order).

    `project_names` maps a folded project id to its name in `lang`; the cell
    shows the id when the name is unknown."""
    names = project_names or {}
    records = table.to_dict("records")

    def cell(r: dict, column: str) -> str:
        value = r.get(column)
        if column == "owner":
            return followup.owners_text(value, lang)
        if column == "status":
            return status_text(r, lang)
        if column in ("due", "done_on"):
            return "" if value is None or pd.isna(value) else i18n.day(value)
        if column == "project":
            pid = r.get("project_id")
            return names.get(pid.strip().casefold(), pid) if isinstance(pid, str) else ""
        if column == "country":
            return i18n.country(value, lang) if isinstance(value, str) else ""
        if column == "meeting":
            return r.get("meeting_name") or (value if isinstance(value, str) else "")
        return value if isinstance(value, str) else ""

    return {t(HEADERS[c], lang): [cell(r, c) for r in records] for c in columns}
