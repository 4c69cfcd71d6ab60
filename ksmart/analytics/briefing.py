"""The briefing: the change table as short Korean or English sentences.

Most important first (pipeline.md): advances into a contract, a negotiation
or implementation (in that order); other advances, the further first; new
projects; drops and holds; regressions; other status changes (a project
resumed); projects removed from the list; slipped next steps; value changes.
Within a group the larger project comes first. Each sentence names the
country (unless the project's name begins with it) and the project; Korean
particles agree with whatever word precedes them (`ksmart.korean`).
"""

from __future__ import annotations

import pandas as pd

from ksmart import countries as country_tables
from ksmart import reference as ref
from ksmart.analytics.metrics import project_values
from ksmart.frames import id_key
from ksmart.i18n import t

# Advances into these stages lead the briefing, in this order: a contract
# won, a negotiation opened, implementation started.
HEADLINE_STAGES = ("contract", "negotiation", "implementation")

# kind -> group rank; advances and status changes split further in `_order`.
_RANK = {"advanced": 1, "added": 2, "regressed": 4, "status_changed": 5, "removed": 6,
         "next_step_slipped": 7, "value_changed": 8}

def _money(value: float, lang: str) -> str:
    return t("briefing.money", lang, value=f"{value:,.2f}".rstrip("0").rstrip("."))


def change_label(kind: str, value, lang: str) -> str:
    """How a from/to value of change `kind` is written ("-" for empty)."""
    if value is None:
        return "-"
    if kind in ("advanced", "regressed"):
        return ref.STAGES.label(value, lang)
    if kind == "status_changed":
        return ref.STATUSES.label(value, lang)
    if kind == "value_changed":
        return _money(value, lang)
    return str(value)  # ISO dates


def _order(kind: str, entry) -> tuple[int, int]:
    """(group, place within the group) of a change; smaller comes first."""
    if kind == "advanced":
        if entry["to"] in HEADLINE_STAGES:
            return 0, HEADLINE_STAGES.index(entry["to"])
        return _RANK[kind], -ref.STAGE_NUMBER.get(entry["to"], 0)
    if kind == "status_changed" and entry["to"] in ("dropped", "on_hold"):
        return 3, 0
    return _RANK[kind], 0


def _with_country(name: str, country: str, template: str) -> str:
    """The name with its country, unless the name already begins with it
    ("쿠웨이트 스마트 물관리", not "쿠웨이트 쿠웨이트 스마트 물관리")."""
    return name if not country or name.startswith(country) else template.format(name=name, country=country)


class _Projects:
    """Name, country, stage and value of the projects that changed, from the
    newer frame, else the older (a removed project exists only there)."""

    def __init__(self, new_projects: pd.DataFrame, old_projects: pd.DataFrame, ids: set[str], lang: str,
                 krw_per_usd: float | None):
        keys = {i.strip().casefold() for i in ids}
        both = pd.concat([f[id_key(f["project_id"]).isin(keys)] for f in (old_projects, new_projects)],
                         ignore_index=True)
        both["value"] = project_values(both, krw_per_usd).fillna(0.0)
        both["key"] = id_key(both["project_id"])
        columns = ["name", "name_en", "country", "stage", "value"]
        self.rows = both.drop_duplicates("key", keep="last").set_index("key")[columns].to_dict("index")
        self.lang = lang
        self._country_names: dict[str, str] = {}

    def row(self, project_id: str) -> dict:
        return self.rows[project_id.strip().casefold()]

    def country(self, iso3) -> str:
        if pd.isna(iso3):
            return ""
        if iso3 not in self._country_names:
            self._country_names[iso3] = country_tables.name(iso3, self.lang)
        return self._country_names[iso3]

    def fields(self, project_id: str) -> dict:
        row = self.row(project_id)
        country = self.country(row["country"])
        stage = ref.STAGES.label(row["stage"], self.lang)
        if self.lang == "ko":
            word = t("briefing.project_word", "ko")
            name = row["name"] if str(row["name"]).endswith(word) else f"{row['name']} {word}"
        else:
            name = row["name_en"] if pd.notna(row["name_en"]) else row["name"]
        return {"project": _with_country(name, country, t("briefing.with_country", self.lang)), "stage": stage}

    def value(self, project_id: str) -> float:
        return self.row(project_id)["value"]


def _sentence(kind: str, entry, projects: _Projects, lang: str) -> str:
    if isinstance(entry, str):  # added, removed: a bare id
        return t(f"briefing.{kind}", lang, **projects.fields(entry))
    template = kind
    if kind == "value_changed" and entry["from"] is None:
        template = "value_entered"
    elif kind == "value_changed" and entry["to"] is None:
        template = "value_cleared"
    old, new = change_label(kind, entry["from"], lang), change_label(kind, entry["to"], lang)
    return t(f"briefing.{template}", lang, **projects.fields(entry["project_id"]), from_=old, to=new)


def sentences(changes: dict, new_projects: pd.DataFrame, old_projects: pd.DataFrame, lang: str = "ko", *,
              krw_per_usd: float | None = None) -> list[str]:
    """The briefing for `changes` (a `changes.compare` dict), most important
    first; one "no change" sentence when there is nothing to say."""
    lang = "ko" if lang == "ko" else "en"
    entries = [(kind, entry) for kind in _RANK for entry in changes.get(kind, [])]
    if not entries:
        return [t("briefing.none", lang)]
    ids = {e if isinstance(e, str) else e["project_id"] for _, e in entries}
    projects = _Projects(new_projects, old_projects, ids, lang, krw_per_usd)

    def importance(item):
        kind, entry = item
        pid = entry if isinstance(entry, str) else entry["project_id"]
        return *_order(kind, entry), -projects.value(pid), pid

    return [_sentence(kind, entry, projects, lang) for kind, entry in sorted(entries, key=importance)]
