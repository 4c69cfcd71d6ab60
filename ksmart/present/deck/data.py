"""What the slides show, computed once per deck from `ksmart` metrics.

`DeckData` holds the inputs of one deck (the snapshot, the version compared
with, filters, language) and derives, on first use only, the numbers and
sentences the sections lay out: `metrics.summary` of the filtered projects,
the change table and briefing between the two versions (both filtered
alike, as on the Overview page), the project table, the country extras. A
deck without the map or without the changes slide never computes them.
Nothing here is computed by hand: every number is a metric of pipeline.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from ksmart import frames as fr
from ksmart import i18n
from ksmart.analytics import briefing, changes, followup, metrics
from ksmart.frames import id_key
from ksmart.present.deck.text import tr

# The milestone slide looks further ahead than the dashboard's 30-day
# "upcoming" flag: steering committees meet about once a quarter.
UPCOMING_DAYS = 90
DEFAULT_COUNTRIES = 6
DIRECTIVE_ORDER = ("in_progress", "not_started", "on_hold", "done")  # the directives slide: open ones before done
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(str(text)))


def readable(value, lang: str) -> str:
    """Free text from the workbook as shown in `lang`: "" when empty, and in
    English "" when it is written in Korean (as the Overview page hides the
    Korean-only next steps), so an English slide is not half Korean."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return "" if lang != "ko" and has_hangul(text) else text


@dataclass
class DeckData:
    """The inputs of one deck and everything derived from them (lazily)."""

    snapshot: Any  # store.Snapshot: .version (VersionInfo) and .frames
    old_snapshot: Any = None  # the version compared with; None: no comparison
    comparison: changes.Comparison | None = None  # why `old_snapshot` was chosen, for its label
    filters: metrics.Filters = field(default_factory=metrics.Filters)
    lang: str = "ko"
    meeting_title: str | None = None

    # --- the data -------------------------------------------------------------------

    @property
    def version(self):
        return self.snapshot.version

    @property
    def as_of(self):
        return self.version.reference_date

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return self.snapshot.frames

    @cached_property
    def projects(self) -> pd.DataFrame:
        return metrics.apply_filters(self.frames["projects"], self.filters)

    @cached_property
    def old_projects(self) -> pd.DataFrame | None:
        if self.old_snapshot is None:
            return None
        return metrics.apply_filters(self.old_snapshot.frames["projects"], self.filters)

    @property
    def compared(self) -> bool:
        """Whether there is an older, different version to compare with."""
        return self.old_snapshot is not None and self.old_snapshot.version.number != self.version.number

    @cached_property
    def summary(self) -> dict:
        return metrics.summary(self.frames["projects"], self.as_of, filters=self.filters,
                               version=self.version.number)

    @cached_property
    def old_summary(self) -> dict | None:
        if not self.compared:
            return None
        old = self.old_snapshot.version
        return metrics.summary(self.old_snapshot.frames["projects"], old.reference_date, filters=self.filters,
                               version=old.number)

    @cached_property
    def changes(self) -> dict:
        if not self.compared:
            return {key: [] for key in changes.CHANGE_KEYS}
        return changes.compare(self.old_projects, self.projects)

    @cached_property
    def ranked(self) -> briefing.Briefing:
        """The briefing's items in pipeline.md's order, as the Overview and `briefing` have them."""
        old = self.old_projects if self.compared else self.projects
        return briefing.build(self.changes, self.projects, old, self.lang, countries=self.frames.get("countries"))

    @property
    def sentences(self) -> list[str]:
        """Tier 1 and 2 items one by one, then the tier-3 summary (the Overview's briefing)."""
        return self.ranked.lines

    @cached_property
    def table(self) -> pd.DataFrame:
        """The filtered projects with their row-level metrics."""
        return metrics.project_table(self.projects, self.as_of)

    @cached_property
    def advanced(self) -> pd.DataFrame:
        return metrics.advanced_projects(self.frames["projects"], self.as_of, filters=self.filters)

    @cached_property
    def upcoming(self) -> pd.DataFrame:
        return metrics.upcoming_projects(self.frames["projects"], self.as_of, filters=self.filters,
                                         upcoming_days=UPCOMING_DAYS)

    @cached_property
    def directives(self) -> tuple[dict, pd.DataFrame]:
        """(the last meeting's follow-up figures, the directives the slide lists): that
        meeting's, by status with the overdue ones first, then earlier meetings' overdue ones.
        Directives are the meeting's as a whole: the project filters do not narrow them."""
        actions, events = self.frames.get("actions"), self.frames["events"]
        if actions is None:
            actions = fr.empty("actions")
        figures = followup.summary(actions, events, self.as_of)
        table = followup.action_table(actions, events, self.as_of)
        mine = id_key(table["meeting"]) == (figures["meeting"] or "").casefold()
        earlier = ~mine & table["overdue"] & (table["meeting_date"] < pd.Timestamp(figures["meeting_date"] or self.as_of))
        rank = {key: i for i, key in enumerate(DIRECTIVE_ORDER)}
        order = table.assign(_late=~table["overdue"], _rank=table["status"].map(rank),
                             _days=-table["days_overdue"].astype("float64").fillna(0))
        keys = ["_late", "_days", "_rank", "due", "action_id"]
        listed = pd.concat([order[mine].sort_values(keys, kind="stable"), order[earlier].sort_values(keys, kind="stable")])
        return figures, listed.drop(columns=["_late", "_rank", "_days"])

    @cached_property
    def extras(self) -> pd.DataFrame:
        frames = self.frames
        return metrics.country_extras(frames["countries"], frames["reports"], frames["events"],
                                      self.as_of).set_index("country")

    # --- words every slide uses --------------------------------------------------------

    def tr(self, key: str, **values) -> str:
        return tr(key, self.lang, **values)

    @property
    def meeting(self) -> str:
        return self.meeting_title or self.tr("deck.meeting")

    def footer(self) -> str:
        """The source line of every slide."""
        source = self.tr("deck.source")
        if self.version.illustrative:
            source = self.tr("deck.footer_illustrative", source=source)
        text = self.tr("deck.footer", date=i18n.day(self.as_of), version=self.version.number, source=source)
        return f"{text} · {self.tr('deck.footer_filtered')}" if not self.filters.is_empty() else text

    def comparison_line(self) -> str:
        """What the deltas and the changes compare with."""
        if not self.compared:
            return self.tr("notice.no_change")
        old = self.old_snapshot.version
        if self.comparison is not None and self.comparison.since is not None:
            key = "context.meeting" if self.comparison.meeting else "context.since"
            label = self.tr(key, date=i18n.day(self.comparison.since))
        else:
            label = self.tr("context.version")
        return self.tr("context.compare", label=label, version=old.number, date=i18n.day(old.reference_date))

    def filter_line(self) -> str | None:
        """The active filters in words, or None."""
        if self.filters.is_empty():
            return None
        names = {
            "countries": lambda v: i18n.country(v, self.lang),
            "regions": lambda v: i18n.region(v, self.lang),
            "subcommittees": lambda v: i18n.label(i18n.ref.SUBCOMMITTEES, v, self.lang),
            "lead_agencies": lambda v: i18n.agency(v, self.lang),
            "stages": lambda v: i18n.label(i18n.ref.STAGES, v, self.lang),
            "statuses": lambda v: i18n.label(i18n.ref.STATUSES, v, self.lang),
        }
        parts = [f"{self.tr(f'filter.{name}')} {', '.join(fn(v) for v in getattr(self.filters, name))}"
                 for name, fn in names.items() if getattr(self.filters, name)]
        return self.tr("filter.active_note", fields=" · ".join(parts))


def default_countries(snapshot, filters: metrics.Filters = metrics.Filters(), limit: int = DEFAULT_COUNTRIES
                      ) -> tuple[str, ...]:
    """The countries that get a slide when none are chosen: those of the
    advanced (가시화) projects, largest open pipeline first, at most `limit`
    (what the vice-minister asks about first: where the advanced projects stand)."""
    data = DeckData(snapshot, filters=filters)
    wanted = set(data.advanced["country"].dropna())
    ordered = [row["country"] for row in data.summary["by_country"] if row["country"] in wanted]
    return tuple(ordered[:limit])
