"""The briefing: the change table as one ranked item per project.

pipeline.md "How important a change is": every change of one project between
O and N makes one item, one sentence that names the project and its country
and says each change ("쿠웨이트 압둘라 신도시: 제안·입찰→협상, 사업비 40억 달러→44억
달러, 기본협약 일정 6.30→12.15 연기"). Each change has a tier (1 most important);
an item's tier and main kind are those of its most important change. Items
are ordered by tier, then priority countries first, then money at stake
(the larger of the old and new value, missing = 0), then N's stage (O's for a
removed project), then project id. Tier-3 items are told as counted summary
sentences by main kind, which a reader can expand to the items.

`build` is the one function the Overview, the deck, `briefing` and
`changes --json` use. The thresholds are `THRESHOLDS` (declared once here);
the words are the catalogue's `briefing.*` keys; amounts go through
`ksmart.money`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ksmart import countries as country_tables
from ksmart import money
from ksmart import reference as ref
from ksmart.analytics import metrics
from ksmart.analytics.followup import FollowUp
from ksmart.analytics.metrics import project_values, statuses
from ksmart.frames import id_key
from ksmart.i18n import t


@dataclass(frozen=True)
class Thresholds:
    """The numbers of pipeline.md's tier table (values in USD million)."""

    big_value_usd_m: float = 100.0  # tier 1: |Δ| at least this; added or given with a value at least this
    share_value_usd_m: float = 50.0  # tier 1: |Δ| at least this and at least `big_share` of the old value
    big_share: float = 0.25
    value_usd_m: float = 20.0  # tier 2: |Δ| at least this, or at least `share` of the old value
    share: float = 0.10
    slip_days: int = 30  # tier 1: an advanced project's next step slipped by more than this


THRESHOLDS = Thresholds()
_EPS = 1e-9  # values are compared rounded to 0.01 (as `changes.compare` reports them)

# Kinds of change, most important first: the order decides an item's main kind
# among changes of the same tier and the order of the parts of its sentence
# is fixed by `_PARTS` below.
KINDS = ("won", "dropped", "negotiation", "added", "removed", "advanced", "regressed", "on_hold", "resumed",
         "status", "value", "value_given", "value_emptied", "slipped", "updated")
MINOR_KINDS = ("slipped", "value", "updated")  # the kinds a tier-3 item can have, in summary order
_WON = ref.STAGE_NUMBER["contract"]
_NEGOTIATION = ref.STAGE_NUMBER["negotiation"]
ADVANCED_STAGES = ("proposal", "negotiation")  # 가시화, with status active


def change_label(kind: str, value, lang: str) -> str:
    """How a from/to value of change-table key `kind` is written ("-" for empty)."""
    if value is None:
        return "-"
    if kind in ("advanced", "regressed"):
        return ref.STAGES.label(value, lang)
    if kind == "status_changed":
        return ref.STATUSES.label(value, lang)
    if kind == "value_changed":
        return money.amount(value, lang)
    return str(value)  # ISO dates


def _with_country(name: str, country: str, template: str) -> str:
    """The name with its country, unless the name already begins with it
    ("쿠웨이트 스마트 물관리", not "쿠웨이트 쿠웨이트 스마트 물관리")."""
    return name if not country or name.startswith(country) else template.format(name=name, country=country)


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")  # jamo, compatibility jamo, syllables


def _has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


@dataclass(frozen=True)
class Change:
    kind: str
    tier: int
    text: str


@dataclass(frozen=True)
class Item:
    """All changes of one project: its sentence, tier and place in the order."""

    project_id: str
    tier: int
    kind: str  # the main kind: that of its most important change
    kinds: tuple[str, ...]  # every kind, most important first
    sentence: str
    money_at_stake_usd_m: float
    priority: bool
    stage_number: int

    def sort_key(self) -> tuple:
        return self.tier, not self.priority, -self.money_at_stake_usd_m, -self.stage_number, self.project_id

    def as_json(self) -> dict:
        return {"project_id": self.project_id, "tier": self.tier,
                "money_at_stake_usd_m": round(self.money_at_stake_usd_m, 2), "kind": self.kind,
                "kinds": list(self.kinds), "sentence": self.sentence}


@dataclass(frozen=True)
class Summary:
    """Tier-3 items of one main kind, counted."""

    kind: str
    items: tuple[Item, ...]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Briefing:
    """The ranked items and what the briefing says about them."""

    items: tuple[Item, ...]  # every item, in the spec's order
    summaries: tuple[Summary, ...]  # tier 3 by main kind
    summary_sentence: str | None  # "그 밖에 일정 연기 18건, 사업비 소폭 조정 5건"; None without tier 3
    none_sentence: str | None  # "no changes", when there are no items
    follow_up: FollowUp | None = None  # the directives' follow-up, which the briefing opens with

    @property
    def headline(self) -> tuple[Item, ...]:
        """Tier 1 and 2 items, told one by one."""
        return tuple(i for i in self.items if i.tier < 3)

    @property
    def minor(self) -> tuple[Item, ...]:
        """Tier 3 items in the order of their summaries (main kind, then the spec's order)."""
        return tuple(i for s in self.summaries for i in s.items)

    @property
    def lines(self) -> list[str]:
        """What the briefing says: the directives' follow-up (pipeline.md: the last meeting's
        figures, then directives that became overdue and those completed, then the count of
        added and slipped ones), then tier 1 and 2 sentences, then the tier-3 summary."""
        opening = self.follow_up.lines if self.follow_up else []
        if self.none_sentence:
            return [*opening, self.none_sentence]
        return [*opening, *(i.sentence for i in self.headline)] + ([self.summary_sentence] if self.summary_sentence else [])


# --- tiers --------------------------------------------------------------------------------


def value_tier(old: float, new: float, th: Thresholds = THRESHOLDS) -> int:
    """The tier of a value change from `old` to `new` (both given, USD million)."""
    delta = abs(round(new, 2) - round(old, 2))
    old = abs(round(old, 2))
    if delta >= th.big_value_usd_m - _EPS or (delta >= th.share_value_usd_m - _EPS
                                               and delta >= th.big_share * old - _EPS):
        return 1
    if delta >= th.value_usd_m - _EPS or delta >= th.share * old - _EPS:
        return 2
    return 3


def slip_tier(days: int, advanced: bool, text_changed: bool, th: Thresholds = THRESHOLDS) -> int:
    """The tier of a next step moved later by `days`. A changed text is "updated":
    tier 2 for an advanced project, else 3; a slip proper of an advanced
    project by more than `slip_days` is tier 1."""
    if text_changed:
        return 2 if advanced else 3
    return 1 if advanced and days > th.slip_days else 3


# --- the projects -------------------------------------------------------------------------


class _Side:
    """One version's rows of the projects that changed, by case-folded id."""

    _COLUMNS = ("project_id", "name", "name_en", "country", "stage", "next_step", "next_step_date")

    def __init__(self, projects: pd.DataFrame, keys: set[str], krw_per_usd: float | None):
        # Object arrays and plain lists: Arrow-backed isin and to_dict("index") cost seconds at 50,000.
        rows = projects[id_key(projects["project_id"]).astype(object).isin(keys).to_numpy(dtype=bool)]
        columns = {c: rows[c].astype(object).tolist() for c in self._COLUMNS}
        columns["status"] = statuses(rows).astype(object).tolist()
        columns["value"] = project_values(rows, krw_per_usd).astype(object).tolist()
        self.rows: dict[str, dict] = {}
        for i, key in enumerate(id_key(rows["project_id"]).astype(object).tolist()):
            self.rows.setdefault(key, {c: values[i] for c, values in columns.items()})

    def get(self, key: str) -> dict | None:
        return self.rows.get(key)


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _day(value: date, other: date, lang: str) -> str:
    """Short and unambiguous: month and day, with the year when the two years differ."""
    key = "briefing.date" if value.year == other.year else "briefing.date_year"
    return t(key, lang, date=value)


class _Writer:
    def __init__(self, lang: str, th: Thresholds):
        self.lang, self.th = lang, th
        self._names: dict[str, str] = {}

    def country(self, iso3) -> str:
        if iso3 is None or pd.isna(iso3):
            return ""
        if iso3 not in self._names:
            self._names[iso3] = country_tables.name(iso3, self.lang)
        return self._names[iso3]

    def project(self, row: dict) -> str:
        name = _text(row["name"])
        if self.lang != "ko" and _text(row["name_en"]):
            name = _text(row["name_en"])
        return _with_country(name, self.country(row["country"]), t("briefing.with_country", self.lang))

    def amount(self, value) -> str:
        return money.amount(value, self.lang)

    def stage(self, key) -> str:
        return ref.STAGES.label(key, self.lang)

    def status(self, key) -> str:
        return ref.STATUSES.label(key, self.lang)


def _changes(old: dict | None, new: dict | None, entries: dict[str, dict], w: _Writer) -> list[Change]:
    """The changes of one project, from its change-table entries and rows."""
    th, lang = w.th, w.lang
    out: list[Change] = []
    if old is None:  # added
        value, number = _number(new["value"]), ref.STAGE_NUMBER.get(new["stage"], 0)
        tier = 1 if number >= _WON or (value is not None and value >= th.big_value_usd_m - _EPS) else 2
        out.append(Change("added", tier, t("briefing.part.added", lang, stage=w.stage(new["stage"]),
                                              value=w.amount(value))))
        return out
    if new is None:
        return [Change("removed", 2, t("briefing.part.removed", lang))]
    stage = entries.get("advanced") or entries.get("regressed")
    if stage:
        a, b = ref.STAGE_NUMBER.get(stage["from"], 0), ref.STAGE_NUMBER.get(stage["to"], 0)
        if b >= _WON > a:
            kind = "won"
        elif b == _NEGOTIATION > a:
            kind = "negotiation"
        else:
            kind = "advanced" if b > a else "regressed"
        out.append(Change(kind, 1 if kind in ("won", "negotiation") else 2,
                          t("briefing.part.stage", lang, from_=w.stage(stage["from"]), to=w.stage(stage["to"]))))
    status = entries.get("status_changed")
    if status:
        a, b = status["from"], status["to"]
        kind = ("dropped" if b == "dropped" else "on_hold" if b == "on_hold" and a == "active"
                else "resumed" if b == "active" else "status")
        out.append(Change(kind, 1 if kind == "dropped" else 2,
                          t("briefing.part.status", lang, from_=w.status(a), to=w.status(b))))
    value = entries.get("value_changed")
    if value:
        a, b = value["from"], value["to"]
        if a is None or b is None:
            kind = "value_given" if a is None else "value_emptied"
            given = b if a is None else a
            tier = 1 if given >= th.big_value_usd_m - _EPS else 2
            text = (t("briefing.part.value_given", lang, to=w.amount(b)) if a is None
                    else t("briefing.part.value_emptied", lang, from_=w.amount(a)))
            out.append(Change(kind, tier, text))
        else:
            out.append(Change("value", value_tier(a, b, th),
                              t("briefing.part.value", lang, from_=w.amount(a), to=w.amount(b))))
    slip = entries.get("next_step_slipped")
    if slip:
        a, b = date.fromisoformat(slip["from"]), date.fromisoformat(slip["to"])
        changed = _text(old["next_step"]) != _text(new["next_step"])
        advanced = new["status"] == "active" and new["stage"] in ADVANCED_STAGES
        tier = slip_tier((b - a).days, advanced, changed, th)
        days = dict(from_=_day(a, b, lang), to=_day(b, a, lang))
        if changed:
            out.append(Change("updated", tier, t("briefing.part.updated", lang, **days)))
        else:
            step = _text(new["next_step"])
            if not step or (lang != "ko" and _has_hangul(step)):
                step = t("briefing.part.next_step", lang)
            out.append(Change("slipped", tier, t("briefing.part.slipped", lang, step=step, **days)))
    return out


_TABLE_KEYS = ("advanced", "regressed", "status_changed", "value_changed", "next_step_slipped")


def build(changes: dict, new_projects: pd.DataFrame, old_projects: pd.DataFrame, lang: str = "ko", *,
          countries: pd.DataFrame | None = None, krw_per_usd: float | None = None,
          thresholds: Thresholds = THRESHOLDS, follow_up: FollowUp | None = None) -> Briefing:
    """The ranked briefing of `changes` (a `changes.compare` dict of O → N).

    `countries` is N's countries sheet (its `priority` column puts those
    countries' projects first); without it no country is a priority.
    `follow_up` (`followup.follow_up` of the same versions) opens the briefing.
    """
    lang = "ko" if lang == "ko" else "en"
    per_key: dict[str, dict[str, dict]] = {}
    ids: dict[str, str] = {}
    for kind in _TABLE_KEYS:
        for entry in changes.get(kind, []):
            key = entry["project_id"].strip().casefold()
            per_key.setdefault(key, {})[kind] = entry
            ids[key] = entry["project_id"]
    for kind in ("added", "removed"):
        for pid in changes.get(kind, []):
            key = pid.strip().casefold()
            per_key.setdefault(key, {})
            ids[key] = pid
    if not per_key:
        return Briefing((), (), None, t("briefing.none", lang), follow_up)
    keys = set(per_key)
    old_side, new_side = _Side(old_projects, keys, krw_per_usd), _Side(new_projects, keys, krw_per_usd)
    priorities = metrics.priority_countries(countries)
    w = _Writer(lang, thresholds)
    items = []
    for key, entries in per_key.items():
        old, new = old_side.get(key), new_side.get(key)
        found = _changes(old, new, entries, w)
        if not found:  # e.g. a status written differently but read the same
            continue
        ranked = sorted(found, key=lambda c: (c.tier, KINDS.index(c.kind)))
        row = new if new is not None else old
        values = [v for v in (_number(old["value"]) if old else None, _number(new["value"]) if new else None)
                  if v is not None]
        parts = ", ".join(c.text for c in found)
        items.append(Item(
            project_id=ids[key], tier=ranked[0].tier, kind=ranked[0].kind, kinds=tuple(c.kind for c in ranked),
            sentence=t("briefing.item", lang, project=w.project(row), changes=parts),
            money_at_stake_usd_m=max(values, default=0.0), priority=row["country"] in priorities,
            stage_number=ref.STAGE_NUMBER.get(row["stage"], 0)))
    items.sort(key=Item.sort_key)
    minor = [i for i in items if i.tier == 3]
    summaries = tuple(Summary(k, tuple(i for i in minor if i.kind == k)) for k in MINOR_KINDS
                      if any(i.kind == k for i in minor))
    sentence = None
    if summaries:
        counts = ", ".join(t("briefing.minor_count", lang, label=t(f"briefing.minor_kind.{s.kind}", lang), n=s.count)
                           for s in summaries)
        sentence = t("briefing.minor", lang, counts=counts)
    return Briefing(tuple(items), summaries, sentence, None if items else t("briefing.none", lang), follow_up)


def sentences(changes: dict, new_projects: pd.DataFrame, old_projects: pd.DataFrame, lang: str = "ko", *,
              countries: pd.DataFrame | None = None, krw_per_usd: float | None = None,
              follow_up: FollowUp | None = None) -> list[str]:
    """What the briefing says (`Briefing.lines`): the directives' follow-up, tier 1 and 2
    items one by one, then the tier-3 summary; one "no change" sentence when there is nothing."""
    return build(changes, new_projects, old_projects, lang, countries=countries, krw_per_usd=krw_per_usd,
                 follow_up=follow_up).lines
